"""The PDF writer: the document model -> ReportLab platypus flowables -> a PDF file.

One `visit_<node>` per model node; an unknown node raises. The screen file is RGB; the print
file is CMYK with bleed and crop marks. Everything that looks comes from the layout.
"""

from __future__ import annotations

from . import deferred  # noqa: F401  # first: ReportLab imported with two patterns deferred

# isort: split
import copy
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from reportlab.platypus import Image as PdfImage
from reportlab.platypus.doctemplate import Indenter, LayoutError
from reportlab.platypus.flowables import FrameBG

from ... import model
from ...errors import BulletinError
from ...inline import ascii_uri
from ...layout import Layout
from ...proper_names import name_finder
from ...visitor import Visitor
from ...word_lines import word_leadings
from .. import DEFAULT_EPOCH, Options, Rendered
from .chart import chart_drawing
from .collector import collected_less
from .flowables import (
    KEEP_WHOLE_LINES,
    FootSpace,
    GroupBlock,
    OutlineEntry,
    PaddedEnd,
    RecordedColumns,
    RoomAsked,
    RuledFrameBG,
    SectionMark,
    line_count,
    safe_page_starts,
)
from .flowables import Paragraph as PdfParagraph
from .hyphenation import Hyphenator
from .measures import measured_once
from .page import BulletinDocument, PageGeometry, press_for
from .press import NotDerivable
from .structure import Element, Marks, Untagged
from .styles import Palette, StyleSheet, register_families
from .table import theme_table
from .tagging import Figure, MarkedFrameBG, Rule, table_marks

LIST_STYLES = frozenset({"Publication"})  # paragraphs tagged as list items (L, LI, LBody)


class PdfWriter(Visitor):
    """Turns the document model into flowables, one visit_<node> per node type."""

    walker = "the PDF writer"

    def __init__(self, document: model.Document, layout: Layout, print_ready: bool) -> None:
        self.document = document
        self.layout = layout
        self.palette = Palette(layout, cmyk=print_ready)
        self.sheet = StyleSheet(
            layout, self.palette, document.info.language, document.names, document.months
        )
        self.geometry = PageGeometry(layout, print_ready)
        self.width = self.geometry.frame_width
        self.structure = Element("Document")
        self.marks = Marks()
        self.parent_element = self.structure
        self.masthead: list[Flowable] = []
        self.column_starts: set[tuple[str, int]] = set()
        self.column_placed: set[str] = set()
        """The groups set, heading first, in a later column (and those opening one) where
        columns end: see RecordedColumns."""
        self.column_splits: set[tuple[str, int, int]] = set()
        self.flowing_events: set[tuple[str, int]] = set()
        """The events set in columns the Word file leaves to flow (see RecordedColumns)."""
        self.lone_columns: set[str] = set()
        """The sections whose columns end in a column of their own (see RecordedColumns)."""
        self.column_ends: list[tuple[int, set[tuple[str, int]]]] = []
        """Each section's columns' last page and the events that begin there (RecordedColumns)."""
        self.events: list[PdfParagraph] = []
        """Every event, its `opening` its group's key and number (see `long_events`)."""
        self.word_leadings = word_leadings(document, layout)
        """The Word file's line height of the styles whose lines it sets closer."""
        self.page_starts: list[tuple[tuple[str, int], Flowable]] = []
        """Where the pages that begin with a "(continued)" heading begin (see page_start),
        each with the flowable that begins the page (see `safe_page_starts`)."""

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
        """The publisher's lines, the first ones with the period and the issue at their right
        (each line as wide as what stands beside it leaves, as in the Word file, where they
        follow a right tab), then the title. A period or issue without a publisher line
        beside it stands on a line of its own, at the right."""
        publisher = [self.visit_paragraph(p)[0] for p in masthead.publisher]
        beside = [self._at_right(self.visit(p)) for p in (masthead.period, masthead.issue)]
        lines: list[Flowable] = []
        for i, line in enumerate(publisher):
            lines.append(self._beside(line, beside[i]) if i < len(beside) else line)
        for alone in beside[len(publisher) :]:
            lines.extend(alone)
        return [*lines, *self.visit(masthead.title)]

    def _at_right(self, flowables: list[Flowable]) -> list[Flowable]:
        """The flowables aligned right (their styles copied: others share them)."""
        for flowable in flowables:
            flowable.style = copy.copy(flowable.style)
            flowable.style.alignment = TA_RIGHT
        return flowables

    def _beside(self, line: Flowable, right: list[Flowable]) -> Flowable:
        """A publisher's line with `right` beside it: a row whose right cell is as wide as its
        widest line and a space of the line's style (Word's space before the tab)."""
        if not right:
            return line
        widest = 0.0
        for flowable in right:
            flowable.wrap(self.width, self.geometry.height)
            widest = max([widest, *flowable.getActualLineWidths0()])  # none: an empty line
        style = line.style
        width = min(widest + stringWidth(" ", style.fontName, style.fontSize), self.width / 2)
        row = Table([[line, right]], colWidths=[self.width - width, width], renderCB=table_marks)
        row.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("FONT", (0, 0), (-1, -1), self.sheet["Normal"].fontName),
                ]
            )
        )
        return row

    def visit_section(self, section: model.Section) -> list[Flowable]:
        outer, self.parent_element = self.parent_element, self.parent_element.add("Sect")
        heading = self.visit(section.heading) if section.heading else []
        blocks: list[Flowable] = []
        for block in section.blocks:
            blocks.extend(self.visit(block))
        self.parent_element = outer
        if section.frame:
            return self._framed(heading, blocks, section.frame)
        if section.columns > 1:
            columns = RecordedColumns(
                blocks,
                nCols=section.columns,
                innerPadding=self.geometry.column_gap,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                endSlack=0,  # not ReportLab's 0.1: a last column up to a tenth too long, shrunk
            )
            columns.starts, columns.placed = self.column_starts, self.column_placed
            columns.splits, columns.flowing = self.column_splits, self.flowing_events
            columns.lone, columns.section = self.lone_columns, section.key
            columns.ends = self.column_ends
            columns.word_leadings = self.word_leadings
            blocks = [columns]
        elif heading and blocks:
            heading = self._kept_with(heading, blocks[0])
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
        paragraph = self.paragraph((model.Run(heading.text),), heading.style, "H1")
        paragraph.keepWithNext = 0
        items: list[Flowable] = [RoomAsked(style.leading * 5)]
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

    def _kept_with(self, heading: list[Flowable], first: Flowable) -> list[Flowable]:
        """A section's heading with room kept below it for what must follow it on the same
        page: a table's caption and first rows (its RoomAsked), or a chart (never split),
        so that the heading never ends a page or column alone, as Word keeps it with the next
        paragraph. Before a paragraph, the room is Word's: the heading and the paragraph's
        first lines (`_first_lines`)."""
        own = sum(_room(f, self.width) for f in heading[1:])
        reserve = heading[0]
        if isinstance(first, PdfParagraph) and isinstance(reserve, RoomAsked):
            return [RoomAsked(own + _first_lines(first, self.width)), *heading[1:]]
        if isinstance(first, RoomAsked):
            needed = first.height
        elif isinstance(first, Figure):
            needed = first.wrap(self.width, 1e6)[1]
        else:
            return heading
        if not isinstance(reserve, RoomAsked) or own + needed <= reserve.height:
            return heading
        return [RoomAsked(own + needed), *heading[1:]]

    def visit_paragraph(self, paragraph: model.Paragraph) -> list[Flowable]:
        if paragraph.style in LIST_STYLES:
            return [self._list_item(paragraph)]
        return [self.paragraph(paragraph.runs, paragraph.style, "P")]

    def visit_group(self, group: model.Group) -> list[Flowable]:
        heading = self.paragraph(group.heading.runs, group.heading.style, "H2")
        note = self.visit_paragraph(group.note) if group.note else []
        for paragraph in note:  # the Word file may set its lines apart: see RecordedColumns
            paragraph.note_of = (group.key, 0)
        paragraphs = [self.visit_paragraph(paragraph)[0] for paragraph in group.paragraphs]
        for number, event in enumerate(paragraphs, 1):  # a page may begin with it: page_start
            event.opening = (group.key, number)
        self.events.extend(paragraphs)
        anchor = OutlineEntry(group.anchor, group.heading.text, 1) if group.anchor else None
        continued = group.continued

        def continued_heading() -> Flowable:  # a pagination artifact: not tagged
            return self.paragraph(continued.runs, continued.style)

        content = [heading, *note, *paragraphs]
        return [GroupBlock(content, continued_heading, 1 + len(note), anchor, group.key)]

    def visit_table(self, table: model.Table) -> list[Flowable]:
        return theme_table(self, table)

    def visit_image(self, image: model.Image) -> list[Flowable]:
        """The picture, scaled to its share of the frame's width and tagged as a Figure with
        its alt text, then its caption."""
        reader = ImageReader(image.file)
        width, height = reader.getSize()
        shown = self.width * image.width
        picture = PdfImage(image.file, width=shown, height=shown * height / width)
        figure = Figure(picture, self.parent_element.add("Figure", alt=image.alt_text))
        figure.hAlign = "LEFT"
        style = self.layout.style(image.style)
        figure.spaceBefore, figure.spaceAfter = style.space_before, style.space_after
        caption = self.visit(image.caption) if image.caption else []
        return [figure, *caption]

    def visit_barchart(self, chart: model.BarChart) -> list[Flowable]:
        drawing = chart_drawing(chart, self.width, self.layout, self.sheet, self.palette)
        return [Figure(drawing, self.parent_element.add("Figure", alt=chart.alt_text))]

    # -- helpers -----------------------------------------------------------------------

    def paragraph(
        self,
        runs: tuple[model.Run, ...],
        style: str,
        tag: str | None = None,
        parent: Element | None = None,
    ) -> PdfParagraph:
        """A paragraph; with a tag, marked as a new structure element (else an artifact)."""
        paragraph = PdfParagraph(self.sheet.markup(runs, style), self.sheet[style])
        if tag is not None:
            element = (parent or self.parent_element).add(tag)
            links = [
                Element("Link", text=run.text, url=ascii_uri(run.url)) for run in runs if run.url
            ]
            paragraph.tag(element, links)
        return paragraph

    def _list_item(self, paragraph: model.Paragraph) -> PdfParagraph:
        """An item of a list (publications): L, LI and LBody (no label is drawn)."""
        kids = self.parent_element.kids
        if not (kids and isinstance(kids[-1], Element) and kids[-1].tag == "L"):
            self.parent_element.add("L", numbering="None")
        items = kids[-1]
        assert isinstance(items, Element)
        item = items.add("LI")
        return self.paragraph(paragraph.runs, paragraph.style, "LBody", item)

    def _continued(self, continued: model.Paragraph) -> Any:
        def heading() -> list[Flowable]:
            paragraph = self.paragraph(continued.runs, continued.style)
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
        room = 72.0
        if heading and isinstance(heading[0], RoomAsked):  # its room, asked before the box
            room, heading = 6 + pad + self._box_start(heading, blocks, frame), heading[1:]
        end: list[Flowable] = [FootSpace(pad)]
        if blocks and isinstance(blocks[-1], PdfParagraph):
            last = blocks[-1]
            blocks, end = [*blocks[:-1], PaddedEnd(last, pad)], [FootSpace(last.getSpaceAfter())]
        return [
            RoomAsked(room),
            Spacer(1, 6),
            start,
            Spacer(1, pad),
            Indenter(pad + frame.rule_left, pad),
            *heading,
            *blocks,
            Indenter(-pad - frame.rule_left, -pad),
            *end,
            FrameBG(start=False),
            FootSpace(6),
        ]

    def _box_start(self, heading: list[Flowable], blocks: list[Flowable], frame: Any) -> float:
        """The room a box's heading needs below the box's top padding: Word's, the heading
        and the first lines of the paragraph after it, and the bottom padding (LibreOffice
        keeps it below a box's part at a page's foot); before anything else, five lines of
        the heading."""
        inner = self.width - 2 * frame.padding - frame.rule_left
        own = sum(_room(f, inner) for f in heading[1:])
        first = blocks[0] if blocks else None
        if not isinstance(first, PdfParagraph):
            return max(heading[0].height, 72.0 - 6 - frame.padding)
        return own + _first_lines(first, inner) + frame.padding


def _first_lines(paragraph: PdfParagraph, width: float) -> float:
    """The height of the lines of a paragraph Word keeps with the heading above it (which it
    keeps with the next paragraph): the first two, all of three or fewer (Word allows no
    widow or orphan, nor does the PDF), with the space before them."""
    paragraph.wrap(width, 1e6)
    lines = len(paragraph.blPara.lines)
    shown = lines if lines <= 3 else 2
    return paragraph.getSpaceBefore() + shown * paragraph.style.leading


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


class PdfFileWriter:
    """The PDF writer's side of the writer contract: the print file with `print_ready`."""

    def load_fonts(self, layout: Layout) -> None:
        register_families(layout)

    def prepare(self, document: model.Document, layout: Layout) -> None:
        """The fonts, the language's hyphenation patterns, the document's names and what a
        first file loads."""
        import reportlab.graphics.renderPDF  # noqa: F401  # the chart's drawing

        register_families(layout)
        if document.info.language:
            Hyphenator(document.info.language, months=document.months)
        name_finder(document.names)

    def write(
        self, document: model.Document, layout: Layout, target: Path | BinaryIO, options: Options
    ) -> Rendered:
        return write_pdf(
            document,
            layout,
            target,
            options.print_ready,
            options.epoch,
            options.counted,
            options.finish_apart,
            options.print_laid_out,
        )


def write_pdf(
    document: model.Document,
    layout: Layout,
    target: Path | BinaryIO,
    print_ready: bool,
    epoch: int = DEFAULT_EPOCH,
    counted: Callable[[Rendered], None] | None = None,
    finish_apart: bool = False,
    print_laid_out: bool = False,
) -> Rendered:
    """Write the screen (RGB) or print (CMYK, bleed, crop marks) PDF into `target` (a binary
    file named after the final file, as a build gives; or a path); return its page count and
    the keys of the groups that open a column after the first on the columns' last page, and
    of all set there (see RecordedColumns), also told to `counted` once the pages are laid
    out, before the file is tagged. With `finish_apart`, nothing is written: the untagged
    file comes back (`Rendered.unfinished`) for the caller to tag and save into `target`.

    The print file is derived from the screen file's layout (see press.py), or laid out on
    its own where that cannot be done exactly, or with `print_laid_out`. The screen file
    comes with what the print file derived from it needs (`Untagged.press`)."""
    rl_config.invariant = 1
    rl_config.useA85 = 0  # binary streams: ASCII85 text would make the file a quarter larger
    derived = print_ready and not print_laid_out
    writer = PdfWriter(document, layout, print_ready and not derived)
    untagged = io.BytesIO()
    pdf = BulletinDocument(untagged, writer)
    try:
        with _dated(epoch), measured_once(), collected_less():
            story = writer.story()
            pdf.build(writer.masthead, story)
    except LayoutError as error:
        raise _too_large(error, layout) from None
    rendered = Rendered(
        pdf.page,
        frozenset(writer.column_starts),
        frozenset(writer.column_placed),
        safe_page_starts(writer.page_starts),
        frozenset(writer.column_splits),
        flowing_events=frozenset(writer.flowing_events | ends_apart(writer, pdf)),
        lone_columns=frozenset(writer.lone_columns),
        long_events=long_events(writer.events),
    )
    if counted is not None:
        counted(rendered)
    press = press_for(pdf) if not writer.geometry.border and (derived or finish_apart) else None
    unfinished = Untagged(untagged.getvalue(), writer.structure, document.info, press, derived)
    if finish_apart:
        return replace(rendered, unfinished=unfinished)
    try:
        unfinished.finish(target)
    except NotDerivable:
        return write_pdf(document, layout, target, True, epoch, print_laid_out=True)
    return rendered


FEW = 0.15
"""The most of its body a last page holds that LibreOffice may take back onto the page before
(see `ends_apart`)."""


def ends_apart(writer: PdfWriter, pdf: BulletinDocument) -> set[tuple[str, int]]:
    """The events of each columns' last page before the PDF's last page, where that last page
    holds little (FEW): the Word file sets them at the PDF's leading, not closer. Its closer
    lines end LibreOffice's columns there some 16 points higher than the PDF's (a 30-line
    column), and what the PDF carries over to its last page (a line, a box's last lines)
    fitted on the page before: a page fewer. The last page takes what LibreOffice may set
    longer on the page before."""
    if pdf.last_page_fill() > FEW:
        return set()
    return {start for page, begun in writer.column_ends if page < pdf.page for start in begun}


def long_events(events: list[PdfParagraph]) -> frozenset[tuple[str, int]]:
    """The events set in more than KEEP_WHOLE_LINES lines (which a column or page may split),
    by their group's key and number: as broken into lines at their column's width (the
    narrowest they were broken at; a split leaves the whole event without its own)."""
    return frozenset(
        event.opening for event in events if (_whole_lines(event) or 0) > KEEP_WHOLE_LINES
    )


def _whole_lines(event: PdfParagraph) -> int | None:
    """The lines of an event's own line breaking (not a split part's), None if never broken."""
    wraps = event.__dict__.get("_wraps")
    if wraps:
        _, lines, *_ = wraps[min(wraps)]
        return len(lines.lines)
    return line_count(event)


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


def _room(flowable: Flowable, width: float) -> float:
    """The height a flowable takes in a frame of this width, with its spaces."""
    return flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
