"""`export --format onnx`: a landmark model as one ONNX graph, raw MediaPipe landmarks in, probabilities out.

The graph is the normalization (`inference/onnx_normalize.py`) followed by the scikit-learn pipeline
converted by skl2onnx; labels and settings go into the model's metadata, so an app needs only
MediaPipe and an ONNX runtime.
"""
import json
import warnings
from pathlib import Path

from classifiers.bundle import load_bundle
from classifiers.model_path import resolve_model
from classifiers.models_folder import LANDMARK
from landmarks.errors import UserError
from landmarks.files import atomic_path, check_writable_file

LABEL_OUTPUT, PROBABILITIES_OUTPUT = "label", "probabilities"
ONNX_START = b"\x08"  # a serialized ModelProto opens with its ir_version field: never replace another file
NEEDS = "ONNX export needs skl2onnx and onnxruntime: pip install -r requirements.txt"


def _onnx():
    try:
        import onnx
        import onnx.version_converter  # noqa: F401 -- used as onnx.version_converter
        from onnx import compose, helper
        from skl2onnx import convert_sklearn
        from skl2onnx.common.data_types import FloatTensorType
    except ImportError:
        raise UserError(NEEDS) from None
    return onnx, compose, helper, convert_sklearn, FloatTensorType


def classifier_model(pipeline, opset):
    """The fitted pipeline as an ONNX model: `features` (N, width) -> `label` (N,), `probabilities` (N, C)."""
    onnx, _, _, convert_sklearn, FloatTensorType = _onnx()
    options = {id(pipeline.steps[-1][1]): {"zipmap": False}}
    with warnings.catch_warnings():  # skl2onnx reads SVC's probA_/probB_, deprecated with probability=True
        warnings.filterwarnings("ignore", category=FutureWarning)
        width = int(pipeline.n_features_in_)
        model = convert_sklearn(pipeline, initial_types=[("features", FloatTensorType([None, width]))],
                                options=options, target_opset={"": opset, "ai.onnx.ml": 3})
    _unnegate_knn_distances(model)
    made = [o.name for o in model.graph.output]
    for source, target in zip(made, (LABEL_OUTPUT, PROBABILITIES_OUTPUT)):  # documented names for apps
        if source != target:
            model.graph.node.append(onnx.helper.make_node("Identity", [source], [target]))
    for output, target in zip(model.graph.output, (LABEL_OUTPUT, PROBABILITIES_OUTPUT)):
        output.name = target
    return model


def _unnegate_knn_distances(model):
    """skl2onnx 1.20 multiplies the TopK distances of a KNN by -1, so weights="distance" turns into uniform
    weights (1/max(-d, 1e-6) is the same for every neighbour). Drop that Mul: the agreement test checks it."""
    from onnx import helper, numpy_helper

    constants = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    distances = {node.output[0] for node in model.graph.node if node.op_type == "TopK"}
    for index, node in enumerate(model.graph.node):
        if (node.op_type == "Mul" and node.input[0] in distances and node.input[1] in constants
                and constants[node.input[1]].size == 1 and float(constants[node.input[1]].ravel()[0]) == -1.0):
            model.graph.node[index].CopyFrom(helper.make_node("Identity", [node.input[0]], list(node.output)))
    used = {name for node in model.graph.node for name in node.input}
    unused = [i for i in model.graph.initializer if i.name not in used]
    for initializer in unused:
        model.graph.initializer.remove(initializer)


def build_model(bundle):
    """The whole ONNX ModelProto for a landmark Bundle."""
    onnx, compose, helper, _, _ = _onnx()
    from inference.onnx_normalize import FEATURES, OPSET, normalization_graph

    classifier = classifier_model(bundle.pipeline, OPSET)
    if _opset(classifier) != OPSET:  # skl2onnx records the lowest opset its nodes need
        classifier = onnx.version_converter.convert_version(classifier, OPSET)
    opsets = {o.domain: o.version for o in classifier.opset_import}
    normalize = helper.make_model(normalization_graph(bundle.normalization["settings"]),
                                  opset_imports=[helper.make_opsetid(d, v) for d, v in opsets.items()],
                                  ir_version=classifier.ir_version)
    merged = compose.merge_models(normalize, classifier, io_map=[(FEATURES, "features")],
                                  producer_name="handsign")  # no name clashes: normalization's are norm_*
    onnx.helper.set_model_props(merged, metadata(bundle))
    onnx.checker.check_model(merged)
    return merged


def _opset(model):
    return next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))


def metadata(bundle):
    return {"labels": json.dumps(list(bundle.labels), ensure_ascii=False),
            "classifier": bundle.name,
            "normalization": json.dumps(bundle.normalization, ensure_ascii=False),
            "detector": json.dumps(bundle.detector or {}, ensure_ascii=False),
            "inputs": "landmarks (N,21,3) float32 as MediaPipe gives them (x/width, y/height, z); "
                      "image_size (N,2) float32 width, height in pixels; is_left (N,) float32 1 for a left hand",
            "outputs": "label (N,); probabilities (N, len(labels)) in the order of `labels`",
            "metrics": json.dumps(bundle.metrics)}


def export(options):
    """Write the ONNX file for the landmark model ExportOptions `options` name; returns a one-line summary."""
    _onnx()  # a missing package is said before any work
    model_path, out = resolve_model(options.model, LANDMARK), options.out
    check_writable_file(out, starts_with=ONNX_START)
    bundle = load_bundle(model_path)
    if bundle.input != "landmarks":
        raise UserError(f"model {model_path} ({bundle.name}) reads whole images, so it cannot be exported: "
                        "only landmark models (svm, knn, logreg, rf, mlp) go to ONNX")
    try:
        model = build_model(bundle)
    except Exception as error:  # noqa: BLE001 -- skl2onnx raises many types for what it cannot convert
        raise UserError(f"model {model_path} ({bundle.name}) cannot be converted to ONNX ({error})") from None
    with atomic_path(out) as temp:
        temp.write_bytes(model.SerializeToString())
    return f"export: {bundle.name} ({len(bundle.labels)} labels) -> {out} ({Path(out).stat().st_size} bytes)"
