"""The Word file's runs: their text as Word reads it, whatever spaces, tabs or breaks it has."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
import pytest

from generator import model
from generator.layout import load_layout
from generator.writers.docx import write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"

TEXTS = [
    "plain words",
    " leading space",
    "trailing space ",
    "\u00a0no-break space at the start",
    "a\ttab",
    "two\nlines",
    "windows\r\nbreak",
    "ends in a tab\t",
]


@pytest.fixture(scope="module")
def word(document_2020: model.Document) -> docx.document.Document:
    runs = tuple(
        model.Run(text, "Strong" if i % 2 else None, "https://example.org/" if i == 3 else None)
        for i, text in enumerate(TEXTS)
    )
    paragraphs = tuple(model.Paragraph("Normal", (run,)) for run in runs)
    document = replace(document_2020, sections=(model.Section("runs", None, paragraphs),))
    target = io.BytesIO()
    write_docx(document, load_layout("iscm"), target)
    return docx.Document(io.BytesIO(target.getvalue()))


def test_each_run_reads_back_as_written(word: docx.document.Document) -> None:
    shown = [p.text for p in word.paragraphs if p.text]
    expected = [t.replace("\r\n", "\n\n").replace("\r", "\n") for t in TEXTS]
    assert [text for text in expected if text in shown] == expected


def test_blank_ends_are_kept_and_inner_text_is_not_marked(word: docx.document.Document) -> None:
    texts = [t for t in word.element.body.iter(f"{W}t") if t.text and t.text in TEXTS]
    marked = {t.text: t.get(PRESERVE) for t in texts}
    assert marked[" leading space"] == "preserve"
    assert marked["trailing space "] == "preserve"
    assert marked["\u00a0no-break space at the start"] == "preserve"
    assert marked["plain words"] is None


def test_a_run_keeps_its_character_style(word: docx.document.Document) -> None:
    runs = [r for p in word.paragraphs for r in p.runs if r.text == " leading space"]
    assert runs and runs[0].style.name == "Strong"
