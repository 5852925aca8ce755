"""`collect`: guided recording of your own signs into DIR/<label>/<signer>_<n>.jpg (+ DIR/groups.csv).

Frames come from a camera, a video or an image folder; see live/collect_session.py for which are kept.
"""
from tqdm import tqdm

from landmarks.detect import HandDetector
from landmarks.errors import UserError
from live.alphabets import available_alphabets, load_alphabet, parse_labels
from live.collect_session import CollectSession
from live.collect_store import CollectedDataset
from live.sources import FrameSource


def choose_labels(args):
    if args.alphabet:
        return load_alphabet(args.alphabet)
    if args.labels is not None:
        return parse_labels(args.labels)
    raise UserError(f"say what to record: --alphabet NAME ({', '.join(available_alphabets())}) or --labels A,B,C")


def check_numbers(args):
    if args.count < 1:
        raise UserError(f"--count {args.count} saves nothing; pass 1 or more frames per label")
    if args.skip < 0 or args.countdown < 0:
        raise UserError("--skip and --countdown count frames; pass 0 or more")


def run_collect(args):
    labels = choose_labels(args)
    check_numbers(args)
    store = CollectedDataset(args.out, args.signer)
    window = None
    if not args.headless:
        from live.window import require_display

        require_display("--headless")  # before the camera is opened
    with FrameSource(args.source) as source:
        session = CollectSession(labels, args.count, args.countdown, args.skip)
        bar = tqdm(total=len(labels) * args.count, unit="frame", desc="collect", disable=None)
        try:
            if not args.headless:
                from live.collect_view import CollectWindow

                window = CollectWindow()
            with HandDetector(hand_model=getattr(args, "hand_model", None)) as detector:
                record(source, session, store, detector, window, bar)
        finally:
            bar.close()
            store.write_groups()  # also on q, Ctrl-C or an error: every saved frame gets its signer
            if window is not None:
                window.close()
    print(summary(session, store, args))
    return 0


def record(source, session, store, detector, window, bar):
    """Run the session over the source's frames until every label is done, q, or the source ends."""
    announce(session)
    for frame in source:
        candidate = session.advance(frame.index)
        hand = None
        # Still-image detection, like `extract`: a saved frame is one `extract` will also find a hand in.
        if frame.rgb is not None and (candidate or window is not None):
            hand = detector.detect(frame.rgb, frame.t_ms)
        if candidate and hand is not None:
            store.save(session.label, frame.rgb)
            bar.update()
            if session.saved(frame.index):
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
        tqdm.write(f"[{session.index + 1}/{len(session.labels)}] {session.label}: get ready")


def summary(session, store, args):
    saved = sum(len(paths) for paths in store.saved.values())
    line = f"collect: {saved} frames saved to {args.out} for signer {args.signer}"
    unfinished = session.labels[session.index:]
    if unfinished:
        how = "stopped with q" if session.quit else "the source ended"
        counts = ", ".join(f"{label} {len(store.saved.get(label, []))}/{args.count}" for label in unfinished)
        line += f"; {how} before these labels were complete: {counts}"
    return line
