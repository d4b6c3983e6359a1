"""The Word writer's font measures, read from the font's tables by hand (font_tables.py), are
fontTools' own: the advance width of each character of its best character map (formats 4 and
12), its units per em and its line height; a map in another format, or a damaged one, is
left to fontTools."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

from generator.writers.docx import font_tables, measure
from tests.conftest import ROOT

BUILT_IN = sorted((ROOT / "fonts").glob("*.ttf"))


def fonttools_advances(path: Path) -> tuple[dict[int, int], int]:
    """What the writer read with fontTools before: `getBestCmap` and `hmtx`."""
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] for code, name in (font.getBestCmap() or {}).items()}
    return widths, font["head"].unitsPerEm


def built_font(path: Path, mapping: dict[int, str], formats: tuple[int, ...] = ()) -> Path:
    """A TrueType font whose glyphs (empty) have distinct advances, mapped as `mapping`; with
    `formats`, its character map holds one Windows Unicode subtable of each format instead."""
    names = [".notdef", *sorted(set(mapping.values()))]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap(mapping)
    pen = TTGlyphPen(None)
    builder.setupGlyf({name: pen.glyph() for name in names})
    # the last few glyphs share the last advance (past numberOfHMetrics)
    builder.setupHorizontalMetrics({name: (100 + 7 * i, 0) for i, name in enumerate(names)})
    builder.setupHorizontalHeader(ascent=800, descent=-200, lineGap=90)
    builder.setupOS2()
    builder.setupPost()
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    if formats:
        tables = []
        for form in formats:
            subtable = CmapSubtable.newSubtable(form)
            subtable.platformID, subtable.platEncID, subtable.language = 3, 10, 0
            subtable.cmap = dict(mapping)
            tables.append(subtable)
        builder.font["cmap"].tables = tables
    builder.save(path)
    return path


@pytest.mark.parametrize("path", BUILT_IN, ids=lambda p: p.name)
def test_built_in_faces_measure_as_fonttools(path: Path) -> None:
    assert font_tables.advances(str(path)) == fonttools_advances(path)


def test_the_line_height_is_the_fonts(tmp_path: Path) -> None:
    path = built_font(tmp_path / "t.ttf", {ord("a"): "a"})
    assert font_tables.line_metrics(str(path)) == (800, -200, 90, 1000)
    lato = TTFont(BUILT_IN[0])
    hhea = lato["hhea"]
    expected = (hhea.ascent, hhea.descent, hhea.lineGap, lato["head"].unitsPerEm)
    assert font_tables.line_metrics(str(BUILT_IN[0])) == expected


def test_segments_through_the_glyph_array_and_beyond_the_bmp(tmp_path: Path) -> None:
    """Codes whose glyphs are not consecutive (format 4's glyph array), codes past U+FFFF
    (format 12), and glyphs past the font's horizontal metrics."""
    mapping = {ord(c): f"g{i}" for i, c in enumerate("azbycxdw")}  # scattered glyphs
    mapping |= {0x1F600 + i: f"e{i % 3}" for i in range(6)}  # beyond the BMP, shared glyphs
    mapping |= {0x20AC: "g3", 0x2013: "g0"}
    path = built_font(tmp_path / "t.ttf", mapping)
    font = TTFont(path)
    assert {table.format for table in font["cmap"].tables} == {4, 12}
    read = font_tables.advances(str(path))
    assert read == fonttools_advances(path)
    assert read is not None and len(set(read[0].values())) > 5


def test_format_4_alone(tmp_path: Path) -> None:
    mapping = {code: f"g{code % 11}" for code in range(0x20, 0x250, 3)}
    path = built_font(tmp_path / "t.ttf", mapping, formats=(4,))
    assert font_tables.advances(str(path)) == fonttools_advances(path)


def test_other_formats_are_fonttools(tmp_path: Path) -> None:
    """A character map in a format not read by hand (6 here) is measured by fontTools."""
    mapping = {code: f"g{code % 5}" for code in range(0x41, 0x5B)}
    path = built_font(tmp_path / "t.ttf", mapping, formats=(6,))
    assert font_tables.advances(str(path)) is None
    assert measure._advances.__wrapped__(str(path), ()) == fonttools_advances(path)


def test_a_damaged_map_is_fonttools(tmp_path: Path) -> None:
    """A character map without subtables maps nothing; one cut short is not read by hand."""
    path = built_font(tmp_path / "t.ttf", {code: f"g{code % 5}" for code in range(0x41, 0x50)})
    data = bytearray(path.read_bytes())
    count = struct.unpack(">H", data[4:6])[0]
    for i in range(count):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        if tag == b"cmap":
            data[offset + 2 : offset + 4] = b"\x00\x00"  # no subtables: maps nothing
            empty = tmp_path / "empty.ttf"
            empty.write_bytes(bytes(data))
            assert font_tables.advances(str(empty)) == ({}, 1000)
            data[12 + 16 * i + 12 : 12 + 16 * i + 16] = struct.pack(">I", 3)  # cut short
    cut = tmp_path / "cut.ttf"
    cut.write_bytes(bytes(data))
    assert font_tables.advances(str(cut)) is None
