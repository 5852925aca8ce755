"""Files read back, damaged or crafted, built here from real outputs: every command that reads one exits 1
with one line naming the file and the fix, no traceback, no signal, memory bounded, nothing lost."""
import io
import json
import resource
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import cli
from classifiers.bundle import MANIFEST, Bundle, bundle_file, file_sha256, load_bundle, save_bundle
from classifiers.model_file import read_model_file
from classifiers.models_folder import LANDMARK, ranking_file
from classifiers.registry import make
from landmarks.image_record import RECORD_FIELDS
from landmarks.journal import Journal
from landmarks.errors import UserError
from motion import extract as motion_extract
from motion import features as mf
from motion.recognize import load_motion_model
from motion.registry import REGISTRY as MOTION_REGISTRY
from tests.classifiers.helpers import (landmark_blobs, sample_photos, single_threaded_math,  # noqa: F401 (autouse)
                                       write_feature_table)
from tests.classifiers.test_model_file import MarkerOnLoad
from tests.conftest import REPO, SAMPLES, copy_samples
from tests.live.live_helpers import photo_of, to_frame, write_folder

MAX_RSS_BYTES = 1.5 * 2**30
PHOTO = sorted((SAMPLES / "1").glob("*.JPG"))[0]


def run(capsys, *argv):
    """(exit code, the one line on stderr) of `cli.py argv`, checking that no traceback was printed."""
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return code, lines[0]


def run_process(*argv):
    """(exit code, the one line on stderr) of `python cli.py argv` in its own process: a segfault shows
    as a negative code, and the peak memory of every child so far stays under MAX_RSS_BYTES."""
    done = subprocess.run([sys.executable, "cli.py", *map(str, argv)], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode >= 0, f"killed by signal {-done.returncode}"
    assert "Traceback" not in done.stdout + done.stderr
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    assert peak < MAX_RSS_BYTES
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return done.returncode, lines[0]


# --- model files: arrays scikit-learn trusts ------------------------------------------------------------


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A real bundle of every landmark classifier (a small forest), trained on blobs, in one folder."""
    folder = tmp_path_factory.mktemp("trained")
    X, y = landmark_blobs(labels=("A", "B", "C"), per_label=8, seed=3)
    for name in ("rf", "svm", "knn", "logreg", "mlp"):
        pipeline = make(name)
        if name == "rf":
            pipeline.set_params(rf__n_estimators=3)
        save_bundle(Bundle(name, "landmarks", pipeline.fit(X, y), ["A", "B", "C"]), bundle_file(folder, name))
    return folder


def edited(trained, tmp_path, name, edit):
    """The bundle `name` of `trained` after `edit(pipeline)`, saved (and vouched for) in `tmp_path`."""
    data = read_model_file(bundle_file(trained, name))
    bundle = Bundle(**{k: v for k, v in data.items() if k != "format"})
    edit(bundle.pipeline)
    return save_bundle(bundle, bundle_file(tmp_path, name))


def first_tree(pipeline):
    return pipeline[-1].estimators_[0].tree_


def set_root(field, value):
    def edit(pipeline):
        getattr(first_tree(pipeline), field)[0] = value
    return edit


def cycle(pipeline):
    tree = first_tree(pipeline)
    inner = np.flatnonzero(tree.children_left != -1)
    tree.children_left[inner[-1]] = 0  # a later node pointing back at the root: traversal would never end


TREE_EDITS = {
    "child-out-of-range": set_root("children_left", 10**6),
    "negative-child": set_root("children_right", -5),
    "feature-past-count": set_root("feature", 10**6),
    "negative-feature": set_root("feature", -7),
    "child-cycle": cycle,
}


COMMANDS = {
    "predict": ["predict", "--model", "{model}", PHOTO],
    "export": ["export", "--model", "{model}", "--out", "{tmp}/m.onnx"],
    "live": ["live", "--model", "{model}", "--source", "{frames}", "--headless"],
    "evaluate": ["evaluate", "{data}", "--model", "{model}", "--workers", "1"],
}
# Every edit with predict, one with each other command: a process takes 10-20 s to start on a busy machine.
CASES = [(edit, "predict") for edit in TREE_EDITS] + [("feature-past-count", "export"), ("child-cycle", "live"),
                                                      ("negative-child", "evaluate")]


@pytest.mark.parametrize("edit, command", CASES, ids=[f"{e}-{c}" for e, c in CASES])
def test_a_forest_with_out_of_range_tree_arrays_is_refused_without_a_signal(trained, tmp_path, edit, command):
    model = edited(trained, tmp_path, "rf", TREE_EDITS[edit])
    frames = write_folder([to_frame(photo_of("signer000", 3))], tmp_path / "frames")
    data = copy_samples(tmp_path / "data", per_label=1, labels={"1"})
    argv = [str(a).format(model=model, tmp=tmp_path, frames=frames, data=data) for a in COMMANDS[command]]
    code, line = run_process(*argv)
    assert code == 1 and f"model {model} cannot be used: tree 0 " in line
    assert "retrain with `python cli.py train`" in line
    assert not (tmp_path / "m.onnx").exists()


def set_attribute(attribute, value, step=-1):
    def edit(pipeline):
        setattr(pipeline[step], attribute, value(getattr(pipeline[step], attribute)))
    return edit


ARRAY_EDITS = {
    "svm-support-counts": ("svm", set_attribute("_n_support", lambda n: n + np.int32(50)), "support vector counts"),
    "svm-dual-coef": ("svm", set_attribute("_dual_coef_", lambda c: c[:, :-1]), "SVC._dual_coef_ has shape"),
    "svm-precomputed": ("svm", set_attribute("kernel", lambda k: "precomputed"), "SVC kernel 'precomputed'"),
    "svm-intercepts": ("svm", set_attribute("_intercept_", lambda i: i[:1]), "SVC._intercept_ does not match"),
    "scaler-mean": ("svm", set_attribute("mean_", lambda m: m[:3], step=0), "StandardScaler.mean_ has shape"),
    "knn-fit-data": ("knn", set_attribute("_fit_X", lambda x: x[:, :5]), "KNeighborsClassifier._fit_X has shape"),
    "knn-label-index": ("knn", set_attribute("_y", lambda y: y + 7), "label index out of range"),
    "knn-kd-tree": ("knn", set_attribute("_fit_method", lambda m: "kd_tree"), "not a brute-force search"),
    "logreg-coef": ("logreg", set_attribute("coef_", lambda c: c[:2]), "LogisticRegression.coef_ has shape"),
    "mlp-layer": ("mlp", set_attribute("coefs_", lambda c: [c[0][:, :5], *c[1:]]), "MLPClassifier layer"),
    "forest-classes": ("rf", set_attribute("n_classes_", lambda n: 7), "outputs disagree with its labels"),
    "forest-n-jobs": ("rf", set_attribute("n_jobs", lambda n: 10**6), "RandomForestClassifier.n_jobs"),
    "repeated-class": ("logreg", set_attribute("classes_", lambda c: c[[0, 0, 2]]), "two or more distinct labels"),
}


@pytest.mark.parametrize("name, edit, message", ARRAY_EDITS.values(), ids=ARRAY_EDITS.keys())
def test_inconsistent_fitted_arrays_are_refused_in_one_line(trained, tmp_path, capsys, name, edit, message):
    model = edited(trained, tmp_path, name, edit)
    code, line = run(capsys, "export", "--model", model, "--out", tmp_path / "m.onnx")
    assert code == 1 and f"model {model} cannot be used: " in line and message in line
    assert not (tmp_path / "m.onnx").exists()


def test_every_saved_kind_passes_the_checks(trained, image_model):
    """The checks refuse nothing `train` saves (the motion ones: tests/motion/test_recognize.py)."""
    for name in ("rf", "svm", "knn", "logreg", "mlp"):
        assert load_bundle(bundle_file(trained, name)).name == name
    assert load_bundle(image_model).input == "image"


def test_an_orb_codebook_narrower_than_orb_descriptors_is_refused(tmp_path):
    paths, labels = sample_photos(per_label=2)
    pipeline = make("orb-bovw").set_params(bovw__n_words=8).fit(paths, labels)
    codebook = pipeline[0].codebook_
    codebook.cluster_centers_ = codebook.cluster_centers_[:, :16]
    model = save_bundle(Bundle("orb-bovw", "image", pipeline, ["0", "1", "2"]), tmp_path / "orb-bovw.skops")
    with pytest.raises(Exception, match=r"cannot be used: MiniBatchKMeans.cluster_centers_ has shape"):
        load_bundle(model)


@pytest.mark.parametrize("field, value, message", [
    ("detector", "mediapipe", "detector of the wrong type"),
    ("normalization", "v2", "normalization of the wrong type"),
    ("versions", "1.9.1", "versions of the wrong type"),
    ("pipeline", "svm", "a str pipeline is not one `train` saves"),
    ("labels", ["A", "B"], "lists labels that differ from its classifier's"),
    ("labels", "ABC", "labels of the wrong type"),
    ("input", "video", "its input, labels, normalization settings, temperature or channel are malformed"),
    ("temperature", "1.0", "temperature of the wrong type"),
    ("temperature", -1.0, "temperature or channel are malformed"),
], ids=["detector", "normalization", "versions", "pipeline", "short-labels", "labels-string", "input",
        "temperature-string", "negative-temperature"])
def test_model_metadata_of_the_wrong_type_is_refused(trained, tmp_path, capsys, field, value, message):
    bundle = load_bundle(bundle_file(trained, "logreg"))
    model = save_bundle(replace(bundle, **{field: value}), tmp_path / "logreg.skops")
    code, line = run(capsys, "predict", "--model", model, PHOTO)
    assert code == 1 and str(model) in line and message in line and "retrain" in line


# --- model files: what loading may unpack ---------------------------------------------------------------


def vouch(path):
    """A manifest listing `path` with its true hash, as the sender of a crafted file would ship."""
    (path.parent / MANIFEST).write_text(f'{{"{path.name}": "{file_sha256(path)}"}}', encoding="utf-8")
    return path


def bombed(source, target, member, size, compression):
    """`source` with its `member` replaced by `size` zero bytes, compressed (1 GB deflates to 5 MB)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", compression, compresslevel=1) as out:
        for info in original.infolist():
            if info.filename != member:
                out.writestr(info, original.read(info))
        with out.open(member, "w", force_zip64=True) as bomb:
            chunk = bytes(2**24)
            for _ in range(size // len(chunk)):
                bomb.write(chunk)
    return vouch(target)


@pytest.fixture(scope="module")
def bombs(trained, tmp_path_factory):
    """Real logreg model files with a zip bomb for a member: {(member, compression): path}."""
    source = bundle_file(trained, "logreg")
    npy = next(n for n in zipfile.ZipFile(source).namelist() if n.endswith(".npy"))
    made = {}
    for member, name in (("schema", "schema.json"), ("npy", npy)):
        for compression, size in (("deflate", 2**30), ("bzip2", 64 * 2**20)):
            folder = tmp_path_factory.mktemp(f"{member}-{compression}")
            kind = zipfile.ZIP_DEFLATED if compression == "deflate" else zipfile.ZIP_BZIP2
            made[member, compression] = bombed(source, folder / "logreg.skops", name, size, kind)
    return made


@pytest.mark.parametrize("member", ["schema", "npy"])
@pytest.mark.parametrize("compression", ["deflate", "bzip2"])
def test_a_zip_bomb_member_is_refused_from_the_directory(bombs, member, compression):
    model = bombs[member, compression]
    code, line = run_process("predict", "--model", model, PHOTO)
    assert code == 1 and f"model {model} is not loaded: " in line and "retrain" in line


def test_a_member_whose_listed_size_lies_is_cut_at_that_size(trained, tmp_path):
    """A deflated member listed as small but unpacking to 200 MB: zipfile stops at the listed size."""
    source = bundle_file(trained, "logreg")
    target = tmp_path / "logreg.skops"
    raw = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(raw, "w") as out:
        for info in original.infolist():
            if info.filename != "schema.json":
                out.writestr(info, original.read(info))
        out.writestr("schema.json", bytes(200 * 2**20), compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(raw.getvalue())
    size = (200 * 2**20).to_bytes(4, "little")
    assert data.count(size) == 2  # the local header and the directory entry
    target.write_bytes(bytes(data).replace(size, (1000).to_bytes(4, "little")))
    code, line = run_process("predict", "--model", vouch(target), PHOTO)
    assert code == 1 and ("is not loaded" in line or "cannot be read" in line)


@pytest.mark.parametrize("content", ['["logreg.skops"]', '{"logreg.skops": 5}', "{not json", "\x00\xff"],
                         ids=["list", "number-hash", "not-json", "binary"])
def test_a_damaged_manifest_is_named_and_rewritten_by_train(trained, tmp_path, capsys, content):
    model = tmp_path / "logreg.skops"
    model.write_bytes(bundle_file(trained, "logreg").read_bytes())
    (tmp_path / MANIFEST).write_bytes(content.encode("latin-1"))
    code, line = run(capsys, "predict", "--model", model, PHOTO)
    assert code == 1 and f"{tmp_path / MANIFEST} is damaged" in line and "retrain" in line
    save_bundle(load_bundle(bundle_file(trained, "logreg")), model)  # what train does: the manifest is rebuilt
    assert load_bundle(model).name == "logreg"


# --- files the project wrote, read back: sidecars, failures files, reports, journals ---------------------


def table_with(tmp_path, sidecar=None, failures=None):
    """A feature table `train` reads, with the sidecar text and failures file bytes given (None: none)."""
    table = write_feature_table(tmp_path / "features.csv", ["A", "B", "C"] * 4)
    if sidecar is not None:
        (tmp_path / "features.json").write_text(sidecar, encoding="utf-8")
    if failures is not None:
        (tmp_path / "features.failures.csv").write_bytes(failures)
    return table


@pytest.mark.parametrize("sidecar, problem", [
    ("[1, 2]", "a list, not a JSON object"),
    ('"features"', "a string, not a JSON object"),
    ('{"normalization": "v2"}', "its 'normalization' is a string"),
    ('{"detector": ["tasks"]}', "its 'detector' is a list"),
    ('{"normalization": {"name": 2}}', "its 'name' is a number"),
    ("{cut", "not JSON"),
    ("\udcff", "not UTF-8 text"),
], ids=["list", "string", "normalization-string", "detector-list", "name-number", "not-json", "not-utf8"])
def test_train_names_a_damaged_sidecar_and_the_fix(tmp_path, capsys, sidecar, problem):
    table = table_with(tmp_path, sidecar=None)
    (tmp_path / "features.json").write_bytes(sidecar.encode("utf-8", "surrogateescape"))
    code, line = run(capsys, "train", table, "--out", tmp_path / "models", "--folds", "2", "--classifiers", "logreg")
    assert code == 1 and f"{tmp_path / 'features.json'} is damaged ({problem}" in line
    assert "re-run `python cli.py extract`" in line and not (tmp_path / "models").exists()


@pytest.mark.parametrize("failures, problem", [
    (b"", "empty"),
    (bytes(range(256)) * 4, "not a CSV table"),
    (b"path,label,group,reason\nA/x.jpg,A,,no_hand,extra,more\n", "a line has more fields than the header"),
    (b"path,label,group,reason\nA/x.jpg,A,,no_hand\nA/y.jpg,A,,no_hand,extra\n", "not a CSV table"),
    (b"path,reason\nA/x.jpg,no_hand\n", "no 'label' column"),
], ids=["empty", "binary", "ragged", "ragged-line", "missing-columns"])
def test_train_names_a_damaged_failures_file(tmp_path, capsys, failures, problem):
    table = table_with(tmp_path, failures=failures)
    code, line = run(capsys, "train", table, "--out", tmp_path / "models", "--folds", "2", "--classifiers", "logreg")
    assert code == 1 and f"{tmp_path / 'features.failures.csv'} is damaged ({problem}" in line


def motion_table(tmp_path, drop=(), sidecar=None):
    """A table shaped like extract-motion's (without the columns in `drop`) and its sidecar."""
    rng = np.random.default_rng(0)
    columns = mf.feature_columns()
    rows = pd.DataFrame(rng.normal(size=(6, len(columns))), columns=columns)
    rows.insert(0, "moving", [True, False] * 3)
    for name, values in (("group", ["s1", "s2"] * 3), ("label", ["j", "i"] * 3), ("path", [f"c{n}" for n in range(6)])):
        rows.insert(0, name, values)
    rows.drop(columns=list(drop)).to_csv(tmp_path / "motion.csv", index=False)
    settings = {"steps": mf.DEFAULT_STEPS, "shape_at": list(mf.SHAPE_AT), "detector": {}}
    (tmp_path / "motion.json").write_text(json.dumps(sidecar or {"kind": "motion", "settings": settings}))
    return tmp_path / "motion.csv"


@pytest.mark.parametrize("drop, sidecar, problem", [
    (["moving"], None, "no 'moving' column"),
    ([], {"kind": "motion"}, "no 'settings' field"),
    ([], {"kind": "motion", "settings": {"steps": "10", "shape_at": []}}, "its 'steps' is a string"),
    ([], {"kind": "motion", "settings": []}, "its 'settings' is a list"),
], ids=["no-moving", "no-settings", "steps-string", "settings-list"])
def test_train_names_a_damaged_motion_table(tmp_path, capsys, drop, sidecar, problem):
    table = motion_table(tmp_path, drop, sidecar)
    code, line = run(capsys, "train", table, "--out", tmp_path / "models", "--folds", "2")
    assert code == 1 and " is damaged (" + problem in line and "extract-motion" in line


@pytest.mark.parametrize("report, problem", [
    (b"", "empty"),
    (b"\x00\xff\xfe garbage", "no 'classifier' column"),
    (b"classifier,input\nlogreg,landmarks\n", "no 'end_to_end_accuracy' column"),
    (b"classifier,input,end_to_end_accuracy\nlogreg,landmarks,high\n", "its 'end_to_end_accuracy' column holds values"),
], ids=["empty", "garbage", "missing-column", "not-a-number"])
def test_a_damaged_train_report_is_named(trained, tmp_path, capsys, report, problem):
    models = tmp_path / "models"
    models.mkdir()
    for name in ("logreg.skops", MANIFEST):
        (models / name).write_bytes((trained / name).read_bytes())
    ranking_file(models, LANDMARK).parent.mkdir(parents=True, exist_ok=True)
    ranking_file(models, LANDMARK).write_bytes(report)
    code, line = run(capsys, "predict", "--model", models, PHOTO)
    assert code == 1 and f"{ranking_file(models, LANDMARK)} is damaged ({problem}" in line and "retrain" in line


# --- the extraction journal ----------------------------------------------------------------------------------


def good_row(path="1/a.jpg"):
    return {name: (0 if types is int else "x" if types is str else 0.5)
            for name, types in RECORD_FIELDS["row"].items()} | {"path": path}


@pytest.mark.parametrize("kind, text, problem", [
    ("row", "{cut", "not JSON"),
    ("row", "[1, 2]", "not a record of that image"),
    ("row", json.dumps(good_row("other.jpg")), "not a record of that image"),
    ("photo", json.dumps(good_row("1/b.jpg")), "unknown kind 'photo'"),
    ("row", json.dumps({k: v for k, v in good_row("1/b.jpg").items() if k != "score"}), "field 'score' missing"),
    ("row", json.dumps(good_row("1/b.jpg") | {"file_size": "12"}), "field 'file_size' missing or of the wrong type"),
], ids=["not-json", "list", "other-path", "unknown-kind", "missing-field", "string-size"])
def test_damaged_journal_entries_are_named_and_the_good_ones_kept(tmp_path, kind, text, problem):
    journal = Journal(tmp_path / "f.journal.sqlite", {"detector": 1}, RECORD_FIELDS)
    journal.add("row", good_row())
    journal._db.execute("INSERT INTO results VALUES (?, ?, ?)", ("1/b.jpg", kind, text))
    assert list(journal.entries()) == ["1/a.jpg"]
    assert "has 1 damaged entry" in journal.note and problem in journal.note and "done again" in journal.note


def test_a_journal_of_another_schema_is_started_afresh(tmp_path):
    path = tmp_path / "f.journal.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE results (path TEXT, data BLOB)")
        db.execute("INSERT INTO results VALUES ('1/a.jpg', x'00')")
    journal = Journal(path, {"detector": 1}, RECORD_FIELDS)
    assert journal.entries() == {} and "is damaged" in journal.note and "starting it afresh" in journal.note


def test_extract_with_a_folder_where_its_journal_goes_says_so(tmp_path, capsys):
    root = copy_samples(tmp_path / "d", per_label=1, labels={"1"})
    (tmp_path / "f.journal.sqlite").mkdir()
    code, line = run(capsys, "extract", root, "--out", tmp_path / "f.csv", "--workers", "1")
    assert code == 1 and f"the journal {tmp_path / 'f.journal.sqlite'} is a folder" in line


def test_a_sequences_file_holding_pickled_objects_is_named_and_not_unpickled(tmp_path):
    """extract-motion's earlier sequences: numpy never unpickles them (allow_pickle=False), so a pickled
    object (which could run code) makes the earlier run's outputs damaged, rebuilt from the clips."""
    out = tmp_path / "m.csv"
    row = {**dict.fromkeys(motion_extract.ROW_COLUMNS, 1), "path": "J/a", "label": "J", "group": "",
           "handedness": "Right", "moving": True, **dict.fromkeys(mf.feature_columns(), 0.5)}
    pd.DataFrame([row]).to_csv(out, index=False)
    (tmp_path / "m.json").write_text(json.dumps({"kind": "motion", "settings": {"x": 1}}))
    marker = tmp_path / "ran"
    np.savez(motion_extract.sequences_path(out), clip0=np.array([MarkerOnLoad(marker)], dtype=object))
    done, note = motion_extract.earlier_clips(out, {"x": 1})
    assert done == {} and f"{motion_extract.sequences_path(out)} cannot be read" in note and "rebuilding" in note
    assert not marker.exists()


@pytest.mark.parametrize("settings, message", [
    ({}, None),
    ({"steps": 5}, "has motion settings that do not match its classifier"),
    ({"steps": "ten"}, "has motion settings that do not match its classifier"),
    ({"motion_labels": None}, "has motion settings that do not match its classifier"),
], ids=["as-trained", "other-steps", "steps-string", "no-motion-labels"])
def test_motion_settings_must_match_the_classifier(tmp_path, settings, message):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, mf.feature_length())).astype(np.float32)
    pipeline = MOTION_REGISTRY["motion-logreg"].factory().fit(X, ["j", "z", "i"] * 4)
    trained = {"steps": mf.DEFAULT_STEPS, "shape_at": list(mf.SHAPE_AT), "motion_labels": ["j", "z"], "detector": {}}
    bundle = Bundle("motion-logreg", "motion", pipeline, ["i", "j", "z"],
                    normalization={"name": mf.NAME, "settings": {**trained, **settings}})
    path = save_bundle(bundle, tmp_path / "motion-logreg.skops")
    if message is None:
        assert load_motion_model(path).name == "motion-logreg"
    else:
        with pytest.raises(UserError, match=message):
            load_motion_model(path)
