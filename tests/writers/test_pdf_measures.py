"""The PDF writer's shortcuts through ReportLab's hot helpers (measures.py, a font's split
texts, the cycle collector's pace) give ReportLab's own answers: the same runs compared the
same, the same widths and subsets, and the same file byte for byte as without them."""

from __future__ import annotations

import contextlib
import copy
import gc
import io
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from reportlab.lib.abag import ABag
from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.rl_accel import sameFrag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus.paraparser import ParaFrag

from generator.layout import load_layout
from generator.layout_spec import FONTS
from generator.model import Document
from generator.writers.pdf import collector, font_metrics, measures, styles, writer
from generator.writers.pdf.font_metrics import RememberedFont
from generator.writers.pdf.measures import cloned_bag, measured_once, same_look
from generator.writers.pdf.writer import PdfWriter, write_pdf


def paragraphs(flowables: list[Flowable]) -> Iterator[Any]:
    for flowable in flowables:
        if hasattr(flowable, "frags"):
            yield flowable
        yield from paragraphs(getattr(flowable, "_content", []))
        for row in getattr(flowable, "_cellvalues", []):
            for cell in row:
                yield from paragraphs(cell if isinstance(cell, list) else [])


@pytest.fixture(scope="module")
def runs(document_2020: Document) -> list[Any]:
    """Every run of the 2020 PDF's paragraphs, a copy of some, and runs of our own: with
    attributes missing, a line break, a callback, colours equal in value but not the same
    object, and an RGB and a CMYK colour."""
    made = PdfWriter(document_2020, load_layout("iscm"), print_ready=False)
    found = [run for p in paragraphs(made.story()) for run in p.frags]
    assert len(found) > 200
    plain = ParaFrag(fontName="Lato", fontSize=9.5, textColor=Color(0.1, 0.2, 0.3), rise=0)
    own = [
        plain,
        plain.clone(),
        plain.clone(textColor=Color(0.1, 0.2, 0.3)),  # equal, not the same object
        plain.clone(textColor=CMYKColor(0.1, 0.2, 0.3, 0)),
        plain.clone(nobr=True),
        plain.clone(us_lines=[]),
        plain.clone(lineBreak=True),
        plain.clone(cbDefn=ABag(kind="anchor")),
        ABag(text="no attributes at all"),
    ]
    return found[::3] + [run.clone() for run in found[:40]] + own


def test_runs_compare_as_reportlab_compares_them(runs: list[Any]) -> None:
    answers = [(same_look(a, b), sameFrag(a, b)) for a, b in itertools.product(runs, runs)]
    assert all(ours == theirs for ours, theirs in answers)
    assert {ours for ours, _ in answers} == {0, 1}  # both answers were given


def test_widths_and_heights_are_reportlabs_and_the_helpers_come_back() -> None:
    module = reportlab_paragraph
    before = module.stringWidth, module.getAscentDescent, module.sameFrag
    name = "Helvetica"
    with measured_once():
        assert module.sameFrag is same_look
        for text in ("word", "word", "Wörter", " "):
            for size in (9.5, 10, 24):
                assert module.stringWidth(text, name, size) == pdfmetrics.stringWidth(
                    text, name, size
                )
                assert module.stringWidth(text, name, size, "utf8") == pdfmetrics.stringWidth(
                    text, name, size, "utf8"
                )
        assert module.getAscentDescent(name, 12) == pdfmetrics.getAscentDescent(name, 12)
        assert module.getAscentDescent(name) == pdfmetrics.getAscentDescent(name)
        run = ParaFrag(fontName=name, fontSize=9.5, link=[], text="a run")
        copied = copy.copy(run)
        assert type(copied) is ParaFrag and copied is not run and vars(copied) == vars(run)
        assert copied.link is run.link  # a shallow copy, as copy.copy makes
    assert "__copy__" not in vars(ParaFrag)
    assert (module.stringWidth, module.getAscentDescent, module.sameFrag) == before
    with contextlib.suppress(RuntimeError), measured_once():
        raise RuntimeError("a file that fails")
    assert (module.stringWidth, module.getAscentDescent, module.sameFrag) == before


def test_bags_are_cloned_as_reportlab_clones_them(runs: list[Any]) -> None:
    """Runs, lines and a paragraph's lines (every kind of bag ReportLab clones), with and
    without changed attributes: the same class and attributes as `ABag.clone` gives, a new
    bag sharing the values (a shallow copy), and ReportLab's own clone back afterwards."""
    bags = [run for run in runs if isinstance(run, ABag)]  # (a laid-out paragraph's are words)
    assert len(bags) > 100
    line = reportlab_paragraph.FragLine(extraSpace=1.5, wordCount=3, words=bags[:3])
    lines = reportlab_paragraph.ParaLines(kind=1, lines=[line], ascent=7.0)
    own = ABag.clone
    with measured_once():
        assert ABag.clone is cloned_bag
        for bag in [*bags, line, lines]:
            for changes in ({}, {"kind": 0, "lines": []}, {"text": "new", "_fkind": 2}):
                ours, theirs = bag.clone(**changes), own(bag, **changes)
                assert type(ours) is type(theirs) is type(bag) and ours is not bag
                assert vars(ours) == vars(theirs) == {**vars(bag), **changes}
                assert all(vars(ours)[k] is v for k, v in vars(theirs).items())
    assert ABag.clone is own
    with contextlib.suppress(RuntimeError), measured_once():
        raise RuntimeError("a file that fails")
    assert ABag.clone is own


def test_a_font_registered_again_under_its_name_is_measured_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Widths are remembered for one file: a font replaced under its name between two files
    (as `bulletin watch` reloads an edited font) gives the new font's widths."""
    monkeypatch.setattr(pdfmetrics, "_fonts", dict(pdfmetrics._fonts))  # put back after
    monkeypatch.setattr(pdfmetrics, "_dynFaceNames", dict(pdfmetrics._dynFaceNames))
    name = "MeasuredFace"
    widths = []
    for path in (FONTS / "Lato-Regular.ttf", FONTS / "Lato-Bold.ttf"):
        styles._unregister(name)
        pdfmetrics.registerFont(TTFont(name, str(path)))
        with measured_once():
            widths.append(reportlab_paragraph.stringWidth("Migration", name, 10))
            assert widths[-1] == pdfmetrics.stringWidth("Migration", name, 10)
    assert widths[0] != widths[1]


class File:
    """A file being written (ReportLab keeps a font's subsets per file)."""


def test_a_font_splits_texts_into_subsets_as_reportlab_does() -> None:
    """Texts split again (and texts with letters new to the file between them) get the
    subsets and codes ReportLab gives, file by file."""
    path = str(FONTS / "Lato-Regular.ttf")
    ours, theirs = RememberedFont("Ours", path), TTFont("Theirs", path)
    texts = ["Migration", "dialogue", "Migration", "Ñandú – “quoted”", "dialogue", "€ 5"]
    texts += [chr(c) * 3 for c in range(0x100, 0x240)]  # past one subset of 256 codes
    texts += ["Migration", "Āāā", "\xa0a b"]
    for _ in range(2):  # a second file starts its subsets anew
        ours_file, theirs_file = File(), File()
        for text in texts:
            assert ours.splitString(text, ours_file) == theirs.splitString(text, theirs_file)
        assert ours.state[ours_file].subsets == theirs.state[theirs_file].subsets


def test_the_collector_runs_less_often_while_a_pdf_is_laid_out() -> None:
    before = gc.get_threshold()
    with collector.collected_less():
        assert gc.get_threshold() == (collector.YOUNG, *before[1:])
    assert gc.get_threshold() == before
    with contextlib.suppress(RuntimeError), collector.collected_less():
        raise RuntimeError("a file that fails")
    assert gc.get_threshold() == before


@pytest.mark.parametrize("layout_name", ["iscm", "large-print"])
@pytest.mark.parametrize("print_ready", [False, True], ids=["screen", "print"])
def test_the_same_file_as_without_the_shortcuts(
    document_2020: Document, layout_name: str, print_ready: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = load_layout(layout_name)
    fast = io.BytesIO()
    write_pdf(document_2020, layout, fast, print_ready, 1_600_000_000)
    monkeypatch.setattr(writer, "measured_once", contextlib.nullcontext)
    monkeypatch.setattr(writer, "collected_less", contextlib.nullcontext)
    monkeypatch.setattr(font_metrics.RememberedFont, "splitString", TTFont.splitString)
    plain = io.BytesIO()
    write_pdf(document_2020, layout, plain, print_ready, 1_600_000_000)
    assert measures.same_look is not reportlab_paragraph.sameFrag
    assert fast.getvalue() == plain.getvalue()
