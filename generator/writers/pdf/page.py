"""Pages: geometry from the layout, page templates, the masthead band, footer and page numbers."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, BinaryIO

from reportlab.lib.colors import black
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, FrameBreak, NextPageTemplate, PageTemplate
from reportlab.platypus.doctemplate import ActionFlowable, BaseDocTemplate
from reportlab.platypus.flowables import KeepInFrame

from ...layout import Layout
from ...layout_spec import MM
from ...model import PAGE, PAGES
from .flowables import (
    FUZZ,
    RecordedColumns,
    goes_on_inside,
    height_gained_in_word,
    page_start,
)
from .press import Press
from .structure import Marks
from .styles import Palette
from .tagging import LAYOUT, PAGINATION, TaggingCanvas, artifact

if TYPE_CHECKING:
    from .writer import PdfWriter

MIN_FIRST_PAGE_TEXT = 72  # points of text height page 1 keeps below a grown masthead band
SLUG_MM = 10  # room outside the bleed for the crop marks of the print file
MARK_MM = 7


class PageGeometry:
    """Trim size, margins, frames and (for print) bleed, in points."""

    def __init__(self, layout: Layout, print_ready: bool) -> None:
        page = layout.page
        self.width, self.height = (size * MM for size in page.size_mm)
        margins = page.margins_mm
        self.top, self.bottom = margins.top * MM, margins.bottom * MM
        self.left, self.right = margins.left * MM, margins.right * MM
        self.frame_width = self.width - self.left - self.right
        self.column_gap = page.column_gap_mm * MM
        self.masthead = page.masthead_height_mm * MM
        self.bleed = page.bleed_mm * MM if print_ready else 0
        self.border = (page.bleed_mm + SLUG_MM) * MM if print_ready else 0

    def band(self) -> tuple[float, float, float, float]:
        """The masthead band (x, y, width, height): the page's top from edge to edge, carried
        into the bleed where there is one."""
        return (
            -self.bleed,
            self.height - self.masthead,
            self.width + 2 * self.bleed,
            self.masthead + self.bleed,
        )

    def boxes(self) -> dict[str, tuple[float, float, float, float]]:
        """TrimBox and BleedBox of the print file, in the enlarged page's coordinates."""
        b, bleed = self.border, self.bleed
        return {
            "trimBox": (b, b, b + self.width, b + self.height),
            "bleedBox": (b - bleed, b - bleed, b + self.width + bleed, b + self.height + bleed),
        }


class CropMarks:
    """ReportLab's crop-mark settings: marks outside the bleed, content not scaled."""

    def __init__(self, geometry: PageGeometry) -> None:
        self.borderWidth = geometry.border
        self.bleedWidth = 0
        self.markLength = MARK_MM * MM
        self.markWidth = 0.3
        self.markLast = 1


class BulletinDocument(BaseDocTemplate):
    """Page templates for page 1 (masthead) and the rest, section continuation headings."""

    def __init__(self, filename: str | BinaryIO, writer: PdfWriter) -> None:
        self.writer = writer
        self.geometry = geometry = writer.geometry
        info = writer.document.info
        extra: dict[str, Any] = {}
        if geometry.border:
            extra = {
                "cropMarks": CropMarks(geometry),
                **geometry.boxes(),
                "enforceColorSpace": "cmyk",
            }
        super().__init__(
            filename,
            pagesize=(geometry.width, geometry.height),
            leftMargin=geometry.left,
            rightMargin=geometry.right,
            topMargin=geometry.top,
            bottomMargin=geometry.bottom,
            title=info.title,
            author=info.author,
            subject=info.subject,
            keywords=list(info.keywords),
            creator="bulletin",
            lang=info.language,
            displayDocTitle=1,
            invariant=1,
            initialFontName=writer.sheet["Normal"].fontName,
            initialFontSize=writer.sheet["Normal"].fontSize,
            **extra,
        )
        self.continued_heading: Any = None
        self._fresh_page = False
        self._in_frame: list[Flowable] = []
        """What the page's body frame holds so far (see `_word_behind_at_foot`)."""
        self._word_behind = 0.0
        """How much lower than the PDF's LibreOffice's rendering of the Word file may set
        the text at the top of this page (one column only; see `_word_behind_at_foot`)."""
        self._behind_at_foot = 0.0
        self.addPageTemplates([self._first_template(), self._later_template()])

    def _first_template(self) -> PageTemplate:
        g = self.geometry
        band_bottom = g.height - g.masthead
        # the band's text starts at the top margin, where every page's text starts (and the
        # Word file's band text: its page 1 cannot start higher, see docx/masthead.py)
        masthead = Frame(
            g.left,
            band_bottom + 8,
            g.frame_width,
            g.masthead - g.top - 8,
            id="masthead",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        body_top = band_bottom - 6
        body = Frame(
            g.left,
            g.bottom,
            g.frame_width,
            body_top - g.bottom,
            id="body-first",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        return PageTemplate("first", [masthead, body], onPage=self._decorate_first)

    def _later_template(self) -> PageTemplate:
        g = self.geometry
        body = Frame(
            g.left,
            g.bottom,
            g.frame_width,
            g.height - g.top - g.bottom,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        return PageTemplate("later", [body], onPage=self._decorate)

    def build(self, masthead: list[Flowable], story: list[Flowable]) -> None:
        """Page 1's masthead frame, then the story in the body frames."""
        self._fit_masthead(masthead)
        flowables = [*masthead, FrameBreak(), NextPageTemplate("later"), *story]
        super().build(flowables, canvasmaker=self._canvas_maker())

    def _fit_masthead(self, masthead: list[Flowable]) -> None:
        """Grow the masthead band to hold its text, if the layout's height is too low for it.

        The masthead's lines come from the data (a long division name wraps), so the band's
        height is a minimum: text that overflowed it went to the body frame below, white on
        white, or left page 1 blank. A band that grows until page 1 has no room left for text
        is a located error instead.
        """
        g = self.geometry
        room = g.masthead - g.top - 8
        needed = 0.0
        for i, flowable in enumerate(masthead):
            needed += flowable.wrap(g.frame_width, g.height)[1]
            needed += flowable.getSpaceBefore() if i else 0
        if needed <= room:
            return
        g.masthead += needed - room + 1
        if g.height - g.masthead - 6 - g.bottom < MIN_FIRST_PAGE_TEXT:
            raise self.writer.layout.problem(
                ("page", "masthead_height_mm"),
                f"the masthead's text needs a band of {g.masthead / MM:.0f} mm, which leaves "
                "no room for text on page 1",
                "shorten the masthead's lines (publisher, title) or make its styles smaller",
            )
        self.pageTemplates: list[PageTemplate] = []
        self.addPageTemplates([self._first_template(), self._later_template()])

    def _canvas_maker(self) -> type[Canvas]:
        footer = self.writer.document.footer
        decorate = self._draw_page_label
        marks = self.writer.marks

        class NumberedCanvas(TaggingCanvas):
            """Holds pages back until the end so each can say 'page N of M'."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._pages: list[dict[str, Any]] = []

            def showPage(self) -> None:
                self._pages.append(dict(self.__dict__))
                self._startPage()
                self.start_next_page()

            def save(self) -> None:
                total = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    decorate(self, footer.page_label, total)
                    self.close_page()
                self.showOutline()
                Canvas.save(self)

        NumberedCanvas.marks = marks
        return NumberedCanvas

    def last_page_fill(self) -> float:
        """How much of its frame the last page fills, once built (0 to 1)."""
        frame = self.frame
        return float((frame._y2 - frame._y) / (frame._y2 - frame._y1))

    # -- continuation headings ---------------------------------------------------------

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        self._fresh_page = True

    def handle_frameBegin(self, *args: Any, **kwargs: Any) -> None:
        super().handle_frameBegin(*args, **kwargs)
        self._in_frame = []

    def afterFlowable(self, flowable: Flowable) -> None:
        self._in_frame.append(flowable)

    def handle_pageEnd(self) -> None:
        self._behind_at_foot = self._word_behind_at_foot()
        super().handle_pageEnd()

    def _word_behind_at_foot(self) -> float:
        """How much text of this page's one column LibreOffice's rendering of the Word file
        may carry over to the next page: what it sets lower at the page's top, and the
        lines it needs more for this page's paragraphs (`height_gained_in_word`), less
        the room the PDF leaves at the foot. A page of columns: none (the columns' own
        check, see RecordedColumns); nor outside a section that runs on with "(continued)"
        headings (no page start follows to reckon with it)."""
        if self.continued_heading is None:
            return 0.0  # no page after it begins with a "(continued)" heading
        if any(isinstance(f, (RecordedColumns, KeepInFrame)) for f in self._in_frame):
            return 0.0
        frame = getattr(self, "frame", None)
        room = frame._y - frame._y1p if frame is not None else 0.0
        gained = sum(height_gained_in_word(f) for f in self._in_frame)
        return max(self._word_behind + gained - room, 0.0)

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        """At the top of a page inside a running section, put its "(continued)" heading (not
        inside an event: its sentence goes on, see GroupBlock)."""
        if not flowables or isinstance(flowables[0], ActionFlowable) or flowables[0] is None:
            return
        fresh = self._fresh_page and self.continued_heading is not None and self.page > 1
        behind = self._behind_at_foot if self._fresh_page else self._word_behind
        if fresh and not goes_on_inside(flowables[0]):
            start = page_start(flowables[0])
            headings = self.continued_heading()
            if start is not None:
                if isinstance(flowables[0], RecordedColumns):
                    flowables[0].open_word_page()
                    flowables[0].heading_room = _height(headings, flowables[0], self.width)
                elif behind > FUZZ:  # a new page here would leave LibreOffice a stray one
                    flowables[0].longer_in_word = 1
                    behind = max(behind - _height(headings, flowables[0], self.width), 0.0)
                else:
                    behind = 0.0
                self.writer.page_starts.append((start, flowables[0]))
            flowables[0:0] = headings
        self._word_behind = behind
        self._fresh_page = False

    # -- page decoration ---------------------------------------------------------------

    def _decorate_first(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        g = self.geometry
        canvas.saveState()
        canvas.setFillColor(self.writer.palette(self.writer.layout.page.masthead_background))
        with artifact(canvas, LAYOUT):
            canvas.rect(*g.band(), stroke=0, fill=1)
        canvas.restoreState()
        self._decorate(canvas, doc)

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        g = self.geometry
        style = self.writer.sheet["Footer"]
        y = g.bottom - style.leading * 2
        canvas.saveState()
        canvas.setStrokeColor(style.textColor)
        canvas.setLineWidth(0.5)
        with artifact(canvas, PAGINATION):
            canvas.line(g.left, y + style.leading, g.width - g.right, y + style.leading)
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(style.textColor)
            canvas.drawString(g.left, y, self.writer.document.footer.text)
        canvas.restoreState()

    def _draw_page_label(self, canvas: Canvas, parts: tuple[str, ...], total: int) -> None:
        g = self.geometry
        style = self.writer.sheet["Footer"]
        values = {PAGE: str(canvas.getPageNumber()), PAGES: str(total)}
        label = "".join(values.get(part, part) for part in parts)
        canvas.saveState()
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        with artifact(canvas, PAGINATION):
            canvas.drawRightString(g.width - g.right, g.bottom - style.leading * 2, label)
        canvas.restoreState()


def _height(headings: list[Flowable], first: Flowable, width: float) -> float:
    """The height of the "(continued)" headings the PDF sets at a page's top (the section's,
    and the group's in `first` before an event), which the Word file flowing on has not."""
    group = getattr(first, "_content", [])[: getattr(first, "_lead", 0)]
    return sum(f.wrap(width, 1e6)[1] + f.getSpaceAfter() for f in [*headings, *group])


# -- the print file, derived from the screen file --------------------------------------------

_DRAWING = "%%bulletin: the page's drawing%%"


def press_for(document: BulletinDocument) -> Press:
    """What the print file derived from this screen file needs (see press.py), each piece of
    code written by ReportLab as it writes a print file: canvases made as the document made
    its own, one for the screen, one for print (CMYK, bleed, crop marks)."""
    screen = document.geometry
    printed = PageGeometry(document.writer.layout, print_ready=True)
    printed.masthead = screen.masthead  # grown to hold its text, as on the screen
    screen_canvas, print_canvas = _canvas(document, screen), _canvas(document, printed)
    band = (
        0,
        _code(screen_canvas, lambda c: c.rect(*screen.band(), stroke=0, fill=1)),
        _code(print_canvas, lambda c: c.rect(*printed.band(), stroke=0, fill=1)),
    )
    boxes = printed.boxes()
    size = (0, 0, printed.width + 2 * printed.border, printed.height + 2 * printed.border)
    return Press(
        colours=_colour_pairs(document.writer.layout, screen_canvas, print_canvas),
        screen_page=_page_code(screen_canvas),
        print_page=_page_code(print_canvas),
        bleeds=(band,),
        border=printed.border,
        media_box=tuple(fp_str(v) for v in size),
        trim_box=tuple(fp_str(v) for v in boxes["trimBox"]),
        bleed_box=tuple(fp_str(v) for v in boxes["bleedBox"]),
    )


def _canvas(document: BulletinDocument, geometry: PageGeometry) -> TaggingCanvas:
    """A canvas made as the document makes its own, for the screen or (a geometry with a
    border) for print."""
    sample = copy.copy(document)
    if geometry.border:
        sample.cropMarks = CropMarks(geometry)
        sample.trimBox, sample.bleedBox = geometry.boxes().values()
        sample.enforceColorSpace = "cmyk"
    canvas: TaggingCanvas = sample._makeCanvas(io.BytesIO(), canvasmaker=TaggingCanvas)
    canvas.marks = Marks()
    return canvas


def _code(canvas: Canvas, draw: Callable[[Canvas], None]) -> bytes:
    """The operator `draw` writes on the canvas (taken off it again)."""
    code = canvas._code
    start = len(code)
    draw(canvas)
    [written] = code[start:]
    del code[start:]
    return written.encode("latin-1")


def _colour_pairs(layout: Layout, screen: Canvas, printed: Canvas) -> dict[bytes, bytes | None]:
    """The operands of each colour the screen file can hold -> its print file's: every
    colour of the layout, and black, which ReportLab sets itself (a table's text, a
    drawing's start) and turns into CMYK black in a print file."""
    pairs = [
        (Palette(layout, cmyk=False)(name), Palette(layout, cmyk=True)(name))
        for name in layout.spec.colours
    ]
    pairs.append((black, black))
    found: dict[bytes, set[bytes]] = {}
    for rgb, cmyk in pairs:
        operands = _code(screen, partial(Canvas.setFillColor, aColor=rgb)).removesuffix(b" rg")
        printed_operands = _code(printed, partial(Canvas.setFillColor, aColor=cmyk))
        found.setdefault(operands, set()).add(printed_operands.removesuffix(b" k"))
    return {rgb: (cmyk.pop() if len(cmyk) == 1 else None) for rgb, cmyk in found.items()}


def _page_code(canvas: TaggingCanvas) -> tuple[bytes, bytes]:
    """What ReportLab writes before and after a page's drawing on this canvas."""
    pages: list[Any] = []
    canvas._doc.addPage = pages.append
    canvas._code.append(_DRAWING)
    canvas.close_page()
    before, after = pages[0].stream.split(_DRAWING)
    return before.encode("latin-1"), after.encode("latin-1")
