"""Signer groups: read a `path,group` CSV, or derive groups for the Sign Language Digits layout."""
import io
import re
from pathlib import Path

import pandas as pd

from landmarks.errors import UserError
from landmarks.files import write_csv
from landmarks.images import list_labelled_images


class GroupsError(UserError):
    """The groups file cannot be used; the message says why."""


def groups_file_for(data_dir, groups_file=None):
    """`groups_file`, else DATA_DIR/groups.csv when there is one (`collect` writes it; the samples ship it)."""
    if groups_file is None and (Path(data_dir) / "groups.csv").is_file():
        return Path(data_dir) / "groups.csv"
    return groups_file


def read_groups(groups_file):
    """{relative path: group} from a CSV with columns `path,group`."""
    return read_groups_counted(groups_file)[0]


def read_groups_counted(groups_file):
    """({relative path: group}, number of rows repeating an earlier row's path; the last one wins)."""
    path = Path(groups_file)
    if not path.is_file():
        raise GroupsError(f"groups file {path} not found; pass a CSV with columns path,group")
    try:
        text = path.read_bytes().decode("utf-8-sig")
        if "\x00" in text:
            raise UnicodeDecodeError("utf-8", b"\x00", 0, 1, "NUL byte")
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except UnicodeDecodeError:
        raise GroupsError(f"groups file {path} is not UTF-8 text; pass a CSV with columns path,group") from None
    except (OSError, ValueError, pd.errors.ParserError) as error:  # EmptyDataError is a ValueError
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        raise GroupsError(f"groups file {path} cannot be read as a CSV ({reason}); "
                          "pass a CSV with columns path,group") from None
    if not {"path", "group"} <= set(table.columns):
        raise GroupsError(f"groups file {path} needs columns path,group; it has {','.join(table.columns)}")
    return dict(zip(table["path"], table["group"])), int(table["path"].duplicated().sum())


def digit_sequence_groups(data_dir):
    """Signer groups for `<digit>/IMG_<n>.JPG` photos taken by each signer as 0..9 in order.

    Sorted by n, a new signer starts wherever the digit does not increase.
    """
    numbered = []
    for path, label in list_labelled_images(data_dir):
        match = re.search(r"(\d+)\D*$", Path(path).stem)
        if not (match and label.isdigit()):
            raise GroupsError(f"{path} is not <digit>/<name><number>.<ext>; this rule only fits that layout")
        numbered.append((int(match.group(1)), int(label), path))
    groups, signer, previous = {}, 0, None
    for _, digit, path in sorted(numbered):
        if previous is not None and digit <= previous:
            signer += 1
        groups[path] = f"signer{signer:03d}"
        previous = digit
    return groups


def write_groups(groups, target):
    write_csv(pd.DataFrame({"path": list(groups), "group": list(groups.values())}), target)
