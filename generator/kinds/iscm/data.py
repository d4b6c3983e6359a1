"""Typed models of the bulletin's data: the settings, the registry of mechanisms, one year.

Validation context (`year`, `registry`) lets a field check what depends on other files:
a date outside the issue's year, a mechanism key missing from the registry.
"""

import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from ...addresses import EMAIL_HINT, check_address
from ...dates import DateSpan, parse_span
from ...errors import clipped
from ...inline import check_url, links, unclosed
from ...locale_words import locale_name
from ...schema import AfterValidator, BeforeValidator, Field, Record, problem, record_check


def _text(value: str) -> str:
    if not value.strip():
        raise problem("the text is empty", "write the text or remove the key")
    for url in links(value):
        reason = check_url(url)
        if reason:
            raise problem(f"link {reason}", "links must start with http://, https:// or mailto:")
    mark = unclosed(value)
    if mark:
        raise problem(
            f"'{mark}' is not closed, so it would be printed as is",
            "close it (**bold**, [label](https://...)), or write \\* or \\[ for "
            "the character itself",
        )
    return value


def _url(value: str) -> str:
    reason = check_url(value)
    if reason:
        raise problem(reason, "links must start with http://, https:// or mailto:")
    return value


def _email(value: str) -> str:
    try:
        check_address(value)
    except ValueError as error:
        raise problem(str(error), EMAIL_HINT) from None
    return value


FILE_NAME_LIMIT = 200
"""Characters of `file_name`: with a suffix and a temporary file's decoration, a file name
stays within the 255 bytes file systems allow."""


def _file_name(value: str) -> str:
    if len(value) > FILE_NAME_LIMIT:
        raise problem(
            f"the file name has {len(value)} characters, over the limit of {FILE_NAME_LIMIT}",
            "shorten it",
        )
    return value


def _locale(value: str) -> str:
    """The locale as babel names it (`en-GB` becomes `en_GB`), or a problem if babel has none."""
    name = locale_name(value.strip().replace("-", "_"))
    if name is None:
        raise problem(
            f"unknown locale '{clipped(value)}'",
            "write a language and country such as en_GB or fr_FR",
        )
    return name


def _whole_number(low: int, high: int, hint: str) -> AfterValidator:
    """A check that a whole number lies from `low` to `high`, both included."""

    def check(value: int) -> int:
        if not low <= value <= high:
            raise problem(f"must be a whole number from {low} to {high}, got {value}", hint)
        return value

    return AfterValidator(check)


def _mechanism(value: str, context: dict[str, Any]) -> str:
    """A registry key; None as the registry (it could not be read) means no check."""
    registry: dict[str, None] | None = context.get("registry", {})
    if registry is not None and value not in registry:
        add = "add it to data/mechanisms.yaml"
        names: dict[str, str] = context.get("registry_names", {})
        key = names.get(folded(value))
        guess = close_spelling(value, registry)
        if key is not None:
            hint = f"write its key from data/mechanisms.yaml: '{key}'"
        elif guess:
            hint = f"did you mean '{guess}'? If not, {add}"
        else:
            hint = f"if it is new, {add}"
        raise problem(f"unknown mechanism '{clipped(value)}'", hint)
    return value


def folded(text: str) -> str:
    """A name as compared with the registry's names: no spaces, any case."""
    return "".join(text.split()).casefold()


def close_spelling(word: str, known: Iterable[str]) -> str | None:
    """The known word spelled most like `word`, if a slip of the keyboard away: the same
    letters in another case, or one letter wrong, missing, extra or two swapped; else None,
    rather than a guess that misleads ('ASEM' is not a slip for 'SACM')."""
    folded = word.casefold()
    best: tuple[int, str] | None = None
    for candidate in known:
        distance = _edits(folded, candidate.casefold())
        if distance <= 1 and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def _edits(a: str, b: str) -> int:
    """Letters to change, add, remove or swap to turn `a` into `b` (optimal string alignment)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def _dates(value: Any, context: dict[str, Any]) -> tuple[DateSpan, ...]:
    """Dates or ranges, each once and within the issue's year (a problem names the item)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise problem("no dates given", "write at least one date, as YYYY-MM-DD")
    listed = isinstance(value, list)
    spans = [_span(item, i if listed else None) for i, item in enumerate(items)]
    year = context.get("year")
    seen: set[DateSpan] = set()
    for i, span in enumerate(spans):
        at = i if listed else None
        if isinstance(year, int):
            _check_year(span, year, at)
        if span in seen:
            raise problem(f"date {_iso(span)} is given twice", "remove the repeated date", at)
        seen.add(span)
    return tuple(spans)


def _span(item: Any, at: int | None) -> DateSpan:
    """One date or range of a `dates` value."""
    if not isinstance(item, str):
        raise problem(
            "a date must be YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD",
            "write one date or range per list item",
            at,
        )
    try:
        return parse_span(item)
    except ValueError as error:
        raise problem(*_date_advice(item, str(error)), at) from None


DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def _date_advice(item: str, reason: str) -> tuple[str, str]:
    """The message and hint for a date that cannot be read, shown in the form to write."""
    day_first = DAY_FIRST.match(item)
    if day_first:
        day, month, year = (int(part) for part in day_first.groups())
        if month > 12 >= day:  # written month first
            day, month = month, day
        return f"not a date: '{item.strip()}'", f"write it as {year:04d}-{month:02d}-{day:02d}"
    parts = [part.strip() for part in re.split(r"[,;]|\s+and\s+", item) if part.strip()]
    if len(parts) > 1 and all(_readable(part) for part in parts):
        listed = ", ".join(parts)
        return f"'{item.strip()}' is several dates", f"write them as a list: [{listed}]"
    return reason, "write dates as YYYY-MM-DD, ranges as YYYY-MM-DD/YYYY-MM-DD"


def _readable(text: str) -> bool:
    """Whether a text is one date or range as the data writes them."""
    try:
        parse_span(text)
    except ValueError:
        return False
    return True


def _check_year(span: DateSpan, year: int, at: int | None) -> None:
    """A problem naming the end of the span that falls outside the year, if one does."""
    outside = next((day for day in (span.start, span.end) if day.year != year), None)
    if outside is not None:
        raise problem(
            f"{outside.isoformat()} is outside the issue's year {year}",
            "check the year, or move the event to its own year's file",
            at,
        )


def _iso(span: DateSpan) -> str:
    """A span written as the data writes it: 2020-06-30 or 2020-03-01/2020-03-02."""
    if span.is_day:
        return span.start.isoformat()
    return f"{span.start.isoformat()}/{span.end.isoformat()}"


def _period(value: Any, context: dict[str, Any]) -> DateSpan:
    spans = _dates(value, context)
    if len(spans) != 1:
        raise problem("`period` is one range", "write it as YYYY-MM-DD/YYYY-MM-DD")
    return spans[0]


Text = Annotated[str, Field(max_length=20_000), AfterValidator(_text)]
Url = Annotated[str, AfterValidator(_url)]
MechanismKey = Annotated[str, AfterValidator(_mechanism)]
Dates = Annotated[tuple[DateSpan, ...], BeforeValidator(_dates)]
Period = Annotated[DateSpan, BeforeValidator(_period)]


class Publisher(Record):
    organisation: Text
    department: Text
    division: Text
    email: Annotated[str, AfterValidator(_email)]


Email = Annotated[str, AfterValidator(_email)]


class Mail(Record):
    """`mail:` in `data/bulletin.yaml`: who the e-mailed issue comes from (bulletin mail)."""

    sender: Email = Field(alias="from")
    sender_name: Text | None = Field(default=None, alias="from_name")
    reply_to: Email | None = None
    unsubscribe: Email | None = None


class Settings(Record):
    """`data/bulletin.yaml`: what stays the same from issue to issue."""

    kind: Literal["iscm"] = "iscm"  # the kind of bulletin (read first by generator.kinds)
    title: Text
    file_name: Annotated[str, Field(pattern=r"^[A-Za-z0-9._{}-]+$"), AfterValidator(_file_name)] = (
        "bulletin-{year}"
    )
    subject: Text
    keywords: list[Text] = []
    locale: Annotated[str, AfterValidator(_locale)] = "en_GB"
    publisher: Publisher
    mail: Mail | None = None


class Mechanism(Record):
    """An entry of `data/mechanisms.yaml`."""

    name: Text
    acronym: Text | None = None
    short: Text | None = None
    website: Url | None = None

    @property
    def heading(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def label(self) -> str:
        return self.short or self.acronym or self.name


class Session(Record):
    dates: Dates
    place: Text | None = None


class Event(Record):
    """An event: structured (title, dates or sessions, place, summary) or free `text`."""

    title: Text | None = None
    dates: Dates | None = None
    place: Text | None = None
    sessions: Annotated[list[Session], Field(min_length=1)] | None = None
    summary: Text | None = None
    text: Text | None = None

    @record_check
    def _one_form(self) -> "Event":
        structured = [self.title, self.dates, self.place, self.sessions, self.summary]
        if self.text is not None:
            if any(value is not None for value in structured):
                raise problem(
                    "an event has either `text` or title/dates/place/summary, not both",
                    "move the words into `summary`, or drop `text`",
                )
            return self
        if self.title is None and self.summary is None:
            raise problem(
                "an event without a `title` needs a `summary` of what it addressed",
                "add `title:` or `summary:`, or write the event as free `text:`",
            )
        if (self.dates is None) == (self.sessions is None):
            raise problem(
                "an event needs `dates` or `sessions` (one of them)",
                "add `dates: YYYY-MM-DD`, or use `text:` for an undated entry",
            )
        if self.sessions is not None and self.place is not None:
            raise problem(
                "with `sessions`, give each session its own place", "move `place` into the sessions"
            )
        return self


def _once_each(keys: list[str]) -> list[str]:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise problem(f"mechanism '{key}' is listed twice", "list each mechanism once")
        seen.add(key)
    return keys


class Theme(Record):
    """A row of the initiatives or thematic-areas table."""

    name: Text
    mechanisms: Annotated[list[MechanismKey], Field(min_length=1), AfterValidator(_once_each)]


class Publication(Record):
    title: Text
    mechanism: MechanismKey | None = None
    publisher: Text | None = None
    url: Url

    @record_check
    def _one_source(self) -> "Publication":
        if self.mechanism and self.publisher:
            raise problem("a publication has a `mechanism` or a `publisher`, not both", "keep one")
        return self


class Link(Record):
    label: Text
    url: Url


class ClosingLine(Record):
    label: Text
    links: list[Link] = Field(min_length=1)


class Feature(Record):
    title: Text
    paragraphs: list[Text] = Field(min_length=1)


class MechanismInIssue(Record):
    """`mechanisms.<key>` of a year file: how one issue prints a mechanism, where it differs
    from the registry (its name, acronym or short name, and its place in the order)."""

    name: Text | None = None
    acronym: Text | None = None
    short: Text | None = None
    sort_as: Text | None = None


def _nothing_as(empty: Any) -> BeforeValidator:
    """A key written with nothing after it (a fresh file's `events:`) holds no items."""
    return BeforeValidator(lambda value: type(empty)() if value is None else value)


class Year(Record):
    """`data/<year>.yaml`: one issue."""

    year: Annotated[int, _whole_number(1900, 2999, "write the year in full, such as 2020")]
    issue: Annotated[int, _whole_number(1, 3999, "the issue is printed as a roman numeral")]
    period: Period
    mechanisms: Annotated[dict[MechanismKey, MechanismInIssue], _nothing_as({})] = {}
    notes: Annotated[dict[MechanismKey, Text], _nothing_as({})] = {}
    events: Annotated[
        dict[MechanismKey, Annotated[list[Event], Field(min_length=1)]], _nothing_as({})
    ] = {}
    features: Annotated[list[Feature], _nothing_as([])] = []
    global_initiatives: Annotated[list[Theme], _nothing_as([])] = []
    thematic_areas: Annotated[list[Theme], _nothing_as([])] = []
    publications: Annotated[list[Publication], _nothing_as([])] = []
    closing: Annotated[list[ClosingLine], _nothing_as([])] = []
