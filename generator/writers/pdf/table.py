"""Theme tables: a header row that repeats on each page, striped rows, rules from the layout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph

from ... import model
from ...errors import BulletinError, Problem
from ...layout_spec import TableStyle as TableSpec

if TYPE_CHECKING:
    from .writer import PdfWriter


def theme_table(writer: PdfWriter, table: model.Table) -> list[Flowable]:
    """The caption kept with the table's first rows, then the table."""
    spec = writer.layout.spec.tables[table.style]
    widths = [writer.width * share for share in table.widths]
    header = [
        PdfParagraph(
            writer.sheet.markup((model.Run(text),), spec.header_style),
            writer.sheet[spec.header_style],
        )
        for text in table.header
    ]
    rows = [[_cell(writer, cell, spec.body_style) for cell in row.cells] for row in table.rows]
    _check_heights(writer, table, rows, widths, spec.padding)
    flowable = Table([header, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    flowable.setStyle(TableStyle(_commands(writer, table, spec)))
    caption = writer.visit(table.caption) if table.caption else []
    for paragraph in caption:
        paragraph.keepWithNext = 0  # the CondPageBreak keeps it with the first rows
    first_rows = sum(row.wrap(writer.width, 1e6)[1] for row in rows[0][:1]) * 3
    return [
        CondPageBreak(sum(c.wrap(writer.width, 1e6)[1] for c in caption) + first_rows + 40),
        *caption,
        flowable,
    ]


def _cell(writer: PdfWriter, cell: model.TableCell, style: str) -> PdfParagraph:
    """A body cell: its runs as a paragraph in the table's body style."""
    paragraph: PdfParagraph = writer.visit(model.Paragraph(style, cell.runs))[0]
    return paragraph


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
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, palette(spec.rule)))
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
