"""E-mail addresses: the one check of their syntax, for the settings and recipient lists."""

from __future__ import annotations

import re
from typing import Any

from .errors import clipped

EMAIL_HINT = "write the address alone, as name@example.org"
_PLAIN = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"  # the name: letters, digits, _ + -, single dots
    r"@(?:[A-Za-z0-9](?:-?[A-Za-z0-9])*\.)+[A-Za-z]{2,63}",  # labels, a top level of letters
    re.ASCII,
)
SPECIAL_USE = {"arpa", "invalid", "local", "localhost", "onion", "test"}
"""Top-level domains no e-mail is delivered to (email-validator refuses them)."""


def check_address(value: str) -> None:
    """Raise ValueError, as `check_email` does, if `value` is no e-mail address. An address
    of the plainest form is accepted without loading email-validator (a tenth of the time
    `bulletin check` takes): it accepts every such address (tests/test_addresses.py)."""
    if not is_plain_address(value):
        check_email(value)


def is_plain_address(value: str) -> bool:
    """Whether an address has the plainest form: ASCII, name@domain.tld, no label over 63
    characters, no special-use domain, within the lengths of an address."""
    if len(value) > 254 or not _PLAIN.fullmatch(value):
        return False
    name, _, domain = value.partition("@")
    labels = domain.split(".")
    return (
        len(name) <= 64
        and len(domain) <= 253
        and all(len(label) <= 63 for label in labels)
        and labels[-1].lower() not in SPECIAL_USE
    )


def check_email(value: str) -> Any:
    """An e-mail address checked by its syntax only (email-validator; no look-up on the
    network): its normalised forms, or ValueError with the message an editor reads.

    The one check of addresses: the settings' and the recipients list's (bulletin mail)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        reason = str(error).rstrip(".")
        raise ValueError(
            f"'{clipped(value)}' is not an e-mail address: {reason[:1].lower()}{reason[1:]}"
        ) from None
