"""The one-screen summary `bulletin check` prints for valid data."""

from __future__ import annotations

from ...dates import DateSpan, word_spans
from .validate import Issue


def summarise(issue: Issue) -> str:
    """What an issue holds: mechanisms, events, themes, publications, date span."""
    year = issue.year
    events = [event for events in year.events.values() for event in events]
    spans: list[DateSpan] = []
    for event in events:
        spans.extend(event.dates or ())
        for session in event.sessions or ():
            spans.extend(session.dates)
    first = min(spans).start if spans else None
    last = max(s.end for s in spans) if spans else None
    span = word_spans((DateSpan(first, last),), issue.settings.locale) if first and last else "-"
    links = sum(len(line.links) for line in year.closing)
    rows = [
        f"{issue.source.file}: ok",
        f"  issue          {year.issue} ({year.year})",
        f"  mechanisms     {len(year.events)} with events ({len(issue.registry)} in the registry)",
        f"  events         {len(events)} ({sum(1 for e in events if e.text is None)} dated)",
        f"  date span      {span}",
        f"  features       {len(year.features)}",
        f"  initiatives    {_rows(len(year.global_initiatives))}",
        f"  thematic areas {_rows(len(year.thematic_areas))}",
        f"  publications   {len(year.publications)}",
        f"  closing links  {links}",
    ]
    return "\n".join(rows)


def _rows(count: int) -> str:
    """'1 row', '3 rows'."""
    return f"{count} row{'' if count == 1 else 's'}"
