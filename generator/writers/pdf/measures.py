"""ReportLab's paragraph measures, each worked out once per file: the same numbers, sooner.

ReportLab's line breaking asks, for every word of every paragraph, the word's width
(`stringWidth`: three calls deep for a dictionary look-up per letter), its font's ascent and
descent (`getAscentDescent`, which raises and catches an AttributeError for every TrueType
font) and whether two runs look the same (`sameFrag`, whose compiled version raises and
catches an AttributeError for each attribute a run lacks: slower than plain Python); its
markup parser copies a run for every piece of text with `copy.copy`, which takes the long
way of pickling's protocol, and its line breaking copies runs and lines with `ABag.clone`,
which passes every attribute as a keyword argument to a new bag. While a PDF is written,
`measured_once` answers these from what it has already worked out for this file (widths and
heights depend only on the text, font name and size; a font registered again under its name
between two files is measured again), compares runs by their attributes without raising, and
copies a run's (or a line's) attributes directly: the same answers as ReportLab's, about a
tenth of the time of the PDF's line breaking.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.lib.abag import ABag
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus.paraparser import ParaFrag

LOOKS = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")
"""What two runs must share to be drawn as one (ReportLab's `sameFrag`)."""

_MISSING = object()


def same_look(first: Any, second: Any) -> int:
    """ReportLab's `sameFrag`: 1 if two runs share every attribute of LOOKS (or both lack
    it) and neither is a line break or a callback, else 0."""
    for run in (first, second):
        if hasattr(run, "cbDefn") or hasattr(run, "lineBreak"):
            return 0
    for name in LOOKS:
        mine = getattr(first, name, _MISSING)
        theirs = getattr(second, name, _MISSING)
        if mine is not theirs and (mine is _MISSING or theirs is _MISSING or mine != theirs):
            return 0
    return 1


def copied_run(run: Any) -> Any:
    """`copy.copy` of a run (ReportLab's ParaFrag): its class, and its attributes copied."""
    copy = run.__class__.__new__(run.__class__)
    copy.__dict__.update(run.__dict__)
    return copy


def cloned_bag(bag: Any, **changed: Any) -> Any:
    """ReportLab's `ABag.clone` (a bag of the same class with the same attributes, then the
    changed ones) without calling its class with every attribute as a keyword argument: no
    subclass of ABag in ReportLab has an `__init__` of its own."""
    copy = bag.__class__.__new__(bag.__class__)
    copy.__dict__.update(bag.__dict__)
    if changed:
        copy.__dict__.update(changed)
    return copy


@contextmanager
def measured_once() -> Iterator[None]:
    """While a PDF is written: ReportLab's paragraphs measure each word and font once (see the
    module), compare runs with `same_look` and copy them with `copied_run` and
    `cloned_bag`."""
    module = reportlab_paragraph
    saved = module.stringWidth, module.getAscentDescent, module.sameFrag
    width, heights = saved[0], saved[1]
    widths: dict[tuple[Any, ...], float] = {}
    extents: dict[tuple[Any, ...], tuple[float, float]] = {}

    def string_width(text: Any, font: str, size: float, *encoding: str) -> float:
        key = (text, font, size, *encoding)
        found = widths.get(key)
        if found is None:
            found = widths[key] = width(text, font, size, *encoding)
        return found

    def ascent_descent(font: str, size: float | None = None) -> tuple[float, float]:
        key = (font, size)
        found = extents.get(key)
        if found is None:
            found = extents[key] = heights(font, size)
        return found

    module.stringWidth, module.getAscentDescent, module.sameFrag = (
        string_width,
        ascent_descent,
        same_look,
    )
    own_copy = vars(ParaFrag).get("__copy__")
    ParaFrag.__copy__ = copied_run
    own_clone = ABag.clone
    ABag.clone = cloned_bag
    try:
        yield
    finally:
        module.stringWidth, module.getAscentDescent, module.sameFrag = saved
        ABag.clone = own_clone
        if own_copy is None:
            del ParaFrag.__copy__
        else:
            ParaFrag.__copy__ = own_copy
