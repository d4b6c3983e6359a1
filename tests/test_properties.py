"""Properties over generated data (hypothesis, bounded so the suite stays fast):

- any valid bulletin builds as PDF and Word, loses no text and embeds every font;
- any single corruption of a valid year file exits 1 naming its line, never a traceback.

BULLETIN_EXAMPLES and BULLETIN_CORRUPTIONS set how many cases each runs (default 10, 200).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.completeness import assert_nothing_lost, pdf_fonts
from tests.conftest import DATA, real_client
from tests.generated import YEAR_FILE, bulletin_data, documents, write_data

EXAMPLES = int(os.environ.get("BULLETIN_EXAMPLES", "10"))
CORRUPTIONS = int(os.environ.get("BULLETIN_CORRUPTIONS", "200"))
MAX_EVENTS = 240
"""At most this many events in a generated bulletin (sixty mechanisms of four: 20 pages)."""

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ACCENTS = "àáâäåæçèéêëìíîïñòóôöøùúûüýÿßÀÉÎÖÜÇÑŁłŒœŠšŽžĞğŐőŰűĄąĘęČčŘřŚśŹźŻż"
SIGNS = "&<>\"'{}*_[]%#@!?;:,.-/=+$~^|`–—‘’“”…€"
"""Every sign a text may hold but a backslash and parentheses: [a](b) would be a link."""
ALPHABET = LETTERS + ACCENTS + SIGNS + " "


@st.composite
def bulletins(draw: st.DrawFn) -> dict[str, Any]:
    """1-60 mechanisms of 0-40 events (at most MAX_EVENTS), optional fields given always,
    never or at their own rates, and drawn words among the generator's hostile ones."""
    budget, counts = MAX_EVENTS, []
    for _ in range(draw(st.integers(1, 60))):
        counts.append(draw(st.integers(0, min(40, budget))))
        budget -= counts[-1]
    words = st.text(alphabet=ALPHABET, min_size=1, max_size=60).filter(str.strip)
    return documents(
        random.Random(draw(st.integers(0, 2**32))),
        counts,
        hostile=draw(st.booleans()),
        presence=draw(st.sampled_from([None, 0.0, 1.0])),
        extra=draw(st.lists(words, max_size=8)),
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=bulletins())
@example(data=bulletin_data(11, 60, 4))  # sixty mechanisms, 240 events: many pages
@example(data=bulletin_data(12, 1, 40))  # one mechanism of forty events
@example(data=bulletin_data(1, 1, 34))  # a hyphenated word in a split event ('co- op-eration')
def test_any_valid_bulletin_builds_completely(
    data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    builds_completely(data, tmp_path_factory)


def builds_completely(data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = write_data(tmp_path_factory.mktemp("data"), data)
    out = folder / "out"
    written, _ = assert_nothing_lost(folder)
    assert [w.path.suffix for w in written] == [".pdf", ".docx"]
    assert sorted(p.name for p in out.iterdir()) == sorted(w.path.name for w in written)
    fonts = pdf_fonts(written[0].path, real_client("pdffonts"))
    assert fonts and [f for f in fonts if f["emb"] != "yes"] == []
    shutil.rmtree(folder)


# -- corruptions ---------------------------------------------------------------------------

KEYS = ("ADD", "Bali", "5+5", "Rabat", "OCAM", "Prague")
WORDS = ("regional", "meeting", "labour", "mobility", "return", "data", "Rabat", "virtual")


@dataclass(frozen=True)
class Line:
    """One line of a year file, as its parts: the corruptions change one part."""

    indent: int
    key: str
    value: str | None = None
    kind: str = "text"
    item: bool = False  # the first key of a list item: "- key: value"

    def __str__(self) -> str:
        value = "" if self.value is None else f" {self.value}"
        return f"{' ' * self.indent}{'- ' if self.item else ''}{self.key}:{value}"


def text(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5)))


def date(draw: st.DrawFn) -> dt.date:
    return draw(st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))


def dates(draw: st.DrawFn) -> str:
    first, second = sorted((date(draw), date(draw)))
    return first.isoformat() if draw(st.booleans()) else f"{first}/{second}"


@st.composite
def year_files(draw: st.DrawFn) -> list[Line]:
    """A valid year file: events of 1-3 mechanisms, maybe notes, themes, publications and
    closing lines; every value on the line of its key."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True))
    lines = [
        Line(0, "year", "2020", "number"),
        Line(0, "issue", str(draw(st.integers(1, 40))), "number"),
        Line(0, "period", "2020-01-01/2020-12-31", "dates"),
    ]
    noted = draw(st.lists(st.sampled_from(keys), unique=True))
    if noted:
        lines.append(Line(0, "notes", kind="section"))
        lines += [Line(2, f'"{key}"', text(draw), "note") for key in noted]
    lines.append(Line(0, "events", kind="section"))
    for key in keys:
        lines.append(Line(2, f'"{key}"', kind="mechanism key"))
        for _ in range(draw(st.integers(1, 3))):
            lines += event(draw)
    for section in draw(st.lists(st.sampled_from(["thematic_areas", "global_initiatives"]))):
        if Line(0, section, kind="section") in lines:
            continue
        lines.append(Line(0, section, kind="section"))
        for _ in range(draw(st.integers(1, 2))):
            mechanisms = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True))
            lines.append(Line(2, "name", text(draw), item=True))
            lines.append(Line(4, "mechanisms", f"[{', '.join(mechanisms)}]", "mechanisms"))
    if draw(st.booleans()):
        lines.append(Line(0, "publications", kind="section"))
        lines.append(Line(2, "title", text(draw), item=True))
        if draw(st.booleans()):
            lines.append(Line(4, "mechanism", draw(st.sampled_from(KEYS)), "mechanism"))
        lines.append(Line(4, "url", "https://example.org/a?b=1&c=2", "url"))
    if draw(st.booleans()):
        lines.append(Line(0, "closing", kind="section"))
        lines.append(Line(2, "label", text(draw), item=True))
        lines.append(Line(4, "links", kind="section"))
        lines.append(Line(6, "label", text(draw), item=True))
        lines.append(Line(8, "url", "mailto:news@example.org", "url"))
    return lines


def event(draw: st.DrawFn) -> list[Line]:
    if draw(st.integers(0, 5)) == 0:
        return [Line(4, "text", f"Two {text(draw)} addressed {text(draw)}.", item=True)]
    lines = [Line(4, "title", text(draw), item=True), Line(6, "dates", dates(draw), "dates")]
    if draw(st.booleans()):
        lines.append(Line(6, "place", text(draw)))
    if draw(st.booleans()):
        lines.append(Line(6, "summary", f"addressed {text(draw)}."))
    return lines


WRONG_TYPES = {
    "text": ["[a, b]", "{a: b}"],
    "note": ["[a, b]"],
    "number": ["many", "[2020]", "12.5"],
    "dates": ["{day: 1}", "[[2020-01-01]]"],
    "url": ["[https://example.org]"],
    "mechanisms": ["ADD", "{ADD: 1}"],
    "mechanism": ["[ADD]"],
}
BAD_DATES = [
    "2021-03-01",
    "2019-12-31",
    "2020-13-01",
    "2020-02-30",
    "2020-03-05/2020-03-01",
    "2019-12-30/2020-01-02",
    "2020-12-30/2021-01-02",
    "2020-1-1",
    "tomorrow",
    "2020-03-01/2020-03-02/2020-03-03",
]
BAD_URLS = [
    "javascript:alert(1)",
    "file:///etc/passwd",
    "ftp://example.org/file",
    "https://",
    "'https://exa mple.org'",
    "www.example.org",
    "data:text/html;base64,PHNjcmlwdD4=",
]


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[list[str], int, str]:
    """A valid year file with one corruption: its lines, the line to name, what was done."""
    lines = draw(year_files())
    at = draw(st.integers(0, len(lines) - 1))
    line = lines[at]
    options = ["renamed key"]
    if line.value is not None:
        options.append("duplicate key")
    if line.kind in WRONG_TYPES:
        options.append("wrong type")
    if line.kind == "dates":
        options.append("date out of range")
    if line.kind in ("mechanism", "mechanisms") or line.key.startswith('"'):
        options.append("unknown mechanism")
    if line.kind == "url" or line.key in ("summary", "text"):
        options.append("bad url")
    how = draw(st.sampled_from(options))
    texts = [str(each) for each in lines]
    where = at
    if how == "renamed key":
        key = line.key[:-1] + '_x"' if line.key.startswith('"') else line.key + "_x"
        texts[at] = str(replace(line, key=key))
    elif how == "duplicate key":
        indent = line.indent + 2 if line.item else line.indent
        texts.insert(at + 1, str(replace(line, indent=indent, item=False)))
        where = at + 1
    elif how == "wrong type":
        texts[at] = str(replace(line, value=draw(st.sampled_from(WRONG_TYPES[line.kind]))))
    elif how == "date out of range":
        texts[at] = str(replace(line, value=draw(st.sampled_from(BAD_DATES))))
    elif how == "unknown mechanism":
        if line.kind == "mechanisms":
            texts[at] = str(replace(line, value=f"[{line.value.strip('[]')}, Nowhere]"))
        elif line.kind == "mechanism":
            texts[at] = str(replace(line, value="Nowhere"))
        else:
            texts[at] = str(replace(line, key='"Nowhere"'))
    elif line.kind == "url":
        texts[at] = str(replace(line, value=draw(st.sampled_from(BAD_URLS))))
    else:  # an inline link: Markdown takes an address with a space for plain text
        address = draw(st.sampled_from([u for u in BAD_URLS if " " not in u]))
        texts[at] = str(replace(line, value=f'"{line.value} see [this]({address})"'))
    return texts, where + 1, f"{how} on line {where + 1}: {texts[where].strip()}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the real registry and settings; each case writes its year file."""
    folder = tmp_path_factory.mktemp("corrupt")
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        shutil.copy(DATA / name, folder / name)
    return folder


def check(folder: Path, lines: list[str]) -> tuple[int, str, BaseException | None]:
    (folder / YEAR_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "2020", "--data", str(folder)])
    return result.exit_code, result.output, result.exception


@settings(max_examples=max(CORRUPTIONS // 4, 10), deadline=None)
@given(lines=year_files())
def test_every_generated_year_file_is_valid(folder: Path, lines: list[Line]) -> None:
    """The corruptions start from valid files (else the next test would prove nothing)."""
    code, output, _ = check(folder, [str(line) for line in lines])
    assert code == 0, output


@settings(max_examples=CORRUPTIONS, deadline=None)
@given(case=corrupted())
def test_any_single_corruption_is_refused_on_its_line(
    folder: Path, case: tuple[list[str], int, str]
) -> None:
    lines, line, what = case
    code, output, exception = check(folder, lines)
    assert code == 1, f"{what}\n{output}"
    assert isinstance(exception, SystemExit), f"{what}: {exception!r}"
    assert "Traceback" not in output and "internal error" not in output, output
    assert f"{folder / YEAR_FILE}:{line}:" in output, f"{what}\n{output}"


def test_random_generated_data_is_reproducible() -> None:
    first = documents(random.Random(5), [3, 2], presence=1.0)
    second = documents(random.Random(5), [3, 2], presence=1.0)
    assert first == second
    assert bulletin_data(5, 2, 3) == bulletin_data(5, 2, 3)
    assert bulletin_data(5, 2, 3) != bulletin_data(6, 2, 3)
