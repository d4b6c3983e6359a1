"""The Word file's columns: a column break where the PDF's column opens, with no space before
its paragraph; the events' lines in columns a little closer than the PDF's (the room
LibreOffice's longer lines take, word_lines.py), but where the columns flow by themselves;
a column break that ends columns the PDF ends in a first column alone."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import load_issue
from generator.layout import load_layout
from generator.word_lines import closer_styles, word_leadings
from generator.writers.docx.ooxml import element
from generator.writers.docx.writer import DocxWriter, column_break, write_docx
from tests.conftest import DATA

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _document(layout: str):
    loaded = load_layout(layout)
    return compose(load_issue(DATA, "2020"), loaded), loaded


def test_the_events_and_notes_in_columns_are_set_closer_than_the_pdfs_leading() -> None:
    document, layout = _document("iscm")
    assert closer_styles(document) == {"Event", "Mechanism Note"}
    found = word_leadings(document, layout)
    for name in ("Event", "Mechanism Note"):
        leading = layout.style(name).leading
        assert leading * (1 - layout.spec.page.word_line_room) - 0.05 <= found[name] < leading
        assert found[name] * 20 == int(found[name] * 20)  # whole twentieths of a point


def test_large_print_in_one_column_keeps_the_pdfs_leading() -> None:
    document, layout = _document("large-print")
    assert word_leadings(document, layout) == {}


def test_a_font_taller_than_the_closer_lines_keeps_its_leading() -> None:
    """Word's line height is "at least": below the font's own height it would do nothing."""
    document, layout = _document("iscm")
    event = layout.style("Event")
    tight = (
        event.size * 1.2 / (1 - layout.spec.page.word_line_room / 2)
    )  # Lato's own height is 1.2 ems
    layout.styles["Event"] = type(event)(**{**vars(event), "leading": tight})
    assert "Event" not in word_leadings(document, layout)


def _styles(word: Path) -> dict[str, str | None]:
    """The line height each paragraph style of a Word file gives (twentieths, None: its
    parent's)."""
    with zipfile.ZipFile(word) as package:
        root = etree.fromstring(package.read("word/styles.xml"))
    found = {}
    for style in root.iter(f"{W}style"):
        spacing = style.find(f"{W}pPr/{W}spacing")
        line = spacing.get(f"{W}line") if spacing is not None else None
        found[style.find(f"{W}name").get(f"{W}val")] = line
    return found


def test_the_word_styles_of_the_events_have_the_closer_lines(tmp_path: Path) -> None:
    document, layout = _document("iscm")
    target = tmp_path / "issue.docx"
    write_docx(document, layout, target)
    lines = _styles(target)
    closer = str(round(word_leadings(document, layout)["Event"] * 20))
    assert lines["Event"] == lines["Mechanism Note"] == closer
    assert lines["Mechanism"] is None or int(lines["Mechanism"]) == 20 * 13


def _writer(paragraphs: dict[tuple[str, int], object]) -> DocxWriter:
    writer = DocxWriter.__new__(DocxWriter)
    document, writer.layout = _document("iscm")
    writer.leadings = word_leadings(document, writer.layout)
    writer.column_paragraphs = {key: (p, "Event") for key, p in paragraphs.items()}
    return writer


def _paragraph(*properties: object):
    return element("w:p", [element("w:pPr", [element("w:pStyle", val="Event"), *properties])])


def test_the_events_in_columns_that_flow_keep_the_pdfs_leading() -> None:
    flowing, pinned = _paragraph(), _paragraph()
    writer = _writer({("ADD", 1): flowing, ("ADD", 2): pinned})
    writer.flowing_events = frozenset({("ADD", 1)})
    writer.let_flow()
    spacing = flowing.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("260", "atLeast")
    assert pinned.find(f"{qn('w:pPr')}/{qn('w:spacing')}") is None


@pytest.mark.parametrize("before", [[], [element("w:keepNext")], [element("w:jc", val="both")]])
def test_a_column_break_drops_the_space_before_its_paragraph(before: list) -> None:
    """The PDF's column drops the space before its first paragraph; Word and LibreOffice set
    it below a column break (a mechanism's name stood 9 points lower, a line in a full
    column): the paragraph has none of its own, its other properties kept in schema order."""
    paragraph = _paragraph(*before)
    column_break(paragraph)
    properties = paragraph.find(qn("w:pPr"))
    tags = [child.tag for child in properties]
    assert properties.find(qn("w:spacing")).get(qn("w:before")) == "0"
    if qn("w:jc") in tags:
        assert tags.index(qn("w:spacing")) < tags.index(qn("w:jc"))
    else:
        assert tags[-1] == qn("w:spacing")
    assert properties.getnext().find(qn("w:br")).get(qn("w:type")) == "column"


def test_columns_the_pdf_ends_in_a_first_column_alone_end_with_a_column_break() -> None:
    end, other = _paragraph(), _paragraph()
    writer = DocxWriter.__new__(DocxWriter)
    writer.leads, writer.column_placed, writer.column_starts = [], frozenset(), frozenset()
    writer.column_splits, writer.column_events, writer.column_texts = frozenset(), {}, {}
    writer.lone_columns = frozenset({"events"})
    writer.column_ends = {"events": end, "other": other}
    writer.place_columns(set())
    assert end.find(f"{qn('w:r')}/{qn('w:br')}") is not None
    assert other.find(qn("w:r")) is None


def test_columns_that_end_the_document_alone_in_a_first_column_end_with_a_column_break(
    tmp_path: Path,
) -> None:
    """An issue of one mechanism with one event, its columns the document's last: the body's
    own section properties end them, and its last paragraph ends with the column break."""
    import dataclasses
    import io

    from generator.writers.pdf.writer import write_pdf
    from tests.generated import bulletin_data, write_data

    layout = load_layout("iscm")
    issue = compose(load_issue(write_data(tmp_path, bulletin_data(2, 1, 1)), "2020"), layout)
    document = dataclasses.replace(issue, sections=issue.sections[:1])
    rendered = write_pdf(document, layout, io.BytesIO(), False)
    assert rendered.lone_columns == {"events"}
    target = tmp_path / "issue.docx"
    write_docx(document, layout, target, lone_columns=rendered.lone_columns)
    with zipfile.ZipFile(target) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    breaks = [b for b in body.iter(f"{W}br") if b.get(f"{W}type") == "column"]
    assert len(breaks) == 1
    last = body.findall(f"{W}p")[-1]
    assert breaks[0].getparent() is last[-1]  # after all the paragraph's text
    assert "".join(last.itertext()).strip()


def _taller(font: Path) -> None:
    """Rewrite a TrueType font in place with twice its ascent (hhea), as an editor's new
    version of a font under the same name would change it."""
    import struct

    data = bytearray(font.read_bytes())
    (count,) = struct.unpack_from(">H", data, 4)
    for i in range(count):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"hhea":
            (ascent,) = struct.unpack_from(">h", data, offset + 4)
            struct.pack_into(">h", data, offset + 4, 2 * ascent)
    font.write_bytes(bytes(data))


def test_closer_lines_follow_a_font_file_changed_in_place(tmp_path: Path) -> None:
    """`bulletin watch` loads the layout again once a font changes: the Word file's closer
    lines are measured on the font as it is now, not as it was first read."""
    document, layout = _document("iscm")
    event = layout.style("Event")
    family = layout.spec.fonts[event.font]
    font = family.file(event.bold, event.italic)
    (tmp_path / font.name).write_bytes(font.read_bytes())
    family._folders = (tmp_path,)
    assert "Event" in word_leadings(document, layout)
    _taller(tmp_path / font.name)
    _, reloaded = _document("iscm")
    reloaded.spec.fonts[event.font]._folders = (tmp_path,)
    assert "Event" not in word_leadings(document, reloaded)


def test_a_style_a_chart_also_uses_keeps_its_leading() -> None:
    """A style the events in columns share with a chart (or any block outside the columns)
    is set at the PDF's leading: the chart's lines are no closer than the PDF's."""
    import dataclasses

    from generator import model

    document, layout = _document("iscm")
    sections = []
    for section in document.sections:
        blocks = tuple(
            dataclasses.replace(b, style="Event") if isinstance(b, model.BarChart) else b
            for b in section.blocks
        )
        sections.append(dataclasses.replace(section, blocks=blocks))
    assert any(isinstance(b, model.BarChart) for s in sections for b in s.blocks)
    charted = dataclasses.replace(document, sections=tuple(sections))
    assert closer_styles(charted) == {"Mechanism Note"}
    assert "Event" not in word_leadings(charted, layout)


@pytest.mark.parametrize("room", [0, 0.02, 0.08])
def test_the_closer_lines_come_from_the_layouts_word_line_room(tmp_path: Path, room: float) -> None:
    """A project's layout that extends iscm with its own `page.word_line_room`."""
    (tmp_path / "layouts" / "room").mkdir(parents=True)
    (tmp_path / "layouts" / "room" / "layout.yaml").write_text(
        f"extends: iscm\npage: {{word_line_room: {room}}}\n", encoding="utf-8"
    )
    layout = load_layout("room", project=tmp_path)
    document = compose(load_issue(DATA, "2020"), layout)
    found = word_leadings(document, layout)
    leading = layout.style("Event").leading
    if room == 0:
        assert found == {}
    else:
        assert leading * (1 - room) - 0.05 <= found["Event"] <= leading * (1 - room)
