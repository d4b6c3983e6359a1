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
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import pyphen
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus.paragraph import _InjectedFrag, _SplitFrag, _SplitFragHY

from ...inline import is_literal
from ...word_breaks import Exceptions, month_names
from .patterns import hyphenation_patterns

MOST_IN_A_ROW = 2
"""The most lines in a row that may end with a hyphen."""

LONGEST_REFUSED = 24
"""The longest word whose hyphen may be refused to keep to MOST_IN_A_ROW."""

LONGEST_HYPHENATED = 30
"""A longer "word" (a code, a run of letters) is never hyphenated (the rest of its paragraph
is): wider than a line, it breaks where the line ends (see `_word_pair`)."""


LEFT, RIGHT = 2, 3
"""The fewest letters a hyphen may leave on its line, and carry to the next."""


@lru_cache(maxsize=8)
def dictionary(language: str) -> pyphen.Pyphen | None:
    """pyphen's patterns for a language ('en-GB', 'fr'), or None if it has none."""
    return hyphenation_patterns(language.replace("-", "_"), LEFT, RIGHT)


class Hyphenator:
    """A word's break points in one language, longest head first; ReportLab calls it.

    A word the layout's `exceptions` list breaks where they say (or never); otherwise a word
    in capitals (an acronym), a month's name, a `protected` word and one longer than
    LONGEST_HYPHENATED are never broken. The calls of one line breaking are numbered; those
    in `refused` get no break point, and `taken` lists the calls whose break ReportLab used,
    with the head it kept on the line.
    """

    def __init__(
        self,
        language: str,
        protected: frozenset[str] = frozenset(),
        exceptions: Exceptions | None = None,
        months: frozenset[str] | None = None,
    ) -> None:
        self.language = language
        self.patterns = dictionary(language)
        self.protected = protected | (months if months is not None else month_names(language))
        self.exceptions = exceptions or Exceptions()
        self.calls = 0
        self.refused: frozenset[int] = frozenset()
        self.taken: list[tuple[int, str]] = []
        self.words: list[str] = []

    def looks(self) -> tuple[object, ...]:
        """What decides its break points, as a value that compares by content (see `kept`)."""
        if self._looks is None:
            protected = tuple(sorted(self.protected))
            self._looks = ("hyphenator", self.language, protected, self.exceptions.listing())
        return self._looks

    _looks: tuple[object, ...] | None = None

    def start(self, refused: frozenset[int]) -> None:
        self.calls, self.refused, self.taken, self.words = 0, refused, [], []

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        call, self.calls = self.calls, self.calls + 1
        self.words.append(word)
        compound = "-" in word or "\u2013" in word
        if self.patterns is None or call in self.refused:
            return iter(())
        if len(word) > LONGEST_HYPHENATED and not compound:
            return iter(())
        if self.exceptions.listed(word):
            return self._offer(call, self.exceptions.pairs(word))
        if compound:
            return self._offer(call, self._compound_pairs(word))
        if word.isupper() or not word.isalpha() or word in self.protected:
            return iter(())
        return self._offer(call, self.patterns.iterate(word))

    def _compound_pairs(self, word: str) -> Iterator[tuple[str, str]]:
        """A compound's break points: after its own hyphens first (longest head first), then,
        where none fits, inside its parts as each part alone would break ("counter-terrorism-
        related"); a part in capitals, with a digit or a capital, a month's name or a
        `protected` word is never broken ("Dupont-Moreau", "COVID-19")."""
        yield from _after_hyphens(word)
        if self.patterns is None or len(word) > LONGEST_HYPHENATED:
            return
        inside = []
        for part in _PARTS.finditer(word):
            core = part.group()
            if core.isalpha() and core.islower() and core not in self.protected:
                for head, tail in self.patterns.iterate(core):
                    inside.append((word[: part.start()] + head, tail + word[part.end() :]))
        yield from sorted(inside, key=lambda pair: len(pair[0]), reverse=True)

    def _offer(self, call: int, pairs: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """The pairs, one by one; ReportLab stops asking (closing this) when one fits."""
        head = ""
        try:
            for head, tail in pairs:
                yield head, tail
        except GeneratorExit:
            self.taken.append((call, head))
            raise


_PARTS = re.compile("[^-\u2013]+")
"""The parts of a compound (a word's one part if it has no hyphen)."""


def _after_hyphens(word: str) -> Iterator[tuple[str, str]]:
    """A compound's own break points, after each of its hyphens (or a range's en dash,
    '23–|24'), longest head first."""
    for at in reversed([m.end() for m in re.finditer("[-\u2013]", word)]):
        if not 1 < at < len(word):
            continue
        if _LIKE_LIBREOFFICE[0] and word[at - 1] == "-" and word[at].isdigit():
            continue  # a hyphen before a number ("COVID-19"): LibreOffice never breaks there
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


URL_BREAKS = "/.?&=#_~:;,+"
"""The characters of an address a line may break after (no hyphen is added)."""

EMAIL_BREAKS = ".@_"
"""The characters of an e-mail address a line may break after."""


def literal_breaks(word: str) -> list[int]:
    """Where an address may break (the lengths of its heads, shortest first): after its
    separators, or before its own hyphen (a line ending with one would read as hyphenated,
    and text extraction would drop it), never inside '://' or '//', never leaving fewer
    than two characters on either line."""
    email = "@" in word and "/" not in word
    after = EMAIL_BREAKS if email else URL_BREAKS
    found = []
    for at in range(2, len(word) - 1):
        previous, following = word[at - 1], word[at]
        if following == "-" or (previous in after and following not in "/:-"):
            found.append(at)
    return found


def _breaks_address(core: str, width: float, room: float, max_width: float, waste: float) -> bool:
    """Whether an address that does not fit at a line's end breaks there: it is wider than a
    line, or it is an address or e-mail address (not code) and moving it whole would leave
    more than the `waste` share of the line empty (0: never)."""
    return width > max_width or bool(waste and room > waste * max_width and _ADDRESS.match(core))


_ADDRESS = re.compile(r"https?://|mailto:|www\.|[^`{\s]*@")
"""An address or e-mail address (not code, which stays on one line if it fits a line)."""


def libreoffice_breaks(word: str) -> list[int]:
    """Where the trial (`like_libreoffice`) lets an address break (the lengths of its heads):
    only after a hyphen in its path, never in its scheme or host nor after a slash; an e-mail
    address nowhere. LibreOffice 7.4 was seen to break there at most (and to refuse some:
    the trial takes them only where the address begins a line). LibreOffice 25.2 breaks in
    more places (after a hyphen in a host or an e-mail address, after "?", after a slash
    that follows a number); counting those too made the Word file's columns drift more
    often where it predicted too few lines, so the trial keeps to these few (more lines: the
    Word file lets such columns flow)."""
    start = word.find("/", word.find("://") + 3 if "://" in word else 0)
    if ("@" in word and "/" not in word) or start < 0:
        return []
    return [at + 1 for at in range(start, len(word) - 2) if word[at] == "-" and at >= 1]


_LIKE_LIBREOFFICE = [False]
"""Whether lines break as LibreOffice breaks them (see `like_libreoffice`)."""


@contextmanager
def like_libreoffice() -> Iterator[None]:
    """While a paragraph breaks its lines for a trial, as LibreOffice would: an address that
    overflows a line moves to the next, where it breaks at the last of its
    `libreoffice_breaks` that fits (LibreOffice 7.4 was seen to refuse some mid-line); so
    does any word wider than a line, which is cut there, not where the line it overflows
    ends; no line breaks after a hyphen before a number ("COVID-|19": LibreOffice 25.2 was
    seen never to break there)."""
    _LIKE_LIBREOFFICE[0] = True
    try:
        yield
    finally:
        _LIKE_LIBREOFFICE[0] = False


def _address_breaks(
    core: str, width: float, room: float, max_width: float, waste: float, line_start: bool
) -> list[int]:
    """Where an address that does not fit at a line's end may break there (shortest head
    first): its `literal_breaks` if `_breaks_address`; LibreOffice's at a line's start
    only, in a trial (`like_libreoffice`)."""
    if _LIKE_LIBREOFFICE[0]:
        return libreoffice_breaks(core) if line_start else []
    return literal_breaks(core) if _breaks_address(core, width, room, max_width, waste) else []


def _cut_anywhere(text: str, room: float, font: str, size: float) -> int:
    """The most characters of `text` that fit in `room` points (at least one)."""
    at = 1
    while at < len(text) and stringWidth(text[: at + 1], font, size) <= room:
        at += 1
    return at


def _affixes(text: str) -> tuple[str, str, str]:
    """A word as ReportLab's hyphenation sees it: opening punctuation, core, closing."""
    module = reportlab_paragraph
    opening = module._hy_pfx_pat.match(text)
    pfx = opening.group(0) if opening else ""
    closing = module._hy_sfx_pat.search(text[len(pfx) :])
    sfx = closing.group(0) if closing else ""
    return pfx, text[len(pfx) : len(text) - len(sfx)], sfx


def _word_pair(
    hyphenator: Any,
    text: str,
    ww: float,
    new_width: float,
    max_width: float,
    font: str,
    size: float,
    *rest: Any,
    waste: float = 0.0,
    _pair: Any = reportlab_paragraph._hyGenPair,
) -> Any:
    """ReportLab's `_hyGenPair` (the two parts of a word broken at a line's end), but an
    address breaks at its `literal_breaks` without a hyphen if it is wider than a line or
    would leave too much of the line empty (`_breaks_address`; else it moves on whole); a
    word wider than a line with no break that fits goes whole to the next line (an empty
    head ends this one; ReportLab would cut it where it stands: "see h|ttps://"), where it
    breaks, or is cut where the line ends if nothing fits there either."""
    room = max_width - (new_width - ww)
    pfx, core, sfx = _affixes(str(text))
    if is_literal(core):
        line_start = new_width - ww <= FUZZ
        for at in reversed(_address_breaks(core, ww, room, max_width, waste, line_start)):
            head = pfx + core[:at]
            width = stringWidth(head, font, size)
            if width <= room:
                return "", 0, width, ww - width, head, core[at:] + sfx
    else:
        found = _pair(hyphenator, text, ww, new_width, max_width, font, size, *rest)
        if found:
            return found
    if ww > max_width and new_width - ww > FUZZ:
        return "", 0, 0.0, ww, "", str(text)  # whole to the next line, broken there
    if ww <= max_width or new_width - ww > FUZZ:
        return None  # it fits on a line of its own, or may start the next line
    at = _cut_anywhere(str(text), room, font, size)
    head = str(text)[:at]
    width = stringWidth(head, font, size)
    return "", 0, width, ww - width, head, str(text)[at:]


def _frags_pair(
    hyphenator: Any,
    word: Any,
    new_width: float,
    max_width: float,
    *rest: Any,
    waste: float = 0.0,
    _pair: Any = reportlab_paragraph._hyGenFragsPair,
) -> Any:
    """ReportLab's `_hyGenFragsPair` (a word of several runs broken at a line's end), with
    addresses and words wider than the line broken as `_word_pair` breaks them."""
    module = reportlab_paragraph
    spelled = module._fragWordSplitRep(word)
    if not spelled:
        return _pair(hyphenator, word, new_width, max_width, *rest)
    text, places = spelled
    ww = word[0]
    room = max_width - (new_width - ww)
    pfx, core, _ = _affixes(text)
    heads: list[int] = []
    if is_literal(core):
        line_start = new_width - ww <= FUZZ
        breaks = _address_breaks(core, ww, room, max_width, waste, line_start)
        heads = [len(pfx) + at for at in reversed(breaks)]
    else:
        found = _pair(hyphenator, word, new_width, max_width, *rest)
        if found:
            return found
    for at in heads:
        head, tail = _split_frags(word, places, at)
        if head[0] <= room:
            return "", head, tail
    first = word[1][0]
    if ww > max_width and new_width - ww > FUZZ:  # whole to the next line, broken there
        return "", module._rebuildFragWord([(first, "")]), module._rebuildFragWord(word[1:])
    if ww <= max_width or new_width - ww > FUZZ:
        return None
    head, tail = _split_frags(
        word, places, _cut_anywhere(text, room, first.fontName, first.fontSize)
    )
    return "", head, tail


def _split_frags(word: Any, places: Any, at: int) -> tuple[Any, Any]:
    """A word of runs cut after `at` characters, as ReportLab cuts one (widths first)."""
    module = reportlab_paragraph
    index, start = places[at]
    left = list(word[1:index])
    frag, text = word[index]
    if text[: at - start]:
        left.append((frag, text[: at - start]))
    right = list(word[index + 1 :])
    if text[at - start :]:
        right.insert(0, (frag, text[at - start :]))
    return module._rebuildFragWord(left), module._rebuildFragWord(right)


FUZZ = 1e-6


@contextmanager
def _long_words_broken(waste: float = 0.0) -> Iterator[None]:
    """While a paragraph breaks its lines: addresses break after their separators, and any
    word wider than the line breaks inside it (see `_word_pair`); `waste` is the paragraph
    style's `addressWaste` (ours: ReportLab's `uriWasteReduce` reaches a word only if it is
    not in <nobr>, as addresses are)."""
    module = reportlab_paragraph
    saved = module._hyGenPair, module._hyGenFragsPair
    if waste:
        module._hyGenPair = functools.partial(_word_pair, waste=waste)
        module._hyGenFragsPair = functools.partial(_frags_pair, waste=waste)
    else:
        module._hyGenPair, module._hyGenFragsPair = _word_pair, _frags_pair
    try:
        yield
    finally:
        module._hyGenPair, module._hyGenFragsPair = saved


def break_lines(paragraph: Any, width: Any, breaker: Callable[[Any], Any]) -> Any:
    """`breaker(width)`, again while three lines in a row end with a hyphen, each time
    refusing the hyphenation that ended the third; but a word longer than LONGEST_REFUSED
    letters keeps its hyphen (refused, it could be wider than the line)."""
    hyphenator = getattr(paragraph.style, "hyphenationLang", None)
    waste = getattr(paragraph.style, "addressWaste", 0)
    if not isinstance(hyphenator, Hyphenator):
        with _long_words_broken(waste):
            return breaker(width)
    frags = paragraph.frags  # ReportLab replaces them by its broken words: each try starts anew
    refused: frozenset[int] = frozenset()
    while True:
        paragraph.frags = frags
        hyphenator.start(refused)
        with _compounds_with_digits(), _long_words_broken(waste):
            lines = breaker(width)
        if len(hyphenator.taken) <= MOST_IN_A_ROW:  # too few hyphens to make a third in a row
            return lines
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


def mark_added_hyphens(words: Any, lines: Any) -> None:
    """Mark each line of runs (kind 1) that ends with a hyphen hyphenation added
    (`hyphen_added`), for tagging to hide it from what assistive technology reads; a line of
    one run tells it by its last word's class (`ends_with_added_hyphen`). A line that ends
    inside a word (hyphenated, at a compound's hyphen or a long word cut) is marked
    `word_split`."""
    if getattr(lines, "kind", 0) != 1:
        return
    rows = lines.lines
    for i, line in enumerate(rows):
        end = rows[i + 1].sFW if i + 1 < len(rows) else len(words)
        last = end - 1
        while last >= line.sFW and isinstance(words[last], _InjectedFrag):
            last -= 1
        line.hyphen_added = last >= line.sFW and isinstance(words[last], _ADDED_FRAG)
        line.word_split = last >= line.sFW and _inside_word(words[last])


def _inside_word(frag: Any) -> bool:
    """Whether a line that ends with this fragment ends inside a word: a piece of a word
    split over lines that holds text (ReportLab may end a line with an empty first piece of
    a long word that it begins on the next line)."""
    return isinstance(frag, _SplitFrag) and any(
        text for part in frag[1:] if isinstance(part, tuple) for text in part[1:2]
    )


_ADDED_FRAG = (_SplitFragHY, reportlab_paragraph._SplitFragLL)
_ADDED_WORD = (reportlab_paragraph._SplitWordHY, reportlab_paragraph._SplitWordLL)


def ends_with_added_hyphen(line: Any) -> bool:
    """Whether a line (of runs, or a list of words of one run) ends with a hyphen
    hyphenation added (not a compound's own, as in 'COVID-')."""
    if isinstance(line, list):
        return bool(line) and isinstance(line[-1], _ADDED_WORD) and line[-1].endswith("-")
    return bool(getattr(line, "hyphen_added", False))


def _without_empty_end(words: list[Any]) -> list[Any]:
    """A line's runs without the empty ones ReportLab leaves after a hyphenated word."""
    end = len(words)
    while end > 1 and not getattr(words[end - 1], "text", "x").strip():
        end -= 1
    return words[:end]


_DRAW_LINE = [
    f"_{how}DrawParaLine{kind}"
    for how in ("left", "center", "right", "justify")
    for kind in ("", "X")
]


@contextmanager
def added_hyphens_told() -> Iterator[None]:
    """While a paragraph draws: its text object knows (`hyphen_added`) whether the line it
    draws ends with a hyphen hyphenation added (not on a link's line end: tagging switches
    a link's marks as ReportLab records it, after its text)."""
    module = reportlab_paragraph
    saved = {name: getattr(module, name) for name in _DRAW_LINE}
    for name, draw in saved.items():
        setattr(module, name, _telling(draw))
    try:
        yield
    finally:
        for name, draw in saved.items():
            setattr(module, name, draw)


@lru_cache(maxsize=32)
def _telling(draw: Callable[..., Any]) -> Callable[..., Any]:
    """ReportLab's `draw` of a line, telling the text object whether the line ends with an
    added hyphen (made once per drawing function, not for each paragraph drawn)."""

    def draw_line(tx: Any, offset: float, *rest: Any, **options: Any) -> Any:
        line: Any = rest[0] if len(rest) == 1 or not isinstance(rest[1], list) else rest[1]
        words = getattr(line, "words", None)
        added = ends_with_added_hyphen(line)
        if added and words is not None:
            added = not any(getattr(w, "link", None) for w in words[-2:])
        tx.hyphen_added = added
        if added and words is not None:  # the hyphen's run drawn last
            line.words = _without_empty_end(words)
        try:
            return draw(tx, offset, *rest, **options)
        finally:
            tx.hyphen_added = False
            if words is not None:
                line.words = words

    return draw_line
