"""Hyphenation patterns read lazily (generator/writers/pdf/patterns.py) break words as pyphen.

pyphen parses every pattern of a dictionary when it opens it; the lazy reader parses each
when a word first meets it. Both must give the same break points, for every dictionary
pyphen ships that the lazy reader takes, and it must leave the others to pyphen.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyphen
import pytest

from generator.writers.pdf.patterns import (
    LazyPatterns,
    hyphenation_patterns,
    pattern_values,
    read_patterns,
)

_EVERY = os.environ.get("BULLETIN_ALL_DICTIONARIES") == "1"
DATA = Path(__file__).resolve().parents[2] / "data"
WORDS = sorted(set(re.findall(r"\w{3,}", (DATA / "2020.yaml").read_text(encoding="utf-8"))))
WORDS += ["hyphenation", "Internationalisation", "co-operation", "ÉTÉ", "straße", "ÿ"]
SAMPLE = ("en_GB", "en_US", "fr", "nl_NL", "ru_RU", "th_TH")
"""Dictionaries of several scripts, and some left to pyphen (all of them: 14 s, too slow for
every run; `BULLETIN_ALL_DICTIONARIES=1` checks every one)."""
DICTIONARIES = sorted(
    {path for name, path in pyphen.LANGUAGES.items() if name in SAMPLE or _EVERY}, key=str
)


def _read(path: object) -> object:
    return read_patterns(Path(str(path)))


@pytest.mark.parametrize("path", DICTIONARIES, ids=lambda path: Path(str(path)).stem)
def test_every_dictionary_is_read_as_pyphen_reads_it(path: object) -> None:
    lazy = _read(path)
    if not isinstance(lazy, LazyPatterns):
        assert type(lazy) is pyphen.HyphDict  # left to pyphen as a whole
        return
    reference = pyphen.HyphDict(path)
    every = {letters: lazy.pattern(letters) for letters in list(lazy.patterns)}
    assert {letters: found for letters, found in every.items() if found} == reference.patterns
    assert [lazy.positions(word) for word in WORDS] == [reference.positions(w) for w in WORDS]


def test_the_bulletins_languages_are_read_lazily() -> None:
    for language in ("en_GB", "en_US", "nl_NL"):
        assert isinstance(_read(pyphen.LANGUAGES[language]), LazyPatterns)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (".ach4", (4, (4,))),
        ("a1b", (1, (1,))),
        ("1ab2", (0, (1, 0, 2))),
        ("4a0b3", (0, (4, 0, 3))),
        ("ab", None),
        ("a0b0", None),
    ],
)
def test_a_pattern_line_gives_pyphens_offset_and_values(line: str, expected: object) -> None:
    assert pattern_values(line) == expected


def _dictionary(folder: Path, lines: list[str]) -> Path:
    path = folder / "hyph_xx.dic"
    path.write_text("UTF-8\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_dictionary_with_alternatives_escapes_or_twice_written_letters_is_left_to_pyphen(
    tmp_path: Path,
) -> None:
    plain = ["LEFTHYPHENMIN 2", "% a comment", ".ab1c", "b1c", "  2d1e  ", "é1t", ""]
    assert isinstance(read_patterns(_dictionary(tmp_path, plain)), LazyPatterns)
    odds = (["c1k/k=k,1,1"], ["^^e91a"], ["a12b"], ["b1c", "b2c"], ["a١b"], ["a1١b"], ["é12t"])
    for odd in odds:
        assert type(read_patterns(_dictionary(tmp_path, plain + odd))) is pyphen.HyphDict


def test_words_break_where_pyphen_breaks_them() -> None:
    hyphenator = hyphenation_patterns("en_GB", 2, 3)
    assert hyphenator is not None
    reference = pyphen.Pyphen(filename=pyphen.LANGUAGES["en_GB"], left=2, right=3, cache=False)
    for word in WORDS:
        assert list(hyphenator.iterate(word)) == list(reference.iterate(word))
    assert hyphenation_patterns("xx_XX", 2, 3) is None
