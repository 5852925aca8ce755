"""Inputs, waits and option ranges, built here: images whose header is the only thing that bounds their
memory, folders whose walk could block or never end, scheduler addresses where no Dask scheduler
answers, options out of range. Each case: exit code, one line, no traceback, no hang, bounded memory."""
import os
import resource
import struct
import subprocess
import sys

import cv2
import numpy as np
import pandas as pd
import pytest

from landmarks.images import ImageError, decode_rgb, scan_labelled_images
from tests.conftest import REPO, copy_samples
from tests.test_robustness import no_work, one_line, read_failures, run

SECONDS = 30
MAX_RSS_MB = 1500


def run_child(*argv, timeout=SECONDS):
    """(exit code, stdout, stderr, peak RSS in MB of any child so far) of `cli.py argv` in its own process."""
    done = subprocess.run([sys.executable, str(REPO / "cli.py"), *map(str, argv)], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO, errors="replace")
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return done.returncode, done.stdout, done.stderr, peak


# --- images: the pixel limit holds for every format the decoder accepts --------------------------------

def hdr_header(width, height):
    """A Radiance HDR that claims `width` x `height` float pixels, with almost no data."""
    return b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n" + f"-Y {height} +X {width}\n".encode() + b"\0" * 4096


def tiff_header(width, height, big=False):
    """A little-endian float TIFF (classic or BigTIFF) whose only directory claims `width` x `height`."""
    tags = [(256, 4, width), (257, 4, height), (258, 3, 32), (277, 3, 3), (339, 3, 3), (273, 4, 0), (279, 4, 0)]
    if big:
        head = b"II+\0" + struct.pack("<HHQ", 8, 0, 16)
        return head + struct.pack("<Q", len(tags)) + b"".join(struct.pack("<HHQQ", t, k, 1, v) for t, k, v in tags)
    head = b"II*\0" + struct.pack("<I", 8)
    return head + struct.pack("<H", len(tags)) + b"".join(struct.pack("<HHII", t, k, 1, v) for t, k, v in tags)


HUGE = {
    "hdr-named-jpg.jpg": hdr_header(15000, 15000),
    "float.tif": tiff_header(15000, 15000),
    "bigtiff.tif": tiff_header(15000, 15000, big=True),
    "float.pfm": b"PF\n15000 15000\n-1\n" + b"\0" * 4096,
    "wide.pam": b"P7\nWIDTH 15000\nHEIGHT 15000\nDEPTH 3\nMAXVAL 65535\nTUPLTYPE RGB\nENDHDR\n" + b"\0" * 4096,
}


@pytest.mark.parametrize("name", sorted(HUGE))
def test_headers_of_every_format_are_checked_against_the_limit(name):
    with pytest.raises(ImageError, match="15000x15000 px is more than the limit of 1 megapixels") as error:
        decode_rgb(HUGE[name], name, max_pixels=1e6)
    assert error.value.reason == "too_large"


@pytest.mark.parametrize("ext, dtype", [(".tif", np.float32), (".tif", np.uint16), (".pfm", np.float32),
                                        (".hdr", np.float32), (".pam", np.uint8), (".ppm", np.uint8),
                                        (".ras", np.uint8), (".avif", np.uint8), (".gif", np.uint8),
                                        (".jp2", np.uint8)])
def test_every_decodable_format_decodes_under_the_limit(ext, dtype):
    image = (np.random.default_rng(0).random((64, 48, 3)) * (1 if dtype == np.float32 else 200)).astype(dtype)
    ok, data = cv2.imencode(ext, image)
    assert ok and decode_rgb(data, f"a{ext}", max_pixels=64 * 48).shape == (64, 48, 3)
    with pytest.raises(ImageError, match="48x64 px"):
        decode_rgb(data, f"a{ext}", max_pixels=64 * 48 - 1)


@pytest.mark.parametrize("data, reason", [
    (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64, "unsupported_format"),
    (b"v/1\x01" + b"\0" * 64, "unsupported_format"),
    (b"II*\0" + struct.pack("<I", 1 << 30), "unreadable"),
    (b"#?RADIANCE\nno resolution line", "unreadable"),
    (b"RIFF\0\0\0\0WAVEfmt ", "not_an_image"),
], ids=["heic", "openexr", "tiff-directory-past-the-end", "hdr-without-size", "wav"])
def test_formats_that_cannot_be_bounded_or_decoded_are_refused(data, reason):
    with pytest.raises(ImageError) as error:
        decode_rgb(data, "x", max_pixels=1e6)
    assert error.value.reason == reason


def test_extract_refuses_huge_headers_in_bounded_memory(tmp_path):
    root = tmp_path / "d"
    (root / "A").mkdir(parents=True)
    for name, data in HUGE.items():
        (root / "A" / name).write_bytes(data)
    code, out, _, peak = run_child("extract", root, "--out", tmp_path / "f.csv", "--workers", "1",
                                   "--max-megapixels", "1")
    assert code == 0 and "0 rows written" in out and peak < MAX_RSS_MB
    assert dict(read_failures(tmp_path / "f.csv")) == {f"A/{name}": "too_large" for name in HUGE}


# --- folders: every file gives a row or a line; no walk blocks or never ends -----------------------------

def test_every_file_under_the_data_folder_gives_a_row_or_a_line(tmp_path, capsys):
    root = copy_samples(tmp_path / "d", per_label=1, labels={"1"})
    photo = next((root / "1").iterdir())
    (root / "top.jpg").write_bytes(photo.read_bytes())
    (root / "IMG_0001").write_bytes(photo.read_bytes())  # a photo at the top without an extension
    (root / ".hidden").mkdir()
    (root / ".hidden" / "a.jpg").write_bytes(photo.read_bytes())
    (root / "1" / "no_extension").write_bytes(photo.read_bytes())
    (root / "1" / "photo.tif").write_bytes(cv2.imencode(".tif", cv2.imread(str(photo)))[1].tobytes())
    (root / "1" / "phone.heic").write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64)
    code, out, _ = run(capsys, "extract", root, "--out", tmp_path / "f.csv", "--workers", "1")
    table = pd.read_csv(tmp_path / "f.csv")
    assert code == 0 and set(table["path"]) == {f"1/{photo.name}", "1/no_extension", "1/photo.tif"}
    assert dict(read_failures(tmp_path / "f.csv")) == {
        "top.jpg": "no_label", "IMG_0001": "no_label", ".hidden": "hidden", "1/phone.heic": "unsupported_format"}


def test_files_at_the_top_that_are_not_photos_stay_ignored(tmp_path):
    root = tmp_path / "d"
    (root / "A").mkdir(parents=True)
    (root / "A" / "a.jpg").write_bytes(b"x")
    for name in ("groups.csv", "README.md", "LICENSE"):
        (root / name).write_text("text\n")
    assert scan_labelled_images(root) == ([("A/a.jpg", "A")], [])


def diamond(root, levels=23):
    """Folders level0..levelN, each holding two links to the next: 2**levels paths to the last one."""
    for level in range(levels, -1, -1):
        (root / f"level{level}").mkdir(parents=True)
        if level < levels:
            for side in ("left", "right"):
                (root / f"level{level}" / side).symlink_to(root / f"level{level + 1}")
    (root / f"level{levels}" / "a.jpg").write_bytes(b"x")
    return root


@pytest.mark.parametrize("command", ["extract", "groups"])
def test_a_diamond_of_folder_links_is_walked_once(tmp_path, command):
    root = tmp_path / "d"
    diamond(root / "A")
    code, out, err, _ = run_child(command, root, "--out", tmp_path / "out.csv", *(
        ["--workers", "1"] if command == "extract" else []))
    if command == "extract":
        failures = read_failures(tmp_path / "out.csv")
        assert code == 0 and dict(failures.value_counts()) == {"link_loop": 46, "not_an_image": 1}
    else:
        assert code == 1 and "not <digit>/<name><number>" in one_line(err)


def test_names_that_are_not_utf8_are_listed_escaped(tmp_path, capsys):
    root = copy_samples(tmp_path / "d", per_label=1, labels={"1"})
    bad = os.fsdecode(b"photo\xff.jpg")
    (root / "1" / bad).write_bytes(next((root / "1").iterdir()).read_bytes())
    (root / os.fsdecode(b"label\xfe")).mkdir()
    code, out, _ = run(capsys, "extract", root, "--out", tmp_path / "f.csv", "--workers", "1")
    assert code == 0 and "1 rows written" in out
    assert dict(read_failures(tmp_path / "f.csv")) == {"1/photo\\xff.jpg": "name_not_utf8",
                                                        "label\\xfe": "name_not_utf8"}


def test_a_named_pipe_in_a_frame_folder_is_never_waited_on(tmp_path):
    from live.sources import FrameSource
    from motion.clips import read_frames

    cv2.imwrite(str(tmp_path / "0001.png"), np.full((32, 32, 3), 90, np.uint8))
    os.mkfifo(tmp_path / "0002.png")  # nobody ever writes to it: opening it to read would block
    assert [frame.rgb is None for frame in FrameSource(tmp_path)] == [False, True]
    assert [rgb is None for _, rgb in read_frames(tmp_path)] == [False, True]


# --- waiting is bounded: what answers at --scheduler must greet like a Dask scheduler ----------------------

@pytest.fixture
def tcp_server():
    """Start a server on 127.0.0.1 that answers each connection with `respond(socket)`; yields its address."""
    import socket
    import threading

    servers = []

    def start(respond):
        server = socket.create_server(("127.0.0.1", 0))
        servers.append(server)

        def serve():
            while True:
                try:
                    peer, _ = server.accept()
                except OSError:
                    return
                threading.Thread(target=respond, args=(peer,), daemon=True).start()

        threading.Thread(target=serve, daemon=True).start()
        return f"tcp://127.0.0.1:{server.getsockname()[1]}"

    yield start
    for server in servers:
        server.close()


def http_server(peer):
    """An HTTP server: it waits for a request before it says anything."""
    peer.recv(65536)
    peer.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
    peer.close()


def random_bytes(peer):
    """A stranger that sends random bytes at once: its first 8 would be a length of exabytes."""
    peer.sendall(b"\xff" * 8 + os.urandom(4096))
    peer.close()


@pytest.mark.parametrize("command", [["extract", "{data}", "--out", "{tmp}/f.csv"],
                                     ["train", "{tmp}/f.csv", "--search", "--out", "{tmp}/models"]],
                         ids=["extract", "train-search"])
@pytest.mark.parametrize("respond, message", [(http_server, "it said nothing within"),
                                              (random_bytes, "it is something else")], ids=["http", "random-bytes"])
def test_a_scheduler_address_where_something_else_listens(tmp_path, samples_dir, tcp_server, command, respond, message):
    pytest.importorskip("distributed", reason="Dask is not installed (pip install -r requirements-cluster.txt)")
    address = tcp_server(respond)
    argv = [a.format(data=samples_dir, tmp=tmp_path) for a in command]
    code, _, err, peak = run_child(*argv, "--scheduler", address)
    assert code == 1 and f"what answers at {address} is not a Dask scheduler ({message}" in one_line(err)
    assert peak < MAX_RSS_MB


@pytest.mark.parametrize("address, message", [
    ("ucx://127.0.0.1:8786", "the ucx:// protocol is not supported"),
    ("tls://127.0.0.1:8786", "the tls:// protocol is not supported"),
    ("tcp://127.0.0.1:99999", "is not an address"),
    ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler"),
], ids=["ucx", "tls", "port-out-of-range", "nothing-listens"])
def test_scheduler_addresses_dask_cannot_use(tmp_path, capsys, monkeypatch, samples_dir, address, message):
    pytest.importorskip("distributed", reason="Dask is not installed (pip install -r requirements-cluster.txt)")
    no_work(monkeypatch)
    code, _, err = run(capsys, "extract", samples_dir, "--out", tmp_path / "f.csv", "--scheduler", address)
    assert code == 1 and message in one_line(err)


def test_a_real_dask_greeting_passes(tcp_server):
    from landmarks.scheduler_check import check_scheduler

    greeting = (b":\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0*\0\0\0\0\0\0\0\x83\xabcompression\xc0\xa6python\x93\x03\x0b\x07"
                b"\xafpickle-protocol\x05")  # what a distributed 2026.8 scheduler sends first
    check_scheduler(tcp_server(lambda peer: peer.sendall(greeting)))


# --- options out of range: one line before any work -------------------------------------------------------

@pytest.mark.parametrize("argv, message", [
    (["extract", "{data}", "--max-megapixels", "nan"], "--max-megapixels nan is out of range"),
    (["extract", "{data}", "--max-megapixels", "inf"], "--max-megapixels inf is out of range"),
    (["extract", "{data}", "--max-megapixels", "5000"], "--max-megapixels 5000.0 is out of range; pass 0 to 1000"),
    (["extract-motion", "{tmp}/clips", "--workers", "0"], "--workers 0 starts no process"),
    (["extract-motion", "{tmp}/clips", "--workers", "-1"], "--workers -1 starts no process"),
    (["live", "--source", "²", "--headless"], "source ² is not a camera index"),
    (["live", "--source", "99999999999999999999", "--headless"], "pass 0 to 999 (a camera index)"),
    (["collect", "--labels", "A", "--source", "4294967296", "--headless"], "pass 0 to 999 (a camera index)"),
    (["collect", "--labels", "A~", "--clip-frames", "100000000", "--headless"], "--clip-frames 100000000 is out"),
    (["collect", "--labels", "A", "--count", "10000000000", "--headless"], "--count 10000000000 is out of range"),
    (["bench", "{data}", "--folds", "100000", "--out", "{tmp}/bench"], "--folds 100000 is out of range"),
    (["bench", "{data}", "--cnn-epochs", "0", "--out", "{tmp}/bench"], "--cnn-epochs 0 is out of range"),
    (["split-signers", "{data}", "--train", "{tmp}/a", "--test", "{tmp}/b", "--seed", "-1"], "--seed -1 is out of"),
    (["make-clips", "{tmp}/made", "--photos", "{data}", "--seed", "-5"], "--seed -5 is out of range"),
    (["make-clips", "{tmp}/made", "--photos", "{data}", "--per-motion", "0"], "--per-motion 0 is out of range"),
], ids=lambda value: None if isinstance(value, list) else value.split(" is ")[0].split(";")[0][:30])
def test_numbers_out_of_range_are_one_line_before_any_work(tmp_path, capsys, samples_dir, argv, message):
    (tmp_path / "clips" / "A").mkdir(parents=True)
    code, _, err = run(capsys, *[a.format(data=samples_dir, tmp=tmp_path) for a in argv])
    assert code == 1 and message in one_line(err)


def swapped_task(path):
    """A valid .task zip whose two models have swapped names: it loads, then fails on the first image."""
    import zipfile

    from landmarks.hand_models import resolve_hand_model

    with zipfile.ZipFile(resolve_hand_model("lite").path) as source, zipfile.ZipFile(path, "w") as task:
        task.writestr("hand_detector.tflite", source.read("hand_landmarks_detector.tflite"))
        task.writestr("hand_landmarks_detector.tflite", source.read("hand_detector.tflite"))
    return path


@pytest.mark.parametrize("command", [["extract", "{data}", "--out", "{tmp}/f.csv", "--workers", "1"],
                                     ["extract-motion", "{tmp}/clips", "--out", "{tmp}/m.csv", "--workers", "1"],
                                     ["collect", "--labels", "A", "--source", "{tmp}/clips/A/clip1", "--headless",
                                      "--out", "{tmp}/c"]],
                         ids=["extract", "extract-motion", "collect"])
def test_a_swapped_task_is_one_line(tmp_path, samples_dir, command):
    """In a child: after two graphs that failed to run, MediaPipe hangs a third in the same process."""
    (tmp_path / "clips" / "A" / "clip1").mkdir(parents=True)
    cv2.imwrite(str(tmp_path / "clips" / "A" / "clip1" / "0001.png"), np.full((64, 64, 3), 90, np.uint8))
    task = swapped_task(tmp_path / "swapped.task")
    argv = [a.format(data=samples_dir, tmp=tmp_path) for a in command]
    code, _, err, _ = run_child(*argv, "--hand-model", task)
    assert code == 1 and f"MediaPipe cannot run hand model {task} on an image" in one_line(err)


def test_a_display_that_cannot_be_reached_is_one_line(tmp_path, monkeypatch):
    """Qt aborts the process (134) on a display it cannot reach: the child's window test says so first."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Qt reaches the display through X11 or Wayland on Linux only")
    env = {**os.environ, "DISPLAY": ":97", "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run([sys.executable, str(REPO / "cli.py"), "live", "--source", str(tmp_path)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=SECONDS)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "no window opens on display :97" in one_line(done.stderr)


def test_extract_motion_lists_a_named_pipe_instead_of_waiting_on_it(tmp_path):
    from tests.live.live_helpers import write_video

    label = tmp_path / "clips" / "A"
    label.mkdir(parents=True)
    write_video([np.full((64, 64, 3), 90, np.uint8)] * 4, label / "real.avi")
    os.mkfifo(label / "pipe.mp4")
    (label / "gone.avi").symlink_to(label / "nowhere.avi")
    code, out, err, _ = run_child("extract-motion", tmp_path / "clips", "--out", tmp_path / "m.csv", "--workers", "1")
    assert code == 0, err
    failures = read_failures(tmp_path / "m.csv")
    assert (failures["A/pipe.mp4"], failures["A/gone.avi"]) == ("not_a_file", "unreadable")


def test_predict_and_evaluate_list_what_they_cannot_read(tmp_path, capsys, image_model):
    """Pipes and broken links get a row (never waited on), and so does a non-UTF-8 name (escaped)."""
    root = copy_samples(tmp_path / "d", per_label=1, labels={"0", "1"})
    folder = root / "0"
    photo = next(folder.iterdir())
    os.mkfifo(folder / "pipe.jpg")
    (folder / "gone.jpg").symlink_to(folder / "nowhere.jpg")
    (folder / os.fsdecode(b"bad\xff.jpg")).write_bytes(photo.read_bytes())
    unreadable = {"0/pipe.jpg", "0/gone.jpg", "0/bad\\xff.jpg"}
    code, _, _ = run(capsys, "evaluate", root, "--model", image_model, "--out", tmp_path / "report", "--workers", "1")
    predictions = pd.read_csv(next((tmp_path / "report").glob("*_predictions.csv")), dtype=str, keep_default_na=False)
    states = dict(zip(predictions["path"], predictions["state"]))
    assert code == 0 and {path: states.get(path) for path in unreadable} == dict.fromkeys(unreadable, "unreadable")
    code, _, _ = run(capsys, "predict", root, "--model", image_model, "--output", tmp_path / "p.csv", "--workers", "1")
    table = pd.read_csv(tmp_path / "p.csv", dtype=str, keep_default_na=False)
    states = {os.path.relpath(path, root): state for path, state in zip(table["path"], table["state"])}
    assert code == 0 and {path: states.get(path) for path in unreadable} == dict.fromkeys(unreadable, "unreadable")
    assert states[f"0/{photo.name}"] != "unreadable"


def test_predict_refuses_a_huge_header_in_bounded_memory(tmp_path, image_model):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "hdr.jpg").write_bytes(hdr_header(15000, 15000))  # 225 MP of floats: 2.7 GB decoded
    code, out, _, peak = run_child("predict", tmp_path / "photos", "--model", image_model, "--output",
                                   tmp_path / "p.csv", "--workers", "1")
    assert code == 0 and "1 unreadable" in out and peak < MAX_RSS_MB
