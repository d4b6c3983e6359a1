"""generator.dates: reading ISO days and ranges, wording them (en_GB), roman numerals.

British house style: a range within a month is closed up, '1–2\u00a0March'; between months
the en dash is spaced, with narrow no-break spaces (U+202F): '30\u00a0June\u202f–\u202f2\u00a0July';
the other spaces of a date are no-break (U+00A0).
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.dates import DateSpan, parse_span, to_roman, word_period, word_spans
from tests.conftest import nb

THIN = "\u202f"
DASH = f"{THIN}–{THIN}"


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
    assert words("2020-12-09") == nb("9 December")


def test_range_within_a_month_is_closed_up() -> None:
    assert words("2020-03-01/2020-03-02") == nb("1–2 March")
    assert words("2020-01-23/2020-01-24") == "23–24\u00a0January"
    assert words("2020-12-01/2020-12-31") == nb("1–31 December")


def test_range_between_months_is_spaced() -> None:
    assert words("2020-11-30/2020-12-02") == f"30\u00a0November{DASH}2\u00a0December"


def test_closed_up_in_other_locales_too() -> None:
    spans = (parse_span("2020-03-01/2020-03-02"),)
    assert word_spans(spans, "fr_FR") == "1–2\u00a0mars"
    assert word_spans(spans, "en_US") == "March\u00a01–2"


def test_range_across_months() -> None:
    assert words("2020-06-30/2020-07-02") == nb(f"30 June{DASH}2 July")


def test_range_across_the_whole_year() -> None:
    assert words("2020-01-20/2020-12-04") == nb(f"20 January{DASH}4 December")


def test_list_in_one_month_names_the_month_once() -> None:
    assert words("2020-07-06", "2020-07-09", "2020-07-13") == nb("6, 9 and 13 July")


def test_two_days_in_one_month() -> None:
    assert words("2020-04-28", "2020-04-30") == nb("28 and 30 April")


def test_list_across_months() -> None:
    assert words("2020-01-16", "2020-02-13", "2020-05-22") == nb(
        "16 January, 13 February and 22 May"
    )


def test_unsorted_list_is_worded_in_order() -> None:
    assert words("2020-12-10", "2020-11-30", "2020-10-29") == (
        nb("29 October, 30 November and 10 December")
    )


def test_list_across_months_groups_days_of_one_month() -> None:
    assert words("2020-07-03", "2020-06-18", "2020-06-04", "2020-06-11") == (
        nb("4, 11 and 18 June and 3 July")
    )


def test_range_inside_a_list() -> None:
    assert words("2020-03-03/2020-03-04", "2020-11-03") == nb("3–4 March and 3 November")


def test_range_inside_a_list_is_sorted_too() -> None:
    assert words("2020-11-03", "2020-06-30/2020-07-02", "2020-01-05") == (
        nb(f"5 January, 30 June{DASH}2 July and 3 November")
    )


def test_wording_follows_the_locale() -> None:
    spans = (parse_span("2020-07-06"), parse_span("2020-07-09"))
    assert word_spans(spans, "fr_FR") == "6 et 9\u00a0juillet"


def test_period_of_whole_months() -> None:
    assert (
        word_period(parse_span("2020-01-01/2020-12-31"), "en_GB")
        == f"January{DASH}December\u00a02020"
    )
    assert word_period(parse_span("2020-07-01/2020-12-31"), "en_GB") == nb(
        f"July{DASH}December 2020"
    )


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
