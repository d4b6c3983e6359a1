"""The checks behind schema.validate: a value read from YAML (texts, lists, mappings, nothing)
checked against a type, converted, every error collected with its place.

Each type becomes a check once (cached): a function `check(value, loc, context, errors)` that
returns the converted value, or BAD after adding its errors. The errors are worded as
pydantic words them (their `type`, `msg`, `ctx`), which schema.translate turns into the
editor's words; what pydantic does with a value, these checks do too: a text '3' is the whole
number 3, a list longer than its limit is one error, a record's unknown keys come after its
fields' errors, a record's own check runs only when its fields are valid.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Literal, Union

from .schema import (
    MISSING,
    AfterValidator,
    BeforeValidator,
    Constraints,
    Invalid,
    Record,
    ValidationError,
    record_fields,
)

BAD: Any = type("Bad", (), {"__repr__": lambda self: "BAD"})()
"""What a check returns for a value with errors (already added)."""
Loc = tuple[str | int, ...]
Errors = list[dict[str, Any]]
Check = Callable[[Any, Loc, dict[str, Any], Errors], Any]

TRUE = {"1", "on", "t", "true", "y", "yes"}
FALSE = {"0", "off", "f", "false", "n", "no"}
_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL_ZEROS = re.compile(r"\.0+$")
_FLOAT = re.compile(
    r"[+-]?(?:inf|infinity|nan|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)",
    re.ASCII | re.IGNORECASE,
)


class RecordField:
    """One field of a record: its name, the key written for it, its check and default."""

    __slots__ = ("check", "default", "default_factory", "key", "kind", "name")

    def __init__(self, name: str, kind: Any, spec: Constraints | None) -> None:
        self.name = name
        self.kind = kind
        self.key = (spec.alias if spec else None) or name
        self.default = spec.default if spec else MISSING
        self.default_factory = spec.default_factory if spec else None
        if spec is not None and _has_bounds(spec):
            self.kind = Annotated[kind, spec]
        self.check: Check | None = None

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.default_factory is None

    def default_value(self) -> Any:
        """A fresh default (a list or mapping is never shared between records)."""
        if self.default_factory is not None:
            return self.default_factory()
        if self.default is MISSING:
            raise TypeError(f"missing field {self.name!r}")
        if isinstance(self.default, list | dict | set):
            return type(self.default)(self.default)
        return self.default


def fields_of(record: type[Record]) -> dict[str, RecordField]:
    """A record's fields from its annotations (and those of the records it extends)."""
    fields: dict[str, RecordField] = {}
    for name, kind in _annotations(record).items():
        if name.startswith("_") or typing.get_origin(kind) is typing.ClassVar:
            continue
        value = getattr(record, name, MISSING)
        if isinstance(value, Constraints):
            fields[name] = RecordField(name, kind, value)
        else:
            fields[name] = RecordField(name, kind, Constraints(default=value))
    return fields


def _annotations(record: type[Record]) -> dict[str, Any]:
    """The annotations of a record and its bases, base first. A module that writes them as
    text (`from __future__ import annotations`) has them evaluated here; the schemas of the
    bulletin do not, so starting `bulletin check` compiles none of them."""
    found: dict[str, Any] = {}
    for klass in reversed(record.__mro__):
        if issubclass(klass, Record) and klass is not Record:
            found.update(inspect.get_annotations(klass, eval_str=True))
    return found


def _has_bounds(spec: Constraints) -> bool:
    bounds = ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern")
    return any(getattr(spec, name) is not None for name in bounds)


def validate(kind: Any, value: Any, context: dict[str, Any]) -> Any:
    """`value` as `kind`, or ValidationError with every error."""
    errors: Errors = []
    result = check_of(kind)(value, (), context, errors)
    if errors:
        raise ValidationError(errors)
    return result


@cache
def check_of(kind: Any) -> Check:
    """The check of a type (made once per type)."""
    if typing.get_origin(kind) is Annotated:
        inner, *meta = typing.get_args(kind)
        return _annotated(inner, meta)
    origin = typing.get_origin(kind)
    if origin is Union or origin is types.UnionType:
        return _union(typing.get_args(kind))
    if origin is Literal:
        return _literal(typing.get_args(kind))
    if origin is list or kind is list:
        return _sequence(_arg(kind, 0), "list", None)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(args[0], "tuple", None)
        return _positions(args)
    if origin is dict or kind is dict:
        return _mapping(_arg(kind, 0), _arg(kind, 1), None)
    if kind is Any:
        return lambda value, loc, context, errors: value
    if isinstance(kind, type) and issubclass(kind, Record):
        return _record(kind)
    scalar = SCALARS.get(kind)
    if scalar is not None:
        return scalar
    return _instance(kind)


def _arg(kind: Any, index: int) -> Any:
    args = typing.get_args(kind)
    return args[index] if args else Any


def error(
    errors: Errors, kind: str, loc: Loc, value: Any, msg: str, ctx: dict[str, Any] | None = None
) -> Any:
    """Add one error, and return BAD."""
    item: dict[str, Any] = {"type": kind, "loc": loc, "msg": msg, "input": value}
    if ctx is not None:
        item["ctx"] = ctx
    errors.append(item)
    return BAD


def invalid(errors: Errors, loc: Loc, value: Any, verdict: Invalid) -> Any:
    """A validator's problem as an error."""
    ctx = {"message": verdict.message, "hint": verdict.hint, "at": verdict.at}
    return error(errors, "bulletin", loc, value, verdict.message, ctx)


# -- scalars ----------------------------------------------------------------------------------


def _str(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
    if isinstance(value, str):
        return value
    return error(errors, "string_type", loc, value, "Input should be a valid string")


def _int(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, str):
        text = _int_text(value)
        if text is None:
            msg = "Input should be a valid integer, unable to parse string as an integer"
            return error(errors, "int_parsing", loc, value, msg)
        try:
            return int(text)
        except ValueError:  # more digits than Python converts
            msg = "Unable to parse input string as an integer, exceeded maximum size"
            return error(errors, "int_parsing_size", loc, value, msg)
    return error(errors, "int_type", loc, value, "Input should be a valid integer")


def _int_text(text: str) -> str | None:
    """The digits of a whole number as pydantic reads one from a text (' 1_000 ', '+3',
    '3.00'), or None if it is not one."""
    text = _DECIMAL_ZEROS.sub("", text.strip(), count=1) if "." in text else text.strip()
    text = _without_underscores(text)
    return text if _INT.fullmatch(text) else None


def _without_underscores(text: str) -> str:
    """Digits grouped by single underscores, ungrouped (others stay: they are refused)."""
    if "_" not in text or text.startswith("_") or text.endswith("_") or "__" in text:
        return text
    return text.replace("_", "")


def _float(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        text = _without_underscores(value.strip())
        if _FLOAT.fullmatch(text):
            return float(text)
        msg = "Input should be a valid number, unable to parse string as a number"
        return error(errors, "float_parsing", loc, value, msg)
    return error(errors, "float_type", loc, value, "Input should be a valid number")


def _bool(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        folded = value.lower()
        if folded in TRUE or folded in FALSE:
            return folded in TRUE
        msg = "Input should be a valid boolean, unable to interpret input"
        return error(errors, "bool_parsing", loc, value, msg)
    return error(errors, "bool_type", loc, value, "Input should be a valid boolean")


SCALARS: dict[Any, Check] = {str: _str, int: _int, float: _float, bool: _bool}


def _instance(kind: type) -> Check:
    def check(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        if isinstance(value, kind):
            return value
        msg = f"Input should be an instance of {kind.__name__}"
        return error(errors, "is_instance_of", loc, value, msg, {"class": kind.__name__})

    return check


def _literal(allowed: tuple[Any, ...]) -> Check:
    shown = [repr(value) for value in allowed]
    expected = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"

    def check(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        if isinstance(value, str | int) and value in allowed:
            return value
        msg = f"Input should be {expected}"
        return error(errors, "literal_error", loc, value, msg, {"expected": expected})

    return check


# -- constraints and validators -----------------------------------------------------------


def _annotated(inner: Any, meta: list[Any]) -> Check:
    """A type with its constraints, then its validators (in the order written)."""
    check = check_of(inner)
    for item in meta:
        if isinstance(item, Constraints):
            check = _constrained(inner, check, item)
        elif isinstance(item, BeforeValidator):
            check = _before(check, item.function)
        elif isinstance(item, AfterValidator):
            check = _after(check, item.function)
    return check


def _takes_context(function: Callable[..., Any]) -> bool:
    code = getattr(function, "__code__", None)
    return code is not None and code.co_argcount == 2


def _after(check: Check, function: Callable[..., Any]) -> Check:
    with_context = _takes_context(function)

    def after(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        result = check(value, loc, context, errors)
        if result is BAD:
            return BAD
        try:
            return function(result, context) if with_context else function(result)
        except Invalid as verdict:
            return invalid(errors, loc, result, verdict)

    return after


def _before(check: Check, function: Callable[..., Any]) -> Check:
    with_context = _takes_context(function)

    def before(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        try:
            converted = function(value, context) if with_context else function(value)
        except Invalid as verdict:
            return invalid(errors, loc, value, verdict)
        return check(converted, loc, context, errors)

    return before


def _constrained(inner: Any, check: Check, spec: Constraints) -> Check:
    """Bounds of a number, the length and pattern of a text; the lengths of a list or a
    mapping are part of their own checks."""
    origin = typing.get_origin(inner) or inner
    if origin in (list, tuple):
        return _sequence(_arg(inner, 0), origin.__name__, spec)
    if origin is dict:
        return _mapping(_arg(inner, 0), _arg(inner, 1), spec)
    if inner is str:
        return _text_constrained(check, spec)
    return _bounded(check, spec)


def _text_constrained(check: Check, spec: Constraints) -> Check:
    pattern = _pattern(spec.pattern) if spec.pattern is not None else None

    def constrained(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        text = check(value, loc, context, errors)
        if text is BAD:
            return BAD
        if spec.min_length is not None and len(text) < spec.min_length:
            s = "" if spec.min_length == 1 else "s"
            msg = f"String should have at least {spec.min_length} character{s}"
            ctx: dict[str, Any] = {"min_length": spec.min_length}
            return error(errors, "string_too_short", loc, value, msg, ctx)
        if spec.max_length is not None and len(text) > spec.max_length:
            s = "" if spec.max_length == 1 else "s"
            msg = f"String should have at most {spec.max_length} character{s}"
            ctx = {"max_length": spec.max_length}
            return error(errors, "string_too_long", loc, value, msg, ctx)
        if pattern is not None and not pattern.search(text):
            msg = f"String should match pattern '{spec.pattern}'"
            return error(
                errors, "string_pattern_mismatch", loc, value, msg, {"pattern": spec.pattern}
            )
        return text

    return constrained


def _pattern(written: str) -> re.Pattern[str]:
    """A pattern as pydantic reads it: its `$` is the end of the text, never before a final
    line break (as in Python's `re`)."""
    if written.endswith("$") and not written.endswith("\\$"):
        written = written[:-1] + r"\Z"
    return re.compile(written)


BOUND_WORDS = (
    ("gt", "greater_than", "greater than", lambda a, b: a > b),
    ("ge", "greater_than_equal", "greater than or equal to", lambda a, b: a >= b),
    ("lt", "less_than", "less than", lambda a, b: a < b),
    ("le", "less_than_equal", "less than or equal to", lambda a, b: a <= b),
)


def _bounded(check: Check, spec: Constraints) -> Check:
    bounds = [
        (getattr(spec, name), kind, words, holds)
        for name, kind, words, holds in BOUND_WORDS
        if getattr(spec, name) is not None
    ]
    names = {kind: name for name, kind, _, _ in BOUND_WORDS}

    def bounded(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        number = check(value, loc, context, errors)
        if number is BAD:
            return BAD
        for limit, kind, words, holds in bounds:
            if not holds(number, limit):
                limit = type(number)(limit)
                shown = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
                msg = f"Input should be {words} {shown}"
                return error(errors, kind, loc, value, msg, {names[kind]: limit})
        return number

    return bounded


# -- lists, tuples, mappings, unions --------------------------------------------------------


def _sequence(item_kind: Any, name: str, spec: Constraints | None) -> Check:
    """A list (or a tuple of any length) of one type, with its lengths."""
    item_check = check_of(item_kind)
    low = spec.min_length if spec else None
    high = spec.max_length if spec else None
    label = name.capitalize()

    def check(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        if not isinstance(value, list | tuple):
            msg = f"Input should be a valid {name}"
            return error(errors, f"{name}_type", loc, value, msg)
        if high is not None and len(value) > high:
            return _too_long(errors, loc, value, label, high, len(value))
        found: Errors = []
        items = [item_check(item, (*loc, i), context, found) for i, item in enumerate(value)]
        if found:
            errors.extend(found)
            return BAD
        if low is not None and len(items) < low:
            s = "" if low == 1 else "s"
            msg = f"{label} should have at least {low} item{s} after validation, not {len(items)}"
            ctx = {"field_type": label, "min_length": low, "actual_length": len(items)}
            return error(errors, "too_short", loc, value, msg, ctx)
        return items if name == "list" else tuple(items)

    return check


def _too_long(errors: Errors, loc: Loc, value: Any, label: str, high: int, length: Any) -> Any:
    s = "" if high == 1 else "s"
    shown = "more" if length is None else length
    msg = f"{label} should have at most {high} item{s} after validation, not {shown}"
    ctx = {"field_type": label, "max_length": high, "actual_length": length}
    return error(errors, "too_long", loc, value, msg, ctx)


def _positions(kinds: tuple[Any, ...]) -> Check:
    """A tuple of a fixed number of items, each of its own type."""
    checks = [check_of(kind) for kind in kinds]

    def check(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        if not isinstance(value, list | tuple):
            return error(errors, "tuple_type", loc, value, "Input should be a valid tuple")
        if len(value) > len(checks):
            return _too_long(errors, loc, value, "Tuple", len(checks), len(value))
        found: Errors = []
        items = []
        for i, item_check in enumerate(checks):
            if i < len(value):
                items.append(item_check(value[i], (*loc, i), context, found))
            else:
                error(found, "missing", (*loc, i), value, "Field required")
        if found:
            errors.extend(found)
            return BAD
        return tuple(items)

    return check


def _mapping(key_kind: Any, value_kind: Any, spec: Constraints | None) -> Check:
    """A mapping: each key, then its value; longer than its limit is one error."""
    key_check, value_check = check_of(key_kind), check_of(value_kind)
    high = spec.max_length if spec else None

    def check(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        if not isinstance(value, dict):
            return error(errors, "dict_type", loc, value, "Input should be a valid dictionary")
        found: Errors = []
        result = {}
        for key, item in value.items():
            checked_key = key_check(key, (*loc, key, "[key]"), context, found)
            checked = value_check(item, (*loc, key), context, found)
            if checked_key is BAD or checked is BAD:
                continue
            result[checked_key] = checked
            if high is not None and len(result) > high:
                return _too_long(errors, loc, value, "Dictionary", high, None)
        if found:
            errors.extend(found)
            return BAD
        return result

    return check


def _union(kinds: tuple[Any, ...]) -> Check:
    """`X | None`: nothing, or an X; other unions: the first member the value is, else every
    member's errors, each under the member's name."""
    members = [kind for kind in kinds if kind is not type(None)]
    nullable = len(members) < len(kinds)
    if len(members) == 1:
        inner = check_of(members[0])
    else:
        checks = [(_label(kind), check_of(kind)) for kind in members]

        def inner(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
            found: Errors = []
            for label, member in checks:
                tried: Errors = []
                result = member(value, (*loc, label), context, tried)
                if result is not BAD:
                    return result
                found.extend(tried)
            errors.extend(found)
            return BAD

    if not nullable:
        return inner

    def optional(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        return None if value is None else inner(value, loc, context, errors)

    return optional


def _label(kind: Any) -> str:
    """A union member's name, as pydantic places its errors: `str`, `list[str]`."""
    args = typing.get_args(kind)
    origin = typing.get_origin(kind)
    if origin is not None and args:
        return f"{origin.__name__}[{', '.join(_label(arg) for arg in args)}]"
    return getattr(kind, "__name__", str(kind))


# -- records ----------------------------------------------------------------------------------


def _record(record: type[Record]) -> Check:
    """A record from a mapping: each field in order, then the unknown keys, then (when every
    field is valid) the record's own checks."""
    fields: dict[str, RecordField] | None = None
    keys: set[str] = set()

    def check(value: Any, loc: Loc, context: dict[str, Any], errors: Errors) -> Any:
        nonlocal fields, keys
        if fields is None:
            fields = record_fields(record)
            keys = {field.key for field in fields.values()}
        if not isinstance(value, dict):
            msg = f"Input should be a valid dictionary or instance of {record.__name__}"
            return error(errors, "model_type", loc, value, msg, {"class_name": record.__name__})
        found: Errors = []
        values: dict[str, Any] = {}
        for field in fields.values():
            if field.key in value:
                if field.check is None:
                    field.check = check_of(field.kind)
                where = (*loc, field.key)
                values[field.name] = field.check(value[field.key], where, context, found)
            elif field.required:
                error(found, "missing", (*loc, field.key), value, "Field required")
            else:
                values[field.name] = field.default_value()
        for key, item in value.items():
            if key not in keys:
                msg = "Extra inputs are not permitted"
                error(found, "extra_forbidden", (*loc, key), item, msg)
        if found:
            errors.extend(found)
            return BAD
        made = _made(record, values, {f.name for f in fields.values() if f.key in value})
        for own_check in record.__record_checks__:
            try:
                own_check(made)
            except Invalid as verdict:
                return invalid(errors, loc, value, verdict)
        return made

    return check


def _made(record: type[Record], values: dict[str, Any], given: set[str]) -> Record:
    made = object.__new__(record)
    made.__dict__.update(values)
    made.__dict__["_given"] = frozenset(given)
    return made
