import json

import numpy as np
import pytest
import sklearn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifiers.bundle import FORMAT, MANIFEST, Bundle, BundleError, file_sha256, load_bundle, save_bundle
from classifiers.model_file import write_model_file
from classifiers.registry import make
from landmarks import normalize as norm
from landmarks.errors import UserError
from tests.classifiers.helpers import landmark_blobs, single_threaded_math  # noqa: F401 (autouse)

METRICS = {"accuracy": 0.75, "end_to_end_accuracy": 0.5, "macro_f1": 0.7, "folds": 3}


@pytest.fixture(scope="module")
def data():
    return landmark_blobs(labels=("Ә", "B", "C"), per_label=6, seed=5)


@pytest.fixture(scope="module")
def fitted(data):
    return make("logreg").fit(*data)


def new_bundle(pipeline, **changes):
    return Bundle(**{"name": "logreg", "input": "landmarks", "pipeline": pipeline,
                     "labels": [str(c) for c in pipeline.classes_], "metrics": dict(METRICS),
                     "table_sha256": "ab" * 32, **changes})


@pytest.fixture
def saved(tmp_path, fitted):
    return save_bundle(new_bundle(fitted), tmp_path / "logreg.skops")


def test_round_trip_keeps_predictions_labels_and_metrics(saved, fitted, data):
    X, _ = data
    loaded = load_bundle(saved)
    assert np.array_equal(loaded.pipeline.predict(X), fitted.predict(X))
    np.testing.assert_allclose(loaded.pipeline.predict_proba(X), fitted.predict_proba(X))
    assert loaded.labels == ["B", "C", "Ә"] == list(loaded.pipeline.classes_)
    assert loaded.metrics == METRICS and loaded.table_sha256 == "ab" * 32
    assert (loaded.name, loaded.input) == ("logreg", "landmarks")
    assert loaded.normalization == {"name": norm.NAME, "settings": norm.DEFAULT_SETTINGS}
    assert loaded.versions["scikit-learn"] == sklearn.__version__


def test_manifest_records_every_saved_model(tmp_path, fitted):
    first = save_bundle(new_bundle(fitted), tmp_path / "a.skops")
    second = save_bundle(new_bundle(fitted, name="b"), tmp_path / "b.skops")
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest) == ["a.skops", "b.skops"]
    assert load_bundle(first).name == "logreg" and load_bundle(second).name == "b"
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*"))


def test_bundle_error_is_a_user_error():
    assert issubclass(BundleError, UserError)


def test_a_flipped_byte_is_refused(saved):
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0xFF
    saved.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="does not match its SHA-256"):
        load_bundle(saved)


def test_a_file_missing_from_the_manifest_is_refused(saved, tmp_path):
    copy = tmp_path / "copied.skops"
    copy.write_bytes(saved.read_bytes())
    with pytest.raises(BundleError, match="is not listed in .*manifest.json; refusing to load"):
        load_bundle(copy)


def test_a_folder_without_manifest_is_refused(saved):
    (saved.parent / MANIFEST).unlink()
    with pytest.raises(BundleError, match="is not listed in"):
        load_bundle(saved)


def test_a_missing_model_names_train(tmp_path):
    with pytest.raises(BundleError, match="not found; run `python cli.py train` first"):
        load_bundle(tmp_path / "svm.skops")


def write_listed(folder, name, payload):
    """Write `payload` as a model file and vouch for it in the manifest, as a careless user might."""
    path = folder / name
    write_model_file(payload, path)
    (folder / MANIFEST).write_text(json.dumps({name: file_sha256(path)}), encoding="utf-8")
    return path


@pytest.mark.parametrize("payload", [{"pipeline": "x", "labels": ["A"]}, {"format": "other/1"}, ["not", "a", "dict"]],
                         ids=["plain-dict", "other-format", "list"])
def test_a_foreign_file_is_refused(tmp_path, payload):
    with pytest.raises(BundleError, match="is not a model bundle"):
        load_bundle(write_listed(tmp_path, "foreign.skops", payload))


@pytest.mark.parametrize("payload", [{"format": FORMAT, "name": "svm"},
                                     {"format": FORMAT, "name": "svm", "input": "landmarks", "pipeline": None,
                                      "labels": ["A"], "added_later": 1}],
                         ids=["fields-missing", "unknown-field"])
def test_a_bundle_of_another_program_version_asks_to_retrain(tmp_path, payload):
    with pytest.raises(BundleError, match="not a model bundle this version can read; retrain"):
        load_bundle(write_listed(tmp_path, "svm.skops", payload))


@pytest.mark.parametrize("content, message", [
    (b"hello", "is not a model file this program writes; retrain"),
    (b"PK\x03\x04" + b"\x00" * 40, "is not a model file this program writes; retrain"),
], ids=["text", "zip-header-only"])
def test_a_listed_file_that_is_not_a_model_file_is_refused(tmp_path, content, message):
    path = tmp_path / "text.skops"
    path.write_bytes(content)
    (tmp_path / MANIFEST).write_text(json.dumps({path.name: file_sha256(path)}), encoding="utf-8")
    with pytest.raises(BundleError, match=message):
        load_bundle(path)


def test_another_scikit_learn_version_asks_to_retrain(tmp_path, fitted):
    path = save_bundle(new_bundle(fitted, versions={"scikit-learn": "0.24.2"}), tmp_path / "old.skops")
    with pytest.raises(BundleError, match=f"trained with scikit-learn 0.24.2, this is {sklearn.__version__}; retrain"):
        load_bundle(path)


def test_another_normalization_asks_to_re_extract(tmp_path, fitted):
    old = {"name": "old_norm_v0", "settings": {}}
    path = save_bundle(new_bundle(fitted, normalization=old), tmp_path / "n.skops")
    with pytest.raises(BundleError, match="normalization 'old_norm_v0'.*re-run `python cli.py extract`"):
        load_bundle(path)


def test_image_models_do_not_care_about_normalization(tmp_path, fitted):
    path = save_bundle(new_bundle(fitted, input="image", normalization={"name": "none"}), tmp_path / "i.skops")
    assert load_bundle(path).input == "image"



@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8).map(lambda value: json.dumps(value).encode()))
def test_a_manifest_loads_the_model_or_is_named_damaged(saved, data):
    """Whatever a manifest holds: the model, or one BundleError naming the manifest or the model."""
    (saved.parent / MANIFEST).write_bytes(data)
    with pytest.raises(BundleError, match=rf"{saved.parent / MANIFEST} is damaged|is not listed in|does not match"):
        load_bundle(saved)


def test_the_reading_channel_is_kept(tmp_path, fitted):
    channel = [[0.9, 0.1, 0.0], [0.0, 1.0, 0.0], [0.2, 0.0, 0.8]]
    path = save_bundle(new_bundle(fitted, channel=channel), tmp_path / "c.skops")
    assert load_bundle(path).channel == channel


@pytest.mark.parametrize("channel", [[[1.0, 0.0], [0.0, 1.0]], [[0.5, 0.0, 0.0], [0, 1, 0], [0, 0, 1]],
                                     [[-0.5, 1.5, 0.0], [0, 1, 0], [0, 0, 1]], [["a", 1, 0], [0, 1, 0], [0, 0, 1]]],
                         ids=["wrong-shape", "row-not-one", "negative", "not-numbers"])
def test_a_malformed_reading_channel_is_refused(tmp_path, fitted, channel):
    path = save_bundle(new_bundle(fitted, channel=channel), tmp_path / "c.skops")
    with pytest.raises(BundleError, match="temperature or channel are malformed"):
        load_bundle(path)
