"""Seeded bulletin data of any size, for property tests, hostile cases and benchmarks.

`bulletin_data(seed, mechanisms, events)` returns the three YAML documents of an issue as
plain Python values, keyed by file name (`bulletin.yaml`, `mechanisms.yaml`, `2020.yaml`);
`write_data(folder, documents)` writes them. The same seed gives the same data. Every value
is valid: the result passes `bulletin check 2020`.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

YEAR = 2020
YEAR_FILE = f"{YEAR}.yaml"

WORDS = (
    *("migration", "dialogue", "regional", "ministerial", "conference", "labour", "mobility"),
    *("protection", "return", "reintegration", "partnership", "border", "management", "data"),
    *("governance", "climate", "youth", "diaspora", "trafficking", "smuggling", "remittances"),
    *("integration", "health", "consultation", "review", "workshop", "meeting", "webinar"),
    *("committee", "declaration", "cooperation", "policy", "network", "summit", "forum"),
)
ACCENTED = (
    *("Ñúñez", "Øresund", "Łódź", "Œuvre", "Straße", "İzmir", "São", "Tomé", "Kraków"),
    *("Malmö", "Zürich", "Škoda", "Ærø"),
)
PLACES = ("Rabat, Morocco", "Bangkok, Thailand", "Genève, Suisse", "virtual", "São Paulo, Brazil")
HOSTILE = (
    "&",
    "R&D",
    "<b>",
    "</b>",
    '<a href="https://example.org">',
    '"quoted"',
    "it's",
    "{{ year }}",
    "{{ 7*7 }}",
    "{",
    "}",
    "{% if %}",
    "50% & 'more'",
)
MARKS = set("*_[]\\")
"""The characters of inline markup."""
MARKUP = ("x*y", "snake_case", "[note]", "a]b[c", "*emphasis*", "**strong**")
"""Inline markup: in data texts only, not in names (see `Writer.markup`)."""


class Writer:
    """Makes random but valid texts, dates and keys from one random source."""

    def __init__(
        self,
        rng: random.Random,
        hostile: bool = True,
        presence: float | None = None,
        extra: Sequence[str] = (),
    ) -> None:
        self.rng = rng
        self.hostile = hostile
        self.presence = presence
        """How often an optional field is given: None for each field's own rate."""
        self.extra = tuple(extra)
        """More words to use (a property test's drawn text)."""
        self.markup = True
        """Whether texts may hold inline markup: not a mechanism's name, printed as written."""

    def word(self) -> str:
        """A word: drawn, hostile (markup, templates, a long word), accented or plain."""
        extra = [w for w in self.extra if self.markup or not set(w) & MARKS]
        if extra and self.maybe(0.25):
            return self.rng.choice(extra)
        roll = self.rng.random()
        if self.hostile and roll < 0.12:
            hostile = (
                [*HOSTILE, *MARKUP] if self.markup else [w for w in HOSTILE if not set(w) & MARKS]
            )
            return self.rng.choice(hostile)
        if roll < 0.22:
            return self.rng.choice(ACCENTED)
        if self.hostile and roll < 0.24:
            size = self.rng.randint(30, 90)
            return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyzé") for _ in range(size))
        return self.rng.choice(WORDS)

    def text(self, low: int, high: int) -> str:
        """A few words; the first is always a plain word, so the text is never empty."""
        words = [self.rng.choice(WORDS), *(self.word() for _ in range(self.rng.randint(low, high)))]
        return " ".join(words)

    def maybe(self, probability: float = 0.5) -> bool:
        return self.rng.random() < probability

    def optional(self, probability: float) -> bool:
        """Whether to give an optional field (at the writer's `presence`, if it has one)."""
        return self.maybe(probability if self.presence is None else self.presence)

    def day(self) -> dt.date:
        return dt.date(YEAR, 1, 1) + dt.timedelta(days=self.rng.randrange(366))

    def span(self) -> str:
        start = self.day()
        if self.maybe(0.6):
            return start.isoformat()
        end = min(start + dt.timedelta(days=self.rng.randint(1, 40)), dt.date(YEAR, 12, 31))
        return f"{start.isoformat()}/{end.isoformat()}" if end > start else start.isoformat()

    def dates(self) -> str | list[str]:
        if self.maybe(0.7):
            return self.span()
        spans = {self.span() for _ in range(self.rng.randint(2, 4))}
        return sorted(spans, key=lambda _: self.rng.random())


def mechanism_keys(count: int) -> list[str]:
    """Registry keys, some with the characters real keys have (+, -, spaces)."""
    odd = ("5+5", "AU-HoAI", "MID IGAD", "R&D", "Ñ-key")
    return [odd[i] if i < len(odd) and i % 2 else f"M{i + 1:03d}" for i in range(count)]


def registry(writer: Writer, keys: Sequence[str]) -> dict[str, Any]:
    writer.markup = False
    result: dict[str, Any] = {}
    for key in keys:
        entry: dict[str, Any] = {"name": writer.text(1, 6)}
        if writer.optional(0.5):
            entry["acronym"] = writer.text(0, 0).upper()[:8]
        if writer.optional(0.3):
            entry["short"] = writer.text(0, 2)
        if writer.optional(0.3):
            entry["website"] = f"https://example.org/{key.replace(' ', '-')}"
        result[key] = entry
    writer.markup = True
    return result


def event(writer: Writer) -> dict[str, Any]:
    roll = writer.rng.random()
    if roll < 0.1:
        writer.markup = False  # inside ** **, a markup character would unbalance it
        strong = " ".join(writer.text(0, 2).split())  # '** x **' would not be bold
        writer.markup = True
        return {"text": f"Two **{strong}** {writer.text(2, 12)}."}
    item: dict[str, Any] = {"title": writer.text(1, 8)}
    if roll < 0.25:
        item["sessions"] = [session(writer) for _ in range(writer.rng.randint(1, 3))]
    else:
        item["dates"] = writer.dates()
        if writer.optional(0.7):
            item["place"] = writer.rng.choice(PLACES)
    if writer.optional(0.8):
        item["summary"] = f"{writer.rng.choice(('addressed', 'discussed'))} {writer.text(3, 30)}."
    return item


def session(writer: Writer) -> dict[str, Any]:
    item: dict[str, Any] = {"dates": writer.dates()}
    if writer.optional(0.7):
        item["place"] = writer.rng.choice(PLACES)
    return item


def themes(writer: Writer, keys: Sequence[str], count: int) -> list[dict[str, Any]]:
    return [
        {
            "name": writer.text(0, 4),
            "mechanisms": writer.rng.sample(list(keys), writer.rng.randint(1, min(6, len(keys)))),
        }
        for _ in range(count)
    ]


def year_file(writer: Writer, keys: Sequence[str], counts: Sequence[int]) -> dict[str, Any]:
    """One issue: events of every mechanism with a count above 0, and every other part."""
    events = {
        key: [event(writer) for _ in range(n)] for key, n in zip(keys, counts, strict=True) if n
    }
    notes = {key: writer.text(1, 6) for key in events if writer.optional(0.2)}
    data: dict[str, Any] = {
        "year": YEAR,
        "issue": writer.rng.randint(1, 40),
        "period": f"{YEAR}-01-01/{YEAR}-12-31",
    }
    if notes:
        data["notes"] = notes
    data["events"] = events
    if writer.optional(0.8):
        data["features"] = [
            {"title": writer.text(1, 5), "paragraphs": [writer.text(10, 60) for _ in range(2)]}
        ]
    if writer.optional(0.8):
        data["global_initiatives"] = themes(writer, keys, writer.rng.randint(1, 4))
    if writer.optional(0.9):
        data["thematic_areas"] = themes(writer, keys, writer.rng.randint(1, 12))
    if writer.optional(0.8):
        data["publications"] = [
            publication(writer, keys, i) for i in range(writer.rng.randint(1, 8))
        ]
    if writer.optional(0.8):
        data["closing"] = [
            {
                "label": writer.text(0, 3),
                "links": [
                    {"label": writer.text(0, 3), "url": f"https://example.org/closing/{i}/{j}"}
                    for j in range(writer.rng.randint(1, 3))
                ],
            }
            for i in range(writer.rng.randint(1, 3))
        ]
    return data


def publication(writer: Writer, keys: Sequence[str], number: int) -> dict[str, Any]:
    item: dict[str, Any] = {"title": writer.text(1, 10)}
    roll = writer.rng.random()
    if roll < 0.4:
        item["mechanism"] = writer.rng.choice(list(keys))
    elif roll < 0.7:
        item["publisher"] = writer.text(0, 2)
    item["url"] = f"https://example.org/publications/{number}?lang=en&v=1"
    return item


def settings() -> dict[str, Any]:
    return {
        "title": "Generated {year} Highlights",
        "file_name": "generated-{year}",
        "subject": "Generated test data for {year}",
        "keywords": ["test", "generated"],
        "locale": "en_GB",
        "publisher": {
            "organisation": "Organisation & Partners <test>",
            "department": "Department of {{ Curly }} Things",
            "division": "Division of Łódź [sic] & 50% {more}",
            "email": "news@example.org",
        },
    }


def documents(
    rng: random.Random,
    counts: Sequence[int],
    hostile: bool = True,
    presence: float | None = None,
    extra: Sequence[str] = (),
) -> dict[str, Any]:
    """The three documents with one mechanism per count and that many events each (at
    least one event in all); `presence` and `extra` as for `Writer`."""
    counts = list(counts) or [1]
    if not any(counts):
        counts[0] = 1
    writer = Writer(rng, hostile, presence, extra)
    keys = mechanism_keys(len(counts))
    return {
        "bulletin.yaml": settings(),
        "mechanisms.yaml": registry(writer, keys),
        YEAR_FILE: year_file(writer, keys, counts),
    }


def bulletin_data(seed: int, mechanisms: int, events: int) -> dict[str, Any]:
    """A valid issue for 2020 with `mechanisms` mechanisms of `events` events each (>= 1)."""
    return documents(random.Random(seed), [max(events, 1)] * max(mechanisms, 1))


def dump(value: Any) -> str:
    """YAML as an editor would write it: block style, Unicode kept, keys in order."""
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)


def write_data(folder: Path, data: Mapping[str, Any]) -> Path:
    """Write the documents of `bulletin_data` (by file name) into `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in data.items():
        (folder / name).write_text(dump(value), encoding="utf-8")
    return folder


def resampled(rng: random.Random, source: Mapping[str, Any], events: int) -> dict[str, Any]:
    """An issue made of a real one's parts (`source`: its three documents by file name): its
    registry and settings, `events` of its events drawn (with their texts, in a new order)
    for mechanisms drawn from its registry, and its features; no other part, as a fresh
    year file has them. Real texts make real line lengths, names and feature boxes."""
    year = source[YEAR_FILE]
    drawn = [event for found in year["events"].values() for event in found]
    keys = list(source["mechanisms.yaml"])
    rng.shuffle(keys)
    placed: dict[str, list[Any]] = {}
    left, turn = events, 0
    while left > 0:  # one to four events a mechanism, round the registry again if need be
        count = min(left, rng.randint(1, 4))
        key = keys[turn % len(keys)]
        placed.setdefault(key, []).extend(copy.deepcopy(rng.choice(drawn)) for _ in range(count))
        left, turn = left - count, turn + 1
    data = {key: year[key] for key in ("year", "issue", "period")}
    data |= {"events": placed, "features": copy.deepcopy(year["features"])}
    return {**source, YEAR_FILE: data}
