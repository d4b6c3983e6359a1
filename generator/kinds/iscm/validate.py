"""Load and check the three data files of an issue; report every problem at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from ... import sources
from ...errors import BulletinError, Problem, shown_path
from ...schema import translate
from ...sources import Source
from .data import Mechanism, Settings, Year

ModelT = TypeVar("ModelT")
Checked = tuple[ModelT, Source] | None
"""A validated value with its source, or None when the file had problems."""


@dataclass(frozen=True)
class Issue:
    """Everything one bulletin issue is built from, validated."""

    settings: Settings
    registry: dict[str, Mechanism]
    year: Year
    source: Source


def load_issue(data_dir: Path, year: str) -> Issue:
    """Load bulletin.yaml, mechanisms.yaml and <year>.yaml, or raise every problem."""
    problems: list[Problem] = []
    settings: Checked[Settings] = _checked(
        _loaded(data_dir / "bulletin.yaml", problems), Settings, {}, problems
    )
    registry_source = _loaded(data_dir / "mechanisms.yaml", problems)
    registry: Checked[dict[str, Mechanism]] = _checked(
        registry_source, dict[str, Mechanism], {}, problems
    )
    file_year = int(year) if year.isdigit() else None
    context = {"registry": _registry_keys(registry_source), "year": file_year}
    issue: Checked[Year] = _checked(
        _loaded(data_dir / f"{year}.yaml", problems), Year, context, problems
    )
    if issue:
        problems.extend(_cross_check(issue[0], issue[1], file_year))
    if problems or not (settings and registry and issue):
        raise BulletinError(problems)
    return Issue(settings[0], registry[0], issue[0], issue[1])


def _registry_keys(source: Source | None) -> tuple[str, ...] | None:
    """The mechanism keys the registry file names, even if some entries are wrong.

    None when the file could not be read as a mapping: keys are then not checked at all,
    rather than every one of them reported as unknown.
    """
    if source is None or not isinstance(source.value, dict):
        return None
    return tuple(source.value)


def _loaded(path: Path, problems: list[Problem]) -> Source | None:
    """Load one file; add its problems to the list and return None if it cannot be read."""
    try:
        source = sources.load(path, shown_path(path))
    except BulletinError as error:
        problems.extend(error.problems)
        return None
    problems.extend(source.problems)
    return source


def _checked(
    source: Source | None,
    model: Any,
    context: dict[str, Any],
    problems: list[Problem],
) -> Checked[Any]:
    """Validate one loaded file; add its problems to the list and return None if any."""
    if source is None:
        return None
    try:
        value = TypeAdapter(model).validate_python(source.value, context=context)
    except ValidationError as error:
        problems.extend(translate(error, source))
        return None
    return (value, source) if not source.problems else None


def _cross_check(year: Year, source: Source, file_year: int | None) -> list[Problem]:
    found = []
    if file_year is not None and year.year != file_year:
        found.append(
            source.problem(
                ("year",),
                f"year {year.year} in the file for {file_year}",
                f"write year: {file_year}, or rename the file",
            )
        )
    for key in year.notes:
        if key not in year.events:
            found.append(
                source.problem(
                    ("notes", key),
                    f"a note for '{key}', which has no events this year",
                    "add its events or remove the note",
                    key=True,
                )
            )
    return found + _period_problems(year, source)


def _period_problems(year: Year, source: Source) -> list[Problem]:
    """The period is whole months, and every dated event falls within it."""
    period = year.period
    found = []
    if period.start.day != 1 or (period.end + dt.timedelta(days=1)).day != 1:
        found.append(
            source.problem(
                ("period",),
                "a period runs from the first day of a month to the last day of a month",
                "it is printed as months: January – December",
            )
        )
    for key, events in year.events.items():
        for i, event in enumerate(events):
            spans = [*(event.dates or ())]
            spans += [span for session in event.sessions or () for span in session.dates]
            if any(s.start < period.start or s.end > period.end for s in spans):
                where = ("dates",) if event.dates else ("sessions",)
                found.append(
                    source.problem(
                        ("events", key, i, *where),
                        "a date outside the issue's period",
                        "move the event, or widen `period`",
                    )
                )
    return found
