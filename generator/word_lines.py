"""The Word file's line height for the events in columns: a little below the PDF's leading.

The Word file breaks its columns where the PDF's do (see the PDF writer's RecordedColumns).
LibreOffice 7.4's justified lines never narrow their word spaces, as the PDF's may, and it
breaks long addresses elsewhere: an event may take a line more in its rendering of the Word
file than in the PDF. Set WORD_LINE_ROOM closer than the PDF's, the lines of the events and
notes in columns leave room at each column's foot for such lines; unused unless needed.
Both writers read it: the Word writer for its styles, the PDF writer to know where that
room holds what LibreOffice needs (where it does not, the Word file leaves the column to
flow on). The font's own line height is the least: Word's line height is "at least".
"""

from __future__ import annotations

import math
import struct
from functools import lru_cache

from . import model
from .layout import Layout

WORD_LINE_ROOM = 0.04
"""How much closer than the PDF's leading the Word file sets the lines of the events in
columns (a share of the leading): about two lines of room in a full column of a 13-point leading."""


def closer_styles(document: model.Document) -> frozenset[str]:
    """The paragraph styles of the groups' events and notes in columns, used nowhere else."""
    inside: set[str] = set()
    outside: set[str] = set()
    for section in document.sections:
        if section.heading is not None:
            outside.add(section.heading.style)
        for block in section.blocks:
            if isinstance(block, model.Group):
                kept = [block.note, *block.paragraphs] if block.note else [*block.paragraphs]
                (inside if section.columns > 1 else outside).update(p.style for p in kept)
                outside.update((block.heading.style, block.continued.style))
            elif isinstance(block, model.Paragraph):
                outside.add(block.style)
            elif isinstance(block, model.Table | model.Image) and block.caption is not None:
                outside.add(block.caption.style)
        if section.continued is not None:
            outside.add(section.continued.style)
    return frozenset(inside - outside)


def word_leadings(document: model.Document, layout: Layout) -> dict[str, float]:
    """The Word file's line height (points, in whole twentieths) of each style of
    `closer_styles` whose lines it sets closer: WORD_LINE_ROOM below the leading, never
    below the font's own line height (a style whose font needs more keeps its leading)."""
    found = {}
    for name in sorted(closer_styles(document)):
        style = layout.style(name)
        closer = math.floor(style.leading * (1 - WORD_LINE_ROOM) * 20) / 20
        family = layout.spec.fonts[style.font]
        own = _own_line_height(str(family.file(style.bold, style.italic))) * style.size
        if own <= closer < style.leading:
            found[name] = closer
    return found


@lru_cache(maxsize=16)
def _own_line_height(font_file: str) -> float:
    """A TrueType font's own line height (hhea ascent, descent and line gap), in ems: the
    height Word and LibreOffice give a line whose spacing is "at least" less than it."""
    with open(font_file, "rb") as file:
        head = file.read(12)
        (count,) = struct.unpack(">H", head[4:6])
        directory = file.read(16 * count)
        tables = {}
        for i in range(count):
            tag, _, offset, _length = struct.unpack_from(">4sIII", directory, 16 * i)
            tables[tag] = offset
        file.seek(tables[b"head"] + 18)
        (units,) = struct.unpack(">H", file.read(2))
        file.seek(tables[b"hhea"] + 4)
        ascent, descent, gap = struct.unpack(">hhh", file.read(6))
    return (ascent - descent + gap) / units
