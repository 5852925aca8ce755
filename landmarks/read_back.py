"""Reading back files this program wrote (sidecars, reports, failures files): each checked against the
shape it was written in, at the one place it is read, so a damaged or edited file gives one line naming
the file, what is wrong and the fix, never an AttributeError or a pandas parser error."""
import json
import warnings
from pathlib import Path

import pandas as pd

from landmarks.errors import UserError


NUMBER = (int, float)  # a JSON number, for the field types below


class DamagedFile(UserError):
    """A file this program wrote that is not in the shape it was written in; the message says the fix."""

    def __init__(self, path, problem, fix):
        super().__init__(f"{path} is damaged ({problem}); {fix}")
        self.path, self.problem = Path(path), problem


def kind_of(value):
    """A few words for what a JSON value is, for a message."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number")


def read_json(path, fix):
    """The JSON value in the file `path`, or DamagedFile (a folder, not UTF-8, not JSON)."""
    try:
        return json.loads(Path(path).read_bytes().decode("utf-8"))
    except IsADirectoryError:
        raise DamagedFile(path, "a folder, not a file", fix) from None
    except UnicodeDecodeError:
        raise DamagedFile(path, "not UTF-8 text", fix) from None
    except ValueError as error:
        raise DamagedFile(path, f"not JSON: {error}", fix) from None


def check_object(value, fields, path, fix, required=()):
    """`value` if it is a JSON object whose `fields` present ({name: type or tuple of types}) have their
    types and whose `required` names are present; else DamagedFile."""
    if not isinstance(value, dict):
        raise DamagedFile(path, f"{kind_of(value)}, not a JSON object", fix)
    missing = [name for name in required if name not in value]
    if missing:
        raise DamagedFile(path, f"no {missing[0]!r} field", fix)
    for name, types in fields.items():
        if name in value and not has_type(value[name], types):
            raise DamagedFile(path, f"its {name!r} is {kind_of(value[name])}", fix)
    return value


def has_type(value, types):
    """isinstance, except that true and false are not numbers unless `types` names bool."""
    types = types if isinstance(types, tuple) else (types,)
    return isinstance(value, types) and (bool in types or not isinstance(value, bool))


def read_table(path, columns, fix, dtype=str):
    """The CSV at `path` as a DataFrame (`dtype` columns, empty cells as ""), or DamagedFile when it is
    empty, binary, ragged or lacks one of `columns`."""
    try:
        with warnings.catch_warnings():  # a line longer than the header: pandas would drop its end with a warning
            warnings.simplefilter("error", pd.errors.ParserWarning)
            table = pd.read_csv(path, dtype=dtype, keep_default_na=False, encoding="utf-8", index_col=False)
    except pd.errors.ParserWarning:
        raise DamagedFile(path, "a line has more fields than the header", fix) from None
    except IsADirectoryError:
        raise DamagedFile(path, "a folder, not a file", fix) from None
    except pd.errors.EmptyDataError:
        raise DamagedFile(path, "empty", fix) from None
    except UnicodeDecodeError:
        raise DamagedFile(path, "not UTF-8 text", fix) from None
    except (ValueError, pd.errors.ParserError) as error:
        raise DamagedFile(path, f"not a CSV table: {str(error).splitlines()[0]}", fix) from None
    missing = [c for c in columns if c not in table]
    if missing:
        raise DamagedFile(path, f"no {missing[0]!r} column", fix)
    return table


def numeric(table, columns, path, fix, allow_empty=False):
    """`table` with `columns` (those it has) as float64, empty cells as NaN where `allow_empty`; else
    DamagedFile naming the first column holding something that is not a number."""
    table = table.copy()
    for column in [c for c in columns if c in table]:
        values = table[column].replace("", "nan") if allow_empty else table[column]
        try:
            table[column] = pd.to_numeric(values, errors="raise").astype("float64")
        except (ValueError, TypeError):
            raise DamagedFile(path, f"its {column!r} column holds values that are not numbers", fix) from None
    return table
