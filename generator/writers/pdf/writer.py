"""The PDF writer: the document model -> ReportLab platypus flowables -> a PDF file.

One `visit_<node>` per model node; an unknown node raises. The screen file is RGB; the print
file is CMYK with bleed and crop marks. Everything that looks comes from the layout.
"""

from __future__ import annotations

import copy
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.enums import TA_RIGHT
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import Indenter, LayoutError
from reportlab.platypus.flowables import BalancedColumns, FrameBG

from ... import model
from ...build import source_date_epoch
from ...errors import BulletinError
from ...inline import ascii_uri
from ...layout import Layout
from .chart import chart_drawing
from .flowables import MechanismBlock, OutlineEntry, RuledFrameBG, SectionMark
from .flowables import Paragraph as PdfParagraph
from .page import BulletinDocument, PageGeometry
from .structure import Element, Marks, finish
from .styles import Palette, StyleSheet
from .table import theme_table
from .tagging import Figure, MarkedFrameBG, Rule, table_marks

LIST_STYLES = frozenset({"Publication"})  # paragraphs tagged as list items (L, LI, LBody)


class PdfWriter:
    """Turns the document model into flowables, one visit_<node> per node type."""

    def __init__(self, document: model.Document, layout: Layout, print_ready: bool) -> None:
        self.document = document
        self.layout = layout
        self.palette = Palette(layout, cmyk=print_ready)
        self.sheet = StyleSheet(layout, self.palette)
        self.geometry = PageGeometry(layout, print_ready)
        self.width = self.geometry.frame_width
        self.structure = Element("Document")
        self.marks = Marks()
        self._parent = self.structure
        self.masthead: list[Flowable] = []

    def visit(self, node: object) -> list[Flowable]:
        method = getattr(self, f"visit_{type(node).__name__.lower()}", None)
        if method is None:
            raise NotImplementedError(f"the PDF writer has no visit for {type(node).__name__}")
        return method(node)

    def story(self) -> list[Flowable]:
        """The sections' flowables; the masthead's are made first (`masthead`), as it is read
        first."""
        self.masthead = self.visit(self.document.masthead)
        flowables: list[Flowable] = []
        for section in self.document.sections:
            flowables.extend(self.visit(section))
        return flowables

    # -- nodes -------------------------------------------------------------------------

    def visit_masthead(self, masthead: model.Masthead) -> list[Flowable]:
        left = [self.visit_paragraph(p)[0] for p in masthead.publisher]
        right = [*self.visit(masthead.period), *self.visit(masthead.issue)]
        for flowable in right:
            flowable.style = copy.copy(flowable.style)
            flowable.style.alignment = TA_RIGHT
        top = Table(
            [[left, right]], colWidths=[self.width * 0.62, self.width * 0.38], renderCB=table_marks
        )
        top.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("FONT", (0, 0), (-1, -1), self.sheet["Normal"].fontName),
                ]
            )
        )
        return [top, *self.visit(masthead.title)]

    def visit_section(self, section: model.Section) -> list[Flowable]:
        outer, self._parent = self._parent, self._parent.add("Sect")
        heading = self.visit(section.heading) if section.heading else []
        blocks: list[Flowable] = []
        for block in section.blocks:
            blocks.extend(self.visit(block))
        self._parent = outer
        if section.frame:
            return self._framed(heading, blocks, section.frame)
        if section.columns > 1:
            columns = BalancedColumns(
                blocks,
                nCols=section.columns,
                innerPadding=self.geometry.column_gap,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            blocks = [columns]
        if section.continued:
            return [
                *heading,
                SectionMark(self._continued(section.continued)),
                *blocks,
                SectionMark(None),
            ]
        return [*heading, *blocks]

    def visit_heading(self, heading: model.Heading) -> list[Flowable]:
        style = self.layout.style(heading.style)
        paragraph = self._paragraph((model.Run(heading.text),), heading.style, "H1")
        paragraph.keepWithNext = 0
        items: list[Flowable] = [CondPageBreak(style.leading * 5)]
        if heading.outline:
            items.append(OutlineEntry(heading.anchor, heading.text, heading.outline - 1))
        items.append(paragraph)
        if style.rule_below:
            paragraph.style = copy.copy(paragraph.style)
            paragraph.style.spaceAfter = 2
            items.append(
                Rule(
                    width="100%",
                    thickness=1.2,
                    spaceBefore=0,
                    spaceAfter=style.space_after,
                    color=self.palette(style.rule_below),
                )
            )
        return items

    def visit_paragraph(self, paragraph: model.Paragraph) -> list[Flowable]:
        if paragraph.style in LIST_STYLES:
            return [self._list_item(paragraph)]
        return [self._paragraph(paragraph.runs, paragraph.style, "P")]

    def visit_mechanismentry(self, entry: model.MechanismEntry) -> list[Flowable]:
        heading = self._paragraph(entry.heading.runs, entry.heading.style, "H2")
        note = self.visit_paragraph(entry.note) if entry.note else []
        events = [self.visit_paragraph(event)[0] for event in entry.events]
        anchor = OutlineEntry(f"mechanism-{entry.key}", entry.heading.text, 1)
        continued = entry.continued

        def continued_heading() -> Flowable:  # a pagination artifact: not tagged
            return self._paragraph(continued.runs, continued.style)

        return [MechanismBlock([heading, *note, *events], continued_heading, 1 + len(note), anchor)]

    def visit_table(self, table: model.Table) -> list[Flowable]:
        return theme_table(self, table)

    def visit_barchart(self, chart: model.BarChart) -> list[Flowable]:
        drawing = chart_drawing(chart, self.width, self.layout, self.sheet, self.palette)
        return [Figure(drawing, self._parent.add("Figure", alt=chart.alt_text))]

    # -- helpers -----------------------------------------------------------------------

    def _paragraph(
        self,
        runs: tuple[model.Run, ...],
        style: str,
        tag: str | None = None,
        parent: Element | None = None,
    ) -> PdfParagraph:
        """A paragraph; with a tag, marked as a new structure element (else an artifact)."""
        paragraph = PdfParagraph(self.sheet.markup(runs, style), self.sheet[style])
        if tag is not None:
            element = (parent or self._parent).add(tag)
            links = [
                Element("Link", text=run.text, url=ascii_uri(run.url)) for run in runs if run.url
            ]
            paragraph.tag(element, links)
        return paragraph

    def _list_item(self, paragraph: model.Paragraph) -> PdfParagraph:
        """An item of a list (publications): L, LI and LBody (no label is drawn)."""
        kids = self._parent.kids
        if not (kids and isinstance(kids[-1], Element) and kids[-1].tag == "L"):
            self._parent.add("L", numbering="None")
        item = kids[-1].add("LI")
        return self._paragraph(paragraph.runs, paragraph.style, "LBody", item)

    def _continued(self, text: str) -> Any:
        def heading() -> list[Flowable]:
            paragraph = self._paragraph((model.Run(text),), "Heading 1 Continued")
            paragraph.keepWithNext = 0  # never wrap the columns that follow in a KeepTogether
            return [paragraph]

        return heading

    def _framed(self, heading: list[Flowable], blocks: list[Flowable], name: str) -> list[Flowable]:
        frame = self.layout.spec.frames[name]
        pad = frame.padding
        background = self.palette(frame.background) if frame.background else None
        border = self.palette(frame.border) if frame.border else None
        if border and frame.rule_left:
            start: Flowable = RuledFrameBG(background, border, frame.rule_left)
        else:
            start = MarkedFrameBG(
                color=background, strokeColor=border, strokeWidth=frame.border_width or None
            )
        return [
            CondPageBreak(72),
            Spacer(1, 6),
            start,
            Spacer(1, pad),
            Indenter(pad + frame.rule_left, pad),
            *heading,
            *blocks,
            Indenter(-pad - frame.rule_left, -pad),
            Spacer(1, pad),
            FrameBG(start=False),
            Spacer(1, 6),
        ]


_TOO_LARGE = re.compile(
    r"<(\w+) at 0x[0-9a-f]+[^>]*>.*?\(([\d.]+) x ([\d.]+)\).*?\(([\d.]+) x ([\d.]+)"
)


def _too_large(error: LayoutError, layout: Layout) -> BulletinError:
    """ReportLab's "flowable too large" as the layout's problem: its sizes leave no room."""
    found = _TOO_LARGE.search(str(error))
    what = (
        f"a {found[1].lower()} {float(found[3]):.0f} pt high does not fit the text area "
        f"({float(found[4]):.0f} × {float(found[5]):.0f} pt)"
        if found
        else str(error)[:200]
    )
    return layout.problem(
        ("styles",),
        f"the content does not fit the page: {what}",
        "make the sizes, leading or spaces of the styles smaller, or the margins",
    )


def write_pdf(
    document: model.Document, layout: Layout, target: Path | BinaryIO, print_ready: bool
) -> int:
    """Write the screen (RGB) or print (CMYK, bleed, crop marks) PDF into `target` (a binary
    file named after the final file, as a build gives; or a path); return its page count."""
    rl_config.invariant = 1
    rl_config.useA85 = 0  # binary streams: ASCII85 text would make the file a quarter larger
    writer = PdfWriter(document, layout, print_ready)
    untagged = io.BytesIO()
    pdf = BulletinDocument(untagged, writer)
    try:
        with _dated(source_date_epoch()):
            pdf.build(writer.story())
    except LayoutError as error:
        raise _too_large(error, layout) from None
    finish(untagged.getvalue(), target, writer.structure, document.info)
    return pdf.page


@contextmanager
def _dated(epoch: int) -> Iterator[None]:
    """ReportLab dates the PDF by SOURCE_DATE_EPOCH: set it to the build's time while it
    writes, and put it back after."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
