"""The print PDF derived from the tagged screen PDF (writers/pdf/press.py, print_file.py),
against the print PDF laid out on its own as before (`print_laid_out`, the fallback)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import ImageChops

from generator.build import build, start_renderer
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import Issue
from generator.layout import load_layout
from generator.model import Document
from generator.writers.pdf.page import SLUG_MM
from generator.writers.pdf.press import NotDerivable
from generator.writers.pdf.print_file import _move_destination, _printed_drawing
from generator.writers.pdf.writer import write_pdf
from tests.conftest import DATA

EPOCH = 1_577_836_800  # the tests' SOURCE_DATE_EPOCH (conftest)
COLOURS = {b"0 .2 .627451": b"1 .75 0 .05", b"0 0 0": b"0 0 0 1", b"1 1 1": None}


@pytest.fixture(scope="module", params=["iscm", "large-print"])
def prints(
    request: pytest.FixtureRequest, issue_2020: Issue, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The 2020 print file of a layout, derived and laid out on its own, and the screen file."""
    layout = load_layout(request.param)
    document = compose(issue_2020, layout)
    folder = tmp_path_factory.mktemp(request.param)
    found = {name: folder / f"{name}.pdf" for name in ("derived", "laid_out", "screen")}
    write_pdf(document, layout, found["derived"], True, EPOCH)
    write_pdf(document, layout, found["laid_out"], True, EPOCH, print_laid_out=True)
    write_pdf(document, layout, found["screen"], False, EPOCH)
    return found


def boxes(page: pikepdf.Page) -> list[list[float]]:
    return [[float(v) for v in page.obj[box]] for box in ("/MediaBox", "/TrimBox", "/BleedBox")]


def link_rects(page: pikepdf.Page) -> list[float]:
    return [float(v) for a in page.obj.get("/Annots", []) for v in a.Rect]


def test_the_derived_print_file_draws_what_the_laid_out_one_draws(prints: dict[str, Path]) -> None:
    """Every page's drawing byte for byte (CMYK colours, the band in the bleed, the crop
    marks), the boxes, the links' places and the figure's box."""
    with pikepdf.open(prints["derived"]) as derived, pikepdf.open(prints["laid_out"]) as laid:
        assert len(derived.pages) == len(laid.pages)
        for ours, theirs in zip(derived.pages, laid.pages, strict=True):
            assert ours.Contents.read_bytes() == theirs.Contents.read_bytes()
            assert boxes(ours) == boxes(theirs)
            assert link_rects(ours) == pytest.approx(link_rects(theirs), abs=1e-3)
        assert _figure_boxes(derived) == _figure_boxes(laid)
        assert derived.Root.Lang == laid.Root.Lang and derived.Root.MarkInfo.Marked
        assert derived.open_metadata()["dc:title"] == laid.open_metadata()["dc:title"]


def _figure_boxes(pdf: pikepdf.Pdf) -> list[list[float]]:
    found, waiting = [], [pdf.Root.StructTreeRoot.K]
    while waiting:
        node = waiting.pop()
        if isinstance(node, pikepdf.Array):
            waiting.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            if "/A" in node and "/BBox" in node.A:
                found.append([float(v) for v in node.A.BBox])
            waiting.append(node.get("/K", pikepdf.Array()))
    return found


@pytest.mark.parametrize(
    "page",
    [
        "{masthead_height_mm: 25}",  # a band grown to hold the masthead's text
        "{bleed_mm: 0}",
        "{bleed_mm: 5, size_mm: [148, 210], margins_mm: {top: 12, bottom: 14, left: 9, right: 9}}",
    ],
)
def test_other_pages_and_bleeds_are_derived_too(
    page: str, issue_2020: Issue, tmp_path: Path
) -> None:
    own = tmp_path / "project" / "layouts" / "own"
    own.mkdir(parents=True)
    (own / "layout.yaml").write_text(f"extends: iscm\npage: {page}\n", encoding="utf-8")
    layout = load_layout("own", project=tmp_path / "project")
    document = compose(issue_2020, layout)
    write_pdf(document, layout, tmp_path / "derived.pdf", True, EPOCH)
    write_pdf(document, layout, tmp_path / "laid.pdf", True, EPOCH, print_laid_out=True)
    derived, laid = (tmp_path / "derived.pdf").read_bytes(), (tmp_path / "laid.pdf").read_bytes()
    assert derived != laid  # derived, not laid out on its own (its outline moved)
    with (
        pikepdf.open(tmp_path / "derived.pdf") as ours,
        pikepdf.open(tmp_path / "laid.pdf") as theirs,
    ):
        assert len(ours.pages) == len(theirs.pages)
        for mine, other in zip(ours.pages, theirs.pages, strict=True):
            assert mine.Contents.read_bytes() == other.Contents.read_bytes()
            assert boxes(mine) == boxes(other)


def test_the_derived_print_file_looks_like_the_laid_out_one(prints: dict[str, Path]) -> None:
    derived, laid = (
        pypdfium2.PdfDocument(prints["derived"]),
        pypdfium2.PdfDocument(prints["laid_out"]),
    )
    try:
        for number in range(len(laid)):
            ours = derived[number].render(scale=0.5).to_pil().convert("RGB")
            theirs = laid[number].render(scale=0.5).to_pil().convert("RGB")
            assert ours.size == theirs.size
            difference = ImageChops.difference(ours, theirs).convert("L")
            changed = sum(difference.histogram()[9:])  # pixels more than a shade apart
            assert changed <= ours.size[0] * ours.size[1] // 1000, f"page {number + 1}"
    finally:
        derived.close()
        laid.close()


def test_the_outline_leads_where_the_headings_are_on_the_print_page(
    prints: dict[str, Path],
) -> None:
    """The outline's destinations move with the drawing into the trim (the print file laid
    out on its own left them where they are on the screen page, 13 mm off)."""
    border = (load_layout("iscm").page.bleed_mm + SLUG_MM) * 72 / 25.4
    with pikepdf.open(prints["derived"]) as derived, pikepdf.open(prints["screen"]) as screen:
        ours, theirs = list(_outline(derived.Root.Outlines)), list(_outline(screen.Root.Outlines))
    assert ours and len(ours) == len(theirs)
    for (x, y), (screen_x, screen_y) in zip(ours, theirs, strict=True):
        assert (x, y) == pytest.approx((screen_x + border, screen_y + border), abs=1e-3)


def _outline(node: pikepdf.Object) -> list[tuple[float, float]]:
    found, item = [], node.get("/First")
    while item is not None:
        destination = item.Dest
        assert destination[1] == "/XYZ"
        found.append((float(destination[2]), float(destination[3])))
        found += _outline(item)
        item = item.get("/Next")
    return found


def test_every_kind_of_destination_moves_but_its_zoom() -> None:
    pdf = pikepdf.new()
    page = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Page))
    kinds = [
        (["/XYZ", 10, None, 2], ["/XYZ", 13.5, None, 2]),  # left, top (null: kept), zoom
        (["/FitH", 20], ["/FitH", 23.5]),
        (["/FitR", 1, 2, 3, 4], ["/FitR", 4.5, 5.5, 6.5, 7.5]),
        (["/Fit"], ["/Fit"]),
    ]
    for (kind, *numbers), moved in kinds:
        destination = pikepdf.Array([page, pikepdf.Name(kind), *numbers])
        _move_destination(destination, 3.5)
        shown = [None if v is None else float(v) for v in list(destination)[2:]]
        assert [str(destination[1]), *shown] == moved


# -- what the derivation reads in a page's drawing --------------------------------------------


def test_a_string_is_never_read_as_a_colour() -> None:
    drawing = b"0 .2 .627451 rg\nBT (a 0 0 0 rg b) Tj 0 0 0 rg <30> Tj ET\n0 .2 .627451 RG\n"
    assert _printed_drawing(drawing, COLOURS, []) == (
        b"1 .75 0 .05 k\nBT (a 0 0 0 rg b) Tj 0 0 0 1 k <30> Tj ET\n1 .75 0 .05 K\n"
    )


def test_the_fill_that_reaches_the_trim_edge_goes_into_the_bleed() -> None:
    fills = [(b"n 0 10 100 5 re f*", b"n -3 10 106 8 re f*")]
    assert _printed_drawing(b"q\nn 0 10 100 5 re f*\nQ\n", COLOURS, fills) == (
        b"q\nn -3 10 106 8 re f*\nQ\n"
    )
    with pytest.raises(NotDerivable):  # not where it was drawn: never guessed
        _printed_drawing(b"q\nn 0 10 100 6 re f*\nQ\n", COLOURS, fills)


@pytest.mark.parametrize(
    "drawing",
    [
        b"1 1 1 rg\n",  # two CMYK values for one RGB value (ambiguous)
        b".5 .5 .5 rg\n",  # a colour the layout does not give
        b"0 .2 rg\n",  # not three numbers
        b".5 g\n",  # a grey operator
        b"/CS0 cs 1 scn\n",  # a colour space
        b"BT (a (nested) string) Tj ET\n",  # a string the derivation cannot read
        b"BI /W 1 /H 1 ID \x00 EI\n",  # an inline image
    ],
)
def test_what_the_derivation_cannot_carry_over_exactly_is_refused(drawing: bytes) -> None:
    with pytest.raises(NotDerivable):
        _printed_drawing(drawing, COLOURS, [])


# -- the fallback: the print file laid out on its own -----------------------------------------


@pytest.fixture(scope="module")
def ambiguous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose layout gives the ink's RGB value to another colour with another CMYK
    value: which CMYK value an RGB operator of the screen file stands for cannot be known."""
    project = tmp_path_factory.mktemp("ambiguous")
    shutil.copytree(DATA, project / "data")
    own = project / "layouts" / "inky"
    own.mkdir(parents=True)
    (own / "layout.yaml").write_text(
        'extends: iscm\ncolours:\n  muted: {rgb: "#1F2933", cmyk: [10, 0, 0, 90]}\n',
        encoding="utf-8",
    )
    return project


def test_a_print_file_that_cannot_be_derived_is_laid_out_on_its_own(
    ambiguous: Path, issue_2020: Issue, tmp_path: Path
) -> None:
    layout = load_layout("inky", project=ambiguous)
    document: Document = compose(issue_2020, layout)
    write_pdf(document, layout, tmp_path / "print.pdf", True, EPOCH)
    write_pdf(document, layout, tmp_path / "laid.pdf", True, EPOCH, print_laid_out=True)
    assert (tmp_path / "print.pdf").read_bytes() == (tmp_path / "laid.pdf").read_bytes()
    content = b"".join(p.Contents.read_bytes() for p in pikepdf.open(tmp_path / "print.pdf").pages)
    assert b".1 0 0 .9 k" in content and b"0 0 0 .9 k" in content  # both CMYK values


@pytest.mark.parametrize("keys", [("pdf", "print", "docx"), ("print",)])
def test_a_build_lays_out_a_print_file_it_cannot_derive(
    ambiguous: Path, issue_2020: Issue, tmp_path: Path, keys: tuple[str, ...]
) -> None:
    """The build's process, which derives the print file, lays it out itself instead."""
    renderer = start_renderer(keys)
    try:
        written = build(
            ambiguous / "data",
            "2020",
            "inky",
            tmp_path / "out",
            keys,
            lambda _: None,
            renderer=renderer,
        )
    finally:
        if renderer is not None:
            renderer.cancel()
    [printed] = [w.path for w in written if w.path.name.endswith("-inky-print.pdf")]
    layout = load_layout("inky", project=ambiguous)
    document = compose(issue_2020, layout)
    write_pdf(document, layout, tmp_path / "laid.pdf", True, EPOCH, print_laid_out=True)
    assert printed.read_bytes() == (tmp_path / "laid.pdf").read_bytes()
    if "pdf" in keys:  # the screen file it could not be derived from is saved all the same
        [screen] = [w.path for w in written if w.path.name.endswith("-inky.pdf")]
        write_pdf(document, layout, tmp_path / "screen.pdf", False, EPOCH)
        assert screen.read_bytes() == (tmp_path / "screen.pdf").read_bytes()


def test_a_build_derives_the_print_file(
    tmp_path: Path, issue_2020: Issue, document_2020: Document
) -> None:
    """A build's print file is the derived one (not the one laid out on its own)."""
    renderer = start_renderer(("pdf", "print"))
    try:
        build(DATA, "2020", None, tmp_path, ("pdf", "print"), lambda _: None, renderer=renderer)
    finally:
        if renderer is not None:
            renderer.cancel()
    layout = load_layout("iscm")
    write_pdf(document_2020, layout, tmp_path / "derived.pdf", True, EPOCH)
    write_pdf(document_2020, layout, tmp_path / "laid.pdf", True, EPOCH, print_laid_out=True)
    printed = (tmp_path / "iscm-highlights-2020-print.pdf").read_bytes()
    assert printed == (tmp_path / "derived.pdf").read_bytes()
    assert printed != (tmp_path / "laid.pdf").read_bytes()


@pytest.mark.parametrize("module", ["print_file", "structure_tree"])
def test_pikepdf_is_imported_without_its_xmp_pattern(module: str) -> None:
    """Whichever module of the PDF writer imports pikepdf first, its XMP cleaning pattern is
    not compiled as it loads (pikepdf_loaded.py), and still cleans text when used."""
    code = textwrap.dedent(
        f"""
        from generator.writers.pdf import {module}
        from pikepdf.models.metadata import _constants
        pattern = _constants.re_xml_illegal_chars
        print(type(pattern).__name__, repr(pattern.sub("", "a\\x01b")))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["DeferredPattern", "'ab'"]
