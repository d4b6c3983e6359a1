r"""Where a document's proper names stand in a text, as the writers keep them from hyphenation.

`NameFinder(names).spans(text)` finds what `(?<!\w)(?:name|...)(?!\w)` would find with
`finditer` (the names longest first, the spaces between their words any white space), left to
right and never overlapping, without running that one pattern of every name over every text:
with thousands of names (a bulletin 50 times the usual size) that took seconds per file.

Nor does it compile a pattern per name: the names are a tree of their words (compiling the
patterns of a thousand names took a tenth of a second in each process that writes a file).
Where a word may begin a name, the text's word there (up to the next white space) is looked
up in the tree, whole or cut where a character that is not a word character follows (where
`(?!\w)` lets a name end); a name goes on only from a whole word, after white space. Of the
names that stand there, the one the pattern would find is the first in its order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

_WORD = re.compile(r"\S*")
"""A text's word at a place: up to the next white space."""
_SPACES = re.compile(r"\s+")
_ENDS = re.compile(r"\W")
"""Where, inside a text's word, a name may end: before a character that is no word character."""


class _Words:
    """A node of the tree of the names' words: the rank of the name that ends here, if one
    does (the first in the pattern's order), and the words that may follow."""

    __slots__ = ("following", "rank")

    def __init__(self) -> None:
        self.rank: int | None = None
        self.following: dict[str, _Words] = {}


class NameFinder:
    """The places of names in texts (see the module)."""

    def __init__(self, names: Iterable[str]) -> None:
        alternatives = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
        self._first: dict[str, _Words] = {}  # a name's first word: the tree from there
        for rank, name in enumerate(alternatives):
            words, node = self._first, None
            for word in name.split():
                node = words.get(word)
                if node is None:
                    node = words[word] = _Words()
                words = node.following
            if node is not None and node.rank is None:  # else one before it, found first
                node.rank = rank
        initials: dict[str, list[str]] = {}
        for first in self._first:
            initials.setdefault(first[0], []).append(first)
        self._firsts = {letter: tuple(firsts) for letter, firsts in initials.items()}
        """A first letter: the first words that begin with it (which a name must begin with)."""
        letters = "".join(map(re.escape, sorted(self._firsts)))
        self._starts = re.compile(rf"(?<!\w)[{letters}]") if letters else None

    def __bool__(self) -> bool:
        return self._starts is not None

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Where names stand in the text, left to right, none overlapping the one before."""
        if self._starts is None:
            return
        end = 0
        for place in self._starts.finditer(text):
            at = place.start()
            if at >= end and text.startswith(self._firsts[text[at]], at):
                found = self._name_at(text, at)
                if found is not None:
                    yield at, found
                    end = found

    def _name_at(self, text: str, at: int) -> int | None:
        """The end of the first name, in the pattern's order, that stands at `at` (None:
        none)."""
        best: tuple[int, int] | None = None  # the rank of a name found, and its end
        words, place = self._first, at
        while True:
            word = _WORD.match(text, place).group()  # type: ignore[union-attr]  # \S* matches
            whole = words.get(word)
            found = [(len(word), whole)] if whole is not None else []
            if not word.isalnum():  # all word characters: a name ends only after the last
                for end in _ENDS.finditer(word, 1):
                    part = words.get(word[: end.start()])
                    if part is not None:
                        found.append((end.start(), part))
            for cut, node in found:
                if node.rank is not None and (best is None or node.rank < best[0]):
                    best = (node.rank, place + cut)
            spaces = _SPACES.match(text, place + len(word))
            if whole is None or not whole.following or spaces is None:
                return None if best is None else best[1]
            words, place = whole.following, spaces.end()


@lru_cache(maxsize=2)
def name_finder(names: tuple[str, ...]) -> NameFinder:
    """The finder of a document's names, made once in a process for every file written from
    that document: a build's renderer makes it before it forks the print PDF's process, which
    inherits it."""
    return NameFinder(names)
