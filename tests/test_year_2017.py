"""Another year than 2020, as an editor would make it: tests/data/2017.yaml (an earlier ISCM
issue written for the tests) built with both layouts into one folder, side by side, with
`--strict`; nothing of the data is lost in any of the six files or LibreOffice's rendering
of the two Word files."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import Issue, load_issue
from generator.layout import load_layout
from generator.model import Document, Group
from tests.completeness import (
    docx_text,
    libreoffice_pdfs,
    missing,
    missing_data,
    missing_texts,
    pdf_text,
)
from tests.conftest import DATA, ROOT, real_client

YEAR_FILE = ROOT / "tests" / "data" / "2017.yaml"
LAYOUTS = ("iscm", "large-print")
FILES = {
    "iscm": ("iscm-highlights-2017.pdf", "iscm-highlights-2017-print.pdf"),
    "large-print": (
        "iscm-highlights-2017-large-print.pdf",
        "iscm-highlights-2017-large-print-print.pdf",
    ),
}
WORD = {"iscm": "iscm-highlights-2017.docx", "large-print": "iscm-highlights-2017-large-print.docx"}


@dataclass
class Year2017:
    issue: Issue
    documents: dict[str, Document]
    folder: Path
    outputs: dict[str, str]
    texts: dict[str, str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Year2017:
    """The 2017 issue built twice into one folder, once per layout, as the CLI does it."""
    data = tmp_path_factory.mktemp("data")
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        shutil.copy(DATA / name, data / name)
    shutil.copy(YEAR_FILE, data / "2017.yaml")
    out = tmp_path_factory.mktemp("out") / "2017"
    outputs = {}
    for layout in LAYOUTS:
        args = ["build", "2017", "--data", str(data), "--output", str(out), "--layout", layout]
        result = CliRunner().invoke(main, [*args, "--strict"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        outputs[layout] = result.output
    issue = load_issue(data, "2017")
    documents = {layout: compose(issue, load_layout(layout)) for layout in LAYOUTS}
    pdftotext = real_client("pdftotext")
    texts = {}
    for layout in LAYOUTS:
        for name in FILES[layout]:
            texts[name] = pdf_text(out / name, pdftotext)
        texts[WORD[layout]] = docx_text(out / WORD[layout])
    converted = tmp_path_factory.mktemp("libreoffice")
    words = [out / WORD[layout] for layout in LAYOUTS]
    for pdf in libreoffice_pdfs(words, converted, real_client("soffice")):
        texts[f"libreoffice:{pdf.name}"] = pdf_text(pdf, pdftotext)
    return Year2017(issue, documents, out, outputs, texts)


def layout_of(name: str) -> str:
    return "large-print" if "large-print" in name else "iscm"


def test_the_year_is_a_full_issue(built: Year2017) -> None:
    year = built.issue.year
    events = [event for events in year.events.values() for event in events]
    assert year.year == 2017 and year.issue == 3
    assert len(year.events) >= 12
    assert any(e.title is None and e.place is not None for e in events)  # no title
    assert any(e.title is not None and e.place is None and e.dates for e in events)  # no place
    assert any(e.title is None and e.place is None and e.text is None for e in events)  # neither
    assert year.mechanisms["Colombo"].name == "Colombo Process"


def test_both_layouts_sit_side_by_side(built: Year2017) -> None:
    expected = {name for layout in LAYOUTS for name in (*FILES[layout], WORD[layout])}
    assert {path.name for path in built.folder.iterdir()} == expected
    assert "naming    iscm-highlights-2017-large-print.*" in built.outputs["large-print"]
    assert "naming" not in built.outputs["iscm"]
    assert "warning" not in built.outputs["iscm"] + built.outputs["large-print"]
    for layout in LAYOUTS:
        for name in (*FILES[layout], WORD[layout]):
            assert f"wrote     {built.folder / name} (" in built.outputs[layout]
    standard = len(pypdf.PdfReader(built.folder / FILES["iscm"][0]).pages)
    large = len(pypdf.PdfReader(built.folder / FILES["large-print"][0]).pages)
    assert large > standard  # the large-print files are not the standard ones again


@pytest.mark.parametrize(
    "name",
    [
        *FILES["iscm"],
        WORD["iscm"],
        *FILES["large-print"],
        WORD["large-print"],
        "libreoffice:iscm-highlights-2017.pdf",
        "libreoffice:iscm-highlights-2017-large-print.pdf",
    ],
)
def test_every_item_is_in_every_file(built: Year2017, name: str) -> None:
    document = built.documents[layout_of(name)]
    text = built.texts[name]
    assert missing(document, text) == []
    assert missing_data(built.issue, document, text) == []


def test_the_issue_s_own_name_replaces_the_registry_s(built: Year2017) -> None:
    long_name = built.issue.registry["Colombo"].name
    for name, text in built.texts.items():
        assert missing_texts(["Colombo Process", "Sri Lanka chairs"], text) == [], name
        assert long_name.split()[0] + " Consultative Process on Overseas" not in text, name


def test_sort_as_files_a_mechanism_elsewhere(built: Year2017) -> None:
    for document in built.documents.values():
        entries = [b for b in document.sections[0].blocks if isinstance(b, Group)]
        keys = [entry.key for entry in entries]
        assert keys.index("Colombo") < keys.index("5+5") < keys.index("GFMD")  # "Five plus Five"


def test_events_without_title_or_place_read_as_sentences(built: Year2017) -> None:
    sentences = [
        "A meeting, 30 November – 2 December, Dubai, United Arab Emirates, focused on "
        "recruitment reform and the pilot project on skills certification.",
        "A meeting, 7 March and 16 May, focused on return and reintegration in the Silk "
        "Routes region.",
        "A meeting, 21–22 February, focused on smuggling of migrants.",
        "Ad Hoc Group Senior Officials' Meeting, 22 March, discussed the review of the "
        "regional response to the 2015 Andaman Sea crisis.",
    ]
    for name, text in built.texts.items():
        assert missing_texts(sentences, text) == [], name


def test_date_ranges_in_house_style(built: Year2017) -> None:
    """Closed up within a month, spaced between months, in every file."""
    for name, text in built.texts.items():
        assert "24–25 January" in text.replace("\u00a0", " "), name
        spaced = text.replace("\u202f", " ").replace("\u00a0", " ")
        assert "31 July – 1 August" in " ".join(spaced.split()), name


def test_no_heading_leaves_a_word_alone_on_its_last_line(built: Year2017) -> None:
    """In the PDFs and LibreOffice's rendering of the Word files, a heading (sections,
    mechanisms) found on consecutive lines never ends with a line of one word; without the
    no-break space, "... MAIN EVENTS IN / 2017" and "... Process on Migration / (ARCP)" did."""
    for name, text in built.texts.items():
        if name.endswith(".docx"):
            continue  # one line per paragraph: the lines are drawn by LibreOffice
        document = built.documents[layout_of(name)]
        headings = [s.heading.text for s in document.sections if s.heading]
        headings += [b.heading.text for b in document.sections[0].blocks if isinstance(b, Group)]
        lines = [" ".join(line.split()).casefold() for line in text.splitlines()]
        for heading in headings:
            shown = heading_lines(" ".join(heading.split()).casefold(), lines)
            assert shown, (name, heading)  # found, on one line or more
            assert len(shown) == 1 or len(shown[-1].split()) > 1, (name, shown)


def heading_lines(heading: str, lines: list[str]) -> list[str]:
    """The consecutive lines that hold exactly the heading, or [] if none do."""
    for first in range(len(lines)):
        for count in range(1, 5):
            window = lines[first : first + count]
            if " ".join(window) == heading:
                return window
    return []


def test_a_character_no_font_draws_in_an_issue_s_own_name_is_located_there(
    tmp_path: Path,
) -> None:
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    text = YEAR_FILE.read_text(encoding="utf-8")
    old = "    name: Colombo Process "
    assert old in text
    (tmp_path / "2017.yaml").write_text(text.replace(old, old[:-1] + "\u0639 "), "utf-8")
    line = text.splitlines().index(next(r for r in text.splitlines() if r.startswith(old))) + 1
    result = CliRunner().invoke(main, ["check", "2017", "--data", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert f"2017.yaml:{line}:11: mechanisms.Colombo.name: character 'ع' (U+0639" in (result.output)
