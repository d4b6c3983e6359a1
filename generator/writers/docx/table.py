"""Word tables: the styled theme tables, as w:tbl elements."""

from __future__ import annotations

from lxml.etree import _Element

from .ooxml import element, twips

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
