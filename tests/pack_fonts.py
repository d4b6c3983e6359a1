"""Make the Word writer's streams of the built-in fonts: `make packed-fonts` (after a font in
fonts/ changes; tests/writers/test_docx_size.py says when).

Each face, obfuscated as a Word file embeds it, is deflated by zopfli (the `zopfli` package,
a test dependency: a build never runs it) into generator/writers/docx/packed/, named by the
SHA-256 of the bytes it inflates to and its own (`stream_name`, which a build checks); streams
of faces no longer shipped are removed. Zopfli
takes about 20 s of CPU per face at these settings (5% smaller than zlib's best): too slow for
a build, so it is done here once.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

from generator.layout_spec import FONTS
from generator.writers.docx.fonts import embedded_font
from generator.writers.docx.package import (
    SHIPPED_STREAMS,
    SHIPPED_SUFFIX,
    shipped_stream,
    stream_name,
)

ZOPFLI = {"numiterations": 15, "blocksplittingmax": 0}
"""Zopfli's settings: unlimited block splitting gains 1% over its default of 15 blocks."""


def zopfli_stream(data: bytes) -> bytes:
    """A raw deflate stream of `data` by zopfli (its zlib container without its header and
    checksum)."""
    import zopfli.zlib

    stream = zopfli.zlib.compress(data, **ZOPFLI)[2:-4]
    if zlib.decompressobj(-15).decompress(stream) != data:
        raise RuntimeError("zopfli's stream does not inflate to the font")
    return stream


def inflates_to(stream: bytes, data: bytes) -> bool:
    """Whether a raw deflate stream is whole and inflates to exactly `data`."""
    inflater = zlib.decompressobj(-15)
    try:
        found = inflater.decompress(stream)
    except zlib.error:
        return False
    return found == data and inflater.eof and not inflater.unused_data


def built_in_faces() -> list[Path]:
    """The built-in font files, in name order."""
    return sorted(FONTS.glob("*.ttf"))


def main() -> None:
    SHIPPED_STREAMS.mkdir(exist_ok=True)
    kept = set()
    for face in built_in_faces():
        data = embedded_font(face)[1]
        digest = hashlib.sha256(data).hexdigest()
        stream = shipped_stream(digest)
        if stream is not None and inflates_to(stream, data):
            kept.add(stream_name(digest, stream))
            print(f"{face.name}: {stream_name(digest, stream)} is there")
            continue
        stream = zopfli_stream(data)
        name = stream_name(digest, stream)
        kept.add(name)
        (SHIPPED_STREAMS / name).write_bytes(stream)
        print(f"{face.name}: {len(data)} bytes -> {len(stream)} ({name})")
    for stale in SHIPPED_STREAMS.glob(f"*{SHIPPED_SUFFIX}"):
        if stale.name not in kept:
            stale.unlink()
            print(f"removed {stale.name}")


if __name__ == "__main__":
    main()
