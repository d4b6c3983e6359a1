"""A column break inside an event's paragraph (writer.column_break_inside): where the PDF's
column opens mid-event, the Word paragraph goes on in the next column from the same word."""

from docx.oxml.ns import qn
from lxml import etree

from generator.writers.docx.ooxml import element
from generator.writers.docx.writer import _add_text, column_break_inside

SHY = "\u00ad"


def _paragraph(*texts: str):
    paragraph = element("w:p")
    for text in texts:
        run = element("w:r", [element("w:rPr")])
        _add_text(run, text)
        paragraph.append(run)
    return paragraph


def _columns(paragraph) -> list[str]:
    """The paragraph's text in each column (soft hyphens kept)."""
    parts = [""]
    for node in paragraph.iter(qn("w:t"), qn("w:softHyphen"), qn("w:br")):
        if node.tag == qn("w:br"):
            parts.append("")
        else:
            parts[-1] += SHY if node.tag == qn("w:softHyphen") else node.text or ""
    return parts


def test_break_before_a_hyphenated_word_run() -> None:
    paragraph = _paragraph("Meeting on ", f"Re{SHY}inte{SHY}gra{SHY}tion", " in Bali")
    column_break_inside(paragraph, len("Meeting on "))
    assert _columns(paragraph) == ["Meeting on ", f"Re{SHY}inte{SHY}gra{SHY}tion in Bali"]


def test_break_at_a_word_inside_a_plain_run() -> None:
    paragraph = _paragraph("Meeting on migration in Bali")
    column_break_inside(paragraph, len("Meeting on "))
    assert _columns(paragraph) == ["Meeting on ", "migration in Bali"]


def test_no_cut_inside_a_run_of_several_texts() -> None:
    """A cut mid-way through a run holding soft hyphens is refused (no text doubled)."""
    paragraph = _paragraph(f"Re{SHY}integration of migrants")
    column_break_inside(paragraph, len("Reintegration "))
    assert _columns(paragraph) == [f"Re{SHY}integration of migrants"]


def test_event_that_opens_a_column_and_goes_on_in_the_next() -> None:
    """With three columns an event can open column 2 and go on in column 3: both breaks."""
    from generator.writers.docx.writer import DocxWriter

    paragraph = _paragraph("Meeting on migration in Bali")
    paragraph.insert(0, element("w:pPr"))
    writer = DocxWriter.__new__(DocxWriter)
    writer.leads = []
    writer.column_placed = frozenset()
    writer.column_starts = frozenset({("ADD", 1)})
    writer.column_splits = frozenset({("ADD", 1, 2)})
    writer.column_events = {("ADD", 1): paragraph}
    writer.column_texts = {("ADD", 1): "Meeting on migration in Bali"}
    writer.lone_columns, writer.column_ends = frozenset(), {}
    writer.place_columns(set())
    assert _columns(paragraph) == ["", "Meeting on ", "migration in Bali"]


def test_break_before_a_link_stays_out_of_it() -> None:
    """Where the PDF's column begins with a link's text, the break goes before the link: the
    link holds its text alone."""
    paragraph = _paragraph("Report at ")
    link = element("w:hyperlink")
    run = element("w:r", [element("w:rPr")])
    _add_text(run, "www.example.org/report")
    link.append(run)
    paragraph.append(link)
    column_break_inside(paragraph, len("Report at "))
    assert _columns(paragraph) == ["Report at ", "www.example.org/report"]
    assert [child.tag for child in link] == [qn("w:r")]


def _split_over_three_columns(splits: list[tuple[str, int, int]]) -> bytes:
    """The paragraph of an event the PDF splits where `splits` say, in this order (a
    frozenset's order is its hash's, which varies from run to run)."""
    from generator.writers.docx.writer import DocxWriter

    text = "Meeting on migration in Bali and Jakarta"
    paragraph = _paragraph(text)
    paragraph.insert(0, element("w:pPr"))
    writer = DocxWriter.__new__(DocxWriter)
    writer.leads, writer.column_placed, writer.column_starts = [], frozenset(), frozenset()
    writer.column_splits = splits  # type: ignore[assignment]
    writer.column_events, writer.column_texts = {("ADD", 1): paragraph}, {("ADD", 1): text}
    writer.lone_columns, writer.column_ends = frozenset(), {}
    writer.place_columns(set())
    assert _columns(paragraph) == ["Meeting on ", "migration in ", "Bali and Jakarta"]
    return etree.tostring(paragraph)


def test_an_event_over_three_columns_has_both_breaks_whichever_split_comes_first() -> None:
    first = _split_over_three_columns([("ADD", 1, 2), ("ADD", 1, 4)])
    assert first == _split_over_three_columns([("ADD", 1, 4), ("ADD", 1, 2)])
