"""The name finder finds what one pattern of every name would find, much faster."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import model
from generator.proper_names import NameFinder, name_finder
from tests.unbroken_case import OVERLAPPING, texts_around


def one_pattern(names: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """What the pattern of every name, longest first, finds (the writers' first way)."""
    alternatives = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    spaced = [r"\s+".join(map(re.escape, name.split())) for name in alternatives]
    if not spaced:
        return []
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(spaced)})(?!\w)")
    return [found.span() for found in pattern.finditer(text)]


@given(texts_around(OVERLAPPING))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_the_same_names_as_one_pattern_finds(parts: list[str]) -> None:
    text = "".join(parts)
    assert list(NameFinder(OVERLAPPING).spans(text)) == one_pattern(OVERLAPPING, text)


_LETTERS = "ab1_-.()é \t\u00a0\u2003\n"
"""Word characters (a digit, the underscore, a letter with an accent), others, and white space
of four kinds (a no-break space and an em space are white space to a pattern too)."""


@given(
    st.lists(st.text(_LETTERS, min_size=1, max_size=9), min_size=1, max_size=8),
    st.text(_LETTERS, max_size=40),
)
@settings(max_examples=400, deadline=None, derandomize=True)
def test_any_names_in_any_text_as_one_pattern_finds(names: list[str], text: str) -> None:
    """Names that begin or end with a character that is no word character, share words,
    differ only in their spaces, or stand inside a word of the text."""
    text = " ".join(names[:2]) + text + names[-1]
    assert list(NameFinder(names).spans(text)) == one_pattern(tuple(names), text)


def test_no_names_find_nothing() -> None:
    assert not NameFinder(("", "  "))
    assert list(NameFinder(()).spans("Bali Process")) == []


def test_the_names_of_a_large_issue_in_its_texts(document_2020: model.Document) -> None:
    """Every run of 2020, with its names and those of a bulletin of 50 times as many."""
    names = (*document_2020.names, *(f"{n} {i}" for n in document_2020.names for i in range(50)))
    finder = NameFinder(names)
    texts = sorted(
        {
            run.text
            for section in document_2020.sections
            for block in section.blocks
            for paragraph in _paragraphs(block)
            for run in paragraph.runs
        }
    )
    texts += [f"{t} {names[i * 7 % len(names)]}." for i, t in enumerate(texts)]
    assert sum(bool(list(finder.spans(text))) for text in texts) > 50
    for text in texts:
        assert list(finder.spans(text)) == one_pattern(names, text)


def _paragraphs(block: object) -> list[model.Paragraph]:
    if isinstance(block, model.Group):
        return [p for p in (block.heading, block.note, *block.paragraphs) if p]
    return [block] if isinstance(block, model.Paragraph) else []


def test_a_documents_names_are_made_into_a_finder_once(document_2020: model.Document) -> None:
    """The PDF writer's preparation (before a build's renderer forks the print PDF's process)
    makes the finder every file of the document then uses."""
    from generator.layout import load_layout
    from generator.writers.pdf.styles import Palette, StyleSheet
    from generator.writers.pdf.writer import PdfFileWriter

    name_finder.cache_clear()
    PdfFileWriter().prepare(document_2020, load_layout("iscm"))
    assert name_finder.cache_info().currsize == 1
    layout = load_layout("iscm")
    sheet = StyleSheet(layout, Palette(layout, cmyk=True), "en", document_2020.names)
    assert sheet.names is name_finder(document_2020.names)
    assert name_finder.cache_info().misses == 1
    assert name_finder(("Bali Process",)) is not sheet.names
