"""The completeness check finds what a reader sees: a straight quote the outputs set as a
curly quote, an apostrophe or a prime (5'3 as 5′3, 12" as 12″) is the text as typed, and a
text that really lost a character is still missing."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from generator import inline
from generator.quote_marks import quote_marks
from tests.completeness import assert_nothing_lost, missing_texts, normalise
from tests.generated import bulletin_data, write_data

TYPED = (
    "5'3łÇ4X",  # the example hypothesis found: a prime between digits
    '5\'10" tall, 12" records, 6\' 2"',
    "he is 6'2\"",
    "the 1990's, COVID-19's impact",
    "'Tis the '90s, rock 'n' roll",
    '"quoted" and \'quoted\' and ("x")',
    "it's \"12\"\" and '5'",
    "room 4'b' and 3\"x",
)


@pytest.mark.parametrize("typed", TYPED)
def test_a_typeset_text_is_found_as_typed(typed: str) -> None:
    typeset = inline.typographic(typed)
    assert typeset != typed  # the outputs show other characters than the data holds
    assert normalise(typeset) == normalise(typed)
    assert missing_texts([typed], f"before {typeset} after") == []


def test_every_short_text_of_quotes_and_digits_is_found_as_typed() -> None:
    """Whatever `typographic` makes of a straight quote, the check folds it back: every text
    of up to five of these characters, before and after a digit, a letter or a bracket."""
    signs = "5a '\"("
    for size in range(1, 6):
        for chars in itertools.product(signs, repeat=size):
            typed = "".join(chars)
            assert normalise(inline.typographic(typed)) == normalise(typed), typed


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("5'3łÇ4X", "5″3łÇ4X"),  # a double prime is not a single quote
        ("5'3łÇ4X", "53łÇ4X"),  # the prime lost
        ("5'3łÇ4X", "5′łÇ4X"),  # a digit lost after it
        ('12" records', "12′ records"),
        ("it's", "it“s"),
    ],
)
def test_a_text_that_lost_or_changed_a_character_is_still_missing(typed: str, shown: str) -> None:
    assert missing_texts([typed], f"before {shown} after") == [typed]


def test_a_built_bulletin_with_primes_loses_nothing(tmp_path: Path) -> None:
    """Primes in a name, a title, a summary, a feature and a closing line, in both outputs."""
    data = bulletin_data(3, 1, 2)
    year = data["2020.yaml"]
    key = next(iter(year["events"]))
    data["mechanisms.yaml"][key]["name"] = "Panel of 5'3\" delegates"
    first, second = year["events"][key][:2]
    first["summary"] = "Heights 5'3łÇ4X and 6'2\" measured; the 1990's, in '20."
    second["title"] = "The 12\" records' review"
    year["features"] = [{"title": "Size 7'", "paragraphs": ["Boards of 4'6\" by 8' were used."]}]
    link = {"label": "the 2'6\" list", "url": "https://example.org/list"}
    year["closing"] = [{"label": "Read 3'4\" notes", "links": [link]}]
    folder = write_data(tmp_path / "data", data)
    _, texts = assert_nothing_lost(folder)
    for kind, text in texts.items():
        assert "5′3łÇ4X" in text and "6′2″" in text and "4′6″" in text, kind  # as a reader sees


QUOTED_PARTS = (
    'The "Experts\' Network" met',
    "a 'working group' of the \"Ouagadougou\" process",
    'Read "Migration: today" here!',
)


@pytest.mark.parametrize("locale", ["fr_FR", "de_DE", "en_US"])
def test_a_built_bulletin_in_another_language_loses_nothing(tmp_path: Path, locale: str) -> None:
    """Quotes typed straight in a name, a title, a summary, a feature and a closing line come
    out in the issue's own marks (« x », „x“, “x”) and are found as typed, in both outputs
    (folded as English, the French text would not be: the check reads the issue's marks)."""
    data = bulletin_data(5, 2, 2)
    data["bulletin.yaml"]["locale"] = locale
    year = data["2020.yaml"]
    key = next(iter(year["events"]))
    data["mechanisms.yaml"][key]["name"] = f"Forum of the {QUOTED_PARTS[0]}"
    first, second = year["events"][key][:2]
    first["summary"] = f"{QUOTED_PARTS[1]}; {QUOTED_PARTS[2]}"
    second["title"] = f"On {QUOTED_PARTS[0]}"
    year["features"] = [{"title": "A 'new' start", "paragraphs": [f"So {QUOTED_PARTS[1]}."]}]
    link = {"label": f"{QUOTED_PARTS[2]}", "url": "https://example.org/list"}
    year["closing"] = [{"label": 'See "the list"', "links": [link]}]
    folder = write_data(tmp_path / "data", data)
    _, texts = assert_nothing_lost(folder)
    marks = quote_marks(locale)
    for kind, text in texts.items():
        assert marks.primary[0] in text and marks.alternate[1] in text, kind
        if marks.inside:  # « x »: folded as English, the typed text is not found
            assert missing_texts(QUOTED_PARTS, text) != [], kind
