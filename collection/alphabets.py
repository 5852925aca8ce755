"""The labels `collect` walks through: an alphabet (a name in data/alphabets/ or a .txt file), or a --labels list."""
import re
import unicodedata
from pathlib import Path

from landmarks.errors import UserError


def _alphabets_dir():
    """data/alphabets in a checkout; in an installed package the same files sit in collection/alphabet_files."""
    checkout = Path(__file__).resolve().parent.parent / "data" / "alphabets"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "alphabet_files"


ALPHABETS_DIR = _alphabets_dir()
# A label followed by this marker in an alphabet file is signed with a movement (recorded as clips).
MOTION_MARK = "~"
# Characters no folder name may hold on Windows, macOS or Linux.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Far below the 255 bytes a file name may have, leaving room for `<signer>_<n>.jpg` and a temp file's suffix.
MAX_NAME_BYTES = 100
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def available_alphabets(folder=ALPHABETS_DIR):
    return sorted(path.stem for path in Path(folder).glob("*.txt"))


def load_alphabet(name, folder=ALPHABETS_DIR):
    """Labels of `folder/<name>.txt`: UTF-8, one per line; blank lines and `#` comments are skipped."""
    return load_alphabet_marks(name, folder)[0]


def load_alphabet_marks(name, folder=ALPHABETS_DIR):
    """(labels, set of motion labels) of `folder/<name>.txt`, or of the file `name` if it ends in .txt;
    a motion label ends with `~` (`Й~`)."""
    if name.lower().endswith(".txt"):
        path = Path(name)
        if not path.is_file():
            raise UserError(f"alphabet file {path} not found; pass an existing UTF-8 .txt file, one label per line")
    else:
        path = Path(folder) / f"{name}.txt"
        if not (name and "/" not in name and "\\" not in name and path.is_file()):
            names = ", ".join(available_alphabets(folder)) or "none"
            raise UserError(f"unknown alphabet {name!r}; available: {names}, or pass your own as FILE.txt "
                            "(UTF-8, one label per line)")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise UserError(f"alphabet file {path} is not UTF-8; save it as UTF-8 text") from None
    entries = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    labels = check_labels([entry.removesuffix(MOTION_MARK).rstrip() for entry in entries], f"alphabet file {path}")
    return labels, {label for label, entry in zip(labels, entries) if entry.endswith(MOTION_MARK)}


def parse_labels(text):
    """`A,B,C` -> ["A", "B", "C"], checked like an alphabet file."""
    return check_labels([part.strip() for part in text.split(",")], "--labels")


def check_labels(labels, origin):
    """NFC-normalized labels, each a usable folder name, none repeated; else UserError naming `origin`."""
    labels = [unicodedata.normalize("NFC", label) for label in labels]
    if not labels or not any(labels):
        raise UserError(f"{origin} has no labels; list at least one")
    seen = {}
    for label in labels:
        problem = folder_name_problem(label)
        if problem:
            raise UserError(f"label {label!r} from {origin} {problem}; rename it")
        # Case-insensitive file systems (Windows, macOS) would put both in one folder.
        if label.casefold() in seen:
            raise UserError(f"label {label!r} from {origin} repeats {seen[label.casefold()]!r}; give each label once")
        seen[label.casefold()] = label
    return labels


def folder_name_problem(name):
    """Why `name` cannot be a folder name that `extract` later reads as a label, or None."""
    if not name:
        return "is empty"
    if _FORBIDDEN.search(name):
        return 'holds a character folder names cannot have (< > : " / \\ | ? * or a control character)'
    if name.startswith("."):
        return "starts with a dot, so extract would skip its folder as hidden"
    if name != name.strip() or name.endswith("."):
        return "ends with a space or a dot, which Windows drops from folder names"
    if name.split(".")[0].upper() in _RESERVED:
        return "is a device name Windows reserves"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is {len(name.encode('utf-8'))} bytes long, more than the {MAX_NAME_BYTES} a label or signer may be"
    return None
