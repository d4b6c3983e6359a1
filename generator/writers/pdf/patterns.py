"""pyphen's hyphenation patterns, read in a fifth of the time: each pattern is parsed when a
word first meets it.

pyphen parses all of a dictionary's patterns when it is opened (14,000 for en-GB, about
80 ms, a sixth of a cold build's PDF); a bulletin's words meet a few hundred of them.
`LazyPatterns` keeps each pattern's line under its letters and parses it on first use, with
pyphen's own rules, so the break points are pyphen's (tests compare every pattern of every
dictionary it ships). A dictionary with nonstandard hyphenation (`/` alternatives, `^^`
escapes) is left to pyphen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
from pyphen import DataInt, HyphDict

Pattern = tuple[int, tuple[int, ...]]
"""Where a pattern's values start in its letters, and the values (pyphen's form)."""

_DECIMAL = re.compile(r"\d")
_DIGITS_IN_A_ROW = re.compile(rb"[0-9][0-9]")
"""Two ASCII digits in a row (a Unicode decimal digit of another script is refused after
the ASCII digits are taken out: see `read_patterns`)."""


class LazyPatterns(HyphDict):
    """A dictionary's patterns by their letters, each parsed when first met."""

    def __init__(self, patterns: dict[str, str | Pattern | None]) -> None:
        self.patterns = patterns
        self.cache: dict[str, list[DataInt]] = {}
        self.maxlen = max(map(len, self.patterns))

    def pattern(self, letters: str) -> Pattern | None:
        """The parsed pattern of these letters; None if there is none (or only zeros)."""
        found = self.patterns.get(letters)
        if isinstance(found, str):
            found = self.patterns[letters] = pattern_values(found)
        return found

    def positions(self, word: str) -> list[DataInt]:
        """pyphen's `HyphDict.positions`, with each pattern parsed on first use."""
        word = word.lower()
        points = self.cache.get(word)
        if points is None:
            pointed = f".{word}."
            references = [0] * (len(pointed) + 1)
            for i in range(len(pointed) - 1):
                stop = min(i + self.maxlen, len(pointed)) + 1
                for j in range(i + 1, stop):
                    found = self.patterns.get(pointed[i:j])
                    if isinstance(found, str):
                        found = self.pattern(pointed[i:j])
                    if not found:
                        continue
                    offset, values = found
                    at = slice(i + offset, i + offset + len(values))
                    references[at] = [
                        max(a, b) for a, b in zip(values, references[at], strict=False)
                    ]
            self.cache[word] = points = [
                DataInt(i - 1, reference=value) for i, value in enumerate(references) if value % 2
            ]
        return points


def pattern_values(line: str) -> Pattern | None:
    """A pattern line ('.ach4', 'a1b') as pyphen stores it: the offset of its first non-zero
    value and the values to its last; None if every value is zero."""
    slots = [0]
    for char in line:
        if char.isdecimal():
            slots[-1] = int(char)
        else:
            slots.append(0)
    start, end = 0, len(slots)
    while start < end and not slots[start]:
        start += 1
    while end > start and not slots[end - 1]:
        end -= 1
    return (start, tuple(slots[start:end])) if start < end else None


def read_patterns(path: Path) -> HyphDict:
    """A dictionary's patterns: lazily where every pattern is plain (letters and single
    ASCII digits: no `/` alternatives, no `^^` escapes, no two digits in a row, no other
    decimal digit), which `pattern_values` reads as pyphen does, and no letters come twice
    (pyphen keeps the last that is not all zeros); else by pyphen."""
    raw = path.read_bytes()
    first, _, rest = raw.partition(b"\n")
    try:
        text = rest.decode(first.decode("ascii").strip())
    except (LookupError, UnicodeError):
        return HyphDict(path)
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line and not line.startswith(pyphen.ignored)]
    joined = "\n".join(lines).encode("utf-8")  # searched as bytes: quicker than as text
    if not lines or b"/" in joined or b"^^" in joined or _DIGITS_IN_A_ROW.search(joined):
        return HyphDict(path)
    letters = joined.translate(None, b"0123456789").decode("utf-8")
    if _DECIMAL.search(letters):
        return HyphDict(path)
    patterns: dict[str, str | Pattern | None] = dict(zip(letters.split("\n"), lines, strict=True))
    if len(patterns) != len(lines):
        return HyphDict(path)
    return LazyPatterns(patterns)


def hyphenation_patterns(language: str, left: int, right: int) -> pyphen.Pyphen | None:
    """pyphen's hyphenator for a language ('en_GB'), or None if it has no dictionary."""
    found = pyphen.language_fallback(language)
    if not found:
        return None
    path = pyphen.LANGUAGES[found]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = read_patterns(Path(str(path)))
    return pyphen.Pyphen(lang=found, left=left, right=right)
