"""The glyph check: every character the writers draw is in the layout's fonts, else it is
named where the data (or the layout's wording) holds it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from generator.errors import BulletinError
from generator.glyphs import check_glyphs, describe, family_characters, font_characters, texts
from generator.layout import Layout, load_layout
from generator.layout_spec import FONTS
from generator.model import Document, Heading, Paragraph, Run
from generator.sources import Source
from tests.completeness import items


@pytest.fixture(scope="module")
def iscm() -> Layout:
    return load_layout("iscm")


def test_the_cmap_of_a_face_is_read_once(iscm: Layout) -> None:
    path = str(iscm.spec.fonts["body"].file(False, False))
    characters = font_characters(path)
    assert font_characters(path) is characters
    assert len(characters) > 2000
    assert {"é", "Ł", "–", "’", "€", "\u2009", "\u202f", "\u00a0", "Ж", "Ω"} <= characters
    assert not {"ع", "中", "👍", "\u202e"} & characters


def test_a_family_draws_what_each_face_draws_and_line_breaks(iscm: Layout) -> None:
    family = iscm.spec.fonts["body"]
    drawn = family_characters(family)
    faces = [font_characters(str(family.file(b, i))) for b in (False, True) for i in (False, True)]
    assert drawn == frozenset.intersection(*faces) | {"\n", "\r", "\t"}


def test_the_2020_issue_is_drawn_without_looking_for_sources(
    document_2020: Document, iscm: Layout
) -> None:
    def sources() -> list[Source]:
        raise AssertionError("sources are read only when a character is missing")

    check_glyphs(document_2020, iscm, sources)


def test_every_item_a_reader_sees_is_checked(document_2020: Document, iscm: Layout) -> None:
    checked = " ".join(text.text for text in texts(document_2020, iscm))
    assert [item for item in items(document_2020) if item not in checked] == []
    assert document_2020.footer.text in checked
    assert all(s.continued.text in checked for s in document_2020.sections if s.continued)


def with_heading(document: Document, text: str) -> Document:
    """The document with its first section's heading replaced."""
    first = document.sections[0]
    heading = Heading("Heading 1", text, 1, "events")
    return replace(document, sections=(replace(first, heading=heading), *document.sections[1:]))


def with_first_event(document: Document, runs: tuple[Run, ...]) -> Document:
    """The document with the first event of its first mechanism made of these runs."""
    first = document.sections[0]
    entry = first.blocks[0]
    event = replace(entry.paragraphs[0], runs=runs)
    entry = replace(entry, paragraphs=(event, *entry.paragraphs[1:]))
    section = replace(first, blocks=(entry, *first.blocks[1:]))
    return replace(document, sections=(section, *document.sections[1:]))


def test_wording_no_data_holds_is_located_at_the_layout(
    document_2020: Document, iscm: Layout
) -> None:
    with pytest.raises(BulletinError) as caught:
        check_glyphs(with_heading(document_2020, "Events ☃"), iscm)
    (problem,) = caught.value.problems
    assert problem.file.endswith("layouts/iscm/text.yaml")
    assert (problem.line, problem.path) == (1, "events.heading")
    assert problem.message == (
        "character '☃' (U+2603 SNOWMAN) cannot be drawn by the layout's font Lato"
    )
    assert problem.hint == "remove it, or use a layout whose fonts include it"


def test_a_letter_whose_capital_no_font_draws_is_refused_in_capitals_only(
    document_2020: Document, iscm: Layout
) -> None:
    assert iscm.style("Heading 1").caps and not iscm.style("Event").caps
    alpha = "\u0251"  # LATIN SMALL LETTER ALPHA is in Lato, its capital U+2C6D is not
    with pytest.raises(BulletinError) as caught:
        check_glyphs(with_heading(document_2020, f"Events {alpha}"), iscm)
    (problem,) = caught.value.problems
    assert problem.message.startswith(
        "character 'Ɑ' (U+2C6D LATIN CAPITAL LETTER ALPHA), "
        "'ɑ' (U+0251 LATIN SMALL LETTER ALPHA) in capitals, cannot be drawn"
    )
    check_glyphs(with_first_event(document_2020, (Run(f"Events {alpha}"),)), iscm)


def test_one_problem_per_character_per_place_at_the_origin(
    document_2020: Document, iscm: Layout
) -> None:
    event = document_2020.sections[0].blocks[0].paragraphs[0]
    broken = with_first_event(document_2020, (*event.runs, Run(" 中文 中文 🙂")))
    with pytest.raises(BulletinError) as caught:
        check_glyphs(broken, iscm)
    found = [(p.file, p.line, p.path, p.message.split("(")[1][:7]) for p in caught.value.problems]
    where = (event.origin.file, event.origin.line, event.origin.path)
    assert found == [(*where, "U+4E2D "), (*where, "U+6587 "), (*where, "U+1F642")]


def test_describe_names_a_character_with_its_code_point() -> None:
    assert describe("ع") == "'ع' (U+0639 ARABIC LETTER AIN)"
    assert describe("\U000e0001") == "'\U000e0001' (U+E0001 LANGUAGE TAG)"
    assert describe("\ue000") == "'\ue000' (U+E000)"  # a private-use character has no name


def test_a_paragraph_without_origin_is_found_in_the_sources(
    document_2020: Document, iscm: Layout
) -> None:
    """A text the data holds is located at its value even when the model has no origin."""
    source = Source("data/bulletin.yaml", {"publisher": {"division": "Division ☃"}})
    source.values[("publisher", "division")] = (11, 13)
    masthead = replace(
        document_2020.masthead,
        publisher=(Paragraph("Masthead Publisher", (Run("Division ☃"),)),),
    )
    with pytest.raises(BulletinError) as caught:
        check_glyphs(replace(document_2020, masthead=masthead), iscm, lambda: [source])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("data/bulletin.yaml", 11, 13)
    assert problem.path == "publisher.division"


def test_the_character_map_cache_is_used_and_a_broken_one_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import glyphs

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    font = str(FONTS / "Lato-Regular.ttf")
    glyphs._font_characters.cache_clear()
    first = glyphs.font_characters(font)
    by_stamp, by_content = sorted((tmp_path / "bulletin" / "cmaps").glob("*.json"), reverse=True)
    assert by_stamp.name.startswith("stamp-")
    assert "é" in first and len(first) > 1000
    for cached in (by_stamp, by_content):
        cached.write_text("not json", encoding="ascii")
    glyphs._font_characters.cache_clear()
    assert glyphs.font_characters(font) == first
    assert json.loads(by_content.read_text(encoding="ascii"))  # written again, whole
    assert json.loads(by_stamp.read_bytes().partition(b"\n")[2])
    glyphs._font_characters.cache_clear()
