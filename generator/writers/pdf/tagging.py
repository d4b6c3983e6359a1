"""Marked content while ReportLab draws: every painting operator of a page is inside a
marked-content sequence of a structure element (BDC with an MCID) or inside an Artifact.

The hooks: a canvas that counts pages and MCIDs and ties link annotations to their Link; a
paragraph whose text object switches between its P (or H1, TD...) and Link marks as the text
runs (marked content cannot cross BT/ET), and puts a space before each line break so the
words of two lines do not run together when read aloud; a table callback that marks its
backgrounds and rules as artifacts; a figure wrapper with its Alt and BBox; and `artifact`
for what only decorates the page (footer, bands, rules, backgrounds, crop marks).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as ReportLabParagraph
from reportlab.platypus.flowables import FrameBG, HRFlowable, _FBGBag

from .structure import Content, Element, Marks

PAGINATION = "<</Type /Pagination>>"  # footers, page numbers, repeated headings and header rows
LAYOUT = "<</Type /Layout>>"  # bands, rules, backgrounds, underlines
PRINTER = "<</Type /Page>>"  # crop marks
ADDED_HYPHEN = f"/Artifact {LAYOUT} BDC"
"""A hyphen added where a line breaks a word ("Develop-|ment") is drawn outside its paragraph's
marked content, as an artifact: read by the tags the word is whole ("Development"), while
text extraction by position still sees the hyphen and joins the halves. A compound's own
hyphen ("COVID-|19") stays text."""


@contextmanager
def artifact(canv: Canvas, kind: str = LAYOUT) -> Iterator[None]:
    """Mark what is drawn inside as an artifact (not part of the bulletin's text)."""
    canv.addLiteral(f"/Artifact {kind} BDC")
    try:
        yield
    finally:
        canv.addLiteral("EMC")


@contextmanager
def marked(canv: Canvas, element: Element) -> Iterator[Content]:
    """Mark what is drawn inside as content of the structure element."""
    literal, content = marks_of(canv).open(element)
    canv.addLiteral(literal)
    try:
        yield content
    finally:
        canv.addLiteral("EMC")


def marks_of(canv: Canvas) -> Marks:
    return canv.marks


def is_tagging(canv: Canvas) -> bool:
    return isinstance(getattr(canv, "marks", None), Marks)


class TaggingCanvas(Canvas):
    """A canvas that keeps page and MCID counts, and marks its own drawings.

    Lines and rectangles drawn while a paragraph is drawn (underlines, backgrounds) are
    layout artifacts; the crop marks ReportLab draws when it closes a page are page artifacts.
    """

    marks: Marks
    _closing = False

    def start_next_page(self) -> None:
        self.marks.next_page()

    def close_page(self) -> None:
        """Write out the page (Canvas.showPage), its crop marks marked as artifacts."""
        self._closing = True
        try:
            Canvas.showPage(self)
        finally:
            self._closing = False

    def lines(self, linelist: Any) -> None:
        if self._closing:
            with artifact(self, PRINTER):
                super().lines(linelist)
        else:
            super().lines(linelist)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        if self.marks.decorating:
            with artifact(self):
                super().line(x1, y1, x2, y2)
        else:
            super().line(x1, y1, x2, y2)

    def rect(
        self, x: float, y: float, width: float, height: float, stroke: int = 1, fill: int = 0
    ) -> None:
        if self.marks.decorating:
            with artifact(self):
                super().rect(x, y, width, height, stroke, fill)
        else:
            super().rect(x, y, width, height, stroke, fill)

    def linkURL(  # ReportLab's signature
        self,
        url: str,
        rect: Any,
        relative: int = 0,
        thickness: float = 0,
        color: Any = None,
        dashArray: Any = None,
        kind: str = "URI",
        **kw: Any,
    ) -> None:
        self.marks.annotation(url)
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)

    def linkRect(  # ReportLab's signature
        self,
        contents: str,
        destinationname: str,
        Rect: Any = None,
        addtopage: int = 1,
        name: str | None = None,
        relative: int = 1,
        **kw: Any,
    ) -> None:
        self.marks.annotation("#" + destinationname)
        super().linkRect(contents, destinationname, Rect, addtopage, name, relative, **kw)


class _MarkedText(PDFTextObject):
    """A text object whose text is marked as its paragraph's element, and its links' Links.

    ReportLab's link-record hook says where a link starts (after its first piece of text was
    put out) and ends; the mark is switched there. A mark that stayed empty is taken out.
    """

    def __init__(
        self, canv: Canvas, x: float, y: float, element: Element, links: list[Element]
    ) -> None:
        super().__init__(canv, x, y)
        self._marks = marks_of(canv)
        self._element = element
        self._links = links  # the paragraph's Link elements not yet started
        self._started: dict[object, Element] = {}
        self._shown: list[int] = []  # where in _code text was put out (ascending)
        self._open: tuple[Element, Content, int] | None = None
        self._start(element, len(self._code))

    def _start(self, element: Element, at: int) -> None:
        literal, content = self._marks.open(element)
        self._insert(at, literal)
        self._open = (element, content, at)
        if element.tag == "Link":
            self._marks.link_drawn(element)

    def _stop(self, at: int) -> int:
        """End the open mark at `at` (or take it out if it holds no text); entries added."""
        assert self._open is not None
        element, content, start = self._open
        self._open = None
        shown = self._shown  # ascending: is any text between start and at?
        after = bisect_right(shown, start)
        if not (after < len(shown) and shown[after] < at):
            self._code[start] = ""
            self._marks.retract(element, content)
            return 0
        self._insert(at, "EMC")
        return 1

    def _insert(self, at: int, literal: str) -> None:
        self._code.insert(at, literal)
        shown = self._shown
        moved = bisect_left(shown, at)
        shown[moved:] = [i + 1 for i in shown[moved:]]

    def _textOut(self, text: str, TStar: int = 0) -> None:
        if TStar and not (text and (text[-1].isspace() or text[-1] in "-\u00ad")):
            text += " "
        self._shown.append(len(self._code))
        if not (TStar and getattr(self, "hyphen_added", False) and text.endswith("-")):
            super()._textOut(text, TStar)
            return
        if text[:-1]:
            super()._textOut(text[:-1])
        assert self._open is not None
        element = self._open[0]
        self._stop(len(self._code))
        self._code.append(ADDED_HYPHEN)
        super()._textOut("-")
        self._code.extend(("EMC", "T*"))
        literal, content = self._marks.open(element)  # the element goes on, a new sequence
        self._open = (element, content, len(self._code))
        self._code.append(literal)

    def _linkRecord(self, key: object, what: str) -> None:
        if what == "start":
            link = self._started.get(key)
            if link is None:
                link = self._links.pop(0) if self._links else self._element.add("Link")
                self._started[key] = link
                if link not in self._element.kids:
                    self._element.kids.append(link)
            at = self._shown[-1]  # the link's first text, just put out
            at += self._stop(at)
            self._start(link, at)
        elif self._open is not None and self._open[0] is self._started.get(key):
            self._stop(len(self._code))
            self._start(self._element, len(self._code))

    def getCode(self) -> str:
        if self._open is not None:
            self._stop(len(self._code))
        return super().getCode()


class TaggedParagraph(ReportLabParagraph):
    """A paragraph drawn as marked content of its structure element.

    `element` None: a pagination artifact (a "continued" heading). Split parts keep the
    element (each part gets its own MCID on its own page, under one element); `links` are
    the Link elements of its links, in order, taken as they are drawn.
    """

    element: Element | None = None
    links: list[Element] | None = None

    def tag(self, element: Element | None, links: list[Element] | None = None) -> None:
        self.element, self.links = element, links if links is not None else []

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        for part in parts:
            if isinstance(part, TaggedParagraph):
                part.element, part.links = self.element, self.links
        return parts

    def draw(self) -> None:
        canv = self.canv
        if not is_tagging(canv):
            super().draw()
            return
        element = self.element
        if element is None or (element.repeats and element.has_content()):
            self._marking = None
            with artifact(canv, PAGINATION):
                super().draw()
            return
        self._marking = element
        marks_of(canv).decorating += 1
        try:
            super().draw()
        finally:
            marks_of(canv).decorating -= 1

    def beginText(self, x: float, y: float) -> PDFTextObject:
        element = getattr(self, "_marking", None)
        if element is None:
            return super().beginText(x, y)
        links = self.links if self.links is not None else []
        if self.blPara.kind == 0 and self.blPara.lines and getattr(self.blPara, "link", None):
            link = links.pop(0) if links else element.add("Link")
            if link not in element.kids:
                element.kids.append(link)
            element = link  # the whole paragraph is one link
        return _MarkedText(self.canv, x, y, element, links)


def table_marks(table: Flowable, what: str, *args: object) -> None:
    """Table's render callback: its backgrounds and rules are layout artifacts (the cells'
    paragraphs mark themselves as TH or TD)."""
    canv = table.canv
    if not is_tagging(canv):
        return
    if what in ("startBG", "startLines"):
        canv.addLiteral(f"/Artifact {LAYOUT} BDC")
    elif what in ("endBG", "endLines"):
        canv.addLiteral("EMC")


class Rule(HRFlowable):
    """A horizontal rule (under a heading): a layout artifact."""

    def draw(self) -> None:
        if not is_tagging(self.canv):
            super().draw()
            return
        with artifact(self.canv):
            super().draw()


class BackgroundBag(_FBGBag):
    """A frame background (a feature box): a layout artifact."""

    def render(
        self, canv: Canvas, frame: Any, fbx: float, fby: float, fbw: float, fbh: float
    ) -> None:
        if not is_tagging(canv):
            super().render(canv, frame, fbx, fby, fbw, fbh)
            return
        with artifact(canv):
            super().render(canv, frame, fbx, fby, fbw, fbh)


class Figure(Flowable):
    """A drawing (the chart) marked as a Figure with its alternative text and bounding box."""

    def __init__(self, drawing: Flowable, element: Element) -> None:
        super().__init__()
        self.drawing, self.element = drawing, element

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.drawing.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        if not is_tagging(canv):
            self.drawing.drawOn(canv, 0, 0)
            return
        shift = canv._getCmShift() or 0
        x0, y0 = canv.absolutePosition(0, 0)
        x1, y1 = canv.absolutePosition(self.width, self.height)
        self.element.bbox = (x0 + shift, y0 + shift, x1 + shift, y1 + shift)
        with marked(canv, self.element):
            self.drawing.drawOn(canv, 0, 0)


class MarkedFrameBG(FrameBG):
    """Start a frame background (FrameBG(start=False) ends it) drawn as a layout artifact."""

    def draw(self) -> None:
        super().draw()
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._frameBGs and type(frame._frameBGs[-1]) is _FBGBag:
            frame._frameBGs[-1].__class__ = BackgroundBag
