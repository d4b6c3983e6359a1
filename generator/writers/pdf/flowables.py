"""Flowables of our own: a group that says "(continued)" where it breaks, outline anchors."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import CondPageBreak, Flowable
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import (
    BalancedColumns,
    FrameBG,
    KeepInFrame,
    _Container,
    _listWrapOn,
)

from . import kept
from .hyphenation import (
    added_hyphens_told,
    break_lines,
    like_libreoffice,
    mark_added_hyphens,
    split_part,
)
from .justify import letter_spaced
from .markup_tree import markup_frags
from .tagging import BackgroundBag, TaggedParagraph, artifact

FUZZ = 1e-6


class Paragraph(TaggedParagraph):
    """A ReportLab paragraph that breaks its lines once per width, however often it is asked.

    Column balancing measures the same paragraphs many times; their height depends only on
    the width, so the line breaking is remembered (by the width rounded to a thousandth of a
    point: the frames' arithmetic gives widths that differ by a millionth), with the words it
    broke the text into: a split takes its parts' words from those by the lines' indices.
    """

    blPara: Any  # ReportLab's line breaking, remembered with the width it was made for
    frags: Any  # its words, as the line breaking left them
    _wrapWidths: Any

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        """ReportLab's setup, the style sheet's markup read into fragments without its HTML
        parser (see markup_tree)."""
        if frags is None and isinstance(text, str):
            cleaned = cleaner(text)
            key = self._kept = kept.look(cleaned, style)
            frags = kept.frags(key) if key is not None else None
            if frags is None:
                frags = markup_frags(cleaned, style)
                if frags is not None and key is not None:
                    kept.keep_frags(key, frags)
            if frags is not None:
                text = cleaned
        self._parsed = frags
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        cache = self.__dict__.get("_wraps")
        if cache is None:
            cache = self._wraps = self._kept_wraps()
        key = round(available_width, 3)
        known = cache.get(key)
        if known is None:
            size = super().wrap(available_width, available_height)
            cache[key] = (size, self.blPara, self._wrapWidths, self.frags)
            return size
        (self.width, self.height), self.blPara, self._wrapWidths, self.frags = known
        return self.width, self.height

    _kept: Any = None
    """The key of what the watch's process keeps of this paragraph (see `kept`), or None."""
    _parsed: Any = None
    """The fragments its markup was read into, before line breaking made words of them
    (ReportLab only reads them; see `_gained`): None where ReportLab's parser read it."""

    def _kept_wraps(self) -> dict[float, Any]:
        """Where its line breakings are remembered: with those of the same markup in a style
        that looks the same, kept from the last file (see `kept`), else its own."""
        if self._kept is not None:
            self._kept = kept.look(self.text, self.style)  # as it looks now (an alignment set)
        return {} if self._kept is None else kept.wraps(self._kept)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """ReportLab's split; a paragraph split in two no longer shares its line breaking
        with the next file (ReportLab may change the last word of a part in place)."""
        parts = super().split(available_width, available_height)
        if len(parts) > 1 and self._kept is not None:
            kept.drop(self._kept)
            self._kept = None
        return parts

    def breakLines(self, width: Any) -> Any:
        """ReportLab's line breaking, with no more than two hyphenated lines in a row; lines
        ending with a hyphen it added are marked so (for tagging)."""
        lines = break_lines(self, width, super().breakLines)
        mark_added_hyphens(self.frags, lines)
        return lines

    def draw(self) -> None:
        """Drawn as ReportLab draws it, a justified line that would gape letter-spaced a
        little (see justify); a hyphen added at a line's end is told to tagging."""
        with letter_spaced(), added_hyphens_told():
            super().draw()

    def _split_blParaProcessed(self, blPara: Any, start: int, stop: int) -> Any:
        """The words of one part of a split (ReportLab's), the paragraph's own words left as
        they are: see `split_part`."""
        return split_part(self, blPara, start, stop, super()._split_blParaProcessed)


class RoomAsked(CondPageBreak):
    """A new column or page unless this much room is left (ReportLab's CondPageBreak) that
    leaves the space between the paragraphs around it as Word does: the larger of the space
    after the one and before the other (ReportLab's CondPageBreak ends the space after the
    paragraph before it, so that the one after it added its space before in full)."""

    _SPACETRANSFER = True


class OutlineEntry(Flowable):
    """A zero-size mark that adds a bookmark (outline entry) where it is drawn; the space
    between the paragraphs around it is as if it were not there."""

    _ZEROSIZE = 1
    _SPACETRANSFER = True

    def __init__(self, key: str, title: str, level: int) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=self.level > 0)


class FootSpace(Flowable):
    """Space that shrinks to the room left at a column's foot: it never starts a page of its
    own (a box's bottom padding and the space after it, at a page's foot, would otherwise
    make a page holding nothing but the footer)."""

    _ZEROSIZE = 1  # asked to wrap even where no room is left

    def __init__(self, height: float) -> None:
        super().__init__()
        self.space = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # below the foot already (the space after the line above went past it): a negative
        # height puts the cursor back at the foot, where the frame takes it
        self.width, self.height = available_width, min(self.space, available_height)
        return self.width, self.height

    def draw(self) -> None:
        pass


class PaddedEnd(Flowable):
    """A box's last paragraph with the box's bottom padding below it, kept with its last
    lines: at a page's foot the padding never shrinks, the last lines move on with it (as
    Word and LibreOffice draw a box's bottom border space). The paragraph's space after is
    the writer's to add after it (a FootSpace, which shrinks at the foot)."""

    def __init__(self, paragraph: Flowable, padding: float) -> None:
        super().__init__()
        self.paragraph, self.padding = paragraph, padding

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        width, height = self.paragraph.wrap(available_width, available_height - self.padding)
        self.width, self.height = width, height + self.padding
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.paragraph.split(available_width, available_height - self.padding)
        if len(parts) < 2:
            return []
        return [*parts[:-1], PaddedEnd(parts[-1], self.padding)]

    def getSpaceBefore(self) -> float:
        return float(self.paragraph.getSpaceBefore())

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        self.paragraph.drawOn(canv, x, y + self.padding, _sW)


class SectionMark(ActionFlowable):
    """Tells the document which section runs on (its "continued" heading), or that none does."""

    def __init__(self, continued: Callable[[], list[Flowable]] | None) -> None:
        super().__init__()
        self.continued = continued

    def apply(self, doc: object) -> None:
        doc.continued_heading = self.continued  # type: ignore[attr-defined]


KEEP_WHOLE_LINES = 4
"""A paragraph of this many lines or fewer is never split over columns or pages: it moves on."""


def line_count(flowable: Flowable) -> int | None:
    """The lines of a wrapped paragraph (None for any other flowable)."""
    lines = getattr(getattr(flowable, "blPara", None), "lines", None)
    return None if lines is None else len(lines)


class GroupBlock(_Container, Flowable):
    """A group's heading, note and paragraphs, which splits with a "(continued)" heading.

    It never leaves its heading (and note) alone at the foot of a column: such a split is
    refused, so the whole block moves on. An event of up to KEEP_WHOLE_LINES lines moves on
    whole rather than split; a longer one splits leaving at least two lines on each side
    (its style allows no widow or orphan). The part after a split begins with the group's
    "(continued)" heading where it begins with an event; where it goes on inside an event,
    its sentence goes on with no heading in between (as in the Word file, whose paragraph
    cannot hold one).
    """

    def __init__(
        self,
        content: list[Flowable],
        continued: Callable[[], Flowable],
        lead: int,
        anchor: OutlineEntry | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__()
        self._content = content
        self._continued = continued
        self._lead = lead
        self._anchor = anchor
        self.key = key
        """The group's key while its heading leads it (None for its continued part)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Stack the content's heights (without ReportLab's costly frame copy)."""
        if getattr(self, "_wrapped_width", None) != available_width:
            height = previous_after = 0.0
            for i, item in enumerate(self._content):
                height += item.wrapOn(self.canv, available_width, 0xFFFFFFF)[1]
                if i:
                    height += max(item.getSpaceBefore() - previous_after, 0) + previous_after
                previous_after = item.getSpaceAfter()
            self._wrapped_width, self.height = available_width, height
        self.width = available_width
        return self.width, self.height

    def __deepcopy__(self, memo: dict[int, Any]) -> GroupBlock:
        """A copy sharing its paragraphs: splitting never changes them, and copies are costly."""
        return GroupBlock(list(self._content), self._continued, self._lead, self._anchor, self.key)

    def getSpaceBefore(self) -> float:
        return self._content[0].getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self._content[-1].getSpaceAfter()

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        head, tail = self._cut(available_width, available_height)
        if len(head) <= self._lead or not tail:
            return []
        first = GroupBlock(head, self._continued, 0, self._anchor, self.key)
        inside = not any(tail[0] is item for item in self._content)  # a split event's end
        heading = [] if inside else [self._continued()]
        rest = GroupBlock([*heading, *tail], self._continued, len(heading))
        return [first, rest]

    def _cut(self, width: float, height: float) -> tuple[list[Flowable], list[Flowable]]:
        """What fits in `height` (splitting one paragraph if need be), and what does not."""
        used = previous_after = 0.0
        for i, item in enumerate(self._content):
            item_height = item.wrapOn(self.canv, width, 0xFFFFFFF)[1]
            before = max(item.getSpaceBefore() - previous_after, 0) if i else 0
            if used + before + item_height > height + FUZZ:
                room = height - used - before
                short = (line_count(item) or KEEP_WHOLE_LINES + 1) <= KEEP_WHOLE_LINES
                parts = item.splitOn(self.canv, width, room) if room > 0 and not short else []
                if len(parts) < 2:
                    return self._content[:i], self._content[i:]
                parts[1].goes_on_from = _words_before(item, parts[0])
                for part in parts:  # its lines in Word: see `lines_gained_in_word`
                    part.whole = item.__dict__.get("whole", item)
                return [*self._content[:i], parts[0]], [*parts[1:], *self._content[i + 1 :]]
            used += before + item_height
            previous_after = item.getSpaceAfter()
            used += previous_after
        return list(self._content), []

    def drawOn(
        self,
        canv: Any,
        x: float,
        y: float,
        _sW: float = 0,
        scale: float = 1.0,
        content: Any = None,
        aW: float | None = None,
    ) -> None:
        if self._anchor is not None:
            canv.saveState()
            canv.translate(x, y + self.height)
            self._anchor.canv = canv
            self._anchor.draw()
            canv.restoreState()
        _Container.drawOn(self, canv, x, y, _sW, scale, content, aW)


def _words_before(event: Flowable, first: Flowable) -> tuple[str, int, int] | None:
    """Where the rest of a split event goes on (see `column_split`): the event's group key
    and number, and how many of its words (the text cut at its spaces) come before the rest;
    a word a line ends inside (hyphenated, or a long word cut) goes on whole with the rest.
    None when not known."""
    origin = getattr(event, "opening", None)
    before = 0
    if origin is None:
        goes_on = getattr(event, "goes_on_from", None)
        if goes_on is None:
            return None
        *origin, before = goes_on
    lines = getattr(getattr(first, "blPara", None), "lines", None)
    if not lines or any(not hasattr(line, "wordCount") for line in lines):
        return None  # not broken into lines of fragments: no word count
    before += sum(line.wordCount for line in lines)
    before -= sum(getattr(line, "word_split", False) for line in lines)  # pieces of a word
    key, number = origin
    return key, number, before


def page_start(flowable: Flowable) -> tuple[str, int] | None:
    """Where a page that begins with `flowable` begins in the model: the key of the group and
    0 (its heading), or the number of the event (from 1) whose first line begins it; None
    when the page begins elsewhere (inside an event, or with anything but a group). A page
    of columns begins where its first column does."""
    if isinstance(flowable, BalancedColumns) and flowable._content:
        flowable = flowable._content[0]
    if not isinstance(flowable, GroupBlock):
        return None
    if flowable._lead > 0 and flowable.key is not None:
        return flowable.key, 0
    first = flowable._content[flowable._lead : flowable._lead + 1]  # after its heading
    return getattr(first[0], "opening", None) if first else None


def goes_on_inside(flowable: Flowable) -> bool:
    """Whether a page that begins with `flowable` begins inside an event (the rest of one
    split over pages; a page of columns: in its first column)."""
    if isinstance(flowable, BalancedColumns) and flowable._content:
        flowable = flowable._content[0]
    return isinstance(flowable, GroupBlock) and flowable.key is None and flowable._lead == 0


def heading_key(flowable: Flowable) -> str | None:
    """The key of a group that starts here, heading first (None for a continued part, or
    anything else)."""
    if isinstance(flowable, GroupBlock) and flowable._lead > 0:
        return flowable.key
    return None


def column_split(flowable: Flowable) -> tuple[str, int, int] | None:
    """Where a column that begins with `flowable` begins inside an event (the rest of one
    split over columns): its group's key, its number and the count of its words before
    (see `_words_before`); None anywhere else."""
    if not (isinstance(flowable, GroupBlock) and flowable.key is None and flowable._lead == 0):
        return None
    first = flowable._content[:1]
    return getattr(first[0], "goes_on_from", None) if first else None


def column_start(flowable: Flowable) -> tuple[str, int] | None:
    """Where a column that begins with `flowable` begins in the model (as `page_start`): a
    group's heading, or the event that follows its "(continued)" heading; None inside an
    event, or anywhere else."""
    if isinstance(flowable, GroupBlock) and flowable._lead > 0:
        return page_start(flowable)
    return None


class RecordedColumns(BalancedColumns):
    """ReportLab's balanced columns, telling the Word file where each column opens, on every
    page: in `starts` a group's heading or the event after its "(continued)" heading
    (`column_start`), in `splits` the rest of an event split over columns (`column_split`);
    in `placed` the keys of the groups set, heading first, in a later column of the columns'
    last page (where Word and LibreOffice balance the columns themselves).

    The Word file breaks its columns there: LibreOffice's columns then hold what the PDF's
    do, page after page, however long its lines. A column needs more lines in LibreOffice
    where a paragraph's last line does not narrow, or an address or a number's hyphen breaks
    otherwise (`lines_gained_in_word`); the Word file sets
    the events' lines closer than the PDF (word_lines.py), which leaves each column room
    for them. Where even that room cannot hold LibreOffice's lines, the column's last lines
    go on into the next: the Word file breaks no later column (see `_flow`), else the
    break would move all after it on by a column; the events the later columns begin it
    sets at the PDF's leading (`flowing`): there LibreOffice's columns flow by themselves
    (as they all did before), and closer lines would make its pages hold more than the
    PDF's (a page fewer, where the PDF's last page holds a few lines).
    """

    starts: set[tuple[str, int]]
    splits: set[tuple[str, int, int]]
    placed: set[str]
    flowing: set[tuple[str, int]]
    ends: list[tuple[int, set[tuple[str, int]]]]
    """For each section of columns, the page of its columns' last page and the events (and
    notes) that begin there, where LibreOffice's lines fit (see PdfWriter's `ends_apart`)."""
    lone: set[str]
    """The keys of the sections whose columns end in the first column of their last page
    alone (the rest did not split), where LibreOffice, balancing them itself, set a group's
    heading in one column and its event in the other: the Word file ends them with a column
    break, where LibreOffice's lines fit."""
    section = ""
    """The key of the section of these columns."""
    word_leadings: dict[str, float]
    """The Word file's line height of the styles whose lines it sets closer (word_lines.py)."""
    carried = 0.0
    """How much of LibreOffice's lines the columns of the page before leave for these."""
    opens_word_page = False
    """Whether the PDF begins this page of columns with "(continued)" headings (page.py)."""
    longer_in_word = 0
    """Whether LibreOffice's page before does not hold what the PDF's does (set with
    `opens_word_page`): the Word file may not begin a new page here, see `safe_page_starts` ..."""
    last_longer_in_word = 0
    """... nor where the columns end on this page and LibreOffice needs more lines for it:
    without the "(continued)" headings, its columns begin higher and hold more, and they
    balance with the columns before (a section of this page alone, with its column breaks,
    LibreOffice was seen to balance with a column's last group in the next column and
    the rest after the break on a page of its own)."""
    heading_room = 0.0
    """The height of the "(continued)" heading the PDF sets above these columns."""
    goes_on = False
    """Whether these columns go on from a page before (the rest of ReportLab's split)."""

    def open_word_page(self) -> None:
        """The PDF begins this page with "(continued)" headings: the Word file may too,
        where LibreOffice's page before holds what the PDF's does."""
        self.longer_in_word = int(self.carried > FUZZ)
        self.opens_word_page = True

    def _generated_content(self, aW: float, aH: float) -> tuple[float, list[Flowable]]:
        height, generated = super()._generated_content(aW, aH)
        rest = [g for g in generated if isinstance(g, BalancedColumns)]
        frames = [g for g in generated if isinstance(g, KeepInFrame)]
        if not rest:
            self._place_last_page(frames)
        if not rest and self.opens_word_page:
            gained = sum(
                lines_gained_in_word(f, whole_parts=True) for c in frames for f in c._content
            )
            self.last_longer_in_word = int(gained > 0)
        carried = self._flow(frames, aH)
        used = sum(1 for frame in frames if frame._content)
        if not rest and carried <= FUZZ and used == 1 < self._nCols:
            self.lone.add(self.section)
        if not rest and carried <= FUZZ:
            begun = {start for frame in frames for start in _begun(frame._content)}
            self.ends.append((self.canv.getPageNumber(), begun))
        for more in rest:  # the columns of the next page: recorded the same way
            more.__class__ = RecordedColumns
            more.starts, more.splits, more.placed = self.starts, self.splits, self.placed
            more.flowing, more.lone, more.section = self.flowing, self.lone, self.section
            more.ends = self.ends
            more.word_leadings, more.goes_on, more.carried = self.word_leadings, True, carried
        return height, generated

    def _place_last_page(self, frames: list[KeepInFrame]) -> None:
        """Record the groups set, heading first, in the later columns of the columns' last
        page (`placed`): the Word file keeps their headings with nothing below (LibreOffice
        gives up balancing the columns where a kept heading follows a column break)."""
        for frame in frames[1:]:
            self.placed.update(key for f in frame._content if (key := heading_key(f)) is not None)

    def _flow(self, frames: list[KeepInFrame], height: float) -> float:
        """Follow LibreOffice's lines through this page's columns: each column opens with a
        break (recorded) while no column before has left it lines that do
        not fit its room (`_word_room`); return how much the first such column left over
        (0: none). From there on LibreOffice's columns flow on by themselves: where they
        begin is not known (an event kept whole moves on whole), and a break would move
        all after it on by a column."""
        carried = self.carried
        for i, frame in enumerate(frames):
            first = frame._content[0] if frame._content else None
            if first is not None and (i or self.goes_on) and carried <= FUZZ:
                start, split = column_start(first), column_split(first)
                if start is not None:
                    self.starts.add(start)
                if split is not None:
                    self.splits.add(split)
            if carried <= FUZZ:
                needs = sum(height_gained_in_word(f, whole_parts=True) for f in frame._content)
                carried = max(needs - self._word_room(frame, height), 0.0)
                if carried > FUZZ:  # its last lines move on all the same: closer lines there
                    self.flowing.update(_begun(frame._content))  # would only carry less
            else:
                self.flowing.update(_begun(frame._content))
        return carried

    def _word_room(self, column: KeepInFrame, height: float) -> float:
        """The room a column leaves LibreOffice below the PDF's lines: the room the PDF
        leaves at its foot, what the Word file's closer lines leave (word_lines.py), and
        the height of the "(continued)" heading the PDF sets above the columns where the
        Word file does not begin the page with it."""
        used = _listWrapOn(column._content, column.maxWidth, self.canv)[1]
        closer = sum(_closer(f, self.word_leadings) for f in column._content)
        unheaded = self.opens_word_page and (self.longer_in_word or self.last_longer_in_word)
        return height - used + closer + (self.heading_room if unheaded else 0.0)


def _begun(flowables: list[Flowable]) -> Iterator[tuple[str, int]]:
    """The events (their group's key and number) and notes (number 0) that begin among
    these flowables."""
    for flowable in flowables:
        for item in flowable._content if isinstance(flowable, GroupBlock) else ():
            if getattr(item, "goes_on_from", None) is None:
                whole = item.__dict__.get("whole", item)
                opening = getattr(whole, "opening", None) or getattr(whole, "note_of", None)
                if opening is not None:
                    yield opening


def _closer(flowable: Flowable, leadings: dict[str, float]) -> float:
    """The height the Word file's closer lines save on a flowable (a group's, a paragraph)."""
    if isinstance(flowable, GroupBlock):
        return sum(_closer(item, leadings) for item in flowable._content)
    if not isinstance(flowable, Paragraph):
        return 0.0
    line = leadings.get(flowable.style.name)
    if line is None:
        return 0.0
    return (line_count(flowable) or 0) * (float(flowable.style.leading) - line)


def safe_page_starts(starts: list[tuple[tuple[str, int], Flowable]]) -> frozenset[tuple[str, int]]:
    """The page starts (see page_start) where the Word file may begin a new page: where
    LibreOffice needs no more room than the PDF for the page before (in one column: none
    that the PDF's page leaves free at its foot, with what LibreOffice carried over from the
    pages before, see BulletinDocument), nor, in columns, for the page itself if the columns
    end on it. A new page there would leave LibreOffice a page holding only the lines that
    did not fit (or, on the columns' last page, a column break that the PDF's columns have
    there would move the rest to a page of its own)."""
    return frozenset(
        start
        for start, first in starts
        if not getattr(first, "longer_in_word", 0) and not getattr(first, "last_longer_in_word", 0)
    )


def lines_gained_in_word(flowable: Flowable, whole_parts: bool = False) -> int:
    """How many lines more the paragraphs of a flowable (a group's, or a paragraph) take in
    the Word file, as LibreOffice 25.2 renders it (it breaks justified lines as Word 2013
    and later do): word spaces narrow as the PDF's do, but not on a paragraph's last line
    (where the trial's last line holds its words only narrowed, one line more); no line
    breaks after a hyphen before a number ("COVID-|19"); an address breaks only where
    LibreOffice breaks it, and a word wider than the room left moves to a line of its own
    before it is cut (the PDF cuts it where the line ends). Each paragraph is broken again
    so, once.
    With `whole_parts`, a part of a paragraph split over columns or pages counts the whole
    paragraph's (where they fall is not known: LibreOffice breaks the part's lines anew);
    else none (a split part has no text of its own)."""
    if isinstance(flowable, GroupBlock):
        return sum(lines_gained_in_word(item, whole_parts) for item in flowable._content)
    if not isinstance(flowable, Paragraph):
        return 0
    whole = flowable.__dict__.get("whole")
    if whole_parts and whole is not None and whole is not flowable:
        return lines_gained_in_word(whole)
    known = flowable.__dict__.get("_gained_in_word")
    if known is None:
        known = flowable.__dict__["_gained_in_word"] = _gained(flowable)
    return int(known)


def height_gained_in_word(flowable: Flowable, whole_parts: bool = False) -> float:
    """The height of the lines `lines_gained_in_word` finds (in their paragraphs' leading)."""
    if isinstance(flowable, GroupBlock):
        return sum(height_gained_in_word(item, whole_parts) for item in flowable._content)
    if not isinstance(flowable, Paragraph):
        return 0.0
    return lines_gained_in_word(flowable, whole_parts) * float(flowable.style.leading)


_LONG_WORD = re.compile(r"[^\s<>]{24,}")
"""A word (or an address) long enough to break otherwise in LibreOffice."""

_HYPHEN_NUMBER = re.compile(r"-(?:<[^>]*>)*\d")
"""A hyphen before a number ("COVID-19"; markup may stand between), where the PDF may break
a line and Word does not."""


def _gained(paragraph: Paragraph) -> int:
    style, lines = paragraph.style, getattr(getattr(paragraph, "blPara", None), "lines", None)
    if not isinstance(paragraph.text, str) or not lines:
        return 0  # a split part has no text of its own: its page may break it anywhere
    shrunk = getattr(style, "spaceShrinkage", 0) and any(_room_left(line) < 0 for line in lines)
    text = paragraph.text
    if not shrunk and not _LONG_WORD.search(text) and not _HYPHEN_NUMBER.search(text):
        return 0  # no line gave up any space, no word LibreOffice breaks otherwise
    uncut = copy.copy(style)
    uncut.splitLongWords = 0
    # its markup read once only; in the watch, the trial's own fragments and line breaking
    # are kept for the next file (see `kept`)
    parsed = None if kept.active() else paragraph._parsed
    trial = Paragraph(text, uncut, frags=parsed)
    with like_libreoffice():
        trial.wrap(paragraph.width, 0xFFFFFFF)
    found = trial.blPara.lines
    last_narrowed = _room_left(found[-1]) < 0  # Word never narrows a paragraph's last line
    return max(len(found) + last_narrowed - len(lines), 0)


def _room_left(line: Any) -> float:
    """The room a broken line leaves at its end (ReportLab's extraSpace: below 0 where its
    spaces shrank)."""
    return float(line[0] if isinstance(line, tuple) else line.extraSpace)


class _RuledBag(BackgroundBag):
    """A frame background that also draws a rule down its left edge, page after page."""

    rule_colour: Color
    rule_width: float
    rule_at = -1

    def render(self, canv: Any, frame: Any, fbx: float, fby: float, fbw: float, fbh: float) -> None:
        same = self.fid == id(frame) and self.cid == id(canv) and self.pn == canv.getPageNumber()
        super().render(canv, frame, fbx, fby, fbw, fbh)
        if abs(fbw) <= FUZZ or abs(fbh) <= FUZZ:
            return
        if not same:
            canv.saveState()
            canv.setFillColor(self.rule_colour)
            with artifact(canv):
                self.rule_at = len(canv._code)
                canv.rect(fbx, fby, self.rule_width, fbh, stroke=0, fill=1)
            canv.restoreState()
            return
        words = canv._code[self.rule_at].split()
        x, y, w, h = map(float, words[1:5])
        words[1:5] = [fp_str(x, fby, w, h + y - fby)]
        canv._code[self.rule_at] = " ".join(words)


class RuledFrameBG(FrameBG):
    """Start a tinted background with a rule on its left (FrameBG(start=False) ends it)."""

    def __init__(self, colour: Color, rule_colour: Color, rule_width: float) -> None:
        super().__init__(color=colour)
        self.rule_colour, self.rule_width = rule_colour, rule_width

    def draw(self) -> None:
        super().draw()
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._frameBGs:
            bag = frame._frameBGs[-1]
            bag.__class__ = _RuledBag
            bag.rule_colour, bag.rule_width = self.rule_colour, self.rule_width
