"""The schema's own checks (generator/schema_check.py) read values as pydantic read them before
(the errors an editor sees stayed the same when pydantic went): these pin what it did."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest

from generator.schema import (
    AfterValidator,
    Field,
    Record,
    ValidationError,
    problem,
    record_check,
    validate,
)


def errors(kind: Any, value: Any) -> list[tuple[str, tuple[Any, ...]]]:
    """The (type, place) of each error of `value` checked as `kind`; [] when it is valid."""
    try:
        validate(kind, value)
    except ValidationError as error:
        return [(item["type"], item["loc"]) for item in error.errors()]
    return []


@pytest.mark.parametrize(
    ("text", "number"),
    [("3", 3), (" 3 ", 3), ("+3", 3), ("-0", 0), ("3_000", 3000), ("3.00", 3), ("00012", 12)],
)
def test_a_whole_number_is_read_from_text_as_pydantic_read_it(text: str, number: int) -> None:
    assert validate(int, text) == number


@pytest.mark.parametrize(
    "text", ["3.5", "0x10", "1e3", "", "٣", "3 0", "1_", "1__0", "3.0_0", "3."]
)
def test_what_is_no_whole_number(text: str) -> None:
    assert errors(int, text) == [("int_parsing", ())]


def test_a_whole_number_longer_than_python_converts_is_its_own_error() -> None:
    assert errors(int, "9" * 5000) == [("int_parsing_size", ())]
    assert validate(int, "9" * 4300) == int("9" * 4300)


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.5", 1.5), (" 2 ", 2.0), ("1e400", float("inf")), ("1_000.5", 1000.5), ("1_.5", 1.5)],
)
def test_a_number_is_read_from_text(text: str, number: float) -> None:
    assert validate(float, text) == number


@pytest.mark.parametrize("text", ["0x1", "", "1e", "٣", "1.5.", "infinit", "1__0"])
def test_what_is_no_number(text: str) -> None:
    assert errors(float, text) == [("float_parsing", ())]


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("Off", False), ("t", True)])
def test_yes_and_no(text: str, value: bool) -> None:
    assert validate(bool, text) is value


def test_what_is_neither_yes_nor_no() -> None:
    assert errors(bool, " true") == [("bool_parsing", ())]
    assert errors(bool, None) == [("bool_type", ())]


def test_a_list_over_its_limit_is_one_error_whatever_its_items() -> None:
    kind = Annotated[list[int], Field(min_length=1, max_length=2)]
    assert errors(kind, ["1", "x", "3"]) == [("too_long", ())]
    assert errors(kind, []) == [("too_short", ())]
    assert errors(Annotated[list[int], Field(min_length=2)], ["x"]) == [("int_parsing", (0,))]


def test_a_mapping_is_over_its_limit_only_by_its_valid_entries() -> None:
    kind = Annotated[dict[str, int], Field(max_length=1)]
    assert errors(kind, {"a": "x", "b": "2"}) == [("int_parsing", ("a",))]
    assert errors(kind, {"a": "x", "b": "1", "c": "2"}) == [("too_long", ())]


def test_a_pair_reports_each_missing_item_and_one_error_when_too_long() -> None:
    assert errors(tuple[int, int], ["x"]) == [("int_parsing", (0,)), ("missing", (1,))]
    assert errors(tuple[int, int], ["1", "2", "3"]) == [("too_long", ())]


def test_a_text_or_a_list_reports_both_members() -> None:
    kind = dict[str, str | list[str]]
    assert errors(kind, {"a": {"b": "1"}}) == [
        ("string_type", ("a", "str")),
        ("list_type", ("a", "list[str]")),
    ]


def test_a_pattern_ends_at_the_end_of_the_text() -> None:
    kind = Annotated[str, Field(pattern=r"^[a-z]+$")]
    assert errors(kind, "abc") == []
    assert errors(kind, "abc\n") == [("string_pattern_mismatch", ())]


def test_a_literal() -> None:
    assert errors(Literal["iscm"], "x") == [("literal_error", ())]


def _short(value: str) -> str:
    if len(value) > 3:
        raise problem("too long", "shorten it")
    return value


class Inner(Record):
    """Field names of test records are odd: every record's names are suggested for a wrong key."""

    test_only_word: Annotated[str, AfterValidator(_short)]


class Outer(Record):
    """A record with a check of its own, run only when its fields are valid."""

    test_only_count: Annotated[int, Field(ge=1)]
    test_only_inner: Inner | None = None
    test_only_renamed: str = Field(default="x", alias="from")
    test_only_items: list[Inner] = []

    @record_check
    def _sense(self) -> None:
        if self.test_only_count > 5 and self.test_only_inner is None:
            raise problem("more than five need an inner record")


def test_a_record_reports_its_fields_in_order_then_its_unknown_keys() -> None:
    value = {
        "zz": "1",
        "test_only_inner": {"test_only_word": "long!"},
        "test_only_count": "0",
        "test_only_renamed": "y",
    }
    assert errors(Outer, value) == [
        ("greater_than_equal", ("test_only_count",)),
        ("bulletin", ("test_only_inner", "test_only_word")),
        ("extra_forbidden", ("zz",)),
        ("extra_forbidden", ("test_only_renamed",)),
    ]
    assert errors(Outer, {}) == [("missing", ("test_only_count",))]
    assert errors(Outer, "x") == [("model_type", ())]


def test_a_records_own_check_runs_once_its_fields_are_valid() -> None:
    assert errors(Outer, {"test_only_count": "6"}) == [("bulletin", ())]
    assert errors(
        Outer, {"test_only_count": "6", "test_only_inner": {"test_only_word": "long!"}}
    ) == [("bulletin", ("test_only_inner", "test_only_word"))]


def test_a_record_keeps_what_was_given_and_fresh_defaults() -> None:
    one = validate(Outer, {"test_only_count": "2", "from": "z", "test_only_inner": None})
    two = validate(Outer, {"test_only_count": "2"})
    assert (one.test_only_count, one.test_only_renamed, one.test_only_inner, one.given) == (
        2,
        "z",
        None,
        {"test_only_count", "test_only_renamed", "test_only_inner"},
    )
    assert two.given == {"test_only_count"} and two.test_only_renamed == "x"
    assert one.test_only_items == [] and one.test_only_items is not two.test_only_items
    assert one.values(exclude={"test_only_items"}) == {
        "test_only_count": 2,
        "test_only_renamed": "z",
    }
    assert one.replaced(test_only_count=3).test_only_count == 3 and one.test_only_count == 2
    with pytest.raises(AttributeError):
        one.test_only_count = 4  # type: ignore[misc]
