"""`split-signers`: whole signers on one side, each folder with its own groups.csv."""
import pandas as pd
import pytest

import cli
from tests.conftest import SAMPLES


def split(tmp_path, *options):
    return cli.main(["split-signers", str(SAMPLES), "--train", str(tmp_path / "a"), "--test", str(tmp_path / "b"),
                     *options])


def test_signers_never_on_both_sides(tmp_path, capsys):
    assert split(tmp_path, "--fraction", "0.2") == 0
    train = pd.read_csv(tmp_path / "a" / "groups.csv", dtype=str)
    test = pd.read_csv(tmp_path / "b" / "groups.csv", dtype=str)
    assert (train["group"].nunique(), test["group"].nunique()) == (12, 3)
    assert not set(train["group"]) & set(test["group"])
    assert len(train) + len(test) == 150
    assert all((tmp_path / "b" / p).is_file() for p in test["path"])
    assert "3 held out (30 images)" in capsys.readouterr().out


@pytest.mark.parametrize("fraction", [0.0, 0.01], ids=["zero", "rounds-to-none"])
def test_holding_out_no_signer_is_refused(tmp_path, capsys, fraction):
    assert split(tmp_path, "--fraction", str(fraction)) == 1
    assert "holds out none" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_a_used_test_folder_is_refused_before_anything_is_written(tmp_path, capsys):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old.txt").write_text("kept")
    assert split(tmp_path) == 1
    assert "b is not an empty folder" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()
