"""Font files a layout names: checked to be TrueType fonts before any library reads them.

The check reads the sfnt header and table directory only (a few hundred bytes): a file that
is not a font, a PostScript-flavoured OpenType (which ReportLab cannot embed), a collection,
or a truncated file is refused with a reason, instead of failing deep inside a writer.
"""

from __future__ import annotations

import struct
from pathlib import Path

MAX_FONT_BYTES = 50 * 1024 * 1024
TRUETYPE = (b"\x00\x01\x00\x00", b"true")
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
        tables[name] = offset + length
    missing = [t.decode("latin-1") for t in NEEDED if t not in tables]
    if missing:
        return f"is a font without its {', '.join(missing)} table(s)"
    if max(tables.values()) > size:
        return "is a truncated font file"
    return None
