"""`export --format onnx`: the graph agrees with the scikit-learn pipeline on a real table."""
import json

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import helper

import cli
from classifiers.bundle import bundle_file, load_bundle
from classifiers.dataset import load_dataset
from inference.onnx_normalize import OPSET, normalization_graph
from landmarks.normalize import DEFAULT_SETTINGS, flat_features
from landmarks.points import RAW_COLUMNS
from tests.classifiers.fixtures import LANDMARK_MODELS
from tests.classifiers.helpers import single_threaded_math  # noqa: F401 -- autouse fixture


def session(model):
    return onnxruntime.InferenceSession(model.SerializeToString() if hasattr(model, "SerializeToString")
                                        else str(model), providers=["CPUExecutionProvider"])


def raw_inputs(table):
    """The exported graph's inputs from a feature table's raw columns, as MediaPipe gave them."""
    rows = table.rows
    return {"landmarks": rows[RAW_COLUMNS].to_numpy(np.float32).reshape(-1, 21, 3),
            "image_size": rows[["image_width", "image_height"]].to_numpy(np.float32),
            "is_left": rows["handedness"].eq("Left").to_numpy(np.float32)}


@pytest.mark.parametrize("settings", [DEFAULT_SETTINGS, {**DEFAULT_SETTINGS, "mirror_left": False}],
                         ids=["mirror", "no-mirror"])
def test_normalization_graph_is_the_numpy_function(settings):
    rng = np.random.default_rng(3)
    marks = rng.uniform(0, 1, (40, 21, 3)).astype(np.float32)
    marks[5] = marks[5, 0]  # every point on the wrist: zero palm length
    sizes = rng.uniform(100, 1000, (40, 2)).astype(np.float32)
    left = rng.uniform(size=40) < 0.5
    model = helper.make_model(normalization_graph(settings), ir_version=9,
                              opset_imports=[helper.make_opsetid("", OPSET)])
    got = session(model).run(None, {"landmarks": marks, "image_size": sizes, "is_left": left.astype(np.float32)})[0]
    np.testing.assert_allclose(got, flat_features(marks, sizes, left, settings), rtol=0, atol=1e-6)


@pytest.fixture(scope="module")
def exported(held_out, tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx")
    for name in LANDMARK_MODELS:
        assert cli.main(["export", "--model", str(bundle_file(held_out.models, name)), "--format", "onnx",
                         "--out", str(folder / f"{name}.onnx")]) == 0
    return folder


@pytest.mark.parametrize("name", LANDMARK_MODELS)
def test_onnx_agrees_with_the_pipeline_on_new_signers(held_out, exported, name):
    table = load_dataset(held_out.test_table)
    inputs = raw_inputs(table)
    labels, probabilities = session(exported / f"{name}.onnx").run(None, inputs)
    pipeline = load_bundle(bundle_file(held_out.models, name)).pipeline
    features = flat_features(inputs["landmarks"], inputs["image_size"], inputs["is_left"].astype(bool))
    assert len(labels) == len(table.rows) == 50
    assert labels.tolist() == pipeline.predict(features).tolist()
    np.testing.assert_allclose(probabilities, pipeline.predict_proba(features), rtol=0, atol=1e-5)


def test_metadata_names_labels_and_settings(held_out, exported):
    bundle = load_bundle(bundle_file(held_out.models, "svm"))
    meta = {p.key: p.value for p in onnx.load(exported / "svm.onnx").metadata_props}
    assert json.loads(meta["labels"]) == bundle.labels == [str(d) for d in range(10)]
    assert json.loads(meta["normalization"]) == bundle.normalization
    assert json.loads(meta["detector"])["hand_model"] == "full"
    assert [i.name for i in session(exported / "svm.onnx").get_inputs()] == ["landmarks", "image_size", "is_left"]


def test_image_models_cannot_be_exported(image_model, tmp_path, capsys):
    assert cli.main(["export", "--model", str(image_model), "--out", str(tmp_path / "m.onnx")]) == 1
    err = capsys.readouterr().err
    assert "reads whole images, so it cannot be exported" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "m.onnx").exists()
