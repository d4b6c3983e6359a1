"""The recipients list: a CSV file with a header row, `email` and an optional `name`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..addresses import EMAIL_HINT, check_email
from ..errors import BulletinError, Problem

MAX_BYTES = 5_000_000
MAX_NAME = 200


@dataclass(frozen=True)
class Recipient:
    """One addressee: the address as validated, a name for the greeting (or None), its line."""

    email: str
    name: str | None
    line: int
    mailbox: str = ""
    """The address as sent: the domain in ASCII (xn--) where the part before @ allows it."""

    def __post_init__(self) -> None:
        if not self.mailbox:
            object.__setattr__(self, "mailbox", self.email)

    @property
    def key(self) -> str:
        """The address as the journal knows it: the same mailbox however it is capitalised."""
        return self.email.casefold()


def read_recipients(path: Path, shown: str) -> list[Recipient]:
    """Read and check the list; every problem is reported at its line, all at once."""
    text = _text(path, shown)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise _problem(shown, 1, "the file has no header row", "start it with a line: email,name")
    dialect = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=dialect)
    header = [cell.strip().casefold() for cell in next(reader)]
    if "email" not in header:
        raise _problem(
            shown, 1, "no column 'email' in the header row", "name the columns email,name"
        )
    unknown = [name for name in header if name not in ("email", "name")]
    if unknown:
        raise _problem(shown, 1, f"unknown column '{unknown[0]}'", "the columns are email and name")
    column: dict[str, int] = {n: header.index(n) for n in ("email", "name") if n in header}
    problems: list[Problem] = []
    found: list[Recipient] = []
    seen: dict[str, int] = {}
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        recipient = _recipient(row, column, (number, lines[number - 1]), shown, problems)
        if recipient is None:
            continue
        if recipient.key in seen:
            problems.append(
                Problem(
                    shown,
                    number,
                    _column(lines[number - 1], row[column["email"]]),
                    "email",
                    f"'{recipient.email}' is listed twice (also at line {seen[recipient.key]})",
                    "keep one line per address",
                )
            )
            continue
        seen[recipient.key] = number
        found.append(recipient)
    if problems:
        raise BulletinError(problems)
    if not found:
        raise _problem(shown, 1, "no recipients in the file", "add one address per line")
    return found


def _text(path: Path, shown: str) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _problem(shown, 1, "the file is too big (over 5 MB)", "split the list")
        return path.read_text(encoding="utf-8-sig")  # Excel starts UTF-8 files with a BOM
    except UnicodeDecodeError:
        raise _problem(shown, 1, "the file is not UTF-8", "save it as CSV UTF-8") from None
    except OSError as error:
        raise _problem(
            shown, 1, f"cannot read the file: {error.strerror}", "check the path"
        ) from None


def _column(text: str, cell: str) -> int:
    """Where a cell's value starts in its line, counted from 1 (1 if it cannot be found)."""
    found = text.find(cell.strip()) if cell.strip() else -1
    return found + 1 if found >= 0 else 1


def _recipient(
    row: list[str],
    column: dict[str, int],
    at: tuple[int, str],
    shown: str,
    problems: list[Problem],
) -> Recipient | None:
    """One row as a recipient, or None after adding its problem."""
    line, text = at
    cells = {key: row[index].strip() if index < len(row) else "" for key, index in column.items()}
    address, name = cells["email"], cells.get("name") or None
    where = _column(text, address)
    if not address:
        problems.append(Problem(shown, line, where, "email", "no address", EMAIL_HINT))
        return None
    try:
        checked = check_email(address)
    except ValueError as error:
        problems.append(Problem(shown, line, where, "email", str(error), EMAIL_HINT))
        return None
    if name is not None and (len(name) > MAX_NAME or not name.isprintable()):
        problems.append(
            Problem(
                shown,
                line,
                _column(text, name),
                "name",
                "the name has control characters or is over 200 characters",
                "write the name as it is greeted: Dear <name>,",
            )
        )
        return None
    return Recipient(checked.normalized, name, line, checked.ascii_email or checked.normalized)


def _problem(shown: str, line: int, message: str, hint: str) -> BulletinError:
    return BulletinError([Problem(shown, line, 1, "", message, hint)])
