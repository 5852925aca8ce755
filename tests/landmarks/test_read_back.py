"""The readers of the project's own files: whatever bytes they find, a value of the expected shape or
DamagedFile naming the file and the fix, never another exception (properties, with Hypothesis)."""
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landmarks.image_record import RECORD_FIELDS
from landmarks.journal import Journal
from landmarks.read_back import DamagedFile, check_object, has_type, numeric, read_json, read_table
from landmarks.sidecar import FIELDS, checked_sidecar, read_sidecar

FIX = "delete it and re-run"
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
SIDECARS = st.dictionaries(st.sampled_from([*FIELDS, "other"]), JSON, max_size=5)
FILES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FILES
@given(data=st.binary(max_size=300) | (JSON | SIDECARS).map(lambda value: json.dumps(value).encode()))
def test_a_sidecar_is_a_checked_object_or_damaged(tmp_path, data):
    (tmp_path / "t.json").write_bytes(data)
    try:
        sidecar = checked_sidecar(tmp_path / "t.csv", FIX)
    except DamagedFile as error:
        assert str(error).startswith(f"{tmp_path / 't.json'} is damaged (") and str(error).endswith(FIX)
        assert read_sidecar(tmp_path / "t.csv") is None  # what extract sees: rebuild
        return
    assert isinstance(sidecar, dict)
    assert all(has_type(sidecar[name], types) for name, types in FIELDS.items() if name in sidecar)
    assert isinstance(sidecar.get("normalization", {}).get("name", ""), str)


@FILES
@given(data=st.binary(max_size=400) | st.text(alphabet=",\n\"ab1.\r x", max_size=200).map(str.encode))
def test_a_table_has_its_columns_or_is_damaged(tmp_path, data):
    path = tmp_path / "t.csv"
    path.write_bytes(b"path,reason\n" + data if data[:1] == b"," else data)
    try:
        table = read_table(path, ["path", "reason"], FIX)
    except DamagedFile as error:
        assert str(error).startswith(f"{path} is damaged (") and str(error).endswith(FIX)
        return
    assert {"path", "reason"} <= set(table) and all(table[c].map(type).eq(str).all() for c in ["path", "reason"])


@FILES
@given(values=st.lists(st.text(max_size=6) | st.floats().map(str), max_size=6))
def test_numeric_columns_are_floats_or_damaged(tmp_path, values):
    table = pd.DataFrame({"x": values}, dtype=str)
    try:
        assert numeric(table, ["x"], tmp_path, FIX, allow_empty=True)["x"].dtype == "float64"
    except DamagedFile as error:
        assert "its 'x' column holds values that are not numbers" in str(error)


PATHS = st.sampled_from(["1/a.jpg", "1/b.jpg", "x"])


def failure(path):
    return json.dumps({"path": path, "reason": "no_hand", "detail": ""})


@FILES
@given(entries=st.lists(st.tuples(PATHS, st.sampled_from(["row", "failure", "?"]),
                                  st.text(max_size=40) | JSON.map(json.dumps))
                        | PATHS.map(lambda path: (path, "failure", failure(path))), max_size=5))
def test_journal_entries_are_records_of_their_kind_or_left_out(tmp_path, entries):
    journal = Journal(tmp_path / f"j{abs(hash(str(entries)))}.sqlite", {"detector": 1}, RECORD_FIELDS)
    for path, kind, text in entries:
        journal._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", (path, kind, text))
    found = journal.entries()
    for path, (kind, record) in found.items():
        assert record["path"] == path and kind in RECORD_FIELDS
        assert all(has_type(record.get(name), types) for name, types in RECORD_FIELDS[kind].items())
    last = {path: (kind, text) for path, kind, text in entries}  # INSERT OR REPLACE keeps the last
    good = {path for path, (kind, text) in last.items() if kind == "failure" and text == failure(path)}
    assert {path for path in found if path in good} == good  # a sound entry is never left out
    journal.remove()


@pytest.mark.parametrize("value, problem", [
    ([], "a list, not a JSON object"),
    ({"kind": 3, "settings": {}}, "its 'kind' is a number"),
    ({"kind": True, "settings": {}}, "its 'kind' is true or false"),
    ({}, "no 'settings' field"),
], ids=["list", "number", "bool", "missing"])
def test_check_object_names_the_problem(tmp_path, value, problem):
    with pytest.raises(DamagedFile, match=rf"^{tmp_path} is damaged \({problem}\); {FIX}$"):
        check_object(value, {"kind": str}, tmp_path, FIX, required=["settings"])


def test_read_json_of_a_folder_says_so(tmp_path):
    with pytest.raises(DamagedFile, match="a folder, not a file"):
        read_json(tmp_path, FIX)


def test_true_is_not_a_number_unless_asked():
    assert has_type(1, int) and not has_type(True, int) and has_type(True, (int, bool))
