"""Font files a layout names: checked to be TrueType fonts before any library reads them.

The check reads the sfnt header and table directory only (a few hundred bytes): a file that
is not a font, a PostScript-flavoured OpenType (which ReportLab cannot embed), a collection,
or a truncated file is refused with a reason, instead of failing deep inside a writer.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

MAX_FONT_BYTES = 50 * 1024 * 1024
TRUETYPE = (b"\x00\x01\x00\x00", b"true")
POST_FORMATS = (b"\x00\x01\x00\x00", b"\x00\x02\x00\x00", b"\x00\x02\x50\x00", b"\x00\x03\x00\x00")
CMAPS = (0, 2, 4, 6, 8, 10, 12, 13, 14)
NEEDED = (b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"post")


def font_file_problem(path: Path) -> str | None:
    """Why the file is not a TrueType font the writers can embed, or None if it is one."""
    if not path.is_file():
        return "is not a file"
    size = path.stat().st_size
    if size > MAX_FONT_BYTES:
        return f"is {size:,} bytes, over the limit of {MAX_FONT_BYTES:,} for a font"
    with path.open("rb") as file:
        head = file.read(12)
        if len(head) < 12:
            return "is not a font file (too short)"
        tag = head[:4]
        if tag == b"OTTO":
            return "has PostScript (CFF) outlines, which the PDF writer cannot embed"
        if tag == b"ttcf":
            return "is a font collection (.ttc)"
        if tag not in TRUETYPE:
            return "is not a TrueType font file"
        (count,) = struct.unpack(">H", head[4:6])
        directory = file.read(16 * count)
    if count == 0 or len(directory) < 16 * count:
        return "is a truncated font file"
    tables = {}
    for i in range(count):
        name, _, offset, length = struct.unpack(">4sIII", directory[16 * i : 16 * i + 16])
        tables[name] = (offset, length)
    missing = [t.decode("latin-1") for t in NEEDED if t not in tables]
    if missing:
        return f"is a font without its {', '.join(missing)} table(s)"
    if any(offset + length > size for offset, length in tables.values()):
        return "is a truncated font file"
    return _table_problem(path, tables)


def _table_problem(path: Path, tables: dict[bytes, tuple[int, int]]) -> str | None:
    """The first of the tables the writers read whose header is not one they can read."""
    with path.open("rb") as file:

        def read(tag: bytes, start: int, length: int) -> bytes:
            offset, size = tables[tag]
            if start + length > size:
                return b""
            file.seek(offset + start)
            return file.read(length)

        checks = (
            (
                b"head",
                read(b"head", 0, 16),
                lambda d: d[:4] == b"\x00\x01\x00\x00" and d[12:16] == b"\x5f\x0f\x3c\xf5",
            ),
            (b"hhea", read(b"hhea", 0, 4), lambda d: d == b"\x00\x01\x00\x00"),
            (
                b"maxp",
                read(b"maxp", 0, 6),
                lambda d: d[:4] == b"\x00\x01\x00\x00" and d[4:6] != b"\x00\x00",
            ),
            (b"post", read(b"post", 0, 4), lambda d: d in POST_FORMATS),
            (
                b"name",
                read(b"name", 0, 4),
                lambda d: d[:2] in (b"\x00\x00", b"\x00\x01") and d[2:4] != b"\x00\x00",
            ),
        )
        for tag, data, good in checks:
            if not data or not good(data):
                return f"has a damaged {tag.decode()} table"
        return _cmap_problem(read, tables[b"cmap"][1])


def _cmap_problem(read: Callable[[bytes, int, int], bytes], length: int) -> str | None:
    """The character map: version 0, and each subtable inside it in a known format."""
    head = read(b"cmap", 0, 4)
    if len(head) < 4 or head[:2] != b"\x00\x00" or head[2:4] == b"\x00\x00":
        return "has a damaged cmap table"
    (count,) = struct.unpack(">H", head[2:4])
    records = read(b"cmap", 4, 8 * count)
    if len(records) < 8 * count:
        return "has a damaged cmap table"
    for i in range(count):
        (offset,) = struct.unpack(">I", records[8 * i + 4 : 8 * i + 8])
        form = read(b"cmap", offset, 2)
        if offset + 2 > length or len(form) < 2 or struct.unpack(">H", form)[0] not in CMAPS:
            return "has a damaged cmap table"
    return None
