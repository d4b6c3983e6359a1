"""Where a line may hyphenate a word, beyond the language's dictionary: both writers ask here.

- The layout's exceptions (`hyphenation:` in layout.yaml, per language): a word spelled with
  its break points (`re-inte-gra-tion`) breaks there and nowhere else; a word listed without
  one (`Budapest`) never breaks. Words are matched whatever their case.
- Proper names: a word that begins with a capital inside a sentence (not its first word) is
  never hyphenated ("Bud-apest"), unless the exceptions list it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .layout_spec import Hyphenation


class Exceptions:
    """The layout's hyphenation exceptions for one language."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._points: dict[str, tuple[int, ...]] = {}
        for word in words:
            parts = word.split("-")
            ends = [sum(len(part) for part in parts[: k + 1]) for k in range(len(parts) - 1)]
            self._points["".join(parts).casefold()] = tuple(ends)
        words_listed = "|".join(map(re.escape, sorted(self._points, key=len, reverse=True)))
        self._listed = re.compile(rf"(?<!\w)(?:{words_listed})(?!\w)", re.IGNORECASE)

    def __bool__(self) -> bool:
        return bool(self._points)

    def found(self, text: str) -> Iterator[re.Match[str]]:
        """The listed words in a text."""
        return self._listed.finditer(text) if self._points else iter(())

    def listing(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """Every word listed, with its break points, in order."""
        return tuple(sorted(self._points.items()))

    def listed(self, word: str) -> bool:
        return word.casefold() in self._points

    def points(self, word: str) -> tuple[int, ...] | None:
        """Where a listed word may break (the lengths of its heads), or None if not listed."""
        return self._points.get(word.casefold())

    def pairs(self, word: str) -> Iterator[tuple[str, str]]:
        """A listed word's heads and tails, longest head first (the hyphen is the writer's)."""
        for at in reversed(self.points(word) or ()):
            yield word[:at], word[at:]


def exceptions_for(hyphenation: Mapping[str, Hyphenation], language: str) -> Exceptions:
    """The exceptions of a language ('en-GB'): its own list, else its primary language's ('en')."""
    listing = hyphenation.get(language) or hyphenation.get(language.split("-")[0])
    return Exceptions(listing.exceptions if listing is not None else ())


_LETTERS = re.compile(r"\b[^\W\d_a-z][^\W\d_]+")
"""A run of two letters or more whose first is not a small ASCII letter (most words are)."""
_CLOSING = "\"'’”»›“‘」』"
"""Quotation marks that may close a quotation (in some language)."""
_OPENING = "\"'‘“«‹„‚「『"
"""Quotation marks that may open one."""
_SENTENCE_START = re.compile(rf"[.!?…][{_CLOSING})\]]*[\s\u00a0]+[{_OPENING}(\[\s]*$")
_PARAGRAPH_START = re.compile(rf"^[\s\u00a0{_OPENING}(\[]*$")
_LOOK_BACK = 12
"""How far before a word the end of a sentence is looked for."""


def capitalised(text: str, before: str = "") -> Iterator[tuple[int, int]]:
    """Where words that begin with a capital stand inside a sentence: each run of letters
    with a capital and then a small letter ('Budapest', 'Border' of 'Cross-Border', 'Neill'
    of "O'Neill"), not a sentence's first word nor a word in capitals. `before` is the text
    of the paragraph before `text` ('' at its start)."""
    for found in _LETTERS.finditer(text):
        word = found.group()
        if not word[0].isupper() or word.isupper():
            continue  # a small letter first (not ASCII), or a word in capitals
        at = found.start()
        if at >= _LOOK_BACK:
            if _SENTENCE_START.search(text, at - _LOOK_BACK, at) is None:
                yield found.span()
            continue
        head = before[-_LOOK_BACK:] + text[:at]
        opening = _PARAGRAPH_START.match(before) and _PARAGRAPH_START.match(text, 0, at)
        if _SENTENCE_START.search(head) is None and not opening:
            yield found.span()


def month_names(language: str) -> frozenset[str]:
    """The language's month names from its locale data (`dates.month_names`), for a document
    that does not give them (`Document.months`): a build's does, so that its writers'
    processes never load babel."""
    from .dates import month_names as from_locale

    return from_locale(language)
