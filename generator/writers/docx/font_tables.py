"""What the Word writer measures with (advance widths per character, the line height), read
from a TrueType font's tables with `struct`.

fontTools reads them as well, but loading it and naming every glyph (its glyph-name list)
costs a cold build about 0.1 s of CPU in the process that sets up the Word file; these few
tables read in a few milliseconds. A character map in a format read here gives exactly what
fontTools' `getBestCmap` and `hmtx` give (tests/writers/test_docx_font_tables.py); any other
(rare: formats 0, 2, 6, 8, 10, 13), or a glyph number past the font's glyphs, makes
`advances` answer None, and the caller asks fontTools.
"""

from __future__ import annotations

import struct
from array import array
from typing import BinaryIO

BEST_MAPS = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))
"""The character maps by preference (platform, encoding), as fontTools' `getBestCmap`."""

Tables = dict[bytes, tuple[int, int]]


class FontTables:
    """A font file's table directory, and its tables read on demand."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        head = file.read(12)
        (count,) = struct.unpack(">H", head[4:6])
        directory = file.read(16 * count)
        self.tables: Tables = {}
        for i in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", directory, 16 * i)
            self.tables[tag] = (offset, length)

    def read(self, tag: bytes) -> bytes:
        offset, length = self.tables[tag]
        self.file.seek(offset)
        return self.file.read(length)


def units_per_em(tables: FontTables) -> int:
    (units,) = struct.unpack_from(">H", tables.read(b"head"), 18)
    return int(units)


def line_metrics(font_file: str) -> tuple[int, int, int, int]:
    """The font's ascent, descent and line gap (hhea) and its units per em (head)."""
    with open(font_file, "rb") as file:
        tables = FontTables(file)
        ascent, descent, gap = struct.unpack_from(">hhh", tables.read(b"hhea"), 4)
        return ascent, descent, gap, units_per_em(tables)


def advances(font_file: str) -> tuple[dict[int, int], int] | None:
    """The advance width of each code point of the font's best character map, and its units
    per em; None when that map is in a format not read here, or a table is damaged (fontTools
    then reads it, or says what is wrong), or it names a glyph the font lacks."""
    try:
        return _advances(font_file)
    except (struct.error, KeyError, IndexError, ValueError):
        return None


def _advances(font_file: str) -> tuple[dict[int, int], int] | None:
    with open(font_file, "rb") as file:
        tables = FontTables(file)
        (glyph_count,) = struct.unpack_from(">H", tables.read(b"maxp"), 4)
        glyphs = _best_map(tables.read(b"cmap"))
        if glyphs is None or any(glyph >= glyph_count for glyph in glyphs.values()):
            return None
        (metric_count,) = struct.unpack_from(">H", tables.read(b"hhea"), 34)
        widths = _advance_widths(tables.read(b"hmtx"), metric_count, glyph_count)
        return {code: widths[glyph] for code, glyph in glyphs.items()}, units_per_em(tables)


def _advance_widths(hmtx: bytes, metric_count: int, glyph_count: int) -> list[int]:
    """Each glyph's advance width: the glyphs past the metrics take the last one's."""
    metrics = array("H", hmtx[: 4 * metric_count])
    if struct.pack("=H", 1) != struct.pack(">H", 1):
        metrics.byteswap()  # the table is big-endian
    widths = metrics[0::2].tolist()
    return widths + [widths[-1]] * (glyph_count - metric_count)


def _best_map(cmap: bytes) -> dict[int, int] | None:
    """The glyph of each code in the preferred character map (see BEST_MAPS); None if its
    format is not read here. A font without any of them maps nothing."""
    (count,) = struct.unpack_from(">H", cmap, 2)
    records = [struct.unpack_from(">HHI", cmap, 4 + 8 * i) for i in range(count)]
    for wanted in BEST_MAPS:
        for platform, encoding, offset in records:
            if (platform, encoding) == wanted:
                return _subtable(cmap, offset)
    return {}


def _subtable(cmap: bytes, offset: int) -> dict[int, int] | None:
    (form,) = struct.unpack_from(">H", cmap, offset)
    if form == 4:
        return _format_4(cmap, offset)
    if form == 12:
        return _format_12(cmap, offset)
    return None


def _format_4(cmap: bytes, offset: int) -> dict[int, int] | None:
    """Segments of codes: each glyph by a delta, or from the glyph array (as fontTools reads
    them: the last segment, 0xFFFF's, is left out; a later segment wins a code, but the
    missing glyph, 0, maps nothing). None: a segment points outside the glyph array."""
    (length,) = struct.unpack_from(">H", cmap, offset + 2)
    (doubled,) = struct.unpack_from(">H", cmap, offset + 6)
    segments = doubled // 2
    words = (length - 14) // 2
    table = struct.unpack_from(f">{words}H", cmap, offset + 14)
    ends, starts = table[:segments], table[segments + 1 : 2 * segments + 1]
    deltas = table[2 * segments + 1 : 3 * segments + 1]
    range_offsets = table[3 * segments + 1 : 4 * segments + 1]
    glyph_array = table[4 * segments + 1 :]
    found: dict[int, int] = {}
    for i in range(segments - 1):
        first, last, delta, range_offset = starts[i], ends[i], deltas[i], range_offsets[i]
        if range_offset == 0:
            for code in range(first, last + 1):
                glyph = (code + delta) & 0xFFFF
                if glyph:
                    found[code] = glyph
            continue
        partial = range_offset // 2 - first + i - segments
        for code in range(first, last + 1):
            index = code + partial
            if not 0 <= index < len(glyph_array):
                return None
            glyph = glyph_array[index] and (glyph_array[index] + delta) & 0xFFFF
            if glyph:
                found[code] = glyph
    return found


def _format_12(cmap: bytes, offset: int) -> dict[int, int]:
    """Groups of consecutive codes, each from a first glyph (as fontTools reads them: up to
    U+10FFFF, a group that is inverted or starts before the last one ends left out, and the
    missing glyph, 0, mapping nothing)."""
    (groups,) = struct.unpack_from(">I", cmap, offset + 12)
    found: dict[int, int] = {}
    last_end = 0
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", cmap, offset + 16 + 12 * i)
        last = min(last, 0x10FFFF)
        if first > last or first < last_end:
            continue
        last_end = last
        if glyph == 0:
            first, glyph = first + 1, 1
        codes = range(first, last + 1)
        found.update(zip(codes, range(glyph, glyph + len(codes)), strict=True))
    return found
