"""Load and check the three data files of an issue; report every problem at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ... import sources
from ...dates import to_roman
from ...errors import BulletinError, KeyPath, Problem, shown_path
from ...schema import EXPECTED, ValidationError, translate, validate
from ...sources import Source
from .data import Mechanism, Settings, Year, folded

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

    def mechanism(self, key: str) -> Mechanism:
        """A mechanism as this issue prints it: the registry's entry, with what the year
        file's `mechanisms` gives instead (a name, acronym or short name of that year)."""
        entry = self.registry[key]
        own = self.year.mechanisms.get(key)
        if own is None:
            return entry
        replaced: Mechanism = entry.replaced(**own.values(exclude={"sort_as"}))
        return replaced

    def sort_name(self, key: str) -> str:
        """The name a mechanism is filed under in this issue: `sort_as`, else its heading."""
        own = self.year.mechanisms.get(key)
        return own.sort_as if own and own.sort_as else self.mechanism(key).heading


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
    context = {
        "registry": _registry_keys(registry_source),
        "registry_names": _registry_names(registry_source),
        "year": file_year,
    }
    issue: Checked[Year] = _checked(
        _loaded(data_dir / f"{year}.yaml", problems), Year, context, problems
    )
    if issue:
        problems.extend(_cross_check(issue[0], issue[1], file_year))
    if problems or not (settings and registry and issue):
        raise BulletinError(problems)
    return Issue(settings[0], registry[0], issue[0], issue[1])


def _registry_keys(source: Source | None) -> dict[str, None] | None:
    """The mechanism keys the registry file names, even if some entries are wrong, in the
    file's order (a key is looked up at once: a year names thousands in a large bulletin).

    None when the file could not be read as a mapping: keys are then not checked at all,
    rather than every one of them reported as unknown.
    """
    if source is None or not isinstance(source.value, dict):
        return None
    return dict.fromkeys(source.value)


def _registry_names(source: Source | None) -> dict[str, str]:
    """Each mechanism's key by the ways an editor may write it instead: its name, acronym and
    short name, and the key with other spacing or case (folded: no spaces, any case)."""
    names: dict[str, str] = {}
    if source is None or not isinstance(source.value, dict):
        return names
    for key, entry in source.value.items():
        fields = entry.values() if isinstance(entry, dict) else ()
        for written in (str(key), *(v for v in fields if isinstance(v, str))):
            names.setdefault(folded(written), str(key))
    return names


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
        value = validate(model, source.value, context)
    except ValidationError as error:
        problems.extend(translate(error, source, _hints(context.get("registry") or ())))
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


def _hints(mechanisms: Collection[str]) -> Callable[[Any, KeyPath], str | None]:
    """The ISCM Highlights' own hints for the checks' errors (`mechanisms`: the registry's
    keys, to recognise one written where it does not belong)."""

    def hint(item: Any, path: KeyPath) -> str | None:
        name = path[-1] if path else ""
        if item["type"] == "extra_forbidden" and len(path) == 1 and name in mechanisms:
            return _misplaced_mechanism(str(name))
        if item["type"] in EXPECTED and name == "issue":
            return _number_hint(item["input"])
        return None

    return hint


def _misplaced_mechanism(key: str) -> str:
    """Where a mechanism's key belongs when it stands at the top of a year file."""
    return (
        f"'{key}' is a mechanism: put it under `events:`, indented by two spaces like the "
        "other mechanisms there (or under `notes:` for a note)"
    )


def _number_hint(value: Any) -> str | None:
    """What to write for an issue number given in roman numerals ('III' -> write 3)."""
    if isinstance(value, str):
        number = _from_roman(value.strip().upper())
        if number:
            return f"write {number}: it is printed as a roman numeral"
    return None


def _from_roman(text: str) -> int | None:
    """'VI' -> 6; None for anything that is not a roman numeral from I to MMMCMXCIX."""
    if not text or set(text) - set("IVXLCDM"):
        return None
    return next((n for n in range(1, 4000) if to_roman(n) == text), None)
