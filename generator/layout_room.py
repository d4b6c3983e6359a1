"""Room on the page: a layout's sizes must leave room for its text, or it is a located error.

Each number of a layout is bounded on its own (layout_spec); here they are checked together,
as the writers place them: the margins inside the page with room for text and the footer,
the masthead band with room for text below it (the PDF writer grows a band too low for its
text), each section's columns, and each style's indent inside the narrowest column. A layout
that passes cannot make a PDF with text pushed off the page or squeezed out of its column.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from .errors import Problem
from .layout_spec import MM, LayoutSpec, Style
from .sources import Source

MIN_TEXT = 72.0
"""The least width and height of the text area, in points (one inch)."""
MIN_COLUMN = 48.0
"""The least width of a column, in points."""
MASTHEAD_GAP = 6.0
"""Points between the masthead band and the text below it (as the PDF writer places it)."""


def _mm(points: float) -> str:
    return f"{points / MM:.1f} mm"


class PageRoom:
    """The text area of a layout's pages, in points, as both writers set it."""

    def __init__(self, spec: LayoutSpec) -> None:
        page = spec.page
        self.width, self.height = (side * MM for side in page.size_mm)
        margins = page.margins_mm
        self.top, self.bottom = margins.top * MM, margins.bottom * MM
        self.text_width = self.width - (margins.left + margins.right) * MM
        self.text_height = self.height - self.top - self.bottom
        self.masthead = page.masthead_height_mm * MM
        self.first_height = self.height - self.masthead - MASTHEAD_GAP - self.bottom
        self.gap = page.column_gap_mm * MM

    def column(self, columns: int) -> float:
        return (self.text_width - self.gap * (columns - 1)) / columns


def room_problems(spec: LayoutSpec, styles: dict[str, Style], source: Source) -> list[Problem]:
    """Every place where the layout's sizes leave no room for its text."""
    room = PageRoom(spec)
    found = list(_page_problems(room, styles, source))
    if found:  # the columns and styles are measured against the page: fix the page first
        return found
    found += _column_problems(spec, room, source)
    if not found:
        found += _style_problems(spec, styles, room, source)
    chart = spec.chart
    if chart is None:  # a bulletin without charts
        return found
    height = chart.max_bars * (chart.bar_height + chart.bar_gap)
    if height > min(room.text_height, room.first_height):
        found.append(
            source.problem(
                ("chart", "bar_height"),
                f"{chart.max_bars} bars with their gaps ({height:g} pt) are taller than the "
                "text area",
                "make max_bars, bar_height or bar_gap smaller",
            )
        )
    return found


def _page_problems(room: PageRoom, styles: dict[str, Style], source: Source) -> Iterator[Problem]:
    margins = ("page", "margins_mm")
    if room.text_width < MIN_TEXT:
        yield source.problem(
            (*margins, "left"),
            f"the left and right margins leave {_mm(room.text_width)} of the page's "
            f"{_mm(room.width)} width for text",
            f"leave at least {_mm(MIN_TEXT)} between them",
        )
    if room.text_height < MIN_TEXT:
        yield source.problem(
            (*margins, "top"),
            f"the top and bottom margins leave {_mm(room.text_height)} of the page's "
            f"{_mm(room.height)} height for text",
            f"leave at least {_mm(MIN_TEXT)} between them",
        )
    elif room.first_height < MIN_TEXT:
        yield source.problem(
            ("page", "masthead_height_mm"),
            f"the masthead leaves {_mm(room.first_height)} of page 1 for text",
            f"make it lower: leave at least {_mm(MIN_TEXT)} above the bottom margin",
        )
    footer = styles.get("Footer")
    if footer is not None:
        needed = 2 * footer.leading + footer.size / 2  # two lines down, and its descenders
        if room.bottom < needed:
            yield source.problem(
                (*margins, "bottom"),
                f"the bottom margin ({_mm(room.bottom)}) has no room for the footer",
                f"make it at least {math.ceil(needed / MM)} mm: the footer sits two Footer lines "
                "below the text",
            )


def _column_problems(spec: LayoutSpec, room: PageRoom, source: Source) -> Iterator[Problem]:
    for key, section in spec.sections.items():
        width = room.column(section.columns) - _inset(spec, section.frame)
        if width < MIN_COLUMN:
            yield source.problem(
                ("sections", key, "columns"),
                f"{section.columns} columns leave {_mm(width)} of text width each",
                f"use fewer columns, a smaller gap or frame padding: at least {_mm(MIN_COLUMN)}",
            )


def _inset(spec: LayoutSpec, frame_name: str | None) -> float:
    """How much a section's frame takes from its text width, in points."""
    frame = spec.frames.get(frame_name) if frame_name else None
    if frame is None:
        return 0.0
    return 2 * frame.padding + frame.rule_left + 2 * frame.border_width


def _some(names: list[str]) -> str:
    """Up to four names, and how many more."""
    more = f" and {len(names) - 4} more" if len(names) > 4 else ""
    return ", ".join(names[:4]) + more


def _indent_giver(spec: LayoutSpec, name: str) -> str:
    """The style whose own `left_indent` the named style has (itself or a parent)."""
    while spec.styles[name].left_indent is None and spec.styles[name].parent in spec.styles:
        name = str(spec.styles[name].parent)
    return name


def _narrowest(spec: LayoutSpec, room: PageRoom) -> float:
    """The narrowest text width of any section's column (the full width if none is set)."""
    widths = [room.column(s.columns) - _inset(spec, s.frame) for s in spec.sections.values()]
    return min([room.text_width, *widths])


def _style_problems(
    spec: LayoutSpec, styles: dict[str, Style], room: PageRoom, source: Source
) -> Iterator[Problem]:
    """Each style leaves room for text beside its indent, and its lines fit a page.

    An indent too large is reported once, at the style that gives it, naming the styles
    (it or those inheriting it) that it leaves without room.
    """
    narrowest = _narrowest(spec, room)
    squeezed: dict[str, list[str]] = {}
    for name, style in styles.items():
        if style.left_indent and narrowest - style.left_indent < max(2 * style.size, 12.0):
            squeezed.setdefault(_indent_giver(spec, name), []).append(name)
    for giver, names in squeezed.items():
        indent = styles[names[0]].left_indent
        size = max(styles[name].size for name in names)
        yield source.problem(
            ("styles", giver, "left_indent"),
            f"an indent of {indent:g} pt leaves {narrowest - indent:.0f} pt for text in the "
            f"narrowest column ({narrowest:.0f} pt), for style {_some(names)}",
            f"keep at least {max(2 * size, 12.0):g} pt (twice the font size) beside it: "
            "a smaller indent, or fewer columns",
        )
    tallest = min(room.text_height, room.first_height)
    for name, style in styles.items():
        line = style.space_before + style.leading + style.space_after
        if line > tallest:
            yield source.problem(
                ("styles", name, "leading"),
                f"a line of style '{name}' with its spaces ({line:g} pt) is taller than the "
                f"text area of a page ({tallest:.0f} pt)",
                "make the leading or the spaces smaller",
            )
