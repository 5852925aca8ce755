"""`live`: frames in, letters, spelled text and timings out; in a window or headless to JSON lines."""
import json
from pathlib import Path

import numpy as np

from classifiers.bundle import bundle_file, load_bundle
from classifiers.model_path import resolve_model
from classifiers.models_folder import LANDMARK
from landmarks.detect import HandDetector
from landmarks.detector_settings import detector_for, warn
from landmarks.errors import UserError
from landmarks.files import OutputError, check_writable_file, os_error_line
from landmarks.normalize import flat_features
from live.loop import Recognizer, StageTimes, fast_predictions
from live.motion_letters import motion_letters
from live.sources import FrameSource
from live.spell import Records, spell_frames, steps
from spelling.decoder import SpellingDecoder
from spelling.lexicon import load_lexicon


def load_landmark_model(model=None):
    """(path, Bundle) of `--model FILE|DIR` (classifiers.models_folder.resolve_model), checked to be a
    landmark model this version can use."""
    path = resolve_model(model, LANDMARK)
    bundle = load_bundle(path)
    if bundle.input != "landmarks":
        raise UserError(f"model {path} reads whole images, not hand landmarks; pass a landmark model "
                        f"(for example {bundle_file(path.parent, 'svm')}) or its folder")
    try:  # one prediction on a blank hand: checks the settings and the input width, and warms up
        blank = flat_features(np.zeros((1, 21, 3), np.float32), (1, 1), np.zeros(1, bool),
                              bundle.normalization["settings"])
        bundle.pipeline.predict_proba(blank)
    except Exception as error:  # noqa: BLE001 -- whatever the reason, this bundle cannot be used here
        raise UserError(f"model {path} does not fit this version's landmark features ({error}); "
                        "retrain with `python cli.py train`") from None
    return path, bundle


class FrameLog:
    """One JSON object per frame, one per line, flushed at once so a reader (or Ctrl-C) never sees half a run."""

    def __init__(self, path):
        self._file, self._path = None, path
        if path:
            check_writable_file(path, "--output")  # a FIFO would block open(); a device must not be replaced
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self._file = open(path, "w", encoding="utf-8")
            except OSError as error:
                raise OutputError(os_error_line(error, path)) from None

    def write(self, record):
        if self._file is None:
            return
        try:
            self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._file.flush()
        except OSError as error:  # a full disk mid-run: the lines before this one are in the file
            raise OutputError(os_error_line(error, self._path)) from None

    def close(self):
        if self._file is not None:
            try:
                self._file.close()
            except OSError:  # flushed after every line already: nothing is left to lose
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def make_decoder(options, model, lexicon, motion=None):
    """The SpellingDecoder for `model`'s labels (and the motion letters, if any) as LiveOptions say."""
    decoder = SpellingDecoder(model.labels, options.decoder_options(), lexicon=lexicon, channel=model.channel)
    if motion is not None:
        decoder.add_labels(motion.labels)
    return decoder


def run_live(options):
    """Run `live` as `options` (a LiveOptions) say; returns the exit code."""
    if not options.headless:
        from live.window import require_display

        require_display("--headless (with --output FILE)")
    lexicon = load_lexicon(options.lexicon)
    path, model = load_landmark_model(options.model)
    motion = motion_letters(options, path)
    hand_model, warning = detector_for(model.detector or {}, options.hand_model)  # as trained
    warn(warning)
    with FrameSource(options.source) as source, FrameLog(options.output) as log, \
            HandDetector(hand_model=hand_model, video=source.tracking) as detector:
        recognizer = Recognizer(model, detector, min_confidence=options.min_confidence)
        decoder = make_decoder(options, model, lexicon, motion)
        times = StageTimes()
        try:
            with fast_predictions():
                if options.headless:
                    spell_frames(source, recognizer, decoder, motion, times, write=log.write)
                else:
                    _windowed(source, recognizer, decoder, motion, log, times)
        finally:  # also on Ctrl-C: the lines so far are in the file, and the run is summed up
            print(f"{times.summary()}; text: {json.dumps(decoder.text, ensure_ascii=False)}{source.shortfall()}",
                  flush=True)
    if source.kind == "video" and times.frames + times.skipped == 0:
        raise UserError(f"video {options.source} has no readable frames; check that it plays in a video player")
    return 0


def _windowed(source, recognizer, decoder, motion, log, times):
    from live.window import BACKSPACE, CLEAR, QUIT, Window

    records = Records(log.write)
    try:
        with Window() as window:
            for step in steps(source, recognizer, decoder, motion, times):
                records.add(step)
                if step.frame.rgb is None:
                    continue
                action = window.show(step.frame.rgb, step.result, step.spelled.text, step.spelled.word)
                if action == QUIT:
                    return
                if action == CLEAR:
                    decoder.clear()
                elif action == BACKSPACE:
                    decoder.backspace()
    finally:  # the word in progress is committed into the last line
        records.close(decoder.finish())
