"""The Word file's line height for the events in columns: a little below the PDF's leading.

The Word file breaks its columns where the PDF's do (see the PDF writer's RecordedColumns).
LibreOffice (25.2, which breaks justified lines as Word 2013 and later do) never narrows a
paragraph's last line, never breaks after a hyphen before a number, and breaks long
addresses elsewhere: an event may take a line more in its rendering of the Word file than in
the PDF (7.4 never narrowed a word space: more such lines). Set closer than the PDF's by
the layout's `page.word_line_room` (a share of the leading; 0.04 leaves about two lines in
a full column of a 13-point leading), the lines of the events and notes in columns leave
room at each column's foot for such lines; unused unless needed. Both writers read it: the
Word writer for its styles, the PDF writer to know where that room holds what LibreOffice
needs (where it does not, the Word file leaves the column to flow on). The font's own line
height is the least: Word's line height is "at least".
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from . import model
from .layout import Layout


def body_styles(document: model.Document) -> Iterator[tuple[model.Section, str, bool]]:
    """Each paragraph style of the body, in order, with its section and whether it is a
    group's event or note (what columns set); the "(continued)" headings are not walked."""
    for section in document.sections:
        if section.heading is not None:
            yield section, section.heading.style, False
        for block in section.blocks:
            if isinstance(block, model.Group):
                yield section, block.heading.style, False
                for paragraph in (block.note, *block.paragraphs):
                    if paragraph is not None:
                        yield section, paragraph.style, True
            elif isinstance(block, model.Paragraph | model.BarChart):
                yield section, block.style, False
            elif isinstance(block, model.Table) and block.caption is not None:
                yield section, block.caption.style, False
            elif isinstance(block, model.Image):
                yield section, block.style, False
                if block.caption is not None:
                    yield section, block.caption.style, False


def closer_styles(document: model.Document) -> frozenset[str]:
    """The paragraph styles of the groups' events and notes in columns, used nowhere else
    (nor by a "(continued)" heading)."""
    inside: set[str] = set()
    outside: set[str] = set()
    for section, style, event in body_styles(document):
        (inside if event and section.columns > 1 else outside).add(style)
    for section in document.sections:
        if section.continued is not None:
            outside.add(section.continued.style)
        groups = [b for b in section.blocks if isinstance(b, model.Group)]
        outside.update(group.continued.style for group in groups)
    return frozenset(inside - outside)


def word_leadings(document: model.Document, layout: Layout) -> dict[str, float]:
    """The Word file's line height (points, in whole twentieths) of each style of
    `closer_styles` whose lines it sets closer: the layout's `page.word_line_room` below the
    leading, never below the font's own line height (a style whose font needs more keeps its
    leading)."""
    from .writers.docx.measure import own_line_height  # here: loaded only when a file is written

    found, room = {}, layout.spec.page.word_line_room
    for name in sorted(closer_styles(document)):
        style = layout.style(name)
        closer = math.floor(style.leading * (1 - room) * 20) / 20
        if own_line_height(style, layout) <= closer < style.leading:
            found[name] = closer
    return found
