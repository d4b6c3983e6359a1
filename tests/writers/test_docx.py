"""The Word writer, checked by reading the .docx back (zipfile, lxml, python-docx, fontTools)
and by the programs editors and checkers use (LibreOffice, openxml-audit, ooxml-integrity)."""

from __future__ import annotations

import copy
import io
import json
import os
import posixpath
import subprocess
import sys
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from generator import model
from generator.build import build
from generator.layout import Layout, load_layout
from generator.layout_spec import MM
from generator.writers import DEFAULT_EPOCH
from generator.writers.docx import write_docx
from generator.writers.docx.masthead import GAP_BELOW
from generator.writers.docx.styles import UndefinedStyleError
from generator.writers.docx.writer import DocxWriter, screen_tip
from tests.completeness import missing_texts, pdf_text
from tests.conftest import DATA, real_client

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
W = f"{{{NS['w']}}}"
R_ID = f"{{{NS['r']}}}id"
AUDIT = "/tmp/ooxml/bin/openxml-audit"
INTEGRITY = "/tmp/ooxml/bin/ooxml-integrity"


# -- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture(scope="module")
def iscm() -> Layout:
    return load_layout("iscm")


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory: pytest.TempPathFactory, document_2020: model.Document) -> Path:
    """The 2020 issue written once for the whole module."""
    target = tmp_path_factory.mktemp("docx") / "iscm-highlights-2020.docx"
    write_docx(document_2020, load_layout("iscm"), target)
    return target


@pytest.fixture(scope="module")
def large_print_path(tmp_path_factory: pytest.TempPathFactory, issue_2020) -> Path:
    from generator.kinds.iscm.compose import compose

    layout = load_layout("large-print")
    target = tmp_path_factory.mktemp("docx-lp") / "large-print.docx"
    write_docx(compose(issue_2020, layout), layout, target)
    return target


@pytest.fixture(scope="module")
def parts(docx_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx_path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def body(parts: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(parts["word/document.xml"]).find("w:body", NS)


@pytest.fixture(scope="module")
def styles(parts: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(parts["word/styles.xml"])


def val(node: etree._Element | None, attribute: str = "val") -> str | None:
    return None if node is None else node.get(W + attribute)


def text_of(paragraph: etree._Element) -> str:
    """A paragraph's text as Word shows it: its w:t, with w:tab as a tab."""
    found = paragraph.xpath(".//w:r/w:t | .//w:r/w:tab", namespaces=NS)
    return "".join("\t" if node.tag == W + "tab" else node.text or "" for node in found)


def rels(parts: dict[str, bytes], name: str) -> dict[str, etree._Element]:
    """The relationships of a part, by id."""
    folder, _, file = name.rpartition("/")
    root = etree.fromstring(parts[f"{folder}/_rels/{file}.rels"])
    return {rel.get("Id"): rel for rel in root.findall("rel:Relationship", NS)}


def resolve(part: str, target: str) -> str:
    """The zip name of a relationship target, relative to the part that names it."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def style_ids(styles: etree._Element, kind: str) -> set[str]:
    return {s.get(W + "styleId") for s in styles.findall("w:style", NS) if val(s, "type") == kind}


def style_named(styles: etree._Element, name: str) -> etree._Element:
    for style in styles.findall("w:style", NS):
        if val(style.find("w:name", NS)).lower() == name.lower():
            return style
    raise AssertionError(f"no style {name}")


def twips(points: float) -> str:
    return str(round(points * 20))


def rgb(layout: Layout, colour: str) -> str:
    return layout.spec.colours[colour].rgb.lstrip("#")


def section_numbers(body: etree._Element) -> list[tuple[etree._Element, int]]:
    """Every body paragraph with the number of the Word section it belongs to (from 0)."""
    found, number = [], 0
    for paragraph in body.iter(W + "p"):
        found.append((paragraph, number))
        if paragraph.find("w:pPr/w:sectPr", NS) is not None:
            number += 1
    return found


def paragraphs_in_style(body: etree._Element, style_id: str) -> list[etree._Element]:
    return [p for p in body.iter(W + "p") if val(p.find("w:pPr/w:pStyle", NS)) == style_id]


def model_paragraphs(document: model.Document) -> list[model.Paragraph]:
    """Every paragraph of the model, masthead first, in order (tables and charts aside)."""
    masthead = document.masthead
    found = [*masthead.publisher, masthead.period, masthead.issue, masthead.title]
    for block in (b for s in document.sections for b in s.blocks):
        if isinstance(block, model.Group):
            found += [block.heading, *([block.note] if block.note else []), *block.paragraphs]
        elif isinstance(block, model.Paragraph):
            found.append(block)
    return found


def all_texts(body: etree._Element) -> list[str]:
    return [text_of(p) for p in body.iter(W + "p")]


# -- styles --------------------------------------------------------------------------------


def test_every_paragraph_run_and_table_uses_a_defined_style(parts, styles):
    paragraph_styles = style_ids(styles, "paragraph")
    character_styles = style_ids(styles, "character")
    stories = [n for n in parts if n.startswith("word/footer") and n.endswith(".xml")]
    assert stories, "the document has a footer"
    for name in ["word/document.xml", *stories]:
        root = etree.fromstring(parts[name])
        paragraphs = root.findall(".//w:p", NS)
        assert paragraphs
        for paragraph in paragraphs:
            style = val(paragraph.find("w:pPr/w:pStyle", NS))
            assert style in paragraph_styles, (name, style, text_of(paragraph)[:40])
        for run_style in root.findall(".//w:r/w:rPr/w:rStyle", NS):
            assert val(run_style) in character_styles
    document = etree.fromstring(parts["word/document.xml"])
    used = {val(t) for t in document.findall(".//w:tblStyle", NS)}
    assert used == {"ThemeTable"} and used <= style_ids(styles, "table")


def test_no_run_has_direct_font_size_or_colour(parts):
    for name in [n for n in parts if n.startswith(("word/document", "word/footer"))]:
        if not name.endswith(".xml"):
            continue
        root = etree.fromstring(parts[name])
        for tag in ("rFonts", "sz", "szCs", "color", "b", "i", "caps", "u"):
            assert root.find(f".//w:{tag}", NS) is None, (name, tag)
        for properties in root.findall(".//w:r/w:rPr", NS):
            tags = [child.tag for child in properties]
            unbroken = tags[-2:] == [W + "noProof", W + "lang"]  # see test_docx_unbroken.py
            assert tags[: len(tags) - 2 * unbroken] in ([W + "rStyle"], []), tags
            assert tags != [], "an empty w:rPr"


def test_styles_follow_the_layout_with_its_inheritance(styles, iscm):
    for name, style in iscm.styles.items():
        word = style_named(styles, name)
        based_on = val(word.find("w:basedOn", NS))
        assert based_on == (style.parent.replace(" ", "") if style.parent else None), name
    heading = style_named(styles, "heading 1")
    assert heading.get(W + "styleId") == "Heading1"
    assert val(heading.find("w:pPr/w:outlineLvl", NS)) == "0"
    assert val(style_named(styles, "heading 2").find("w:pPr/w:outlineLvl", NS)) == "1"
    assert style_named(styles, "Title").get(W + "styleId") == "Title"
    assert style_named(styles, "footer").get(W + "styleId") == "Footer"


def test_style_properties_come_from_the_layout(styles, iscm):
    layout_heading = iscm.style("Heading 1")
    heading = style_named(styles, "heading 1")
    assert heading.find("w:pPr/w:keepNext", NS) is not None
    spacing = heading.find("w:pPr/w:spacing", NS)
    assert val(spacing, "before") == twips(layout_heading.space_before)
    assert val(spacing, "after") == twips(layout_heading.space_after)
    assert val(spacing, "line") == twips(layout_heading.leading)
    rule = heading.find("w:pPr/w:pBdr/w:bottom", NS)
    assert val(rule, "color") == rgb(iscm, layout_heading.rule_below)
    assert val(heading.find("w:rPr/w:caps", NS)) == "1"
    assert val(heading.find("w:rPr/w:color", NS)) == rgb(iscm, layout_heading.colour)
    assert val(heading.find("w:rPr/w:sz", NS)) == str(round(layout_heading.size * 2))
    normal = style_named(styles, "Normal")
    family = iscm.spec.fonts[iscm.style("Normal").font].family
    assert val(normal.find("w:rPr/w:rFonts", NS), "ascii") == family
    assert val(style_named(styles, "Body").find("w:pPr/w:jc", NS)) == "both"
    publication = style_named(styles, "Publication")
    indent = iscm.style("Publication").left_indent
    assert val(publication.find("w:pPr/w:ind", NS), "left") == twips(indent)
    feature_rule = style_named(styles, "Feature Title").find("w:pPr/w:pBdr/w:bottom", NS)
    frame = iscm.spec.frames["Feature Box"]
    assert val(feature_rule, "color") == rgb(iscm, frame.background), (
        "Feature Title has the frame's edge, not the rule of Heading 1 it would inherit"
    )
    event_title = style_named(styles, "Event Title")
    assert val(event_title, "type") == "character"
    assert val(event_title.find("w:rPr/w:color", NS)) == rgb(iscm, "brand")
    hyperlink = style_named(styles, "Hyperlink")
    assert val(hyperlink.find("w:rPr/w:u", NS)) == "single"


def test_language_and_widow_control_are_document_defaults(styles, document_2020):
    defaults = styles.find("w:docDefaults", NS)
    assert val(defaults.find("w:rPrDefault/w:rPr/w:lang", NS)) == document_2020.info.language
    assert defaults.find("w:pPrDefault/w:pPr/w:widowControl", NS) is not None


def test_theme_table_style_from_the_layout(styles, iscm):
    spec = iscm.spec.tables["Theme Table"]
    table = style_named(styles, "Theme Table")
    fills = {
        val(kind, "type"): val(kind.find("w:tcPr/w:shd", NS), "fill")
        for kind in table.findall("w:tblStylePr", NS)
    }
    assert fills == {
        "firstRow": rgb(iscm, spec.header_background),
        "band1Horz": rgb(iscm, spec.stripe),
    }
    assert val(table.find("w:tblPr/w:tblBorders/w:insideH", NS), "color") == rgb(iscm, spec.rule)
    assert val(table.find("w:tblPr/w:tblCellMar/w:left", NS), "w") == twips(spec.padding)


def test_a_style_the_document_does_not_define_is_an_error(document_2020, iscm, tmp_path):
    unknown = model.Paragraph("No Such Style", (model.Run("text"),))
    document = replace(document_2020, sections=(model.Section("x", None, (unknown,)),))
    with pytest.raises(UndefinedStyleError, match="No Such Style"):
        write_docx(document, iscm, tmp_path / "out.docx")
    unknown_run = model.Paragraph("Normal", (model.Run("text", "No Such Run Style"),))
    document = replace(document_2020, sections=(model.Section("x", None, (unknown_run,)),))
    with pytest.raises(UndefinedStyleError, match="No Such Run Style"):
        write_docx(document, iscm, tmp_path / "out.docx")


def test_every_node_type_has_a_visit_and_an_unknown_node_raises(document_2020, iscm, tmp_path):
    for node_type in model.NODE_TYPES:
        assert callable(getattr(DocxWriter, f"visit_{node_type.__name__.lower()}", None))
    document = replace(document_2020, sections=(model.Section("x", None, (object(),)),))
    with pytest.raises(NotImplementedError, match="object"):
        write_docx(document, iscm, tmp_path / "out.docx")


# -- page, sections, frames ----------------------------------------------------------------


def test_page_size_and_margins_come_from_the_layout(body, iscm):
    section = body.find("w:sectPr", NS)
    size = section.find("w:pgSz", NS)
    page = iscm.page
    assert abs(int(val(size, "w")) - page.size_mm[0] * MM * 20) <= 1
    assert abs(int(val(size, "h")) - page.size_mm[1] * MM * 20) <= 1
    margins = section.find("w:pgMar", NS)
    for side in ("top", "bottom", "left", "right"):
        expected = getattr(page.margins_mm, side) * MM * 20
        assert abs(int(val(margins, side)) - expected) <= 1, side


def test_the_events_flow_in_two_word_columns_between_continuous_breaks(body, iscm):
    sections = [*body.findall(".//w:p/w:pPr/w:sectPr", NS), body.find("w:sectPr", NS)]
    columns = [val(s.find("w:cols", NS), "num") for s in sections]
    assert columns == [None, "2", None]
    gap = val(sections[1].find("w:cols", NS), "space")
    assert gap == twips(iscm.page.column_gap_mm * MM)
    assert [val(s.find("w:type", NS)) for s in sections] == [None, "continuous", "continuous"]
    numbers = section_numbers(body)
    in_events = {
        n for p, n in numbers if val(p.find("w:pPr/w:pStyle", NS)) in ("Event", "Mechanism")
    }
    assert in_events == {1}
    headings = [n for p, n in numbers if val(p.find("w:pPr/w:pStyle", NS)) == "Heading1"]
    assert headings[0] == 0, "the events heading spans the page, above the columns"
    assert set(headings[1:]) == {2}


def test_the_large_print_layout_has_one_column(large_print_path):
    with zipfile.ZipFile(large_print_path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    assert len(root.findall(".//w:sectPr", NS)) == 1
    assert all(val(c, "num") in (None, "1") for c in root.findall(".//w:cols", NS))
    normal = style_named(styles, "Normal")
    assert val(normal.find("w:rPr/w:sz", NS)) == str(
        round(load_layout("large-print").style("Normal").size * 2)
    )


def masthead_paragraphs(body: etree._Element) -> list[etree._Element]:
    """The body's blocks before its first Heading 1 paragraph."""
    found = []
    for block in body:
        if val(block.find("w:pPr/w:pStyle", NS)) == "Heading1":
            return found
        found.append(block)
    raise AssertionError("no Heading 1")


def test_the_masthead_is_paragraphs_not_a_table(body, document_2020):
    """Word has no layout-table flag: a table's cells would be read as data (Word's
    accessibility checker, screen readers, LibreOffice's tagged PDF)."""
    blocks = masthead_paragraphs(body)
    assert [etree.QName(b).localname for b in blocks] == ["p"] * 5
    masthead = document_2020.masthead
    publisher = [p.text for p in masthead.publisher]
    assert [text_of(p) for p in blocks] == [
        f"{publisher[0]} \t{masthead.period.text}",
        f"{publisher[1]} \t{masthead.issue.text}",
        *publisher[2:],
        masthead.title.text,
    ]
    assert [val(p.find("w:pPr/w:pStyle", NS)) for p in blocks] == ["MastheadPublisher"] * 4 + [
        "Title"
    ]


def test_period_and_issue_are_runs_with_their_styles_look(body, styles, iscm):
    first, second = masthead_paragraphs(body)[:2]
    for paragraph, name in ((first, "Masthead Period"), (second, "Masthead Issue")):
        *_, tab, run = paragraph.findall("w:r", NS)
        assert tab.find("w:tab", NS) is not None
        ident = val(run.find("w:rPr/w:rStyle", NS))
        assert ident == name.replace(" ", "") + "Char"
        style = styles.find(f"w:style[@w:styleId='{ident}']", NS)
        assert val(style, "type") == "character"
        layout, host = iscm.style(name), iscm.style("Masthead Publisher")
        assert (style.find("w:rPr/w:b", NS) is not None) == (layout.bold != host.bold)
        size = style.find("w:rPr/w:sz", NS)
        assert (int(val(size)) / 2 if size is not None else host.size) == layout.size


@pytest.mark.parametrize("name", ["iscm", "large-print"])
def test_the_masthead_styles_draw_a_band_from_edge_to_edge(
    name, docx_path, large_print_path, document_2020
):
    """Shading in the band colour, carried into both side margins by borders of that colour
    as wide as Word allows (43 pt, less than the margins: the band's rectangle in page 1's
    header covers the rest), the text in the body's column (no indent, as in the PDF); a
    right tab stop at the text's right edge for the period and the issue."""
    layout = load_layout(name)
    path = docx_path if name == "iscm" else large_print_path
    with zipfile.ZipFile(path) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    page, brand = layout.page, rgb(layout, layout.page.masthead_background)
    text_width = (page.size_mm[0] - page.margins_mm.left - page.margins_mm.right) * MM
    for style_name in ("Masthead Publisher", "Title"):
        properties = style_named(styles, style_name).find("w:pPr", NS)
        shading = properties.find("w:shd", NS)
        assert val(shading, "fill") == brand and val(shading, "themeFill") == "dark2"
        borders = {etree.QName(b).localname: b for b in properties.find("w:pBdr", NS)}
        assert set(borders) == {"left", "bottom", "right"}
        assert {val(b, "color") for b in borders.values()} == {brand}
        indent = properties.find("w:ind", NS)
        for side, margin in (("left", page.margins_mm.left), ("right", page.margins_mm.right)):
            border = borders[side]
            assert int(val(indent, side)) == 0, "the text stands in the body's column"
            reach = int(val(border, "space")) + int(val(border, "sz")) / 8
            assert (int(val(border, "space")), int(val(border, "sz"))) == (31, 96), "widest"
            assert reach < margin * MM, (style_name, side)
        (stop,) = properties.findall("w:tabs/w:tab", NS)
        assert val(stop) == "right"
        assert abs(int(val(stop, "pos")) - text_width * 20) <= 1


@pytest.mark.parametrize("name", ["iscm", "large-print"])
def test_page_one_has_a_header_that_carries_the_band_to_the_top_edge(
    name, docx_path, large_print_path
):
    """Page 1's own header (the first section's "Different first page", at no distance from
    the page's top edge): one empty paragraph in the band's top style, exactly as tall as
    the top margin, in the band colour and reaching both side edges. Page 1's own footer is
    the footer of every other page; no later section has a first page of its own, and every
    page keeps the layout's margins."""
    layout = load_layout(name)
    page, brand = layout.page, rgb(layout, layout.page.masthead_background)
    document = docx.Document(str(docx_path if name == "iscm" else large_print_path))
    first, *later = document.sections
    assert len(later) == (2 if name == "iscm" else 0)
    assert first.different_first_page_header_footer and first.header_distance == 0
    assert first.header.is_linked_to_previous, "no header on the other pages"
    for section in document.sections:
        assert abs(section.top_margin.pt - page.margins_mm.top * MM) < 0.1
    for section in later:
        assert not section.different_first_page_header_footer
        assert section.footer.part is first.footer.part
    own, every = first.first_page_footer._element, first.footer._element
    assert etree.tostring(own) == etree.tostring(every), "page 1's footer is the others'"
    (paragraph,) = first.first_page_header.paragraphs
    assert paragraph.text == "" and paragraph.style.name == "Masthead Band Top"
    properties = paragraph.style.element.find("w:pPr", NS)
    spacing = properties.find("w:spacing", NS)
    assert (val(spacing, "lineRule"), val(spacing, "line")) == (
        "exact",
        twips(page.margins_mm.top * MM),
    )
    assert (val(spacing, "before"), val(spacing, "after")) == ("0", "0")
    assert val(properties.find("w:shd", NS), "fill") == brand
    borders = {etree.QName(b).localname: b for b in properties.find("w:pBdr", NS)}
    assert (val(borders["top"]), val(borders["bottom"])) == ("nil", "nil")
    indent = properties.find("w:ind", NS)
    for side in ("left", "right"):
        assert val(borders[side], "color") == brand and int(val(indent, side)) == 0


@pytest.mark.parametrize("name", ["iscm", "large-print"])
def test_page_one_header_anchors_the_band_picture_to_the_page_edges(
    name, docx_path, large_print_path
):
    """Behind the text, page 1's header paragraph anchors a picture of one pixel in the band
    colour from the page's top left corner, the page's width, down to the band's bottom (the
    PDF's, 62 mm in iscm); locked, not wrapping text, and marked decorative with no
    alternative text, so accessibility checkers skip it."""
    layout = load_layout(name)
    page = layout.page
    document = docx.Document(str(docx_path if name == "iscm" else large_print_path))
    header = document.sections[0].first_page_header
    (anchor,) = header._element.findall(".//wp:anchor", NS)
    assert (anchor.get("behindDoc"), anchor.get("locked")) == ("1", "1")
    assert anchor.find("wp:wrapNone", NS) is not None
    for axis in ("positionH", "positionV"):
        position = anchor.find(f"wp:{axis}", NS)
        assert position.get("relativeFrom") == "page"
        assert position.find("wp:posOffset", NS).text == "0"
    extent = anchor.find("wp:extent", NS)
    assert abs(int(extent.get("cx")) / 12700 - page.size_mm[0] * MM) < 0.1
    assert abs(int(extent.get("cy")) / 12700 - page.masthead_height_mm * MM) < 0.1
    described = anchor.find("wp:docPr", NS)
    assert described.get("descr") == ""
    decorative = described.find(".//{*}decorative")
    assert decorative is not None and decorative.get("val") == "1"
    blip = anchor.find(".//a:graphicData/{*}pic/{*}blipFill/a:blip", NS)
    picture = header.part.related_parts[blip.get(qn("r:embed"))]
    assert picture.content_type == "image/png"
    with Image.open(io.BytesIO(picture.blob)) as shown:
        assert shown.size == (1, 1)
        brand = rgb(layout, page.masthead_background)
        assert shown.convert("RGB").getpixel((0, 0)) == tuple(bytes.fromhex(brand))


BELOW_BOX = 4 + 6 + 14
"""Below the 2020 box: its last paragraph's space after, the gap around a box, the heading's
space before (the PDF's, as `test_pages` checks in LibreOffice's rendering)."""


def test_no_paragraph_has_borders_shading_indents_or_tabs_of_its_own(parts):
    stories = [n for n in parts if n.startswith(("word/document", "word/footer", "word/header"))]
    styles = etree.fromstring(parts["word/styles.xml"]).iter(W + "style")
    shaded = {val(s, "styleId") for s in styles if s.find("w:pPr/w:shd", NS) is not None}
    for name in [n for n in stories if n.endswith(".xml")]:
        root = etree.fromstring(parts[name])
        for properties in root.iter(W + "pPr"):
            own = {etree.QName(child).localname for child in properties}
            if "spacing" in own:  # the first paragraph below the band or a box: the PDF's gap
                above = properties.getparent().getprevious().find("w:pPr/w:pStyle", NS)
                assert val(above) in shaded, "only right below the band or a box"
                spacing = properties.find("w:spacing", NS)
                gap = GAP_BELOW if val(above) == "Title" else BELOW_BOX
                assert dict(spacing.attrib) == {W + "before": twips(gap)}
                own.remove("spacing")
            # keepLines: a short event kept in one column, which depends on its length
            assert own <= {"pStyle", "outlineLvl", "sectPr", "keepLines"}, (name, own)


def test_the_feature_box_is_drawn_by_its_paragraph_styles(body, styles, iscm):
    frame = iscm.spec.frames["Feature Box"]
    framed = paragraphs_in_style(body, "FeatureTitle") + paragraphs_in_style(body, "FeatureText")
    assert len(framed) == 4, "every paragraph of the box is in a Feature style"
    drawn = []
    for name in ("Feature Title", "Feature Text"):
        properties = style_named(styles, name).find("w:pPr", NS)
        fill = properties.find("w:shd", NS)
        expected = (rgb(iscm, frame.background), "light2")
        assert (val(fill, "fill"), val(fill, "themeFill")) == expected
        rule = properties.find("w:pBdr/w:left", NS)
        assert val(rule, "color") == rgb(iscm, frame.border)
        assert val(rule, "sz") == str(round(frame.rule_left * 8))
        assert val(properties.find("w:ind", NS), "left") == twips(frame.padding + frame.rule_left)
        borders = etree.tostring(properties.find("w:pBdr", NS))
        drawn.append((borders, etree.tostring(properties.find("w:ind", NS))))
    assert drawn[0] == drawn[1], "same borders and indents: Word draws one box around both"
    event = style_named(styles, "Event")
    assert event.find("w:pPr/w:shd", NS) is None and event.find("w:pPr/w:pBdr", NS) is None


def test_a_style_used_inside_and_outside_a_frame_gets_a_framed_variant(document_2020, tmp_path):
    from generator.kinds.iscm.compose import compose
    from generator.kinds.iscm.validate import load_issue

    layout = load_layout("iscm")
    layout = replace(layout, spec=copy.deepcopy(layout.spec))
    layout.spec.sections["publications"] = layout.spec.sections["feature"]
    document = compose(load_issue(DATA, "2020"), layout)
    target = tmp_path / "framed.docx"
    write_docx(document, layout, target)
    with zipfile.ZipFile(target) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        sheet = etree.fromstring(archive.read("word/styles.xml"))
    variant = style_named(sheet, "Heading 1 (Feature Box)")
    assert val(variant.find("w:basedOn", NS)) == "Heading1"
    assert val(variant.find("w:pPr/w:shd", NS), "fill") == rgb(layout, "tint")
    assert style_named(sheet, "Heading 1").find("w:pPr/w:shd", NS) is None
    headings = [text_of(p) for p in paragraphs_in_style(root, "Heading1FeatureBox")]
    assert headings == [next(s for s in document.sections if s.key == "publications").heading.text]
    assert paragraphs_in_style(root, "Publication"), "Publication is only framed: its own style"
    assert style_named(sheet, "Publication").find("w:pPr/w:shd", NS) is not None


def test_footer_has_its_text_and_page_fields(parts, document_2020, styles, iscm):
    footer = etree.fromstring(parts["word/footer1.xml"])
    paragraph = footer.find("w:p", NS)
    assert val(paragraph.find("w:pPr/w:pStyle", NS)) == "Footer"
    text = text_of(paragraph)
    assert text.startswith(document_2020.footer.text + "\t")
    fields = [" ".join(t.text.split()) for t in paragraph.iter(W + "instrText")]
    assert fields == ["PAGE", "NUMPAGES"]
    for part in document_2020.footer.page_label:
        if part not in (model.PAGE, model.PAGES):
            assert part in text
    stop = style_named(styles, "footer").find("w:pPr/w:tabs/w:tab", NS)
    width = iscm.page.size_mm[0] - iscm.page.margins_mm.left - iscm.page.margins_mm.right
    assert (val(stop), val(stop, "pos")) == ("right", twips(width * MM))


def field_results(paragraph: etree._Element) -> list[str]:
    """The saved result of each complex field: the text between 'separate' and 'end'."""
    found, inside = [], False
    for run in paragraph.findall("w:r", NS):
        kind = val(run.find("w:fldChar", NS), "fldCharType")
        if kind == "separate":
            inside = True
            found.append("")
        elif kind == "end":
            inside = False
        elif inside:
            found[-1] += "".join(t.text or "" for t in run.findall("w:t", NS))
    return found


def test_the_footer_fields_save_the_page_count_they_are_given(document_2020, iscm, tmp_path):
    target = tmp_path / "seven.docx"
    write_docx(document_2020, iscm, target, pages=7)
    with zipfile.ZipFile(target) as archive:
        footer = etree.fromstring(archive.read("word/footer1.xml"))
        app = archive.read("docProps/app.xml").decode()
    assert field_results(footer.find("w:p", NS)) == ["1", "7"]
    assert "<Pages>7</Pages>" in app


def test_a_build_gives_the_word_file_the_pdf_page_count(tmp_path):
    written = build(DATA, "2020", "iscm", tmp_path, ("pdf", "print", "docx"), lambda line: None)
    pdf, _, word = written
    with zipfile.ZipFile(word.path) as archive:
        footer = etree.fromstring(archive.read("word/footer1.xml"))
    assert pdf.pages > 1 and field_results(footer.find("w:p", NS)) == ["1", str(pdf.pages)]
    alone = build(DATA, "2020", "iscm", tmp_path / "alone", ("docx",), lambda line: None)
    assert alone[0].path.read_bytes() == word.path.read_bytes(), "the same without the PDF"
    beside = build(DATA, "2020", "iscm", tmp_path / "beside", ("pdf", "docx"), lambda line: None)
    assert beside[1].path.read_bytes() == word.path.read_bytes()
    assert sorted(p.name for p in (tmp_path / "alone").iterdir()) == [word.path.name], (
        "no scratch file left behind"
    )


# -- content -------------------------------------------------------------------------------


def test_every_item_of_the_issue_is_in_the_text(body, document_2020):
    texts = all_texts(body)
    blocks = [b for s in document_2020.sections for b in s.blocks]
    expected: list[model.Paragraph] = []
    titles = []
    for block in blocks:
        if isinstance(block, model.Group):
            expected += [block.heading, *([block.note] if block.note else []), *block.paragraphs]
            titles += [r.text for e in block.paragraphs for r in e.runs if r.style == "Event Title"]
        elif isinstance(block, model.Paragraph):
            expected.append(block)
    assert len(titles) > 40
    for paragraph in expected:
        assert paragraph.text in texts, paragraph.text[:60]
    for section in document_2020.sections:
        if section.heading:
            assert section.heading.text in texts
    assert not any("(continued)" in t for t in texts), "continuation lines are for the PDF only"


def test_tables_are_word_tables_with_repeating_headers(body, document_2020):
    tables = [b for s in document_2020.sections for b in s.blocks if isinstance(b, model.Table)]
    word_tables = [
        t for t in body.findall("w:tbl", NS) if t.find("w:tblPr/w:tblStyle", NS) is not None
    ]
    assert len(word_tables) == len(tables) == 2
    for table, word in zip(tables, word_tables, strict=True):
        rows = word.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        cells = [[text_of(p) for p in row.findall("w:tc/w:p", NS)] for row in rows]
        assert cells[0] == list(table.header)
        assert cells[1:] == [[c.text for c in row.cells] for row in table.rows]
        header_styles = {val(p) for p in rows[0].findall("w:tc/w:p/w:pPr/w:pStyle", NS)}
        assert header_styles == {"TableHeader"}
        grid = [int(val(col, "w")) for col in word.findall("w:tblGrid/w:gridCol", NS)]
        shares = [width / sum(grid) for width in grid]
        assert shares == pytest.approx(list(table.widths), abs=0.001)
        caption = word.getprevious()
        assert text_of(caption) == table.caption.text
        assert val(caption.find("w:pPr/w:pStyle", NS)) == "TableCaption"


def test_every_link_is_a_word_hyperlink(parts, body, document_2020):
    relationships = rels(parts, "word/document.xml")
    links = body.findall(".//w:hyperlink", NS)
    assert len(links) == len(document_2020.urls)
    expected = {
        (run.text, run.url, run.style.replace(" ", ""))
        for paragraph in model_paragraphs(document_2020)
        for run in paragraph.runs
        if run.url
    }
    targets = []
    for link in links:
        relationship = relationships[link.get(R_ID)]
        assert relationship.get("TargetMode") == "External"
        assert relationship.get("Type").endswith("/hyperlink")
        targets.append(relationship.get("Target"))
        (style,) = {val(s) for s in link.findall("w:r/w:rPr/w:rStyle", NS)}
        assert (text_of(link), targets[-1], style) in expected
        assert link.get(qn("w:tooltip")) == " ".join(text_of(link).split()), "its ScreenTip"
    assert Counter(targets) == Counter(document_2020.urls)
    assert any(t.startswith("mailto:") for t in targets)


def test_a_links_screen_tip_is_its_whole_text_within_words_limit(document_2020, iscm):
    """A link split into runs (two styles) tells its whole text in each run's ScreenTip, as
    the PDF's link annotation does; a text longer than Word's 255 characters ends at a
    word, with an ellipsis; a link whose text is empty tells its address."""
    url = "https://example.org/report"
    long_title = " ".join(["Regional consultation on labour migration"] * 9)
    runs = (
        model.Run("See "),
        model.Run("the report", "Emphasis", url),
        model.Run(" of 2020", None, url),
        model.Run(", and "),
        model.Run(long_title, None, "https://example.org/long"),
        model.Run("", None, "https://example.org/empty"),
    )
    sections = list(document_2020.sections)
    at = next(i for i, s in enumerate(sections) if s.key == "closing")
    closing = sections[at]
    sections[at] = replace(closing, blocks=(model.Paragraph("Closing", runs), *closing.blocks))
    document = replace(document_2020, sections=tuple(sections))
    out = io.BytesIO()
    write_docx(document, iscm, out)
    body = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    (ours,) = [p for p in body.iter(qn("w:p")) if text_of(p).startswith("See the report")]
    tips = [link.get(qn("w:tooltip")) for link in ours.iter(qn("w:hyperlink"))]
    assert tips[:2] == ["the report of 2020"] * 2
    assert len(tips[2]) <= 255 and tips[2].endswith("migration…")
    assert long_title.startswith(tips[2][:-1])
    assert tips[3] == "https://example.org/empty"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 255, "a" * 255),  # at the limit: whole
        ("a" * 250 + " bcd efgh", "a" * 250 + " bcd…"),  # cut at the last space that fits
        ("a" * 254 + " bcd", "a" * 254 + "…"),  # a space right at the limit
        ("Read: " + "x" * 300, "Read: " + "x" * 248 + "…"),  # no late space: cut at the limit
    ],
)
def test_a_screen_tip_keeps_within_words_limit(text: str, expected: str) -> None:
    assert screen_tip(text) == expected
    assert len(screen_tip(text)) <= 255


def test_the_chart_is_a_native_editable_chart(parts, body, document_2020, iscm):
    chart = next(
        b for s in document_2020.sections for b in s.blocks if isinstance(b, model.BarChart)
    )
    drawing = body.find(".//w:drawing", NS)
    described = drawing.find(".//wp:docPr", NS).get("descr")
    assert described == chart.brief_alt_text
    rid = drawing.find(".//c:chart", NS).get(R_ID)
    target = rels(parts, "word/document.xml")[rid]
    assert target.get("Type").endswith("/chart")
    name = resolve("word/document.xml", target.get("Target"))
    space = etree.fromstring(parts[name])
    assert space.find(".//c:barChart/c:barDir", NS).get("val") == "bar"
    categories = [v.text for v in space.findall(".//c:cat//c:pt/c:v", NS)]
    values = [int(float(v.text)) for v in space.findall(".//c:val//c:pt/c:v", NS)]
    assert categories == list(chart.categories)
    assert values == list(chart.values)
    colour = space.find(".//c:ser/c:spPr/a:solidFill/a:schemeClr", NS).get("val")
    assert colour == "tx2", "the bars are the theme's second dark colour (brand)"
    assert iscm.spec.theme.dark_2 == iscm.spec.chart.bar_colour
    assert not list(space.iter(A + "srgbClr")), "every chart colour is a theme colour"
    fonts = {f.get("typeface") for f in space.iter(A + "latin")}
    assert fonts == {"+mn-lt"}, "the chart's text is in the theme's body font"
    assert space.find(".//c:dLbls/c:showVal", NS).get("val") == "1"
    orientation = space.find(".//c:catAx/c:scaling/c:orientation", NS).get("val")
    assert orientation == "maxMin", "the first (largest) category is drawn on top"
    ids = [int(n.get("val")) for n in space.xpath(".//c:axId | .//c:crossAx", namespaces=NS)]
    assert ids and min(ids) >= 0
    workbook_rel = rels(parts, name)[space.find("c:externalData", NS).get(R_ID)]
    assert workbook_rel.get("Type").endswith("/package")
    workbook = parts[resolve(name, workbook_rel.get("Target"))]
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    assert sheet["B1"].value == chart.title
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == list(zip(chart.categories, chart.values, strict=True))
    assert sheet["B2"].number_format == "0"


def test_the_chart_workbook_keeps_any_category_name(tmp_path, iscm):
    from generator.writers.docx.workbook import chart_workbook

    names = ("Rock & <roll>", 'Quotes "here"', "Ünïcode – dash", "  spaced  ")
    blob = chart_workbook("Title & co", names, (3, 2, 1, 0), 1_600_000_000)
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    assert sheet["B1"].value == "Title & co"
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == list(
        zip(names, (3, 2, 1, 0), strict=True)
    )
    assert blob == chart_workbook("Title & co", names, (3, 2, 1, 0), 1_600_000_000)


def test_the_chart_alt_text_is_brief_and_points_to_the_thematic_areas_table(body, document_2020):
    chart = next(
        b for s in document_2020.sections for b in s.blocks if isinstance(b, model.BarChart)
    )
    described = body.find(".//w:drawing//wp:docPr", NS).get("descr")
    assert len(described) < 200 and "Thematic Areas table" in described
    assert not any(str(value) in described.replace("2020", "") for value in chart.values[1:])
    assert not any(name in described for name in chart.categories), "no values: they change"
    captions = [text_of(p) for p in paragraphs_in_style(body, "TableCaption")]
    assert "Thematic Areas" in captions


def test_every_table_has_alternative_text(body, document_2020):
    tables = [b for s in document_2020.sections for b in s.blocks if isinstance(b, model.Table)]
    word_tables = [
        t for t in body.findall("w:tbl", NS) if t.find("w:tblPr/w:tblStyle", NS) is not None
    ]
    for table, word in zip(tables, word_tables, strict=True):
        caption = val(word.find("w:tblPr/w:tblCaption", NS))
        description = val(word.find("w:tblPr/w:tblDescription", NS))
        assert caption == table.caption.text
        assert description == table.description
        assert f"The {len(table.rows)} " in description and "ISCMs" in description


# -- theme, gallery, sections --------------------------------------------------------------

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def test_the_theme_is_made_from_the_layout(parts, iscm):
    theme = etree.fromstring(parts["word/theme/theme1.xml"])
    scheme = theme.find(f"{A}themeElements/{A}clrScheme")
    found = {etree.QName(slot).localname: slot[0].get("val") for slot in scheme}
    keys = {
        "dk1": "dark_1",
        "lt1": "light_1",
        "dk2": "dark_2",
        "lt2": "light_2",
        **{f"accent{i}": f"accent_{i}" for i in range(1, 7)},
        "hlink": "hyperlink",
        "folHlink": "followed_hyperlink",
    }
    assert list(found) == list(keys)
    for slot, key in keys.items():
        assert found[slot] == rgb(iscm, getattr(iscm.spec.theme, key)), slot
    family = iscm.spec.fonts["body"].family
    fonts = theme.find(f"{A}themeElements/{A}fontScheme")
    assert [f.get("typeface") for f in fonts.iter(f"{A}latin")] == [family, family]


def test_styles_and_the_masthead_name_theme_colours_and_fonts(parts, styles, body, iscm):
    theme = etree.fromstring(parts["word/theme/theme1.xml"])
    scheme = theme.find(f"{A}themeElements/{A}clrScheme")
    slots = {etree.QName(s).localname: s[0].get("val") for s in scheme}
    names = {"dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2"}
    names |= {"hyperlink": "hlink", "followedHyperlink": "folHlink"}
    coloured = 0
    for node in styles.iter():
        pairs = (("color", "themeColor"), ("fill", "themeFill"))
        if node.tag == W + "color":  # a run's colour is its w:val
            pairs = (("val", "themeColor"),)
        for attribute, theme_attribute in pairs:
            value = node.get(W + attribute)
            if value in (None, "auto"):
                continue
            slot = node.get(W + theme_attribute)
            assert slot, etree.tostring(node)
            assert slots[names.get(slot, slot)] == value, (slot, value)
            coloured += 1
    assert coloured > 20
    shading = style_named(styles, "Masthead Publisher").find("w:pPr/w:shd", NS)
    assert val(shading, "themeFill") == "dark2" and val(shading, "fill") == rgb(iscm, "brand")
    assert val(style_named(styles, "Title").find("w:rPr/w:color", NS), "themeColor") == "light1"
    link = style_named(styles, "Hyperlink").find("w:rPr/w:color", NS)
    assert val(link, "themeColor") == "hyperlink"
    followed = style_named(styles, "FollowedHyperlink").find("w:rPr/w:color", NS)
    assert val(followed, "themeColor") == "followedHyperlink"
    assert val(followed) == rgb(iscm, iscm.spec.character_styles["FollowedHyperlink"].colour)
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert val(fonts, "asciiTheme") == val(fonts, "hAnsiTheme") == "minorHAnsi"


def test_the_gallery_offers_what_editors_apply_in_the_layouts_order(styles, iscm):
    def marks(name: str) -> tuple[int, bool, bool]:
        style = style_named(styles, name)
        priority = int(val(style.find("w:uiPriority", NS)))
        return (
            priority,
            style.find("w:qFormat", NS) is not None,
            style.find("w:semiHidden", NS) is not None,
        )

    applied = ["Normal", "Heading 1", "Mechanism", "Mechanism Note", "Event", "Feature Title"]
    applied += ["Feature Text", "Table Caption", "Publication", "Closing"]
    priorities = [marks(name)[0] for name in applied]
    assert priorities == sorted(priorities)
    assert all(marks(name)[1] for name in applied)
    for name in ("Event Title", "Strong", "Emphasis"):
        assert marks(name)[1] and marks(name)[0] > priorities[-1]
    names = ("Masthead Publisher", "Title", "Table Header", "Footer", "Hyperlink")
    for name in (*names, "Masthead Period Char", "Masthead Issue Char"):
        assert not marks(name)[1], name
        assert marks(name)[0] > max(priorities), name
    for name in ("Heading 1 Continued", "Mechanism Continued", "Chart Title"):
        _, quick, hidden = marks(name)
        assert hidden and not quick, f"{name} is the PDF's: hidden in Word"
    assert marks("FollowedHyperlink")[2], "hidden until a link is followed, as in Word"
    assert not marks("Body")[2], "a style others are based on stays visible"


def test_each_column_section_ends_in_an_empty_paragraph_of_its_own(body):
    ends = [s.getparent().getparent() for s in body.findall(".//w:p/w:pPr/w:sectPr", NS)]
    assert len(ends) == 2
    for paragraph in ends:
        assert val(paragraph.find("w:pPr/w:pStyle", NS)) == "SectionBreak"
        assert text_of(paragraph) == "" and paragraph.find("w:r", NS) is None
    first, last = ends
    assert val(first.getprevious().find("w:pPr/w:pStyle", NS)) == "Heading1"
    assert val(first.getnext().find("w:pPr/w:pStyle", NS)) == "Mechanism"
    assert val(last.getprevious().find("w:pPr/w:pStyle", NS)) == "Event"


# -- package -------------------------------------------------------------------------------


def test_document_properties(docx_path, document_2020):
    core = docx.Document(str(docx_path)).core_properties
    info = document_2020.info
    assert (core.title, core.subject, core.author) == (info.title, info.subject, info.author)
    assert [k.strip() for k in core.keywords.split(";")] == list(info.keywords)
    assert core.language == info.language
    epoch = datetime.fromtimestamp(DEFAULT_EPOCH, UTC)  # the writer's, without options
    assert core.created == core.modified == epoch
    assert "python-docx" not in (core.comments + core.author + core.last_modified_by)


def test_fonts_are_embedded_and_obfuscated(parts, iscm):
    fonts = [n for n in parts if n.endswith(".odttf")]
    assert len(fonts) == 4
    table = etree.fromstring(parts["word/fontTable.xml"])
    family = iscm.spec.fonts["body"]
    font = table.find(f"w:font[@w:name='{family.family}']", NS)
    relationships = rels(parts, "word/fontTable.xml")
    faces = {
        "embedRegular": (False, False),
        "embedBold": (True, False),
        "embedItalic": (False, True),
        "embedBoldItalic": (True, True),
    }
    for tag, (bold, italic) in faces.items():
        embed = font.find(f"w:{tag}", NS)
        key = embed.get(W + "fontKey")
        target = relationships[embed.get(R_ID)].get("Target")
        data = parts[resolve("word/fontTable.xml", target)]
        guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
        plain = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32])) + data[32:]
        original = family.file(bold, italic).read_bytes()
        assert data[:32] != original[:32], "the font is obfuscated"
        assert plain == original
        assert TTFont(io.BytesIO(plain))["name"].getDebugName(1) == family.family
    settings = etree.fromstring(parts["word/settings.xml"])
    assert settings.find("w:embedTrueTypeFonts", NS) is not None


def test_no_leftovers_of_the_default_template(parts):
    names = set(parts)
    for leftover in ("stylesWithEffects", "thumbnail", "numbering", "webSettings"):
        assert not any(leftover in n for n in names), leftover
    # the template's sample custom XML is gone; the build's ledger for `bulletin pull` is in
    # the custom properties
    assert not any(n.startswith("customXml/") for n in names)
    assert b'name="bulletin.ledger.001"' in parts["docProps/custom.xml"]
    types = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {o.get("PartName") for o in types.findall("{*}Override")}
    defaults = {d.get("Extension") for d in types.findall("{*}Default")}
    for name in names - {"[Content_Types].xml"}:
        assert f"/{name}" in overrides or name.rpartition(".")[2] in defaults, name


def test_two_builds_are_identical_and_dated_by_the_build(
    document_2020, iscm, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1609459200")  # 2021-01-01T00:00:00Z
    first, second = (
        build(DATA, "2020", "iscm", tmp_path / name, ("docx",), lambda line: None)[0].path
        for name in ("a", "b")
    )
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert {i.date_time for i in infos} == {(2021, 1, 1, 0, 0, 0)}
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert docx.Document(str(first)).core_properties.created == datetime(2021, 1, 1, tzinfo=UTC)


def test_build_writes_the_word_file(tmp_path):
    written = build(DATA, "2020", "iscm", tmp_path, ("docx",), lambda line: None)
    assert [w.path.name for w in written] == ["iscm-highlights-2020.docx"]
    assert zipfile.is_zipfile(written[0].path)


# -- real clients --------------------------------------------------------------------------


def run(command: list[str], **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=180, **options)


FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
"""The only fonts LibreOffice may see in the conversion: the layout's typeface is not there."""


@pytest.fixture(scope="module")
def libreoffice(docx_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One LibreOffice run, with the layout's typeface hidden: the PDFs of a control file
    (the typeface named, not embedded) and of the 2020 Word file."""
    soffice = real_client("soffice")
    out_dir = tmp_path_factory.mktemp("lo")
    config = out_dir / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{FONT_FOLDER}</dir><cachedir>{out_dir}/cache</cachedir></fontconfig>"
    )
    control = out_dir / "control.docx"
    plain = docx.Document()
    plain.styles["Normal"].font.name = load_layout("iscm").spec.fonts["body"].family
    plain.add_paragraph("The typeface is named here, not embedded.")
    plain.save(str(control))
    profile = (out_dir / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    # the control first: fonts embedded in a file stay loaded for the rest of the run
    files = [str(control), str(docx_path)]
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    result = run([*command, "--outdir", str(out_dir), *files], env=env)
    pdfs = out_dir / "control.pdf", out_dir / f"{docx_path.stem}.pdf"
    assert all(pdf.is_file() for pdf in pdfs), result.stderr
    return pdfs


OFFICE_VERSIONS = ("office2010", "office2013", "office2016", "office2019", "office2021")
WORD_2010_ONLY = {"tblLook": "firstRow lastRow firstColumn lastColumn noHBand noVBand"}
"""What Word 2007's schema lacks: tblLook's named flags (Word 2010 writes them) and the table
alternative text (tblCaption, tblDescription). docs/docx.md: Word 2010 or later."""


def audit(files: list[Path], folder: Path, version: str) -> list[dict]:
    for path in files:
        (folder / path.name).write_bytes(path.read_bytes())
    command = [real_client(AUDIT), "-f", version, "-o", "json", "-r", str(folder)]
    return json.loads(run(command).stdout)


@pytest.mark.parametrize("version", [*OFFICE_VERSIONS, "microsoft365"])
def test_openxml_audit_finds_no_error_and_no_repair_from_word_2010_on(
    docx_path, large_print_path, tmp_path, version
):
    report = audit([docx_path, large_print_path], tmp_path, version)
    assert len(report) == 2
    for result in report:
        assert result["errors"] == [], result["errors"]
        assert result["verdict"]["prediction"] == "opens-clean", result["verdict"]
        assert result["valid"]


def test_for_word_2007_only_the_2010_table_markup_is_reported(docx_path, tmp_path):
    (result,) = audit([docx_path], tmp_path, "office2007")
    flags = set(WORD_2010_ONLY["tblLook"].split())
    for error in result["errors"]:
        if error["path"].endswith("tblLook[1]"):
            assert error["node"] in flags, error
        else:
            assert "'tblCaption'" in error["description"], error
    assert any("'tblCaption'" in e["description"] for e in result["errors"])


def test_ooxml_integrity_is_clean(docx_path, large_print_path):
    result = run([real_client(INTEGRITY), "check", str(docx_path), str(large_print_path)])
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("- clean") == 2, result.stdout


def test_libreoffice_shows_every_event_title_and_the_chart(libreoffice, document_2020):
    pdf = libreoffice[1]
    text = pdf_text(pdf, real_client("pdftotext"))  # words hyphenated at a line's end joined
    entries = [b for s in document_2020.sections for b in s.blocks]
    titles = [
        " ".join(r.text.split())
        for b in entries
        if isinstance(b, model.Group)
        for e in b.paragraphs
        for r in e.runs
        if r.style == "Event Title"
    ]
    assert titles and missing_texts(titles, text) == []
    chart = next(b for b in entries if isinstance(b, model.BarChart))
    assert missing_texts(chart.categories, text) == []


def test_libreoffice_uses_the_embedded_font_when_the_typeface_is_missing(libreoffice, iscm):
    family = iscm.spec.fonts["body"].family
    pdffonts = real_client("pdffonts")
    control, bulletin = (run([pdffonts, str(pdf)]).stdout for pdf in libreoffice)
    assert family not in control, "the typeface must really be hidden from LibreOffice"
    assert f"+{family}-Regular" in bulletin and f"+{family}-Bold" in bulletin


def test_mechanism_names_are_level_2_headings(
    styles: etree._Element, body: etree._Element, document_2020: model.Document
) -> None:
    """The Mechanism style is based on Heading 2, whose outline level (1: "Level 2") it
    inherits, so the navigation pane and screen readers reach every mechanism name."""

    def style(style_id: str) -> etree._Element:
        return styles.find(f"w:style[@w:styleId='{style_id}']", NS)

    assert val(style("Mechanism").find("w:basedOn", NS)) == "Heading2"
    assert val(style("Heading2").find("w:pPr/w:outlineLvl", NS)) == "1"
    assert style("Mechanism").find("w:pPr/w:outlineLvl", NS) is None  # inherited
    names = [
        text_of(p) for p in body.iter(W + "p") if val(p.find("w:pPr/w:pStyle", NS)) == "Mechanism"
    ]
    entries = [b for s in document_2020.sections for b in s.blocks]
    expected = [b.heading.text for b in entries if isinstance(b, model.Group)]
    assert names == expected


def test_the_word_writer_loads_no_presentation_or_spreadsheet_library():
    code = (
        "import sys, generator.writers.docx; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pptx', 'xlsxwriter')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


def test_the_ledger_read_back_is_the_one_written(docx_path, document_2020, iscm):
    """The file keeps its ledger compacted (see marks.stored_ledger); reading it gives back
    every mark, name, paragraph and text the writer recorded."""
    from generator.writers.docx.reader import read_edited
    from generator.writers.docx.writer import docx_ledger

    written = json.loads(json.dumps(docx_ledger(document_2020, iscm)))
    read = read_edited(docx_path).ledger
    assert read is not None
    assert read.pop("alternative")  # recorded from the finished body only
    written.pop("alternative")
    assert read == written
    assert len(written["marks"]) > 100


def test_a_new_page_with_the_continued_heading_where_the_pdf_begins_one(issue_2020) -> None:
    """Where the screen PDF begins a large-print page with the events' "(continued)"
    heading at a mechanism or an event, the Word file begins a new page with that heading
    (and the mechanism's own before an event): kept with what follows, out of the outline
    (body text), in a style without the rule of Heading 1; nowhere else."""
    from generator.kinds.iscm.compose import compose
    from generator.writers.pdf.writer import write_pdf

    layout = load_layout("large-print")
    document = compose(issue_2020, layout)
    rendered = write_pdf(document, layout, io.BytesIO(), False)
    assert len(rendered.page_starts) >= 3
    target = io.BytesIO()
    write_docx(document, layout, target, page_starts=rendered.page_starts)
    body = docx.Document(target).element.body
    new_page = f"{W_PPR}/{qn('w:pageBreakBefore')}"
    new_pages = [p for p in body.iter(qn("w:p")) if p.find(new_page) is not None]
    (section,) = [s for s in document.sections if s.continued]
    assert [_text(p) for p in new_pages] == [section.continued.text] * len(rendered.page_starts)
    for paragraph in new_pages:
        properties = paragraph.find(W_PPR)
        assert properties.find(qn("w:keepNext")) is not None
        assert properties.find(qn("w:outlineLvl")).get(qn("w:val")) == "9"
    in_events = sum(1 for _, event in rendered.page_starts if event > 0)
    rule = 'w:style[@w:styleId="Heading1Continued"]/w:pPr/w:pBdr/w:bottom[@w:val="nil"]'
    styles = docx.Document(target).styles.element
    assert styles.xpath(rule), "the style has no rule below"
    mechanisms = [p for p in body.iter(qn("w:p")) if _text(p).endswith("(continued)")]
    assert len(mechanisms) == len(new_pages) + in_events
    plain = io.BytesIO()
    write_docx(document, layout, plain)
    shown = docx.Document(plain).element.body.iter(qn("w:p"))
    assert "(continued)" not in "".join(_text(p) for p in shown)


def test_in_columns_the_continued_heading_is_a_section_on_a_new_page(issue_2020) -> None:
    """Where the screen PDF begins a page of the events' columns with their "(continued)"
    heading across them (here: at a mechanism's heading, and at its second event), the Word
    file ends the columns before (a continuous section of two columns), sets the heading as
    a section of one column that begins a new page, and goes on with the columns (the
    mechanism's "(continued)" line first before an event)."""
    from generator.kinds.iscm.compose import compose

    layout = load_layout("iscm")
    document = compose(issue_2020, layout)
    (section,) = [s for s in document.sections if s.continued]
    assert section.continued is not None
    groups = [b for b in section.blocks if isinstance(b, model.Group) and len(b.paragraphs) > 1]
    starts = {(groups[2].key, 0): groups[2].heading, (groups[5].key, 2): groups[5].continued}
    target = io.BytesIO()
    write_docx(document, layout, target, page_starts=frozenset(starts))
    body = docx.Document(target).element.body
    headings = [p for p in body.iter(qn("w:p")) if _text(p) == section.continued.text]
    assert len(headings) == 2
    for heading, following in zip(headings, starts.values(), strict=True):
        own = heading.find(f"{W_PPR}/{qn('w:sectPr')}")
        assert own is not None and own.find(qn("w:type")) is None  # a new page
        assert own.find(qn("w:cols")).get(qn("w:num")) is None  # one column
        assert heading.find(f"{W_PPR}/{qn('w:pageBreakBefore')}") is None
        before = heading.getprevious().find(f"{W_PPR}/{qn('w:sectPr')}")
        assert before.find(qn("w:type")).get(qn("w:val")) == "continuous"
        assert before.find(qn("w:cols")).get(qn("w:num")) == "2"
        assert _text(heading.getnext()) == following.text
    plain = io.BytesIO()
    write_docx(document, layout, plain)
    sections = docx.Document(plain).element.body.iter(qn("w:sectPr"))
    assert len(list(sections)) == len(list(body.iter(qn("w:sectPr")))) - 4


W_PPR = qn("w:pPr")


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def test_with_no_top_margin_the_masthead_text_stands_out_to_carry_the_band_to_the_edges(
    document_2020, tmp_path
):
    """A layout with no top margin leaves page 1 no room for the header that holds the band's
    picture: the masthead's text stands out of the body's column by what Word's widest
    border (43 pt) cannot cover of the side margins, so the band still reaches the edges."""
    folder = tmp_path / "layouts" / "no-top-margin"
    folder.mkdir(parents=True)
    (folder / "layout.yaml").write_text("extends: iscm\npage: {margins_mm: {top: 0}}\n")
    layout = load_layout("no-top-margin", project=tmp_path)
    page = layout.page
    assert page.margins_mm.top == 0 and page.margins_mm.left == 18
    target = tmp_path / "no-top-margin.docx"
    write_docx(document_2020, layout, target)
    word = docx.Document(str(target))
    assert not word.sections[0].different_first_page_header_footer
    with zipfile.ZipFile(target) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
        styles = etree.fromstring(archive.read("word/styles.xml"))
    properties = style_named(styles, "Masthead Publisher").find("w:pPr", NS)
    indent = properties.find("w:ind", NS)
    for side in ("left", "right"):
        margin = getattr(page.margins_mm, side) * MM
        assert abs(-int(val(indent, side)) / 20 - (margin - 43)) < 0.1, side
    text_width = (page.size_mm[0] - page.margins_mm.left - page.margins_mm.right) * MM
    (stop,) = properties.findall("w:tabs/w:tab", NS)
    assert abs(int(val(stop, "pos")) / 20 - (text_width + page.margins_mm.right * MM - 43)) < 0.1


def _groups_in_columns(document: model.Document) -> list[model.Group]:
    found = []
    for section in document.sections:
        if section.columns > 1:
            found += [b for b in section.blocks if isinstance(b, model.Group)]
    return found


def test_columns_break_before_the_heading_or_event_that_opens_the_pdfs_column(
    document_2020: model.Document, iscm: Layout, tmp_path: Path
) -> None:
    """Where the PDF opens a column with a mechanism's heading, or with an event after its
    "(continued)" heading, the Word file has a column break before that name or event, and
    nowhere else."""
    groups = [g for g in _groups_in_columns(document_2020) if len(g.paragraphs) > 1]
    headed, inside = groups[1], groups[-1]
    starts = frozenset({(headed.key, 0), (inside.key, 2)})
    target = tmp_path / "out.docx"
    write_docx(
        document_2020, iscm, target, column_starts=starts, column_placed=frozenset({headed.key})
    )
    body = etree.fromstring(zipfile.ZipFile(target).read("word/document.xml"))
    broken = body.xpath("//w:p[w:r/w:br[@w:type='column']]", namespaces=NS)
    texts = ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in broken]
    assert texts == [headed.heading.text, inside.paragraphs[1].text]
