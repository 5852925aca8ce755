import pytest

from landmarks.cpu_check import check_cpu, cpu_features
from landmarks.errors import UserError

PI5 = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\n"
PI4 = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU part\t: 0xd08\n"


def test_features_are_read_from_cpuinfo():
    assert {"atomics", "asimddp", "fp"} <= cpu_features(PI5)
    assert "atomics" not in cpu_features(PI4)


# An ARMv8.0 CPU (Pi 4) with the mediapipe built for ARMv8.2: refused.
REFUSED = {"machine": "aarch64", "cpuinfo": PI4, "version": "1.2.2"}


@pytest.mark.parametrize("machine, cpuinfo, version, reason", [
    ("aarch64", PI5, "1.2.2", "cpuinfo"),
    ("aarch64", PI4, "0.10.18", "version"),
    ("x86_64", PI4, "1.2.2", "machine"),  # the flags do not matter off ARM
], ids=["pi5-mediapipe1", "pi4-mediapipe0.10.18", "x86"])
def test_supported_combinations_pass_for_their_reason(machine, cpuinfo, version, reason):
    given = {"machine": machine, "cpuinfo": cpuinfo, "version": version}
    assert check_cpu(*given.values()) is None
    # The same combination with `reason` as in the refused one is refused: that is what lets it pass.
    with pytest.raises(UserError, match="install the Pi 4 requirements"):
        check_cpu(*{**given, reason: REFUSED[reason]}.values())


def test_pi4_with_mediapipe1_names_the_file_to_install():
    with pytest.raises(UserError, match=r"lacks asimddp, atomics .*pip install -r requirements-pi4.txt"):
        check_cpu("aarch64", PI4, "1.2.2")
