"""What checking any YAML file against a schema shares: the strict record, a problem raised
from a validator, and the checks' errors translated into located problems in the editor's words.

The data (data.py, validate.py) and the layouts (layout_spec.py, layout.py) both use it. The
checks are our own (schema_check.py), written as pydantic's are (`Annotated[int,
Field(ge=1)]`, `AfterValidator`), with its wording of errors: pydantic cost `bulletin check` a
fifth of a second to import, more than the whole of its own work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any, dataclass_transform

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
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
"""No default: the key is required."""


class Invalid(Exception):
    """A validator's verdict on a value: the message and hint reach the editor unchanged."""

    def __init__(self, message: str, hint: str = "", at: int | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.at = message, hint, at


def problem(message: str, hint: str = "", at: int | None = None) -> Invalid:
    """A validation error whose message and hint reach the editor unchanged.

    `at` is the position of the list item it is about, when the value checked is a list.
    """
    return Invalid(message, hint, at)


class ValidationError(Exception):
    """Every error of one value checked against a type, each a mapping as pydantic words
    them (`type`, `loc`, `msg`, `input`, `ctx`)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} validation errors")
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return self._errors


class Constraints:
    """What `Field(...)` says about a value: its bounds, lengths, pattern, default, alias."""

    __slots__ = (
        "alias",
        "default",
        "default_factory",
        "ge",
        "gt",
        "le",
        "lt",
        "max_length",
        "min_length",
        "pattern",
    )

    def __init__(
        self,
        default: Any = MISSING,
        *,
        default_factory: Callable[[], Any] | None = None,
        alias: str | None = None,
        ge: float | None = None,
        gt: float | None = None,
        le: float | None = None,
        lt: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
    ) -> None:
        self.default, self.default_factory, self.alias = default, default_factory, alias
        self.ge, self.gt, self.le, self.lt = ge, gt, le, lt
        self.min_length, self.max_length, self.pattern = min_length, max_length, pattern


def Field(  # written as a class is, as in pydantic: it stands where a default would
    default: Any = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    alias: str | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
) -> Any:
    """A record field's constraints (in `Annotated[...]`), or its default with them."""
    return Constraints(
        default,
        default_factory=default_factory,
        alias=alias,
        ge=ge,
        gt=gt,
        le=le,
        lt=lt,
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
    )


class AfterValidator:
    """A check run on a value once it has its type; it returns the value (or raises
    `problem`). A function of two arguments also gets the validation context."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function


class BeforeValidator(AfterValidator):
    """A conversion run on the value as written, before its type is checked."""

    __slots__ = ()


def record_check(method: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Mark a record's method as a check of the whole record, run once its fields are valid
    (it raises `problem`, located at the record)."""
    setattr(method, "__record_check__", True)  # noqa: B010  (a function takes any attribute)
    return method


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field,))
class Record:
    """A mapping of the data: unknown keys are errors, values never change after loading."""

    __record_fields__: dict[str, Any] | None = None
    """Each field by name (schema_check.RecordField: the key written, the check, the default),
    read from the annotations when the record is first checked or made."""
    __record_checks__: tuple[Callable[[Any], Any], ...] = ()

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        cls.__record_fields__ = None
        found = [value for value in vars(cls).values() if hasattr(value, "__record_check__")]
        cls.__record_checks__ = (*cls.__record_checks__, *found)

    def __init__(self, **values: Any) -> None:
        """A record of the values given (not checked: `validate` checks) and the defaults."""
        fields = record_fields(type(self))
        unknown = set(values) - set(fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        for name, field in fields.items():
            value = values[name] if name in values else field.default_value()
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_given", frozenset(values))

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot change")
        object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), tuple(self._values().values())))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self._values().items())
        return f"{type(self).__name__}({shown})"

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """Each field's name and value, in the order written."""
        return iter(self._values().items())

    def _values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in record_fields(type(self))}

    @property
    def given(self) -> frozenset[str]:
        """The fields the file wrote (others have their default)."""
        given: frozenset[str] = self.__dict__.get("_given", frozenset())
        return given

    def values(self, exclude: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
        """The fields that hold something (not None), but those excluded."""
        return {
            name: value
            for name, value in self._values().items()
            if value is not None and name not in exclude
        }

    def replaced(self, **changes: Any) -> Any:
        """A copy with some fields changed (not checked again)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy


def record_fields(record: type[Record]) -> dict[str, Any]:
    """A record's fields by name, from its annotations (read once)."""
    from .schema_check import fields_of

    fields = record.__dict__.get("__record_fields__")
    if fields is None:
        fields = fields_of(record)
        record.__record_fields__ = fields
    return fields


def validate(kind: Any, value: Any, context: dict[str, Any] | None = None) -> Any:
    """`value` checked and converted to `kind` (a type, a record), or ValidationError listing
    every error."""
    from .schema_check import validate as check

    return check(kind, value, context or {})


Hints = Callable[[Any, KeyPath], "str | None"]
"""A kind's own hint for one of the checks' errors (the item and its key path), or None."""


def translate(error: ValidationError, source: Source, hints: Hints | None = None) -> list[Problem]:
    """The checks' errors as located problems in the editor's words; `hints` may say better
    what to do about an error in the terms of one kind of bulletin."""
    problems = []
    for item in error.errors():
        path = tuple(part for part in item["loc"] if part != "[key]")
        at = (item.get("ctx") or {}).get("at") if item["type"] == "bulletin" else None
        if at is not None:  # a problem about one item of the list checked
            path = (*path, at)
        is_key = "[key]" in item["loc"] or item["type"] == "extra_forbidden"
        message, hint = _wording(item, path)
        hint = (hints(item, path) if hints else None) or hint
        problems.append(source.problem(path, message, hint, key=is_key))
    return problems


def _got(value: Any) -> str:
    """What the editor wrote, as a problem names it: a number as typed, a text in quotes."""
    if isinstance(value, str) and _is_number(value):
        return value.strip()
    got = TYPE_NAMES.get(type(value), type(value).__name__)
    return f"{got} '{clipped(value)}'" if isinstance(value, str) else got


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


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
        return f"{EXPECTED[kind]}, got {_got(item['input'])}", "see docs/data-format.md"
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
    import difflib  # only for a wrong key

    known = sorted(_field_names())
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "remove it, or see docs/data-format.md for the keys this place takes"


def _field_names() -> set[str]:
    names: set[str] = set()
    stack: list[type[Record]] = [Record]
    while stack:
        record = stack.pop()
        stack.extend(record.__subclasses__())
        if record is not Record:
            names.update(record_fields(record))
    return names
