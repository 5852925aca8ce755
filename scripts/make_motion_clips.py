"""Generate motion clips from real photos: `python scripts/make_motion_clips.py OUT [--photos DIR] ...`.

Each clip moves and turns one photo inside a 640x480 frame (motion/synth.py); OUT/<label>/<clip>
plus OUT/groups.csv (the photo's signer), ready for `python cli.py extract-motion OUT`.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from landmarks.errors import UserError  # noqa: E402
from motion.clipset import ASL_PLAN, make_clip_set, word_frames  # noqa: E402
from motion.synth import write_video  # noqa: E402

# JAZZ with the Massey shapes: J is I drawing a hook, Z is D drawing a Z, A is held still.
JAZZ = [("i", "j"), ("a", "still"), ("d", "z"), ("d", "z")]

MASSEY = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "massey-asl-dev" / "images"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder for OUT/<label>/<clip>")
    parser.add_argument("--photos", default=str(MASSEY), help="photos in DIR/<label>/ with DIR/groups.csv "
                        "(default: the shared Massey ASL photos)")
    parser.add_argument("--plan", default=ASL_PLAN,
                        help="LABEL=PHOTO_LABEL:MOTION[+MOTION],... motions: j, z, shift, still (default: %(default)s)")
    parser.add_argument("--per-motion", type=int, default=10, help="clips per label, motion and signer")
    parser.add_argument("--signers", default=None, help="comma list of signer groups to use (default: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--frames", action="store_true", help="numbered-frame folders instead of MJPG videos")
    parser.add_argument("--word-video", action="store_true",
                        help="instead: OUT is one video of the first --signers signer spelling JAZZ")
    args = parser.parse_args(argv)
    if args.word_video:
        signer = (args.signers or "hand4").split(",")[0]
        write_video(word_frames(args.photos, JAZZ, signer, seed=args.seed), args.out)
        print(f"make_motion_clips: {signer} spelling jazz -> {args.out}")
        return 0
    try:
        groups = make_clip_set(args.photos, args.out, args.plan, args.per_motion,
                               args.signers.split(",") if args.signers else None, args.seed, not args.frames)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"make_motion_clips: {len(groups)} clips from {len(set(groups.values()))} signers -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
