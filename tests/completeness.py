"""Is everything in the data in an output? The text items of a document model, found in order.

One helper for every output: `items(document)` lists what a reader must find, in reading
order; `data_texts(issue)` lists the same straight from the data (so a composing bug cannot
hide a loss); `pdf_text`, `docx_text` and `libreoffice_pdfs` extract what a reader sees; and
`missing` says which items the extracted text lacks.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from generator import inline
from generator.dates import word_spans
from generator.kinds.iscm.validate import Issue
from generator.model import (
    BarChart,
    Document,
    Group,
    Heading,
    Image,
    Paragraph,
    Section,
    Table,
)
from generator.quote_marks import ENGLISH, QuoteMarks, quote_marks
from generator.visitor import Visitor

_SPACE = re.compile(r"\s+")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


SOFT = "\u00ad"
"""A hyphen at a line's end, as `pdf_text` marks it: the word may have had it or not."""


def normalise(text: str, marks: QuoteMarks = ENGLISH) -> str:
    """Fold case, compatibility forms (ligatures), quotes as the language of `marks` sets them
    (in English “x” is "x", in French « x » is "x"), primes (5′3″ is 5'3") and every run of
    white space into one space; a hyphen at a line's end is taken out. Quotes are folded
    first: NFKC would make a double prime two single ones."""
    text = unicodedata.normalize("NFKC", inline.loose_quotes(text.replace(SOFT, ""), marks))
    return _SPACE.sub(" ", text).strip().casefold()


def squeeze(text: str, marks: QuoteMarks = ENGLISH) -> str:
    """The normalised text without any white space: a long word a line break split into two
    (ReportLab splits words wider than a column without a hyphen) still matches."""
    return _SPACE.sub("", normalise(text, marks))


def squeeze_marked(text: str, marks: QuoteMarks = ENGLISH) -> str:
    """As `squeeze`, keeping the marks of hyphens at a line's end."""
    return SOFT.join(squeeze(part, marks) for part in text.split(SOFT))


def find_marked(haystack: str, needle: str, start: int) -> tuple[int, int]:
    """Where the needle is in the haystack from `start`, and its length there (-1, 0 if not):
    a marked line-end hyphen in the haystack may be one of the needle's hyphens, or none."""
    if SOFT not in haystack:
        return haystack.find(needle, start), len(needle)
    pattern = f"{SOFT}?".join(f"[-{SOFT}]" if c == "-" else re.escape(c) for c in needle)
    found = re.compile(pattern).search(haystack, start)
    return (found.start(), found.end() - found.start()) if found else (-1, 0)


# -- what must be found --------------------------------------------------------------------


def items(document: Document) -> list[str]:
    """Every text a reader must find, in reading order: names, notes, events, rows, titles."""
    return [text for text, _ in _items(document)]


def _items(document: Document, beside: bool = True) -> list[tuple[str, bool]]:
    """The items, each with whether a writer may shorten it with an ellipsis (a chart's
    category names, which the theme table above it gives in full); without the masthead's
    period and issue unless `beside`."""
    masthead = document.masthead
    found = [(p.text, False) for p in masthead.publisher]
    found += _beside_items(document) if beside else []
    found.append((masthead.title.text, False))
    for section in document.sections:
        found += _section_items(section)
    return [(text, short) for text, short in found if text.strip()]


def _beside_items(document: Document) -> list[tuple[str, bool]]:
    """The masthead's period and issue: top right, beside the publisher's lines. The PDF
    reads them after those lines, the Word file after the line each stands on (at its
    right tab), so they are found anywhere in the masthead's reading order."""
    masthead = document.masthead
    return [(p.text, False) for p in (masthead.period, masthead.issue) if p.text.strip()]


def _section_items(section: Section) -> list[tuple[str, bool]]:
    return _Items().visit(section)


class _Items(Visitor):
    """Each node's items in reading order, with whether a writer may shorten them."""

    walker = "the completeness helper"

    def visit_section(self, section: Section) -> list[tuple[str, bool]]:
        found = self.visit(section.heading) if section.heading else []
        for block in section.blocks:
            found += self.visit(block)
        return found

    def visit_heading(self, heading: Heading) -> list[tuple[str, bool]]:
        return [(heading.text, False)]

    def visit_paragraph(self, paragraph: Paragraph) -> list[tuple[str, bool]]:
        return [(paragraph.text, False)]

    def visit_group(self, block: Group) -> list[tuple[str, bool]]:
        found = [block.heading.text, *([block.note.text] if block.note else [])]
        return [(text, False) for text in (*found, *(event.text for event in block.paragraphs))]

    def visit_table(self, table: Table) -> list[tuple[str, bool]]:
        found = [table.caption.text] if table.caption else []
        found += [*table.header, *(cell.text for row in table.rows for cell in row.cells)]
        return [(text, False) for text in found]

    def visit_image(self, image: Image) -> list[tuple[str, bool]]:
        return [(image.caption.text, False)] if image.caption else []

    def visit_barchart(self, chart: BarChart) -> list[tuple[str, bool]]:
        return [(category, True) for category in chart.categories]


def data_texts(issue: Issue) -> list[str]:
    """Every text item of the data as a reader sees it, read from the data, not the model:
    mechanism names, notes, event titles, dates as worded, places, summaries, theme rows,
    feature texts, publication titles, closing labels and link labels."""
    year, locale = issue.year, issue.settings.locale
    publisher = issue.settings.publisher
    found = [publisher.organisation, publisher.department, publisher.division, publisher.email]
    for key, events in year.events.items():
        found.append(issue.mechanism(key).heading)
        found += [year.notes[key]] if key in year.notes else []
        for event in events:
            found += [event.text, event.title, event.place, event.summary]
            found += [word_spans(event.dates, locale)] if event.dates else []
            for session in event.sessions or []:
                found += [word_spans(session.dates, locale), session.place]
    for feature in year.features:
        found += [feature.title, *feature.paragraphs]
    for theme in [*year.global_initiatives, *year.thematic_areas]:
        found += [theme.name, *(issue.mechanism(m).label for m in theme.mechanisms)]
    for publication in year.publications:
        source = issue.mechanism(publication.mechanism).label if publication.mechanism else None
        found += [publication.title, publication.publisher, source]
    for line in year.closing:
        found += [line.label, *(link.label for link in line.links)]
    return [inline.plain(text) for text in found if text]


# -- finding them --------------------------------------------------------------------------


def running_texts(document: Document) -> list[str]:
    """Texts a page adds between the items: footers, page labels, "(continued)" headings."""
    texts = [document.footer.text]
    for section in document.sections:
        texts += [section.continued.text] if section.continued else []
        texts += [b.continued.text for b in section.blocks if isinstance(b, Group)]
    return texts


def without_running_texts(document: Document, text: str) -> str:
    """The text with footers, page labels and continuation headings taken out."""
    for running in running_texts(document):
        text = re.sub(_loose(running), " ", text, flags=re.I)
    parts = document.footer.page_label
    label = r"\s*".join(r"\d+" if p in ("{page}", "{pages}") else _loose(p) for p in parts)
    return rejoin(re.sub(label, " ", text, flags=re.I))  # a word hyphenated over a page


def _loose(text: str) -> str:
    """A pattern for the text with any white space (a line break, even inside a long word)
    between its characters."""
    return r"\s*".join(re.escape(char) for char in text if not char.isspace())


def missing(document: Document, text: str, ordered: bool = True) -> list[str]:
    """The items of the document not found in the text (in order, when `ordered`)."""
    haystack, marks = without_running_texts(document, text), document_marks(document)
    beside = _missing(_beside_items(document), haystack, False, marks)
    return beside + _missing(_items(document, beside=False), haystack, ordered, marks)


def missing_data(issue: Issue, document: Document, text: str) -> list[str]:
    """The data's texts not found in the text (in any order: the data's is not the reader's)."""
    expected = [(text, False) for text in data_texts(issue)]
    haystack = without_running_texts(document, text)
    return _missing(expected, haystack, False, document_marks(document))


def missing_texts(expected: Iterable[str], text: str, ordered: bool = False) -> list[str]:
    """The expected texts not found in the text (one after the other, when `ordered`)."""
    return _missing([(item, False) for item in expected], text, ordered)


ELLIPSIS = squeeze("…")


def document_marks(document: Document) -> QuoteMarks:
    """The quotation marks of the document's language (as its files set them)."""
    return quote_marks(document.info.language)


def _missing(
    expected: list[tuple[str, bool]], text: str, ordered: bool, marks: QuoteMarks = ENGLISH
) -> list[str]:
    """White space is ignored on both sides; case and compatibility forms are folded.

    An item that may be shortened is found as itself or as a prefix of it (8 characters at
    least) followed by an ellipsis, whichever comes first.
    """
    haystack = squeeze_marked(text, marks)
    position = 0
    lost = []
    for item, shortened in expected:
        needle = squeeze(item, marks)
        start = position if ordered else 0
        forms = [needle]
        if shortened:
            forms += [needle[:cut] + ELLIPSIS for cut in range(min(len(needle), 8), len(needle))]
        places = [find_marked(haystack, form, start) for form in forms]
        found = [(where, size) for where, size in places if where >= 0]
        if not found:
            lost.append(item)
        elif ordered:
            where, size = min(found)
            position = where + size
    return lost


# -- what a reader sees ----------------------------------------------------------------------


def pdf_text(path: Path, pdftotext: str) -> str:
    """The text of a PDF as poppler extracts it in content order (column after column), with
    each word hyphenated at a line's end joined again: its hyphen becomes a soft hyphen, as
    the hyphen may be the word's own ("COVID-19") or added by hyphenation ("inter-national")."""
    raw = subprocess.run(
        [pdftotext, "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return rejoin(raw)


_LINE_END_HYPHEN = re.compile(r"(?<=\w)[ \t]?-[ \t]*\n\s*(?=\w)")
"""A hyphen ending a line (LibreOffice's justified lines may set it off by a space), and the
line's end, before the rest of the word."""


def rejoin(text: str) -> str:
    """Join the words a line's end hyphenated: 'inter-\nnational' -> 'inter\u00adnational'."""
    return _LINE_END_HYPHEN.sub(SOFT, text)


def pdf_fonts(path: Path, pdffonts: str) -> list[dict[str, str]]:
    """The fonts of a PDF as poppler lists them: name, type, embedded, subset, unicode."""
    lines = subprocess.run(
        [pdffonts, str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    fonts = []
    for line in lines[2:]:
        name, *kind, emb, sub, uni, _obj, _gen = line.split()
        fonts.append({"name": name, "type": " ".join(kind), "emb": emb, "sub": sub, "uni": uni})
    return fonts


def docx_text(path: Path) -> str:
    """The text of a Word file in body order, one line per paragraph: paragraphs and table
    cells as written, and a chart's categories where the chart stands."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = etree.fromstring(parts["word/document.xml"]).find(f"{W}body")
    charts = _chart_categories(parts)
    return "\n".join(_paragraph_lines(body, charts))


def _paragraph_lines(body: etree._Element, charts: dict[str, list[str]]) -> Iterator[str]:
    for paragraph in body.iter(f"{W}p"):
        pieces = []
        for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{CHART}chart"):
            if node.tag == f"{W}t":
                pieces.append(node.text or "")
            elif node.tag == f"{CHART}chart":
                pieces.append("\n" + "\n".join(charts.get(node.get(R_ID), [])))
            else:
                pieces.append("\t" if node.tag == f"{W}tab" else "\n")
        yield "".join(pieces)


def _chart_categories(parts: dict[str, bytes]) -> dict[str, list[str]]:
    """The category names of each chart, by the relationship id the body refers to it with."""
    name = "word/_rels/document.xml.rels"
    if name not in parts:
        return {}
    found = {}
    for rel in etree.fromstring(parts[name]):
        if rel.get("Type", "").endswith("/chart"):
            part = posixpath.normpath(posixpath.join("word", rel.get("Target")))
            chart = etree.fromstring(parts[part])
            found[rel.get("Id")] = [
                v.text or "" for v in chart.iterfind(f".//{CHART}cat//{CHART}v")
            ]
    return found


TAGGED_PDF = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"}}'
)
"""LibreOffice's PDF export with tags and PDF/UA-1 (options as JSON: LibreOffice 7.4 on)."""


def libreoffice_pdfs(
    files: list[Path], out_dir: Path, soffice: str, convert_to: str = "pdf"
) -> list[Path]:
    """Convert Word files to PDF with LibreOffice (one run, its own profile); their paths.
    `convert_to`: the format, with its filter and options (TAGGED_PDF)."""
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        convert_to,
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [out_dir / f"{file.stem}.pdf" for file in files]
    lost = [pdf for pdf in pdfs if not pdf.is_file()]
    assert not lost, f"LibreOffice did not convert {lost}: {result.stdout} {result.stderr}"
    return pdfs


def assert_nothing_lost(folder: Path, year: str = "2020") -> tuple[list[Any], dict[str, str]]:
    """Build the screen PDF and the Word file of the data in `folder` (into folder/out) and
    assert that neither loses a text of the document or an item of the data; the files
    written (generator.build.Written) and their texts."""
    from generator.build import build
    from generator.kinds.iscm.compose import compose
    from generator.kinds.iscm.validate import load_issue
    from generator.layout import load_layout
    from tests.conftest import real_client

    written = build(folder, year, "iscm", folder / "out", ("pdf", "docx"), lambda line: None)
    issue = load_issue(folder, year)
    document = compose(issue, load_layout("iscm"))
    texts = {
        "pdf": pdf_text(written[0].path, real_client("pdftotext")),
        "docx": docx_text(written[1].path),
    }
    for kind, text in texts.items():
        assert missing(document, text) == [], kind
        assert missing_data(issue, document, text) == [], kind
    return written, texts
