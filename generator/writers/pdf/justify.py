"""Justified lines that would gape: a little letter spacing takes part of their slack.

ReportLab justifies a line by widening its word spaces alone. Where a line cannot be filled
better (the next word is a name with no hyphenation point, a date that keeps together), its
gaps gape. Typesetting programs justify with letter spacing too, within narrow limits; here
only a line whose word gaps would pass LOOSEST_GAP spaces its letters, by at most
MOST_TRACKING, and only as much as brings its gaps back to LOOSEST_GAP. A line with a link
or an underline is left alone (ReportLab places their boxes by word spacing alone).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as reportlab_paragraph

LOOSEST_GAP = 0.42
"""The widest word gap (a space and its stretch), in ems, before letters are spaced too."""

MOST_TRACKING = 0.04
"""The most letter spacing, in ems: 4% of the font size (typesetting programs allow a few)."""

_DECORATED = ("link", "underline", "strike", "backColor", "cbDefn")


def tracking(slack: float, spaces: int, glyphs: int, size: float, space: float) -> float:
    """The letter spacing (points) for a line with `slack` points to fill over `spaces` word
    spaces of `space` points and `glyphs` letters, in a font of `size` points."""
    if spaces <= 0 or glyphs < 2 or size <= 0:
        return 0.0
    allowed = max(LOOSEST_GAP * size - space, 0.0) * spaces
    if slack <= allowed:
        return 0.0
    return min(MOST_TRACKING * size, (slack - allowed) / (glyphs - 1))


def _frag_line(tx: Any, offset: float, line: Any, last: int = 0) -> Any:
    """ReportLab's justified line of several runs, its letters spaced if it would gape."""
    words = line.words
    text = "".join(getattr(w, "text", "") for w in words).rstrip()
    plain = not any(getattr(w, name, None) for w in words for name in _DECORATED)
    spaces = line.wordCount + text.count("\xa0") - 1
    simple = last or line.lineBreak or not plain or line.extraSpace <= 0
    first = words[0] if words else None
    track = 0.0
    if not simple and first is not None:
        space = stringWidth(" ", first.fontName, first.fontSize)
        track = tracking(line.extraSpace, spaces, len(text), line.fontSize, space)
    if not track:
        return _JUSTIFY_FRAGS(tx, offset, line, last)
    saved = line.extraSpace
    line.extraSpace = saved - track * (len(text) - 1)
    tx.setCharSpace(track)
    try:
        return _JUSTIFY_FRAGS(tx, offset, line, last)
    finally:
        tx.setCharSpace(0)
        line.extraSpace = saved


def _plain_line(tx: Any, offset: float, extraspace: float, words: list[str], last: int = 0) -> Any:
    """ReportLab's justified line of one run, its letters spaced if it would gape."""
    text = " ".join(words)
    spaces = len(words) + text.count("\xa0") - 1
    track = 0.0
    if not last and extraspace > 0 and not getattr(tx, "preformatted", False):
        size = tx._fontsize
        space = stringWidth(" ", tx._fontname, size)
        track = tracking(extraspace, spaces, len(text.rstrip()), size, space)
    if not track:
        return _JUSTIFY_PLAIN(tx, offset, extraspace, words, last)
    tx.setCharSpace(track)
    try:
        slack = extraspace - track * (len(text.rstrip()) - 1)
        return _JUSTIFY_PLAIN(tx, offset, slack, words, last)
    finally:
        tx.setCharSpace(0)


_JUSTIFY_FRAGS = reportlab_paragraph._justifyDrawParaLineX
_JUSTIFY_PLAIN = reportlab_paragraph._justifyDrawParaLine


@contextmanager
def letter_spaced() -> Iterator[None]:
    """While a paragraph draws: its justified lines that would gape space their letters."""
    module = reportlab_paragraph
    module._justifyDrawParaLineX, module._justifyDrawParaLine = _frag_line, _plain_line
    try:
        yield
    finally:
        module._justifyDrawParaLineX, module._justifyDrawParaLine = _JUSTIFY_FRAGS, _JUSTIFY_PLAIN
