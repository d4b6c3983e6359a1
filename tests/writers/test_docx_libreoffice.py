"""The Word file after LibreOffice opens and saves it (as .docx, and through .odt): what
docs/docx.md ("Working in LibreOffice") promises survives. Two soffice runs in all."""

from __future__ import annotations

import zipfile
from collections import Counter
from urllib.parse import unquote

import pytest
from lxml import etree

from generator import model
from generator.layout import load_layout
from generator.writers.docx import write_docx
from tests.conftest import real_client
from tests.writers.test_docx import NS, R_ID, W, model_paragraphs, rels, resolve, run, text_of, val

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def saved(
    tmp_path_factory: pytest.TempPathFactory, document_2020: model.Document
) -> dict[str, dict[str, bytes]]:
    """The 2020 Word file saved by LibreOffice as .docx, and as .odt then .docx again."""
    soffice = real_client("soffice")
    folder = tmp_path_factory.mktemp("lo-saved")
    original = folder / "bulletin.docx"
    write_docx(document_2020, load_layout("iscm"), original, pages=4)
    first, second = folder / "first", folder / "second"
    first.mkdir()
    (first / "as-docx.docx").write_bytes(original.read_bytes())
    (first / "via-odt.docx").write_bytes(original.read_bytes())
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    convert = [soffice, profile, "--headless", "--convert-to"]
    result = run([*convert, "odt", "--outdir", str(second), str(first / "via-odt.docx")])
    assert (second / "via-odt.odt").is_file(), result.stderr
    (second / "as-docx.docx").write_bytes((first / "as-docx.docx").read_bytes())
    files = [str(second / "as-docx.docx"), str(second / "via-odt.odt")]
    out = folder / "out"
    result = run([*convert, "docx:MS Word 2007 XML", "--outdir", str(out), *files])
    found = {}
    for name in ("as-docx", "via-odt"):
        path = out / f"{name}.docx"
        assert path.is_file(), result.stderr
        with zipfile.ZipFile(path) as archive:
            found[name] = {n: archive.read(n) for n in archive.namelist()}
    return found


ROUTES = ["as-docx", "via-odt"]


def body_of(parts: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(parts["word/document.xml"]).find("w:body", NS)


def styled_texts(body: etree._Element) -> list[tuple[str, str]]:
    """Every paragraph with text, outside tables: its style id and its text."""
    found = []
    for paragraph in body.iter(W + "p"):
        text = text_of(paragraph)
        if text.strip() and not any(a.tag == W + "tbl" for a in paragraph.iterancestors()):
            found.append((val(paragraph.find("w:pPr/w:pStyle", NS)), text))
    return found


@pytest.mark.parametrize("route", ROUTES)
def test_text_and_paragraph_styles_survive_in_order(saved, route, document_2020):
    texts = styled_texts(body_of(saved[route]))
    expected = [
        (p.style.replace(" ", ""), p.text)
        for p in model_paragraphs(document_2020)
        if p.style.startswith(("Mechanism", "Event", "Feature", "Publication", "Closing"))
    ]
    kept = [item for item in texts if item[0] in {style for style, _ in expected}]
    assert kept == expected


@pytest.mark.parametrize("route", ROUTES)
def test_table_cells_survive(saved, route, document_2020):
    body = body_of(saved[route])
    tables = [b for s in document_2020.sections for b in s.blocks if isinstance(b, model.Table)]
    word = body.findall("w:tbl", NS)
    assert len(word) == len(tables)
    for table, grid in zip(tables, word, strict=True):
        rows = [[text_of(p) for p in row.findall("w:tc/w:p", NS)] for row in grid]
        rows = [row for row in rows if row]
        assert rows == [list(table.header), *([c.text for c in r.cells] for r in table.rows)]


@pytest.mark.parametrize("route", ROUTES)
def test_the_events_stay_in_a_two_column_continuous_section(saved, route):
    body = body_of(saved[route])
    columns = []
    for paragraph in body.iter(W + "p"):
        section = paragraph.find("w:pPr/w:sectPr", NS)
        style = val(paragraph.find("w:pPr/w:pStyle", NS))
        if style in ("Mechanism", "Event"):
            columns.append(None)  # the section it is in is the next one ended
        if section is not None:
            number = val(section.find("w:cols", NS), "num")
            columns = [c if c else (number, val(section.find("w:type", NS))) for c in columns]
    assert columns and set(columns) == {("2", "continuous")}


def _footers_shown(parts: dict[str, bytes]) -> set[str]:
    """The footer parts a page shows: each section's default one, its first page's where it
    has a title page, and its even pages' only where the settings ask for them (LibreOffice
    25 writes an empty even-page footer that no page shows)."""
    settings = etree.fromstring(parts["word/settings.xml"])
    even = settings.find("w:evenAndOddHeaders", NS)
    both = even is not None and even.get(W + "val", "true") not in ("0", "false", "off")
    relationships = rels(parts, "word/document.xml")
    shown = set()
    for section in body_of(parts).iter(W + "sectPr"):
        title_page = section.find("w:titlePg", NS) is not None
        kinds = {"default"} | ({"first"} if title_page else set()) | ({"even"} if both else set())
        for reference in section.findall("w:footerReference", NS):
            if reference.get(W + "type") in kinds:
                target = relationships[reference.get(R_ID)].get("Target")
                shown.add(resolve("word/document.xml", target))
    return shown


@pytest.mark.parametrize("route", ROUTES)
def test_links_fields_and_embedded_fonts_survive(saved, route, document_2020):
    parts = saved[route]
    relationships = rels(parts, "word/document.xml")
    links = body_of(parts).iter(W + "hyperlink")
    targets = [unquote(relationships[h.get(R_ID)].get("Target")) for h in links]
    # LibreOffice writes an escaped character of an address as itself (%20 as a space)
    assert Counter(targets) == Counter(unquote(url) for url in document_2020.urls)
    footers = _footers_shown(parts)
    assert footers
    for name in footers:  # page 1's own footer, and that of every other page
        codes = [
            " ".join(t.text.split())
            for t in etree.fromstring(parts[name]).iter(W + "instrText")
            if t.text and t.text.strip()
        ]
        assert codes == ["PAGE", "NUMPAGES"], name
    family = load_layout("iscm").spec.fonts["body"].family
    table = etree.fromstring(parts["word/fontTable.xml"])
    font = table.find(f"w:font[@w:name='{family}']", NS)
    for face in ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic"):
        embedded = font.find(f"w:{face}", NS)
        target = rels(parts, "word/fontTable.xml")[embedded.get(R_ID)].get("Target")
        assert len(parts[resolve("word/fontTable.xml", target)]) > 100_000, face
    assert etree.fromstring(parts["word/settings.xml"]).find("w:embedTrueTypeFonts", NS) is not None


@pytest.mark.parametrize("route", ROUTES)
def test_the_feature_box_stays_in_its_styles_and_the_chart_keeps_its_data(
    saved, route, document_2020
):
    parts = saved[route]
    styles = etree.fromstring(parts["word/styles.xml"])
    for ident in ("FeatureTitle", "FeatureText"):
        style = styles.find(f"w:style[@w:styleId='{ident}']", NS)
        assert style.find("w:pPr/w:pBdr/w:left", NS) is not None
        assert style.find("w:pPr/w:shd", NS) is not None
    chart = next(
        b for s in document_2020.sections for b in s.blocks if isinstance(b, model.BarChart)
    )
    (name,) = [n for n in parts if n.startswith("word/charts/chart") and n.endswith(".xml")]
    space = etree.fromstring(parts[name])
    categories = [v.text for v in space.findall(".//c:cat//c:pt/c:v", NS)]
    values = [int(float(v.text)) for v in space.findall(".//c:val//c:pt/c:v", NS)]
    assert (categories, values) == (list(chart.categories), list(chart.values))


def test_saved_as_docx_the_chart_workbook_and_the_theme_survive(saved):
    parts = saved["as-docx"]
    (name,) = [n for n in parts if n.startswith("word/charts/chart") and n.endswith(".xml")]
    space = etree.fromstring(parts[name])
    workbook = rels(parts, name)[space.find("c:externalData", NS).get(R_ID)].get("Target")
    assert resolve(name, workbook) in parts, "Edit Data still works in Word"
    theme = etree.fromstring(parts["word/theme/theme1.xml"])
    accent = theme.find(f"{A}themeElements/{A}clrScheme/{A}dk2/{A}srgbClr")
    brand = load_layout("iscm").spec.colours["brand"].rgb.lstrip("#")
    assert accent.get("val").upper() == brand.upper()  # hex digits: either case


@pytest.mark.parametrize("route", ROUTES)
def test_page_ones_header_with_the_band_above_the_text_survives(saved, route):
    """The first section keeps a first page of its own, whose header holds the paragraph
    in the band's top style, and that style keeps its height and colour."""
    parts = saved[route]
    first = next(body_of(parts).iter(W + "sectPr"))
    assert first.find("w:titlePg", NS) is not None
    relationships = rels(parts, "word/document.xml")
    (reference,) = first.findall("w:headerReference[@w:type='first']", NS)
    header = resolve("word/document.xml", relationships[reference.get(R_ID)].get("Target"))
    styles = [val(p) for p in etree.fromstring(parts[header]).iter(W + "pStyle")]
    assert styles == ["MastheadBandTop"]
    style = etree.fromstring(parts["word/styles.xml"]).find(
        "w:style[@w:styleId='MastheadBandTop']", NS
    )
    spacing = style.find("w:pPr/w:spacing", NS)
    layout = load_layout("iscm")
    top = round(layout.page.margins_mm.top * 72 / 25.4 * 20)
    assert (val(spacing, "lineRule"), int(val(spacing, "line"))) == ("exact", top)
    fill = val(style.find("w:pPr/w:shd", NS), "fill")
    assert fill == layout.spec.colours[layout.page.masthead_background].rgb.lstrip("#")
