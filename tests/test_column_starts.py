"""Columns that keep short things whole, on a reviewer's issues the other tests do not hold.

In both issues the PDF's second column on the events' last page opens inside a mechanism:
its "(continued)" heading, then an event. Were the Word file to break the columns only where
a mechanism's heading opens one, LibreOffice would balance these columns itself and split an
event of four lines two and two (`edited-615`), or give up balancing and leave a mechanism's
heading at the first column's foot (`generated-524`). The Word file breaks the column before
that event too (`column_starts`, see `place_columns`): both files keep the rules, but for
LibreOffice's rendering of `edited-615` (strict xfail: `PULLED_BACK`).
"""

from __future__ import annotations

import random

import pytest

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


CASES = {
    "edited-615": lambda: edited(_source(), 615, 15, True, True, 1.0),
    "generated-524": _generated_524,
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    sources = {
        name: (write_data(tmp_path_factory.mktemp(f"data-{name}"), data()), "iscm")
        for name, data in CASES.items()
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


PULLED_BACK = {
    "edited-615": "the PDF's last page of events opens inside an event, the end of one split"
    ' from the page before, whose second column opens with a "(continued)" heading the Word'
    " file has not: LibreOffice sets that end on the page before, so its last page begins"
    " elsewhere than the PDF's and the Word file breaks no column on it (`_pinned`); balancing"
    " the columns itself, LibreOffice splits the next event (four lines) two and two",
}
"""Cases where LibreOffice's rendering still breaks the rules (known)."""


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_keeps_short_events_whole_and_headings_off_a_columns_foot(
    rendered: dict[str, Rendered], name: str, request: pytest.FixtureRequest
) -> None:
    if name in PULLED_BACK:
        request.applymarker(pytest.mark.xfail(strict=True, reason=PULLED_BACK[name]))
    assert _broken_rules(rendered[name], "libreoffice") == []
