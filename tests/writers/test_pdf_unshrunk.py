"""How many lines more a justified PDF paragraph takes where no word space shrinks (what
LibreOffice does with the Word file's): the count the Word file's page starts are decided by."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.layout import load_layout
from generator.model import Document
from generator.writers.pdf.flowables import (
    WORD_CONDENSING,
    Paragraph,
    lines_gained_unshrunk,
    word_condensing,
)
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


def read_closer(paragraph: Paragraph, width: float, twentieths: int) -> int:
    """The lines gained as `read_anew`, each character `twentieths` of a point closer: as on
    a line as much wider as the paragraph's characters then take less room."""
    plain = re.sub(r"<[^>]*>", "", paragraph.text)
    style = paragraph.style
    advance = stringWidth(plain, style.fontName, style.fontSize) / len(plain)
    return read_anew(paragraph, width * advance / (advance - twentieths / 20))


@pytest.mark.parametrize("width", [140.0, 190.0])
def test_closer_characters_gain_fewer_lines(document_2020: Document, width: float) -> None:
    """A paragraph that gains lines unshrunk may have its characters set closer (up to
    WORD_CONDENSING's last) where that gains fewer: the least step that gains fewest, none
    where no step gains fewer. Only events and notes are set so: the others' lines count
    as unshrunk."""
    closer = 0
    with measured_once():
        for paragraph in paragraphs(document_2020):
            paragraph.wrap(width, 0xFFFFFFF)
            gained = lines_gained_unshrunk(paragraph)
            if not gained or not shrunk(paragraph):
                continue  # tried again only for a long word, or not at all
            trials = {s: read_closer(paragraph, width, s) for s in (0, *WORD_CONDENSING)}
            fewest = min(trials.values())
            least = min(s for s in trials if trials[s] == fewest) if fewest < gained else 0
            assert word_condensing(paragraph) == least, paragraph.text
            event = getattr(paragraph, "opening", None) or getattr(paragraph, "note_of", None)
            found = lines_gained_unshrunk(paragraph, condensed=True)
            assert found == (fewest if event is not None else gained), paragraph.text
            closer += int(event is not None and fewest < gained)
    assert closer > 0  # some events keep the PDF's lines with closer characters
