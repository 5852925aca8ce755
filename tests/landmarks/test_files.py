import os
import stat

import pytest

from landmarks.errors import UserError
from landmarks.files import check_writable_file, check_writable_folder, write_text


def test_outputs_get_the_umask_mode_not_0600(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    assert mask & 0o044 == 0, "this test needs a umask that lets others read"
    write_text("x", tmp_path / "out.txt")
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o666 & ~mask


def test_atomic_writes_leave_no_temp_files(tmp_path):
    write_text("x", tmp_path / "a" / "b.txt")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.txt"]


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp, "is a folder; pass a file name"),
    (lambda tmp: (tmp / "file").write_text("x") and tmp / "file" / "out.csv", "cannot write into"),
], ids=["a-folder", "under-a-file"])
def test_unwritable_out_is_refused(tmp_path, make, message):
    with pytest.raises(UserError, match=message):
        check_writable_file(make(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_folder_is_refused(tmp_path):
    (tmp_path / "ro").mkdir(mode=0o555)
    with pytest.raises(UserError, match="cannot write into .*Permission denied"):
        check_writable_folder(tmp_path / "ro" / "sub")


def test_checking_a_folder_creates_nothing(tmp_path):
    check_writable_folder(tmp_path / "new" / "deeper")
    check_writable_folder(tmp_path)
    assert list(tmp_path.iterdir()) == []
