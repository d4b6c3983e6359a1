"""Shared fixtures: the 2020 issue loaded and composed, and real-client programs."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import Issue, load_issue
from generator.layout import load_layout
from generator.model import Document

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("SOURCE_DATE_EPOCH", "1577836800")
"""Builds in the tests are dated 2020-01-01, so two builds are identical (unset, a build is
dated by its time: tests of that remove the variable)."""
DATA = ROOT / "data"

settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
"""CI runs every property test on the same examples (`HYPOTHESIS_PROFILE=ci`, set by .ci/run), so
a pass or a failure there can be repeated; a developer's runs try new random ones."""


MONTHS = "January February March April May June July August September October November December"


def nb(text: str) -> str:
    """Dates as the bulletin words them: no-break spaces between day, month and year, and
    inside a list of days; a range's dash breaks after it, and several days of one month may
    break before the month ('1–2 March', '6,\u00a09\u00a0and\u00a013 July')."""
    months = "|".join(MONTHS.split())
    text = re.sub(rf"(\d) ({months})\b", "\\1\u00a0\\2", text)
    text = re.sub(rf"\b({months}) (\d{{4}})", "\\1\u00a0\\2", text)
    text = re.sub("\u202f–\u202f(?=\\d)", "\u202f– ", text)
    days = r"\d+(?:–\d+|\u202f– \d+|(?:, \d+)*,? and \d+)"
    return re.sub(
        rf"\b({days})\u00a0({months})\b",
        lambda m: m[1].replace(" ", "\u00a0") + " " + m[2],
        text,
    )


def real_client(program: str) -> str:
    """Path of a real program (pdffonts, soffice, ...); skip without it, unless CI demands it."""
    found = shutil.which(program) or (program if Path(program).is_file() else None)
    if found:
        return found
    if os.environ.get("BULLETIN_REAL_CLIENTS") == "1":
        pytest.fail(f"{program} is required when BULLETIN_REAL_CLIENTS=1")
    pytest.skip(f"{program} is not installed")


@pytest.fixture(scope="session")
def issue_2020() -> Issue:
    return load_issue(DATA, "2020")


@pytest.fixture(scope="session")
def document_2020(issue_2020: Issue) -> Document:
    return compose(issue_2020, load_layout("iscm"))
