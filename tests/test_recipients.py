"""The recipients list: addresses checked (email-validator, syntax only), errors at their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import BulletinError
from generator.mail.recipients import read_recipients


def read(tmp_path: Path, text: str | bytes) -> list:
    path = tmp_path / "recipients.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return read_recipients(path, "recipients.csv")


def problems(tmp_path: Path, text: str | bytes) -> list[str]:
    with pytest.raises(BulletinError) as error:
        read(tmp_path, text)
    return [str(problem) for problem in error.value.problems]


def test_names_and_addresses(tmp_path: Path) -> None:
    found = read(tmp_path, "email,name\nann@example.org,Ann Ødegård\n\nbob@example.org,\n")
    assert [(r.email, r.name, r.line) for r in found] == [
        ("ann@example.org", "Ann Ødegård", 2),
        ("bob@example.org", None, 4),
    ]


def test_columns_in_any_order_without_name_with_bom_and_semicolons(tmp_path: Path) -> None:
    assert read(tmp_path, "Name,Email\nAnn,ann@example.org\n")[0].name == "Ann"
    assert read(tmp_path, "email\nann@example.org\n")[0].name is None
    excel = "\ufeffemail;name\r\nann@example.org;Ann, Secretariat\r\n".encode()
    assert [(r.email, r.name) for r in read(tmp_path, excel)] == [
        ("ann@example.org", "Ann, Secretariat")
    ]


def test_the_domain_is_normalised(tmp_path: Path) -> None:
    (found,) = read(tmp_path, "email\nAnn@Example.ORG\n")
    assert found.email == "Ann@example.org"


def test_every_bad_address_is_located(tmp_path: Path) -> None:
    text = "email,name\nann@example.org,Ann\nbob(at)example.org,Bob\n,Nobody\nx@y,Carol\n"
    found = problems(tmp_path, text)
    assert len(found) == 3
    assert found[0].startswith("recipients.csv:3:1: email: 'bob(at)example.org' is not an e-mail")
    assert (
        found[1]
        == "recipients.csv:4:1: email: no address (write the address alone, as name@example.org)"
    )
    assert found[2].startswith("recipients.csv:5:1: email: 'x@y' is not an e-mail address")
    assert all(line.endswith("(write the address alone, as name@example.org)") for line in found)


def test_the_column_of_the_address(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, "name,email\nBob,bob@@example.org\n")
    assert found.startswith("recipients.csv:2:5: email: 'bob@@example.org'")


def test_an_address_listed_twice(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, "email\nann@example.org\nbob@example.org\nANN@example.org\n")
    assert found == (
        "recipients.csv:4:1: email: 'ANN@example.org' is listed twice (also at line 2) "
        "(keep one line per address)"
    )


def test_a_name_that_would_break_a_header(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, 'email,name\nann@example.org,"Ann\x00Bcc: x@evil.org"\n')
    assert found.startswith("recipients.csv:2:18: name: the name has control characters")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "recipients.csv:1:1: the file has no header row"),
        ("ann@example.org\n", "recipients.csv:1:1: no column 'email' in the header row"),
        ("email,name,phone\n", "recipients.csv:1:1: unknown column 'phone'"),
        ("email\n\n", "recipients.csv:1:1: no recipients in the file"),
        (b"email\nj\xe9r\xf4me@example.org\n", "recipients.csv:1:1: the file is not UTF-8"),
    ],
)
def test_whole_file_problems(tmp_path: Path, text: str | bytes, message: str) -> None:
    (found,) = problems(tmp_path, text)
    assert found.startswith(message)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BulletinError, match="cannot read the file"):
        read_recipients(tmp_path / "none.csv", "none.csv")
