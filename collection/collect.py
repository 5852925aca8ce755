"""`collect`: guided recording of your own signs into DIR/<label>/<signer>_<n>.jpg (+ DIR/groups.csv);
motion labels (marked `~` in the alphabet or in --labels) get clips, DIR/<label>/<signer>_<n>.avi.

Frames come from a camera, a video or an image folder; see collection/session.py for which are kept.
"""
from tqdm import tqdm

from landmarks.detect import HandDetector
from landmarks.errors import UserError
from collection.alphabets import MOTION_MARK, available_alphabets, load_alphabet_marks, parse_labels
from collection.session import CollectSession
from collection.store import CollectedDataset
from live.sources import FrameSource


def choose_labels(alphabet, labels):
    """(labels, motion labels) from --alphabet or --labels (`J~` marks a motion label there too)."""
    if alphabet:
        return load_alphabet_marks(alphabet)
    if labels is not None:
        parts = [part.strip() for part in labels.split(",")]
        labels = parse_labels(",".join(part.removesuffix(MOTION_MARK).rstrip() for part in parts))
        return labels, {label for label, part in zip(labels, parts) if part.endswith(MOTION_MARK)}
    raise UserError(f"say what to record: --alphabet NAME ({', '.join(available_alphabets())}) or --labels A,B,C")


def run_collect(options):
    """Record what `options` (a CollectOptions) asks for; returns the exit code."""
    labels, moving = choose_labels(options.alphabet, options.labels)
    store = CollectedDataset(options.out, options.signer)
    window = None
    if not options.headless:
        from live.window import require_display

        require_display("--headless")  # before the camera is opened
    with FrameSource(options.source) as source:
        session = CollectSession(labels, options.count, options.countdown, options.skip, moving,
                                 options.clips, options.clip_frames)
        total = sum(session.clips if label in moving else options.count for label in labels)
        bar = tqdm(total=total, unit="save", desc="collect", disable=None)
        try:
            if not options.headless:
                from collection.view import CollectWindow

                window = CollectWindow()
            with HandDetector(hand_model=options.hand_model) as detector:
                record(source, session, store, detector, window, bar)
        finally:
            bar.close()
            store.write_groups()  # also on q, Ctrl-C or an error: every saved frame gets its signer
            if window is not None:
                window.close()
    print(summary(session, store, options))
    return 0


def record(source, session, store, detector, window, bar):
    """Run the session over the source's frames until every label is done, q, or the source ends."""
    announce(session)
    clip = []  # frames of the motion clip being recorded
    for frame in source:
        candidate = session.advance(frame.index)
        if not (candidate and session.recording_clips):
            clip = []  # a clip is continuous: a countdown, a pause or a redo drops a partial one
        hand = None
        # Still-image detection, like `extract`: a saved frame is one `extract` will also find a hand in.
        # Clips are saved whole: `extract-motion` tracks the hand and lists clips with too few hands.
        if frame.rgb is not None and ((candidate and not session.recording_clips) or window is not None):
            hand = detector.detect(frame.rgb, frame.t_ms)
        done = False
        if candidate and session.recording_clips and frame.rgb is not None:
            clip.append(frame.rgb)
            if len(clip) == session.clip_frames:
                store.save_clip(session.label, clip)
                clip = []
                bar.update()
                done = session.saved(frame.index)
        elif candidate and hand is not None:
            store.save(session.label, frame.rgb)
            bar.update()
            done = session.saved(frame.index)
        if done:
            store.write_groups()  # a finished label is on record even if the run dies later
            announce(session)
        if window is not None:
            label = session.label
            if session.key(window.show(frame.rgb, hand, session.status())) == "redo":
                bar.update(-len(store.attempt.get(label, [])))
                store.discard_attempt(label)
                announce(session)
        if session.finished:
            return


def announce(session):
    if session.label is not None:
        what = f"{session.clips} clips of {session.clip_frames} frames, move" if session.recording_clips else "hold it"
        tqdm.write(f"[{session.index + 1}/{len(session.labels)}] {session.label}: get ready ({what})")


def summary(session, store, options):
    saved = sum(len(paths) for paths in store.saved.values())
    clips = sum(path.endswith(".avi") for paths in store.saved.values() for path in paths)
    line = f"collect: {saved - clips} frames and {clips} clips saved to {options.out} for signer {options.signer}"
    unfinished = session.labels[session.index:]
    if unfinished:
        how = "stopped with q" if session.quit else "the source ended"
        counts = ", ".join(f"{label} {len(store.saved.get(label, []))}/"
                           f"{session.clips if label in session.motion_labels else options.count}" for label in unfinished)
        line += f"; {how} before these labels were complete: {counts}"
    return line
