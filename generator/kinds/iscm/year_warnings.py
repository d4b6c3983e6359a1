"""What a year file may hold by mistake, though it builds: the warnings about an issue's data.

- a feature or publication text names a year other than the issue's (copied from last year?);
- a theme row names a mechanism with no event this year;
- a mechanism has events but is in no theme row;
- a section the layout prints is left empty by the data (a fresh file: nothing to print yet).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ... import inline
from ...errors import KeyPath, Problem

if TYPE_CHECKING:
    from ...layout import Layout
    from .validate import Issue

YEAR_IN_TEXT = re.compile(r"(?<![\d.,/-])(1[89]\d\d|2\d\d\d)(?![\d.,/]\d)")

# The data keys each section of a layout prints (a section is left out when all are empty).
SECTION_DATA = {
    "events": ("events",),
    "feature": ("features",),
    "themes": ("global_initiatives", "thematic_areas"),
    "chart": ("thematic_areas",),
    "publications": ("publications",),
    "closing": ("closing",),
}


def year_warnings(issue: Issue, layout: Layout) -> list[Problem]:
    """Every warning about the data of one issue."""
    return [
        *_other_years(issue),
        *_rows_without_events(issue),
        *_events_without_rows(issue),
        *_empty_sections(issue, layout),
    ]


def _texts_with_years(issue: Issue) -> Iterator[tuple[KeyPath, str]]:
    """The texts of the features and publications, with their key paths."""
    year = issue.year
    for i, feature in enumerate(year.features):
        yield ("features", i, "title"), feature.title
        for j, paragraph in enumerate(feature.paragraphs):
            yield ("features", i, "paragraphs", j), paragraph
    for i, publication in enumerate(year.publications):
        yield ("publications", i, "title"), publication.title
        if publication.publisher:
            yield ("publications", i, "publisher"), publication.publisher


def _other_years(issue: Issue) -> Iterator[Problem]:
    own = str(issue.year.year)
    for path, text in _texts_with_years(issue):
        others = sorted({y for y in YEAR_IN_TEXT.findall(inline.plain(text)) if y != own})
        if others:
            named = " and ".join(others)
            yield issue.source.problem(
                path,
                f"the text names {named}, not the issue's year {own}",
                "left over from another issue? Correct it, or leave it if it is meant",
            )


THEME_TABLES = ("global_initiatives", "thematic_areas")


def _rows_without_events(issue: Issue) -> Iterator[Problem]:
    """One warning per mechanism with no event that rows name, at the first row naming it."""
    places: dict[str, list[KeyPath]] = {}
    for table in THEME_TABLES:
        for i, row in enumerate(getattr(issue.year, table)):
            for j, key in enumerate(row.mechanisms):
                if key not in issue.year.events:
                    places.setdefault(key, []).append((table, i, "mechanisms", j))
    for key, paths in places.items():
        rows = f"{len(paths)} theme rows name" if len(paths) > 1 else "a theme row names"
        yield issue.source.problem(
            paths[0],
            f"'{key}' has no events this year, but {rows} it",
            "add its events, or remove it from the rows",
        )


def _events_without_rows(issue: Issue) -> Iterator[Problem]:
    rows = [row for table in THEME_TABLES for row in getattr(issue.year, table)]
    if not rows:
        return  # no theme tables at all: that is the empty-section warning's to say
    in_rows = {key for row in rows for key in row.mechanisms}
    for key in issue.year.events:
        if key not in in_rows:
            yield issue.source.problem(
                ("events", key),
                f"'{key}' has events but is in no row of global_initiatives or thematic_areas",
                "add it to the rows of the themes its events addressed",
                key=True,
            )


def _empty_sections(issue: Issue, layout: Layout) -> Iterator[Problem]:
    """One warning per part of the data the layout prints but the data leaves empty; only
    one, that there is nothing to print yet, for a file without events (a fresh one)."""
    if not issue.year.events:
        yield _empty_section(issue, layout.name, ("events",))
        return
    warned: set[str] = set()
    for section in layout.spec.sections:
        keys = SECTION_DATA.get(section, ())
        if not keys or warned & set(keys) or any(getattr(issue.year, k) for k in keys):
            continue
        warned.update(keys)
        yield _empty_section(issue, layout.name, keys)


def _empty_section(issue: Issue, layout: str, keys: tuple[str, ...]) -> Problem:
    named = " or ".join(f"`{key}`" for key in keys)
    if keys == ("events",):
        message = "nothing to print yet: no events"
        hint = "add each mechanism's events under `events:`, see docs/making-an-issue.md"
    else:
        message = f"nothing in {named}, which the layout '{layout}' prints"
        hint = "fill it in, or leave it empty if this issue has none"
    return issue.source.problem((keys[0],), message, hint, key=True)
