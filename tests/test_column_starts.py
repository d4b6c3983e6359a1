"""Columns that keep short things whole, on a reviewer's issues the other tests do not hold.

In both issues the PDF's second column on the events' last page opens inside a mechanism:
its "(continued)" heading, then an event. Were the Word file to break the columns only where
a mechanism's heading opens one, LibreOffice would balance these columns itself and split an
event of four lines two and two (`edited-615`), or give up balancing and leave a mechanism's
heading at the first column's foot (`generated-524`). The Word file breaks the column before
that event too (`column_starts`, see `place_columns`). In `edited-615` the PDF's last page of
events opens inside an event, the end of one split from the page before: LibreOffice set that
end on the page before (it had no "(continued)" heading above its second column), balanced
the last page's columns itself and split an event of four lines two and two, until the Word
file broke its columns where the PDF's are on every page, the page before too.

Two issues unseen before session 25: a one-page issue whose PDF opens its second column
inside an event of six lines, split four and two (LibreOffice balanced the columns itself,
kept the event in the first and ran to two pages: the Word file now breaks the column inside
the event, `column_splits`); and a large-print issue of long words, where the Word file kept
whole an event of five lines that the PDF splits at a page's foot (its own measure took it
for short; it now keeps whole the events the PDF keeps whole, `long_events`).
"""

from __future__ import annotations

import random
import zipfile

import pytest
from lxml import etree

from tests.edited import edited
from tests.generated import documents, write_data
from tests.pages import line_count, places
from tests.test_pages import (
    KEEP_WHOLE_LINES,
    Rendered,
    _pdf,
    _placed_entries,
    _source,
    pages,
    rendered_in_libreoffice,
)


def _generated_524() -> dict:
    rng = random.Random(524)
    counts = [rng.randint(1, 5) for _ in range(rng.randint(2, 10))]
    return documents(rng, counts, presence=rng.choice([0.0, 0.3, None]))


def _short_33332() -> dict:
    """A one-page issue of three events: the PDF's second column opens inside the second,
    an event of six lines split four and two."""
    rng = random.Random(33332)
    rng.random()
    counts = [rng.randint(1, 2) for _ in range(rng.randint(1, 3))]
    return documents(rng, counts, hostile=rng.random() < 0.3, presence=rng.choice((0.0, 0.3, 1.0)))


def _one_mechanism_32325() -> dict:
    """Large print: one mechanism of 18 events, some of long words that the Word file's own
    measure took for short (it kept whole an event of five lines that the PDF splits)."""
    rng = random.Random(32325)
    rng.random()
    counts = [max(3, int(rng.randint(8, 40) * 0.45))]
    return documents(rng, counts, hostile=rng.random() < 0.3, presence=rng.choice((None, 0.0, 0.5)))


CASES = {
    "edited-615": (lambda: edited(_source(), 615, 15, True, True, 1.0), "iscm"),
    "generated-524": (_generated_524, "iscm"),
    "one-page-split-over-the-columns": (_short_33332, "iscm"),
    "large-print-long-words": (_one_mechanism_32325, "large-print"),
}
"""Each case's data and layout."""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    sources = {
        name: (write_data(tmp_path_factory.mktemp(f"data-{name}"), data()), layout)
        for name, (data, layout) in CASES.items()
    }
    return rendered_in_libreoffice(tmp_path_factory, sources)


def _broken_rules(rendering: Rendered, renderer: str) -> list[str]:
    """The short events split over columns or pages, splits that leave one line on a side,
    and mechanism headings (with their notes) that end a column."""
    broken = []
    for head, events in _placed_entries(rendering, _pdf(rendering, renderer)):
        if events and places(head)[-1] != places(events[0])[0]:
            broken.append("heading ends a column: " + " ".join(w.text for w in head)[:40])
        for event in events:
            counts = line_count(event)
            short = sum(counts.values()) <= KEEP_WHOLE_LINES or min(counts.values()) < 2
            if len(counts) > 1 and short:
                broken.append(f"split {counts}: " + " ".join(w.text for w in event)[:40])
    return broken


@pytest.mark.parametrize("name", CASES)
def test_the_pdf_keeps_short_events_whole_and_headings_off_a_columns_foot(
    rendered: dict[str, Rendered], name: str
) -> None:
    assert _broken_rules(rendered[name], "pdf") == []


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_has_the_pdf_page_count(rendered: dict[str, Rendered], name: str) -> None:
    rendering = rendered[name]
    assert rendering.libreoffice is not None
    assert pages(rendering.libreoffice) == pages(rendering.pdf)


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_keeps_short_events_whole_and_headings_off_a_columns_foot(
    rendered: dict[str, Rendered], name: str
) -> None:
    assert _broken_rules(rendered[name], "libreoffice") == []


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_word_file_breaks_the_column_inside_the_event_the_pdf_splits(
    rendered: dict[str, Rendered],
) -> None:
    """The event the PDF splits over the two columns of the one-page issue goes on in the
    next column from the PDF's word: one paragraph, a column break between its words."""
    rendering = rendered["one-page-split-over-the-columns"]
    with zipfile.ZipFile(rendering.word) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    found = []
    for paragraph in body.iter(f"{W}p"):
        texts = list(paragraph.iter(f"{W}t", f"{W}br"))
        breaks = [i for i, node in enumerate(texts) if node.get(f"{W}type") == "column"]
        if breaks and breaks[0] > 0 and breaks[0] < len(texts) - 1:
            before = "".join(n.text or "" for n in texts[: breaks[0]])
            after = "".join(n.text or "" for n in texts[breaks[0] + 1 :])
            found.append((before.split()[-1], after.split()[0]))
    assert found == [("24–30", "October,")]
