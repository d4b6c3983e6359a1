"""generator.dates: reading ISO days and ranges, wording them (en_GB), roman numerals.

British house style: a range within a month is closed up, '1–2 March'; between months the
en dash is spaced: '30\u00a0June\u202f– 2\u00a0July'. Where a date may break at a line's
end: after a spaced dash (a plain space; before it a narrow no-break space, U+202F)
and between several days of one month and the month's name (a plain space); every other
space of a date is no-break (U+00A0). In the expected texts below, '~' is a no-break space.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.dates import (
    DateSpan,
    parse_span,
    tie_days,
    to_roman,
    word_period,
    word_spans,
)
from tests.conftest import nb

THIN = "\u202f"
DASH = f"{THIN}–{THIN}"
RANGE = f"{THIN}– "
"""A range's dash as dates word it: no break before, a break after."""


def nbsp(text: str) -> str:
    return text.replace("~", "\u00a0")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def words(*texts: str) -> str:
    return word_spans(tuple(parse_span(t) for t in texts), "en_GB")


# -- reading -------------------------------------------------------------------------------


def test_parse_a_day() -> None:
    span = parse_span("2020-12-09")
    assert span == DateSpan(day("2020-12-09"), day("2020-12-09"))
    assert span.is_day


def test_parse_a_range() -> None:
    span = parse_span("2020-03-01/2020-03-02")
    assert span == DateSpan(day("2020-03-01"), day("2020-03-02"))
    assert not span.is_day


def test_parse_ignores_surrounding_spaces() -> None:
    assert parse_span(" 2020-03-01 / 2020-03-02 ") == parse_span("2020-03-01/2020-03-02")


def test_a_range_of_one_day_is_a_day() -> None:
    assert parse_span("2020-03-01/2020-03-01").is_day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-13-01", "not a date: '2020-13-01'"),
        ("2020-02-30", "not a date: '2020-02-30'"),
        ("2021-02-29", "not a date: '2021-02-29'"),
        ("2020-3-1", "not a date: '2020-3-1'"),
        ("1 March 2020", "not a date: '1 March 2020'"),
        ("20200301", "not a date: '20200301'"),
        ("2020-03-01/", "not a date: ''"),
        (
            "2020-03-01/2020-03-02/2020-03-03",
            "'2020-03-01/2020-03-02/2020-03-03' has more than one '/'",
        ),
        ("2020-03-02/2020-03-01", "range '2020-03-02/2020-03-01' ends before it starts"),
    ],
)
def test_parse_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_span(text)
    assert str(caught.value) == message


def test_leap_day_is_a_date() -> None:
    assert parse_span("2020-02-29").start == day("2020-02-29")


def test_spans_order_by_start_then_end() -> None:
    spans = [
        parse_span("2020-06-30"),
        parse_span("2020-03-01/2020-03-05"),
        parse_span("2020-03-01"),
    ]
    assert sorted(spans) == [spans[2], spans[1], spans[0]]


# -- wording -------------------------------------------------------------------------------


def test_one_day() -> None:
    assert words("2020-12-09") == nbsp("9~December")


def test_range_within_a_month_is_closed_up() -> None:
    assert words("2020-03-01/2020-03-02") == "1–2 March"
    assert words("2020-01-23/2020-01-24") == "23–24 January"
    assert words("2020-12-01/2020-12-31") == "1–31 December"


def test_range_between_months_is_spaced() -> None:
    assert words("2020-11-30/2020-12-02") == nbsp(f"30~November{RANGE}2~December")


def test_closed_up_in_other_locales_too() -> None:
    spans = (parse_span("2020-03-01/2020-03-02"),)
    assert word_spans(spans, "fr_FR") == "1–2 mars"
    assert word_spans(spans, "en_US") == "March 1–2"


def test_range_across_months() -> None:
    assert words("2020-06-30/2020-07-02") == nbsp(f"30~June{RANGE}2~July")


def test_range_across_the_whole_year() -> None:
    assert words("2020-01-20/2020-12-04") == nbsp(f"20~January{RANGE}4~December")


def test_list_in_one_month_names_the_month_once() -> None:
    assert words("2020-07-06", "2020-07-09", "2020-07-13") == nbsp("6,~9~and~13 July")


def test_two_days_in_one_month() -> None:
    assert words("2020-04-28", "2020-04-30") == nbsp("28~and~30 April")


def test_list_across_months() -> None:
    assert words("2020-01-16", "2020-02-13", "2020-05-22") == nbsp(
        "16~January, 13~February and 22~May"
    )


def test_unsorted_list_is_worded_in_order() -> None:
    assert words("2020-12-10", "2020-11-30", "2020-10-29") == (
        nbsp("29~October, 30~November and 10~December")
    )


def test_list_across_months_groups_days_of_one_month() -> None:
    assert words("2020-07-03", "2020-06-18", "2020-06-04", "2020-06-11") == (
        nbsp("4,~11~and~18 June and 3~July")
    )


def test_range_inside_a_list() -> None:
    assert words("2020-03-03/2020-03-04", "2020-11-03") == nbsp("3–4 March and 3~November")


def test_range_inside_a_list_is_sorted_too() -> None:
    assert words("2020-11-03", "2020-06-30/2020-07-02", "2020-01-05") == (
        nbsp(f"5~January, 30~June{RANGE}2~July and 3~November")
    )


def test_wording_follows_the_locale() -> None:
    spans = (parse_span("2020-07-06"), parse_span("2020-07-09"))
    assert word_spans(spans, "fr_FR") == nbsp("6~et~9 juillet")


def test_period_of_whole_months() -> None:
    assert (
        word_period(parse_span("2020-01-01/2020-12-31"), "en_GB")
        == f"January{DASH}December\u00a02020"
    )
    assert word_period(parse_span("2020-07-01/2020-12-31"), "en_GB") == nb(
        f"July{DASH}December 2020"
    )


# -- where a date may break at a line's end ----------------------------------------------------

BREAKS = (" ", "\u2009")


@pytest.mark.parametrize(
    "dates",
    [
        ("2020-12-09",),
        ("2020-07-06", "2020-07-09", "2020-07-13"),
        ("2020-01-16", "2020-02-13", "2020-05-22"),
        ("2020-06-30/2020-07-02", "2020-11-03"),
        ("2020-03-01/2020-03-02", "2020-03-05"),
        ("2020-10-29/2020-12-10",),
    ],
)
@pytest.mark.parametrize("locale", ["en_GB", "en_US", "fr_FR"])
def test_no_line_ends_with_a_lone_day_number(dates: tuple[str, ...], locale: str) -> None:
    worded = word_spans(tuple(parse_span(t) for t in dates), locale)
    for at, char in enumerate(worded):
        if char in BREAKS:
            line = worded[:at].rstrip(",")
            last = line.replace("\u00a0", " ").replace("\u202f", " ").split(" ")[-1]
            lone = last.isdigit() and not re.search(r"\d[\u00a0\u202f]*[–,]|\bet\b|\band\b", line)
            assert not lone, (worded, at)


def test_a_break_may_fall_after_a_range_dash_and_before_a_shared_month() -> None:
    assert "– " in words("2020-06-30/2020-07-02")
    assert words("2020-03-01/2020-03-02").endswith("2 March")
    assert words("2020-03-01", "2020-03-05").endswith("5 March")
    assert " " not in words("2020-03-01").replace("\u00a0", "")


def test_the_period_never_breaks() -> None:
    worded = word_period(parse_span("2020-01-01/2020-12-31"), "en_GB")
    assert not any(char in BREAKS for char in worded)


# -- roman numerals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "roman"),
    [
        (1, "I"),
        (4, "IV"),
        (6, "VI"),
        (9, "IX"),
        (14, "XIV"),
        (40, "XL"),
        (90, "XC"),
        (400, "CD"),
        (1994, "MCMXCIV"),
        (2020, "MMXX"),
        (3999, "MMMCMXCIX"),
    ],
)
def test_roman(number: int, roman: str) -> None:
    assert to_roman(number) == roman


@pytest.mark.parametrize("number", [0, -1, 4000])
def test_roman_out_of_range(number: int) -> None:
    with pytest.raises(ValueError, match="has no roman numeral"):
        to_roman(number)


# -- dates typed in running text: the same rule ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "set_as"),
    [
        ("met on 12 March in Rabat", "met on 12~March in Rabat"),
        ("met on 12th March", "met on 12th~March"),
        ("from March 24 on", "from March~24 on"),
        ("on 3–4 March 2020", "on 3–4 March 2020"),
        ("on 6, 9 and 13 July", "on 6,~9~and~13 July"),
        ("15 and 29 June and 1 July", "15~and~29 June and 1~July"),
        (f"30 June{THIN}–{THIN}2 July", f"30~June{RANGE}2~July"),
        ("on 23 – 24 May", f"on 23{RANGE}24 May"),
        ("figures 1,250 and 3 km, 12 members", "figures 1,250 and 3 km, 12 members"),
    ],
)
def test_a_typed_date_breaks_where_a_worded_one_does(typed: str, set_as: str) -> None:
    """Never after a lone day number ('12 | March'); the days of a range or list together,
    and a break before their month allowed, as the bulletin words dates itself."""
    assert tie_days(typed, "en_GB") == nbsp(set_as)


@pytest.mark.parametrize(
    "spans",
    [
        "2020-12-09",
        "2020-03-01/2020-03-02",
        "2020-07-06, 2020-07-09, 2020-07-13",
        "2020-06-15, 2020-06-29, 2020-07-01",
        "2020-06-30/2020-07-02",
        "2020-10-29, 2020-12-10",
    ],
)
def test_a_worded_date_typed_again_is_set_as_the_bulletin_words_it(spans: str) -> None:
    worded = word_spans(tuple(parse_span(s) for s in spans.split(", ")), "en_GB")
    typed = worded.replace("\u00a0", " ").replace(THIN, " ")
    assert tie_days(typed, "en_GB") == worded
