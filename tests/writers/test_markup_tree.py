"""The style sheet's paragraph markup read without ReportLab's HTML parser: the same
fragments, piece for piece, as ReportLab's own parser makes of it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus.paragraph import Paragraph as ReportLabParagraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from generator.layout import load_layout
from generator.model import Document, Run
from generator.writers.pdf import flowables
from generator.writers.pdf.flowables import Paragraph
from generator.writers.pdf.markup_tree import markup_frags
from generator.writers.pdf.styles import Palette, StyleSheet
from generator.writers.pdf.writer import PdfWriter


def pieces(frags: list[Any]) -> list[dict[str, Any]]:
    """Each fragment's every attribute, with the type of its value."""
    return [{k: (type(v).__name__, v) for k, v in vars(frag).items()} for frag in frags]


def reportlabs(markup: str, style: Any) -> tuple[str, list[dict[str, Any]]]:
    paragraph = ReportLabParagraph(markup, style)
    return paragraph.text, pieces(paragraph.frags)


def ours(markup: str, style: Any) -> tuple[str, list[dict[str, Any]]] | None:
    cleaned = cleanBlockQuotedText(markup)
    frags = markup_frags(cleaned, style)
    if frags is None:
        return None
    paragraph = Paragraph(markup, style)
    assert pieces(paragraph.frags) == pieces(frags)
    return paragraph.text, pieces(frags)


@pytest.mark.parametrize("layout_name", ["iscm", "large-print"])
@pytest.mark.parametrize("print_ready", [False, True])
def test_every_paragraph_of_2020_has_reportlabs_fragments(
    document_2020: Document, layout_name: str, print_ready: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[tuple[str, Any]] = []

    def remembered(cleaned: str, style: Any) -> list[Any] | None:
        made.append((cleaned, style))
        return markup_frags(cleaned, style)

    monkeypatch.setattr(flowables, "markup_frags", remembered)
    PdfWriter(document_2020, load_layout(layout_name), print_ready).story()
    monkeypatch.undo()
    assert len(made) > 100
    for markup, style in made:
        assert ours(markup, style) == reportlabs(markup, style), markup


SHEET = StyleSheet(
    load_layout("iscm"),
    Palette(load_layout("iscm"), cmyk=False),
    "en-GB",
    ("Bali Process", "IGAD-RCP", "Puebla Process"),
)
TEXT = st.lists(
    st.sampled_from(
        [*"ab Zé&<>\"'; \n\t\u00a0\u202f-–1/.:", "&amp;", "&lt;", "Bali Process", "IGAD-RCP"]
    ),
    max_size=25,
).map("".join)
RUN = st.builds(
    Run,
    text=TEXT,
    style=st.sampled_from([None, "Strong", "Emphasis", "Hyperlink", "Event Title"]),
    url=st.sampled_from(
        [None, "https://example.org/a?b=1&c=2", "mailto:x@y.org", "https://é.org/'\""]
    ),
)


@settings(max_examples=150, deadline=None)
@given(runs=st.lists(RUN, max_size=5), style=st.sampled_from(["Body", "Title", "Event", "Normal"]))
def test_any_runs_have_reportlabs_fragments(runs: list[Run], style: str) -> None:
    markup = SHEET.markup(tuple(runs), style)
    found = ours(markup, SHEET[style])
    assert found is not None, markup
    assert found == reportlabs(markup, SHEET[style])


@pytest.mark.parametrize(
    "markup",
    [
        "<para>already a para</para>",
        "<font face=Lato>unquoted</font>",
        "<FONT face='Lato'>capitals</FONT>",
        "<b>bold</i>",
        "<b>unclosed",
        "closed</b>",
        "a bare & ampersand",
        "a &#233; character reference",
        "a > sign",
        "<br/>",
        '<font face="Lato" color="red" >a space before the end</font>',
    ],
)
def test_other_markup_is_left_to_reportlab(markup: str) -> None:
    """Read as ReportLab reads it, or by ReportLab: the same fragments, or the same error."""
    style = SHEET["Body"]

    def outcome(kind: type[ReportLabParagraph]) -> object:
        try:
            paragraph = kind(markup, style)
        except ValueError as error:
            return "error", str(error)
        return paragraph.text, pieces(paragraph.frags)

    assert outcome(Paragraph) == outcome(ReportLabParagraph)
    assert ours(markup, style) is None or ours(markup, style) == reportlabs(markup, style)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.one_of(
            st.text(max_size=3),
            st.sampled_from(
                ["www.", "WWW.", "http://x", "mailto:", "{{ a }}", "`c`", "a@b.org", "a_b", " "]
            ),
        ),
        max_size=8,
    ).map("".join)
)
def test_text_without_an_address_or_code_is_escaped_whole(text: str) -> None:
    """The shortcut for text without literal words gives the markup made word by word."""
    from generator.writers.pdf import styles

    by_word = styles._WORD.sub(styles._literal_unbroken, text)
    assert styles._literals_unbroken(text) == by_word
