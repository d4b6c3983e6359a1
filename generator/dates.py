"""Dates as the data gives them (days and ranges) and as the bulletin words them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from .errors import clipped
from .locale_words import date as format_date
from .locale_words import interval as format_interval
from .locale_words import listed as format_list
from .locale_words import locale_name
from .locale_words import month_names as get_month_names


@dataclass(frozen=True, order=True)
class DateSpan:
    """A single day (start == end) or a range of days, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def is_day(self) -> bool:
        return self.start == self.end


def parse_span(text: str) -> DateSpan:
    """Read `2020-03-01` or `2020-03-01/2020-03-02`; raise ValueError with a reason."""
    parts = text.strip().split("/")
    if len(parts) > 2:
        raise ValueError(f"'{clipped(text)}' has more than one '/'")
    days = [_parse_day(part) for part in parts]
    span = DateSpan(days[0], days[-1])
    if span.end < span.start:
        raise ValueError(f"range '{clipped(text)}' ends before it starts")
    return span


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse_day(text: str) -> dt.date:
    """A day written YYYY-MM-DD, and only so (not 2020-W11-1, 20200311 or other ISO forms)."""
    text = text.strip()
    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date: '{clipped(text)}'") from None


def word_spans(spans: tuple[DateSpan, ...], language: str) -> str:
    """Word dates in order: '1–2 March', '6, 9 and 13 July', '29 October and 10 December'."""
    ordered = sorted(spans)
    days = [s for s in ordered if s.is_day]
    if len(days) != len(ordered):
        return format_list([_word_span(s, language) for s in ordered], language)
    by_month = groupby(days, key=lambda s: (s.start.year, s.start.month))
    return format_list([_word_month(list(group), language) for _, group in by_month], language)


def _word_month(days: list[DateSpan], locale: str) -> str:
    """'6, 9 and 13 July': the days of one month, the month once at the end."""
    if len(days) == 1:
        return _word_span(days[0], locale)
    numbers = [format_date(d.start, "d", locale) for d in days]
    last = format_date(days[-1].start, "d MMMM", locale)
    month = format_date(days[-1].start, "MMMM", locale)
    return breakable(format_list([*numbers[:-1], last], locale), month)


def _word_span(span: DateSpan, locale: str) -> str:
    """'9 December'; a range within a month closed up, '23–24 January', and between months
    spaced, '30 November – 2 December' (British house style)."""
    if span.is_day:
        return breakable(format_date(span.start, "d MMMM", locale))
    words = format_interval(span.start, span.end, "MMMMd", locale)
    one_month = (span.start.year, span.start.month) == (span.end.year, span.end.month)
    if one_month:
        words = SPACED_DASH.sub("–", words)
    return breakable(words, format_date(span.start, "MMMM", locale) if one_month else None)


SPACED_DASH = re.compile(r"\s*–\s*")


def word_period(span: DateSpan, locale: str) -> str:
    """'January – December 2020' for a period of whole months."""
    return unbroken(format_interval(span.start, span.end, "yMMMM", locale))


_SPACED_DASH = re.compile("[\u00a0\u202f]([\u2013\u2014])[\u00a0\u202f]")


def breakable(words: str, month: str | None = None) -> str:
    """Where a worded date may break at a line's end: the bulletin's one rule for dates.

    Never after a lone day number ('7 | December', '6, | 9 and 13 July') or before a range's
    dash. After a spaced dash it may ('29 October – | 10 December': a plain space, which
    every writer breaks), and between the days of one month and the month's name, when there
    are several days (`month` given: '1–2 | March', '6, 9 and 13 | July').
    """
    words = _SPACED_DASH.sub("\u202f\\1 ", unbroken(words))
    if month and len(re.findall(r"\d+", words)) > 1:  # the spaces next to the month's name
        words = words.replace(f"\u00a0{month}", f" {month}").replace(f"{month}\u00a0", f"{month} ")
    return words


_DIGIT = re.compile(r"\d")


def tie_days(text: str, locale: str) -> str:
    """A date typed in running text follows the same rule (`breakable`): '24 September',
    'September 24' and '12th March' get a no-break space, so no line ends with a lone day
    number; the days of a range or list stay together ('3–4', '6, 9 and 13') and may break
    before their month, as worded dates do."""
    if not _DIGIT.search(text):  # nothing the pattern could match
        return text
    return _typed_date(locale).sub(_tied, text)


def _tied(date: re.Match[str]) -> str:
    if date.group("until"):  # '30 June – 2 July': each day with its month, a break after the dash
        return breakable(date.group())
    return breakable(date.group(), date.group("month") or date.group("month_first"))


@lru_cache(maxsize=8)
def _typed_date(locale: str) -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in get_month_names(locale).values())
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    joined = format_list(["\x00", "\x01"], locale).split("\x00")[1].split("\x01")[0]
    between = rf"(?:\s?–\s?|,\s|{re.escape(joined)}|,{re.escape(joined)})"
    return re.compile(
        rf"\b(?:{day}(?:{between}{day})* (?P<month>{names})(?P<until>\s?–\s?{day} (?:{names}))?"
        rf"|(?P<month_first>{names}) {day})\b"
    )


def unbroken(words: str) -> str:
    """One date or range kept on one line: babel's thin spaces become narrow no-break
    spaces (U+202F) and the others no-break spaces, so "30 November – 2 December" never splits."""
    return words.replace("\u2009", "\u202f").replace(" ", "\u00a0")


def to_roman(number: int) -> str:
    """6 -> 'VI'; numbers from 1 to 3999."""
    if not 1 <= number <= 3999:
        raise ValueError(f"{number} has no roman numeral")
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    result = ""
    for value, letters in numerals:
        count, number = divmod(number, value)
        result += letters * count
    return result


_WORDED_PART = re.compile(r"(\d{1,2})|([^\W\d_]+)|([\u2010-\u2015-])", re.UNICODE)


def read_worded(text: str, year: int, locale: str) -> tuple[DateSpan, ...] | None:
    """The dates a worded text shows ('1–2 March', '6, 9 and 13 July', '30 November –
    2 December'), in `year`: the inverse of `word_spans`. None unless the dates, worded
    again, read as `text` does (spaces, dashes and connecting words aside)."""
    months = {name.casefold(): n for n, name in get_month_names(locale).items()}
    days: list[list[int]] = []  # [day, month or 0, 1 if a range ends with it]
    dash = False
    for match in _WORDED_PART.finditer(text):
        number, word, is_dash = match.groups()
        if number:
            days.append([int(number), 0, int(dash)])
            dash = False
        elif is_dash:
            dash = True
        elif word.casefold() in months:
            for day in reversed(days):
                if day[1]:
                    break
                day[1] = months[word.casefold()]
    if not days or any(not month for _, month, _ in days):
        return None
    spans = _spans(days, year)
    if spans is None or _loosely(word_spans(spans, locale)) != _loosely(text):
        return None
    return spans


def _spans(days: list[list[int]], year: int) -> tuple[DateSpan, ...] | None:
    found: list[DateSpan] = []
    try:
        for day, month, ends_range in days:
            date = dt.date(year, month, day)
            if ends_range and found:
                found[-1] = DateSpan(found[-1].start, date)
            else:
                found.append(DateSpan(date, date))
    except ValueError:
        return None
    if any(span.end < span.start for span in found):
        return None
    return tuple(found)


def _loosely(text: str) -> str:
    return "".join(re.sub(r"[\u2010-\u2015-]", "-", text).split())


@lru_cache(maxsize=8)
def month_names(language: str) -> frozenset[str]:
    """The language's month names ('December'), which a date keeps whole: no line hyphenates
    them ('1–4 Decem-ber' never), in any output."""
    locale = locale_name(language.replace("-", "_"))
    if locale is None:
        return frozenset()
    return frozenset(get_month_names(locale).values())
