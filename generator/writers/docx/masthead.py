"""The masthead band of the Word file: paragraphs whose styles draw the band, no table.

Word has no flag for a layout table, and its accessibility checker, like LibreOffice's tagged
PDF export, reads a table's cells as data. So the band is drawn by the styles of the
masthead's paragraphs: the band colour as their shading, left and right borders in the same
colour as padding that carries the shading into the page's side margins, and a right tab
stop at the text's right edge where the period and the issue stand beside the publisher's
first lines (as in the PDF). The text stands in the body's text column, as in the PDF. Every
size comes from the layout's page and styles.

Above the text, from the page's top edge down to the top margin, the band goes on in page 1's
header (the first page's own header, "Different first page"): one empty paragraph in the
band's colour, as tall as the top margin, in a style of its own (`TOP_STYLE`). A first section
with no top margin would put the band's text there too, but LibreOffice (7.4) keeps the first
section's page margins for every page after it when the sections that follow are continuous,
so pages 2 on would lose their top margin; a header is drawn alike by Word and LibreOffice.

Word's widest paragraph border and its space reach 43 pt beyond the text, less than a side
margin of 51 pt (18 mm). So that the band reaches the page's side edges with its text
aligned to the body's, page 1's header paragraph also anchors a picture of one pixel in the
band's colour, stretched behind the text from the page's top edge and side edges down to
the band's bottom (page.band_picture), locked and marked decorative (Word's accessibility
checker skips it). A picture, not a drawn rectangle: LibreOffice (7.4) ignores the decorative
mark and tags a rectangle in a header as a Figure without alternative text in its tagged PDF
(PDF/UA's UA-13-004), where it leaves a header's picture out of the structure as an artifact;
anchored in the body, a picture too becomes such a Figure. The paragraphs' shading and
borders still draw the band over it, so a line an editor types into the band grows the band
43 pt into each side margin; the picture keeps its height (an editor drags its foot).
A layout with no top margin has no room for page 1's header: there the text stands out of
the body's column by what the borders cannot cover (`Band.outdent`), as the band must reach
the page's edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import model
from ...style_names import LINKED_SUFFIX, WORD_OWN
from .measure import line_height

if TYPE_CHECKING:
    from ...layout import Layout
    from .page import PageGeometry

MAX_BORDER_SPACE = 31
"""Word's widest space between a paragraph's border and its text, in whole points."""

MAX_BORDER_EIGHTHS = 96
"""Word's widest single border line, in eighths of a point (12 points)."""

GAP_BELOW = 6
"""The space between the band and the text below it, in points: the PDF's first body frame
starts this far below the band (writers/pdf/page.py) and drops its first paragraph's space
before, so the first paragraph below the band has this space before instead of its style's."""

TOP_STYLE = WORD_OWN[0]
"""The paragraph style of page 1's header that carries the band up to the page's top edge."""

CHARACTER_SUFFIX = LINKED_SUFFIX
"""A character style with a paragraph style's look is named as Word names linked styles."""


@dataclass(frozen=True)
class Side:
    """One side of the band: its border's space and width (both in points), and what of
    the side they cannot cover (at the side edges the band's picture covers it; below,
    it is space above the title)."""

    space: int
    width: float
    uncovered: float

    @classmethod
    def of(cls, margin: float) -> Side:
        """Fill `margin` points beyond the text with a border as wide as Word allows."""
        widest = MAX_BORDER_SPACE + MAX_BORDER_EIGHTHS / 8
        reach = min(margin, widest)
        space = min(MAX_BORDER_SPACE, max(math.floor(reach - 1), 0))
        width = max(min(reach - space, MAX_BORDER_EIGHTHS / 8), 0.25)
        return cls(space, width, max(margin - space - width, 0))


@dataclass(frozen=True)
class Band:
    """The band's paragraph styles and how they draw it."""

    colour: str
    left: Side
    right: Side
    bottom: Side
    """Below the last line: the band's padding down to where the PDF's band ends; what a
    border cannot cover is added above the title, inside the band (a last paragraph's space
    after is not shaded)."""
    tab: float
    """The right tab stop, in points from the left margin: the text's right edge."""
    styles: frozenset[str]
    """The paragraph styles of the band's paragraphs."""
    inline: dict[str, str]
    """Paragraph styles shown as runs (period, issue) -> the style of the paragraph holding them."""
    title: str = ""
    """The style of the band's title, its last paragraph."""
    top: float = 0
    """The height of the band above the text, in page 1's header: the page's top margin."""
    width: float = 0
    """The page's width, in points: the band picture's."""
    depth: float = 0
    """From the page's top edge to the band's bottom, in points: the band picture's."""

    def outdent(self, side: Side) -> float:
        """How far the text stands out of the body's column on a side (`_outdent`)."""
        return _outdent(side, self.top)

    def character_style(self, paragraph_style: str) -> str:
        """The name of the character style that shows a paragraph style's text in a run."""
        return paragraph_style + CHARACTER_SUFFIX


def masthead_band(masthead: model.Masthead, layout: Layout, geometry: PageGeometry) -> Band:
    """The band for a masthead: as wide as the page, its bottom where the PDF's band ends."""
    left, right = Side.of(geometry.left), Side.of(geometry.right)
    publisher = [p.style for p in masthead.publisher]
    beside = (masthead.period, masthead.issue)
    inline = {p.style: publisher[i] for i, p in enumerate(beside) if i < len(publisher)}
    shown = [*publisher, *(p.style for p in beside if p.style not in inline)]
    styles = frozenset([*shown, masthead.title.style])
    height = geometry.masthead - geometry.top
    runs_beside = [[p.style] for p in beside if p.style in inline]  # on publisher lines 1, 2
    lines = [(name, runs_beside[i] if i < len(runs_beside) else []) for i, name in enumerate(shown)]
    lines.append((masthead.title.style, []))
    used = sum(_height(layout, name, shown_beside) for name, shown_beside in lines)
    bottom = Side.of(max(height - used, 0))
    tab = geometry.text_width + _outdent(right, geometry.top)
    colour = layout.page.masthead_background
    title = masthead.title.style
    depth = geometry.top + max(height, used)
    return Band(
        colour, left, right, bottom, tab, styles, inline, title, geometry.top, geometry.width, depth
    )


def _outdent(side: Side, top: float) -> float:
    """How far the text stands out of the body's column on a side so that the band reaches
    the page's edge: nothing when page 1's header carries the band's picture (a `top`
    margin holds the header), else what the side's border cannot cover."""
    return 0 if top > 0 else side.uncovered


def _height(layout: Layout, name: str, beside: list[str]) -> float:
    """The height of a one-line paragraph in a style with runs in the `beside` styles, in
    points, as Word and LibreOffice lay it out (the tallest font's line height when it is
    taller than the leading)."""
    style = layout.style(name)
    line = max(line_height(layout.style(n), layout) for n in (name, *beside))
    return style.space_before + line + style.space_after


def masthead_runs(masthead: model.Masthead, band: Band) -> list[model.Paragraph]:
    """The band's paragraphs: each publisher line, the first ones with the period and the
    issue after a tab (in character styles with their paragraph styles' look), then the
    title. A period or issue without a publisher line beside it stands on a line of its own."""
    lines = []
    beside = [p for p in (masthead.period, masthead.issue) if p.style in band.inline]
    alone = [p for p in (masthead.period, masthead.issue) if p.style not in band.inline]
    for i, line in enumerate(masthead.publisher):
        runs = line.runs
        if i < len(beside):
            style = band.character_style(beside[i].style)
            shown = [model.Run(r.text, r.style or style, r.url, r.data) for r in beside[i].runs]
            runs = (*runs, model.Run(" \t"), *shown)  # the space: a reader reads them apart
        lines.append(model.Paragraph(line.style, runs))
    return [*lines, *alone, masthead.title]
