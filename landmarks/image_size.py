"""What an image file really is (from its first bytes, whatever its name) and how many pixels it
claims, read from its header before OpenCV decodes it: the pixel limit then holds for every format.

The signatures mirror those of the decoders in OpenCV's imgcodecs; a file matching none of them is
not decoded at all, so nothing unbounded reaches the decoder.
"""
import re
import struct
import warnings
from io import BytesIO

from PIL import Image

# (format, does the file start like one?), in OpenCV's order of checks
_SIGNATURES = (
    ("JPEG", lambda h: h.startswith(b"\xff\xd8\xff")),
    ("PNG", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    ("BMP", lambda h: h.startswith(b"BM")),
    ("WEBP", lambda h: h.startswith(b"RIFF") and h[8:12] == b"WEBP"),
    ("GIF", lambda h: h[:6] in (b"GIF87a", b"GIF89a")),
    ("TIFF", lambda h: h[:4] in (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+")),
    ("JPEG2000", lambda h: h.startswith((b"\0\0\0\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51"))),
    ("AVIF", lambda h: h[4:8] == b"ftyp" and _brands(h) & {b"avif", b"avis"}),
    ("SUN", lambda h: h.startswith(b"\x59\xa6\x6a\x95")),
    ("PNM", lambda h: re.match(rb"P[1-6]\s", h) is not None),
    ("PAM", lambda h: re.match(rb"P7\s", h) is not None),
    ("PFM", lambda h: re.match(rb"P[Ff]\s", h) is not None),
    ("HDR", lambda h: h.startswith((b"#?RGBE", b"#?RADIANCE"))),
)
# Photo formats this build of OpenCV does not decode: named, so the failures file says what to do.
_UNSUPPORTED = (
    ("HEIC", lambda h: h[4:8] == b"ftyp" and _brands(h) & {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1"}),
    ("OpenEXR", lambda h: h.startswith(b"v/1\x01")),
    ("JPEG XL", lambda h: h.startswith((b"\xff\x0a", b"\0\0\0\x0cJXL \r\n\x87\n"))),
    ("Photoshop", lambda h: h.startswith(b"8BPS")),
)
HEAD_BYTES = 256  # every signature above, and an ISO media `ftyp` box with its brands
MAX_CHANNELS = 4  # what OpenCV's decoders turn into an image; more would multiply the memory per pixel


def _brands(head):
    """The major and compatible brands of an ISO media file's `ftyp` box within `head`."""
    size = int.from_bytes(head[:4], "big")
    return {head[i:i + 4] for i in range(8, min(size, len(head)), 4)} - {b"\0\0\0\0"}


def image_format(head):
    """("decodable" | "unsupported" | None, format name) for a file starting with the bytes `head`."""
    for kind, table in (("decodable", _SIGNATURES), ("unsupported", _UNSUPPORTED)):
        for name, matches in table:
            if matches(head):
                return kind, name
    return None, ""


def pixel_size(name, data):
    """(width, height) claimed by the header of a `name` image whose bytes are `data`.

    Raises ValueError when the header cannot be read (a damaged file), Image.DecompressionBombError
    beyond even Pillow's own limit.
    """
    data = bytes(data)
    reader = _OWN_READERS.get(name)
    if reader is not None:
        try:
            width, height = reader(data[:1 << 16] if name != "TIFF" else data)
        except (struct.error, IndexError, TypeError) as error:
            raise ValueError(f"damaged {name} header") from error
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                with Image.open(BytesIO(data), formats=[_PILLOW_NAMES.get(name, name)]) as header:
                    width, height = header.size
                    channels = len(header.getbands())
            except Image.DecompressionBombError:
                raise
            except Exception as error:  # noqa: BLE001 -- any reason Pillow cannot read the header
                raise ValueError(f"damaged {name} header") from error
        if channels > MAX_CHANNELS:
            raise ValueError(f"{name} image with {channels} channels")
    if width <= 0 or height <= 0:
        raise ValueError(f"{name} header says {width}x{height} px")
    return width, height


def _png(head):
    return struct.unpack(">II", head[16:24])


def _bmp(head):
    if struct.unpack("<I", head[14:18])[0] == 12:  # OS/2 1.x header: 16-bit sizes
        return struct.unpack("<HH", head[18:22])
    width, height = struct.unpack("<ii", head[18:26])
    return abs(width), abs(height)  # a negative height means top-down rows


def _gif(head):
    return struct.unpack("<HH", head[6:10])


def _numbers(pattern, head, name):
    match = re.search(pattern, head)
    if match is None:
        raise ValueError(f"damaged {name} header")
    return [int(n) for n in match.groups()]


def _pfm(head):
    return _numbers(rb"^P[Ff]\s+(\d+)\s+(\d+)\s", head, "PFM")


def _pam(head):
    header = head.split(b"ENDHDR", 1)[0]
    (width,), (height,) = _numbers(rb"\sWIDTH\s+(\d+)", header, "PAM"), _numbers(rb"\sHEIGHT\s+(\d+)", header, "PAM")
    depth = re.search(rb"\sDEPTH\s+(\d+)", header)
    if depth and int(depth.group(1)) > MAX_CHANNELS:
        raise ValueError(f"PAM image with {int(depth.group(1))} channels")
    return width, height


def _hdr(head):
    """Radiance: text lines, a blank line, then the resolution (e.g. `-Y 480 +X 640`)."""
    first, second = _numbers(rb"\n\n[-+][XY] +(\d+) +[-+][XY] +(\d+)", head, "Radiance HDR")
    return second, first


_TIFF_TAGS = {256: "width", 257: "height", 277: "channels"}


def _tiff(data):
    """The first image's size from its directory (classic or BigTIFF); libtiff decodes only that one."""
    order = "<" if data[:2] == b"II" else ">"
    big = data[2:4] in (b"+\0", b"\0+")
    if big:
        (offset,) = struct.unpack(order + "Q", data[8:16])
        count_format, entry_size, value_at = "Q", 20, 12
    else:
        (offset,) = struct.unpack(order + "I", data[4:8])
        count_format, entry_size, value_at = "H", 12, 8
    (count,) = struct.unpack_from(order + count_format, data, offset)
    start = offset + struct.calcsize(count_format)
    found = {}
    for index in range(min(count, 4096)):
        at = start + index * entry_size
        tag, kind = struct.unpack_from(order + "HH", data, at)
        if tag in _TIFF_TAGS:
            value_format = {3: "H", 4: "I", 16: "Q"}.get(kind)
            if value_format is None:
                raise ValueError("damaged TIFF header")
            (found[_TIFF_TAGS[tag]],) = struct.unpack_from(order + value_format, data, at + value_at)
    if "width" not in found or "height" not in found:
        raise ValueError("TIFF header without a size")
    if found.get("channels", 1) > MAX_CHANNELS:
        raise ValueError(f"TIFF image with {found['channels']} channels")
    return found["width"], found["height"]


_OWN_READERS = {"PNG": _png, "BMP": _bmp, "GIF": _gif, "TIFF": _tiff, "PFM": _pfm, "PAM": _pam, "HDR": _hdr}
_PILLOW_NAMES = {"PNM": "PPM"}
