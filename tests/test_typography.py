"""Typography worth printing: hyphenation by the issue's language, tight justified lines,
dates that break sensibly, typographic quotes, in the PDFs and the Word file.

Word gaps are measured as ../shared/tools/loose.py does (poppler's `pdftotext -bbox-layout`:
on each justified line that is not a paragraph's last, the widest gap between two words over
the line's text height).
"""

from __future__ import annotations

import itertools
import random
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from generator import inline
from generator.build import build
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import load_issue
from generator.layout import load_layout
from generator.model import Document, Group, Heading, Run
from generator.writers.pdf import hyphenation, justify
from generator.writers.pdf.flowables import Paragraph
from generator.writers.pdf.hyphenation import Hyphenator
from tests import tagged
from tests.completeness import (
    SOFT,
    libreoffice_pdfs,
    missing,
    pdf_text,
    squeeze,
    squeeze_marked,
)
from tests.conftest import DATA, real_client
from tests.generated import YEAR_FILE, settings, write_data
from tests.pages import MONTHS, block_lines, loose_lines, placed, places, running_patterns
from tests.pages import words as drawn_words
from tests.word_edits import events_after_edit

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("typography")
    written = build(DATA, "2020", "iscm", out, ("pdf", "print", "docx"), lambda t: None)
    return dict(zip(("screen", "print", "docx"), (w.path for w in written), strict=True))


# -- hyphenation and word gaps -----------------------------------------------------------------


LOOSE_SHARE = 0.10
"""The issue's target: at most this share of the justified lines with a word gap over half
the text height, and none over the text height."""


@pytest.mark.parametrize("kind", ["screen", "print"])
def test_few_justified_lines_gape_in_the_2020_pdfs(built: dict[str, Path], kind: str) -> None:
    gaps = loose_lines(built[kind], real_client("pdftotext"))
    assert len(gaps) > 80
    loose = [gap for gap in gaps if gap > 0.5]
    assert len(loose) <= LOOSE_SHARE * len(gaps), (len(loose), len(gaps))
    assert max(gaps) <= 1.0


def test_the_measure_sees_a_line_poppler_cuts_at_a_very_wide_gap(tmp_path: Path) -> None:
    """A justified line with gaps of three times the text height ("Morocco, addressed
    intergovernmental", before a compound that could not break) is cut by poppler into one
    piece per word: the measure joins them again and finds the gap."""
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "gaping.pdf"
    canvas = Canvas(str(pdf), pagesize=(300, 200))
    canvas.setFont("Helvetica", 9.5)
    for x, word in ((51.0, "Morocco,"), (125.6, "addressed"), (203.3, "intergovernmental")):
        canvas.drawString(x, 150, word)
    canvas.drawString(51, 137, "counterterrorism-related responsibilities, the internation-")
    canvas.drawString(51, 124, "alisation of labour-market institutions.")
    canvas.save()
    gaps = loose_lines(pdf, real_client("pdftotext"))
    assert len(gaps) == 2 and max(gaps) > 3


def test_letter_spacing_helps_only_a_line_that_would_gape_and_only_a_little() -> None:
    size, space = 10.0, 2.5
    allowed = (justify.LOOSEST_GAP * size - space) * 4  # the slack four spaces may take
    assert justify.tracking(allowed, 4, 40, size, space) == 0
    assert justify.tracking(allowed + 3.9, 4, 40, size, space) == pytest.approx(0.1)
    assert justify.tracking(allowed + 100, 4, 40, size, space) == justify.MOST_TRACKING * size
    assert justify.tracking(100, 0, 40, size, space) == 0  # one word: nothing to justify


def test_justified_lines_end_flush_letter_spaced_or_not(built: dict[str, Path]) -> None:
    """Every stretched justified line (letter-spaced or not) ends at a column's right edge:
    the two columns' and the feature box's, and no other; and some line is letter-spaced."""
    xml = subprocess.run(
        [real_client("pdftotext"), "-bbox-layout", str(built["screen"]), "-"],
        check=True,
        capture_output=True,
    ).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, huge_tree=True))
    ends = []
    for block in root.iter(f"{XHTML}block"):
        for line in block.findall(f"{XHTML}line")[:-1]:
            words = line.findall(f"{XHTML}word")
            left = [float(w.get("xMin")) for w in words[1:]]
            right = [float(w.get("xMax")) for w in words[:-1]]
            height = float(words[0].get("yMax")) - float(words[0].get("yMin"))
            gaps = [b - a for a, b in zip(right, left, strict=True)]
            if len(words) >= 3 and max(gaps) > 0.3 * height:
                ends.append(round(float(line.get("xMax")), 1))
    assert len(ends) > 30
    assert len(set(ends)) <= 3, sorted(set(ends))
    with pikepdf.open(built["screen"]) as pdf:
        content = b"".join(page.Contents.read_bytes() for page in pdf.pages)
    assert re.search(rb"(^|\s)(0?\.\d*[1-9]|[1-9][.\d]*) Tc", content), "a line is letter-spaced"


@pytest.mark.parametrize("kind", ["screen", "print"])
def test_words_are_hyphenated_but_never_three_lines_in_a_row(
    built: dict[str, Path], kind: str
) -> None:
    hyphenated = longest = 0
    for lines in block_lines(built[kind], real_client("pdftotext")):
        run = 0
        for line in lines:
            ends = line.words[-1].endswith("-") if line.words else False
            run = run + 1 if ends and not line.last else 0
            hyphenated += run > 0
            longest = max(longest, run)
    assert hyphenated >= 10, "hyphenation is on (pyphen is installed and used)"
    assert longest <= 2


def _stacked(hyphenator: Hyphenator, width: float) -> int:
    """The most lines in a row a narrow paragraph of long words ends with a hyphen."""
    text = " ".join(["internationalisation responsibilities interoperability"] * 6)
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    style.hyphenationLang = hyphenator
    paragraph = Paragraph(text, style)
    paragraph.wrap(width, 10_000)
    longest = run = 0
    for _, words in paragraph.blPara.lines:
        run = run + 1 if words[-1].endswith("-") else 0
        longest = max(longest, run)
    return longest


def test_the_limit_of_two_hyphens_in_a_row_is_what_stops_a_stack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    width = stringWidth("internationalisation respon", "Helvetica", 10)
    assert _stacked(Hyphenator("en-GB"), width) <= 2
    monkeypatch.setattr(hyphenation, "MOST_IN_A_ROW", 99)
    assert _stacked(Hyphenator("en-GB"), width) >= 3


def test_a_word_in_capitals_a_month_and_an_unknown_language_are_not_hyphenated() -> None:
    english = Hyphenator("en-GB")
    assert list(english("internationalisation"))
    assert list(english("UNHCR")) == list(english("December")) == []
    assert list(Hyphenator("xx")("internationalisation")) == []
    assert list(english("COVID-19’s")) == [("COVID-", "19’s")]


def test_the_month_names_a_document_gives_are_the_ones_kept_whole() -> None:
    given = Hyphenator("en-GB", months=frozenset({"internationalisation"}))
    assert list(given("internationalisation")) == []
    assert list(given("September"))  # not among the given names: hyphenated as any word


def test_headings_and_mechanism_names_are_never_hyphenated(
    built: dict[str, Path], document_2020
) -> None:
    text = squeeze_marked(pdf_text(built["screen"], real_client("pdftotext")))
    assert SOFT in text, "some words are hyphenated at a line's end"
    names = [
        block.heading.text
        for section in document_2020.sections
        for block in section.blocks
        if isinstance(block, Group)
    ]
    headings = [s.heading.text for s in document_2020.sections if isinstance(s.heading, Heading)]
    assert len(names) >= 20
    assert [name for name in [*names, *headings] if squeeze(name) not in text] == []


def test_a_compound_keeps_its_own_hyphen_where_a_line_breaks_it(built: dict[str, Path]) -> None:
    raw = pdf_text(built["screen"], real_client("pdftotext")).replace(SOFT, "-")
    assert "COVID-\n" not in raw  # joined again
    flat = re.sub(r"\s+", " ", raw)
    assert "COVID-19’s" in flat
    assert "COVID19" not in flat


@pytest.mark.parametrize("kind", ["screen", "print"])
def test_a_hyphen_added_at_a_line_end_is_not_in_the_tagged_text(
    built: dict[str, Path], kind: str
) -> None:
    """Read by its tags (as a screen reader reads), a word hyphenated where a line breaks is
    whole ("Development", not "Develop- ment"); a compound keeps its own hyphen ("COVID-19");
    text extraction by position still finds the hyphen and joins the halves."""
    pdf = built[kind]
    raw = subprocess.run(
        [real_client("pdftotext"), "-raw", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    broken = re.findall(r"(\w+)-\n(\w+)", raw)  # the words a line's end cut, with a hyphen
    typed = (DATA / "2020.yaml").read_text()
    own = [(head, tail) for head, tail in broken if f"{head}-{tail}" in typed]
    added = [  # (a part of a split paragraph is followed by another column's text)
        (head, tail)
        for head, tail in broken
        if (head, tail) not in own and re.search(rf"\b{head}{tail}", typed)
    ]
    assert len(added) >= 10 and own  # the 2020 issue has both
    texts = tagged.mcid_texts(pdf)
    tagged_text = " ".join(
        "".join(texts[key] for key in sorted(texts) if key[0] == page)
        for page in sorted({page for page, _ in texts})
    ).replace("\n", " ")
    for head, tail in added:
        assert f"{head}{tail}" in tagged_text, (head, tail)
        assert re.search(rf"\b{head}-\s*{tail}", tagged_text) is None, (head, tail)
    for head, tail in own:
        assert f"{head}-{tail}" in tagged_text, (head, tail)
    plain = subprocess.run(
        [real_client("pdftotext"), str(pdf), "-"], capture_output=True, text=True
    ).stdout
    for head, tail in added:
        assert f"{head}{tail}" in plain, (head, tail)


def _one_event(tmp_path: Path, summary: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        (data / name).write_text((DATA / name).read_text())
    year = (DATA / "2020.yaml").read_text()
    old = "focused on technology, labour migration"
    assert old in year
    (data / "2020.yaml").write_text(year.replace(old, summary, 1))
    return data


def test_addresses_and_code_are_never_hyphenated(tmp_path: Path) -> None:
    literal = [
        "migration.dialogues@example-organisation.int",
        "www.example.org/regional-consultative-processes",
        "configuration_parameters_international",
    ]
    data = _one_event(tmp_path, "focused on " + " and ".join(literal) + ", labour migration")
    (pdf,) = build(data, "2020", "iscm", tmp_path / "out", ("pdf",), lambda t: None)
    raw = subprocess.run(
        [real_client("pdftotext"), "-raw", str(pdf.path), "-"], capture_output=True, text=True
    ).stdout
    event = raw.split("focused on")[1].split("labour")[0]
    assert re.search(r"[a-z]-\n", event) is None, event  # no hyphen added
    joined = re.sub(r"(?<=[/.@:])\n|\n(?=-)", "", raw)  # an address breaks at a separator
    lines = joined.split("\n")
    for word in literal:
        assert any(word in line for line in lines), word
    assert literal[2] in raw, "code that fits a line is never broken"


LONG_URL = (
    "https://www.example.org/documents/2020/technical-experts-meeting-report-final-version.pdf"
)
LONG_EMAIL = "regional.consultative.process.secretariat@migration-dialogues.example.org"
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosisinternationalisationalities"


def _boxes(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word poppler finds: page, box (x0, y0, x1, y1) and text."""
    xml = subprocess.run(
        [real_client("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    root = etree.fromstring(xml)
    found = []
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        for word in page.iter(f"{XHTML}word"):
            box = (float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            found.append((number, *box, word.text or ""))
    return found


def _overlapping(pdf: Path) -> list[tuple[str, str]]:
    """The pairs of words printed over each other (as /tmp/rv/overlap.py finds them)."""
    boxes = _boxes(pdf)
    return [
        (a[5], b[5])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] == b[0]
        and a[1] < b[3] - 0.5
        and b[1] < a[3] - 0.5
        and a[2] < b[4] - 1
        and b[2] < a[4] - 1
    ]


@pytest.mark.parametrize(
    ("summary", "whole"),
    [
        (f"featured a discussion, see {LONG_URL} for details", LONG_URL),
        (f"featured a discussion, see [{LONG_URL}]({LONG_URL}) for details", LONG_URL),
        (f"featured a discussion, write to {LONG_EMAIL} for details", LONG_EMAIL),
        (f"featured a discussion of {LONG_WORD} and more", LONG_WORD),
    ],
    ids=["url", "link", "email", "word"],
)
def test_a_word_wider_than_its_column_breaks_inside_it(
    tmp_path: Path, summary: str, whole: str
) -> None:
    data = _one_event(tmp_path, summary)
    pdf, print_pdf = build(data, "2020", "iscm", tmp_path / "out", ("pdf", "print"), lambda t: None)
    for path in (pdf.path, print_pdf.path):
        assert _overlapping(path) == []
        boxes = _boxes(path)
        parts = [b for b in boxes if b[5] and (b[5] in whole or whole.startswith(b[5]))]
        assert len({round(b[2]) for b in parts if len(b[5]) > 3}) >= 2  # on two lines at least
        width = float(
            etree.fromstring(
                subprocess.run(
                    [real_client("pdftotext"), "-bbox", str(path), "-"],
                    capture_output=True,
                    check=True,
                ).stdout
            )
            .find(f".//{XHTML}page")
            .get("width")
        )
        assert all(b[3] < width for b in boxes)
        raw = subprocess.run(
            [real_client("pdftotext"), "-raw", str(path), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        joined = re.sub(r"\s+", "", raw)
        if whole is not LONG_WORD:  # an address's parts are never hyphenated
            assert whole in joined, "an address broken with an added hyphen or a lost character"
    if "](" in summary:
        rects = [
            [float(v) for v in a.Rect]
            for page in pikepdf.open(pdf.path).pages
            for a in page.get("/Annots", [])
            if "/A" in a and str(a.A.get("/URI", "")) == whole
        ]
        assert len(rects) >= 2  # one annotation on each line the link runs over


LARGE_PRINT_URL = (
    "https://migration-dialogue.example.int/en/news/2020/ministerial-conference/outcome"
    "-declaration-of-the-regional-consultative-process?lang=en&version=2"
)
"""An address wider than a line of large print, whose Body style does not hyphenate."""


def test_an_address_in_a_style_that_does_not_hyphenate_breaks_where_it_may(
    tmp_path: Path,
) -> None:
    """Large print does not hyphenate: an address wider than its line still breaks after a
    separator or before a hyphen of its own (it was cut anywhere: '...news/2020/minis' and
    'terial-conference...'), and LibreOffice's rendering has the PDF's page count."""
    data = _one_event(tmp_path, f"featured a discussion (see {LARGE_PRINT_URL}) and more")
    (pdf,) = build(data, "2020", "large-print", tmp_path / "out", ("pdf",), lambda t: None)
    raw = subprocess.run(
        [real_client("pdftotext"), "-raw", str(pdf.path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    lines = [line.strip() for line in raw.splitlines()]
    start = next(i for i, line in enumerate(lines) if "https://migration" in line)
    heads, shown = [], lines[start].split("(see ", 1)[1]
    for line in lines[start + 1 :]:
        if len(shown) >= len(LARGE_PRINT_URL):
            break
        heads.append(len(shown))
        shown += line
    assert shown.startswith(LARGE_PRINT_URL) and heads  # whole, broken over lines
    breaks = hyphenation.literal_breaks(LARGE_PRINT_URL)
    assert all(at in breaks for at in heads), [LARGE_PRINT_URL[:at] for at in heads]


def test_libreoffice_breaks_an_address_only_after_a_hyphen_of_its_path() -> None:
    """What the Word file's page starts reckon with (see `lines_gained_in_word`)."""
    heads = [LARGE_PRINT_URL[:at] for at in hyphenation.libreoffice_breaks(LARGE_PRINT_URL)]
    assert heads[0] == "https://migration-dialogue.example.int/en/news/2020/ministerial-"
    assert all(head.endswith("-") for head in heads)
    assert hyphenation.libreoffice_breaks(LONG_EMAIL) == []


def test_an_address_breaks_after_its_separators_or_before_its_hyphens() -> None:
    heads = [LONG_URL[:at] for at in hyphenation.literal_breaks(LONG_URL)]
    assert "https://" in heads and "https:/" not in heads and "https:" not in heads
    assert "https://www." in heads and "https://www.example.org/documents/" in heads
    assert "https://www.example.org/documents/2020/technical" in heads  # before its hyphen
    assert "https://www.example.org/documents/2020/technical-" not in heads
    mail = [LONG_EMAIL[:at] for at in hyphenation.literal_breaks(LONG_EMAIL)]
    assert "regional." in mail and "regional.consultative.process.secretariat@" in mail
    assert "regional.consultative.process.secretariat@migration" in mail


# -- hyphenated words in a split paragraph -----------------------------------------------------

LONG_WORDS = [
    *("internationalisation", "responsibilities", "interoperability", "cooperation"),
    *("consultations", "implementation", "recommendations", "strengthening", "governmental"),
    *("transnational", "reintegration", "administrative", "comprehensive", "communication"),
    "understanding",
]


def _long_text(count: int) -> str:
    """`count` long words (no hyphen of their own): most lines of a column end hyphenated."""
    pick = random.Random(count).choice
    return " ".join(pick(LONG_WORDS) for _ in range(count))


def _drawn_text(*parts: Paragraph, width: float) -> str:
    """The text of the parts' lines as they would be drawn, a line's end hyphen joined."""
    texts = []
    for part in parts:
        part.wrap(width, 10_000)
        lines = part.blPara.lines
        if part.blPara.kind == 0:
            texts += [" ".join(words).strip() for _, words in lines]
        else:
            texts += ["".join(w.text for w in line.words).strip() for line in lines]
    return re.sub(r"-\n", "", "\n".join(texts)).replace("\n", " ")


@pytest.mark.parametrize("markup", ["<b>Regional meeting</b>, ", ""])  # several runs, or one
def test_a_split_paragraph_keeps_its_hyphenated_words_whatever_was_tried_before(
    markup: str,
) -> None:
    """Split at every line in turn, as column balancing tries heights, and again after the
    paragraph was broken for another width: each pair of parts shows the text whole (no
    'co- op-eration' where an earlier try cut after 'co-'), the first part filling its room."""
    text = _long_text(60)
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=9.5, leading=13, alignment=4)
    style.hyphenationLang, style.spaceShrinkage = Hyphenator("en-GB"), 0.3
    style.allowWidows = style.allowOrphans = 0
    width = 160.0
    paragraph = Paragraph(markup + text, style)
    whole = _drawn_text(paragraph, width=width)
    assert whole.endswith(text)
    count = len(paragraph.blPara.lines)
    hyphenated = [i for i in range(1, count) if _drawn_ends(paragraph, i)]
    assert len(hyphenated) >= count // 3, "most lines end hyphenated"
    for lines in [*range(2, count - 1), *range(count - 2, 1, -1)]:
        parts = paragraph.split(width, lines * 13 + 1)
        assert len(parts) == 2, lines
        shown = _drawn_text(*parts, width=width)
        assert shown == whole, (lines, _first_difference(shown, whole))
    assert _drawn_text(paragraph, width=width) == whole
    assert _drawn_text(paragraph, width=width - 20).endswith(text)
    for other in (width - 60, width + 20):  # split after another width's line breaking
        paragraph.wrap(other, 10_000)
        paragraph.wrap(width, 10_000)  # this width's, remembered
        for lines in range(2, count - 1):
            parts = paragraph.split(width, lines * 13 + 1)
            shown = _drawn_text(*parts, width=width)
            assert shown == whole, (other, lines, _first_difference(shown, whole))
            assert len(parts[0].blPara.lines) == lines, "the first part fills its room"


def test_a_word_over_the_longest_hyphenated_leaves_its_paragraph_hyphenated() -> None:
    """Only the long word is never hyphenated: the rest of its paragraph is (it was all left
    unhyphenated, with gaping lines), and split anywhere it shows its text whole."""
    long_word = "pseudopseudohypoparathyroidismal"
    assert len(long_word) > hyphenation.LONGEST_HYPHENATED
    words = _long_text(50).split()
    text = " ".join([*words[:20], long_word, *words[20:]])
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=9.5, leading=13, alignment=4)
    style.hyphenationLang, style.spaceShrinkage = Hyphenator("en-GB"), 0.3
    style.allowWidows = style.allowOrphans = 0
    width = 180.0
    paragraph = Paragraph(text, style)
    whole = _drawn_text(paragraph, width=width)
    assert whole == text
    count = len(paragraph.blPara.lines)
    hyphenated = [i for i in range(1, count) if _drawn_ends(paragraph, i)]
    assert len(hyphenated) >= count // 4, "the other words are hyphenated"
    assert list(Hyphenator("en-GB")(long_word)) == []
    for lines in range(2, count - 1):
        shown = _drawn_text(*paragraph.split(width, lines * 13 + 1), width=width)
        assert shown == whole, (lines, _first_difference(shown, whole))


def _drawn_ends(paragraph: Paragraph, line: int) -> bool:
    found = paragraph.blPara.lines[line - 1]
    words = found[1] if paragraph.blPara.kind == 0 else [w.text for w in found.words]
    return "".join(words).rstrip().endswith("-")


def _first_difference(shown: str, whole: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(shown, whole, strict=False)) if a != b), len(whole))
    return f"{shown[max(at - 30, 0) : at + 30]!r} for {whole[max(at - 30, 0) : at + 30]!r}"


HYPHENATED_LARGE_PRINT = """extends: large-print
styles:
  Body: {hyphenate: true}
"""


def _long_events(folder: Path, events: int, words: int) -> Path:
    """Data of one mechanism with `events` events of `words` long words each."""
    summaries = [f"addressed {_long_text(words + i)}." for i in range(events)]
    year = {
        "year": 2020,
        "issue": 1,
        "period": "2020-01-01/2020-12-31",
        "events": {
            "M001": [
                {"title": f"Regional meeting {i}", "dates": "2020-03-02", "summary": summary}
                for i, summary in enumerate(summaries)
            ]
        },
    }
    mechanisms = {"M001": {"name": "Regional consultative process"}}
    return write_data(
        folder, {"bulletin.yaml": settings(), "mechanisms.yaml": mechanisms, YEAR_FILE: year}
    )


@pytest.mark.parametrize(
    ("layout", "events", "words"),
    [
        *(("iscm", events, words) for events, words in [(5, 30), (7, 40), (9, 40)]),
        ("large-print-hyphenated", 5, 40),  # one column, split over pages
    ],
)
def test_paragraphs_split_over_columns_or_pages_print_their_hyphenated_words_whole(
    tmp_path: Path, layout: str, events: int, words: int
) -> None:
    """Long events, hyphenated on most lines, split over columns (balancing them tries many
    heights) or pages: both PDFs show every word whole, where it was split or not. (Before
    the fix, each of the iscm cases printed a word like 'co- op-eration'.)"""
    data = _long_events(tmp_path / "data", events, words)
    folder = tmp_path / "layouts" / "large-print-hyphenated"  # the project folder's layouts
    folder.mkdir(parents=True)
    (folder / "layout.yaml").write_text(HYPHENATED_LARGE_PRINT)
    written = build(data, "2020", layout, tmp_path / "out", ("pdf", "print"), lambda t: None)
    document = compose(load_issue(data, "2020"), load_layout(layout, project=tmp_path))
    summaries = [p.text for g in _groups(document) for p in g.paragraphs]
    pdftotext = real_client("pdftotext")
    for pdf in (w.path for w in written):
        text = pdf_text(pdf, pdftotext)
        assert text.count(SOFT) >= 20, "the events are hyphenated"
        assert missing(document, text) == []  # 'co- op-eration' is not 'cooperation'
        drawn = drawn_words(pdf, pdftotext, 2 if layout == "iscm" else 1)
        found = placed(summaries, drawn, running_patterns(document))
        assert any(len(places(event)) >= 2 for event in found), "an event is split"


def _groups(document: Document) -> list[Group]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Group)]


# -- dates -------------------------------------------------------------------------------------


def test_no_line_ends_with_a_lone_day_number_or_a_broken_month(built: dict[str, Path]) -> None:
    for lines in block_lines(built["screen"], real_client("pdftotext")):
        for line, following in itertools.pairwise(lines):
            words = line.words
            if re.fullmatch(r"\d{1,2}", words[-1]) and MONTHS.match(following.words[0]):
                before = words[-2] if len(words) > 1 else ""
                assert before in ("–", "and") or before.endswith((",", "–")), line.text
            assert not re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*-$", line.text)


# -- typographic punctuation -------------------------------------------------------------------


def test_plain_quotes_become_typographic_in_both_formats(built: dict[str, Path]) -> None:
    year = (DATA / "2020.yaml").read_text()
    assert "Technical Experts' Meeting" in year, "the data keeps what the editor typed"
    screen = re.sub(r"\s+", " ", pdf_text(built["screen"], real_client("pdftotext")))
    with zipfile.ZipFile(built["docx"]) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    word = "".join(t.text or "" for t in body.iter(f"{W}t"))
    for text in (screen, word):
        assert "Technical Experts’ Meeting" in text
        assert "“Sustainable approaches" in text
        assert "”, featured" in text
        assert "'" not in text.replace("mailto:", "") and '"' not in text


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ("Experts' Meeting", "Experts’ Meeting"),
        ('on "Sustainable approaches", a forum', "on “Sustainable approaches”, a forum"),
        ("the '90s", "the ’90s"),
        ("('quoted')", "(‘quoted’)"),
        ("see https://example.org/a'b\"c and 'x'", "see https://example.org/a'b\"c and ‘x’"),
        ("write to o'neil@example.org", "write to o'neil@example.org"),
        ("set snake_case's value, {{ 'x' }}", "set snake_case's value, {{ 'x' }}"),
        ("`don't`", "`don't`"),
        ('"24/7" support, ("Sahel/Maghreb" route)', "“24/7” support, (“Sahel/Maghreb” route)"),
        ('the "#1" priority, a "$5" fee', "the “#1” priority, a “$5” fee"),
        ('see "https://example.org/a".', "see “https://example.org/a”."),
        ('5\'10" tall, 12" records, 6\' 2"', "5′10″ tall, 12″ records, 6′ 2″"),
        ("COVID-19's impact, the 1990's", "COVID-19’s impact, the 1990’s"),
        ("he said \"the year 2020\" and '5'", "he said “the year 2020” and ‘5’"),
        ("'Tis rock 'n' roll, in '20 and '21", "’Tis rock ’n’ roll, in ’20 and ’21"),
        ('said…"next" and ..."after"', "said…“next” and ...“after”"),
        ("10'000 km, 1'250'000 people", "10'000 km, 1'250'000 people"),
        ("5'3 and 12'0000, the '90s, 1990's", "5′3 and 12′0000, the ’90s, 1990’s"),
        ("see https://example.org/q='x' now", "see https://example.org/q='x' now"),
        ('https://example.org/a?b="c"', 'https://example.org/a?b="c"'),
        ("'see https://x.org/it's'", "‘see https://x.org/it's’"),
        ("(https://x.org/a?b='c')", "(https://x.org/a?b='c')"),
        ("o'brien.d'arcy@example.org's", "o'brien.d'arcy@example.org’s"),
        ("to 'o'brien@x.org' now", "to ‘o'brien@x.org’ now"),
        ('see "https://x.org/a?b="c"" now', 'see “https://x.org/a?b="c"” now'),
        ("(see 'https://x.org/q='x'')", "(see ‘https://x.org/q='x'’)"),
        ('the sign "—" alone, the word "–"', "the sign “—” alone, the word “–”"),
        ('he said "wait —" and left; "- no"', "he said “wait —” and left; “- no”"),
        ('the "Labour"\'s share, "ISCMs"\' role', "the “Labour”’s share, “ISCMs”’ role"),
    ],
)
def test_typographic_punctuation_never_inside_addresses_or_code(typed: str, typeset: str) -> None:
    assert inline.typographic(typed) == typeset


def test_a_quote_after_a_run_of_another_style_closes(document_2020) -> None:
    assert inline.typographic('"', before="d") == "”"
    assert inline.typographic('"', before=" ") == "“"


# -- Word ----------------------------------------------------------------------------------------


def test_word_hyphenates_automatically_two_in_a_row_at_most(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["docx"]) as archive:
        settings = etree.fromstring(archive.read("word/settings.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    assert settings.find(f"{W}autoHyphenation") is not None
    assert settings.find(f"{W}consecutiveHyphenLimit").get(f"{W}val") == "2"
    assert settings.find(f"{W}doNotHyphenateCaps") is not None

    def suppressed(name: str) -> str | None:
        style = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == name)
        found = style.find(f"{W}pPr/{W}suppressAutoHyphens")
        return None if found is None else found.get(f"{W}val")

    assert suppressed("Normal") == "1", "headings, names and links inherit no hyphenation"
    assert suppressed("Body") == "0", "justified text hyphenates"
    assert suppressed("Heading1") is suppressed("Mechanism") is None  # as Normal


def test_large_print_is_never_hyphenated(tmp_path: Path) -> None:
    pdf, docx = build(DATA, "2020", "large-print", tmp_path, ("pdf", "docx"), lambda t: None)
    text = pdf_text(pdf.path, real_client("pdftotext"))
    assert SOFT not in text.replace("COVID\u00ad19", "")
    with zipfile.ZipFile(docx.path) as archive:
        settings = etree.fromstring(archive.read("word/settings.xml"))
    assert settings.find(f"{W}autoHyphenation") is None


# -- the typing an editor does: kept as typed where it is not prose ----------------------------

TYPED = (
    "Delegates {lead} met on 12 March, 6, 9 and 13 July and September 24, discussed"
    " reintegration in Budapest with Ouagadougou's representatives,"
    " reintegration again with Ouagadougou and Budapest, travelled 10'000 km and 1'250'000"
    " steps, read https://example.org/it's/a?q='x'&b=\"y\" and o'brien.d'arcy@example.org and"
    " [https://example.org/q='x'](https://example.org/q='x'), set"
    " {{{{ year }}}} and `it's \"code\"` in migrant_data_v2's file, for the 5'3 tall Experts'"
    " children of the '90s."
)
"""An event's text with the reviewer's typing (the lead-in grows by a word from event to event,
so each word falls where some line breaks)."""
AS_TYPED_PIECES = (
    "10'000 km",
    "1'250'000",
    "https://example.org/it's/a?q='x'&b=\"y\"",
    "o'brien.d'arcy@example.org",
    "https://example.org/q='x'",
    "{{ year }}",
    '`it\'s "code"`',
    "migrant_data_v2's",
)
SET_PIECES = ("5′3 tall", "Experts’", "’90s")
REINTEGRATION_BREAKS = ("re-", "reinte-", "reintegra-")
"""Where the layout's exceptions (re-inte-gra-tion) let a line break the word."""


@pytest.fixture(scope="module")
def typed_issue(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.generated import documents
    from tests.unbroken_case import _lead

    data = documents(random.Random(5), [1], presence=0.0)
    (key,) = data[YEAR_FILE]["events"]
    events: list[dict] = [{"text": TYPED.format(lead=_lead(i))} for i in range(14)]
    events += [
        {"title": TITLE.format(lead=_lead(i)), "dates": "2020-04-02", "place": "virtual"}
        for i in range(14)
    ]
    data[YEAR_FILE]["events"][key] = events
    folder = write_data(tmp_path_factory.mktemp("typed-data"), data)
    out = tmp_path_factory.mktemp("typed")
    written = build(folder, "2020", "iscm", out, ("pdf", "docx"), lambda t: None)
    return {"pdf": written[0].path, "docx": written[1].path, "data": folder}


TITLE = "Regional Consultation {lead} on Implementation Recommendations"
"""An event's title, which no line hyphenates."""


def _raw_text(pdf: Path) -> str:
    command = [real_client("pdftotext"), "-raw", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def typed_pages(typed_issue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The typed issue's text as the screen PDF and LibreOffice's rendering set it."""
    (rendering,) = libreoffice_pdfs(
        [typed_issue["docx"]], tmp_path_factory.mktemp("typed-lo"), real_client("soffice")
    )
    return {"pdf": _raw_text(typed_issue["pdf"]), "libreoffice": _raw_text(rendering)}


def test_what_is_not_prose_is_printed_as_typed_in_both_formats(typed_issue) -> None:
    raw = subprocess.run(
        [real_client("pdftotext"), "-raw", str(typed_issue["pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with zipfile.ZipFile(typed_issue["docx"]) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    word = " ".join(paragraphs).replace("\u00a0", " ")
    pdf = raw.replace("\u00a0", " ")
    for piece in AS_TYPED_PIECES:
        assert word.count(piece) >= 14, piece
        assert re.sub(r"-?\n", "", pdf).count(piece.replace(" ", "")) + pdf.count(piece) >= 14
    for piece in SET_PIECES:
        assert word.count(piece) == 14 and pdf.replace("\n", " ").count(piece) >= 13, piece
    assert "{{ year\n" not in pdf and "{{\n" not in pdf, "a template is never broken"
    assert (typed_issue["data"] / YEAR_FILE).read_text().count("10'000 km") == 14


@pytest.mark.parametrize("client", ["pdf", "libreoffice"])
def test_proper_names_and_titles_break_nowhere_and_listed_words_only_where_listed(
    typed_pages: dict[str, str], client: str
) -> None:
    raw = typed_pages[client]
    ends = re.findall(r"(\S+)-\n(\S+)", raw)
    assert ends, "words are hyphenated at lines' ends"
    kept_whole = ("Budapest", "Ouagadougou", "Delegates", "Consultation", "Implementation")
    for head, tail in ends:
        word = head + tail
        assert not word.startswith((*kept_whole, "Recommendations")) or "-" in word, word
        if word.startswith("reintegration"):
            assert f"{head}-" in REINTEGRATION_BREAKS, (head, tail)
    lines = raw.splitlines()
    assert any(line.endswith(kept_whole) for line in lines), "the words end lines"
    assert any(line.startswith(kept_whole) for line in lines), "the words begin lines"


def test_word_keeps_names_whole_and_breaks_listed_words_at_their_points(typed_issue) -> None:
    with zipfile.ZipFile(typed_issue["docx"]) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    runs = [r for r in body.iter(f"{W}r") if r.find(f"{W}softHyphen") is not None]
    assert len(runs) == 28
    for run in runs:
        parts = [c.text if c.tag == f"{W}t" else "|" for c in run if c.tag != f"{W}rPr"]
        assert "".join(parts) == "re|inte|gra|tion"
        assert run.find(f"{W}rPr/{W}lang").get(f"{W}val") == "zxx"
    kept = [
        "".join(t.text or "" for t in r.iter(f"{W}t"))
        for r in body.iter(f"{W}r")
        if r.find(f"{W}rPr/{W}lang") is not None
    ]
    assert kept.count("Budapest") == kept.count("Ouagadougou") == 28
    assert "Delegates" not in kept, "a sentence's first word hyphenates as any other"


@pytest.mark.parametrize(
    ("text", "before", "capitalised"),
    [
        (
            "met in Budapest and O'Neill's Cross-Border team",
            "",
            ["Budapest", "Neill", "Cross", "Border"],
        ),
        ("Delegates met. “Experts” came (Budapest).", "", ["Budapest"]),
        ("Delegates met", "The day's end. ", []),
        ("Delegates met", "the day's end, ", ["Delegates"]),
        ("the ECOWAS and COVID-19 era", "", []),
        ("Delegates met", "«\u00a0Fin.\u00a0» ", []),  # French: a no-break space before »
        ("Delegates met", "”Slut.” ", []),  # Swedish and Finnish quote with ” ”
        ("”Delegates met", "Slut. ", []),
        ("\u00a0»Delegates met", "", []),  # Hungarian's inner quotes: » «
    ],
)
def test_a_capitalised_word_inside_a_sentence_is_a_proper_name(
    text: str, before: str, capitalised: list[str]
) -> None:
    from generator.word_breaks import capitalised as found

    assert [text[at:end] for at, end in found(text, before)] == capitalised


SENTENCES_IN_QUOTES = [  # (language, text, the first word of a sentence)
    ("fr-FR", "Ils ont dit «\u00a0Fin du débat.\u00a0» Délégations et experts", "Délégations"),
    ("sv-SE", "De sa ”Slut på debatten.” ”Delegationer och experter", "Delegationer"),
    ("fi-FI", "He sanoivat ’Keskustelu loppui.’ ’Delegaatiot ja asiantuntijat", "Delegaatiot"),
    ("hu-HU", "Azt mondták: „a vita véget ért.” »Delegációk és szakértők", "Delegációk"),
]


@pytest.mark.parametrize(("language", "text", "first"), SENTENCES_IN_QUOTES)
def test_a_sentence_after_a_quote_in_any_language_hyphenates_its_first_word(
    language: str, text: str, first: str
) -> None:
    """The first word of a sentence that follows a closing quote, or opens with a quote, in
    any language's marks (spaced or not) is no proper name: the PDF may hyphenate it, and
    the Word file leaves it in the paragraph's language (not zxx)."""
    from generator.writers.docx.unbroken import Unbroken
    from generator.writers.pdf.styles import Palette, StyleSheet

    layout = load_layout("iscm")
    sheet = StyleSheet(layout, Palette(layout, cmyk=False), language, ())
    markup = sheet.markup((Run(text),), "Event")
    assert first in markup and not re.search(rf"<nobr>[^<]*{first}", markup), markup
    pieces = list(Unbroken((), language, months=frozenset()).pieces(text))
    assert not any(first in piece for piece, kept in pieces if kept), pieces


@pytest.mark.parametrize(
    ("listing", "expected"),
    [
        (
            "  en:\n    exceptions:\n      - re-inte-gra-tion\n      - re-in-te-gra-tion\n",
            ":6:9: hyphenation.en.exceptions[2]: 're-in-te-gra-tion' is listed already",
        ),
        (
            "  en:\n    exceptions: [COVID-19]\n",
            ":4:18: hyphenation.en.exceptions[1]: 'COVID-19' is not a word",
        ),
        ("  English:\n    exceptions: [Budapest]\n", ":3:3: hyphenation.English: 'English' is not"),
    ],
)
def test_the_layouts_exceptions_are_checked_with_their_place(
    tmp_path: Path, listing: str, expected: str
) -> None:
    from generator.errors import BulletinError

    folder = tmp_path / "layouts" / "mine"
    folder.mkdir(parents=True)
    (folder / "layout.yaml").write_text(f"extends: iscm\nhyphenation:\n{listing}")
    with pytest.raises(BulletinError) as raised:
        load_layout("mine", project=tmp_path)
    shown = [str(p) for p in raised.value.problems]
    assert len(shown) == 1 and expected in shown[0], shown


def test_a_listed_word_breaks_where_its_list_says_and_a_name_nowhere() -> None:
    from generator.word_breaks import Exceptions

    english = Hyphenator("en-GB", exceptions=Exceptions(["re-inte-gra-tion", "Budapest"]))
    assert list(english("reintegration")) == [
        ("reintegra", "tion"),
        ("reinte", "gration"),
        ("re", "integration"),
    ]
    assert list(english("Reintegration"))[-1] == ("Re", "integration")
    assert list(english("Budapest")) == []
    assert ("rein", "tegration") in list(Hyphenator("en-GB")("reintegration"))  # pyphen's


@pytest.mark.parametrize("client", ["pdf", "libreoffice"])
def test_a_typed_date_leaves_no_lone_day_at_a_line_end(
    typed_pages: dict[str, str], client: str
) -> None:
    """Only between a list's or range's days and their month ('6, 9 and 13 | July'), never
    after a lone day ('12 | March', 'September | 24') nor inside a list ('6, | 9')."""
    lines = typed_pages[client].splitlines()
    broken = 0
    for line, following in itertools.pairwise(lines):
        in_date = MONTHS.match(following) or re.match(r"\d|and\b", following)
        if re.search(r"\b\d{1,2},?$", line) and in_date:
            broken += 1
            assert MONTHS.match(following), (line, following)
            assert re.search(r"(\d,|and|–) \d{1,2}$", line), line
        assert not re.search(r"\b(September|March)$", line) or not following[:1].isdigit()
    assert broken, "the dates fall where lines break"


def test_a_typed_date_is_tied_in_the_word_file(typed_issue) -> None:
    with zipfile.ZipFile(typed_issue["docx"]) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    word = "".join(t.text or "" for t in body.iter(f"{W}t"))
    for tied in ("12\u00a0March", "6,\u00a09\u00a0and\u00a013 July", "September\u00a024"):
        assert word.count(tied) == 14, tied


def test_the_word_file_reads_back_as_typed(typed_issue, tmp_path: Path) -> None:
    """Pulled back, the Word file (its soft hyphens, no-break spaces, kept-whole runs and
    typographic quotes) is the data as typed: nothing to pull; and an edit beside them is
    pulled into the typed text."""
    from tests.unbroken_case import _lead

    events = events_after_edit(typed_issue, tmp_path, "travelled", "walked")
    texts = [event["text"] for event in events if "text" in event]
    assert sum("walked 10'000 km" in t for t in texts) == 1
    edited = [t.replace("walked", "travelled") for t in texts]
    assert edited == [TYPED.format(lead=_lead(i)) for i in range(14)]


@pytest.mark.parametrize("client", ["pdf", "libreoffice"])
def test_a_template_is_never_broken_and_addresses_are_as_typed(
    typed_pages: dict[str, str], client: str
) -> None:
    raw = typed_pages[client].replace("\u00a0", " ")
    assert raw.count("{{ year }}") >= 14 and re.search(r"\{\{(\s*year)?\n", raw) is None
    flat = re.sub(r"(?<=[/.@:])\n|\n(?=-)", "", raw).replace("\n", " ")  # see ADDRESS_WASTE
    for piece in ("10'000 km", "1'250'000", "o'brien.d'arcy@example.org", "5′3 tall"):
        assert flat.count(piece) >= 13, piece


@pytest.mark.parametrize(
    ("runs", "kept"),
    [
        (
            [Run("the Regional Conference on reorganisation met in Ouagadougou")],
            ["Regional", "Conference", "on", "reorganisation", "Ouagadougou"],  # name, place
        ),
        (
            [Run("Regional Conference", "Event Title"), Run(", reorganisation in Lomé")],
            ["Regional", "Conference", "Lomé"],  # a title's words, a place
        ),
        (
            [Run("Thematic consultations", "Strong"), Run(" in Ouagadougou. Delegates met")],
            ["Thematic", "consultations", "Ouagadougou."],  # with its full stop: see below
        ),
    ],
)
def test_the_pdf_keeps_names_titles_and_capitalised_words_whole(runs, kept) -> None:
    from generator.writers.pdf.styles import Palette, StyleSheet

    layout = load_layout("iscm")
    names = ("Regional Conference on reorganisation",)
    sheet = StyleSheet(layout, Palette(layout, cmyk=False), "en-GB", names)
    markup = sheet.markup(tuple(runs), "Event")
    assert re.findall(r"<nobr>([^<]*)</nobr>", markup) == kept, markup


ADDRESS_IN_TEXT = (
    ", delegates met and see https://www.example.org/reports/2020/regional-consultations for"
    " the text, or write to secretariat.consultations@migration-dialogues.example.org for it."
)
ADDRESS_STARTS = ("https://", "secretariat.")


@pytest.mark.parametrize("width", range(150, 250, 6))
def test_an_address_breaks_at_a_separator_rather_than_leave_a_line_gaping(width: int) -> None:
    """An address that does not fit at a justified line's end breaks after a separator when
    moving it whole would leave more than ADDRESS_WASTE of the line empty (moved whole, it
    left "in the ADD Region., and see" with gaps of 3.7 times the text height); one wider
    than the line is never cut between two letters ("see h|ttps://", "dialog|ues"); no
    hyphen enters it."""
    from generator.writers.pdf.styles import ADDRESS_WASTE, Palette, StyleSheet

    layout = load_layout("iscm")
    sheet = StyleSheet(layout, Palette(layout, cmyk=False), "en-GB")
    runs = (Run("Regional Meeting", "Event Title"), Run(ADDRESS_IN_TEXT))
    paragraph = Paragraph(sheet.markup(runs, "Event"), sheet["Event"])
    paragraph.wrap(width, 10_000)
    lines = paragraph.blPara.lines
    texts = ["".join(w.text for w in line.words).strip() for line in lines]
    flat = ""
    for text, after in itertools.pairwise([*texts, ""]):
        flat += text if text[-1] in "/.@:" or after.startswith("-") else text + " "
    assert flat.strip() == "Regional Meeting" + ADDRESS_IN_TEXT, texts
    for before, text in zip(lines, texts[1:], strict=False):
        if text.startswith(ADDRESS_STARTS):  # moved whole to this line
            assert before.extraSpace <= ADDRESS_WASTE * width + 1, texts


def _read_back(*parts: Paragraph, width: float) -> str:
    """The text of the parts' lines: a hyphen hyphenation added is dropped and the word
    joined, a compound's own hyphen at a line's end kept and joined."""
    text = ""
    for part in parts:
        part.wrap(width, 10_000)
        lines = part.blPara.lines
        for line in lines:
            if part.blPara.kind == 0:
                shown, added = (
                    " ".join(line[1]).strip(),
                    hyphenation.ends_with_added_hyphen(line[1]),
                )
            else:
                shown = "".join(w.text for w in line.words).strip()
                added = hyphenation.ends_with_added_hyphen(line)
            text += shown[:-1] if added else shown if shown.endswith("-") else shown + " "
    return text.strip()


@pytest.mark.parametrize("markup", ["<b>Regional meeting</b>, ", ""])  # several runs, or one
@pytest.mark.parametrize("width", [160.0, 200.0, 235.0])
def test_compounds_read_whole_in_a_paragraph_split_anywhere(markup: str, width: float) -> None:
    """Compounds, one wider than a narrow column: no word is cut between two letters without
    a hyphen ("disproportio|nately-affected-communities", "communiti|es": ReportLab cut a
    word wider than the line where it stood), whole and split over columns at every line."""
    text = " ".join([COMPOUNDS] * 3)
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=9.5, leading=13, alignment=4)
    style.hyphenationLang, style.spaceShrinkage = Hyphenator("en-GB"), 0.3
    style.allowWidows = style.allowOrphans = 0
    paragraph = Paragraph(markup + text, style)
    whole = _read_back(paragraph, width=width)
    assert whole == re.sub("</?b>", "", markup) + text
    for lines in range(2, len(paragraph.blPara.lines) - 1):
        shown = _read_back(*paragraph.split(width, lines * 13 + 1), width=width)
        assert shown == whole, (lines, _first_difference(shown, whole))


NAMES_IN_PUNCTUATION = (
    ", for the “Experts’ Network”, (Ouagadougou), “Valletta’s” and [Kathmandu] with"
    " ‘Bujumbura’, Antananarivo; Ouagadougou: Nouakchott."
)
"""Capitalised words (proper names) inside quotes, brackets and punctuation."""


@pytest.mark.parametrize("width", range(60, 200, 4))
def test_a_name_in_quotes_or_brackets_is_never_hyphenated(width: int) -> None:
    """A name kept whole stays whole with the quotes, brackets or punctuation around it
    ("“Ex-|perts’ Network”" was hyphenated: ReportLab asks whether a word may break of its
    last piece, the closing quote, which was not kept whole)."""
    from generator.writers.pdf.styles import Palette, StyleSheet

    layout = load_layout("iscm")
    sheet = StyleSheet(layout, Palette(layout, cmyk=False), "en-GB")
    runs = (Run("Meeting", "Event Title"), Run(NAMES_IN_PUNCTUATION))
    paragraph = Paragraph(sheet.markup(runs, "Event"), sheet["Event"])
    paragraph.wrap(width, 10_000)
    lines = ["".join(w.text for w in line.words).strip() for line in paragraph.blPara.lines]
    assert len(lines) > 2
    assert [line for line in lines if line.endswith("-")] == []


COMPOUNDS = (
    "Morocco, addressed intergovernmental counterterrorism-related responsibilities, the"
    " internationalisation of labour-market institutions, counter-trafficking-coordination"
    " mechanisms and Dupont-Moreau's self-employment-promotion programmes, with the"
    " parliamentarians' disproportionately-affected-communities recommendations."
)


def _own_lines(paragraph: Paragraph, width: float) -> list[tuple[float, str, bool]]:
    """Each line of a paragraph of one run: the room left on it, its text, and whether its
    hyphen (if any) was added by hyphenation."""
    paragraph.wrap(width, 10_000)
    assert paragraph.blPara.kind == 0
    found = []
    for room, words in paragraph.blPara.lines:
        found.append((room, " ".join(words), hyphenation.ends_with_added_hyphen(words)))
    return found


@pytest.mark.parametrize("width", [200.0, 235.0])  # about the iscm layout's column
def test_a_compound_breaks_inside_a_part_when_no_own_hyphen_fits(width: float) -> None:
    """A compound breaks after its own hyphen where that fits, else inside one of its parts
    as that word alone would ("counterterror-|ism-related"): no line is left a fifth empty
    before it (it was: "Morocco, addressed intergovernmental" with gaps of three times the
    text's height); a name in a compound stays whole; the text reads back whole."""
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=9.5, leading=13, alignment=4)
    style.hyphenationLang = Hyphenator("en-GB")
    lines = _own_lines(Paragraph(COMPOUNDS, style), width)
    assert max(room for room, _, _ in lines[:-1]) < 0.2 * width, lines
    text, inside = "", 0
    for (_, line, added), (_, after, _) in itertools.pairwise([*lines, (0, "", False)]):
        if added:
            text += line[:-1]
            inside += "-" in after.split(" ")[0]  # the rest of a compound's part, and more
        else:
            text += line if line.endswith("-") else line + " "
        assert not re.search(r"(Dupont|Moreau|Morocco)\w*-$", line) or line.endswith("Dupont-")
    assert text.strip() == COMPOUNDS
    assert inside, "a compound breaks inside a part"
