"""Word tables: the styled theme tables and the masthead band, as w:tbl elements."""

from __future__ import annotations

from lxml.etree import _Element

from .ooxml import element, twips
from .page import PageGeometry

LOOK = {
    "val": "04A0",
    "firstRow": "1",
    "lastRow": "0",
    "firstColumn": "0",
    "lastColumn": "0",
    "noHBand": "0",
    "noVBand": "1",
}
"""Which parts of the table style apply: the header row and row stripes."""


def styled_table(
    style_id: str, widths: list[float], caption: str = "", description: str = ""
) -> _Element:
    """An empty table in a table style, with fixed column widths in points, and its
    alternative text (Word: Table Properties > Alt Text; Word 2010 and later)."""
    total = twips(sum(widths))
    properties = element(
        "w:tblPr",
        [
            element("w:tblStyle", val=style_id),
            element("w:tblW", w=total, type="dxa"),
            element("w:tblLayout", type="fixed"),
            element("w:tblLook", **LOOK),
        ],
    )
    if caption:
        properties.append(element("w:tblCaption", val=caption))
    if description:
        properties.append(element("w:tblDescription", val=description))
    grid = element("w:tblGrid", [element("w:gridCol", w=twips(w)) for w in widths])
    return element("w:tbl", [properties, grid])


def add_row(table: _Element, widths: list[float], header: bool = False) -> list[_Element]:
    """A row of empty cells (each still needs its paragraphs); a header row repeats on a page."""
    row_properties = [element("w:cantSplit")]
    if header:
        row_properties.append(element("w:tblHeader"))
    row = element("w:tr", [element("w:trPr", row_properties)])
    cells = []
    for width in widths:
        cell = element("w:tc", [element("w:tcPr", [element("w:tcW", w=twips(width), type="dxa")])])
        row.append(cell)
        cells.append(cell)
    table.append(row)
    return cells


class Masthead:
    """The masthead band's cells: publisher lines top left, period and issue top right (as
    in the PDF), the title below across the band."""

    def __init__(self, publisher: _Element, issue: _Element, title: _Element) -> None:
        self.publisher, self.issue, self.title = publisher, issue, title


def masthead_table(
    geometry: PageGeometry, fill: dict[str, str], top_height: float
) -> tuple[_Element, Masthead]:
    """The masthead band: a filled table from page edge to page edge, `geometry.masthead`
    high (its first row `top_height`), and its cells.

    It reaches into the side margins; its outer cell margins are the page margins, so its
    text lines up with the text below it. The columns split the text width as the PDF's.
    """
    left = geometry.left + geometry.text_width * MASTHEAD_SPLIT
    right = geometry.width - left
    margins = element(
        "w:tblCellMar",
        [
            element("w:top", w="0", type="dxa"),
            element("w:left", w=twips(geometry.left), type="dxa"),
            element("w:bottom", w="0", type="dxa"),
            element("w:right", w=twips(geometry.right), type="dxa"),
        ],
    )
    properties = element(
        "w:tblPr",
        [
            element("w:tblW", w=twips(geometry.width), type="dxa"),
            element("w:tblInd", w=twips(-geometry.left), type="dxa"),
            element("w:tblLayout", type="fixed"),
            margins,
            element("w:tblLook", **{**LOOK, "firstRow": "0", "noHBand": "1", "val": "0600"}),
        ],
    )
    grid = element("w:tblGrid", [element("w:gridCol", w=twips(w)) for w in (left, right)])
    publisher = _band_cell(left, fill, inner=("right", 0))
    issue = _band_cell(right, fill, inner=("left", 0))
    title = _band_cell(geometry.width, fill, span=2)
    top = element("w:tr", [_row_height(top_height), publisher, issue])
    bottom = element("w:tr", [_row_height(geometry.masthead - top_height), title])
    table = element("w:tbl", [properties, grid, top, bottom])
    return table, Masthead(publisher, issue, title)


MASTHEAD_SPLIT = 0.62
"""The share of the text width for the publisher's lines; the rest is for period and issue."""


def _row_height(points: float) -> _Element:
    height = element("w:trHeight", val=twips(max(points, 0)), hRule="atLeast")
    return element("w:trPr", [element("w:cantSplit"), height])


def _band_cell(
    width: float, fill: dict[str, str], inner: tuple[str, float] | None = None, span: int = 1
) -> _Element:
    """A cell of the band: its width, the band's fill; `inner` sets the margin on the side
    where it meets the other cell."""
    properties = [element("w:tcW", w=twips(width), type="dxa")]
    if span > 1:
        properties.append(element("w:gridSpan", val=str(span)))
    properties.append(element("w:shd", val="clear", color="auto", **fill))
    if inner is not None:
        side, points = inner
        properties.append(element("w:tcMar", [element(f"w:{side}", w=twips(points), type="dxa")]))
    return element("w:tc", [element("w:tcPr", properties)])
