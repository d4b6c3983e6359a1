"""No page of the PDF holds nothing but its footer.

The feature box is often the last thing in an issue (`bulletin new` leaves the themes,
publications and closing empty). When it ends at a page's foot, its bottom padding and the
space after it must not start a page of their own.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pypdf
import pytest

from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import load_issue
from generator.layout import load_layout
from generator.writers.pdf.styles import register_families
from generator.writers.pdf.writer import write_pdf
from tests.generated import YEAR_FILE, documents, write_data

SENTENCE = "Migration dialogue and regional cooperation on labour mobility."
GROWN = range(40, 54, 2)
"""How many times the feature's last paragraph is lengthened: its box grows line by line
past the foot of page 1 (seed 1, six mechanisms: before the fix, every one of these made a
page 2 holding only the footer)."""


def feature_last(seed: int, mechanisms: int, extra: int) -> dict:
    """Events of a few mechanisms, then a feature whose last paragraph has `extra` more
    sentences; no other part (as a fresh year file has them)."""
    rng = random.Random(seed)
    data = documents(rng, [rng.randint(1, 4) for _ in range(mechanisms)], presence=0.0)
    text = " ".join([SENTENCE] * 6)
    last = text + " More words here." * extra
    data[YEAR_FILE]["features"] = [{"title": "A feature", "paragraphs": [text, last]}]
    return data


def page_texts(data: dict, layout_name: str, folder: Path) -> tuple[list[str], str]:
    """The text of each page of the screen PDF, and the footer's text."""
    layout = load_layout(layout_name)
    register_families(layout)
    document = compose(load_issue(write_data(folder, data), "2020"), layout)
    pdf = io.BytesIO()
    write_pdf(document, layout, pdf, print_ready=False)
    pages = pypdf.PdfReader(io.BytesIO(pdf.getvalue())).pages
    return [page.extract_text() for page in pages], document.footer.text


@pytest.mark.parametrize("extra", GROWN)
def test_a_feature_box_at_the_page_foot_leaves_no_page_empty(tmp_path: Path, extra: int) -> None:
    texts, footer = page_texts(feature_last(1, 6, extra), "iscm", tmp_path)
    for number, text in enumerate(texts, 1):
        body = re.sub(r"page \d+ of \d+", "", text.replace(footer, ""))
        assert body.strip(), f"page {number} of {len(texts)} holds only the footer"
