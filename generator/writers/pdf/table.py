"""Theme tables: a header row that repeats on each page, striped rows, rules from the layout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable, Table, TableStyle

from ... import model
from ...errors import BulletinError, Problem
from ...layout_spec import TableStyle as TableSpec
from .flowables import Paragraph as PdfParagraph
from .flowables import RoomAsked
from .tagging import table_marks

if TYPE_CHECKING:
    from .writer import PdfWriter


def theme_table(writer: PdfWriter, table: model.Table) -> list[Flowable]:
    """The caption kept with the table's header and first row (as Word keeps a paragraph
    with the table after it), then the table.

    Tagged as Table (Caption, THead, TBody, TR, TH with Scope Column, TD); the header row a
    page repeats is a pagination artifact there.
    """
    spec = writer.layout.spec.tables[table.style]
    widths = [writer.width * share for share in table.widths]
    element = writer.parent_element.add("Table")
    caption = []
    if table.caption:
        caption = [writer.paragraph(table.caption.runs, table.caption.style, "Caption", element)]
    header_row = element.add("THead").add("TR")
    header = []
    for text in table.header:
        cell = header_row.add("TH", scope="Column", repeats=True)
        header.append(writer.paragraph((model.Run(text),), spec.header_style, None))
        header[-1].tag(cell)
    body = element.add("TBody")
    rows = []
    for row in table.rows:
        tr = body.add("TR")
        rows.append([writer.paragraph(c.runs, spec.body_style, "TD", tr) for c in row.cells])
    _check_heights(writer, table, rows, widths, spec.padding)
    flowable = Table(
        [header, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT", renderCB=table_marks
    )
    flowable.setStyle(TableStyle(_commands(writer, table, spec)))
    for paragraph in caption:
        paragraph.keepWithNext = 0  # the RoomAsked keeps it with the first rows
    first_rows = sum(_row_height(row, widths, spec.padding) for row in [header, *rows[:1]])
    return [
        RoomAsked(sum(_room(c, writer.width) for c in caption) + first_rows),
        *caption,
        flowable,
    ]


def _row_height(cells: list[PdfParagraph], widths: list[float], pad: float) -> float:
    """A row's height: its tallest cell with the padding above and below."""
    return max(c.wrap(w - 2 * pad, 1e6)[1] for c, w in zip(cells, widths, strict=True)) + 2 * pad


def _room(paragraph: PdfParagraph, width: float) -> float:
    return paragraph.wrap(width, 1e6)[1] + paragraph.getSpaceBefore() + paragraph.getSpaceAfter()


def _commands(writer: PdfWriter, table: model.Table, spec: TableSpec) -> list[tuple[Any, ...]]:
    palette = writer.palette
    pad = spec.padding
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), writer.sheet[spec.body_style].fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), palette(spec.header_background)),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
    ]
    if spec.stripe:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, palette(spec.stripe)]))
    if spec.rule:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), spec.rule_width, palette(spec.rule)))
    return commands


def _check_heights(
    writer: PdfWriter,
    table: model.Table,
    rows: list[list[PdfParagraph]],
    widths: list[float],
    pad: float,
) -> None:
    """A row taller than a page cannot be set: name the data item instead of failing later."""
    room = writer.geometry.height - writer.geometry.top - writer.geometry.bottom - 80
    problems = []
    for row, cells in zip(table.rows, rows, strict=True):
        tallest = max(
            cell.wrap(width - 2 * pad, room)[1] for cell, width in zip(cells, widths, strict=True)
        )
        if tallest + 2 * pad > room and row.origin:
            problems.append(
                Problem(
                    row.origin.file,
                    row.origin.line,
                    row.origin.column,
                    row.origin.path,
                    "this row is taller than a page",
                    "shorten its text",
                )
            )
    if problems:
        raise BulletinError(problems)
