"""Is a Dask scheduler what answers at --scheduler ADDRESS? Asked before Dask touches the address.

Dask's client trusts the first 8 bytes a peer sends as the length of a message and waits for all of it:
an HTTP server (which says nothing first) hangs it, a stranger's random bytes make it allocate
exabytes. So this opens the socket itself, waits a bounded time, reads a bounded number of bytes and
checks they are the greeting every Dask server sends first on a connection (distributed/comm/core.py
writes its handshake on accept; distributed/comm/tcp.py frames it): an unsigned 64-bit little-endian
byte count, then a frame count and frame lengths (the same framing), then a msgpack map naming
`pickle-protocol`.
"""
import socket
import struct
import time

from landmarks.errors import UserError

DEFAULT_PORT = 8786
CONNECT_SECONDS = 10
GREETING_SECONDS = 5
GREETING_MAX_BYTES = 1 << 16  # a greeting is about 60 bytes; nothing longer is read
_ADVICE = ("start one with `dask scheduler` and pass the tcp://HOST:8786 address it prints, "
           "or use --scheduler local")


def scheduler_host_port(address):
    """(host, port) of a `tcp://HOST:PORT` (or `HOST:PORT`) address; UserError for other schemes."""
    scheme, _, location = address.rpartition("://")
    if scheme not in ("", "tcp"):
        raise UserError(f"--scheduler {address}: the {scheme}:// protocol is not supported; "
                        "pass a tcp://HOST:PORT address or local")
    host, colon, port = location.rpartition(":")
    if not colon or "]" in port:  # no port, or an IPv6 address without one
        host, port = location, str(DEFAULT_PORT)
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UserError(f"--scheduler {address} is not an address; pass tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786) "
                        "or local")
    return host, int(port)


def check_scheduler(address):
    """Return when a Dask scheduler (or another Dask server) greets us at `address`; UserError otherwise."""
    if address == "local":
        return
    host, port = scheduler_host_port(address)
    try:
        with socket.create_connection((host, port), timeout=CONNECT_SECONDS) as peer:
            greeting = _read_greeting(peer)
    except OSError as error:
        raise UserError(f"cannot reach the Dask scheduler at {address} ({error.strerror or error}); "
                        f"{_ADVICE}") from None
    if not looks_like_dask_greeting(greeting):
        what = "said nothing" if not greeting else "is something else"
        raise UserError(f"what answers at {address} is not a Dask scheduler (it {what} within "
                        f"{GREETING_SECONDS} s); {_ADVICE}")


def _read_greeting(peer):
    """The peer's first bytes: as many as its own length prefix says, at most GREETING_MAX_BYTES, within
    GREETING_SECONDS."""
    data = b""
    deadline = time.monotonic() + GREETING_SECONDS
    while len(data) < GREETING_MAX_BYTES:
        wanted = 8 if len(data) < 8 else 8 + struct.unpack_from("<Q", data)[0]
        if len(data) >= wanted:
            break
        left = deadline - time.monotonic()
        if left <= 0:
            break
        peer.settimeout(left)
        try:
            chunk = peer.recv(min(GREETING_MAX_BYTES, wanted) - len(data))
        except TimeoutError:
            break
        if not chunk:
            break
        data += chunk
    return data


def looks_like_dask_greeting(data):
    """Dask's framing of a small handshake message: total, frame count, frame lengths that add up."""
    if len(data) < 24:
        return False
    total, frames = struct.unpack_from("<QQ", data)
    if not 0 < frames <= 16 or 8 + total != len(data) or total < 8 * (1 + frames):
        return False
    lengths = struct.unpack_from(f"<{frames}Q", data, 16)
    return 8 * (1 + frames) + sum(lengths) == total and b"pickle-protocol" in data
