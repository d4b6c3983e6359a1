"""The 2020 issue as data/ holds it: counts and spot checks against the published bulletin."""

from __future__ import annotations

import datetime as dt

from generator.dates import DateSpan
from generator.kinds.iscm.validate import Issue


def span(start: str, end: str | None = None) -> DateSpan:
    return DateSpan(dt.date.fromisoformat(start), dt.date.fromisoformat(end or start))


def test_issue_number_year_and_period(issue_2020: Issue) -> None:
    year = issue_2020.year
    assert (year.year, year.issue) == (2020, 6)
    assert year.period == span("2020-01-01", "2020-12-31")


def test_mechanisms_with_events_and_in_the_registry(issue_2020: Issue) -> None:
    assert len(issue_2020.year.events) == 20
    assert len(issue_2020.registry) == 23
    assert set(issue_2020.registry) - set(issue_2020.year.events) == {"Colombo", "COMMIT", "PIDC"}


def test_theme_rows_and_publications(issue_2020: Issue) -> None:
    year = issue_2020.year
    assert len(year.global_initiatives) == 3
    assert len(year.thematic_areas) == 18
    assert len(year.publications) == 8
    assert len(year.features) == 1 and len(year.features[0].paragraphs) == 3
    assert [len(line.links) for line in year.closing] == [2, 1]


def test_event_counts(issue_2020: Issue) -> None:
    events = [e for events in issue_2020.year.events.values() for e in events]
    assert len(events) == 44
    assert sum(1 for e in events if e.text is not None) == 11
    assert len(issue_2020.year.events["Bali"]) == 2
    assert len(issue_2020.year.events["Budapest"]) == 4


def test_covid_row(issue_2020: Issue) -> None:
    covid = next(t for t in issue_2020.year.thematic_areas if t.name == "COVID-19")
    assert covid.mechanisms == [
        "Budapest",
        "CMC",
        "GFMD",
        "IGC",
        "Khartoum",
        "OCAM",
        "Prague",
        "RCM",
        "RIAM",
        "SACM",
    ]


def test_notes(issue_2020: Issue) -> None:
    assert issue_2020.year.notes == {
        "OCAM": "30th anniversary of OCAM",
        "SACM": "20th anniversary of SACM",
    }


def test_five_plus_five(issue_2020: Issue) -> None:
    (event,) = issue_2020.year.events["5+5"]
    assert event.title == "8th Ministerial Conference on Migration and Development"
    assert event.dates == (span("2020-03-01", "2020-03-02"),)
    assert event.place == "Rabat, Morocco"
    assert event.summary is not None
    assert event.summary.startswith("addressed shared responsibility and partnership")


def test_dates_keep_the_order_written(issue_2020: Issue) -> None:
    som = issue_2020.year.events["IGC"][0]
    assert som.dates == (span("2020-12-10"), span("2020-11-30"), span("2020-10-29"))


def test_sessions(issue_2020: Issue) -> None:
    meetings = issue_2020.year.events["Rabat"][0]
    assert meetings.dates is None and meetings.place is None
    assert meetings.sessions is not None
    assert [(s.dates, s.place) for s in meetings.sessions] == [
        ((span("2020-02-18"),), "Brussels, Belgium"),
        ((span("2020-10-28"),), "virtual"),
    ]


def test_free_text_event(issue_2020: Issue) -> None:
    event = issue_2020.year.events["Khartoum"][2]
    assert event.text == "Two **webinars** addressed COVID-19."
    assert (event.title, event.dates, event.summary) == (None, None, None)


def test_every_date_is_in_2020(issue_2020: Issue) -> None:
    for events in issue_2020.year.events.values():
        for event in events:
            spans = list(event.dates or ())
            for session in event.sessions or ():
                spans.extend(session.dates)
            assert (event.text is None) == bool(spans)
            for s in spans:
                assert s.start.year == s.end.year == 2020
                assert s.start <= s.end


def test_registry_entries(issue_2020: Issue) -> None:
    registry = issue_2020.registry
    assert registry["5+5"].heading == "5+5 Dialogue on Migration in the Western Mediterranean"
    assert registry["5+5"].label == "5+5 Migration Dialogue"
    assert registry["ADD"].heading == "Abu Dhabi Dialogue (ADD)"
    assert registry["ADD"].label == "ADD"
    assert registry["Bali"].heading == registry["Bali"].label == "Bali Process"
    assert registry["Colombo"].label == "Colombo Process"


def test_publication_sources(issue_2020: Issue) -> None:
    first, second = issue_2020.year.publications[:2]
    assert (first.publisher, first.mechanism) == ("IOM", None)
    assert (second.publisher, second.mechanism) == (None, "Bali")
    assert all(p.url.startswith(("https://", "http://")) for p in issue_2020.year.publications)


def test_settings(issue_2020: Issue) -> None:
    settings = issue_2020.settings
    assert settings.title == "ISCM {year} Highlights"
    assert settings.locale == "en_GB"
    assert settings.file_name == "iscm-highlights-{year}"
    assert settings.publisher.email == "grcp@iom.int"
