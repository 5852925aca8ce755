"""Command line: `python cli.py extract|train|live|collect|bench|groups|predict|evaluate|export|split-signers|make-clips|evaluate-motion ...`."""
import argparse
import sys
from dataclasses import fields

from classifiers.models_folder import MODELS_DIR
from collection.options import CollectOptions
from inference.options import EXPORT_FORMATS, EvaluateOptions, ExportOptions, PredictOptions
from live.options import LiveOptions

DEFAULT_DATA = "data/samples"
DEFAULT_FEATURES = "data/features.csv"
# What Ctrl-C keeps of commands that write only once their work is done (others raise `Interrupted`).
WRITTEN_AT_THE_END = {"groups": "nothing was written", "export": "nothing was written"}


def options(kind, args):
    """The frozen `kind` (a ...Options dataclass) from the parsed arguments; it checks its values.
    Lists become tuples, so the options stay immutable."""
    values = {f.name: getattr(args, f.name) for f in fields(kind)}
    return kind(**{name: tuple(v) if isinstance(v, list) else v for name, v in values.items()})


def cmd_extract(args):
    from landmarks.extract import extract

    summary = extract(args.data_dir, args.out, workers=args.workers, groups_file=args.groups,
                      hand_model=args.hand_model, max_pixels=args.max_megapixels * 1e6, scheduler=args.scheduler,
                      send_images=args.send_images)
    print(summary.line())
    return 0


def cmd_extract_motion(args):
    from motion.extract import extract_motion

    print(extract_motion(args.data_dir, args.out, workers=args.workers, groups_file=args.groups,
                         hand_model=args.hand_model).line())
    return 0


def cmd_groups(args):
    from landmarks.files import check_writable_file
    from landmarks.groups import digit_sequence_groups, write_groups

    check_writable_file(args.out, starts_with=b"path,group")  # never over another command's file
    groups = digit_sequence_groups(args.data_dir)
    write_groups(groups, args.out)
    print(f"groups: {len(groups)} images in {len(set(groups.values()))} signer groups -> {args.out}")
    return 0


def cmd_train(args):
    from classifiers.train import train
    from landmarks.files import check_writable_folder
    from motion.train import is_motion_table, train_motion

    check_writable_folder(args.out)
    if is_motion_table(args.features):  # a table from extract-motion: the motion classifiers
        print(train_motion(args.features, classifiers=args.classifiers, folds=args.folds, search=args.search,
                           out=args.out))
        return 0
    report = train(args.features, images=args.images, classifiers=args.classifiers, folds=args.folds,
                   search=args.search, out=args.out, scheduler=args.scheduler)
    print(report)
    return 0


def cmd_live(args):
    from live.app import run_live

    return run_live(options(LiveOptions, args))


def cmd_collect(args):
    from collection.collect import run_collect

    return run_collect(options(CollectOptions, args))


def cmd_bench(args):
    from classifiers.bench import bench

    print(bench(args.data_dir, groups=args.groups, folds=args.folds, cnn=args.cnn, out=args.out,
                cnn_epochs=args.cnn_epochs))
    return 0


def cmd_bench_spelling(args):
    from spellbench.options import BenchOptions, parse_numbers
    from spellbench.run import run_bench

    given = {"out": args.out, "groups": args.groups, "words": args.words, "lexicon": args.lexicon,
             "classifier": args.classifier, "hand_model": args.hand_model, "workers": args.workers,
             "speeds": args.letters_per_second and parse_numbers(args.letters_per_second, "--letters-per-second"),
             "fps": args.fps and parse_numbers(args.fps, "--fps", int),
             "names": args.names if args.names != "none" else (),
             "signers": args.signers and tuple(s.strip() for s in args.signers.split(",") if s.strip()),
             "leave_out": args.leave_out and tuple(s.strip() for s in args.leave_out.split(",") if s.strip())}
    options = BenchOptions(args.photos_dir, all_labels=args.all_labels,
                           **{key: value for key, value in given.items() if value is not None})
    print(run_bench(options, command=options.command()))
    return 0


def cmd_predict(args):
    from inference.predict import predict

    _, text = predict(options(PredictOptions, args))
    print(text)
    return 0


def cmd_evaluate(args):
    from inference.evaluation_report import evaluate

    chosen = options(EvaluateOptions, args)
    print(evaluate(chosen))
    print(f"report in {chosen.out}")
    return 0


def cmd_export(args):
    from inference.export_onnx import export

    print(export(options(ExportOptions, args)))
    return 0


def cmd_split_signers(args):
    from landmarks.signer_split import split_signers

    print(split_signers(args.data_dir, args.train, args.test, groups_file=args.groups, fraction=args.fraction,
                        seed=args.seed))
    return 0


def add_split_signers(commands):
    p = commands.add_parser("split-signers", help="split DATA_DIR by signer into a training folder and a held-out one")
    p.add_argument("data_dir", metavar="DATA_DIR", help="DATA_DIR/<label>/<image>, every image with a signer")
    p.add_argument("--train", required=True, help="new folder for the signers to train on")
    p.add_argument("--test", required=True, help="new folder for the held-out signers")
    p.add_argument("--groups", default=None, help="CSV path,group (default: DATA_DIR/groups.csv)")
    p.add_argument("--fraction", type=float, default=0.2, help="share of signers held out (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="which signers are held out (default: %(default)s)")
    p.set_defaults(run=cmd_split_signers)


def cmd_make_clips(args):
    from landmarks.files import check_writable_file, check_writable_folder
    from motion.clipset import ASL_PLAN, make_clip_set, make_word_video

    (check_writable_file if args.word_video else check_writable_folder)(args.out, "OUT")
    if args.word_video:
        print(make_word_video(args.photos, args.out, (args.signers or "hand4").split(",")[0], seed=args.seed))
        return 0
    groups = make_clip_set(args.photos, args.out, args.plan or ASL_PLAN, args.per_motion,
                           args.signers.split(",") if args.signers else None, args.seed, not args.frames)
    print(f"make-clips: {len(groups)} clips from {len(set(groups.values()))} signers -> {args.out}")
    return 0


def add_make_clips(commands):
    p = commands.add_parser("make-clips", help="motion clips (letters that move) generated from labelled photos")
    p.add_argument("out", metavar="OUT", help="folder for OUT/<label>/<clip> (with --word-video: the video file)")
    p.add_argument("--photos", required=True, help="photos in DIR/<label>/ with DIR/groups.csv, e.g. "
                   "../shared/datasets/massey-asl-dev/images")
    p.add_argument("--plan", default=None,
                   help="LABEL=PHOTO_LABEL:MOTION[+MOTION],... motions: j, z, shift, still (default: ASL's j and z "
                        "moving, i and d still and shifted, a still: motion.clipset.ASL_PLAN)")
    p.add_argument("--per-motion", type=int, default=10, help="clips per label, motion and signer (default: 10)")
    p.add_argument("--signers", default=None, help="comma list of signer groups to use (default: all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--frames", action="store_true", help="numbered-frame folders instead of MJPG videos")
    p.add_argument("--word-video", action="store_true",
                   help="instead: OUT is one video of the first --signers signer (default hand4) spelling JAZZ")
    p.set_defaults(run=cmd_make_clips)


def cmd_evaluate_motion(args):
    from motion.evaluate import evaluate_motion

    print(evaluate_motion(args.clips_dir, args.model, args.out, hand_model=args.hand_model))
    print(f"clips in {args.out}")
    return 0


def add_evaluate_motion(commands):
    p = commands.add_parser("evaluate-motion", help="score a motion model on clips of signers it never saw")
    p.add_argument("clips_dir", metavar="CLIPS_DIR", help="CLIPS_DIR/<label>/<clip>, like extract-motion's input")
    add_model(p, "motion model, or a models folder for its best motion model")
    p.add_argument("--out", default=EvaluateOptions.out, help="folder for motion_clips.csv (default: %(default)s)")
    add_hand_model(p)
    p.set_defaults(run=cmd_evaluate_motion)


def add_model(parser, text):
    parser.add_argument("--model", default=None, metavar="FILE|DIR", help=f"{text} (default: {MODELS_DIR})")


def add_hand_model(parser):
    parser.add_argument("--hand-model", default=None, metavar="full|lite|FILE",
                        help="hand model: full (default), lite (low-power: about half the time per frame, "
                             "a little less accurate) or a MediaPipe .task file")


def add_scheduler(parser, text):
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS|local",
                        help=f"{text} (needs requirements-cluster.txt)")


def build_parser():
    parser = argparse.ArgumentParser(description="Landmark-based hand-sign recognizer.")
    parser.add_argument("--verbose", action="store_true", help="show MediaPipe's and TensorFlow Lite's own log lines")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("extract", help="images in DATA_DIR/<label>/ -> landmark feature table")
    p.add_argument("data_dir", nargs="?", default=DEFAULT_DATA, metavar="DATA_DIR")
    p.add_argument("--out", default=DEFAULT_FEATURES, help="feature table CSV (default: %(default)s)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--groups", default=None, help="CSV path,group naming each image's signer")
    p.add_argument("--max-megapixels", type=float, default=50.0,
                   help="images larger than this are listed as too_large, never decoded (default: %(default)s)")
    add_hand_model(p)
    add_scheduler(p, "detect on the workers of a Dask scheduler, or on a local Dask cluster of --workers processes")
    p.add_argument("--send-images", action="store_true",
                   help="with --scheduler: send each image's bytes to the workers instead of having them read "
                        "DATA_DIR at the same path")
    p.set_defaults(run=cmd_extract)

    p = commands.add_parser("extract-motion", help="clips (videos, frame folders) in DATA_DIR/<label>/ -> motion table")
    p.add_argument("data_dir", metavar="DATA_DIR")
    p.add_argument("--out", default="data/motion.csv", help="motion table CSV (default: %(default)s)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--groups", default=None, help="CSV path,group naming each clip's signer")
    add_hand_model(p)
    p.set_defaults(run=cmd_extract_motion)

    p = commands.add_parser("groups", help="signer groups for <digit>/IMG_<n> photos taken 0..9 per signer")
    p.add_argument("data_dir", metavar="DATA_DIR")
    p.add_argument("--out", default="data/groups.csv", help="groups CSV (default: %(default)s)")
    p.set_defaults(run=cmd_groups)

    p = commands.add_parser("train", help="cross-validate and save every classifier")
    p.add_argument("features", nargs="?", default=DEFAULT_FEATURES, metavar="FEATURES")
    p.add_argument("--images", default=None, help="image folder for hog-svm / orb-bovw (default: from sidecar)")
    p.add_argument("--classifiers", default=None, help="comma list (default: all)")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--search", action="store_true", help="tune hyperparameters inside the training folds")
    add_scheduler(p, "run the --search fits on the workers of a Dask scheduler, or on a local Dask cluster")
    p.add_argument("--out", default=MODELS_DIR, help="models folder (default: %(default)s)")
    p.set_defaults(run=cmd_train)

    p = commands.add_parser("live", help="recognize signs from a camera, video or image folder")
    d = LiveOptions
    add_model(p, "model bundle, or a models folder for its best landmark model")
    p.add_argument("--source", default=d.source, help="camera index, video file or image folder (default: %(default)s)")
    p.add_argument("--headless", action="store_true", help="no window")
    p.add_argument("--output", default=d.output, help="JSON lines, one per frame")
    p.add_argument("--min-confidence", type=float, default=d.min_confidence, help="(default: %(default)s)")
    p.add_argument("--letter-ms", type=float, default=d.letter_ms,
                   help="a letter seen this long for certain is spelled; shorter or less sure is not (default: %(default)s)")
    p.add_argument("--word-gap-ms", type=float, default=d.word_gap_ms,
                   help="the hand gone this long ends a word (default: %(default)s)")
    p.add_argument("--lexicon", default=d.lexicon, metavar="en|ru|kk|FILE|none",
                   help="word list that repairs misread words; FILE: one word per line, optional frequency "
                        "(default: %(default)s)")
    p.add_argument("--motion-model", default=d.motion_model, metavar="FILE|DIR",
                   help="motion model, or a models folder for its best one (default: the best one `train` saved "
                        "beside the static model, if any)")
    p.add_argument("--no-motion", action="store_true", help="static letters only")
    add_hand_model(p)
    p.set_defaults(run=cmd_live)

    p = commands.add_parser("collect", help="record your own signs into DIR/<label>/")
    d = CollectOptions
    which = p.add_mutually_exclusive_group()
    which.add_argument("--alphabet", default=d.alphabet,
                       help="a shipped alphabet (asl, digits, kazakh) or your own FILE.txt")
    which.add_argument("--labels", default=d.labels,
                       help="comma list of labels; J~ marks a motion label (clips)")
    p.add_argument("--source", default=d.source, help="camera index, video file or image folder (default: %(default)s)")
    p.add_argument("--count", type=int, default=d.count, help="frames with a hand to save per label (default: %(default)s)")
    p.add_argument("--out", default=d.out, help="dataset folder (default: %(default)s)")
    p.add_argument("--signer", default=d.signer, help="signer id, recorded in DIR/groups.csv (default: %(default)s)")
    p.add_argument("--skip", type=int, default=d.skip,
                   help="frames to skip at least between two saved frames, so they are not near-duplicates "
                        "(default: %(default)s)")
    p.add_argument("--countdown", type=int, default=d.countdown,
                   help="frames of countdown before each label, never saved (default: %(default)s; 90 is 3 s at 30 fps)")
    p.add_argument("--clips", type=int, default=d.clips, help="clips per motion label (marked ~) (default: %(default)s)")
    p.add_argument("--clip-frames", type=int, default=d.clip_frames,
                   help="frames per clip of a motion label (default: %(default)s; 45 is 1.5 s at 30 fps)")
    p.add_argument("--headless", action="store_true", help="no window; the terminal names each label")
    add_hand_model(p)
    p.set_defaults(run=cmd_collect)

    p = commands.add_parser("bench", help="extraction, every classifier and optionally a CNN on the same folds")
    p.add_argument("data_dir", nargs="?", default=DEFAULT_DATA, metavar="DATA_DIR")
    p.add_argument("--groups", default=None, help="CSV path,group naming each image's signer")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--cnn", action="store_true", help="also train the reference CNN (needs requirements-cnn.txt)")
    p.add_argument("--cnn-epochs", type=int, default=20, help="CNN training epochs (default: %(default)s)")
    p.add_argument("--out", default="data/bench", help="results folder (default: %(default)s)")
    p.set_defaults(run=cmd_bench)

    p = commands.add_parser("bench-spelling", help="how well an alphabet spells words for a signer the model never saw")
    p.add_argument("photos_dir", metavar="PHOTOS_DIR", help="PHOTOS_DIR/<label>/<photo>, like extract's input")
    p.add_argument("--groups", default=None, help="CSV path,group naming each photo's signer "
                                                   "(default: PHOTOS_DIR/groups.csv)")
    p.add_argument("--words", default=None, help="words to spell, one a line (default: the shipped English list)")
    p.add_argument("--names", default=None, help="names no word list holds, one a line, or none "
                                                  "(default: the shipped English names)")
    p.add_argument("--lexicon", default=None, metavar="en|ru|kk|FILE|none",
                   help="word list to decode with, besides without one (default: en)")
    p.add_argument("--letters-per-second", default=None, help="signing speeds (default: 1.5,3,5)")
    p.add_argument("--fps", default=None, help="frame rates, each dividing 30 (default: 30,15)")
    p.add_argument("--classifier", default=None, help="landmark classifier trained per held-out signer (default: logreg)")
    p.add_argument("--signers", default=None, help="comma list: hold out only these signers (default: each in turn)")
    p.add_argument("--all-labels", action="store_true",
                   help="train on every label folder, not only those that spell a letter (0-o counts as one)")
    p.add_argument("--leave-out", default=None, metavar="LABELS",
                   help="comma list of label folders not to train on: letters signed with a movement, such as "
                        "Massey's still end shapes of j,z, which the motion model spells in live")
    p.add_argument("--workers", type=int, default=None, help="extraction processes (default: all cores)")
    p.add_argument("--out", default=None, help="results folder (default: data/bench-spelling)")
    add_hand_model(p)
    p.set_defaults(run=cmd_bench_spelling)

    p = commands.add_parser("predict", help="label photos (files or folders) with a trained model")
    d = PredictOptions
    p.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders (searched recursively)")
    add_model(p, "model bundle, or a models folder for its best landmark model")
    p.add_argument("--output", default=d.output, help="results as .csv or .jsonl (default: a table on stdout)")
    p.add_argument("--min-confidence", type=float, default=d.min_confidence,
                   help="below it the state is unsure (default: %(default)s)")
    p.add_argument("--workers", type=int, default=d.workers, help="detection processes (default: all cores)")
    add_hand_model(p)
    p.set_defaults(run=cmd_predict)

    p = commands.add_parser("evaluate", help="score models on a labelled folder of new photos (new signers)")
    d = EvaluateOptions
    p.add_argument("data_dir", metavar="DATA_DIR", help="DATA_DIR/<label>/<image>, like extract's input")
    p.add_argument("--model", dest="models", action="append", default=list(d.models), metavar="FILE|DIR",
                   help=f"model bundle, or a models folder for its best landmark model; repeat to compare "
                        f"(default: {MODELS_DIR})")
    p.add_argument("--all", dest="all_models", action="store_true",
                   help="every model in each models folder, not only its best")
    p.add_argument("--groups", default=d.groups, help="CSV path,group (default: DATA_DIR/groups.csv when present)")
    p.add_argument("--out", default=d.out, help="report folder (default: %(default)s)")
    p.add_argument("--workers", type=int, default=d.workers, help="detection processes (default: all cores)")
    add_hand_model(p)
    p.set_defaults(run=cmd_evaluate)

    p = commands.add_parser("export", help="a landmark model as one ONNX graph for apps")
    d = ExportOptions
    add_model(p, "model bundle, or a models folder for its best landmark model")
    p.add_argument("--format", default=d.format, choices=EXPORT_FORMATS)
    p.add_argument("--out", required=True, help="the .onnx file to write")
    p.set_defaults(run=cmd_export)

    add_split_signers(commands)
    add_make_clips(commands)
    add_evaluate_motion(commands)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    from landmarks.errors import Interrupted, UserError
    from landmarks.files import os_error_line
    from landmarks.quiet import set_verbose

    set_verbose(args.verbose)

    try:
        return args.run(args)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as error:
        kept = str(error) if isinstance(error, Interrupted) else WRITTEN_AT_THE_END.get(args.command,
                                                                                      "finished work was saved")
        print(f"interrupted; {kept}", file=sys.stderr)
        return 130
    except OSError as error:  # the file system said no where no command expected it: still one line
        print(f"error: {os_error_line(error, doing='use')}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
