"""The per-frame path of `live`: frame -> Recognizer -> (motion letters) -> SpellingDecoder -> a JSON record.

`spell_frames` runs it over a whole frame source; `live` (headless and in its window) and the
spelling benchmark both use `steps`/`spell_frames`, so they decode exactly alike.
"""
import time
from dataclasses import dataclass, replace

from live.loop import SPELL, STAGES, FrameResult

CORRUPT = "corrupt"  # the state logged for a frame that could not be decoded


@dataclass
class Step:
    frame: object  # live.sources.Frame
    result: FrameResult
    spelled: object  # spelling.decoder.Spelled after this frame


def steps(source, recognizer, decoder, motion=None, times=None):
    """A Step per frame of `source` (corrupt frames too: their result's state is "corrupt"), timed
    into `times` (live.loop.StageTimes) if given. `motion`: live.motion_letters.MotionLetters or None."""
    for frame in source:
        if frame.rgb is None:
            if times is not None:
                times.skipped += 1
            timings = {**dict.fromkeys(STAGES, 0.0), "decode": frame.decode_ms}
            yield Step(frame, FrameResult(frame.index, frame.t_ms, None, CORRUPT, None, None, timings),
                       decoder.current())  # nothing is known about the hand: the decoder is not told
            continue
        result = recognizer.process(frame)
        event = motion.observe(result, frame, decoder) if motion is not None else None
        started = time.perf_counter()
        spelled = decoder.push(result.t_ms, result.probabilities, result.centre, result.size)
        if motion is not None:
            spelled = motion.spell(event, decoder) or spelled
        result.timings[SPELL] = (time.perf_counter() - started) * 1000.0
        if times is not None:
            times.add(result)
        yield Step(frame, result, spelled)


def record(result, spelled):
    """The JSON-ready record of one frame."""
    return {"frame": result.index, "t_ms": round(result.t_ms, 3), "hand": result.hand is not None,
            "label": result.label,
            "confidence": None if result.confidence is None else round(result.confidence, 4),
            "state": result.state, "text": spelled.text, "word": spelled.word,
            "alternatives": [[word, p] for word, p in spelled.ended[1]] if spelled.ended else None,
            "latency_ms": round(result.latency_ms, 3)}


class Records:
    """Records written one frame late, so the last one carries the end of the stream (the word in
    progress committed by `finish`): its `text` is the final text."""

    def __init__(self, write):
        self._write, self._pending = write, None

    def add(self, step):
        if self._pending is not None:
            self._write(record(*self._pending))
        self._pending = (step.result, step.spelled)

    def close(self, finished):
        """`finished`: the decoder's Spelled from finish()."""
        if self._pending is not None:
            result, spelled = self._pending
            self._write(record(result, replace(finished, ended=finished.ended or spelled.ended)))
        self._pending = None


def spell_frames(source, recognizer, decoder, motion=None, times=None, write=None):
    """Run `live`'s per-frame path over `source` to its end (or Ctrl-C). Returns (records, final text):
    one JSON-ready dict per frame (see `record`), the last one with the final text. With `write`,
    each record goes to write(record) as soon as it is final and none are kept (records == [])."""
    kept = []
    records = Records(write or kept.append)
    try:
        for step in steps(source, recognizer, decoder, motion, times):
            records.add(step)
    finally:  # also on Ctrl-C: the word in progress is committed and the last record written
        records.close(decoder.finish())
    return kept, decoder.text
