"""How many lines a paragraph will take in Word, estimated from the font's advance widths.

Word breaks the lines itself; the writer only needs to know which events are short enough
(KEEP_WHOLE_LINES lines, as in the PDF) to be kept whole in one column with w:keepLines.
"""

from __future__ import annotations

import math
import struct
from functools import lru_cache
from itertools import repeat

from ...fontcache import Stamp, file_stamp
from ...layout import Layout
from ...layout_spec import FontFamily, Style
from .font_tables import advances, line_metrics

KEEP_WHOLE_LINES = 4
"""An event of this many lines or fewer is never split over columns or pages (as the PDF's)."""


@lru_cache(maxsize=16)
def _advances(font_file: str, stamp: Stamp) -> tuple[dict[int, int], int]:
    """The font's advance width per code point, and its units per em (as it is at `stamp`)."""
    read = advances(font_file)  # its tables read by hand: fontTools takes 0.1 s to load
    if read is not None:
        return read
    from fontTools.ttLib import TTFont  # a character map in a rarer format

    font = TTFont(font_file, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
    # unitsPerEm read from the raw 'head' table: decompiling it warns about Lato's dates
    (units,) = struct.unpack(">H", font.reader["head"][18:20])
    return widths, units


FaceFile = tuple[str, Stamp]
"""A face's font file and its stamp when its layout was loaded (see `fontcache.file_stamp`)."""

_FACE_FILES: dict[int, tuple[FontFamily, dict[tuple[bool, bool], FaceFile]]] = {}
"""The font file of each face of recent families (by identity: a family is kept while it is
listed, so its id is not reused), as finding one resolves paths on disk. A layout loaded
again (`bulletin watch`, once a font has changed) has new families, so new stamps."""


def _face_file(family: FontFamily, bold: bool, italic: bool) -> FaceFile:
    known = _FACE_FILES.get(id(family))
    if known is None:
        if len(_FACE_FILES) >= 16:
            del _FACE_FILES[next(iter(_FACE_FILES))]
        known = _FACE_FILES[id(family)] = (family, {})
    faces = known[1]
    if (bold, italic) not in faces:
        path = family.file(bold, italic)
        faces[(bold, italic)] = (str(path), file_stamp(path))
    return faces[(bold, italic)]


@lru_cache(maxsize=16)
def _line_gap(font_file: str, stamp: Stamp) -> float:
    """The font's own line height (ascent, descent and line gap), in ems: the height Word and
    LibreOffice give a line whose spacing is "at least" less than it."""
    ascent, descent, gap, units = line_metrics(font_file)
    return (ascent - descent + gap) / units


def line_height(style: Style, layout: Layout) -> float:
    """The height of one line of a style in Word: its leading, or the font's own line
    height if that is taller (the leading is "at least"), in points."""
    return max(style.leading, own_line_height(style, layout))


def own_line_height(style: Style, layout: Layout) -> float:
    """The style's font's own line height at its size, in points: the height Word and
    LibreOffice give a line whose spacing is "at least" less than it."""
    family = layout.spec.fonts[style.font]
    return _line_gap(*_face_file(family, style.bold, style.italic)) * style.size


def face_widths(family: FontFamily, bold: bool, italic: bool) -> tuple[dict[int, int], int]:
    """A face's advance width per code point, and its units per em."""
    return _advances(*_face_file(family, bold, italic))


def text_width(text: str, style: Style, layout: Layout) -> float:
    """The width of the text in the style's regular or bold face, in points."""
    widths, units = face_widths(layout.spec.fonts[style.font], style.bold, style.italic)
    fallback = widths.get(ord("n"), units // 2)
    advances = map(widths.get, map(ord, text), repeat(fallback, len(text)))  # at C speed
    return sum(advances) * style.size / units


NARROWEST_SPACE = 0.75
"""The least share of its width a word space keeps in Word's justified lines (Word 2013 and
later, and LibreOffice 24.2 and later in Word's files, narrow spaces; Word does not document
how far: a quarter is what those who matched LibreOffice to it found)."""


def fewest_lines(text: str, style: Style, layout: Layout, width: float) -> int:
    """The fewest lines the text can take in a column `width` points wide (at least one):
    its width, every space narrowed as far as Word narrows one, over the column's (the
    lines Word sets may be more, where whole words move on)."""
    room = max(width - style.left_indent, 1.0)
    narrowed = text.count(" ") * text_width(" ", style, layout) * (1 - NARROWEST_SPACE)
    return max(1, math.ceil((text_width(text, style, layout) - narrowed) / room))


def is_short(text: str, style: Style, layout: Layout, width: float) -> bool:
    """Whether the text may fit in KEEP_WHOLE_LINES lines, so it is kept whole: a text that
    Word sets in that many is never split (one it sets in a line more may be kept too)."""
    return fewest_lines(text, style, layout, width) <= KEEP_WHOLE_LINES
