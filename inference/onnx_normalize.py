"""`landmarks/normalize.py`'s `hand_features` as ONNX nodes, so an app needs no numpy copy.

Each helper appends nodes to a `GraphBuilder` and returns the name of its output tensor; the constant
tables (which bones, which angles, which distances) are the numpy function's own.
"""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

from landmarks import normalize as norm
from landmarks.points import FEATURE_COLUMNS

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


def axis_factors(g, sizes, is_left, mirror_left):
    """(N, 1, 3) per-axis factors: x by width (negated for left hands if mirroring), y by height, z by width."""
    width, height = take(g, sizes, [0], axis=1), take(g, sizes, [1], axis=1)  # (N, 1) each
    x_factor = width
    if mirror_left:  # 1 - 2 * is_left: -1 for left hands
        sign = sub(g, g.const(1.0), mul(g, g.const(2.0), g.op("Unsqueeze", [is_left, g.const([1], "axes", np.int64)])))
        x_factor = mul(g, width, sign)
    factors = g.op("Concat", [x_factor, height, width], axis=1)
    return g.op("Unsqueeze", [factors, g.const([1], "axes", np.int64)])


def to_pixels(g, raw, sizes, is_left, mirror_left=True):
    """(N, 21, 3) raw MediaPipe landmarks -> pixels, left hands mirrored: `normalize.to_pixels`."""
    return mul(g, raw, axis_factors(g, sizes, is_left, mirror_left))


def dot(g, a, b):
    """Sum of a * b over the last axis, which is dropped."""
    return g.op("ReduceSum", [mul(g, a, b), g.const([-1], "axes", np.int64)], keepdims=0)


def at_least_eps(g, tensor):
    return g.op("Max", [tensor, g.const(norm.EPS)])


def unit(g, vectors):
    """v / max(|v|, EPS) along the last axis."""
    length = g.op("Sqrt", [dot(g, vectors, vectors)])
    return div(g, vectors, g.op("Unsqueeze", [at_least_eps(g, length), g.const([-1], "axes", np.int64)]))


def cross(g, a, b):
    return sub(g, mul(g, take(g, a, norm._ROLL1.tolist(), -1), take(g, b, norm._ROLL2.tolist(), -1)),
               mul(g, take(g, a, norm._ROLL2.tolist(), -1), take(g, b, norm._ROLL1.tolist(), -1)))


def rows(g, tensor, count):
    """(N, 1, count) or (N, count) -> (N, count)."""
    return g.op("Reshape", [tensor, g.const([-1, count], "shape", np.int64)])


def hand_features(g, raw, sizes, is_left, mirror_left=True):
    """`landmarks.normalize.hand_features` node for node: (N, 21, 3) raw landmarks -> (N, 54)."""
    p = to_pixels(g, raw, sizes, is_left, mirror_left)
    vectors = g.op("MatMul", [g.const(norm._DIFFERENCES, "differences"), p])  # (N, 46, 3)
    lengths = g.op("Sqrt", [dot(g, vectors, vectors)])  # (N, 46)
    bones = list(range(norm._N_BONES))
    directions = div(g, take(g, vectors, bones, 1),
                     g.op("Unsqueeze", [at_least_eps(g, take(g, lengths, bones, 1)), g.const([-1], "axes", np.int64)]))
    cosines = dot(g, take(g, directions, norm._ANGLE_A.tolist(), 1), take(g, directions, norm._ANGLE_B.tolist(), 1))
    angles = g.op("Acos", [g.op("Min", [g.op("Max", [cosines, g.const(-1.0)]), g.const(1.0)])])
    up = take(g, directions, [norm._UP], 1)  # (N, 1, 3)
    a, b = take(g, vectors, [int(norm._ACROSS_A)], 1), take(g, vectors, [int(norm._ACROSS_B)], 1)
    a_up = g.op("Unsqueeze", [dot(g, a, up), g.const([-1], "axes", np.int64)])
    b_up = g.op("Unsqueeze", [dot(g, b, up), g.const([-1], "axes", np.int64)])
    side = unit(g, sub(g, mul(g, b, a_up), mul(g, a, b_up)))
    normal = cross(g, up, side)
    distances = div(g, take(g, lengths, list(range(norm._N_BONES, len(norm._DIFFERENCES))), 1),
                    at_least_eps(g, take(g, lengths, [norm._UP], 1)))
    return g.op("Concat", [rows(g, up, 3), rows(g, side, 3), rows(g, normal, 3), angles, distances], axis=1)


def normalization_graph(settings):
    """An ONNX graph: RAW_INPUT (N, 21, 3), SIZE_INPUT (N, 2) width, height in pixels, LEFT_INPUT (N,)
    1.0 for a left hand -> FEATURES (N, len(FEATURE_COLUMNS)), all float32 (`hand_features`)."""
    g = GraphBuilder()
    flat = hand_features(g, RAW_INPUT, SIZE_INPUT, LEFT_INPUT, **settings)
    g.nodes.append(helper.make_node("Identity", [flat], [FEATURES]))
    inputs = [helper.make_tensor_value_info(RAW_INPUT, TensorProto.FLOAT, ["N", 21, 3]),
              helper.make_tensor_value_info(SIZE_INPUT, TensorProto.FLOAT, ["N", 2]),
              helper.make_tensor_value_info(LEFT_INPUT, TensorProto.FLOAT, ["N"])]
    outputs = [helper.make_tensor_value_info(FEATURES, TensorProto.FLOAT, ["N", len(FEATURE_COLUMNS)])]
    return helper.make_graph(g.nodes, "handsign_normalize", inputs, outputs, g.initializers)
