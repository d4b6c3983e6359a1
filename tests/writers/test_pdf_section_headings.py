"""A section's heading never ends a page alone in the PDF: the table's caption and first rows,
or the chart, that follow it go with it to the next page (as Word keeps a heading with the
next paragraph). Checked on the 2020 issue cut to fewer and fewer mechanisms, so that the
sections after the events start at every height of a page, in both layouts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import load_issue
from generator.layout import load_layout
from generator.model import Document
from generator.writers import Options, writer
from tests.completeness import pdf_text
from tests.conftest import DATA, real_client

FOOTER = re.compile(r"page \d+ of \d+")


def _cut(folder: Path, mechanisms: int, words: int) -> Path:
    """The 2020 data with the events of its first `mechanisms` mechanisms only, the first
    event's summary cut to `words` words (to move what follows by a line at a time)."""
    shutil.copytree(DATA, folder)
    year = folder / "2020.yaml"
    data = yaml.safe_load(year.read_text(encoding="utf-8"))
    data["events"] = dict(list(data["events"].items())[:mechanisms])
    notes = data.get("notes") or {}
    data["notes"] = {key: note for key, note in notes.items() if key in data["events"]}
    first = next(iter(data["events"].values()))[0]
    if "summary" in first:
        first["summary"] = " ".join(first["summary"].split()[:words])
    year.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _headings(document: Document) -> list[str]:
    return [s.heading.text for s in document.sections if s.heading is not None]


def _page_ends(pdf: Path, pdftotext: str) -> list[str]:
    """Each page's text before its footer's page number, in content order, on one line."""
    text = pdf_text(pdf, pdftotext)
    ends = []
    for page in text.split("\f"):
        before = FOOTER.split(page)[0] if FOOTER.search(page) else page
        ends.append(" ".join(before.split()))
    return ends


@pytest.mark.parametrize("layout_name", ["iscm", "large-print"])
def test_no_section_heading_ends_a_page(tmp_path: Path, layout_name: str) -> None:
    pdftotext = real_client("pdftotext")
    layout = load_layout(layout_name)
    checked = 0
    for mechanisms in range(2, 12, 2):
        for words in (4, 30):
            folder = _cut(tmp_path / f"{mechanisms}-{words}", mechanisms, words)
            document = compose(load_issue(folder, "2020"), layout)
            pdf = folder / "issue.pdf"
            writer("pdf").write(document, layout, pdf, Options())
            for number, end in enumerate(_page_ends(pdf, pdftotext), start=1):
                for heading in _headings(document):
                    assert not end.casefold().endswith(" ".join(heading.split()).casefold()), (
                        f"{mechanisms} mechanisms, {words} words: page {number} ends with "
                        f"the heading {heading!r}"
                    )
            checked += 1
    assert checked == 10


@pytest.mark.parametrize("layout_name", ["iscm", "large-print"])
def test_a_feature_box_asks_before_it_starts_for_the_room_its_heading_needs(
    layout_name: str,
) -> None:
    """The box's background starts only where its heading can follow: the room its heading
    asks for is asked before the box starts (else the heading moves on and leaves an empty
    piece of the box at the page's foot), and the box asks no room once started. The room
    is Word's: the gap above the box, its padding above and below, the heading and the
    first two lines of the text after it (Word keeps a heading with them)."""
    from reportlab.platypus import CondPageBreak

    from generator.writers.pdf.writer import PdfWriter

    layout = load_layout(layout_name)
    document = compose(load_issue(DATA, "2020"), layout)
    pdf = PdfWriter(document, layout, print_ready=False)
    boxed = [s for s in document.sections if s.frame and s.heading is not None]
    assert boxed, "2020 has a feature box"
    for section in boxed:
        flowables = pdf.visit(section)
        own = pdf.visit(section.heading)[0]
        assert isinstance(own, CondPageBreak)
        first = flowables[0]
        frame = layout.spec.frames[section.frame]
        heading, text = layout.style(section.heading.style), layout.style("Feature Text")
        wanted = 6 + 2 * frame.padding + heading.leading + heading.space_after + 2 * text.leading
        assert isinstance(first, CondPageBreak) and first.height == pytest.approx(wanted)
        assert not any(isinstance(f, CondPageBreak) for f in flowables[1:])
