"""Load and check the three data files of an issue; report every problem at once."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import sources
from .data import Mechanism, Record, Settings, Year, folded
from .dates import to_roman
from .errors import BulletinError, Problem, clipped
from .sources import Source

ModelT = TypeVar("ModelT")

TYPE_NAMES = {str: "a text", list: "a list", dict: "a mapping", type(None): "nothing"}
EXPECTED = {
    "string_type": "expected a text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "list_type": "expected a list (lines starting with '- ')",
    "tuple_type": "expected a list (lines starting with '- ')",
    "dict_type": "expected a mapping (lines of 'key: value')",
    "model_type": "expected a mapping (lines of 'key: value')",
    "model_attributes_type": "expected a mapping (lines of 'key: value')",
}
BOUNDS = {
    "greater_than_equal": ("ge", "must be {} or more"),
    "greater_than": ("gt", "must be more than {}"),
    "less_than_equal": ("le", "must be {} or less"),
    "less_than": ("lt", "must be less than {}"),
}


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
        return entry.model_copy(update=own.model_dump(exclude_none=True, exclude={"sort_as"}))

    def sort_name(self, key: str) -> str:
        """The name a mechanism is filed under in this issue: `sort_as`, else its heading."""
        own = self.year.mechanisms.get(key)
        return own.sort_as if own and own.sort_as else self.mechanism(key).heading


def load_issue(data_dir: Path, year: str) -> Issue:
    """Load bulletin.yaml, mechanisms.yaml and <year>.yaml, or raise every problem."""
    problems: list[Problem] = []
    settings = _checked(_loaded(data_dir / "bulletin.yaml", problems), Settings, {}, problems)
    registry_source = _loaded(data_dir / "mechanisms.yaml", problems)
    registry = _checked(registry_source, dict[str, Mechanism], {}, problems)
    file_year = int(year) if year.isdigit() else None
    context = {
        "registry": _registry_keys(registry_source),
        "registry_names": _registry_names(registry_source),
        "year": file_year,
    }
    issue = _checked(_loaded(data_dir / f"{year}.yaml", problems), Year, context, problems)
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
    model: type[ModelT] | Any,
    context: dict[str, Any],
    problems: list[Problem],
) -> tuple[ModelT, Source] | None:
    """Validate one loaded file; add its problems to the list and return None if any."""
    if source is None:
        return None
    try:
        value = TypeAdapter(model).validate_python(source.value, context=context)
    except ValidationError as error:
        problems.extend(translate(error, source, context.get("registry") or ()))
        return None
    return (value, source) if not source.problems else None


def shown_path(path: Path) -> str:
    """The path as the editor typed it, relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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


def translate(
    error: ValidationError, source: Source, mechanisms: tuple[str, ...] = ()
) -> list[Problem]:
    """Pydantic's errors as located problems in the editor's words (`mechanisms`: the
    registry's keys, to recognise one written where it does not belong)."""
    problems = []
    for item in error.errors(include_url=False):
        path = tuple(part for part in item["loc"] if part != "[key]")
        at = (item.get("ctx") or {}).get("at") if item["type"] == "bulletin" else None
        if at is not None:  # a problem about one item of the list checked
            path = (*path, at)
        is_key = "[key]" in item["loc"] or item["type"] == "extra_forbidden"
        message, hint = _wording(item, path, mechanisms)
        problems.append(source.problem(path, message, hint, key=is_key))
    return problems


def _wording(item: Any, path: tuple[Any, ...], mechanisms: tuple[str, ...]) -> tuple[str, str]:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    name = path[-1] if path else ""
    if kind == "bulletin":
        return ctx["message"], ctx.get("hint", "")
    if kind == "missing":
        return f"required key '{name}' is missing", f"add '{name}:' here"
    if kind == "extra_forbidden":
        if len(path) == 1 and name in mechanisms:
            return f"unknown key '{name}'", _misplaced_mechanism(str(name))
        return f"unknown key '{name}'", _suggest_key(str(name))
    if kind in EXPECTED:
        got = TYPE_NAMES.get(type(item["input"]), type(item["input"]).__name__)
        shown = f" '{clipped(item['input'])}'" if isinstance(item["input"], str) else ""
        return f"{EXPECTED[kind]}, got {got}{shown}", _number_hint(item["input"], name)
    if kind in BOUNDS:
        bound, wording = BOUNDS[kind]
        limit = ctx[bound]
        limit = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
        return (
            f"{wording.format(limit)}, got {clipped(str(item['input']))}",
            "see docs/data-format.md",
        )
    if kind == "too_short":
        return "the list is empty", "add an item or remove the key"
    if kind == "too_long":
        limit = ctx.get("max_length")
        return f"more than {limit} items or characters", "a bulletin needs far fewer"
    return item["msg"], "see docs/data-format.md"


def _misplaced_mechanism(key: str) -> str:
    """Where a mechanism's key belongs when it stands at the top of a year file."""
    return (
        f"'{key}' is a mechanism: put it under `events:`, indented by two spaces like the "
        "other mechanisms there (or under `notes:` for a note)"
    )


def _number_hint(value: Any, name: object) -> str:
    """What to write for an issue number given in roman numerals ('III' -> write 3)."""
    if name == "issue" and isinstance(value, str):
        number = _from_roman(value.strip().upper())
        if number:
            return f"write {number}: it is printed as a roman numeral"
    return "see docs/data-format.md"


def _from_roman(text: str) -> int | None:
    """'VI' -> 6; None for anything that is not a roman numeral from I to MMMCMXCIX."""
    if not text or set(text) - set("IVXLCDM"):
        return None
    return next((n for n in range(1, 4000) if to_roman(n) == text), None)


def _suggest_key(key: str) -> str:
    known = sorted(_field_names())
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "remove it, or see docs/data-format.md for the keys this place takes"


def _field_names() -> set[str]:
    names: set[str] = set()
    stack: list[type[BaseModel]] = [Record]
    while stack:
        model = stack.pop()
        stack.extend(model.__subclasses__())
        names.update(model.model_fields)
    return names
