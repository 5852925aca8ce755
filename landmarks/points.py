"""Names of MediaPipe's 21 hand keypoints, and the feature-table columns built from them."""
from enum import IntEnum


class HandPoint(IntEnum):
    WRIST = 0
    THUMB_CMC = 1
    THUMB_MCP = 2
    THUMB_IP = 3
    THUMB_TIP = 4
    INDEX_FINGER_MCP = 5
    INDEX_FINGER_PIP = 6
    INDEX_FINGER_DIP = 7
    INDEX_FINGER_TIP = 8
    MIDDLE_FINGER_MCP = 9
    MIDDLE_FINGER_PIP = 10
    MIDDLE_FINGER_DIP = 11
    MIDDLE_FINGER_TIP = 12
    RING_FINGER_MCP = 13
    RING_FINGER_PIP = 14
    RING_FINGER_DIP = 15
    RING_FINGER_TIP = 16
    PINKY_MCP = 17
    PINKY_PIP = 18
    PINKY_DIP = 19
    PINKY_TIP = 20


NUM_POINTS = len(HandPoint)
AXES = ("x", "y", "z")

# Raw MediaPipe output: x, y as fractions of the original image width / height, z in x's unit.
RAW_COLUMNS = [f"{p.name.lower()}_{a}" for p in HandPoint for a in AXES]
# MediaPipe's metric world landmarks (metres, origin near the hand's centre), stored beside the raw ones.
WORLD_COLUMNS = [f"world_{c}" for c in RAW_COLUMNS]
P = HandPoint
# Each finger from the wrist to its tip; a bend angle sits at every point with a bone on both sides.
FINGERS = (
    (P.WRIST, P.THUMB_CMC, P.THUMB_MCP, P.THUMB_IP, P.THUMB_TIP),
    (P.WRIST, P.INDEX_FINGER_MCP, P.INDEX_FINGER_PIP, P.INDEX_FINGER_DIP, P.INDEX_FINGER_TIP),
    (P.WRIST, P.MIDDLE_FINGER_MCP, P.MIDDLE_FINGER_PIP, P.MIDDLE_FINGER_DIP, P.MIDDLE_FINGER_TIP),
    (P.WRIST, P.RING_FINGER_MCP, P.RING_FINGER_PIP, P.RING_FINGER_DIP, P.RING_FINGER_TIP),
    (P.WRIST, P.PINKY_MCP, P.PINKY_PIP, P.PINKY_DIP, P.PINKY_TIP),
)
# (before, joint, after): 15 joints, 3 per finger.
BEND_JOINTS = tuple((f[i - 1], f[i], f[i + 1]) for f in FINGERS for i in (1, 2, 3))
# Neighbouring fingers' first bones (thumb: CMC->MCP, fingers: MCP->PIP), whose angle is the spread.
FIRST_BONES = tuple((f[1], f[2]) for f in FINGERS)
SPREAD_PAIRS = tuple(zip(FIRST_BONES, FIRST_BONES[1:]))
# A 22nd, virtual point: the palm centre, the mean of the wrist and the four finger knuckles.
PALM_CENTRE = NUM_POINTS
PALM_POINTS = (P.WRIST, P.INDEX_FINGER_MCP, P.MIDDLE_FINGER_MCP, P.RING_FINGER_MCP, P.PINKY_MCP)
TIPS = tuple(f[-1] for f in FINGERS)
# Fingertip to fingertip (10), fingertip to palm centre (5), thumb tip to the other fingers' joints (11):
# what separates shapes that differ in crossing, spread or thumb position (u/r/v, m/n/s/t/a/e).
DISTANCE_PAIRS = (tuple((a, b) for i, a in enumerate(TIPS) for b in TIPS[i + 1:])
                  + tuple((tip, PALM_CENTRE) for tip in TIPS)
                  + tuple((P.THUMB_TIP, j) for j in (P.INDEX_FINGER_PIP, P.MIDDLE_FINGER_PIP, P.RING_FINGER_PIP,
                                                     P.PINKY_PIP, P.INDEX_FINGER_MCP, P.MIDDLE_FINGER_MCP,
                                                     P.RING_FINGER_MCP, P.PINKY_MCP, P.INDEX_FINGER_DIP,
                                                     P.MIDDLE_FINGER_DIP, P.RING_FINGER_DIP)))
PALM_AXES = ("up", "side", "normal")


def _point_name(index):
    return "palm_centre" if index == PALM_CENTRE else HandPoint(index).name.lower()


def _finger_name(bone):
    return HandPoint(bone[1]).name.lower().split("_")[0]


# The features the classifiers read (landmarks/normalize.py computes them, in this order).
FEATURE_COLUMNS = (
    [f"palm_{axis}_{a}" for axis in PALM_AXES for a in AXES]
    + [f"bend_{_point_name(joint)}" for _, joint, _ in BEND_JOINTS]
    + [f"spread_{_finger_name(a)}_{_finger_name(b)}" for a, b in SPREAD_PAIRS]
    + [f"dist_{_point_name(a)}_{_point_name(b)}" for a, b in DISTANCE_PAIRS]
)
