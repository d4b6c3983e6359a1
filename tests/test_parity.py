"""Nothing lost: every text item of the data is in the screen PDF, the print PDF, the Word
file and LibreOffice's rendering of it, in reading order; for 2020 and for generated data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from generator.build import build
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import Issue, load_issue
from generator.layout import load_layout
from generator.model import Document, Group
from tests.completeness import (
    data_texts,
    docx_text,
    items,
    libreoffice_pdfs,
    missing,
    missing_data,
    pdf_fonts,
    pdf_text,
)
from tests.conftest import DATA, real_client
from tests.generated import bulletin_data, write_data

KINDS = ("screen", "print", "docx", "libreoffice")


@dataclass
class Built:
    """An issue, its document model and the four texts a reader may see of it."""

    issue: Issue
    document: Document
    files: dict[str, Path]
    texts: dict[str, str]


@pytest.fixture(scope="module")
def issues(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """2020 and a generated issue (30 mechanisms, 150 events), built and read back; one
    LibreOffice run converts both Word files."""
    generated = write_data(tmp_path_factory.mktemp("data"), bulletin_data(7, 30, 5))
    found: dict[str, Built] = {}
    for name, folder in (("2020", DATA), ("generated", generated)):
        out = tmp_path_factory.mktemp(name)
        written = build(folder, "2020", "iscm", out, ("pdf", "print", "docx"), lambda t: None)
        files = dict(zip(("screen", "print", "docx"), (w.path for w in written), strict=True))
        issue = load_issue(folder, "2020")
        found[name] = Built(issue, compose(issue, load_layout("iscm")), files, {})
    converted = tmp_path_factory.mktemp("libreoffice")
    words = [built.files["docx"] for built in found.values()]
    pdfs = libreoffice_pdfs(words, converted, real_client("soffice"))
    pdftotext = real_client("pdftotext")
    for built, pdf in zip(found.values(), pdfs, strict=True):
        built.files["libreoffice"] = pdf
        built.texts = {
            "screen": pdf_text(built.files["screen"], pdftotext),
            "print": pdf_text(built.files["print"], pdftotext),
            "docx": docx_text(built.files["docx"]),
            "libreoffice": pdf_text(pdf, pdftotext),
        }
    return found


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["2020", "generated"])
def test_every_item_is_found_in_reading_order(
    issues: dict[str, Built], name: str, kind: str
) -> None:
    built = issues[name]
    assert len(items(built.document)) > 100
    assert missing(built.document, built.texts[kind]) == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["2020", "generated"])
def test_every_text_of_the_data_is_found(issues: dict[str, Built], name: str, kind: str) -> None:
    built = issues[name]
    assert len(data_texts(built.issue)) > 100
    assert missing_data(built.issue, built.document, built.texts[kind]) == []


@pytest.mark.parametrize("kind", ["screen", "print", "libreoffice"])
@pytest.mark.parametrize("name", ["2020", "generated"])
def test_every_font_is_embedded(issues: dict[str, Built], name: str, kind: str) -> None:
    fonts = pdf_fonts(issues[name].files[kind], real_client("pdffonts"))
    assert fonts
    assert [f for f in fonts if f["emb"] != "yes"] == []
    assert {f["name"].partition("+")[2].partition("-")[0] for f in fonts} == {"Lato"}


def test_libreoffice_pages_are_close_to_ours(issues: dict[str, Built]) -> None:
    for built in issues.values():
        ours = len(pypdf.PdfReader(built.files["screen"]).pages)
        theirs = len(pypdf.PdfReader(built.files["libreoffice"]).pages)
        assert abs(ours - theirs) <= max(1, ours // 4), (ours, theirs)


# -- the check itself catches a loss --------------------------------------------------------


def test_a_lost_event_is_reported(issues: dict[str, Built]) -> None:
    built = issues["generated"]
    entry = next(b for b in built.document.sections[0].blocks if isinstance(b, Group))
    event = entry.paragraphs[-1].text
    text = built.texts["docx"]
    assert event in text
    assert missing(built.document, text.replace(event, "")) == [event]
    lost = missing_data(built.issue, built.document, text.replace(event, ""))
    typed = event.replace("\u00a0", " ")  # a template's spaces are no-break ones when set
    assert lost and all(piece in typed for piece in lost), lost


def test_two_mechanisms_out_of_order_are_reported(issues: dict[str, Built]) -> None:
    built = issues["2020"]
    first, second = (b for b in built.document.sections[0].blocks[:2])
    assert isinstance(first, Group) and isinstance(second, Group)
    text = built.texts["docx"]
    a, b = first.heading.text, second.heading.text
    swapped = text.replace(a, "\x00").replace(b, a).replace("\x00", b)
    assert missing(built.document, swapped, ordered=False) == []
    assert missing(built.document, swapped) != []
