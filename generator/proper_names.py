r"""Where a document's proper names stand in a text, as the writers keep them from hyphenation.

`NameFinder(names).spans(text)` finds what `(?<!\w)(?:name|...)(?!\w)` would find with
`finditer` (the names longest first, the spaces between their words any white space), left to
right and never overlapping, without running that one pattern of every name over every text:
with thousands of names (a bulletin 50 times the usual size) that took seconds per file.
Where a word begins with the first letter of a name, only the names whose first word stands
there are tried, each first word's names with a pattern of their own, in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache


class NameFinder:
    """The places of names in texts (see the module)."""

    def __init__(self, names: Iterable[str]) -> None:
        alternatives = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
        groups: dict[str, list[int]] = {}  # a first word: its names' ranks, in order
        for rank, name in enumerate(alternatives):
            groups.setdefault(name.split()[0], []).append(rank)
        self._names: dict[str, tuple[re.Pattern[str], list[int]]] = {}
        for first, ranks in groups.items():
            spaced = (r"\s+".join(map(re.escape, alternatives[r].split())) for r in ranks)
            either = "|".join(f"({name})" for name in spaced)
            self._names[first] = (re.compile(rf"(?:{either})(?!\w)"), ranks)
        self._initials: dict[str, list[str]] = {}  # a first letter: the first words
        for first in groups:
            self._initials.setdefault(first[0], []).append(first)
        letters = "".join(map(re.escape, self._initials))
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
            if at >= end:
                found = self._name_at(text, at)
                if found is not None:
                    yield at, found
                    end = found

    def _name_at(self, text: str, at: int) -> int | None:
        """The end of the first name, longest first, that stands at `at` (None: none)."""
        best: tuple[int, int] | None = None
        for first in self._initials[text[at]]:
            if not text.startswith(first, at):
                continue
            pattern, ranks = self._names[first]
            match = pattern.match(text, at)
            if match is not None and match.lastindex is not None:
                rank = ranks[match.lastindex - 1]
                if best is None or rank < best[0]:
                    best = (rank, match.end())
        return None if best is None else best[1]


@lru_cache(maxsize=2)
def name_finder(names: tuple[str, ...]) -> NameFinder:
    """The finder of a document's names, made once in a process for every file written from
    that document (its patterns take a tenth of a second per thousand names to compile): a
    build's renderer makes it before it forks the print PDF's process, which inherits it."""
    return NameFinder(names)
