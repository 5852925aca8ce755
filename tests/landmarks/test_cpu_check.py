import pytest

from landmarks.cpu_check import check_cpu, cpu_features
from landmarks.errors import UserError

PI5 = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\n"
PI4 = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU part\t: 0xd08\n"


def test_features_are_read_from_cpuinfo():
    assert {"atomics", "asimddp", "fp"} <= cpu_features(PI5)
    assert "atomics" not in cpu_features(PI4)


@pytest.mark.parametrize("machine, cpuinfo, version", [
    ("aarch64", PI5, "1.2.2"),
    ("aarch64", PI4, "0.10.18"),
    ("x86_64", "flags: fpu sse2", "1.2.2"),
], ids=["pi5-mediapipe1", "pi4-mediapipe0.10.18", "x86"])
def test_supported_combinations_pass(machine, cpuinfo, version):
    check_cpu(machine, cpuinfo, version)


def test_pi4_with_mediapipe1_names_the_file_to_install():
    with pytest.raises(UserError, match=r"lacks asimddp, atomics .*pip install -r requirements-pi4.txt"):
        check_cpu("aarch64", PI4, "1.2.2")
