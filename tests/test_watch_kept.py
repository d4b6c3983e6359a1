"""What `bulletin watch`'s PDF writers keep from one build to the next (writers/pdf/kept.py):
a paragraph's fragments and line breakings, taken again only for the same markup in a style
that looks the same with the same fonts; after any edit, a rebuild writes what a cold build
of the same files writes."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.layout import load_layout
from generator.watch import Watched, _end_workers, rebuild
from generator.word_breaks import Exceptions
from generator.writers.pdf import kept, styles
from generator.writers.pdf.flowables import Paragraph
from generator.writers.pdf.hyphenation import Hyphenator
from generator.writers.pdf.styles import Palette, StyleSheet

ROOT = Path(__file__).resolve().parent.parent
ALL = ("pdf", "print", "docx")
EPOCH = "1600000000"
TEXT = (
    "The consultation brought together representatives of governments, international "
    "organisations and civil society to discuss labour migration and reintegration."
)
WIDTH = 160.0


@pytest.fixture
def sheet() -> StyleSheet:
    layout = load_layout("iscm")
    return StyleSheet(layout, Palette(layout, cmyk=False), "en")


@pytest.fixture(autouse=True)
def nothing_kept() -> None:
    kept.forget()


def laid_out(markup: str, style: object) -> Paragraph:
    paragraph = Paragraph(markup, style)
    paragraph.wrap(WIDTH, 1000)
    return paragraph


def lines(paragraph: Paragraph) -> list[str]:
    words = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return [" ".join(line[1]) for line in words]
    return ["".join(getattr(word, "text", "") for word in line.words) for line in words]


def test_a_paragraph_takes_the_line_breaking_of_the_same_markup_in_the_same_look(
    sheet: StyleSheet,
) -> None:
    with kept.keeping():
        first = laid_out(TEXT, sheet["Body"])
        again = laid_out(TEXT, copy.copy(sheet["Body"]))  # another style object, alike
    assert again.blPara is first.blPara and again.frags is first.frags
    alone = laid_out(TEXT, sheet["Body"])  # not while keeping: its own
    assert alone.blPara is not first.blPara and lines(alone) == lines(first)


@pytest.mark.parametrize(
    ("attribute", "value"),
    [("fontSize", 12), ("fontName", "Lato-Bold"), ("spaceShrinkage", 0), ("leftIndent", 20)],
)
def test_a_style_that_looks_otherwise_breaks_its_lines_anew(
    sheet: StyleSheet, attribute: str, value: object
) -> None:
    changed = copy.copy(sheet["Body"])
    setattr(changed, attribute, value)
    with kept.keeping():
        first = laid_out(TEXT, sheet["Body"])
        other = laid_out(TEXT, changed)
    assert other.blPara is not first.blPara
    assert lines(other) == lines(laid_out(TEXT, changed))  # as if nothing were kept


def test_a_style_changed_in_place_is_looked_at_again(sheet: StyleSheet) -> None:
    style = copy.copy(sheet["Body"])
    with kept.keeping():
        first = laid_out(TEXT, style)
        style.fontSize = 12
        bigger = laid_out(TEXT, style)
    assert bigger.blPara is not first.blPara
    assert len(lines(bigger)) > len(lines(first))


def test_other_hyphenation_exceptions_break_lines_anew(sheet: StyleSheet) -> None:
    style = copy.copy(sheet["Body"])
    style.hyphenationLang = Hyphenator("en", exceptions=Exceptions(["reintegration"]))
    listed = copy.copy(style)
    listed.hyphenationLang = Hyphenator("en", exceptions=Exceptions(["re-in-te-gra-tion"]))
    with kept.keeping():
        never = laid_out(TEXT, style)
        other = laid_out(TEXT, listed)
    assert other.blPara is not never.blPara


def test_a_font_registered_anew_drops_everything_kept(sheet: StyleSheet) -> None:
    with kept.keeping():
        first = laid_out(TEXT, sheet["Body"])
        styles._registrations[0] += 1  # as when a font's file was replaced
        after = laid_out(TEXT, sheet["Body"])
    assert after.blPara is not first.blPara


def test_a_split_paragraph_is_not_kept(sheet: StyleSheet) -> None:
    with kept.keeping():
        first = laid_out(TEXT, sheet["Body"])
        parts = first.split(WIDTH, 3 * sheet["Body"].leading)
        assert len(parts) == 2
        after = laid_out(TEXT, sheet["Body"])
    assert after.blPara is not first.blPara


def test_what_is_kept_is_bounded(sheet: StyleSheet, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build larger than LIMIT keeps its first paragraphs, and the next build finds them."""
    monkeypatch.setattr(kept, "LIMIT", 3)
    with kept.keeping():
        first = [laid_out(f"{TEXT} {number}", sheet["Body"]) for number in range(6)]
    assert len(kept._frags) == 3 and len(kept._wraps) == 3
    with kept.keeping():
        again = [laid_out(f"{TEXT} {number}", sheet["Body"]) for number in range(6)]
    shared = [a.blPara is b.blPara for a, b in zip(first, again, strict=True)]
    assert shared == [True, True, True, False, False, False]


def test_what_a_build_did_not_use_is_dropped_at_its_end(sheet: StyleSheet) -> None:
    """An edited paragraph's old text is not kept beyond the build that no longer has it."""
    with kept.keeping():
        laid_out(TEXT, sheet["Body"])
        laid_out(f"{TEXT} Before the edit.", sheet["Body"])
    with kept.keeping():
        kept_one = laid_out(TEXT, sheet["Body"])
        laid_out(f"{TEXT} After the edit.", sheet["Body"])
    assert [key[0] for key in kept._wraps] == [TEXT, f"{TEXT} After the edit."]
    with kept.keeping():
        pass  # a build that laid out nothing (the watch's own, its writer processes write)
    assert len(kept._wraps) == 2
    with kept.keeping():
        assert laid_out(TEXT, sheet["Body"]).blPara is kept_one.blPara


# -- a watch's rebuilds ----------------------------------------------------------------


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


LAYOUT = "extends: iscm\n"
EDITS = {
    "a style's size": ("layouts/mine/layout.yaml", LAYOUT, LAYOUT + "styles: {Body: {size: 10}}\n"),
    "a colour": (
        "layouts/mine/layout.yaml",
        LAYOUT,
        LAYOUT + "colours: {ink: {rgb: '#202060', cmyk: [70, 70, 0, 50]}}\n",
    ),
    "the hyphenation exceptions": (
        "layouts/mine/layout.yaml",
        LAYOUT,
        LAYOUT + "hyphenation: {en: {exceptions: [consultations, organisations, part-ner-ship]}}\n",
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_after_a_warm_rebuild_an_edit_of_the_layout_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    """First build, a warm rebuild after a data edit (the writer processes keep every
    paragraph), then the layout edited: the rebuild is a cold build's bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    saved, before, after = EDITS[edit]
    layout = tmp_path / saved
    layout.parent.mkdir(parents=True)
    layout.write_text(before, encoding="utf-8")
    data, out = tmp_path / "data", tmp_path / "out"
    watched = Watched(data, "2020", "mine", out, ALL)
    said: list[str] = []
    try:
        assert rebuild(watched, said.append, [], first=True), said
        year = data / "2020.yaml"
        year.write_text(year.read_text(encoding="utf-8").replace("partnership", "partners", 1))
        assert rebuild(watched, said.append, [year]), said
        warm = files(out)
        layout.write_text(after, encoding="utf-8")
        assert rebuild(watched, said.append, [layout]), said
        assert files(out)["iscm-highlights-2020-mine.pdf"] != warm["iscm-highlights-2020-mine.pdf"]
        cold = tmp_path / "cold"
        build(data, "2020", "mine", cold, ALL, lambda _line: None, in_process=True)
        assert files(out) == files(cold)
    finally:
        _end_workers(watched)


# -- the Word file's parts ------------------------------------------------------------------


def test_a_word_part_is_packed_once_while_unchanged_and_again_once_changed() -> None:
    """A part packed as zipfile packs it; the same part again (the next file of a watch) is
    not packed anew; a part changed under the same name is."""
    import io
    import zipfile
    import zlib

    from generator.writers.docx import package

    styles_xml = b"<w:styles>" + b"<w:style w:styleId='Body'/>" * 50 + b"</w:styles>"
    first = package._part_stream("word/styles.xml", styles_xml)
    assert package._part_stream("word/styles.xml", bytes(styles_xml)) is first
    changed = styles_xml.replace(b"Body", b"Note", 1)
    crc, stream = package._part_stream("word/styles.xml", changed)
    assert zlib.decompress(stream, -15) == changed and crc == zlib.crc32(changed)
    ours, theirs = io.BytesIO(), io.BytesIO()
    stamp = (2020, 9, 13, 12, 26, 40)
    with zipfile.ZipFile(ours, "w") as archive:
        entry = zipfile.ZipInfo("word/styles.xml", stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        package._write_packed(archive, entry, changed, (crc, stream))
    with zipfile.ZipFile(theirs, "w") as archive:
        entry = zipfile.ZipInfo("word/styles.xml", stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(entry, changed, compresslevel=package.PART_LEVEL)
    assert ours.getvalue() == theirs.getvalue()


def test_a_watchs_writer_process_keeps_what_it_lays_out(tmp_path: Path) -> None:
    """What a writer process runs for each build (here, in this process) keeps the PDF's
    paragraphs for the next."""
    import os
    import pickle

    from generator.build import _write_by_worker
    from generator.commit import OutputFolder
    from generator.kinds.iscm.compose import compose
    from generator.kinds.iscm.validate import load_issue
    from generator.writers import WRITERS, Options

    layout = load_layout("iscm")
    issue = pickle.dumps((compose(load_issue(ROOT / "data", "2020"), layout), layout, Options()))
    screen = next(output for output in WRITERS if output.key == "pdf")
    with OutputFolder(tmp_path) as folder:
        temporary = folder.temporary("x.pdf")
        descriptor = os.dup(temporary.fd)  # as handed to a writer process
        try:
            _write_by_worker([descriptor], screen, temporary, issue, None)
        finally:
            os.close(descriptor)
    assert len(kept._wraps) > 100 and len(kept._frags) > 100


def test_the_word_files_unbroken_pieces_follow_names_exceptions_and_the_text_before() -> None:
    """Kept per process by text, the text before it, and the names, months and exceptions:
    any of them changed gives the pieces worked out anew."""
    from generator.writers.docx.unbroken import SOFT_HYPHEN, Unbroken

    with kept.keeping():  # as in a watch's writer process
        text = "Reintegration support met Bali Process partners in Budapest."
        plain = list(Unbroken(("Bali Process",), "en").pieces(text))
        assert ("Bali Process", True) in plain and ("Budapest", True) in plain
        assert list(Unbroken(("Bali Process",), "en").pieces(text)) == plain
        listed = Unbroken(("Bali Process",), "en", Exceptions(["re-inte-gra-tion"]))
        assert (f"Re{SOFT_HYPHEN}inte{SOFT_HYPHEN}gra{SOFT_HYPHEN}tion", True) in list(
            listed.pieces(text)
        )
        assert ("Bali Process", True) not in list(Unbroken((), "en").pieces(text))
        opening = "Budapest hosted it."
        assert ("Budapest", True) not in list(Unbroken((), "en").pieces(opening))
        inside = list(Unbroken((), "en").pieces(opening, "The meeting moved. Then "))
        assert ("Budapest", True) in inside


def test_a_collector_held_back_stays_so_while_a_pdf_is_laid_out() -> None:
    """A watch's writer process holds the collector back while it writes (threshold 0) and
    collects once it has answered: laying out a PDF does not set it going."""
    import gc

    from generator.writers.pdf import collector

    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with collector.collected_less():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_a_paragraph_made_while_keeping_and_laid_out_after_keeps_nothing(
    sheet: StyleSheet,
) -> None:
    with kept.keeping():
        made = Paragraph(TEXT, sheet["Body"])
    made.wrap(WIDTH, 1000)
    assert not kept._wraps and lines(made) == lines(laid_out(TEXT, sheet["Body"]))
