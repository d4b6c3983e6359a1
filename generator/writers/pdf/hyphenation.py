"""Hyphenation for ReportLab: pyphen's break points, and no more than two hyphens in a row.

ReportLab breaks lines greedily and asks a style's `hyphenationLang` (here a Hyphenator)
for the break points of a word that overflows a line. Left alone it may end five lines in a
row with a hyphen; `break_lines` breaks a paragraph again, refusing the hyphen that made a
third in a row, until no three lines in a row end with one.

ReportLab offers a word to the hyphenator only if it is made of letters (and hyphens): a
compound with digits such as "COVID-19's" could never break after its own hyphen, and left a
gaping line before it. While our paragraphs break their lines, that test also admits
digits and apostrophes; the Hyphenator breaks such words only after their own hyphens. And
when ReportLab joins the halves of a broken word again (to break a split paragraph anew),
it drops a hyphen at the end of the first half even when the word had it ("COVID19's"):
while our paragraphs break, joining keeps it (a hyphen ReportLab added is removed before).

When a paragraph is split over columns or pages, ReportLab marks the first part's last word,
if hyphenated, as a word that keeps its hyphen by changing the class of the paragraph's own
word: split again elsewhere (column balancing tries many heights) or broken anew, the
paragraph then took the head for a whole word ("co- op-eration"). `split_part` gives the
part a marked copy instead.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import pyphen
from babel.core import UnknownLocaleError
from babel.dates import get_month_names
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus.paragraph import _InjectedFrag, _SplitFragHY

MOST_IN_A_ROW = 2
"""The most lines in a row that may end with a hyphen."""

LONGEST_REFUSED = 24
"""The longest word whose hyphen may be refused to keep to MOST_IN_A_ROW."""

LONGEST_HYPHENATED = 30
"""A paragraph with a longer "word" (a code, a run of letters) is not hyphenated: ReportLab
splits that word where the line ends, as it splits any word wider than a line, and joined
the pieces of its neighbours wrongly when the paragraph was split over columns."""


def _has_a_long_word(paragraph: Any) -> bool:
    try:
        text = paragraph.getPlainText()
    except (AttributeError, TypeError, IndexError):
        return False
    return any(len(word) > LONGEST_HYPHENATED for word in text.split())


LEFT, RIGHT = 2, 3
"""The fewest letters a hyphen may leave on its line, and carry to the next."""


@lru_cache(maxsize=8)
def dictionary(language: str) -> pyphen.Pyphen | None:
    """pyphen's patterns for a language ('en-GB', 'fr'), or None if it has none."""
    found = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=found, left=LEFT, right=RIGHT) if found else None


@lru_cache(maxsize=8)
def month_names(language: str) -> frozenset[str]:
    """The language's month names, which a date keeps whole ('1–4 Decem-ber' never)."""
    try:
        names = get_month_names("wide", locale=language.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return frozenset()
    return frozenset(names.values())


class Hyphenator:
    """A word's break points in one language, longest head first; ReportLab calls it.

    A word in capitals (an acronym), a month's name and a `protected` word are never
    broken. The calls of one line breaking are
    numbered; those in `refused` get no break point, and `taken` lists the calls whose
    break ReportLab used, with the head it kept on the line.
    """

    def __init__(self, language: str, protected: frozenset[str] = frozenset()) -> None:
        self.patterns = dictionary(language)
        self.protected = protected | month_names(language)
        self.calls = 0
        self.refused: frozenset[int] = frozenset()
        self.taken: list[tuple[int, str]] = []
        self.words: list[str] = []
        self.hyphenate = True

    def start(self, refused: frozenset[int], hyphenate: bool = True) -> None:
        self.calls, self.refused, self.taken, self.words = 0, refused, [], []
        self.hyphenate = hyphenate

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        call, self.calls = self.calls, self.calls + 1
        self.words.append(word)
        if self.patterns is None or call in self.refused or not self.hyphenate:
            return iter(())
        if "-" in word or "\u2013" in word:
            return self._offer(call, _after_hyphens(word))
        if word.isupper() or not word.isalpha() or word in self.protected:
            return iter(())
        return self._offer(call, self.patterns.iterate(word))

    def _offer(self, call: int, pairs: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """The pairs, one by one; ReportLab stops asking (closing this) when one fits."""
        head = ""
        try:
            for head, tail in pairs:
                yield head, tail
        except GeneratorExit:
            self.taken.append((call, head))
            raise


def _after_hyphens(word: str) -> Iterator[tuple[str, str]]:
    """A compound's own break points, after each of its hyphens (or a range's en dash,
    '23–|24'), longest head first."""
    for at in reversed([m.end() for m in re.finditer("[-\u2013]", word)]):
        if 1 < at < len(word):
            yield word[:at], word[at:]


_COMPOUND = re.compile(
    f"^[{reportlab_paragraph._hy_shy}{reportlab_paragraph._hy_letters}0-9'\u2019\u2013]+$"
)
_HYPHENS = re.compile("([-\xad\u2013])")
"""ReportLab's own hyphens, and the en dash: a break after it adds no hyphen."""


def _join_halves(
    first: str, second: str | None = None, *, _unsplit: Any = reportlab_paragraph._shyUnsplit
) -> Any:
    """ReportLab's `_shyUnsplit`: with one half, it removes the hyphen ReportLab added;
    joining two halves, it now keeps the hyphen the word had."""
    if second is None:
        return _unsplit(first)
    if first.endswith("-") and not hasattr(first, "_shyIndices"):
        return first + second
    return _unsplit(first, second)


@contextmanager
def _compounds_with_digits() -> Iterator[None]:
    """Let ReportLab offer compounds with digits ("COVID-19's") and ranges ("23–24") to the
    hyphenator, and keep their hyphen when it joins their halves again."""
    module = reportlab_paragraph
    saved = module._hy_shy_letters_pat, module._hy_shy_pat, module._shyUnsplit
    module._hy_shy_letters_pat, module._hy_shy_pat = _COMPOUND, _HYPHENS
    module._shyUnsplit = _join_halves
    try:
        yield
    finally:
        module._hy_shy_letters_pat, module._hy_shy_pat, module._shyUnsplit = saved


def break_lines(paragraph: Any, width: Any, breaker: Callable[[Any], Any]) -> Any:
    """`breaker(width)`, again while three lines in a row end with a hyphen, each time
    refusing the hyphenation that ended the third; but a word longer than LONGEST_REFUSED
    letters keeps its hyphen (refused, it could be wider than the line)."""
    hyphenator = getattr(paragraph.style, "hyphenationLang", None)
    if not isinstance(hyphenator, Hyphenator):
        return breaker(width)
    if _has_a_long_word(paragraph):  # see LONGEST_HYPHENATED
        hyphenator.start(frozenset(), hyphenate=False)
        return breaker(width)
    frags = paragraph.frags  # ReportLab replaces them by its broken words: each try starts anew
    refused: frozenset[int] = frozenset()
    while True:
        paragraph.frags = frags
        hyphenator.start(refused)
        with _compounds_with_digits():
            lines = breaker(width)
        third = _third_in_a_row(_hyphenated_lines(lines, hyphenator.taken))
        if third is None or len(hyphenator.words[third]) > LONGEST_REFUSED:
            return lines
        refused = refused | {third}


def _hyphenated_lines(lines: Any, taken: list[tuple[int, str]]) -> list[int | None]:
    """For each line, the call whose hyphen ends it, or None (a break after a range's dash
    adds no hyphen: it does not count)."""
    texts = [_line_text(line, lines.kind) for line in lines.lines]
    found: list[int | None] = []
    pending = list(taken)
    for text in texts:
        call, head = pending[0] if pending else (None, "")
        if call is not None and head.endswith("\u2013") and text.endswith(head):
            pending.pop(0)
            found.append(None)
        elif call is not None and text.endswith("-") and text[:-1].endswith(head.rstrip("-")):
            found.append(pending.pop(0)[0])
        else:
            found.append(None)
    return found


def _line_text(line: Any, kind: int) -> str:
    if kind == 0:
        return " ".join(line[1]).rstrip()
    return "".join(getattr(word, "text", "") for word in line.words).rstrip()


def _third_in_a_row(ends: list[int | None]) -> int | None:
    """The call that ended a line with a hyphen after MOST_IN_A_ROW lines that did, or None."""
    run = 0
    for call in ends:
        run = run + 1 if call is not None else 0
        if run > MOST_IN_A_ROW:
            return call
    return None


def split_part(
    paragraph: Any, blPara: Any, start: int, stop: int, take: Callable[[Any, int, int], Any]
) -> Any:
    """`take(blPara, start, stop)`, ReportLab's words of lines start..stop for a split part,
    with a copy of the paragraph's word that it may mark as the part's hyphenated last word
    (it changes that word's class in place)."""
    words = paragraph.frags
    lines = blPara.lines
    end = lines[stop].sFW if stop < len(lines) else len(words)
    last = end - 1
    while last >= 0 and isinstance(words[last], _InjectedFrag):
        last -= 1
    if stop <= 0 or last < 0 or not isinstance(words[last], _SplitFragHY):
        return take(blPara, start, stop)
    paragraph.frags = [*words[:last], copy.copy(words[last]), *words[last + 1 :]]
    try:
        return take(blPara, start, stop)
    finally:
        paragraph.frags = words
