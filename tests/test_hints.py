"""Hints that say what to write: close spellings only, dates in the form to write, a roman
issue number; and the year warning's reading of texts. (The case files in tests/cases/ show
each through the command; these try each rule on more inputs.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import BulletinError
from generator.kinds.iscm.data import close_spelling
from generator.kinds.iscm.validate import load_issue
from generator.kinds.iscm.year_warnings import YEAR_IN_TEXT
from tests.conftest import DATA

KEYS = ("5+5", "ADD", "Almaty", "ARCP", "Bali", "Budapest", "Colombo", "MIDWA", "OCAM", "SACM")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Bail", "Bali"),  # two letters swapped
        ("bali", "Bali"),  # case
        ("BALI", "Bali"),
        ("Bal", "Bali"),  # one missing
        ("Balli", "Bali"),  # one extra
        ("Budpest", "Budapest"),
        ("Budapst", "Budapest"),
        ("Colomb0", "Colombo"),  # one wrong
        ("MIDWAA", "MIDWA"),
    ],
)
def test_a_slip_of_the_keyboard_is_suggested(typed: str, meant: str) -> None:
    assert close_spelling(typed, KEYS) == meant


@pytest.mark.parametrize("typed", ["ASEM", "IOM", "Khartoum", "Abu Dhabi", "SACMX2", "Colombia"])
def test_a_different_name_gets_no_suggestion(typed: str) -> None:
    assert close_spelling(typed, KEYS) is None


def year_problems(tmp_path: Path, old: str, new: str) -> list[str]:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "2020.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        load_issue(folder, "2020")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ("31/10/2020", "not a date: '31/10/2020' (write it as 2020-10-31)"),
        ("9.12.2020", "not a date: '9.12.2020' (write it as 2020-12-09)"),
        ("10/31/2020", "not a date: '10/31/2020' (write it as 2020-10-31)"),  # month first
        (
            "'2020-01-23, 2020-01-24'",
            "'2020-01-23, 2020-01-24' is several dates (write them as a list: "
            "[2020-01-23, 2020-01-24])",
        ),
        (
            "2020-07-06 and 2020-07-09",
            "'2020-07-06 and 2020-07-09' is several dates (write them as a list: "
            "[2020-07-06, 2020-07-09])",
        ),
        (
            "'1 March, 2020'",
            "not a date: '1 March, 2020' (write dates as YYYY-MM-DD, ranges as "
            "YYYY-MM-DD/YYYY-MM-DD)",
        ),
        (
            "2020-13-01",
            "not a date: '2020-13-01' (write dates as YYYY-MM-DD, ranges as YYYY-MM-DD/YYYY-MM-DD)",
        ),
    ],
)
def test_a_date_in_another_form_is_shown_as_it_should_be_written(
    tmp_path: Path, dates: str, message: str
) -> None:
    problems = year_problems(tmp_path, "dates: 2020-12-09", f"dates: {dates}")
    assert len(problems) == 1, problems
    assert problems[0].endswith(f"events.Almaty[1].dates: {message}"), problems


@pytest.mark.parametrize(("typed", "number"), [("VI", 6), ("vi", 6), ("XIV", 14)])
def test_a_roman_issue_number_says_which_number_to_write(
    tmp_path: Path, typed: str, number: int
) -> None:
    (problem,) = year_problems(tmp_path, "issue: 6", f"issue: {typed}")
    assert problem.endswith(
        f"issue: expected a whole number, got a text '{typed}' "
        f"(write {number}: it is printed as a roman numeral)"
    )


def test_a_word_for_the_issue_number_gets_the_usual_hint(tmp_path: Path) -> None:
    (problem,) = year_problems(tmp_path, "issue: 6", "issue: six")
    assert problem.endswith("got a text 'six' (see docs/data-format.md)")


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Summary Report 2019", ["2019"]),
        ("Plan 2019–2021 and 2020", ["2019", "2021", "2020"]),
        ("COVID-19 and 20,000 migrants, 1,999 returns", []),
        ("3.2019 or 12/2019 or 2019/12", []),  # parts of dates and numbers, not years
        ("In 1990 and 2999", ["1990", "2999"]),
    ],
)
def test_the_years_a_text_names(text: str, years: list[str]) -> None:
    assert YEAR_IN_TEXT.findall(text) == years


@pytest.mark.parametrize("typed", ["6.5", "-0.5", "1e3"])
def test_a_number_that_is_not_whole_is_named_as_typed_not_as_a_text(
    tmp_path: Path, typed: str
) -> None:
    (problem,) = year_problems(tmp_path, "issue: 6", f"issue: {typed}")
    assert problem.endswith(
        f"issue: expected a whole number, got {typed} (see docs/data-format.md)"
    ), problem
