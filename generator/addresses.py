"""E-mail addresses: the one check of their syntax, for the settings and recipient lists."""

from __future__ import annotations

from typing import Any

from .errors import clipped

EMAIL_HINT = "write the address alone, as name@example.org"


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
