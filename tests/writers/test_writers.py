"""The writer contract: every registered writer loads lazily, writes through one `write`, and
renders every node type of the model (none drops content silently)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pypdf
import pytest

from generator import model, writers
from generator.glyphs import texts
from generator.layout import load_layout
from generator.model import Document
from generator.visitor import Visitor
from generator.writers.docx.writer import DocxWriter
from generator.writers.email.html import HtmlWriter
from generator.writers.email.text import TextWriter
from generator.writers.pdf.writer import PdfWriter
from tests.completeness import items
from tests.conftest import ROOT

WRITERS = [PdfWriter, DocxWriter, HtmlWriter, TextWriter]


@pytest.mark.parametrize("writer", WRITERS, ids=["pdf", "docx", "email-html", "email-text"])
@pytest.mark.parametrize("node_type", model.NODE_TYPES, ids=lambda t: t.__name__)
def test_every_node_type_has_a_visit(writer: type, node_type: type) -> None:
    assert issubclass(writer, Visitor)
    assert callable(getattr(writer, f"visit_{node_type.__name__.lower()}", None))


def test_the_model_lists_every_block_type() -> None:
    blocks = set(model.Block.__args__)  # type: ignore[attr-defined]
    assert blocks <= set(model.NODE_TYPES)


def test_the_registry_lists_each_output_once_with_its_own_suffix() -> None:
    assert writers.keys() == ("pdf", "print", "docx")
    assert len({w.suffix for w in writers.WRITERS}) == len(writers.WRITERS)
    assert all(w.description for w in writers.WRITERS)
    assert writers.writer("print").print_ready and not writers.writer("pdf").print_ready


@pytest.mark.parametrize("key", writers.keys())
def test_each_registered_writer_writes_through_the_contract(
    key: str, document_2020: Document, tmp_path: Path
) -> None:
    registered = writers.writer(key)
    target = tmp_path / f"out{registered.suffix}"
    rendered = registered.write(document_2020, load_layout("iscm"), target, writers.Options())
    assert isinstance(rendered, writers.Rendered)
    assert target.stat().st_size > 10_000
    if target.suffix == ".pdf":
        assert rendered.pages == 4
        page = pypdf.PdfReader(target).pages[0]
        bleed = page.mediabox.width > page.trimbox.width  # the print file's bleed and marks
        assert bleed == registered.print_ready


def test_the_help_lists_the_registry_and_imports_no_writer_library() -> None:
    code = textwrap.dedent(
        """
        import sys
        from generator.cli import main

        sys.argv = ["bulletin", "build", "--help"]
        try:
            main()
        except SystemExit:
            pass
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("reportlab", "docx"))
        print("LOADED", loaded)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "LOADED []" in result.stdout, result.stderr
    assert "[pdf|print|docx]" in result.stdout


@pytest.mark.parametrize(
    "module", ["generator.writers.pdf.writer", "generator.writers.docx.writer"]
)
def test_a_file_writer_loads_no_web_or_mail_library(module: str) -> None:
    """What `xml.sax.saxutils` would load for its escaping (about 20 ms of CPU in each
    process of a build): the writers escape with generator.xml_text."""
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('urllib', 'http', 'email', 'ssl', 'xml') and m != 'urllib.parse' and m != 'urllib'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


class Empty(Visitor):
    """A walker without a single visit method."""


@pytest.mark.parametrize(
    "walk",
    [
        lambda document: Empty().visit(document.masthead),
        lambda document: list(texts(_with_unknown_block(document), load_layout("iscm"))),
        lambda document: items(_with_unknown_block(document)),
    ],
    ids=["base", "glyph-check", "completeness"],
)
def test_every_walker_refuses_a_node_it_does_not_know(walk, document_2020: Document) -> None:
    with pytest.raises(NotImplementedError, match="has no visit for"):
        walk(document_2020)


def _with_unknown_block(document: Document) -> Document:
    from dataclasses import replace

    return replace(document, sections=(model.Section("x", None, (object(),)),))  # type: ignore[arg-type]
