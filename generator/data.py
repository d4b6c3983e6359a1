"""Typed models of the bulletin's data: the settings, the registry of mechanisms, one year.

Validation context (`year`, `registry`) lets a field check what depends on other files:
a date outside the issue's year, a mechanism key missing from the registry.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .dates import DateSpan, parse_span
from .inline import check_url, links


def problem(message: str, hint: str = "") -> PydanticCustomError:
    """A validation error whose message and hint reach the editor unchanged."""
    return PydanticCustomError("bulletin", "{message}", {"message": message, "hint": hint})


def _text(value: str) -> str:
    if not value.strip():
        raise problem("the text is empty", "write the text or remove the key")
    for url in links(value):
        reason = check_url(url)
        if reason:
            raise problem(f"link {reason}", "links must start with http://, https:// or mailto:")
    return value


def _url(value: str) -> str:
    reason = check_url(value)
    if reason:
        raise problem(reason, "links must start with http://, https:// or mailto:")
    return value


def _email(value: str) -> str:
    local, _, domain = value.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in value):
        raise problem(f"'{value}' is not an e-mail address", "write it as name@example.org")
    return value


def _mechanism(value: str, info: ValidationInfo) -> str:
    registry: tuple[str, ...] = (info.context or {}).get("registry", ())
    if value not in registry:
        close = difflib.get_close_matches(value, registry, n=1, cutoff=0.5)
        folded = [key for key in registry if key.casefold() == value.casefold()]
        guess = folded or close
        hint = f"did you mean '{guess[0]}'?" if guess else "add it to data/mechanisms.yaml"
        raise problem(f"unknown mechanism '{value}'", hint)
    return value


def _dates(value: Any, info: ValidationInfo) -> tuple[DateSpan, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise problem("no dates given", "write at least one date, as YYYY-MM-DD")
    spans = []
    for item in items:
        if not isinstance(item, str):
            raise problem(
                "a date must be YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD",
                "write one date or range per list item",
            )
        try:
            spans.append(parse_span(item))
        except ValueError as error:
            raise problem(
                str(error), "write dates as YYYY-MM-DD, ranges as YYYY-MM-DD/YYYY-MM-DD"
            ) from None
    year = (info.context or {}).get("year")
    for span in spans:
        if isinstance(year, int) and not (span.start.year == span.end.year == year):
            raise problem(
                f"{span.start.isoformat()} is outside the issue's year {year}",
                "check the year, or move the event to its own year's file",
            )
    return tuple(spans)


def _period(value: Any, info: ValidationInfo) -> DateSpan:
    spans = _dates(value, info)
    if len(spans) != 1:
        raise problem("`period` is one range", "write it as YYYY-MM-DD/YYYY-MM-DD")
    return spans[0]


Text = Annotated[str, Field(max_length=20_000), AfterValidator(_text)]
Url = Annotated[str, AfterValidator(_url)]
MechanismKey = Annotated[str, AfterValidator(_mechanism)]
Dates = Annotated[tuple[DateSpan, ...], BeforeValidator(_dates)]
Period = Annotated[DateSpan, BeforeValidator(_period)]


class Record(BaseModel):
    """A mapping of the data: unknown keys are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Publisher(Record):
    organisation: Text
    department: Text
    division: Text
    email: Annotated[str, AfterValidator(_email)]


class Settings(Record):
    """`data/bulletin.yaml`: what stays the same from issue to issue."""

    title: Text
    file_name: Annotated[str, Field(pattern=r"^[A-Za-z0-9._{}-]+$")] = "bulletin-{year}"
    subject: Text
    keywords: list[Text] = []
    locale: str = "en_GB"
    publisher: Publisher


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
    sessions: list[Session] | None = None
    summary: Text | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Event:
        structured = [self.title, self.dates, self.place, self.sessions, self.summary]
        if self.text is not None:
            if any(value is not None for value in structured):
                raise problem(
                    "an event has either `text` or title/dates/place/summary, not both",
                    "move the words into `summary`, or drop `text`",
                )
            return self
        if self.title is None:
            raise problem("an event needs a `title` (or free `text`)", "add `title:`")
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


class Theme(Record):
    """A row of the initiatives or thematic-areas table."""

    name: Text
    mechanisms: list[MechanismKey] = Field(min_length=1)


class Publication(Record):
    title: Text
    mechanism: MechanismKey | None = None
    publisher: Text | None = None
    url: Url

    @model_validator(mode="after")
    def _one_source(self) -> Publication:
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


class Year(Record):
    """`data/<year>.yaml`: one issue."""

    year: int = Field(ge=1900, le=2999)
    issue: int = Field(ge=1, le=3999)
    period: Period
    notes: dict[MechanismKey, Text] = {}
    events: dict[MechanismKey, Annotated[list[Event], Field(min_length=1)]] = Field(min_length=1)
    features: list[Feature] = []
    global_initiatives: list[Theme] = []
    thematic_areas: list[Theme] = []
    publications: list[Publication] = []
    closing: list[ClosingLine] = []
