"""PlantUML's text encoding for server URLs (deflate + its own base64 alphabet); pure.

https://plantuml.com/text-encoding — the same bytes as the ``plantuml`` PyPI
client's ``deflate_and_encode``, without its network imports.
"""

from __future__ import annotations

import zlib

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def _encode6(data: bytes) -> str:
    out = []
    for i in range(0, len(data), 3):
        chunk = data[i:i + 3] + b"\0" * (3 - len(data[i:i + 3]))
        n = (chunk[0] << 16) | (chunk[1] << 8) | chunk[2]
        out.append("".join(_ALPHABET[(n >> s) & 0x3F] for s in (18, 12, 6, 0)))
    return "".join(out)


def encode(source: str) -> str:
    """The ``~``-less encoded form used in ``<server>/svg/<encoded>``."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)   # raw deflate, no zlib header
    raw = compressor.compress(source.encode("utf-8")) + compressor.flush()
    return _encode6(raw)


def strip_header(source: str) -> str:
    """The diagram without schemac's ``'`` header comment (it holds a content hash that
    would change every link while the picture stays the same)."""
    return "\n".join(line for line in source.split("\n")
                     if not (line.startswith("' ") and "schemac-hash:" in line))


def server_url(server: str, source: str, fmt: str = "svg") -> str:
    return f"{server.rstrip('/')}/{fmt}/{encode(strip_header(source))}"
