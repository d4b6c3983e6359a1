"""Text contrast of a layout: every text colour (the styles', the chart's labels) against
each ground it is set on.

WCAG 2 (AA) and Word's Accessibility Checker ask for a contrast of at least 4.5:1 between
text and its background. A style is set on its `background` if it names one (the masthead
band), on its table's header fill if it is a table's `header_style`, and otherwise on the
page and on every ground body text can sit on: frame backgrounds and table stripes.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import KeyPath, Problem
from .layout_spec import LayoutSpec, Style
from .sources import Source

MINIMUM = 4.5
"""The least contrast for text (WCAG 2 AA, normal size)."""

Ground = tuple[str, str]
"""A background: its name as an editor reads it, and its #RRGGBB value."""


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(rgb: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    channels = [int(rgb[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_problems(spec: LayoutSpec, styles: dict[str, Style], source: Source) -> list[Problem]:
    """A located problem for every text style whose colour is too faint on one of its grounds."""
    found: list[Problem] = []
    for name, style in styles.items():
        for ground in _paragraph_grounds(spec, style):
            found.extend(_check(spec, source, style.colour, ground, _colour_path(spec, name)))
    for name, character in spec.character_styles.items():
        if character.colour is None:
            continue  # the paragraph's colour, checked above
        grounds = _named(spec, character.background) if character.background else _body(spec)
        path = ("character_styles", name, "colour")
        for ground in grounds:
            found.extend(_check(spec, source, character.colour, ground, path))
    chart = spec.chart
    for ground in _body(spec) if chart else ():  # the chart's names and numbers, on the page
        assert chart is not None
        found.extend(_check(spec, source, chart.label_colour, ground, ("chart", "label_colour")))
    return list(dict.fromkeys(found))  # styles that inherit one colour share its problem


def _check(
    spec: LayoutSpec, source: Source, colour: str, ground: Ground, path: KeyPath
) -> Iterator[Problem]:
    if colour not in spec.colours:
        return  # an unknown colour is reported by the layout's reference check
    rgb = spec.colours[colour].rgb
    ratio = contrast(rgb, ground[1])
    if ratio < MINIMUM:
        yield source.problem(
            path,
            f"text in '{colour}' ({rgb}) on {ground[0]} ({ground[1]}) has a contrast of "
            f"{ratio:.2f}:1, below {MINIMUM}:1",
            "use a darker or lighter colour: readers and Word's Accessibility Checker need 4.5:1",
        )


def _paragraph_grounds(spec: LayoutSpec, style: Style) -> list[Ground]:
    if style.background:
        return _named(spec, style.background)
    headers = [t.header_background for t in spec.tables.values() if t.header_style == style.name]
    if headers:
        return [g for name in dict.fromkeys(headers) for g in _named(spec, name)]
    return _body(spec)


def _body(spec: LayoutSpec) -> list[Ground]:
    """The page, and every frame background and table stripe that body text can sit on."""
    names = [f.background for f in spec.frames.values()]
    names += [t.stripe for t in spec.tables.values()]
    paper = spec.colours.get(spec.page.paper)
    grounds = [("the page", paper.rgb)] if paper else []
    for name in dict.fromkeys(n for n in names if n):
        grounds.extend(_named(spec, name))
    return grounds


def _named(spec: LayoutSpec, name: str) -> list[Ground]:
    colour = spec.colours.get(name)
    return [(f"'{name}'", colour.rgb)] if colour else []


def _colour_path(spec: LayoutSpec, name: str) -> KeyPath:
    """Where a style's colour is written: in the style, or in the nearest parent that gives it."""
    link: str | None = name
    while link in spec.styles:
        if spec.styles[link].colour is not None:
            return ("styles", link, "colour")
        link = spec.styles[link].parent
    return ("styles", name)
