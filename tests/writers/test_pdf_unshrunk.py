"""How many lines more a justified PDF paragraph takes where no word space shrinks (what
LibreOffice does with the Word file's): the count the Word file's page starts are decided by."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.layout import load_layout
from generator.model import Document
from generator.writers.pdf.flowables import Paragraph, lines_gained_unshrunk
from generator.writers.pdf.hyphenation import like_libreoffice
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
    """The lines gained, by a paragraph made anew from its markup, set as LibreOffice sets it
    (no shrinking, long words not cut)."""
    unshrunk = copy.copy(paragraph.style)
    unshrunk.spaceShrinkage = 0
    unshrunk.splitLongWords = 0
    trial = Paragraph(paragraph.text, unshrunk)
    with like_libreoffice():
        trial.wrap(width, 0xFFFFFFF)
    return max(len(trial.blPara.lines) - len(paragraph.blPara.lines), 0)


def shrunk(paragraph: Paragraph) -> bool:
    """Whether a line of the paragraph shrank its word spaces to fit."""
    lines = paragraph.blPara.lines
    if not paragraph.style.spaceShrinkage:
        return False
    return any((line[0] if isinstance(line, tuple) else line.extraSpace) < 0 for line in lines)


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
            if not shrunk(paragraph):
                continue  # tried again only for a long word, or not at all
            expected = read_anew(paragraph, width)
            assert lines_gained_unshrunk(paragraph) == expected, paragraph.text
            gained += expected
    assert gained > 0  # some lines shrank their spaces to fit, and gain a line without
