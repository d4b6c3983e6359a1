"""How many lines more a justified PDF paragraph takes in the Word file, as LibreOffice 25.2
sets it (its justified lines break as Word's): the count the Word file's column and page
breaks are decided by."""

from __future__ import annotations

import copy
from typing import Any

from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import load_issue
from generator.layout import load_layout
from generator.model import Document
from generator.writers.pdf.flowables import Paragraph, lines_gained_in_word
from generator.writers.pdf.hyphenation import like_libreoffice
from generator.writers.pdf.measures import measured_once
from generator.writers.pdf.writer import PdfWriter
from tests.conftest import DATA


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
    (long words not cut, no break after a hyphen before a number, a last line that the PDF
    narrows goes on to one more)."""
    uncut = copy.copy(paragraph.style)
    uncut.splitLongWords = 0
    trial = Paragraph(paragraph.text, uncut)
    with like_libreoffice():
        trial.wrap(width, 0xFFFFFFF)
    lines = trial.blPara.lines
    last = lines[-1]
    narrowed = (last[0] if isinstance(last, tuple) else last.extraSpace) < 0
    return max(len(lines) + narrowed - len(paragraph.blPara.lines), 0)


def shrunk(paragraph: Paragraph) -> bool:
    """Whether a line of the paragraph shrank its word spaces to fit."""
    lines = paragraph.blPara.lines
    if not paragraph.style.spaceShrinkage:
        return False
    return any((line[0] if isinstance(line, tuple) else line.extraSpace) < 0 for line in lines)


def test_lines_gained_are_those_of_the_paragraph_read_anew(document_2020: Document) -> None:
    """The trial breaking takes the fragments the paragraph's markup was read into (not read
    twice): it gains the lines a paragraph read anew gains, at widths that shrink spaces."""
    gained = 0
    for width in (140.0, 190.0, 255.0):
        with measured_once():
            found = paragraphs(document_2020)
            assert len(found) > 50
            for paragraph in found:
                paragraph.wrap(width, 0xFFFFFFF)
                assert paragraph._parsed is not None, paragraph.text  # read by markup_tree
                if not shrunk(paragraph):
                    continue  # tried again only for a long word, or not at all
                expected = read_anew(paragraph, width)
                assert lines_gained_in_word(paragraph) == expected, paragraph.text
                gained += expected
    assert gained > 0  # some last lines shrank their spaces to fit: a line more in Word


def _event(text: str, width: float) -> Paragraph:
    style = next(p.style for p in paragraphs_2020() if p.style.name == "Event")
    paragraph = Paragraph(text, style)
    paragraph.wrap(width, 0xFFFFFFF)
    return paragraph


def paragraphs_2020() -> list[Paragraph]:
    return paragraphs(compose(load_issue(DATA, "2020"), load_layout("iscm")))


def test_a_last_line_the_pdf_narrows_is_a_line_more_in_word() -> None:
    """LibreOffice (as Word) narrows no word space on a paragraph's last line: where the
    PDF's last line holds its last word only by narrowing its spaces, the Word file's
    paragraph has one line more; with a little more room, none."""
    text = "boards, 5′3″ typed, and ‘single quoted’ phrases like ‘this’."
    tight = _event(text, 235.28)
    assert len(tight.blPara.lines) == 1 and lines_gained_in_word(tight) == 1
    roomy = _event(text, 240.0)
    assert len(roomy.blPara.lines) == 1 and lines_gained_in_word(roomy) == 0


def test_no_line_of_the_word_file_breaks_after_a_hyphen_before_a_number() -> None:
    """The PDF may end a line after "COVID-" (its compound's own hyphen); LibreOffice never
    breaks between a hyphen and a number, so such a paragraph gains a line in Word where
    moving "COVID-19’s" whole to the next line runs the paragraph a line longer."""
    text = (
        "Nine webinars and two workshops addressed COVID-19’s impact on labour migration, as"
        " well as the new EU Pact on Migration and Asylum — the Experts’ group said “rock ’n’"
        " roll” was the ’90s style of the Chairs’ meeting."
    )
    pdf = _event(text, 236.0)
    first = pdf.blPara.lines[0]
    shown = " ".join(first[1]) if isinstance(first, tuple) else "".join(w.text for w in first.words)
    assert shown.rstrip().endswith("COVID-"), shown
    assert lines_gained_in_word(pdf) == 1
    whole = _event(text, 240.0)  # "COVID-19’s" fits whole on the first line: nothing gained
    assert lines_gained_in_word(whole) == 0


def test_a_word_ending_with_its_hyphen_offers_no_break_in_either_model() -> None:
    """A compound's own break points: none after a closing hyphen ("pre-"), in the PDF's
    model and in LibreOffice's (which also offers none before a number)."""
    from generator.writers.pdf.hyphenation import _after_hyphens

    assert list(_after_hyphens("pre-")) == []
    assert list(_after_hyphens("COVID-19")) == [("COVID-", "19")]
    with like_libreoffice():
        assert list(_after_hyphens("pre-")) == []
        assert list(_after_hyphens("COVID-19")) == []
        assert list(_after_hyphens("well-being")) == [("well-", "being")]
