"""What Word and LibreOffice must never hyphenate inside a hyphenated paragraph.

The document's automatic hyphenation (settings) and the styles' "Don't hyphenate" act on
whole paragraphs; inside one, the only mark both editors read is the text's language.
LibreOffice sets text in language None (`zxx`, no linguistic content) without hyphenation
and Word has no hyphenation tools for it; Word's "Do not check spelling or grammar"
(`noProof`) is set too, so that neither flags an address as misspelt. Ordinary text keeps
the issue's language, and its spelling is checked as before.

What is kept whole is what the PDF keeps whole (pdf/hyphenation.py): addresses, e-mail
addresses and code-like words (`inline.is_literal`), words in capitals and month names; and
the document's proper names (its `names`, which a kind gives), which Word and LibreOffice
would otherwise break ("Bali Pro-cess"), and the words with a capital inside a sentence
(word_breaks.py). A word the layout's exceptions list is kept whole too, with an optional
hyphen (Word's `w:softHyphen`, which both editors honour in such text) at each point the
list gives it. Words in capitals are marked although the
settings say "Don't hyphenate words in CAPS" (`doNotHyphenateCaps`): LibreOffice 7.4 sets
that on its default paragraph style only, and the styles that hyphenate (which say so
themselves) do not inherit it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise

from lxml.etree import _Element

from ...inline import CODE, QUOTE_MARKS, is_literal
from ...proper_names import name_finder
from ...word_breaks import Exceptions, capitalised, month_names
from ..pdf import kept
from .ooxml import element

NO_LANGUAGE = "zxx"
"""The language of text that is never hyphenated: ISO 639's 'no linguistic content'."""

_PUNCTUATION = ".,;:!?()[]" + QUOTE_MARKS
SHORTEST_BROKEN = 5
"""The fewest letters of a word a line can hyphenate (two left on the line, three carried):
shorter words in capitals, and names made of them ('GFMD'), need no mark."""
_WORD = re.compile(r"\S+")
_CODE = re.compile(CODE)
SOFT_HYPHEN = "\u00ad"
"""Where a kept-whole word may still break: the writer sets a `w:softHyphen` there."""


class Unbroken:
    """Finds, in a text, the stretches no line may hyphenate: names, addresses, months."""

    def __init__(
        self,
        names: Iterable[str],
        language: str,
        exceptions: Exceptions | None = None,
        months: frozenset[str] | None = None,
    ) -> None:
        names = tuple(names)
        self.months = months if months is not None else month_names(language)
        self.names = name_finder(names)
        self.exceptions = exceptions or Exceptions()
        looks = (names, self.months, self.exceptions.listing())
        self._cut = _cuts.pop(looks, {})
        _cuts[looks] = self._cut  # the most recent last
        while len(_cuts) > CUTS_KEPT:
            del _cuts[next(iter(_cuts))]

    def pieces(self, text: str, before: str = "") -> Iterator[tuple[str, bool]]:
        """The text in pieces, each with whether it is kept whole; joined, without their
        SOFT_HYPHENs, they are the text (an empty text is one empty piece). `before` is the
        paragraph's text before this one ('' at its start). While a watch builds, worked out
        once per process for the same names, months and exceptions (its next file has mostly
        the same texts)."""
        if not kept.active():  # a cold build: each text once
            return self._pieces(text, before)
        key = (text, before)
        found = self._cut.get(key)
        if found is None:
            if len(self._cut) >= TEXTS_KEPT:
                self._cut.clear()
            found = self._cut[key] = list(self._pieces(text, before))
        return iter(found)

    def _pieces(self, text: str, before: str) -> Iterator[tuple[str, bool]]:
        if not text:
            yield text, False
            return
        spans = [(at, end) for at, end in self.names.spans(text) if _breakable(text[at:end])]
        spans += [code.span() for code in _CODE.finditer(text)]
        for found in _WORD.finditer(text):
            token = found.group()
            core = token.strip(_PUNCTUATION)
            if core and (is_literal(token) or core in self.months or _in_capitals(core)):
                start = found.start() + token.index(core)
                spans.append((start, start + len(core)))
        for at, end in capitalised(text, before):  # runs of letters: long enough to break?
            if end - at >= SHORTEST_BROKEN and not self.exceptions.listed(text[at:end]):
                spans.append((at, end))
        for piece, whole in _cut(text, spans):
            if whole or not self.exceptions:
                yield piece, whole
            else:
                yield from self._listed(piece)

    def _listed(self, text: str) -> Iterator[tuple[str, bool]]:
        """A piece of text with each word the exceptions list kept whole, an optional
        hyphen at each of its break points."""
        start = 0
        for found in self.exceptions.found(text):
            points = self.exceptions.points(found.group()) or ()
            if found.start() > start:
                yield text[start : found.start()], False
            word = found.group()
            cuts = [0, *points, len(word)]
            yield SOFT_HYPHEN.join(word[a:b] for a, b in pairwise(cuts)), True
            start = found.end()
        if start < len(text):
            yield text[start:], False


CUTS_KEPT = 4
"""The sets of names, months and exceptions whose texts' pieces are kept."""
TEXTS_KEPT = 20_000
"""Texts whose pieces are kept per set (then all are dropped): twenty times a year's runs."""
_cuts: dict[tuple[object, ...], dict[tuple[str, str], list[tuple[str, bool]]]] = {}
"""The pieces of each text (with the text before it), by the names, months and exceptions."""


def _cut(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[str, bool]]:
    """The text in pieces: each stretch covered by spans (joined where they touch) kept
    whole, the stretches between not."""
    start = 0
    merged: list[list[int]] = []
    for at, end in sorted(spans):
        if merged and at <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([at, end])
    for at, end in merged:
        if at > start:
            yield text[start:at], False
        yield text[at:end], True
        start = end
    if start < len(text):
        yield text[start:], False


def _in_capitals(word: str) -> bool:
    """Whether a word is in capitals ('ECOWAS', 'COVID-19') and long enough to hyphenate."""
    return word.isupper() and _breakable(word)


def _breakable(text: str) -> bool:
    """Whether a text has a run of letters long enough to hyphenate (not 'GFMD' or '5+5')."""
    return any(len(word) >= SHORTEST_BROKEN for word in re.findall(r"[^\W\d_]+", text))


def unhyphenated(properties: _Element | None) -> _Element:
    """Run properties (or new ones) that keep a run's text from being hyphenated."""
    found = element("w:rPr") if properties is None else properties
    found.append(element("w:noProof"))  # schema order: after w:rStyle, before w:lang
    found.append(element("w:lang", val=NO_LANGUAGE))
    return found
