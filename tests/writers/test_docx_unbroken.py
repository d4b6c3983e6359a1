"""The Word file's marks that keep names, addresses, capitals and months from hyphenation.

Inside a paragraph that hyphenates, each name of a mechanism, address, e-mail address, word
in capitals and month name is a run of its own with "Do not check spelling or grammar"
(w:noProof) and the language None (w:lang zxx), which LibreOffice never hyphenates and Word
has no hyphenation for; the words around keep the issue's language (no w:lang of their own)
and the runs their character styles and links, so the text and its look are unchanged.
LibreOffice's rendering is checked in tests/test_pages.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from lxml import etree

from generator import model
from generator.build import build
from generator.layout import load_layout
from generator.word_breaks import capitalised
from generator.writers.docx.unbroken import NO_LANGUAGE, Unbroken
from tests.conftest import DATA
from tests.generated import write_data
from tests.unbroken_case import (
    CAPITALS,
    KEPT_WHOLE,
    LINK_LABEL,
    NAME,
    ORDINARY,
    OVERLAPPING,
    TITLE_WORDS,
    texts_around,
    unbroken_data,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _document(folder: Path, out: Path) -> etree._Element:
    (docx,) = build(folder, "2020", "iscm", out, ("docx",), lambda t: None)
    with zipfile.ZipFile(docx.path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


@pytest.fixture(scope="module")
def unbroken_xml(tmp_path_factory: pytest.TempPathFactory) -> etree._Element:
    folder = write_data(tmp_path_factory.mktemp("unbroken-data"), unbroken_data())
    return _document(folder, tmp_path_factory.mktemp("unbroken"))


@pytest.fixture(scope="module")
def xml_2020(tmp_path_factory: pytest.TempPathFactory) -> etree._Element:
    return _document(DATA, tmp_path_factory.mktemp("unbroken-2020"))


def _text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.findall("w:t", NS))


def _is_marked(run: etree._Element) -> bool:
    language = run.find("w:rPr/w:lang", NS)
    kept = language is not None and language.get(f"{{{W}}}val") == NO_LANGUAGE
    assert kept == (run.find("w:rPr/w:noProof", NS) is not None), "both marks or neither"
    return kept


def _runs(root: etree._Element, style: str) -> list[etree._Element]:
    """The runs of the paragraphs in a style (by its id)."""
    path = f".//w:p[w:pPr/w:pStyle/@w:val='{style}']//w:r"
    return list(root.xpath(path, namespaces=NS))


def _title(run: etree._Element) -> bool:
    style = run.find("w:rPr/w:rStyle", NS)
    return style is not None and style.get(f"{{{W}}}val") == "EventTitle"


def test_names_addresses_capitals_and_months_are_marked_for_word(unbroken_xml):
    runs = _runs(unbroken_xml, "Event")
    titles = [r for r in runs if _title(r)]
    assert len(titles) == 24 and all(_is_marked(r) for r in titles), "a title is kept whole"
    runs = [r for r in runs if not _title(r)]
    marked = [_text(r) for r in runs if _is_marked(r)]
    for item in KEPT_WHOLE:
        assert item in marked or item in TITLE_WORDS, item
    assert set(marked) <= set(KEPT_WHOLE), set(marked) - set(KEPT_WHOLE)
    ordinary = " ".join(_text(r) for r in runs if not _is_marked(r))
    assert all(word in ordinary for word in ORDINARY)
    for run in runs:  # the issue's language (the document default) everywhere else
        assert _is_marked(run) or run.find("w:rPr/w:lang", NS) is None


def test_a_link_whose_text_is_an_address_keeps_its_link_and_style(unbroken_xml):
    links = [r for r in _runs(unbroken_xml, "Event") if r.getparent().tag == f"{{{W}}}hyperlink"]
    assert links and all(_text(r) == LINK_LABEL and _is_marked(r) for r in links)
    styles = {r.find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") for r in links}
    assert styles == {"Hyperlink"}


def test_the_paragraphs_read_as_before(unbroken_xml):
    """Split into runs, each paragraph's text is the data's, word for word."""
    texts = [
        "".join(_text(r) for r in p.iterfind(".//w:r", NS)) for p in unbroken_xml.iter(f"{{{W}}}p")
    ]
    assert sum(f"{CAPITALS} met the {NAME} secretariat" in t for t in texts) == 16


def test_headings_and_other_unhyphenated_styles_have_no_marks(unbroken_xml, xml_2020):
    for root in (unbroken_xml, xml_2020):
        for style in ("Mechanism", "Heading1", "TableText", "Publication", "Closing"):
            runs = _runs(root, style)
            assert not any(_is_marked(r) for r in runs), style
        assert _runs(root, "Mechanism")
    assert all(_runs(xml_2020, s) for s in ("Heading1", "TableText", "Publication", "Closing"))


def test_the_2020_issue_marks_its_names_and_months(xml_2020):
    marked = {_text(r) for r in _runs(xml_2020, "Event") if _is_marked(r)}
    assert {"Bali Process", "Quito Process", "December", "ECOWAS"} <= marked


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("objectives of Bali Process members", ["Bali Process"]),
        ("of Bali\u00a0Process, and", ["Bali\u00a0Process"]),
        ("write to a.b@example.org.", ["a.b@example.org"]),
        ("see (https://example.org/a-b), then", ["https://example.org/a-b"]),
        ("1–4 December, virtual", ["December"]),
        ("ECOWAS and SOM, COVID-19 in MAY", ["ECOWAS", "COVID-19"]),
        ("Balinese Processes", ["Processes"]),  # a capital inside a sentence
        ("Balinese processes", []),
        ("", []),
    ],
)
def test_what_a_text_keeps_whole(text, whole):
    unbroken = Unbroken(("Bali Process", ""), "en-GB")
    pieces = list(unbroken.pieces(text))
    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, kept in pieces if kept] == whole


def test_the_model_names_every_mechanism(document_2020: model.Document, issue_2020):
    names = set(document_2020.names)
    for key in issue_2020.registry:
        mechanism = issue_2020.mechanism(key)
        assert {n for n in (mechanism.name, mechanism.acronym, mechanism.short) if n} <= {
            n.replace("\u2019", "'") for n in names
        }
    assert load_layout("iscm").style("Event").hyphenate


def _pieces_by_one_pattern(unbroken: Unbroken, names: tuple[str, ...], text: str) -> list:
    """The pieces as one pattern of every name finds them, a flag per character (how
    `Unbroken` first did it): the reference its faster search must agree with."""
    import re

    from generator.writers.docx import unbroken as module

    if not text:
        return [(text, False)]
    alternatives = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    spaced = [r"\s+".join(map(re.escape, name.split())) for name in alternatives]
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(spaced)})(?!\w)") if spaced else None
    whole = [False] * len(text)
    for found in pattern.finditer(text) if pattern else ():
        if module._breakable(found.group()):
            whole[found.start() : found.end()] = [True] * (found.end() - found.start())
    for found in module._WORD.finditer(text):
        token = found.group()
        core = token.strip(module.WORD_PUNCTUATION)
        if core and (
            module.is_literal(token) or core in unbroken.months or module._in_capitals(core)
        ):
            start = found.start() + token.index(core)
            whole[start : start + len(core)] = [True] * len(core)
    others = [code.span() for code in module._CODE.finditer(text)]  # not names: as Unbroken
    others += [(at, end) for at, end in capitalised(text) if end - at >= module.SHORTEST_BROKEN]
    for at, end in others:
        whole[at:end] = [True] * (end - at)
    pieces, start = [], 0
    for at in range(1, len(text) + 1):
        if at == len(text) or whole[at] != whole[start]:
            pieces.append((text[start:at], whole[start]))
            start = at
    return pieces


@given(texts_around(OVERLAPPING))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_names_are_found_as_one_pattern_of_every_name_finds_them(parts: list[str]) -> None:
    text = "".join(parts)
    unbroken = Unbroken(OVERLAPPING, "en-GB")
    assert list(unbroken.pieces(text)) == _pieces_by_one_pattern(unbroken, OVERLAPPING, text)


def test_the_texts_of_a_large_issue_are_cut_as_one_pattern_cuts_them(
    document_2020: model.Document,
) -> None:
    """Every run of 2020, with its names and those of a bulletin of 50 times as many."""
    names = (*document_2020.names, *(f"{n} {i}" for n in document_2020.names for i in range(50)))
    unbroken = Unbroken(names, "en-GB")
    texts = {
        run.text
        for section in document_2020.sections
        for block in section.blocks
        for paragraph in _paragraphs(block)
        for run in paragraph.runs
    }
    texts |= {f"{t} {names[i * 7 % len(names)]}." for i, t in enumerate(sorted(texts))}
    assert len(texts) > 100
    for text in sorted(texts):
        assert list(unbroken.pieces(text)) == _pieces_by_one_pattern(unbroken, names, text)


def _paragraphs(block: object) -> list[model.Paragraph]:
    if isinstance(block, model.Group):
        return [p for p in (block.heading, block.note, *block.paragraphs) if p]
    return [block] if isinstance(block, model.Paragraph) else []
