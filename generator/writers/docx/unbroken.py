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
would otherwise break ("Bali Pro-cess"). Words in capitals are marked although the
settings say "Don't hyphenate words in CAPS" (`doNotHyphenateCaps`): LibreOffice 7.4 sets
that on its default paragraph style only, and the styles that hyphenate (which say so
themselves) do not inherit it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml.etree import _Element

from ...dates import month_names
from ...inline import is_literal
from ...proper_names import NameFinder
from .ooxml import element

NO_LANGUAGE = "zxx"
"""The language of text that is never hyphenated: ISO 639's 'no linguistic content'."""

_PUNCTUATION = ".,;:!?()[]\"'\u2018\u2019\u201c\u201d"
SHORTEST_BROKEN = 5
"""The fewest letters of a word a line can hyphenate (two left on the line, three carried):
shorter words in capitals, and names made of them ('GFMD'), need no mark."""
_WORD = re.compile(r"\S+")


class Unbroken:
    """Finds, in a text, the stretches no line may hyphenate: names, addresses, months."""

    def __init__(
        self, names: Iterable[str], language: str, months: frozenset[str] | None = None
    ) -> None:
        self.months = months if months is not None else month_names(language)
        self.names = NameFinder(names)

    def pieces(self, text: str) -> Iterator[tuple[str, bool]]:
        """The text in pieces, each with whether it is kept whole; joined, they are the text
        (an empty text is one empty piece)."""
        if not text:
            yield text, False
            return
        spans = [(at, end) for at, end in self.names.spans(text) if _breakable(text[at:end])]
        for found in _WORD.finditer(text):
            token = found.group()
            core = token.strip(_PUNCTUATION)
            if core and (is_literal(token) or core in self.months or _in_capitals(core)):
                start = found.start() + token.index(core)
                spans.append((start, start + len(core)))
        yield from _cut(text, spans)


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
