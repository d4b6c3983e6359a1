"""Events an editor added in the Word file, proposed in the data's own form.

A paragraph in the Event style among a mechanism's events is read as the writer words an
event: the title (in the Event Title style), then after a comma the dates as the bulletin
words them, the place, and what the event addressed (its summary). Dates are read back only
when, worded again, they read as the paragraph does; the place only when the data already
names it for another event, or it is written in capitals ('Geneva, Switzerland'). An added
paragraph whose dates cannot be read is proposed as free `text`, as the data allows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError

from ...dates import DateSpan, read_worded
from ...errors import format_path
from ...markup_back import markup, merged
from ...sources import Source, load_text
from ...writers.docx.reader import Piece, ShownParagraph, pieces_between
from .identity import Changed, locate, value_at

DAY_OR_RANGE = re.compile(r"\d{4}-\d\d-\d\d(/\d{4}-\d\d-\d\d)?")
SEPARATOR = re.compile(r", ")
ENDING = (".", "!", "?", "…")


@dataclass(frozen=True)
class NewEvent:
    """A proposed event: where it goes in the data, and its keys in the data's order."""

    file: str
    line: int
    column: int
    mechanism: str
    position: int
    """Its place in the mechanism's list of events once added."""
    after: int
    """How many of the events the data has now come before it."""
    record: dict[str, Any]

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        path = format_path(("events", self.mechanism, self.position))
        shown = ", ".join(f"{key}: {_shown(value)}" for key, value in self.record.items())
        note = " (no dates found in it: proposed as free text)" if "text" in self.record else ""
        return f"{where}: {path}: new event proposed: {shown}{note}"


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return value if DAY_OR_RANGE.fullmatch(value) else json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Reading:
    """What reading an added event needs: the issue's year, its locale, the places named."""

    year: int
    locale: str
    places: tuple[str, ...]


def reading(current: Source, settings: Any) -> Reading:
    """How to read events added to the data `current` (settings: bulletin.yaml's value)."""
    year = current.value.get("year") if isinstance(current.value, dict) else None
    locale = settings.get("locale", "en_GB") if isinstance(settings, dict) else "en_GB"
    try:
        locale = str(Locale.parse(str(locale).replace("-", "_")))
    except (ValueError, TypeError, UnknownLocaleError):
        locale = "en_GB"
    places = {
        " ".join(str(value).split())
        for path, value in _texts(current.value, ())
        if path and path[-1] == "place"
    }
    number = int(str(year)) if str(year).isdigit() else 0
    return Reading(number, locale, tuple(places))


def _texts(value: Any, path: tuple) -> list[tuple[tuple, Any]]:
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, (*path, k))]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _texts(v, (*path, i))]
    return [(path, value)]


def new_event(
    found: list[ShownParagraph],
    k: int,
    ledger: dict,
    current: Source,
    read: Reading,
    paired: dict[int, dict],
) -> NewEvent | None:
    """A paragraph added in the Event style among a mechanism's events, as a new event of
    that mechanism after the event before it (None: not such a paragraph). `paired`: the
    paragraphs as built that the found ones were paired with (their marks, when lost)."""
    added = found[k]
    if added.style != "Event" or added.marks:
        return None
    place = _event_place(found, k, ledger, paired)
    if place is None:
        return None
    mechanism, position = _moved_place(*place, ledger, current)
    events = value_at(current.value, ("events", mechanism))
    if not isinstance(events, list):
        return None
    position = min(position, len(events))
    at = ("events", mechanism, position - 1) if position else ("events", mechanism)
    line, column = current.where(at)
    record = event_record(added.pieces, read)
    return NewEvent(current.file, line, column, mechanism, position, position, record)


def _moved_place(
    mechanism: str, position: int, anchor: int | None, ledger: dict, current: Source
) -> tuple[str, int]:
    """A new event's place counted in the data now: next to the same event it stood next to
    in the file (events inserted, deleted or moved in the data since the build)."""
    if anchor is None:
        return mechanism, position
    built = load_text(ledger["data"], current.file).value
    at = locate(("events", mechanism, anchor), built, current.value)
    index = at.now[2] if isinstance(at, Changed) else at[2] if isinstance(at, tuple) else None
    if not isinstance(index, int):
        return mechanism, position
    return mechanism, index + (position - anchor)


def already_in(current: Source, added: NewEvent) -> bool:
    """Whether the data already holds the event (pulled and applied before)."""
    events = value_at(current.value, ("events", added.mechanism)) or []
    return any(isinstance(e, dict) and _same(e, added.record) for e in events)


def _same(event: dict, record: dict[str, Any]) -> bool:
    keys = ("title", "summary", "text")
    return all(" ".join(str(event.get(k, "")).split()) == record.get(k, "") for k in keys)


def _event_place(
    found: list[ShownParagraph], k: int, ledger: dict, paired: dict[int, dict]
) -> tuple[str, int, int | None] | None:
    """The mechanism and position of a paragraph added at `k`: after the event or note
    before it, unless a mechanism's name comes between; else before the event after it."""
    for step, edge in ((-1, -1), (1, len(found))):
        j = k + step
        while j != edge:
            paragraph = found[j]
            marks = paragraph.marks or paired.get(j, {}).get("marks", [])
            if paragraph.style.startswith("Mechanism") and not marks:
                break  # another mechanism's name
            if marks:
                path = ledger["marks"].get(marks[0], {}).get("path", [])
                if path[:1] == ["events"] and len(path) > 2:
                    return path[1], path[2] + 1 if step < 0 else path[2], path[2]
                if path[:1] == ["notes"] and step < 0:
                    return path[1], 0, None
                break
            j += step
    return None


def event_record(pieces: list[Piece], read: Reading) -> dict[str, Any]:
    """An added event's keys: title (its opening Event Title words), dates, place and
    summary; else its `text` (the title in bold, the rest as written, with the markup of any
    other bold, italic or link)."""
    parts = merged(pieces)
    text = "".join(p.text for p in parts)
    if not parts or not parts[0].bold or parts[0].url:
        return {"text": _one_line(markup(pieces))}
    title = _one_line(parts[0].text)
    rest_at = len(parts[0].text)
    rest = text[rest_at:]
    lead = len(rest) - len(rest.lstrip(" ,;:\u00a0\u202f\t"))
    found = _details(rest[lead:], read)
    if not title or found is None:
        return {"text": _one_line(markup(pieces))}
    dates, place, summary_at = found
    record: dict[str, Any] = {"title": title}
    record["dates"] = dates[0] if len(dates) == 1 else dates
    if place:
        record["place"] = place
    start = rest_at + lead + summary_at
    summary = _one_line(markup(pieces_between(pieces, start, len(text))))
    if summary and summary not in ENDING:
        record["summary"] = summary
    return record


def _details(rest: str, read: Reading) -> tuple[list[str], str, int] | None:
    """The dates (as the data writes them), the place and where the summary starts in the
    text after an added event's title; None when no dates open it."""
    if not read.year:
        return None
    cuts = [m.start() for m in SEPARATOR.finditer(rest)] + [len(rest)]
    for cut in reversed(cuts):  # the longest opening that reads as dates
        worded = rest[:cut].rstrip(".")
        spans = read_worded(worded, read.year, read.locale)
        if spans is not None:
            break
    else:
        return None
    dates = [_written(span) for span in spans]
    after = cut + 2 if cut < len(rest) else len(rest)
    place, taken = _place(rest[after:], read.places)
    return dates, place, after + taken


def _place(text: str, known: tuple[str, ...]) -> tuple[str, int]:
    """The place opening `text` and how much of the text it takes (with the comma after)."""
    plain = " ".join(text.split())
    for place in sorted(known, key=len, reverse=True):
        if plain == place or plain.rstrip(".") == place or plain.startswith(place + ", "):
            return place, min(len(text), _span_of(text, place) + 2)
    parts = text.split(", ")
    named = []
    for part in parts[:-1] if len(parts) > 1 else parts:
        if not part[:1].isupper():
            break
        named.append(part)
    if not named:
        return "", 0
    if len(named) == len(parts):  # the place ends the paragraph: its full stop is wording
        named[-1] = named[-1].rstrip(".")
    place = ", ".join(named)
    return " ".join(place.split()), min(len(text), len(", ".join(named)) + 2)


def _span_of(text: str, place: str) -> int:
    """How many characters of `text` (spaced as it is) show `place`."""
    seen = 0
    for at, char in enumerate(text):
        if not char.isspace():
            seen += 1
        if seen == len(place.replace(" ", "")):
            return at + 1
    return len(text)


def _written(span: DateSpan) -> str:
    if span.is_day:
        return span.start.isoformat()
    return f"{span.start.isoformat()}/{span.end.isoformat()}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
