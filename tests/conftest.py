"""Shared fixtures: the 2020 issue loaded and composed, and real-client programs."""

from __future__ import annotations

import functools
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
from generator.proof import LIKE_WORD_FROM, libreoffice_version

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


LIBREOFFICE_AT_LEAST = LIKE_WORD_FROM
"""The LibreOffice the checks need: from 24.2 on it breaks a Word file's justified lines as
Word 2013 and later do (README, *Tests*); 7.4 never narrows a word space."""


def real_client(program: str) -> str:
    """Path of a real program (pdffonts, soffice, ...); skip without it (or with a LibreOffice
    older than the checks need), unless CI demands it."""
    found = shutil.which(program) or (program if Path(program).is_file() else None)
    missing = f"{program} is not installed"
    if found and Path(program).name == "soffice":
        major = libreoffice_major(found)
        if major is not None and major < LIBREOFFICE_AT_LEAST:
            missing = (
                f"LibreOffice {major} found ({found}): its checks need LibreOffice 24.2 or later"
                " (see the README's Tests section)"
            )
            found = None
    if found:
        return found
    if os.environ.get("BULLETIN_REAL_CLIENTS") == "1":
        pytest.fail(f"{missing}, and BULLETIN_REAL_CLIENTS=1 requires it")
    pytest.skip(missing)


@functools.cache
def libreoffice_major(soffice: str) -> int | None:
    """The major version of this LibreOffice (None: it does not tell), asked once a run."""
    version = libreoffice_version(soffice)
    return version[0] if version else None


@pytest.fixture(scope="session")
def issue_2020() -> Issue:
    return load_issue(DATA, "2020")


@pytest.fixture(scope="session")
def document_2020(issue_2020: Issue) -> Document:
    return compose(issue_2020, load_layout("iscm"))
