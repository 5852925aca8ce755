"""scripts/hold_out_signers.py: whole signers on one side, each folder with its own groups.csv."""
import pandas as pd
import pytest

from scripts.hold_out_signers import main
from tests.conftest import SAMPLES


def test_signers_never_on_both_sides(tmp_path, capsys):
    assert main([str(SAMPLES), "--fraction", "0.2", "--train", str(tmp_path / "a"), "--test", str(tmp_path / "b")]) == 0
    train = pd.read_csv(tmp_path / "a" / "groups.csv", dtype=str)
    test = pd.read_csv(tmp_path / "b" / "groups.csv", dtype=str)
    assert (train["group"].nunique(), test["group"].nunique()) == (12, 3)
    assert not set(train["group"]) & set(test["group"])
    assert len(train) + len(test) == 150
    assert all((tmp_path / "b" / p).is_file() for p in test["path"])
    assert "3 held out (30 images)" in capsys.readouterr().out


@pytest.mark.parametrize("fraction", [0.0, 0.01], ids=["zero", "rounds-to-none"])
def test_holding_out_no_signer_is_refused(tmp_path, capsys, fraction):
    assert main([str(SAMPLES), "--fraction", str(fraction), "--train", str(tmp_path / "a"),
                 "--test", str(tmp_path / "b")]) == 1
    assert "holds out none" in capsys.readouterr().err
