"""How many lines more a justified PDF paragraph takes where no word space shrinks (what
LibreOffice does with the Word file's): the count the Word file's page starts are decided by."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.layout import load_layout
from generator.model import Document
from generator.writers.pdf.flowables import Paragraph, lines_gained_unshrunk
from generator.writers.pdf.measures import measured_once
from generator.writers.pdf.writer import PdfWriter


def paragraphs(document: Document) -> list[Paragraph]:
    """Every paragraph of the 2020 story, groups' paragraphs included."""
    found: list[Paragraph] = []

    def walk(flowable: Any) -> None:
        if isinstance(flowable, Paragraph):
            found.append(flowable)
        for inner in getattr(flowable, "_content", None) or []:
            walk(inner)

    for flowable in PdfWriter(document, load_layout("iscm"), False).story():
        walk(flowable)
    return found


def read_anew(paragraph: Paragraph, width: float) -> int:
    """The lines gained, by a paragraph made anew from its markup with no shrinking."""
    unshrunk = copy.copy(paragraph.style)
    unshrunk.spaceShrinkage = 0
    trial = Paragraph(paragraph.text, unshrunk)
    trial.wrap(width, 0xFFFFFFF)
    return max(len(trial.blPara.lines) - len(paragraph.blPara.lines), 0)


@pytest.mark.parametrize("width", [140.0, 190.0, 255.0])
def test_lines_gained_are_those_of_the_paragraph_read_anew(
    document_2020: Document, width: float
) -> None:
    """The trial breaking takes the fragments the paragraph's markup was read into (not read
    twice): it gains the lines a paragraph read anew gains, at widths that shrink spaces."""
    gained = 0
    with measured_once():
        found = paragraphs(document_2020)
        assert len(found) > 50
        for paragraph in found:
            paragraph.wrap(width, 0xFFFFFFF)
            assert paragraph._parsed is not None, paragraph.text  # read by markup_tree
            expected = read_anew(paragraph, width) if paragraph.style.spaceShrinkage else 0
            assert lines_gained_unshrunk(paragraph) == expected, paragraph.text
            gained += expected
    assert gained > 0  # some lines shrank their spaces to fit, and gain a line without
