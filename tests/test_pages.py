"""The Word file on the same pages as the PDF, and columns that keep short things whole.

One LibreOffice run converts every Word file: the 2020 issue, its large-print layout, and
generated issues of one to five pages, with and without a feature box (in both layouts;
the box last, as in a fresh year file). For each, LibreOffice's rendering has the PDF's page
count; in the PDF and in LibreOffice's rendering, an event of up to four lines is never
split over columns or pages, a split leaves at least two lines on each side, and a
mechanism's heading and note never end a column.
"""

from __future__ import annotations

import itertools
import random
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
import yaml
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTItem

from generator.build import build
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import load_issue
from generator.layout import load_layout
from generator.layout_spec import MM
from generator.model import PAGE, PAGES, Document, Group, Paragraph, Section, Table
from tests.completeness import (
    SOFT,
    libreoffice_pdfs,
    pdf_text,
    squeeze,
    squeeze_marked,
)
from tests.conftest import DATA, real_client
from tests.edited import edited, with_addresses
from tests.generated import YEAR_FILE, documents, resampled, write_data
from tests.pages import Word, line_count, placed, places, running_patterns, words
from tests.unbroken_case import KEPT_WHOLE, NAME, ORDINARY, unbroken_data

GENERATED = {  # name: (seed, events per mechanism, presence of the other parts)
    "one-page": (11, [2, 1], 0.0),
    "one-page-b": (19, [1, 1, 1, 1], 0.0),
    "two-pages": (12, [2, 2, 1], 0.3),
    "three-pages": (17, [2, 5, 1, 3, 4, 2, 1, 6], None),
    "four-pages": (14, [3] * 8, None),
    "five-pages": (18, [4] * 16, None),
    "last-column-a-tenth-over": (579128, [6, 1, 6, 3, 1, 2, 1, 5, 1], 0.0),
    "last-page-of-one-line": (685972, [4, 1, 6, 5, 1, 6, 6, 5, 5, 1, 6], 0.3),
    "last-page-of-a-box-end": (873012, [2, 4, 1, 2, 3, 2], 0.3),
}
FEATURED = {  # name: (seed, events, layout): the 2020 issue's events resampled, its feature
    "feature-one-page": (19, 9, "iscm"),
    "feature-two-pages": (13, 37, "iscm"),
    "feature-two-pages-b": (39, 30, "iscm"),
    "feature-three-pages": (7, 45, "iscm"),
    "feature-four-pages": (102, 100, "iscm"),
    "feature-five-pages": (103, 110, "iscm"),
    "feature-large-print-two-pages": (201, 6, "large-print"),
    "feature-large-print-four-pages": (204, 30, "large-print"),
    "feature-large-print-three-pages": (302, 18, "large-print"),
    "feature-large-print-four-pages-b": (308, 27, "large-print"),
    "feature-large-print-five-pages": (305, 42, "large-print"),
    "feature-large-print-six-pages": (306, 50, "large-print"),
}
"""Issues whose feature box follows the columns of their last events page (the first three:
LibreOffice left the first column full, the second half empty, and moved the box to a page
of its own, until the Word file broke those columns where the PDF does), or (large print)
the one column of events that runs over pages with a "(continued)" heading on each (the
Word file had none, and its pages held more than the PDF's)."""
EDITED = {  # name: (seed, events, feature box, long names, length, layout) of tests/edited.py
    "edited-box-tables-chart": (122, 22, True, False, 1.0, "iscm"),
    "edited-four-line-events": (334, 34, True, True, 1.3, "iscm"),
    "edited-large-print-box-at-a-foot": (422, 22, True, False, 1.0, "large-print"),
    "edited-large-print-table-at-a-foot": (648, 48, False, False, 1.5, "large-print"),
    "edited-large-print-page-inside-an-event": (722, 22, True, False, 1.0, "large-print"),
    "edited-column-break-below-longer-lines": (8110, 17, True, False, 0.8, "iscm"),
}
"""Whole issues as an editor might make them (a reviewer's): the PDF had a page more than
LibreOffice's rendering (the PDF spaced a table's caption and the heading below a box more
than Word does, asked more room than Word for a box's or a table's start at a page's foot,
and its chart was taller), or LibreOffice split an event of four lines over columns; or the
PDF began a page inside an event with two "(continued)" headings that the Word file, whose
paragraph cannot hold them, did not have (LibreOffice's pages held more)."""
ADDRESSED = {  # name: (seed, events, share of events ending with a long address)
    "addressed-large-print-five-pages": (904, 9, 0.9),
    "addressed-large-print-six-pages": (901, 12, 0.6),
}
"""Large-print issues (tests/edited.py's, with a feature box) whose events end with long
addresses, which LibreOffice breaks in fewer places than the PDF: the Word file began a page
where the PDF does, after a page that LibreOffice could not hold (it left a page holding
only the lines that did not fit). The Word file now begins a page there only where
LibreOffice's lines fit (see `lines_gained_in_word`)."""
ADDRESSED_IN_COLUMNS = {  # name: (seed, events, share of events ending with a long address)
    "addressed-full-columns": (1377, 29, 0.3),
    "addressed-full-columns-five-pages": (1350, 51, 0.3),
}
"""Issues (tests/edited.py's, with a feature box) in the iscm layout's columns whose events
end with long addresses: LibreOffice needs a line or two more than a full column of a
page before the last leaves room for in the PDF (it breaks the addresses elsewhere, and 7.4
narrowed no word space), so its columns drifted from the PDF's."""
LARGE_PRINT = (
    "2020-large-print",
    *(n for n in FEATURED if FEATURED[n][2] == "large-print"),
    *(n for n in EDITED if EDITED[n][5] == "large-print"),
    *ADDRESSED,
)
FOUR_LINES = (
    "Regional consultation on labour migration and the protection of migrants, with partners"
    " from the region, reviewing the action plan and agreeing on next steps for cooperation"
    " in {n}."
)
"""An event of four lines in a column of the iscm layout."""
FOUR_LINE_EVENTS = {"four-line-events-5": 5, "four-line-events-7": 7}
"""One mechanism with this many events of four lines: balanced columns split one unless it
is kept whole (an odd count puts the middle of the columns inside an event)."""
CASES = (
    *("2020", "2020-large-print", *GENERATED, *FEATURED, *EDITED, *ADDRESSED),
    *ADDRESSED_IN_COLUMNS,
    *FOUR_LINE_EVENTS,
)
KEEP_WHOLE_LINES = 4
UNBROKEN = "unbroken"
"""The issue whose names, addresses, capitals and months fall where lines hyphenate
(tests/unbroken_case.py), converted in the same LibreOffice run."""


@dataclass
class Rendered:
    document: Document
    columns: int
    pdf: Path
    word: Path
    libreoffice: Path | None = None


def rendered_in_libreoffice(
    tmp_path_factory: pytest.TempPathFactory, sources: dict[str, tuple[Path, str]]
) -> dict[str, Rendered]:
    """Each issue (its data folder and layout, by name) built into a PDF and a Word file,
    the Word files rendered by LibreOffice in one run."""
    found: dict[str, Rendered] = {}
    words_files = []
    for name, (folder, layout) in sources.items():
        out = tmp_path_factory.mktemp(name)
        pdf, docx = build(folder, "2020", layout, out, ("pdf", "docx"), lambda t: None)
        target = out / f"{name}.docx"
        docx.path.rename(target)
        words_files.append(target)
        loaded = load_layout(layout)
        document = compose(load_issue(folder, "2020"), loaded)
        found[name] = Rendered(document, loaded.section("events").columns, pdf.path, target)
    converted = libreoffice_pdfs(words_files, tmp_path_factory.mktemp("lo"), real_client("soffice"))
    for rendering, pdf in zip(found.values(), converted, strict=True):
        rendering.libreoffice = pdf
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    sources: dict[str, tuple[Path, str]] = {}
    for name in (*CASES, UNBROKEN):
        generated = (GENERATED, FEATURED, EDITED, ADDRESSED, ADDRESSED_IN_COLUMNS)
        generated += (FOUR_LINE_EVENTS,)
        if any(name in cases for cases in generated) or name == UNBROKEN:
            folder = write_data(tmp_path_factory.mktemp(f"data-{name}"), _data(name))
            layouts = {n: v[2] for n, v in FEATURED.items()} | {n: v[5] for n, v in EDITED.items()}
            layouts |= dict.fromkeys(ADDRESSED, "large-print")
            layout = layouts.get(name, "iscm")
        else:
            folder, layout = DATA, "large-print" if name.endswith("large-print") else "iscm"
        sources[name] = (folder, layout)
    return rendered_in_libreoffice(tmp_path_factory, sources)


def _data(name: str) -> dict:
    """The data of a generated case."""
    if name == UNBROKEN:
        return unbroken_data()
    if name in GENERATED:
        seed, counts, presence = GENERATED[name]
        return documents(random.Random(seed), counts, presence=presence)
    if name in FEATURED:
        return _featured(*FEATURED[name][:2])
    if name in EDITED:
        return edited(_source(), *EDITED[name][:5])
    if name in ADDRESSED or name in ADDRESSED_IN_COLUMNS:
        seed, events, share = {**ADDRESSED, **ADDRESSED_IN_COLUMNS}[name]
        return with_addresses(edited(_source(), seed, events), seed, share)
    count = FOUR_LINE_EVENTS[name]
    data = documents(random.Random(5), [count], presence=0.0)
    events = data["2020.yaml"]["events"]
    (key,) = events
    events[key] = [{"text": FOUR_LINES.format(n=2000 + i)} for i in range(count)]
    return data


def _featured(seed: int, events: int) -> dict:
    """The 2020 issue's events resampled, then its feature box; no other part."""
    return resampled(random.Random(seed), _source(), events)


def _source() -> dict:
    """The 2020 issue's three documents, by file name."""
    return {
        name: yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        for name in ("bulletin.yaml", "mechanisms.yaml", YEAR_FILE)
    }


def pages(pdf: Path) -> int:
    return len(pypdf.PdfReader(pdf).pages)


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_has_the_pdf_page_count(rendered: dict[str, Rendered], name: str) -> None:
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    assert pages(rendering.libreoffice) == pages(rendering.pdf)


@pytest.mark.parametrize("name", CASES)
def test_no_text_of_the_pdf_is_set_smaller_than_its_style(
    rendered: dict[str, Rendered], name: str
) -> None:
    """Every character of the screen PDF is in a size of one of the layout's styles.
    ReportLab's balanced columns let the last column of a page run up to a tenth longer
    than the page holds and set it smaller to fit (`endSlack`): the events of the second
    column of "last-column-a-tenth-over" were 9.14 points, not 9.5, and its one page held
    what LibreOffice, at the style's size, set on two."""
    layout = load_layout("large-print" if name in LARGE_PRINT else "iscm")
    sizes = {style.size for style in layout.styles.values()}
    found = set()
    for page in extract_pages(rendered[name].pdf):
        found |= {round(c.size, 2) for c in _characters(page)}
    assert found <= sizes


def _characters(item: LTItem) -> Iterator[LTChar]:
    if isinstance(item, LTChar):
        yield item
    for inner in getattr(item, "_objs", None) or ():
        yield from _characters(inner)


@pytest.mark.parametrize("name", ["last-page-of-one-line", "last-page-of-a-box-end"])
def test_the_columns_last_page_before_a_nearly_empty_last_page_keeps_the_pdfs_leading(
    rendered: dict[str, Rendered], name: str
) -> None:
    """The PDF's last page holds little (the closing line; a box's last lines). The Word
    file's closer lines ended LibreOffice's columns on the page before some 16 points
    higher, and that little fitted there: a page fewer. The events of the columns' last page
    have the PDF's leading (set on their paragraphs), and LibreOffice's rendering has the
    PDF's page count (`test_libreoffice_has_the_pdf_page_count`)."""
    rendering = rendered[name]
    with zipfile.ZipFile(rendering.word) as package:
        body = package.read("word/document.xml").decode()
    assert re.search(r'<w:spacing [^>]*w:line="260" w:lineRule="atLeast"', body)
    assert rendering.libreoffice is not None
    assert pages(rendering.libreoffice) == pages(rendering.pdf) > 1


def test_the_generated_issues_run_from_one_to_five_pages(rendered: dict[str, Rendered]) -> None:
    assert {pages(rendered[name].pdf) for name in GENERATED} == {1, 2, 3, 4, 5}
    featured = [name for name in FEATURED if FEATURED[name][2] == "iscm"]
    assert {pages(rendered[name].pdf) for name in featured} == {1, 2, 3, 4, 5}


# -- columns ---------------------------------------------------------------------------------


def _entries(document: Document) -> list[Group]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Group)]


def _placed_entries(rendering: Rendered, pdf: Path) -> list[tuple[list[Word], list[list[Word]]]]:
    """For each mechanism: the words of its heading and note, and those of each event."""
    document = rendering.document
    entries = _entries(document)
    items: list[str] = []
    for entry in entries:
        items += [entry.heading.text, *([entry.note.text] if entry.note else [])]
        items += [event.text for event in entry.paragraphs]
    drawn = words(pdf, real_client("pdftotext"), rendering.columns)
    found = placed(items, drawn, running_patterns(document))
    assert all(found), [item for item, at in zip(items, found, strict=True) if not at][:3]
    result, i = [], 0
    for entry in entries:
        lead = 2 if entry.note else 1
        head = [w for part in found[i : i + lead] for w in part]
        result.append((head, found[i + lead : i + lead + len(entry.paragraphs)]))
        i += lead + len(entry.paragraphs)
    return result


RENDERERS = ("pdf", "libreoffice")


def _pdf(rendering: Rendered, renderer: str) -> Path:
    path = rendering.pdf if renderer == "pdf" else rendering.libreoffice
    assert path is not None
    return path


COLUMN_CASES = tuple(name for name in CASES if name not in FEATURED)
"""The cases whose events are found by their words: a resampled issue repeats events."""


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("name", COLUMN_CASES)
def test_short_events_stay_whole_and_splits_leave_two_lines(
    rendered: dict[str, Rendered], name: str, renderer: str
) -> None:
    rendering = rendered[name]
    split = []
    for _, events in _placed_entries(rendering, _pdf(rendering, renderer)):
        for event in events:
            counts = line_count(event)
            if len(counts) > 1:
                split.append((" ".join(w.text for w in event)[:50], counts))
                assert sum(counts.values()) > KEEP_WHOLE_LINES, split[-1]
                assert min(counts.values()) >= 2, split[-1]


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("name", COLUMN_CASES)
def test_a_mechanism_heading_and_note_never_end_a_column(
    rendered: dict[str, Rendered], name: str, renderer: str
) -> None:
    """(`edited-column-break-below-longer-lines`: LibreOffice needed a line more than the
    PDF's full first column, and balanced the columns' last lines on the next page without
    regard to a name's keep-with-next, until the Word file broke its columns where the
    PDF's are on every page.)"""
    rendering = rendered[name]
    for head, events in _placed_entries(rendering, _pdf(rendering, renderer)):
        if events:
            assert places(head)[-1] == places(events[0])[0], " ".join(w.text for w in head)


PINNED = (
    "three-pages",
    "four-pages",
    "five-pages",
    "edited-four-line-events",
    "edited-column-break-below-longer-lines",
    "four-line-events-7",
    *ADDRESSED_IN_COLUMNS,
)
"""Issues of two columns whose columns hold LibreOffice's lines in the room the Word file
leaves (see the PDF writer's RecordedColumns): some need more lines in LibreOffice than the
PDF in a full column of a page the columns go on from."""


@pytest.mark.parametrize("name", PINNED)
def test_libreoffice_sets_each_mechanism_and_event_in_the_pdfs_columns(
    rendered: dict[str, Rendered], name: str
) -> None:
    """The Word file breaks its columns where the PDF's do, on every page, and sets the
    events' lines a little closer (the room LibreOffice's longer lines take): in
    LibreOffice's rendering each mechanism's heading and each event stands in the columns of
    the pages it stands in the PDF (its columns flowed on freely but on the last page: a line
    more in a full column moved the columns' ends a line or more on, page after page)."""
    rendering = rendered[name]
    shown = {
        renderer: [
            [places(head), *(places(event) for event in events)]
            for head, events in _placed_entries(rendering, _pdf(rendering, renderer))
        ]
        for renderer in RENDERERS
    }
    assert shown["libreoffice"] == shown["pdf"]


@pytest.mark.parametrize("renderer", RENDERERS)
def test_libreoffice_hyphenates_the_events_but_never_a_name_or_heading(
    rendered: dict[str, Rendered], renderer: str
) -> None:
    rendering = rendered["2020"]
    text = pdf_text(_pdf(rendering, renderer), real_client("pdftotext"))
    assert SOFT in text, "words are hyphenated at a line's end"
    marked = squeeze_marked(text)
    names = [entry.heading.text for entry in _entries(rendering.document)]
    headings = [s.heading.text for s in rendering.document.sections if s.heading is not None]
    assert [name for name in [*names, *headings] if squeeze(name) not in marked] == []


# -- page 1's header, the other pages ----------------------------------------------------------


def _page_label(document: Document, page: int, count: int) -> str:
    shown = {PAGE: str(page), PAGES: str(count)}
    return "".join(shown.get(part, part) for part in document.footer.page_label)


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_gives_every_page_its_footer_and_the_later_pages_their_top_margin(
    rendered: dict[str, Rendered], name: str
) -> None:
    """Page 1's own header (the masthead band up to the page's top edge) changes no other
    page: in LibreOffice's rendering every page has the footer with its own number, and
    from page 2 on the text starts at the top margin, not at the page's edge."""
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    drawn = words(rendering.libreoffice, real_client("pdftotext"))
    count = pages(rendering.libreoffice)
    layout = load_layout("large-print" if name.endswith("large-print") else "iscm")
    margin = layout.page.margins_mm.top * MM
    footer = squeeze(rendering.document.footer.text)
    for page in range(1, count + 1):
        on_page = [w for w in drawn if w.page == page]
        text = squeeze("".join(w.text for w in on_page))
        assert footer in text and squeeze(_page_label(rendering.document, page, count)) in text
        if page > 1:
            top = min(w.top for w in on_page)
            assert margin - 1 <= top <= margin + 36, (page, top, margin)


# -- what no line hyphenates ------------------------------------------------------------------


@pytest.mark.parametrize("client", ["libreoffice", "pdf"])
def test_no_name_address_capitals_or_month_is_hyphenated(
    rendered: dict[str, Rendered], client: str
) -> None:
    """In LibreOffice's rendering and in the screen PDF, each name, address, e-mail address,
    word in capitals and month reads as in the data: a line may end inside it only where it
    has a space or its own hyphen, never with a hyphen hyphenation added ('Consulta-|tion',
    'Septem-|ber'); the PDF hyphenated names of mechanisms ('Bali Pro-|cess')."""
    rendering = rendered[UNBROKEN]
    shown_pages = rendering.libreoffice if client == "libreoffice" else rendering.pdf
    assert shown_pages is not None
    footer = rendering.document.footer.text
    running = (footer, *(p.text for s in rendering.document.sections for p in _continued(s)))
    raw = _without(running, _raw_text(shown_pages))
    shown = "\n".join(p.text for s in rendering.document.sections for p in _paragraphs(s))
    hyphenated = [line for line in raw.splitlines() if line.endswith("-")]
    ordinary = [word for word in ORDINARY if word[:4] in " ".join(hyphenated)]
    assert ordinary or (client == "pdf" and hyphenated), "hyphenation is on"
    broken = [_line_ends_inside(item, raw) for item in KEPT_WHOLE]
    assert sum(broken) > len(KEPT_WHOLE), "the items fall at lines' ends"
    for item in KEPT_WHOLE:
        whole, loose = _pattern(item, r"\s*"), _pattern(item, r"\s*-?\s*")
        added = [m.group() for m in loose.finditer(raw) if not whole.fullmatch(m.group())]
        assert added == [], item
        assert len(whole.findall(raw)) >= shown.count(item) >= 8, item
    assert NAME in rendering.document.names


def _without(running: tuple[str, ...], raw: str) -> str:
    """The text without the footers, page labels and headings set again in a new column,
    which stand between the parts of a text broken over columns or pages."""
    for text in running:
        raw = re.sub(r"\s+".join(map(re.escape, text.split())), "\n", raw, flags=re.IGNORECASE)
    return re.sub(r"^\s*page \d+ of \d+\s*$", "", raw, flags=re.MULTILINE)


def _continued(section: Section) -> list[Paragraph]:
    """The headings set again where a section or a mechanism goes on in another column."""
    found = [section.continued] if section.continued else []
    return found + [b.continued for b in section.blocks if isinstance(b, Group) and b.continued]


def _paragraphs(section: Section) -> list[Paragraph]:
    found = []
    for block in section.blocks:
        if isinstance(block, Group):
            found += list(block.paragraphs)
    return found


def _pattern(item: str, between: str) -> re.Pattern[str]:
    """The item with `between` between its characters (its spaces are left to `between`)."""
    return re.compile(between.join(re.escape(c) for c in item if not c.isspace()))


def _line_ends_inside(item: str, raw: str) -> int:
    """How often a line ends inside the item, at its space or its own hyphen or not."""
    return sum("\n" in m.group() for m in _pattern(item, r"\s*-?\s*").finditer(raw))


def _raw_text(pdf: Path) -> str:
    """The text as `pdftotext -raw` gives it: each line as drawn, hyphens at lines' ends kept."""
    command = [real_client("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


# -- where the band and the box put the text --------------------------------------------------

BASELINE_TOLERANCE = 3
"""Points by which a line's baseline in LibreOffice's rendering may stand from the PDF's."""


def _baselines(pdf: Path, page: int) -> list[tuple[float, str]]:
    """The baseline of each piece of text on a page (from the top, in points) and its text."""
    sheet = pypdf.PdfReader(pdf).pages[page - 1]
    height = float(sheet.mediabox.height)
    found: list[tuple[float, str]] = []

    def seen(text: str, matrix: list, text_matrix: list, *_: object) -> None:
        if text.strip():
            found.append((height - pypdf.mult(text_matrix, matrix)[5], text.strip()))

    sheet.extract_text(visitor_text=seen)
    return found


def _first_line(pdf: Path, text: str) -> tuple[int, float]:
    """The page and baseline of the first line that begins with the first word of `text` in
    capitals (headings are drawn so; the same word in ordinary text is not)."""
    first = text.split()[0].upper()
    for page in range(1, pages(pdf) + 1):
        lines = sorted(y for y, shown in _baselines(pdf, page) if shown.startswith(first))
        if lines:
            return page, lines[0]
    raise AssertionError(f"{first!r} is not in {pdf}")


@pytest.mark.parametrize("name", ["2020", "2020-large-print"])
def test_the_text_below_the_band_starts_where_the_pdfs_does(
    rendered: dict[str, Rendered], name: str
) -> None:
    """Page 1's first heading, below the masthead band, stands as high in LibreOffice's
    rendering as in the PDF (the Word band took about 13 pt more: LibreOffice gives a line
    the font's own height where the leading is less, and the heading its space before)."""
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    heading = next(s.heading.text for s in rendering.document.sections if s.heading)
    page, drawn = _first_line(rendering.libreoffice, heading)
    assert (page, pytest.approx(drawn, abs=BASELINE_TOLERANCE)) == _first_line(
        rendering.pdf, heading
    )


def _box_top(pdf: Path, title: str) -> float | None:
    """From the last line above a feature box's title on its page to the title's baseline,
    in points (None when the box starts its page)."""
    page, drawn = _first_line(pdf, title)
    above = [y for y, _ in _baselines(pdf, page) if y < drawn - 1]
    return drawn - max(above) if above else None


def test_a_feature_box_takes_the_pdfs_room_above_its_title(rendered: dict[str, Rendered]) -> None:
    """The space from the events' last line to a feature box's title is the PDF's in
    LibreOffice's rendering too: where the box follows two columns (LibreOffice added the
    box's 12 pt top padding once more above a box that starts a section, which put a box
    near a page's foot on a page of its own), and after large print's one column (where
    LibreOffice had 7.5 pt less: the PDF's gap above the box was missing)."""
    measured = 0
    for name in FEATURED:
        rendering = rendered[name]
        assert rendering.libreoffice is not None
        (title,) = [s.heading.text for s in rendering.document.sections if s.frame and s.heading]
        drawn, wanted = _box_top(rendering.libreoffice, title), _box_top(rendering.pdf, title)
        if drawn is None or wanted is None:
            continue
        measured += 1
        assert drawn == pytest.approx(wanted, abs=BASELINE_TOLERANCE), name
    assert measured >= len(FEATURED) // 2


@pytest.mark.parametrize("name", ["2020", "2020-large-print"])
def test_the_band_text_stands_where_the_pdfs_does(rendered: dict[str, Rendered], name: str) -> None:
    """The masthead's first line (publisher, and the period top right) stands as high in
    LibreOffice's rendering as in the PDF: on the top margin (the PDF set it at 0.6 of the
    margin, about 18 pt higher than Word and LibreOffice can)."""
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    document = rendering.document
    for line in (document.masthead.publisher[0], document.masthead.period):
        first = line.text.split()[0]
        at = [_line_of(pdf, first) for pdf in (rendering.libreoffice, rendering.pdf)]
        assert at[0] == pytest.approx(at[1], abs=BASELINE_TOLERANCE), line.text


@pytest.mark.parametrize("name", CASES)
def test_the_band_lines_break_as_in_the_pdf(rendered: dict[str, Rendered], name: str) -> None:
    """Each of the masthead's publisher lines runs over as many lines in LibreOffice's
    rendering as in the PDF: it runs up to the period or issue beside it (after Word's right
    tab), so large print's department name, which wrapped in the PDF's 62% column, stands on
    one line in both."""
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    items = [p.text for p in rendering.document.masthead.publisher]
    counts = []
    for pdf in (rendering.libreoffice, rendering.pdf):
        page_one = [w for w in words(pdf, real_client("pdftotext"), 1) if w.page == 1]
        shown = placed(items, page_one)
        assert all(shown), (name, items)
        counts.append([len({w.top for w in drawn}) for drawn in shown])
    assert counts[0] == counts[1], name


def _line_of(pdf: Path, first: str) -> float:
    """The baseline of page 1's first text that begins with `first`."""
    return min(y for y, shown in _baselines(pdf, 1) if shown.startswith(first))


# -- pages that go on with the events ---------------------------------------------------------


@dataclass(frozen=True)
class PageStart:
    """How a page begins: with the events' "(continued)" heading or not, and its first text
    after the "(continued)" headings (squeezed)."""

    continued: bool
    text: str


def _page_starts(pdf: Path, document: Document, columns: int = 1) -> list[PageStart]:
    """How each page after the first begins (in columns: its first column, below the
    heading that spans them)."""
    (section,) = [s for s in document.sections if s.continued]
    assert section.continued is not None
    heading = _flat(section.continued.text)
    groups = [_flat(b.continued.text) for b in section.blocks if isinstance(b, Group)]
    drawn = words(pdf, real_client("pdftotext"), columns)
    found = []
    for page in range(2, max(w.page for w in drawn) + 1):
        on_page = [w for w in drawn if w.page == page]
        on_page.sort(key=lambda w: (w.column, w.top))
        text = _flat("".join(w.text for w in on_page))  # the footer last
        continued = text.startswith(heading)
        text = text.removeprefix(heading)
        text = next((text[len(g) :] for g in groups if text.startswith(g)), text)
        found.append(PageStart(continued, text[:40]))
    return found


@pytest.mark.parametrize("name", LARGE_PRINT)
def test_libreoffice_begins_each_page_as_the_pdf_does(
    rendered: dict[str, Rendered], name: str
) -> None:
    """Large print's events run in one column over pages, each page that goes on with them
    at a mechanism or an event headed "(continued)" in the PDF: each such heading the Word
    file has begins, in LibreOffice's rendering, the PDF's page with the same text (the
    Word file has it where LibreOffice's lines of the pages before fit, see the next test;
    the 2020 issue's, everywhere). A page that begins inside an event has none in either (a
    Word paragraph cannot hold it; in the PDF, no heading breaks into the sentence)."""
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    document = rendering.document
    pdf, word = (_page_starts(p, document) for p in (rendering.pdf, rendering.libreoffice))
    for wanted in pdf:
        assert wanted.continued == (_kind(wanted, document) in ("heading", "event")), wanted.text
    headed = [(page, s) for page, s in enumerate(word, 2) if s.continued]
    assert len(headed) == _continued_headings(rendering.word)
    for page, start in headed:
        assert pdf[page - 2] == start, page
    if name == "2020-large-print":
        assert len(headed) == sum(s.continued for s in pdf) > 0


def test_the_large_print_files_begin_pages_where_libreoffice_can(
    rendered: dict[str, Rendered],
) -> None:
    """Some large-print cases have pages that the Word file begins with the "(continued)"
    heading, and some pages it leaves to LibreOffice: where its lines of the pages before
    (long addresses it breaks in fewer places than the PDF) need more room than the PDF's
    page leaves, a new page would leave it a page holding only the lines that did not fit."""
    for names in (LARGE_PRINT, tuple(ADDRESSED)):
        headed = [_continued_headings(rendered[name].word) for name in names]
        continued = [
            sum(s.continued for s in _page_starts(rendered[n].pdf, rendered[n].document))
            for n in names
        ]
        assert 0 < sum(headed) < sum(continued), names


ISCM_PAGES = tuple(name for name in CASES if name not in LARGE_PRINT)


@pytest.mark.parametrize("name", ISCM_PAGES)
def test_libreoffice_heads_the_columns_of_a_page_as_the_pdf_does(
    rendered: dict[str, Rendered], name: str
) -> None:
    """Where the PDF begins a page of the events' columns at a mechanism or an event, with
    the events' "(continued)" heading across the columns, LibreOffice's rendering of each
    such heading the Word file has begins the same page, with the same text in its first
    column (the Word file ends the columns before, and sets the heading as a section of its
    own on a new page). The PDF sets none where a page begins inside an event."""
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    document = rendering.document
    pdf = _page_starts(rendering.pdf, document, columns=2)
    word = _page_starts(rendering.libreoffice, document, columns=2)
    for page, start in enumerate(pdf, 2):
        assert start.continued == (_kind(start, document) in ("heading", "event")), page
    headed = [(page, s) for page, s in enumerate(word, 2) if s.continued]
    assert len(headed) == _continued_headings(rendering.word)
    for page, start in headed:
        assert pdf[page - 2] == start, page


def test_the_word_files_in_columns_begin_pages_with_the_continued_heading(
    rendered: dict[str, Rendered],
) -> None:
    """Some of the two-column cases have pages begun so (the test above sees them), and
    some leave it to LibreOffice (its page before needs more lines than the PDF's)."""
    headed = [_continued_headings(rendered[name].word) for name in ISCM_PAGES]
    continued = [
        sum(s.continued for s in _page_starts(rendered[n].pdf, rendered[n].document, 2))
        for n in ISCM_PAGES
    ]
    assert sum(headed) >= 2
    assert sum(headed) < sum(continued)


def _continued_headings(word: Path) -> int:
    """How many paragraphs in the events' "(continued)" heading style the Word file has."""
    with zipfile.ZipFile(word) as package:
        body = package.read("word/document.xml").decode()
    return body.count('<w:pStyle w:val="Heading1Continued"/>')


@pytest.mark.parametrize("layout", ["large-print", "iscm"])
def test_the_pages_go_on_with_the_events_in_every_way(
    rendered: dict[str, Rendered], layout: str
) -> None:
    """The cases of each layout have pages that the PDF begins at a mechanism's heading,
    at an event, and inside an event (so the tests above see each)."""
    kinds = set()
    names = LARGE_PRINT if layout == "large-print" else ISCM_PAGES
    for name in names:
        document = rendered[name].document
        columns = 1 if layout == "large-print" else 2
        starts = _page_starts(rendered[name].pdf, document, columns)
        kinds.update(_kind(start, document) for start in starts)
    assert {"heading", "event", "inside"} <= kinds


def _flat(text: str) -> str:
    """Text squeezed, in lower case, without hyphens (lines break words in other places in
    LibreOffice's rendering than in the PDF)."""
    return squeeze(text).lower().replace("-", "")


def _items(entry: Group) -> list[Paragraph]:
    return [entry.heading, *([entry.note] if entry.note else []), *entry.paragraphs]


def _kind(start: PageStart, document: Document) -> str:
    """Where a page begins: at a mechanism's "heading", at an "event", "inside" an event
    (or a mechanism's note), or elsewhere ("other": after the events)."""
    entries = _entries(document)
    headings = {_flat(e.heading.text) for e in entries}
    items = [_flat(p.text) for e in entries for p in _items(e)]
    begun = [i for i in items if i.startswith(start.text) or start.text.startswith(i)]
    if begun:
        return "heading" if begun[0] in headings else "event"
    return "inside" if any(start.text in item for item in items) else "other"


# -- the room each part takes -------------------------------------------------------------

ROW_TOLERANCE = 0.2
"""Points by which a table row may be taller or shorter in LibreOffice's rendering."""


def _lines(pdf: Path, page: int) -> list[tuple[float, str]]:
    """The lines of a page: each baseline (from the top) with its text, squeezed and in
    lower case, its pieces from left to right."""
    sheet = pypdf.PdfReader(pdf).pages[page - 1]
    height = float(sheet.mediabox.height)
    pieces: list[tuple[float, float, str]] = []

    def seen(text: str, matrix: list, text_matrix: list, *_: object) -> None:
        if text.strip():
            x, y = pypdf.mult(text_matrix, matrix)[4:6]
            pieces.append((height - y, x, text))

    sheet.extract_text(visitor_text=seen)
    merged: dict[float, list[tuple[float, str]]] = {}
    for y, x, text in sorted(pieces):
        at = next((known for known in merged if abs(known - y) < 0.6), y)
        merged.setdefault(at, []).append((x, text))
    return [
        (y, squeeze("".join(text for _, text in sorted(parts))).lower())
        for y, parts in sorted(merged.items())
    ]


def _gap_above(pdf: Path, text: str) -> tuple[int, float] | None:
    """The page of the first line that begins with `text` and the distance from the line
    above it to it, in points (None if it begins its page)."""
    wanted = squeeze(text).lower()[:16]
    for page in range(1, pages(pdf) + 1):
        lines = _lines(pdf, page)
        for i, (y, shown) in enumerate(lines):
            if shown.startswith(wanted):
                return (page, y - lines[i - 1][0]) if i else None
    raise AssertionError(f"{text!r} is not in {pdf}")


def _headings_after_the_events(document: Document) -> list[str]:
    """The headings of the sections after the events, the captions of their tables and the
    titles of their charts."""
    found = []
    for section in document.sections[1:]:
        found += [section.heading.text] if section.heading is not None else []
        for block in section.blocks:
            if isinstance(block, Table) and block.caption is not None:
                found.append(block.caption.text)
    return found


@pytest.mark.parametrize("name", ["2020", "2020-large-print"])
def test_libreoffice_sets_each_heading_as_far_below_the_text_above_it_as_the_pdf(
    rendered: dict[str, Rendered], name: str
) -> None:
    """A heading stands as far below the line above it in LibreOffice's rendering as in the
    PDF: below a box (LibreOffice set the larger of the box's last space after and the
    heading's space before, the PDF both and its gap below the box: 11 pt more), a table's
    caption below its section's heading (the PDF added the caption's space before to the
    rule's space after: 7.5 pt more), the heading below a chart (Word's chart lacked the
    gap below its last bar)."""
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    measured = 0
    for heading in _headings_after_the_events(rendering.document):
        drawn = _gap_above(rendering.libreoffice, heading)
        wanted = _gap_above(rendering.pdf, heading)
        if drawn is None or wanted is None or drawn[0] != wanted[0]:
            continue  # a page begins with it: no line above it
        measured += 1
        assert drawn[1] == pytest.approx(wanted[1], abs=BASELINE_TOLERANCE), heading
    assert measured >= 3


def _row_baselines(pdf: Path, rows: list[str]) -> dict[str, tuple[int, float]]:
    """The page and baseline of each table row found by the start of its first cell (the
    first line that begins so: the table comes before the chart, whose labels repeat it)."""
    found: dict[str, tuple[int, float]] = {}
    for page in range(1, pages(pdf) + 1):
        for y, text in _lines(pdf, page):
            row = next((r for r in rows if r not in found and text.startswith(_key(r))), None)
            if row is not None:
                found[row] = (page, y)
    return found


def _key(text: str) -> str:
    return squeeze(text).lower()[:10]


@pytest.mark.parametrize("name", ["2020", "2020-large-print"])
def test_a_table_row_is_as_tall_in_libreoffice_as_in_the_pdf(
    rendered: dict[str, Rendered], name: str
) -> None:
    """A theme table's row takes the PDF's height in LibreOffice's rendering: its lines'
    leading and the padding above and below. Word and LibreOffice add the rule below a row
    to its height (a row was 0.6 pt taller, before): the cells' bottom margin is the
    padding less the rule's width, as thick as the PDF's."""
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    tables = [b for s in rendering.document.sections for b in s.blocks if isinstance(b, Table)]
    names = [[row.cells[0].text for row in table.rows] for table in tables]
    keys = [_key(first) for table in names for first in table]
    names = [[first for first in table if keys.count(_key(first)) == 1] for table in names]
    firsts = [first for table in names for first in table]
    drawn, wanted = (_row_baselines(pdf, firsts) for pdf in (rendering.libreoffice, rendering.pdf))
    measured = 0
    for table in names:
        shown = [first for first in table if first in drawn and first in wanted]
        for upper, lower in itertools.pairwise(shown):
            pair = [drawn[upper], drawn[lower], wanted[upper], wanted[lower]]
            if len({page for page, _ in pair}) == 1:
                measured += 1
                height = pair[1][1] - pair[0][1]
                assert height == pytest.approx(pair[3][1] - pair[2][1], abs=ROW_TOLERANCE), upper
    assert measured >= 3
