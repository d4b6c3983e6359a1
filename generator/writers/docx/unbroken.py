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
from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.dates import get_month_names
from lxml.etree import _Element

from ...inline import is_literal
from .ooxml import element

NO_LANGUAGE = "zxx"
"""The language of text that is never hyphenated: ISO 639's 'no linguistic content'."""

_PUNCTUATION = ".,;:!?()[]\"'\u2018\u2019\u201c\u201d"
SHORTEST_BROKEN = 5
"""The fewest letters of a word a line can hyphenate (two left on the line, three carried):
shorter words in capitals, and names made of them ('GFMD'), need no mark."""
_WORD = re.compile(r"\S+")


@lru_cache(maxsize=8)
def month_names(language: str) -> frozenset[str]:
    """The language's month names ('December'), which a date keeps whole."""
    try:
        names = get_month_names("wide", locale=language.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return frozenset()
    return frozenset(names.values())


class Unbroken:
    """Finds, in a text, the stretches no line may hyphenate: names, addresses, months."""

    def __init__(self, names: Iterable[str], language: str) -> None:
        self.months = month_names(language)
        alternatives = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
        spaced = [r"\s+".join(map(re.escape, name.split())) for name in alternatives]
        self.names = re.compile(rf"(?<!\w)(?:{'|'.join(spaced)})(?!\w)") if spaced else None

    def pieces(self, text: str) -> Iterator[tuple[str, bool]]:
        """The text in pieces, each with whether it is kept whole; joined, they are the text
        (an empty text is one empty piece)."""
        if not text:
            yield text, False
            return
        whole = [False] * len(text)
        if self.names is not None:
            for found in self.names.finditer(text):
                if _breakable(found.group()):
                    whole[found.start() : found.end()] = [True] * (found.end() - found.start())
        for found in _WORD.finditer(text):
            token = found.group()
            core = token.strip(_PUNCTUATION)
            if core and (is_literal(token) or core in self.months or _in_capitals(core)):
                start = found.start() + token.index(core)
                whole[start : start + len(core)] = [True] * len(core)
        start = 0
        for at in range(1, len(text) + 1):
            if at == len(text) or whole[at] != whole[start]:
                yield text[start:at], whole[start]
                start = at


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
