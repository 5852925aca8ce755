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
# Normalized features the classifiers read.
FEATURE_COLUMNS = [f"n_{c}" for c in RAW_COLUMNS]
