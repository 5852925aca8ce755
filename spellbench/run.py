"""`bench-spelling`: how well an alphabet spells words and names for a signer the model never saw.

Per held-out signer: train on the others, build a video per word and speed from that signer's photos,
read it as `live` does once per frame rate, decode the frames without and with the word list.
Detection is the slow part: each video's frames are cached in OUT/observations, so a rerun with other
decoder settings only decodes.
"""
import hashlib
import json
import tempfile
import zlib
from dataclasses import asdict
from pathlib import Path

import numpy as np
from tqdm import tqdm

from classifiers.bundle import channel_fits
from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.files import check_writable_folder, write_json
from landmarks.images import read_rgb
from spellbench.decode import Observed, decode, frames_right, observe
from spellbench.metrics import char_errors, doubles_spelled_twice, word_errors
from spellbench.report import write_report
from spellbench.signers import landmark_table, photos_by_character, signers, train_without, used_labels
from spellbench.video import Photo, Recipe, plan, write_word_videos
from spellbench.wordlists import listed_names, read_words, spellable
from spelling.labels import label_text
from spelling.decoder import DecoderOptions, SpellingDecoder
from spelling.lexicon import load_lexicon, normalize

CHANNEL_FILE = "channel.json"  # the held-out signer's model's reading channel, beside its cached videos
CACHE_VERSION = 5  # bump when the videos, what is observed per frame or how a channel is computed change (3:
# live.spell.steps; 4: video-mode palm detection at 0.2; 5: video frames take turns between paddings, hand
# presence 0.3, the reading channel)


def spelling_decoder(labels, lexicon, channel=None):
    """The decoder `live` makes: default settings, each label spelling its character, the model's channel."""
    return SpellingDecoder(labels, DecoderOptions(), lexicon=lexicon, channel=channel)


def run_bench(options, make_decoder=spelling_decoder, recipe=Recipe(), command=""):
    """Write OUT/spelling.csv, spelling_words.csv, spelling.md and spelling.png; return the summary text."""
    out = check_writable_folder(options.out)
    lexicon = load_lexicon(options.lexicon)
    words = read_words(options.words, "word")
    names = read_words(options.names, "name") if options.names else []
    for line in listed_names(names, lexicon):
        print(line)
    HandDetector.settings_for(options.hand_model)  # a bad --hand-model fails before the extraction
    dataset = landmark_table(options.photos_dir, out, options.groups, options.hand_model, options.workers)
    labels = used_labels(dataset, options.all_labels, options.leave_out)
    held_out = _held_out(signers(dataset), options.signers)
    fingerprint = _fingerprint(options, recipe, dataset, labels)
    plans = []
    for signer in held_out:
        photos = photos_by_character(dataset, signer, labels, options.photos_dir)
        kept_words, notes = spellable(words, photos, f"for signer {signer}: word")
        kept_names, name_notes = spellable(names, photos, f"for signer {signer}: name")
        for line in notes + name_notes:
            print(line)
        plans.append((signer, photos, [("word", w) for w in kept_words] + [("name", n) for n in kept_names]))
    total = sum(len(items) for _, _, items in plans) * len(options.speeds) * len(options.fps)
    if total == 0:
        raise UserError("no word can be spelled with these photos; check the word lists and the label folders")
    rows = []
    with tqdm(total=total, desc="bench-spelling", unit="video", disable=None) as bar, \
            tempfile.TemporaryDirectory(dir=out, prefix=".videos-") as scratch:
        for signer, photos, items in plans:
            cache = out / "observations" / fingerprint / signer
            model = _LazyModel(dataset, signer, labels, options.classifier, cache)  # trained only when needed
            for kind, word in items:
                for speed in options.speeds:
                    rng = np.random.default_rng([options.seed, zlib.crc32(f"{signer}/{word}/{speed}".encode())])
                    images, letters, layers, size = _word_video(word, photos, speed, rng, recipe)
                    for fps in options.fps:
                        cached = cache / f"{kind}-{word}-{speed:g}-{fps:g}.npz"
                        observed = _observed(cached, images, layers, size, fps, model, options, Path(scratch))
                        shown = frames_right(observed, [label_text(label) for label in model.labels()],
                                             _letters_shown(layers, letters))
                        for used in ([None, lexicon] if lexicon is not None else [None]):
                            # Words are matched in lower case (folders may be named in upper case).
                            spelled = normalize(decode(observed, lambda: make_decoder(model.labels(), used,
                                                                                      model.channel())))
                            rows.append(_row(signer, kind, word, speed, fps, used, spelled, observed, shown))
                        bar.update()
    summary = write_report(rows, out, command=command, options=options, held_out=held_out)
    return summary


class _LazyModel:
    """The held-out signer's model, trained on first use; its labels without training (they are the
    training labels that have a photo with a hand, sorted, as the classifier orders them), and its reading
    channel kept beside the signer's cached videos, so a rerun that only decodes trains nothing."""

    def __init__(self, dataset, signer, labels, classifier, cache):
        self._args, self._bundle, self._channel = (dataset, signer, labels, classifier), None, None
        self._saved_channel = Path(cache) / CHANNEL_FILE
        rows = dataset.rows
        trained = rows[(rows["group"] != signer) & rows["label"].isin(labels)]["label"]
        self._labels = sorted(set(trained.astype(str)))

    def bundle(self):
        if self._bundle is None:
            self._bundle = train_without(*self._args)
            if list(self._bundle.labels) != self._labels:  # the cache's labels must be the model's columns
                raise RuntimeError(f"{self._bundle.name} orders its labels unlike np.unique: {self._bundle.labels}")
        return self._bundle

    def labels(self):
        return self._labels

    def channel(self):
        if self._channel is None:
            self._channel = self._read_channel()
            if self._channel is None:  # none kept yet, or a damaged file: train and keep it
                self._channel = self.bundle().channel
                self._saved_channel.parent.mkdir(parents=True, exist_ok=True)
                write_json(self._channel, self._saved_channel)
        return self._channel

    def _read_channel(self):
        try:
            channel = json.loads(self._saved_channel.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return channel if isinstance(channel, list) and channel_fits(channel, len(self._labels)) else None


def _held_out(groups, wanted):
    if not wanted:
        return groups
    unknown = [s for s in wanted if s not in groups]
    if unknown:
        raise UserError(f"--signers {','.join(unknown)}: no such signer; the groups are {', '.join(groups)}")
    return list(wanted)


def _fingerprint(options, recipe, dataset, labels):
    """Names the observation cache: what changes the frames the decoder receives."""
    key = {"version": CACHE_VERSION, "classifier": options.classifier, "table": dataset.table_sha256,
           "labels": labels, "recipe": asdict(recipe), "seed": options.seed, "hand_model": str(options.hand_model)}
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]


def _word_video(word, photos, speed, rng, recipe):
    """(photos used, the letter of each, layers per 30 fps frame, hand size): one photo per letter, a
    double letter's twice."""
    images, letters, indices = [], [], []
    for i, character in enumerate(word):
        if i and character == word[i - 1]:
            indices.append(indices[-1])
            continue
        path, landmarks = photos[character][int(rng.integers(len(photos[character])))]
        images.append(Photo.of(read_rgb(path), landmarks))
        letters.append(character)
        indices.append(len(images) - 1)
    layers, size = plan(indices, speed, rng, recipe)
    return images, letters, layers, size


def _letters_shown(layers, letters):
    """Per 30 fps frame, the letter of its most visible photo, or None while the hand is gone."""
    return [letters[max(frame, key=lambda layer: layer.alpha).photo] if frame else None for frame in layers]


def _observed(cached, images, layers, size, fps, model, options, scratch):
    if cached.is_file():
        return Observed.load(cached)
    video = scratch / f"video-{fps:g}.avi"
    seed = zlib.crc32(str(cached.name).encode())
    write_word_videos(images, layers, size, seed, {fps: video})
    observed = observe(video, model.bundle(), options.hand_model)
    observed.save(cached)
    video.unlink()
    return observed


def _row(signer, kind, word, speed, fps, lexicon, spelled, observed, shown):
    doubles, twice = doubles_spelled_twice(word, spelled)
    return {"signer": signer, "kind": kind, "word": word, "letters_per_second": speed, "fps": fps,
            "lexicon": lexicon.name if lexicon is not None else "none", "spelled": spelled,
            "char_errors": char_errors(word, spelled), "chars": len(word), "word_errors": word_errors(word, spelled),
            "words": 1, "right": int(spelled == word), "doubles": doubles, "doubles_twice": twice,
            "frames": len(observed.t_ms), "frames_with_hand": observed.with_hand,
            "frames_scored": shown[1], "frames_right": shown[0]}
