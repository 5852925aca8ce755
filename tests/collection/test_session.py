"""The capture state machine, driven by scripted frames: (has a hand?) per frame index."""
import pytest

from collection.session import CAPTURE, COUNTDOWN, DONE, CollectSession


def run(session, hands, keys=None):
    """Feed frames; return {label: [saved frame indices]}. keys: {frame index: key pressed after it}."""
    saved = {}
    for index, hand in enumerate(hands):
        label = session.label
        if session.advance(index) and hand:
            saved.setdefault(label, []).append(index)
            session.saved(index)
        if keys and index in keys and session.key(keys[index]) == "redo":
            saved.pop(session.label, None)
        if session.finished:
            break
    return saved


def test_countdown_frames_are_never_saved():
    session = CollectSession(["A"], count=2, countdown=3, skip=0)
    assert run(session, [True] * 10) == {"A": [3, 4]}


@pytest.mark.parametrize("skip, saved", [(0, [0, 1, 2]), (1, [0, 2, 4]), (3, [0, 4, 8])], ids=["0", "1", "3"])
def test_saves_are_at_least_skip_frames_apart(skip, saved):
    assert run(CollectSession(["A"], count=3, countdown=0, skip=skip), [True] * 12) == {"A": saved}


def test_a_frame_without_a_hand_is_not_saved_and_the_next_one_is_tried():
    hands = [True, False, False, False, True, True, False, True]
    assert run(CollectSession(["A"], count=3, countdown=0, skip=1), hands) == {"A": [0, 4, 7]}


def test_next_label_starts_with_its_own_countdown_after_count_saves():
    session = CollectSession(["A", "B"], count=2, countdown=2, skip=0)
    assert run(session, [True] * 20) == {"A": [2, 3], "B": [6, 7]}
    assert session.phase == DONE and session.finished and session.label is None


def test_pause_stops_saving_and_resuming_restarts_the_countdown():
    session = CollectSession(["A"], count=3, countdown=1, skip=0)
    # frame 0 countdown, 1 saved, pause after 1; frames 2-4 paused; resume after 4; 5 countdown; 6, 7 saved
    assert run(session, [True] * 10, keys={1: " ", 4: " "}) == {"A": [1, 6, 7]}


def test_redo_forgets_the_label_and_counts_down_again():
    session = CollectSession(["A", "B"], count=2, countdown=1, skip=0)
    # A: 0 countdown, 1 saved, r after 1; 2 countdown; 3, 4 saved. B: 5 countdown, 6, 7 saved
    assert run(session, [True] * 10, keys={1: "r"}) == {"A": [3, 4], "B": [6, 7]}


def test_q_quits_at_once():
    session = CollectSession(["A"], count=5, countdown=0, skip=0)
    assert run(session, [True] * 10, keys={1: "q"}) == {"A": [0, 1]}
    assert session.quit and session.finished


def test_status_tells_the_window_what_to_show():
    session = CollectSession(["А", "Ә"], count=2, countdown=2, skip=0)
    assert (session.status().label, session.status().phase, session.status().countdown_left) == ("А", COUNTDOWN, 2)
    run(session, [True] * 3)
    status = session.status()
    assert (status.label, status.phase, status.saved, status.position, status.total) == ("А", CAPTURE, 1, 1, 2)


def clip_ends(session, frames):
    """Feed `frames` frames to a session with clip labels; return [(label, last frame of each clip)]."""
    ends, clip = [], 0
    for index in range(frames):
        label = session.label
        candidate = session.advance(index)
        clip = clip + 1 if candidate and session.recording_clips else 0
        if candidate and (clip == session.clip_frames or not session.recording_clips):
            ends.append((label, index))
            clip = 0
            session.saved(index)
        if session.finished:
            break
    return ends


def test_a_motion_label_records_clips_each_after_its_own_countdown():
    session = CollectSession(["A", "J"], count=1, countdown=2, skip=0, motion_labels={"J"}, clips=2, clip_frames=4)
    # A: countdown 0-1, saved at 2; J: countdown 3-4, clip 5-8, countdown 9-10, clip 11-14.
    assert clip_ends(session, 30) == [("A", 2), ("J", 8), ("J", 14)]
    assert session.phase == DONE


def test_a_clip_label_counts_clips_in_its_status():
    session = CollectSession(["J"], count=30, countdown=0, skip=4, motion_labels={"J"}, clips=3, clip_frames=5)
    assert session.recording_clips and session.status().count == 3
