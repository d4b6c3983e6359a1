"""The quick check of plain e-mail addresses agrees with email-validator."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.addresses import check_address, check_email, is_plain_address

NAME = st.from_regex(r"[A-Za-z0-9_+.-]{1,70}", fullmatch=True)
LABEL = st.from_regex(r"[A-Za-z0-9-]{1,70}", fullmatch=True)
TOP = st.sampled_from(["org", "int", "com", "ch", "local", "test", "onion", "arpa", "x", "12"])
ADDRESS = st.builds(
    lambda name, labels, top: f"{name}@{'.'.join([*labels, top])}",
    NAME,
    st.lists(LABEL, min_size=1, max_size=4),
    TOP | LABEL,
)


def email_validator_accepts(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(ADDRESS | st.emails())
def test_every_address_taken_quickly_is_one_email_validator_takes(address: str) -> None:
    if is_plain_address(address):
        assert email_validator_accepts(address), address


@pytest.mark.parametrize(
    "address",
    ["ihpo@iom.int", "first.last+tag@mail.example.org", "a_b-c@x-y.co.uk", "A@B.ORG"],
)
def test_plain_addresses_are_taken_without_email_validator(address: str) -> None:
    assert is_plain_address(address) and email_validator_accepts(address)


@pytest.mark.parametrize(
    "address",
    [
        "a@localhost",
        "a@mail.test",
        "a@x.local",
        "a..b@x.org",
        ".a@x.org",
        "a@-x.org",
        "a@x--y.org",
        "a@x.123",
        "a@x",
        "é@x.org",
        "a@x.org ",
        f"{'a' * 65}@x.org",
        f"a@{'b' * 64}.org",
        "Name <a@x.org>",
    ],
)
def test_other_addresses_go_to_email_validator_with_its_wording(address: str) -> None:
    assert not is_plain_address(address)
    try:
        check_email(address)
    except ValueError as error:
        expected: str | None = str(error)
    else:
        expected = None
    try:
        check_address(address)
    except ValueError as error:
        assert str(error) == expected
    else:
        assert expected is None
