"""Model files cannot run code: pickles are never read, skops files naming foreign types are refused."""
import io
import json
import pickle
import zipfile

import joblib
import numpy as np
import pytest
import skops.io as sio

from classifiers.bundle import FORMAT, MANIFEST, Bundle, BundleError, file_sha256, load_bundle, save_bundle
from classifiers.model_file import ModelFileError, read_model_file, write_model_file
from classifiers.registry import make
from tests.classifiers.helpers import landmark_blobs, single_threaded_math  # noqa: F401 (autouse)


class MarkerOnLoad:
    """Unpickling this object creates the file `marker`: what a hostile model file would do."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def vouch(path):
    """A manifest that lists `path` with its true hash, as the sender of a hostile file would ship."""
    (path.parent / MANIFEST).write_text(json.dumps({path.name: file_sha256(path)}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fitted():
    return make("logreg").fit(*landmark_blobs(labels=("A", "B"), per_label=5, seed=2))


def test_the_marker_payload_really_runs_code_when_unpickled(tmp_path):
    """Proves the refusal tests below test something: unpickling this payload creates its marker."""
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(MarkerOnLoad(marker)))
    assert marker.exists()


@pytest.mark.parametrize("dump", [
    lambda payload, path: path.write_bytes(pickle.dumps(payload)),
    lambda payload, path: joblib.dump(payload, path),
    lambda payload, path: path.write_bytes(pickle.dumps(payload, protocol=0)),
], ids=["pickle", "joblib", "pickle-protocol-0"])
def test_a_vouched_pickle_never_runs(tmp_path, fitted, dump):
    marker = tmp_path / "ran"
    # Hidden inside an otherwise real old-format bundle, so loading it would "work" and exit 0.
    payload = {"format": "handsign-bundle/1", "name": "svm", "input": "landmarks", "pipeline": fitted,
               "labels": ["A", "B"], "hidden": MarkerOnLoad(marker)}
    path = tmp_path / "svm.skops"
    dump(payload, path)
    with pytest.raises(BundleError, match=r"old pickle \(joblib\) model.*retrain with `python cli.py train`"):
        load_bundle(vouch(path))
    assert not marker.exists()


def crafted(data, replace):
    """`data` as a skops archive whose schema has each (old, new) of `replace` applied."""
    source = zipfile.ZipFile(io.BytesIO(sio.dumps(data)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "schema.json":
                for old, new in replace:
                    assert old.encode() in content
                    content = content.replace(old.encode(), new.encode())
            target.writestr(name, content)
    return out.getvalue()


def test_a_skops_file_naming_a_foreign_type_is_refused_naming_it(tmp_path, fitted):
    data = {"format": FORMAT, "name": "logreg", "input": "landmarks", "pipeline": fitted, "labels": ["A", "B"]}
    path = tmp_path / "logreg.skops"
    path.write_bytes(crafted(data, [('"LogisticRegression"', '"system"'),
                                    ('"sklearn.linear_model._logistic"', '"os"')]))
    with pytest.raises(BundleError, match=r"names os\.system, a type this program never saves, so it is not loaded"):
        load_bundle(vouch(path))


class NotAllowed:
    pass


def test_an_object_of_an_unlisted_class_is_refused(tmp_path):
    path = tmp_path / "x.skops"
    write_model_file({"thing": NotAllowed()}, path)
    with pytest.raises(ModelFileError, match=r"names tests\.classifiers\.test_model_file\.NotAllowed, a type"):
        read_model_file(path)


@pytest.mark.parametrize("name", ["svm", "knn", "logreg", "rf", "mlp"])
def test_every_landmark_classifier_round_trips(tmp_path, name):
    X, y = landmark_blobs(labels=("A", "B", "C"), per_label=6, seed=4)
    pipeline = make(name).fit(X, y)
    path = save_bundle(Bundle(name, "landmarks", pipeline, ["A", "B", "C"]), tmp_path / f"{name}.skops")
    np.testing.assert_allclose(load_bundle(path).pipeline.predict_proba(X), pipeline.predict_proba(X))


@pytest.mark.parametrize("name", ["hog-svm", "orb-bovw"])
def test_image_baselines_round_trip(tmp_path, samples_dir, name):
    paths = np.array(sorted(str(p) for p in samples_dir.glob("[0-2]/*.JPG")), dtype=object)
    labels = np.array([p.split("/")[-2] for p in paths])
    pipeline = make(name)
    if name == "orb-bovw":
        pipeline.set_params(bovw__n_words=20)
    pipeline.fit(paths, labels)
    path = save_bundle(Bundle(name, "image", pipeline, ["0", "1", "2"]), tmp_path / f"{name}.skops")
    assert list(load_bundle(path).pipeline.predict(paths[:6])) == list(pipeline.predict(paths[:6]))

