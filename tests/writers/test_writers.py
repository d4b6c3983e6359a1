"""Every writer renders every node type of the model: none drops content silently."""

from __future__ import annotations

import pytest

from generator import model
from generator.writers.docx.writer import DocxWriter
from generator.writers.email.html import HtmlWriter
from generator.writers.email.text import TextWriter
from generator.writers.pdf.writer import PdfWriter

WRITERS = [PdfWriter, DocxWriter, HtmlWriter, TextWriter]


@pytest.mark.parametrize("writer", WRITERS, ids=["pdf", "docx", "email-html", "email-text"])
@pytest.mark.parametrize("node_type", model.NODE_TYPES, ids=lambda t: t.__name__)
def test_every_node_type_has_a_visit(writer: type, node_type: type) -> None:
    assert callable(getattr(writer, f"visit_{node_type.__name__.lower()}", None))


def test_the_model_lists_every_block_type() -> None:
    blocks = set(model.Block.__args__)  # type: ignore[attr-defined]
    assert blocks <= set(model.NODE_TYPES)
