"""The Word writer: the document model -> an editable .docx, every look from the layout.

One `visit_<node>` per model node (an unknown node raises). Paragraphs and runs carry only
named styles (a frame too is in its paragraphs' styles); the events flow in real Word columns,
each column section ended by an empty paragraph of its own; the tables use a table style and
have alternative text; the chart is a native chart with its workbook; colours and fonts come
from a theme made from the layout; the layout's fonts are embedded.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from itertools import takewhile
from pathlib import Path
from typing import BinaryIO

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml.etree import _Element

from ... import model
from ...layout import Layout
from ...visitor import Visitor
from ...word_breaks import exceptions_for
from ...word_lines import body_styles, word_leadings
from .. import DEFAULT_EPOCH, Options, Rendered
from .chart import add_chart
from .fonts import embed_fonts, load_fonts, prepare_fonts
from .marks import Marks
from .masthead import GAP_BELOW, masthead_band, masthead_runs
from .measure import is_short
from .ooxml import element, keep_lines, keep_with_next, twips
from .package import clean_document, set_properties, set_settings, write_package
from .page import (
    PageGeometry,
    band_to_top_edge,
    end_section,
    set_columns,
    set_up_page,
    show_page_count,
    write_footer,
)
from .styles import BODY_TEXT_LEVEL, BOX_GAP, SECTION_BREAK, Framing, WordStyles, outline_level
from .table import add_row, styled_table
from .unbroken import SOFT_HYPHEN, Unbroken, unhyphenated

"""The style of the empty paragraph that ends a column section (Word keeps a section's end
in a paragraph mark: in a paragraph of its own, editing the text around it leaves it be)."""


class DocxWriter(Visitor):
    """Writes the model into a python-docx document, one visit_<node> per node type."""

    walker = "the Word writer"

    def __init__(
        self,
        document: model.Document,
        layout: Layout,
        pages: int = 1,
        epoch: int = DEFAULT_EPOCH,
        column_starts: frozenset[tuple[str, int]] = frozenset(),
        column_placed: frozenset[str] = frozenset(),
        page_starts: frozenset[tuple[str, int]] = frozenset(),
        column_splits: frozenset[tuple[str, int, int]] = frozenset(),
        long_events: frozenset[tuple[str, int]] | None = None,
        flowing_events: frozenset[tuple[str, int]] = frozenset(),
        lone_columns: frozenset[str] = frozenset(),
    ) -> None:
        self.document = document
        self.layout = layout
        self.pages = pages
        self.epoch = epoch
        self.column_starts = column_starts
        self.column_placed = column_placed
        self.page_starts = page_starts
        self.column_splits = column_splits
        self.long_events = long_events
        self.flowing_events = flowing_events
        self.lone_columns = lone_columns
        self.continued: model.Paragraph | None = None
        """The "(continued)" heading of the section being written (None: it has none)."""
        self.word = clean_document()
        self.geometry = PageGeometry(layout)
        self.band = masthead_band(document.masthead, layout, self.geometry)
        tabs = {"Footer": self.geometry.text_width}
        tabs |= {name: self.band.tab for name in self.band.styles}
        framing = framed_styles(document)
        language = document.info.language
        opening = opening_sections(document)
        self.leadings = leadings = word_leadings(document, layout)
        self.styles = WordStyles(
            self.word, layout, language, framing, tabs, self.band, opening, leadings
        )
        self.body = self.word.element.body
        self.columns = 1
        self.sections = 0
        self.frame: str | None = None
        self.marks = Marks(document.provenance, layout.name)
        self.charts = 0
        self.below_band = False
        self.box_gap = False
        """Whether the next paragraph opens a box that does not start a Word section."""
        self.after_box = False
        """Whether the next paragraph follows a box."""
        self.previous: str | None = None
        """The style of the body's last paragraph."""
        self.unbroken = Unbroken(
            document.names,
            language,
            exceptions_for(layout.spec.hyphenation, language),
            document.months,
        )
        self.leads: list[tuple[str, list[_Element]]] = []
        """Each group in columns with its heading (and note) paragraphs (`place_columns`)."""
        self.column_events: dict[tuple[str, int], _Element] = {}
        """Each event in columns by its group's key and its number (`place_columns`)."""
        self.column_texts: dict[tuple[str, int], str] = {}
        """... and its text (where a column break inside it goes: `place_columns`)."""
        self.column_ends: dict[str, _Element] = {}
        """The paragraph that ends each section of columns (by key), but the body's last (its
        w:sectPr ends those columns: a column break ends its last paragraph's text)."""
        self.section_key = ""
        """The key of the section being written."""
        self.column_paragraphs: dict[tuple[str, int], tuple[_Element, str]] = {}
        """Each event and note (number 0) in columns with its style (`let_flow`)."""
        self.events: dict[tuple[str, int], _Element] = {}
        """Every event by its group's key and its number (`keep_short_events`)."""
        self.openings: list[tuple[PageStart, _Element, list[model.Paragraph], int]] = []
        """Where a page may begin with "(continued)" headings: see `place_pages`."""

    def write(self, target: Path | BinaryIO, screen: Callable[[], Rendered] | None = None) -> None:
        """Render the whole document into `target`. `screen`: waits for the screen PDF's page
        count and column starts (a build renders it meanwhile), called once all that does not
        depend on them is made; None: those given to the writer."""
        self.write_body()
        set_columns(self.body.sectPr, self.columns, self.layout, continuous=self.sections > 0)
        if self.band.top > 0:
            first = self.word.sections[0]  # the section of page 1, in document order
            band_to_top_edge(first, self.document.footer, self.styles, self.pages)
        self.styles.finish()
        self.styles.theme.write(self.word)
        if screen is not None:
            self.show_screen(screen())
        self.keep_short_events()
        self.place_columns(self.place_pages())
        self.let_flow()
        set_properties(self.word, self.document.info, self.epoch, self.pages)
        hyphenate = any(style.hyphenate for style in self.layout.styles.values())
        set_settings(self.word, self.document.info.language, hyphenate)
        embed_fonts(self.word, self.layout)
        self.marks.record(self.word, self.document.info.title)
        write_package(self.word, target, self.epoch)

    def write_body(self) -> None:
        """The page set-up, the footer and every node of the model, with their marks."""
        section = set_up_page(self.word, self.layout)
        write_footer(section, self.document.footer, self.styles, self.pages)
        self.marks.footer = self.document.footer.text
        self.visit(self.document.masthead)
        for node in self.document.sections:
            self.visit(node)
        self._last_paragraph()

    # -- nodes -------------------------------------------------------------------------

    def visit_masthead(self, masthead: model.Masthead) -> None:
        """The band: publisher lines top left, period and issue top right (after a tab),
        then the title; paragraphs whose styles draw the band (masthead.py)."""
        for paragraph in masthead_runs(masthead, self.band):
            self._paragraph(paragraph, self.body)
        self.below_band = True

    def visit_section(self, section: model.Section) -> None:
        opening = self.styles.opening_sections
        self.box_gap = section.frame is not None and section.frame not in opening
        if section.heading is not None:
            self._set_columns(1)
            self.frame = section.frame
            self.visit(section.heading)
        self._set_columns(section.columns)
        self.section_key = section.key
        self.frame = section.frame
        self.continued = section.continued
        for block in section.blocks:
            self.visit(block)
        self.after_box = section.frame is not None
        self.frame = None
        self.continued = None

    def visit_heading(self, heading: model.Heading) -> None:
        extra = []
        level = heading.outline - 1 if heading.outline else BODY_TEXT_LEVEL
        if outline_level(self.layout, heading.style) != level:
            extra.append(element("w:outlineLvl", val=str(level)))
        paragraph = self._new_paragraph(self.body, heading.style, extra, gallery=True)
        self._bookmark(paragraph, heading.anchor)
        self._runs(paragraph, (model.Run(heading.text, data=heading.data),))

    def visit_paragraph(self, paragraph: model.Paragraph) -> None:
        self._paragraph(paragraph, self.body, gallery=True)

    def visit_group(self, group: model.Group) -> None:
        lead = [self._paragraph(group.heading, self.body, gallery=True)]
        self._may_open_page(group, 0, lead[0])
        if group.note is not None:
            lead.append(self._paragraph(group.note, self.body, gallery=True))
            self.column_paragraphs[group.key, 0] = (lead[-1], group.note.style)
        if self.columns > 1:
            self.leads.append((group.key, lead))  # placed as in the PDF: `place_columns`
        width = self.geometry.column_width(self.columns)
        for number, paragraph in enumerate(group.paragraphs, 1):
            found = self._paragraph(paragraph, self.body, gallery=True)
            self._may_open_page(group, number, found)
            self.events[group.key, number] = found
            if self.columns > 1:
                self.column_events[group.key, number] = found
                self.column_texts[group.key, number] = paragraph.text
                self.column_paragraphs[group.key, number] = (found, paragraph.style)
            if is_short(paragraph.text, self.layout.style(paragraph.style), self.layout, width):
                keep_lines(found)  # a short paragraph moves on whole, as in the PDF

    def visit_table(self, table: model.Table) -> None:
        if table.caption is not None:
            self.visit(table.caption)
        spec = self.layout.spec.tables[table.style]
        width = self.geometry.column_width(self.columns)
        widths = [width * share for share in table.widths]
        caption = table.caption.text if table.caption else ""
        grid = styled_table(self.styles.table(table.style), widths, caption, table.description)
        for cell, text in zip(add_row(grid, widths, header=True), table.header, strict=True):
            self._paragraph(model.Paragraph(spec.header_style, (model.Run(text),)), cell)
        for row in table.rows:
            for cell, content in zip(add_row(grid, widths), row.cells, strict=True):
                self._paragraph(model.Paragraph(spec.body_style, content.runs), cell)
        self._append(grid)

    def visit_image(self, image: model.Image) -> None:
        """The picture inline in a paragraph of its style (alt text as its description), then
        its caption."""
        width = self.geometry.column_width(self.columns) * image.width
        inline = self.word.part.new_pic_inline(image.file, Pt(width), None)
        inline.docPr.set("descr", image.alt_text)
        paragraph = self._new_paragraph(self.body, image.style)
        paragraph.add_r().add_drawing(inline)
        if image.caption is not None:
            self.visit(image.caption)

    def visit_barchart(self, chart: model.BarChart) -> None:
        self.charts += 1
        self.marks.chart(chart.categories, chart.values)
        width = self.geometry.column_width(self.columns)
        drawing = add_chart(
            self.word.part, chart, self.styles.theme, self.charts, width, self.epoch
        )
        paragraph = self._new_paragraph(self.body, chart.style)
        paragraph.add_r().append(drawing)

    def _may_open_page(self, group: model.Group, number: int, paragraph: _Element) -> None:
        """Note where a page may begin with "(continued)" headings (`place_pages`): at the
        group's heading (`number` 0) or its event, in a section that has them."""
        if self.continued is None:
            return
        headings = [self.continued] + ([group.continued] if number > 0 else [])
        if self.columns == 1:  # one column begins most pages so: its styles are shown
            for heading in headings:
                self.styles.paragraph(heading.style)
        self.openings.append(((group.key, number), paragraph, headings, self.columns))

    def show_screen(self, screen: Rendered) -> None:
        """Take the screen PDF's page count (into the footers already written) and column
        starts."""
        pages = screen.pages or 1
        if pages != self.pages:
            for relationship in self.word.part.rels.values():
                if relationship.reltype == RT.FOOTER:
                    show_page_count(relationship.target_part.element, pages)
        self.pages = pages
        self.column_starts, self.column_placed = screen.column_starts, screen.column_placed
        self.page_starts = screen.page_starts
        self.column_splits = screen.column_splits
        self.long_events = screen.long_events
        self.flowing_events = screen.flowing_events
        self.lone_columns = screen.lone_columns

    def keep_short_events(self) -> None:
        """Keep whole the events the screen PDF keeps whole, and no other (`long_events`;
        unknown: as measured here, `is_short`, which may take a text of long words in a
        narrow column for short: Word then moved on whole an event the PDF split, and
        its page held lines fewer than the PDF's)."""
        if self.long_events is None:
            return
        for key, paragraph in self.events.items():
            kept = paragraph.find(f"{qn('w:pPr')}/{qn('w:keepLines')}")
            if key in self.long_events and kept is not None:
                kept.getparent().remove(kept)
            elif key not in self.long_events and kept is None:
                keep_lines(paragraph)

    def place_columns(self, new_pages: set[PageStart]) -> None:
        """Break the columns where the PDF's do, on every page (see write_docx): the heading
        or event that opens a column starts with a column break, unless a new page begins
        there (`new_pages`); an event that goes on in the next column breaks inside. The
        groups set in the last page's later columns lose their heading's (and note's)
        keep-with-next."""
        starts = self.column_starts - new_pages
        for key, lead in self.leads:
            if key in self.column_placed:
                for paragraph in lead:
                    keep_with_next(paragraph, False)
            if (key, 0) in starts:
                column_break(lead[0])
        # first: a break before stops it; later words first: a break inside does too
        for key, number, words in sorted(self.column_splits, key=lambda s: -s[2]):
            if (key, number) in self.column_events:
                at = word_offset(self.column_texts[key, number], words)
                column_break_inside(self.column_events[key, number], at)
        for start in starts:
            if start in self.column_events:
                column_break(self.column_events[start])
        for key in self.lone_columns:  # the rest in the first column, as in the PDF
            if key in self.column_ends:
                column_break(self.column_ends[key])
            elif key == self.section_key and self.columns > 1:  # they end the document
                self._last_paragraph().append(_column_break_run())

    def let_flow(self) -> None:
        """Set the lines of `flowing_events` at the PDF's leading, not closer (word_lines.py):
        in columns that flow by themselves (no column break), LibreOffice's columns then hold
        about what the PDF's do, as they did before; on a columns' last page before a last
        page that holds little, they end where the PDF's do, and that little stays there."""
        for key in self.flowing_events:
            paragraph, style = self.column_paragraphs.get(key, (None, ""))
            if paragraph is not None and style in self.leadings:
                spacing = _spacing(paragraph.find(qn("w:pPr")))
                spacing.set(qn("w:line"), twips(self.layout.style(style).leading))
                spacing.set(qn("w:lineRule"), "atLeast")

    def place_pages(self) -> set[PageStart]:
        """Begin a new page where the screen PDF begins one with the section's "(continued)"
        heading, at a group's heading or event (see write_docx): with that heading, and the
        group's own before an event. In columns, the section's heading spans them, as in the
        PDF: the columns before end in a section, the heading is a section of its own that
        begins a new page, and the columns go on below it in a new section. Return where
        the columns go on so."""
        begun = set()
        for start, paragraph, opening, columns in self.openings:
            if start not in self.page_starts:
                continue
            headings = [(self.styles.paragraph(h.style), h.runs) for h in opening]
            if columns == 1:
                for i, (style, runs) in enumerate(headings):
                    paragraph.addprevious(self._running(style, runs, new_page=i == 0))
                continue
            before = paragraph.getprevious()
            if before is None or before.tag != qn("w:p") or _ends_section(before):
                continue  # the columns begin there: no page of theirs to go on
            end_section(self.body, before, columns, self.layout, continuous=True)
            begun.add(start)
            (style, runs), *group = headings
            heading = self._running(style, runs, new_page=False)
            end_section(self.body, heading, 1, self.layout, continuous=False)
            paragraph.addprevious(heading)
            for style, runs in group:
                paragraph.addprevious(self._running(style, runs, new_page=False))
        return begun

    def _running(self, style: str, runs: tuple[model.Run, ...], new_page: bool) -> _Element:
        """A "(continued)" heading in the style with this id: a pagination artifact as in the
        PDF, so no outline level, kept with the next paragraph, and not data (not in the
        marks' record: a pull passes it by)."""
        properties = [element("w:pStyle", val=style), element("w:keepNext")]
        properties += [element("w:pageBreakBefore")] if new_page else []
        properties.append(element("w:outlineLvl", val=str(BODY_TEXT_LEVEL)))
        found = element("w:p", [element("w:pPr", properties)])
        for run in runs:
            self._run(found, run)
        return found

    def _below_box(self, style: str) -> float:
        """The space above the first paragraph below a box: the PDF's, the space after the
        box's last paragraph, BOX_GAP and the paragraph's own space before (Word and
        LibreOffice would set the larger of the first and the last; see `_spaced`)."""
        above = self.layout.style(self.previous).space_after if self.previous else 0
        return above + BOX_GAP + self.layout.style(style).space_before

    # -- paragraphs and runs -----------------------------------------------------------

    def _paragraph(
        self, paragraph: model.Paragraph, container: _Element, gallery: bool = False
    ) -> _Element:
        found = self._new_paragraph(container, paragraph.style, gallery=gallery)
        self._runs(found, paragraph.runs, self.layout.style(paragraph.style).hyphenate)
        return found

    def _new_paragraph(
        self,
        container: _Element,
        style: str,
        extra: list[_Element] | None = None,
        gallery: bool = False,
    ) -> _Element:
        """An empty paragraph in a named style (in a frame: the style that draws it).

        `gallery`: a style editors apply to paragraphs they add (offered first in Word).
        """
        frame = self.frame if container is self.body else None
        properties = [element("w:pStyle", val=self.styles.paragraph(style, frame, gallery))]
        properties.extend(extra or ())
        if self.below_band and container is self.body:
            properties = _spaced(properties, GAP_BELOW)
            self.below_band = False
        elif self.box_gap and container is self.body and style != SECTION_BREAK:
            above = self.layout.style(self.previous).space_after if self.previous else 0
            gap = above + BOX_GAP + self.layout.style(style).space_before
            properties = _spaced(properties, gap)
            self.box_gap = False
        elif self.after_box and container is self.body and style != SECTION_BREAK:
            properties = _spaced(properties, self._below_box(style))
            self.after_box = False
        if container is self.body:
            self.previous = style
        paragraph = element("w:p", [element("w:pPr", properties)])
        if container is self.body:
            self._append(paragraph)
        else:
            container.append(paragraph)
        return paragraph

    def _runs(
        self, paragraph: _Element, runs: tuple[model.Run, ...], hyphenated: bool = False
    ) -> None:
        """Runs in their character styles; a run with a URL becomes a hyperlink. Each
        stretch of runs showing one data value is marked (see marks.py). In a `hyphenated`
        paragraph, names, addresses and months are runs of their own that no line hyphenates."""
        end = None
        names = []
        before = ""
        for i, run in enumerate(runs):
            if run.data is not None and (i == 0 or runs[i - 1].data != run.data):
                key = run.data
                same = takewhile(lambda r: r.data == key, runs[i:])  # noqa: B023
                shown = "".join(r.text for r in same)
                start, end = self.marks.start(run.data, shown)
                names.append(start.get(qn("w:name")))
                paragraph.append(start)
            link = _link_text(runs, i) if run.url else ""
            self._run(paragraph, run, hyphenated, before, link)
            before += run.text if hyphenated else ""
            if end is not None and (i + 1 == len(runs) or runs[i + 1].data != run.data):
                paragraph.append(end)
                end = None
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = style.get(qn("w:val")) if style is not None else ""
        self.marks.paragraph(style_id, "".join(run.text for run in runs), names, _outside(runs))

    def _run(
        self,
        paragraph: _Element,
        run: model.Run,
        hyphenated: bool = False,
        before: str = "",
        link_text: str = "",
    ) -> None:
        """One run in its character style; with a URL, inside a hyperlink described by
        `link_text` (its ScreenTip: what a screen reader and a tagged PDF's link tell, as in
        the PDF). In a `hyphenated` paragraph, each stretch kept whole (unbroken.py) is a Word
        run of its own, and a run in a character style that is never hyphenated (a title) is
        kept whole; `before` is the paragraph's text before the run."""
        parent = paragraph
        if run.url:
            rid = self.word.part.relate_to(run.url, RT.HYPERLINK, is_external=True)
            parent = element("w:hyperlink", history="1", tooltip=link_text)
            parent.set(qn("r:id"), rid)
            paragraph.append(parent)
        if not hyphenated:
            pieces: Iterator[tuple[str, bool]] = iter(((run.text, False),))
        elif run.style and not self.layout.spec.character_styles[run.style].hyphenate:
            pieces = iter(((run.text, bool(run.text)),))
        else:
            pieces = self.unbroken.pieces(run.text, before)
        for text, whole in pieces:
            word_run = element("w:r")
            properties = None
            if run.style:
                style = element("w:rStyle", val=self.styles.character(run.style))
                properties = element("w:rPr", [style])
            if whole:
                properties = unhyphenated(properties)
            if properties is not None:
                word_run.append(properties)
            _add_text(word_run, text)
            parent.append(word_run)

    def _bookmark(self, paragraph: _Element, anchor: str) -> None:
        """A bookmark named after the heading's anchor, around the whole heading."""
        if not anchor:
            return
        name = re.sub(r"\W", "_", anchor)
        name = name if name[:1].isalpha() else f"b_{name}"
        ident = str(self.marks.new_id())
        paragraph.append(element("w:bookmarkStart", id=ident, name=name[:40]))
        paragraph.append(element("w:bookmarkEnd", id=ident))

    # -- sections, frames, body --------------------------------------------------------

    def _set_columns(self, columns: int) -> None:
        """Start a continuous section with other columns, unless the count is the same: the
        section before ends in an empty paragraph of its own."""
        if columns == self.columns:
            return
        frame, self.frame = self.frame, None
        paragraph = self._new_paragraph(self.body, SECTION_BREAK)
        self.frame = frame
        end_section(self.body, paragraph, self.columns, self.layout, self.sections > 0)
        if self.columns > 1:
            self.column_ends[self.section_key] = paragraph
        self.sections += 1
        self.columns = columns

    def _last_paragraph(self) -> _Element:
        """The body's last paragraph, after adding an empty one if a table ends it."""
        last = self._body_end().getprevious()
        if last is None or last.tag != qn("w:p"):
            last = self._new_paragraph(self.body, "Normal")
        return last

    def _append(self, block: _Element) -> None:
        self._body_end().addprevious(block)

    def _body_end(self) -> _Element:
        """The body's w:sectPr, its last child (python-docx's `body.sectPr` looks for it
        from the first child: a body of thousands of paragraphs made that quadratic)."""
        end = self.body[-1]
        assert end.tag == SECT_PR, "the body ends with its section properties"
        return end


SECT_PR = qn("w:sectPr")

PageStart = tuple[str, int]
"""Where the screen PDF may begin a page: a group's key and 0 (its heading) or an event's number."""


AFTER_SPACING = {qn(f"w:{name}") for name in ("ind", "contextualSpacing", "jc", "outlineLvl")}
"""The paragraph properties that come after w:spacing in a w:pPr (those the writer sets)."""


LAST_IN_PPR = {qn("w:rPr"), qn("w:sectPr")}
"""The paragraph properties that end a w:pPr (its mark's look, the section it ends)."""


def _spaced(properties: list[_Element], before: float) -> list[_Element]:
    """A paragraph's properties with its own space before, in place of its style's: the
    first paragraph below the masthead band has the band's gap (as the PDF's body frame
    drops its style's); a box's first paragraph the PDF's room above the box: the space
    after the paragraph before it and BOX_GAP (Word's space before stands outside the box's
    border, and Word and LibreOffice set the larger of a paragraph's space after and the
    next one's space before, where the PDF sets both), unless the box starts a Word section
    (see WordStyles._frame_properties)."""
    holder = element("w:pPr", properties)
    _spacing(holder).set(qn("w:before"), twips(before))
    return list(holder)


def _ends_section(paragraph: _Element) -> bool:
    """Whether a paragraph's mark ends a section (holds a w:sectPr)."""
    return paragraph.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def column_break(paragraph: _Element) -> None:
    """Start `paragraph` at the top of the next column (a column break before its text),
    with no space before it, as the PDF's column drops it (Word and LibreOffice set a
    paragraph's space before below a column break)."""
    properties = paragraph.find(qn("w:pPr"))
    properties.addnext(_column_break_run())
    _spacing(properties).set(qn("w:before"), "0")


def _spacing(properties: _Element) -> _Element:
    """A paragraph's own w:spacing, added in its place among its properties if it has none."""
    spacing = properties.find(qn("w:spacing"))
    if spacing is None:
        spacing = element("w:spacing")
        after = [i for i, e in enumerate(properties) if e.tag in AFTER_SPACING | LAST_IN_PPR]
        properties.insert(after[0] if after else len(properties), spacing)
    return spacing


def word_offset(text: str, words: int) -> int | None:
    """Where the word after the first `words` words of a text (cut at its spaces) begins;
    None if the text has no more words."""
    at = 0
    for _ in range(words):
        at = text.find(" ", at)
        if at < 0:
            return None
        while text.startswith(" ", at):
            at += 1
    return at if 0 < at < len(text) else None


def column_break_inside(paragraph: _Element, at: int | None) -> None:
    """Go on with `paragraph` at the top of the next column from its character `at` (a
    column break inside its text, as the PDF's column opens inside the event): the run that
    holds that character is cut there (the break goes before it where the character begins
    it). Nothing where `at` is None or not in a text run (tabs, breaks: the paragraph's text
    is not the model's), nor inside a run of more than one text (a word with soft hyphens)."""
    if at is None:
        return
    seen = 0
    for text in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        if text.tag != qn("w:t"):
            return
        size = len(text.text or "")
        if seen + size > at:
            run = text.getparent()
            first = run.find(qn("w:t")) is text
            if at == seen and first:
                _outside_link(run).addprevious(_column_break_run())
            elif len(run.findall(qn("w:t"))) == 1:
                _cut_run(run, text, at - seen)
            return
        seen += size


def _outside_link(run: _Element) -> _Element:
    """The run, or the hyperlink it begins (a break before it stays out of the link)."""
    link = run.getparent()
    if link.tag == qn("w:hyperlink") and link.find(qn("w:r")) is run:
        return link
    return run


def _column_break_run() -> _Element:
    return element("w:r", [element("w:br", type="column")])


def _cut_run(run: _Element, text: _Element, at: int) -> None:
    """Cut a run of one w:t (after its properties) at character `at` (not 0) with a column
    break between its parts."""
    broken = _column_break_run()
    rest = copy.deepcopy(run)
    whole = text.text or ""
    _set_text(text, whole[:at])
    _set_text(rest.find(qn("w:t")), whole[at:])
    run.addnext(broken)
    broken.addnext(rest)


def _set_text(node: _Element, text: str) -> None:
    """A w:t's text, with xml:space="preserve" where its ends are blank."""
    node.text = text
    if len(text.strip()) < len(text):
        node.set(qn("xml:space"), "preserve")


def opening_sections(document: model.Document) -> frozenset[str]:
    """The frames whose box starts a Word section: its section's first columns (one under a
    heading) differ from the columns before it (as `_set_columns` starts sections)."""
    found, columns = set(), 1
    for section in document.sections:
        first = 1 if section.heading is not None else section.columns
        if section.frame is not None and first != columns:
            found.add(section.frame)
        columns = section.columns
    return frozenset(found)


def framed_styles(document: model.Document) -> Framing:
    """For each paragraph style of the body, the frames it is set in (None: no frame)."""
    found: Framing = {}
    for section, name, _ in body_styles(document):
        found.setdefault(name, set()).add(section.frame)
    return found


CONTROLS = re.compile(r"[\t\r\n]")


def _link_text(runs: tuple[model.Run, ...], at: int) -> str:
    """The whole text of the link the run at `at` is part of (the runs around it with its
    URL; its address if they show none), as the PDF tells its link, within Word's limit
    for a ScreenTip (`screen_tip`)."""
    url = runs[at].url or ""
    start = at
    while start > 0 and runs[start - 1].url == url:
        start -= 1
    end = at
    while end + 1 < len(runs) and runs[end + 1].url == url:
        end += 1
    text = " ".join("".join(run.text for run in runs[start : end + 1]).split())
    return screen_tip(text or url)


def screen_tip(text: str) -> str:
    """A text as a ScreenTip: whole if it fits Word's limit (SCREEN_TIP characters), else cut
    at the last space that keeps at least half of it (else at the limit), with an ellipsis."""
    if len(text) <= SCREEN_TIP:
        return text
    head = text[: SCREEN_TIP - 1]
    space = text.rfind(" ", 0, SCREEN_TIP)
    if space > SCREEN_TIP // 2:
        head = text[:space]
    return head.rstrip() + "…"


SCREEN_TIP = 255
"""The most characters Word's ScreenTip holds."""


def _add_text(word_run: _Element, text: str) -> None:
    """A run's text as python-docx's `run.text` writes it (one w:t, with xml:space where
    its ends are blank; a tab or line break as its own element), without its slow
    character-by-character way for the usual text that has neither."""
    if CONTROLS.search(text):
        word_run.text = text  # python-docx's CT_R: tabs and breaks as elements
        return
    if SOFT_HYPHEN in text:
        for k, part in enumerate(text.split(SOFT_HYPHEN)):
            if k:
                word_run.append(element("w:softHyphen"))
            _add_text(word_run, part)
        return
    if text:
        node = element("w:t")
        _set_text(node, text)
        word_run.append(node)


def _outside(runs: tuple[model.Run, ...]) -> str:
    """The text of runs outside data values, a NUL where each value starts."""
    found = []
    for i, run in enumerate(runs):
        if run.data is None:
            found.append(run.text)
        elif i == 0 or runs[i - 1].data != run.data:
            found.append("\x00")
    return "".join(found)


def docx_ledger(document: model.Document, layout: Layout) -> dict:
    """The ledger a Word file of this document records (see marks.py), without writing it."""
    writer = DocxWriter(document, layout)
    writer.write_body()
    return writer.marks.ledger(document.info.title)


class DocxFileWriter:
    """The Word writer's side of the writer contract."""

    def load_fonts(self, layout: Layout) -> None:
        load_fonts(layout)

    def prepare(self, document: model.Document, layout: Layout) -> None:
        prepare_fonts(document, layout)

    def write(
        self,
        document: model.Document,
        layout: Layout,
        target: Path | BinaryIO,
        options: Options,
    ) -> Rendered:
        columns = options.column_starts, options.column_placed, options.page_starts
        write_docx(
            document,
            layout,
            target,
            options.pages,
            options.epoch,
            *columns,
            options.screen,
            options.column_splits,
            options.long_events,
            options.flowing_events,
            options.lone_columns,
        )
        return Rendered(pages=None)


def write_docx(
    document: model.Document,
    layout: Layout,
    target: Path | BinaryIO,
    pages: int = 1,
    epoch: int = DEFAULT_EPOCH,
    column_starts: frozenset[tuple[str, int]] = frozenset(),
    column_placed: frozenset[str] = frozenset(),
    page_starts: frozenset[tuple[str, int]] = frozenset(),
    screen: Callable[[], Rendered] | None = None,
    column_splits: frozenset[tuple[str, int, int]] = frozenset(),
    long_events: frozenset[tuple[str, int]] | None = None,
    flowing_events: frozenset[tuple[str, int]] = frozenset(),
    lone_columns: frozenset[str] = frozenset(),
) -> int:
    """Write the editable Word file; the page count is Word's to decide, so return 0.

    `pages`: the page count the footer's fields and the file's properties show until Word
    lays the pages out itself (the builder gives the PDF's). `screen`: instead of `pages`
    and the columns below, a call that waits for the screen PDF's (see DocxWriter.write).

    `column_starts`: where a column of the events opens in the PDF, on every page but at
    the columns' very start (a group's heading, or the event after its "(continued)"
    heading; keys and numbers as `page_starts`), as far as LibreOffice's lines fit the
    columns before (see the PDF writer's RecordedColumns); `column_splits`: where such a
    column opens inside an event (key, number, the count of its words before). The Word
    file breaks its columns there (inside the event's paragraph for a split), but where it
    begins a new page: its columns hold what the PDF's do, page after page, in the room its
    closer lines leave (word_lines.py). `column_placed`: the groups the PDF sets, heading
    first, in a later column of the columns' last page: Word and LibreOffice balance the
    columns of that page themselves, and LibreOffice gives up (fills the first column to the
    page foot, and the feature box goes to a page of its own) when a heading kept with its
    next paragraph follows a break, so those headings (and notes) are not kept so.
    `flowing_events`: the events (and notes, number 0) whose lines are the PDF's leading: in
    the columns where it breaks none (LibreOffice's lines overflowed a column before), and
    on a columns' last page before a last page that holds little (see the PDF writer's
    `ends_apart`).
    `lone_columns`: the sections whose columns the PDF ends in the first column of their
    last page alone: a column break ends them, in the Section Break paragraph that ends them
    or, where they end the document, after its last paragraph's text (LibreOffice, balancing
    such columns itself, set a group's heading in one column and its event in the other).

    `long_events`: the events the screen PDF sets in more than KEEP_WHOLE_LINES lines (None:
    not known, so measured here); the others keep their lines together, as in the PDF.

    `page_starts`: where the screen PDF begins a page of a section with the section's
    "(continued)" heading, at a group's heading or event (see the PDF writer's page_start).
    The Word file begins a new page there with the same heading, a real paragraph (Word has
    no heading that shows only where a page begins): its pages then hold what the PDF's do.
    In columns, the heading spans them, as in the PDF: a section of its own (see
    `place_pages`); the PDF leaves out the pages before which LibreOffice may need more
    lines than the PDF (a paragraph's last line never narrows its spaces there, and addresses
    break elsewhere: `lines_gained_in_word`), where a page break
    would leave it a page with those lines alone. A page that the PDF begins inside an
    event has no "(continued)" heading in either file (a Word paragraph cannot hold it, and
    in the PDF no heading breaks into a sentence), and no page break: Word breaks the event
    itself.
    """
    writer = DocxWriter(
        document,
        layout,
        pages,
        epoch,
        column_starts,
        column_placed,
        page_starts,
        column_splits,
        long_events,
        flowing_events,
        lone_columns,
    )
    writer.write(target, screen)
    return 0
