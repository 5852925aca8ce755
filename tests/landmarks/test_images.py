import cv2
import numpy as np
import pytest

from landmarks.images import DataDirError, ImageError, list_labelled_images, read_rgb, scan_labelled_images


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def encoded(image, ext):
    ok, data = cv2.imencode(ext, image)
    assert ok
    return data.tobytes()


@pytest.mark.parametrize("image, ext", [
    (np.full((40, 30), 128, np.uint8), ".png"),
    (np.full((40, 30), 40000, np.uint16), ".png"),
    (np.full((40, 30, 4), 200, np.uint8), ".png"),
    (np.full((40, 30, 3), 90, np.uint8), ".bmp"),
    (np.full((40, 30, 3), 90, np.uint8), ".webp"),
], ids=["gray-png", "16bit-png", "rgba-png", "bmp", "webp"])
def test_decodes_to_rgb8(tmp_path, image, ext):
    rgb = read_rgb(write(tmp_path / f"img{ext}", encoded(image, ext)))
    assert rgb.shape == (40, 30, 3) and rgb.dtype == np.uint8


def test_16bit_keeps_brightness(tmp_path):
    rgb = read_rgb(write(tmp_path / "deep.png", encoded(np.full((20, 20), 40000, np.uint16), ".png")))
    assert rgb[0, 0, 0] == 40000 >> 8


def test_channel_order_is_rgb(tmp_path):
    blue_bgr = np.zeros((20, 20, 3), np.uint8)
    blue_bgr[..., 0] = 255
    assert tuple(read_rgb(write(tmp_path / "blue.png", encoded(blue_bgr, ".png")))[0, 0]) == (0, 0, 255)


@pytest.mark.parametrize("data, reason", [
    (b"", "empty_file"),
    (b"this is a text file, not a photo\n", "not_an_image"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "unreadable"),
], ids=["zero-bytes", "text-named-jpg", "jpeg-header-only"])
def test_bad_files_name_their_reason(tmp_path, data, reason):
    with pytest.raises(ImageError, match="bad.jpg") as caught:
        read_rgb(write(tmp_path / "bad.jpg", data))
    assert caught.value.reason == reason


def test_one_pixel_image_is_too_small(tmp_path):
    with pytest.raises(ImageError, match="too small") as caught:
        read_rgb(write(tmp_path / "dot.png", encoded(np.zeros((1, 1, 3), np.uint8), ".png")))
    assert caught.value.reason == "too_small"


def test_truncated_jpeg_does_not_crash(tmp_path, samples_dir):
    photo = (samples_dir / "5").glob("*.JPG").__next__().read_bytes()
    path = write(tmp_path / "cut.jpg", photo[: len(photo) // 2])
    try:
        assert read_rgb(path).shape[2] == 3  # OpenCV may decode the top half
    except ImageError as error:
        assert error.reason == "unreadable"


def test_lists_every_file_in_label_folders_whatever_its_name(tmp_path):
    """The decoder tells a photo from the bytes: a .tif, .heic or extensionless file is no longer skipped."""
    for relpath in ["Ә/a.JPG", "Ә/b.jpeg", "Қ/c.Png", "Қ/notes.txt", "Ң/d.webp", "Ң/e.BMP", "Ң/f.tif", "Ң/IMG_2"]:
        write(tmp_path / relpath, b"x")
    found = list_labelled_images(tmp_path)
    expected = [("Ә/a.JPG", "Ә"), ("Ә/b.jpeg", "Ә"), ("Қ/c.Png", "Қ"), ("Қ/notes.txt", "Қ"), ("Ң/IMG_2", "Ң"),
                ("Ң/d.webp", "Ң"), ("Ң/e.BMP", "Ң"), ("Ң/f.tif", "Ң")]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize("make, message", [
    (lambda root: root / "missing", "does not exist"),
    (lambda root: root, "has no label folders"),
    (lambda root: (root / "A").mkdir() or root, "no images"),
], ids=["missing", "empty", "labels-without-images"])
def test_unusable_data_dir(tmp_path, make, message):
    with pytest.raises(DataDirError, match=message):
        list_labelled_images(make(tmp_path))


def test_decomposed_folder_names_give_composed_labels(tmp_path):
    decomposed = "\u0418\u0306"  # И + combining breve, as HFS+ stores Й
    write(tmp_path / decomposed / "a.jpg", b"x")
    assert list_labelled_images(tmp_path) == [(f"{decomposed}/a.jpg", "\u0419")]


def png_header(width, height):
    """A PNG that claims `width` x `height` pixels in its header, with no pixel data at all."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("width, height", [(8000, 7000), (32000, 32000), (100000, 100000)],
                         ids=["56MP", "1GP", "10GP-beyond-pillow"])
def test_huge_images_are_refused_from_the_header(tmp_path, width, height):
    with pytest.raises(ImageError, match="megapixels") as error:
        read_rgb(write(tmp_path / "huge.png", png_header(width, height)))
    assert error.value.reason == "too_large"


def test_the_pixel_limit_is_settable(tmp_path):
    path = write(tmp_path / "a.png", encoded(np.full((40, 30, 3), 90, np.uint8), ".png"))
    assert read_rgb(path, max_pixels=1200).shape == (40, 30, 3)
    with pytest.raises(ImageError, match="40x30|30x40"):
        read_rgb(path, max_pixels=1199)


def test_scan_lists_what_it_cannot_read(tmp_path, monkeypatch):
    import os

    good = write(tmp_path / "A" / "ok.jpg", b"x")
    (tmp_path / "A" / "gone.jpg").symlink_to(tmp_path / "A" / "nowhere.jpg")
    (tmp_path / "A" / "loop.jpg").symlink_to(tmp_path / "A" / "loop.jpg")
    os.mkfifo(tmp_path / "A" / "pipe.jpg")
    (tmp_path / "A" / "folder.jpg").mkdir()
    write(tmp_path / "A" / "folder.jpg" / "inner.png", b"x")
    (tmp_path / "A" / "back").symlink_to(tmp_path / "A")
    write(tmp_path / "B" / "hidden.jpg", b"x")
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                        if str(path) == str(tmp_path / "B") else real_scandir(path))
    images, problems = scan_labelled_images(tmp_path)
    assert images == [("A/folder.jpg/inner.png", "A"), ("A/ok.jpg", "A")] and good.is_file()
    assert {(p[0], p[2]) for p in problems} == {
        ("A/gone.jpg", "broken_link"), ("A/loop.jpg", "broken_link"), ("A/pipe.jpg", "not_a_file"),
        ("A/folder.jpg", "not_a_file"), ("A/back", "link_loop"), ("B", "unreadable_folder")}
