"""What checking any YAML file against a schema shares: the strict record, a problem raised
from a validator, and pydantic's errors translated into located problems in the editor's words.

The data (data.py, validate.py) and the layouts (layout_spec.py, layout.py) both use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from .errors import KeyPath, Problem, clipped
from .sources import Source

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


def problem(message: str, hint: str = "", at: int | None = None) -> PydanticCustomError:
    """A validation error whose message and hint reach the editor unchanged.

    `at` is the position of the list item it is about, when the value checked is a list.
    """
    context = {"message": message, "hint": hint, "at": at}
    return PydanticCustomError("bulletin", "{message}", context)


class Record(BaseModel):
    """A mapping of the data: unknown keys are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


Hints = Callable[[Any, KeyPath], "str | None"]
"""A kind's own hint for one of pydantic's errors (the item and its key path), or None."""


def translate(error: ValidationError, source: Source, hints: Hints | None = None) -> list[Problem]:
    """Pydantic's errors as located problems in the editor's words; `hints` may say better
    what to do about an error in the terms of one kind of bulletin."""
    problems = []
    for item in error.errors(include_url=False):
        path = tuple(part for part in item["loc"] if part != "[key]")
        at = (item.get("ctx") or {}).get("at") if item["type"] == "bulletin" else None
        if at is not None:  # a problem about one item of the list checked
            path = (*path, at)
        is_key = "[key]" in item["loc"] or item["type"] == "extra_forbidden"
        message, hint = _wording(item, path)
        hint = (hints(item, path) if hints else None) or hint
        problems.append(source.problem(path, message, hint, key=is_key))
    return problems


def _wording(item: Any, path: tuple[Any, ...]) -> tuple[str, str]:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    name = path[-1] if path else ""
    if kind == "bulletin":
        return ctx["message"], ctx.get("hint", "")
    if kind == "missing":
        return f"required key '{name}' is missing", f"add '{name}:' here"
    if kind == "extra_forbidden":
        return f"unknown key '{name}'", _suggest_key(str(name))
    if kind in EXPECTED:
        got = TYPE_NAMES.get(type(item["input"]), type(item["input"]).__name__)
        shown = f" '{clipped(item['input'])}'" if isinstance(item["input"], str) else ""
        return f"{EXPECTED[kind]}, got {got}{shown}", "see docs/data-format.md"
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
