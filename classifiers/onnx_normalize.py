"""`landmarks/normalize.py` as ONNX nodes, from small composable helpers, so an app needs no numpy copy.

Each helper appends nodes to a `GraphBuilder` and returns the name of its output tensor; features
computed from the normalized points (distances, angles) can be added with the same helpers.
"""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

from landmarks.points import HandPoint

OPSET = 17
RAW_INPUT, SIZE_INPUT, LEFT_INPUT = "landmarks", "image_size", "is_left"
FEATURES = "features"


class GraphBuilder:
    """Nodes and constants of one graph, with fresh tensor names."""

    def __init__(self):
        self.nodes, self.initializers = [], []
        self._count = 0

    def name(self, hint):
        self._count += 1
        return f"norm_{hint}_{self._count}"

    def const(self, value, hint="const", dtype=np.float32):
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def op(self, op_type, inputs, hint=None, **attributes):
        output = self.name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [output], **attributes))
        return output


def take(g, tensor, indices, axis):
    """tensor[..., indices, ...] along `axis`; keeps the axis (indices is a list)."""
    return g.op("Gather", [tensor, g.const(indices, "idx", np.int64)], "take", axis=axis)


def sub(g, a, b):
    return g.op("Sub", [a, b])


def mul(g, a, b):
    return g.op("Mul", [a, b])


def div(g, a, b):
    return g.op("Div", [a, b])


def norm_xy(g, points):
    """(N, K, 3) -> (N, K, 1): length of each point's x, y part, like numpy's float32 `hypot`.

    Summed in float64 and rounded once, so it matches `hypot` to the last bit nearly always."""
    xy = g.op("Cast", [take(g, points, [0, 1], axis=2)], to=TensorProto.DOUBLE)
    length = g.op("Sqrt", [g.op("ReduceSum", [mul(g, xy, xy), g.const([2], "axes", np.int64)], keepdims=1)])
    return g.op("Cast", [length], to=TensorProto.FLOAT)


def axis_factors(g, sizes, is_left, mirror_left):
    """(N, 1, 3) per-axis factors: x by width (negated for left hands if mirroring), y by height, z by width."""
    width, height = take(g, sizes, [0], axis=1), take(g, sizes, [1], axis=1)  # (N, 1) each
    x_factor = width
    if mirror_left:  # 1 - 2 * is_left: -1 for left hands
        sign = sub(g, g.const(1.0), mul(g, g.const(2.0), g.op("Unsqueeze", [is_left, g.const([1], "axes", np.int64)])))
        x_factor = mul(g, width, sign)
    factors = g.op("Concat", [x_factor, height, width], axis=1)
    return g.op("Unsqueeze", [factors, g.const([1], "axes", np.int64)])


def normalized_points(g, raw, sizes, is_left, mirror_left=True, scale="wrist_to_middle_mcp_xy"):
    """(N, 21, 3) raw MediaPipe landmarks -> (N, 21, 3) as `landmarks.normalize.normalize` returns them."""
    if scale != "wrist_to_middle_mcp_xy":
        raise ValueError(f"unknown normalization scale {scale!r}; use 'wrist_to_middle_mcp_xy'")
    wrist = take(g, raw, [int(HandPoint.WRIST)], axis=1)
    centered = mul(g, sub(g, raw, wrist), axis_factors(g, sizes, is_left, mirror_left))
    palm = norm_xy(g, take(g, centered, [int(HandPoint.MIDDLE_FINGER_MCP)], axis=1))  # (N, 1, 1)
    tiny = g.op("LessOrEqual", [palm, g.const(1e-6)])
    palm = g.op("Where", [tiny, g.const(1.0), palm])
    return div(g, centered, palm)


def flatten(g, points):
    """(N, 21, 3) -> (N, 63), as `flat_features` does."""
    return g.op("Reshape", [points, g.const([-1, 63], "shape", np.int64)], "flat")


def normalization_graph(settings, features=flatten, width=63):
    """An ONNX graph: RAW_INPUT (N, 21, 3), SIZE_INPUT (N, 2) width, height in pixels, LEFT_INPUT (N,)
    1.0 for a left hand -> FEATURES (N, width), all float32.

    `features(g, points)` turns the normalized (N, 21, 3) points into the (N, width) feature matrix."""
    g = GraphBuilder()
    flat = features(g, normalized_points(g, RAW_INPUT, SIZE_INPUT, LEFT_INPUT, **settings))
    g.nodes.append(helper.make_node("Identity", [flat], [FEATURES]))
    inputs = [helper.make_tensor_value_info(RAW_INPUT, TensorProto.FLOAT, ["N", 21, 3]),
              helper.make_tensor_value_info(SIZE_INPUT, TensorProto.FLOAT, ["N", 2]),
              helper.make_tensor_value_info(LEFT_INPUT, TensorProto.FLOAT, ["N"])]
    outputs = [helper.make_tensor_value_info(FEATURES, TensorProto.FLOAT, ["N", width])]
    return helper.make_graph(g.nodes, "handsign_normalize", inputs, outputs, g.initializers)
