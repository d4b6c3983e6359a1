"""The Word file for readers with assistive technology, and LibreOffice's tagged PDF of it.

In the .docx (read back with lxml and python-docx): a title and a language, alternative text
on every drawing, headings that never skip a level, no empty paragraph used for spacing. In
LibreOffice's tagged export (PDF/UA-1, one run for both layouts): pdfua's verdict, the
headings, no empty paragraph, and the masthead band where the PDF has it.
"""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph
from lxml import etree
from PIL import Image

from generator import model
from generator.build import build
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import load_issue
from generator.layout import Layout, load_layout
from generator.layout_spec import MM
from generator.writers.docx.masthead import MAX_BORDER_EIGHTHS, MAX_BORDER_SPACE
from tests.completeness import TAGGED_PDF, libreoffice_pdfs
from tests.conftest import DATA, real_client
from tests.tagged import structure_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LAYOUTS = ("iscm", "large-print")


@dataclass
class Issue:
    layout: Layout
    document: model.Document
    pdf: Path
    word: Path
    tagged: Path | None = None
    typed: Path | None = None
    """LibreOffice's rendering of the Word file with a line typed into the masthead."""


@pytest.fixture(scope="module")
def issues(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Issue]:
    """The 2020 issue in both layouts, and one LibreOffice run exporting as tagged PDF both
    Word files and a copy of each with a line typed into the masthead."""
    found = {}
    for name in LAYOUTS:
        out = tmp_path_factory.mktemp(name)
        pdf, word = build(DATA, "2020", name, out, ("pdf", "docx"), lambda t: None)
        layout = load_layout(name)
        document = compose(load_issue(DATA, "2020"), layout)
        found[name] = Issue(layout, document, pdf.path, word.path)
    out = tmp_path_factory.mktemp("tagged")
    words = [issue.word for issue in found.values()]
    typed = [_type_a_line(issue, out / f"typed-{name}.docx") for name, issue in found.items()]
    tagged = libreoffice_pdfs([*words, *typed], out, real_client("soffice"), TAGGED_PDF)
    plain, edited = tagged[: len(words)], tagged[len(words) :]
    for issue, pdf, typed_pdf in zip(found.values(), plain, edited, strict=True):
        issue.tagged, issue.typed = pdf, typed_pdf
    return found


TYPED = "Typed in by an editor"


def _type_a_line(issue: Issue, target: Path) -> Path:
    """A copy of the Word file where an editor pressed Enter after the masthead's last
    publisher line and typed a line (the new paragraph takes that line's style)."""
    word = docx.Document(str(issue.word))
    last = word.paragraphs[len(issue.document.masthead.publisher) - 1]
    added = copy.deepcopy(last._p)
    for child in [c for c in added if c.tag != f"{W}pPr"]:
        added.remove(child)
    last._p.addnext(added)
    Paragraph(added, last._parent).add_run(TYPED)
    word.save(str(target))
    return target


def _tagged(issue: Issue) -> Path:
    assert issue.tagged is not None
    return issue.tagged


def _body(issue: Issue) -> etree._Element:
    with zipfile.ZipFile(issue.word) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")


def _outline_levels(issue: Issue) -> dict[str, int]:
    """Each paragraph style's outline level (through its w:basedOn chain), 9 for body text."""
    with zipfile.ZipFile(issue.word) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    by_id = {s.get(f"{W}styleId"): s for s in styles.findall(f"{W}style")}

    def level(ident: str | None) -> int:
        while ident in by_id:
            style = by_id[ident]
            found = style.find(f"{W}pPr/{W}outlineLvl")
            if found is not None:
                return int(found.get(f"{W}val"))
            based = style.find(f"{W}basedOn")
            ident = based.get(f"{W}val") if based is not None else None
        return 9

    return {ident: level(ident) for ident in by_id}


def _skips(levels: list[int]) -> list[int]:
    """The positions where a heading goes deeper than one level below the one before it."""
    skipped, deepest = [], -1
    for i, level in enumerate(levels):
        if level > deepest + 1:
            skipped.append(i)
        deepest = level
    return skipped


# -- the Word file ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", LAYOUTS)
def test_the_word_file_has_a_title_and_a_language(issues: dict[str, Issue], name: str) -> None:
    issue = issues[name]
    core = docx.Document(str(issue.word)).core_properties
    assert core.title == issue.document.info.title and core.title.strip()
    with zipfile.ZipFile(issue.word) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    language = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert language.get(f"{W}val") == issue.document.info.language == core.language


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_drawing_has_alternative_text(issues: dict[str, Issue], name: str) -> None:
    drawings = list(_body(issues[name]).iter(f"{WP}docPr"))
    assert drawings, "the chart"
    assert all(d.get("descr", "").strip() for d in drawings)


@pytest.mark.parametrize("name", LAYOUTS)
def test_word_headings_never_skip_a_level(issues: dict[str, Issue], name: str) -> None:
    """Sections are level 1 (Heading 1), mechanisms, captions level 2 (Heading 2): the
    navigation pane and screen readers see a tree without gaps."""
    issue = issues[name]
    levels = _outline_levels(issue)
    headings = []
    for paragraph in _body(issue).iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        ident = style.get(f"{W}val") if style is not None else "Normal"
        level = levels.get(ident, 9)
        own = paragraph.find(f"{W}pPr/{W}outlineLvl")
        level = int(own.get(f"{W}val")) if own is not None else level
        if level < 9:
            text = "".join(paragraph.itertext())
            headings.append((level, ident, text))
    assert headings[0][0] == 0, headings[0]
    assert _skips([level for level, _, _ in headings]) == []
    entries = [b for s in issue.document.sections for b in s.blocks if isinstance(b, model.Group)]
    mechanisms = [text for level, ident, text in headings if ident == "Mechanism"]
    assert mechanisms == [entry.heading.text for entry in entries]
    assert {level for level, ident, _ in headings if ident == "Mechanism"} == {1}
    sections = [s.heading.text for s in issue.document.sections if s.heading]
    assert [text for level, _, text in headings if level == 0][: len(sections)] == sections


@pytest.mark.parametrize("name", LAYOUTS)
def test_no_empty_paragraph_is_used_for_spacing(issues: dict[str, Issue], name: str) -> None:
    """An empty paragraph is only where Word needs one: one holding the end of a column
    section, one holding the chart."""
    for paragraph in _body(issues[name]).iter(f"{W}p"):
        if "".join(paragraph.itertext()).strip():
            continue
        holds = paragraph.find(f"{W}pPr/{W}sectPr") is not None
        holds = holds or paragraph.find(f".//{W}drawing") is not None
        assert holds, etree.tostring(paragraph)[:200]


# -- LibreOffice's tagged PDF of it ----------------------------------------------------------


def _pdfua(pdf: Path) -> dict:
    pdfua = Path(sys.executable).with_name("pdfua")
    result = subprocess.run(
        [str(pdfua), "check", "--format", "json", str(pdf)], capture_output=True, text=True
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", LAYOUTS)
def test_libreoffice_exports_it_tagged(issues: dict[str, Issue], name: str) -> None:
    info = subprocess.run(
        [real_client("pdfinfo"), str(_tagged(issues[name]))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Tagged:          yes" in info
    assert f"Title:           {issues[name].document.info.title}" in info


@pytest.mark.parametrize("name", LAYOUTS)
def test_pdfua_finds_nothing(issues: dict[str, Issue], name: str) -> None:
    """The masthead is no table (pdfua's UA-15-003: a table without header cells); each
    link's ScreenTip gives its annotation a description (UA-18-005); LibreOffice keeps the
    chart's alternative text (UA-13-004: 7.4 lost it)."""
    report = _pdfua(_tagged(issues[name]))
    assert [(f["rule_id"], f["location"]) for f in report["findings"]] == []
    assert [s["rule_id"] for s in report["skipped"]] in ([], ["UA-14-001"])


@pytest.mark.parametrize("name", LAYOUTS)
def test_libreoffices_headings_never_skip_a_level_and_nothing_is_empty(
    issues: dict[str, Issue], name: str
) -> None:
    tree = structure_texts(_tagged(issues[name]))
    headings = [int(tag[1]) - 1 for tag, _ in tree if tag in ("H1", "H2", "H3")]
    assert headings and headings[0] == 0 and _skips(headings) == []
    assert [tag for tag, text in tree if not text.strip()] == []
    masthead = issues[name].document.masthead
    first = [(tag, text.split()) for tag, text in tree[: len(masthead.publisher) + 1]]
    assert first[-1] == ("P", masthead.title.text.split()), "the masthead's paragraphs, no table"


# -- how the masthead looks ------------------------------------------------------------------


def _page_one(pdf: Path, folder: Path, dpi: int) -> Image.Image:
    stem = folder / pdf.stem
    command = [real_client("pdftoppm"), "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*command, str(pdf), str(stem)], check=True, capture_output=True)
    return Image.open(f"{stem}.png").convert("RGB")


def _is_band(picture: Image.Image, x: int, y: int, brand: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= 16 for a, b in zip(picture.getpixel((x, y)), brand, strict=True))


def _band_rows(picture: Image.Image, x: int, brand: tuple[int, ...]) -> tuple[int, int]:
    """The first and last row of the band's colour in a column of pixels, from the top; the
    rows between are all of that colour (no white line where the band is made of parts)."""
    rows = [y for y in range(picture.height // 2) if _is_band(picture, x, y, brand)]
    assert rows, "no band"
    assert rows == list(range(rows[0], rows[-1] + 1)), f"a gap in the band at x={x}"
    return rows[0], rows[-1]


def _words(pdf: Path) -> list[tuple[str, float, float, float]]:
    """The words of page 1: text, left, right and top, in points."""
    found = subprocess.run(
        [real_client("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
    ).stdout
    root = etree.fromstring(found, etree.XMLParser(recover=True))
    return [
        (w.text or "", float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMin")))
        for w in root.iter(f"{XHTML}word")
    ]


def _word(words: list, text: str) -> tuple[str, float, float, float]:
    """The rightmost of the words with this text."""
    return max((w for w in words if w[0] == text), key=lambda w: w[2])


@pytest.mark.parametrize("name", LAYOUTS)
def test_libreoffice_shows_the_masthead_as_the_pdf_does(
    issues: dict[str, Issue], name: str, tmp_path: Path
) -> None:
    """A band in the masthead colour from the page's top edge and from side edge to side
    edge, as in the PDF, ending where the PDF's ends; the title at the left; the period and
    the issue at the top right, on the publisher's first lines."""
    issue = issues[name]
    dpi = 36
    colour = issue.layout.spec.colours[issue.layout.page.masthead_background].rgb
    brand = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    word, pdf = _page_one(_tagged(issue), tmp_path, dpi), _page_one(issue.pdf, tmp_path, dpi)
    top, bottom = _band_rows(word, 0, brand)
    assert top == 0, "the band starts at the page's top edge"
    right = word.width - 2  # the last column of pixels is only partly on the page
    assert _band_rows(word, right, brand) == (top, bottom), "edge to edge"
    page = issue.layout.page
    above_text = round(page.margins_mm.top / 25.4 * dpi) - 1
    for y in (*range(above_text), bottom):
        edge = [x for x in range(right + 1) if not _is_band(word, x, y, brand)]
        assert edge == [], f"row {y} is not band from edge to edge: {edge[:3]}"
    pdf_top, pdf_bottom = _band_rows(pdf, 0, brand)
    assert pdf_top == 0
    assert abs(bottom - pdf_bottom) <= 3 / 25.4 * dpi, "ends 3 mm or less from the PDF's end"

    band = page.masthead_height_mm * MM
    shown = [w for w in _words(_tagged(issue)) if w[3] < band]
    drawn = [w for w in _words(issue.pdf) if w[3] < band]
    masthead = issue.document.masthead
    title = masthead.title.text.split()[0]
    assert abs(_word(shown, title)[1] - _word(drawn, title)[1]) <= 1
    right_edge = (page.size_mm[0] - page.margins_mm.right) * MM
    first_line = min(w[3] for w in shown if w[0] == masthead.publisher[0].text.split()[0])
    for line, paragraph in enumerate((masthead.period, masthead.issue)):
        last = paragraph.text.split()[-1]
        for words in (shown, drawn):
            assert abs(_word(words, last)[2] - right_edge) <= 1, (last, words is shown)
        line_height = issue.layout.style(masthead.publisher[0].style).leading
        assert abs(_word(shown, last)[3] - first_line - line * line_height) <= line_height / 2


@pytest.mark.parametrize("name", LAYOUTS)
def test_libreoffice_lines_the_masthead_text_up_with_the_body(
    issues: dict[str, Issue], name: str
) -> None:
    """In LibreOffice's rendering, each masthead line starts where the body's text starts
    (the first heading, within 1 pt) and the period and the issue end where the page label
    ends at the body's right edge (within 1 pt), as in the PDF. (The Word masthead's text
    stood 8 pt, in large print 14 pt, out of the body's column, so that its borders carried
    the band to the page's edges; a picture in page 1's header does it now.)"""
    issue = issues[name]
    page = issue.layout.page
    band, foot = page.masthead_height_mm * MM, (page.size_mm[1] - page.margins_mm.bottom) * MM
    words = _words(_tagged(issue))
    shown = [w for w in words if w[3] < band]
    heading = next(s.heading for s in issue.document.sections if s.heading is not None)
    first_word = heading.text.split()[0].lower()  # the heading's style shows capitals
    left = min(w[1] for w in words if band < w[3] < foot and w[0].lower() == first_word)
    masthead = issue.document.masthead
    for paragraph in (*masthead.publisher, masthead.title):
        first = paragraph.text.split()[0]
        assert abs(min(w[1] for w in shown if w[0] == first) - left) <= 1, first
    right = max(w[2] for w in words if w[3] > foot)
    for paragraph in (masthead.period, masthead.issue):
        assert abs(_word(shown, paragraph.text.split()[-1])[2] - right) <= 1, paragraph.text


@pytest.mark.parametrize("name", LAYOUTS)
def test_a_line_typed_into_the_masthead_grows_the_band_as_far_as_its_borders(
    issues: dict[str, Issue], name: str, tmp_path: Path
) -> None:
    """An editor presses Enter after the last publisher line and types: in LibreOffice the
    band grows by that line from the page's top edge, across the text and as far into each
    side margin as the paragraphs' borders reach (43 pt), with the new line inside it. The
    band's picture in page 1's header keeps its height: at the side edges the band ends
    where it did (docs/docx.md tells editors to drag the picture's foot)."""
    issue = issues[name]
    assert issue.typed is not None
    dpi = 36
    page = issue.layout.page
    colour = issue.layout.spec.colours[page.masthead_background].rgb
    brand = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    typed, plain = _page_one(issue.typed, tmp_path, dpi), _page_one(_tagged(issue), tmp_path, dpi)
    line = issue.layout.style(issue.document.masthead.publisher[-1].style).leading / 72 * dpi
    reach = MAX_BORDER_SPACE + MAX_BORDER_EIGHTHS / 8
    left = math.ceil((page.margins_mm.left * MM - reach) / 72 * dpi) + 1
    right = typed.width - 2 - math.ceil((page.margins_mm.right * MM - reach) / 72 * dpi)
    for x in (left, right):
        top, bottom = _band_rows(typed, x, brand)
        _, before = _band_rows(plain, x, brand)
        assert top == 0 and abs(bottom - before - line) <= 2, (x, bottom, before, line)
    for x in (0, typed.width - 2):
        assert _band_rows(typed, x, brand) == _band_rows(plain, x, brand), "the picture's"
    (word,) = [w for w in _words(issue.typed) if w[0] == TYPED.split()[0]]
    assert word[3] / 72 * dpi < bottom, "the typed line is inside the band"
