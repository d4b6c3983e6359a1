"""The tagged PDF (PDF/UA-1): the structure tree, the marks on the pages, pdfua's verdict.

For 2020 and for generated data, in both layouts, screen and print: pdfinfo says Tagged;
pdfua finds nothing; every painting operator is marked (content or artifact); the MCIDs of
the pages, the tree and the ParentTree agree; every link annotation has its Link; and the
tree, walked in order, holds every item of the data under its tag, in reading order.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from generator.build import build
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import Issue, load_issue
from generator.layout import load_layout
from generator.model import (
    BarChart,
    Document,
    DocumentInfo,
    Group,
    Paragraph,
    Run,
    Table,
)
from generator.writers.pdf.flowables import Paragraph as TaggedParagraph
from generator.writers.pdf.structure import Annotation, Content, Element, Marks
from generator.writers.pdf.structure_tree import finish
from generator.writers.pdf.tagging import TaggingCanvas
from generator.writers.pdf.writer import LIST_STYLES
from tests.completeness import (
    ELLIPSIS,
    find_marked,
    items,
    missing_data,
    squeeze,
    squeeze_marked,
)
from tests.conftest import DATA, real_client
from tests.generated import bulletin_data, write_data
from tests.tagged import (
    link_problems,
    page_mcids,
    parent_tree_mcids,
    structure_texts,
    tree_mcids,
    unmarked,
)

CASES = [
    (name, layout, kind)
    for name in ("2020", "generated")
    for layout in ("iscm", "large-print")
    for kind in ("screen", "print")
]


@dataclass
class Built:
    issue: Issue
    document: Document
    files: dict[str, Path]


@pytest.fixture(scope="module")
def issues(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Built]:
    """2020 and a generated issue (25 mechanisms of 6 events), in both layouts."""
    generated = write_data(tmp_path_factory.mktemp("data"), bulletin_data(11, 25, 6))
    found = {}
    for name, folder in (("2020", DATA), ("generated", generated)):
        issue = load_issue(folder, "2020")
        for layout in ("iscm", "large-print"):
            out = tmp_path_factory.mktemp(f"{name}-{layout}")
            written = build(folder, "2020", layout, out, ("pdf", "print"), lambda t: None)
            files = {"screen": written[0].path, "print": written[1].path}
            found[(name, layout)] = Built(issue, compose(issue, load_layout(layout)), files)
    return found


def _file(issues: dict, name: str, layout: str, kind: str) -> Path:
    return issues[(name, layout)].files[kind]


@pytest.mark.parametrize(("name", "layout", "kind"), CASES)
def test_pdfinfo_says_tagged(issues: dict, name: str, layout: str, kind: str) -> None:
    info = subprocess.run(
        [real_client("pdfinfo"), str(_file(issues, name, layout, kind))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Tagged:          yes" in info


@pytest.mark.parametrize(("name", "layout", "kind"), CASES)
def test_pdfua_finds_nothing(issues: dict, name: str, layout: str, kind: str) -> None:
    """No error, warning or note, and no rule skipped, except pdfua 0.1.3's empty-heading
    rule, which crashes on a heading holding a Link (whose /K is an array: its MCID and its
    annotation); `test_no_heading_is_empty` checks what it would."""
    pdfua = Path(sys.executable).with_name("pdfua")
    result = subprocess.run(
        [str(pdfua), "check", "--format", "json", str(_file(issues, name, layout, kind))],
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    assert report["findings"] == []
    for skipped in report["skipped"]:
        assert skipped["rule_id"] == "UA-14-001"
        assert "cannot get key '/is_integer' on object of type array" in skipped["reason"]
    assert report["summary"]["rules_run"] + len(report["skipped"]) >= 12
    assert result.returncode == 0


@pytest.mark.parametrize(("name", "layout"), [("2020", "iscm"), ("generated", "large-print")])
def test_no_heading_is_empty(issues: dict, name: str, layout: str) -> None:
    tree = structure_texts(_file(issues, name, layout, "screen"))
    headings = [text for tag, text in tree if tag in ("H1", "H2")]
    assert headings and all(text.strip() for text in headings)


@pytest.mark.parametrize(("name", "layout", "kind"), CASES)
def test_every_painting_operator_is_marked(issues: dict, name: str, layout: str, kind: str):
    with pikepdf.open(_file(issues, name, layout, kind)) as pdf:
        assert unmarked(pdf) == []


@pytest.mark.parametrize(("name", "layout", "kind"), CASES)
def test_mcids_of_pages_tree_and_parent_tree_agree(
    issues: dict, name: str, layout: str, kind: str
) -> None:
    with pikepdf.open(_file(issues, name, layout, kind)) as pdf:
        on_pages = page_mcids(pdf)
        in_tree = tree_mcids(pdf)
        assert on_pages and set(in_tree) == on_pages
        assert parent_tree_mcids(pdf) == in_tree
        assert link_problems(pdf) == []


@pytest.mark.parametrize(("name", "layout", "kind"), CASES)
def test_catalog_says_what_pdf_ua_asks(issues: dict, name: str, layout: str, kind: str):
    built = issues[(name, layout)]
    with pikepdf.open(built.files[kind]) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == built.document.info.language
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert all(page.obj.Tabs == "/S" for page in pdf.pages)
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == built.document.info.title
            assert xmp["pdfuaid:part"] == "1"
        document = root.StructTreeRoot.K
        assert document.S == "/Document"


@pytest.mark.parametrize(("name", "layout", "kind"), CASES)
def test_structure_holds_every_item_in_reading_order_under_its_tag(
    issues: dict, name: str, layout: str, kind: str
) -> None:
    built = issues[(name, layout)]
    tree = structure_texts(built.files[kind])
    expected = tagged_items(built.document)
    assert [text for _, text in expected] == items(built.document)
    assert not_found_in_order(expected, tree) == []
    everything = " ".join(text for _, text in tree)
    assert missing_data(built.issue, built.document, everything) == []


@pytest.mark.parametrize(("name", "layout"), [("2020", "iscm"), ("generated", "large-print")])
def test_headings_are_h1_and_h2_and_continued_headings_are_artifacts(
    issues: dict, name: str, layout: str
) -> None:
    built = issues[(name, layout)]
    tree = structure_texts(built.files["screen"])
    sections = [s.heading.text for s in built.document.sections if s.heading]
    entries = [b for s in built.document.sections for b in s.blocks if _is_entry(b)]
    assert [squeeze(t) for tag, t in tree if tag == "H1"] == [squeeze(t) for t in sections]
    assert [squeeze(t) for tag, t in tree if tag == "H2"] == [
        squeeze(e.heading.text) for e in entries
    ]
    continued = [s.continued.text for s in built.document.sections if s.continued]
    continued += [e.continued.text for e in entries]
    assert not [t for _, t in tree for c in continued if squeeze(c) in squeeze(t)]


@pytest.mark.parametrize(("name", "layout"), [("2020", "iscm"), ("generated", "iscm")])
def test_each_link_is_a_link_element_with_its_text(issues: dict, name: str, layout: str):
    built = issues[(name, layout)]
    with pikepdf.open(built.files["screen"]) as pdf:
        links = [str(a.Contents) for p in pdf.pages for a in p.obj.get("/Annots", [])]
    expected = [run.text for run in link_runs(built.document)]
    assert expected and sorted(set(links)) == sorted(set(expected))


def test_split_paragraphs_keep_one_element_with_content_on_two_pages(issues: dict) -> None:
    """A paragraph broken across pages is one element with an MCID on each page."""
    path = _file(issues, "generated", "large-print", "screen")
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        spread = [
            element
            for element in _all_elements(pdf.Root.StructTreeRoot.K)
            if any(
                isinstance(k, pikepdf.Dictionary)
                and k.get("/Type") == "/MCR"
                and pages[k.Pg.objgen] != pages[element.Pg.objgen]
                for k in _kid_list(element)
            )
        ]
        assert spread, "no paragraph was split across pages: make the data longer"
        assert {str(e.S) for e in spread} <= {"/P", "/LBody", "/H2", "/TD"}


def test_the_checker_finds_unmarked_text_and_paths(tmp_path: Path) -> None:
    """The strict check fails a page with text and a line outside marked content."""
    path = tmp_path / "untagged.pdf"
    canvas = Canvas(str(path), invariant=1)
    canvas.drawString(72, 720, "outside")
    canvas.line(72, 700, 300, 700)
    canvas.addLiteral("/Artifact BMC")
    canvas.line(72, 690, 300, 690)
    canvas.addLiteral("EMC")
    canvas.save()
    with pikepdf.open(path) as pdf:
        assert unmarked(pdf) == [
            "page 1: Tj outside marked content",
            "page 1: S outside marked content",
        ]


# -- what the tree must hold ------------------------------------------------------------------


def tagged_items(document: Document) -> list[tuple[str, str]]:
    """completeness.items with the tag each must be found under."""
    masthead = document.masthead
    found = [("P", p.text) for p in masthead.publisher]
    found += [("P", p.text) for p in (masthead.period, masthead.issue, masthead.title)]
    for section in document.sections:
        found += [("H1", section.heading.text)] if section.heading else []
        for block in section.blocks:
            found += _block_items(block)
    return [(tag, text) for tag, text in found if text.strip()]


def _block_items(block: object) -> list[tuple[str, str]]:
    if isinstance(block, Group):
        found = [("H2", block.heading.text)]
        found += [("P", block.note.text)] if block.note else []
        return found + [("P", event.text) for event in block.paragraphs]
    if isinstance(block, Paragraph):
        return [("LBody" if block.style in LIST_STYLES else "P", block.text)]
    if isinstance(block, Table):
        found = [("Caption", block.caption.text)] if block.caption else []
        found += [("TH", text) for text in block.header]
        return found + [("TD", cell.text) for row in block.rows for cell in row.cells]
    if isinstance(block, BarChart):
        return [("Figure", category) for category in block.categories]
    raise TypeError(type(block).__name__)


def not_found_in_order(expected: list[tuple[str, str]], tree: list[tuple[str, str]]) -> list:
    """The items not found, each after the previous one, in an element of its tag (a chart's
    category may be shortened with an ellipsis, as it is drawn)."""
    lost = []
    index, offset = 0, 0
    for tag, text in expected:
        needle = squeeze(text)
        forms = [needle]
        if tag == "Figure":
            forms += [needle[:cut] + ELLIPSIS for cut in range(min(len(needle), 8), len(needle))]
        for i in range(index, len(tree)):
            if tree[i][0] != tag:
                continue
            haystack = squeeze_marked(tree[i][1])  # a hyphen at a line's end is marked
            start = offset if i == index else 0
            places = [find_marked(haystack, f, start) for f in forms]
            hits = [(at, size) for at, size in places if at >= 0]
            if hits:
                at, size = min(hits)
                index, offset = i, at + size
                break
        else:
            lost.append((tag, text))
    return lost


def link_runs(document: Document) -> list[Run]:
    paragraphs = [*document.masthead.publisher]
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                paragraphs.append(block)
            elif isinstance(block, Group):
                paragraphs += [
                    block.heading,
                    *([block.note] if block.note else []),
                    *block.paragraphs,
                ]
    return [run for p in paragraphs for run in p.runs if run.url]


def _is_entry(block: object) -> bool:
    return isinstance(block, Group)


def _kid_list(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _all_elements(node: object):
    for item in node if isinstance(node, pikepdf.Array) else [node]:
        if isinstance(item, pikepdf.Dictionary) and "/S" in item:
            yield item
            yield from _all_elements(item.get("/K", pikepdf.Array()))


def test_a_link_over_three_lines_is_one_link_element_in_its_paragraph(tmp_path: Path) -> None:
    """A paragraph that opens with a link wrapping over lines: one P holding one Link (with
    an MCID and an annotation per line), then the P's own text; words of two lines apart."""
    label = "a long link label that wraps over three lines"
    link = Element("Link", text=label, url="https://example.org/x")
    markup = f'<a href="https://example.org/x">{label}</a> and then plain words'
    paragraph, target = _draw_tagged(tmp_path, markup, [link], 90)
    assert len(paragraph.blPara.lines) >= 4
    lines = [kid for kid in link.kids if isinstance(kid, Content)]
    annotations = [kid for kid in link.kids if isinstance(kid, Annotation)]
    assert paragraph.element.kids[0] is link  # no empty P mark before the link
    assert len(lines) >= 3 and len(annotations) == len(lines)
    tree = structure_texts(target)
    assert [tag for tag, _ in tree] == ["P"]
    assert " ".join(tree[0][1].split()) == f"{label} and then plain words"
    with pikepdf.open(target) as pdf:
        assert unmarked(pdf) == []
        assert link_problems(pdf) == []
        assert set(tree_mcids(pdf)) == page_mcids(pdf)


def test_two_links_to_one_address_on_a_line_each_hold_their_annotation(tmp_path: Path):
    url = "https://example.org/same"
    links = [Element("Link", text=t, url=url) for t in ("first", "second")]
    markup = f'See <a href="{url}">first</a> or <a href="{url}">second</a>.'
    paragraph, target = _draw_tagged(tmp_path, markup, list(links), 400)
    assert paragraph.element.kids[1:4:2] == links
    for link in links:
        assert [type(kid).__name__ for kid in link.kids] == ["Content", "Annotation"]
    with pikepdf.open(target) as pdf:
        assert link_problems(pdf) == []
        assert [str(a.Contents) for a in pdf.pages[0].obj.Annots] == ["first", "second"]


def _draw_tagged(
    folder: Path, markup: str, links: list[Element], width: float
) -> tuple[TaggedParagraph, Path]:
    """One tagged paragraph drawn on a page of its own, the structure written by `finish`."""

    class Page(TaggingCanvas):
        marks = Marks()

    untagged, target = folder / "untagged.pdf", folder / "tagged.pdf"
    canvas = Page(str(untagged), invariant=1)
    root = Element("Document")
    paragraph = TaggedParagraph(markup, ParagraphStyle("n"))
    paragraph.tag(root.add("P"), links)
    paragraph.wrapOn(canvas, width, 1000)
    paragraph.drawOn(canvas, 72, 600)
    canvas.save()
    info = DocumentInfo("Test", "bulletin", "a test", (), "en-GB")
    finish(untagged.read_bytes(), target, root, info)
    return paragraph, target


@pytest.mark.parametrize("kind", ["screen", "print"])
def test_table_list_and_figure_attributes(issues: dict, kind: str) -> None:
    """TH: Scope Column; L: ListNumbering None (no label drawn); Figure: the chart's
    alternative text and a bounding box inside its page (the print page is larger)."""
    built = issues[("2020", "iscm")]
    chart = next(b for s in built.document.sections for b in s.blocks if isinstance(b, BarChart))
    with pikepdf.open(built.files[kind]) as pdf:
        elements = list(_all_elements(pdf.Root.StructTreeRoot.K))
        headers = [e for e in elements if e.S == "/TH"]
        assert headers and all(e.A.Scope == "/Column" for e in headers)
        lists = [e for e in elements if e.S == "/L"]
        assert lists and all(e.A.ListNumbering == "/None" for e in lists)
        (figure,) = [e for e in elements if e.S == "/Figure"]
        assert str(figure.Alt) == chart.alt_text
        x0, y0, x1, y1 = (float(v) for v in figure.A.BBox)
        page = next(p for p in pdf.pages if p.obj.objgen == figure.Pg.objgen)
        trim = [float(v) for v in page.obj.get("/TrimBox", page.MediaBox)]
        assert trim[0] <= x0 < x1 <= trim[2] and trim[1] <= y0 < y1 <= trim[3]
        assert x1 - x0 > 200 and y1 - y0 > 50
