"""The reader of `bulletin pull` reads an event that LibreOffice saved as two paragraphs
(it keeps no column break inside a paragraph: the rest begins with the break) as one; it
joins nothing else (see also tests/test_pull.py, through a real LibreOffice save)."""

from __future__ import annotations

from lxml import etree

from generator.writers.docx.reader import W, _walk

BREAK = '<w:r><w:br w:type="column"/></w:r>'


def _read(body: str) -> list[tuple[str, str]]:
    root = etree.fromstring(f'<w:body xmlns:w="{W}">{body}</w:body>')
    paragraphs, _ = _walk(root, {})
    return [(p.style, p.text) for p in paragraphs]


def _p(style: str, *runs: str) -> str:
    texts = "".join(r if r.startswith("<") else f"<w:r><w:t>{r}</w:t></w:r>" for r in runs)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{texts}</w:p>'


def test_the_rest_of_an_event_after_a_column_break_is_read_with_it() -> None:
    """In the Normal style (as LibreOffice 7.4 saves it), a bookmark's end between them."""
    between = '<w:bookmarkEnd w:id="0"/>'
    body = _p("Event", "Meeting on ") + between + _p("Normal", BREAK, "migration.")
    assert _read(body) == [("Event", "Meeting on migration.")]


def test_the_rest_inside_a_mark_is_read_with_it_in_any_style() -> None:
    start, end = '<w:bookmarkStart w:id="1" w:name="_b1"/>', '<w:bookmarkEnd w:id="1"/>'
    body = _p("Event", start, "Meeting on ") + _p("Event", BREAK, "migration.", end)
    assert _read(body) == [("Event", "Meeting on migration.")]


def test_an_event_or_paragraph_that_opens_a_column_is_its_own() -> None:
    """Our own column breaks: at an event's start (its style, no mark open), and the lone
    one in a paragraph after a table (nothing to join it to)."""
    table = "<w:tbl><w:tr><w:tc>" + _p("TableText", "cell") + "</w:tc></w:tr></w:tbl>"
    body = _p("Event", "One.") + _p("Event", BREAK, "Two.") + table + _p("Normal", BREAK)
    assert _read(body) == [
        ("Event", "One."),
        ("Event", "Two."),
        ("TableText", "cell"),
        ("Normal", ""),
    ]
