"""Pages of the Word file: size and margins, column sections, the running footer, and page
1's header that carries the masthead band up to the top edge and out to the side edges."""

from __future__ import annotations

import copy
import struct
import zlib

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.section import Section as WordSection
from docx.shared import Emu, Mm, Pt
from lxml.etree import _Element

from ...layout import Layout
from ...layout_spec import MM
from ...model import PAGE, PAGES, PageFooter
from .masthead import TOP_STYLE, Band
from .ooxml import EMU_PER_PT, element, twips
from .package import new_part
from .styles import WordStyles

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIELDS = {PAGE: "PAGE", PAGES: "NUMPAGES"}
"""The footer's page-label parts that Word fills in as fields."""

BAND_PICTURE_ID = 1_000_000
"""The band picture's drawing id (wp:docPr's, unique in the file: the charts count from 1)."""
BAND_PICTURE = "/word/media/masthead-band.png"
DECORATIVE = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
"""The extension that marks a drawing decorative (Word: Alt Text > Mark as decorative)."""
BAND_DRAWING = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<w:drawing>"
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="0"'
    ' behindDoc="1" locked="1" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{number}" name="Masthead band" descr="">'
    '<a:extLst><a:ext uri="{decorative}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"'
    ' val="1"/></a:ext></a:extLst></wp:docPr>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="0"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="{number}" name="Masthead band"/><pic:cNvPicPr/>'
    '</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
    '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
)
"""A run holding the band's picture: anchored to the page's top left corner, behind the
text, locked, no text wrapping round it, decorative (no alternative text to read)."""


class PageGeometry:
    """The page of a layout in points: text width, column width for a number of columns."""

    def __init__(self, layout: Layout) -> None:
        page = layout.page
        self.width = page.size_mm[0] * MM
        self.height = page.size_mm[1] * MM
        self.left = page.margins_mm.left * MM
        self.right = page.margins_mm.right * MM
        self.top = page.margins_mm.top * MM
        self.text_width = self.width - self.left - self.right
        self.gap = page.column_gap_mm * MM
        self.masthead = page.masthead_height_mm * MM

    def column_width(self, columns: int) -> float:
        """The width of one column when the text width is split into `columns`."""
        return (self.text_width - self.gap * (columns - 1)) / columns


def set_up_page(document: WordDocument, layout: Layout) -> WordSection:
    """Page size and margins from the layout; the footer sits two of its lines below the text."""
    section = document.sections[0]
    page = layout.page
    section.page_width, section.page_height = Mm(page.size_mm[0]), Mm(page.size_mm[1])
    margins = page.margins_mm
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    footer = layout.style("Footer")
    section.footer_distance = Pt(max(margins.bottom * MM - 2 * footer.leading, 0))
    return section


def set_columns(section: _Element, columns: int, layout: Layout, continuous: bool) -> None:
    """Give a w:sectPr its columns (with the layout's gap) and how it starts."""
    cols = section.find(qn("w:cols"))
    cols.attrib.clear()
    if columns > 1:
        cols.set(qn("w:num"), str(columns))
    cols.set(qn("w:space"), twips(layout.page.column_gap_mm * MM))
    kind = section.find(qn("w:type"))
    if kind is not None:
        section.remove(kind)
    if continuous:
        section.insert(_after_references(section), element("w:type", val="continuous"))


def _after_references(section: _Element) -> int:
    """The position after a w:sectPr's header and footer references."""
    tags = (qn("w:headerReference"), qn("w:footerReference"))
    return sum(1 for child in section if child.tag in tags)


def end_section(
    body: _Element, paragraph: _Element, columns: int, layout: Layout, continuous: bool
) -> None:
    """End a section at `paragraph` with a copy of the body's w:sectPr, set to `columns`;
    `continuous`: the section began on the page before it ended (else on a page of its own)."""
    section = copy.deepcopy(body.find(qn("w:sectPr")))
    set_columns(section, columns, layout, continuous=continuous)
    paragraph.get_or_add_pPr().append(section)


def write_footer(section: WordSection, footer: PageFooter, styles: WordStyles, pages: int) -> None:
    """The footer of every page (page 1's own too, if it has one; see `band_to_top_edge`)."""
    _footer(section.footer._element, footer, styles, pages)


def band_to_top_edge(
    section: WordSection, footer: PageFooter, styles: WordStyles, pages: int
) -> None:
    """Carry the masthead band up to the top edge of page 1, in the first section: page 1
    gets a header of its own ("Different first page", at no distance from the edge) holding
    one empty paragraph in the band's top style, with the band's picture out to the side
    edges (`band_picture`), and a footer of its own that is the footer of every other page."""
    section.different_first_page_header_footer = True
    section.header_distance = Emu(0)
    header = section.first_page_header._element
    for child in list(header):
        header.remove(child)
    paragraph = header.add_p()
    paragraph.append(element("w:pPr", [element("w:pStyle", val=styles.paragraph(TOP_STYLE))]))
    if styles.band is not None:
        picture = band_picture(styles.band, styles, section.first_page_header.part)
        paragraph.append(picture)
    _footer(section.first_page_footer._element, footer, styles, pages)


def band_picture(band: Band, styles: WordStyles, header: Part) -> _Element:
    """A run holding the band's picture (see masthead.py): one pixel in the band's colour,
    stretched over the page's width from the top edge to the band's bottom."""
    blob = one_pixel_png(styles.colour(band.colour))
    picture = new_part(header.package, BAND_PICTURE, CT.PNG, blob)
    size = {"cx": round(band.width * EMU_PER_PT), "cy": round(band.depth * EMU_PER_PT)}
    rid = header.relate_to(picture, RT.IMAGE)
    return parse_xml(
        BAND_DRAWING.format(number=BAND_PICTURE_ID, decorative=DECORATIVE, rid=rid, **size)
    )


def one_pixel_png(colour: str) -> bytes:
    """A PNG picture of one pixel in a colour (RRGGBB): 8-bit RGB, no filter."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes.fromhex(colour))
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _footer(container: _Element, footer: PageFooter, styles: WordStyles, pages: int) -> None:
    """A footer's paragraph: its text, then at the Footer style's right tab the page label,
    with PAGE and NUMPAGES fields whose saved results are page 1 and `pages`."""
    for child in list(container):
        container.remove(child)
    paragraph = container.add_p()
    paragraph.append(element("w:pPr", [element("w:pStyle", val=styles.paragraph("Footer"))]))
    paragraph.add_r().text = f"{footer.text}\t"
    results = {PAGE: "1", PAGES: str(pages)}
    for part in footer.page_label:
        if part in FIELDS:
            _field(paragraph, FIELDS[part], results[part])
        else:
            paragraph.add_r().text = part


def show_page_count(footer: _Element, pages: int) -> None:
    """Set the saved result of a footer's NUMPAGES fields (see `_field`) to `pages`."""
    for code in footer.iter(qn("w:instrText")):
        if (code.text or "").strip() == FIELDS[PAGES]:
            separate = code.getparent().getnext()
            separate.getnext().find(qn("w:t")).text = str(pages)


def _field(paragraph: _Element, instruction: str, result: str) -> None:
    """A complex field (begin, instruction, separate, its saved result, end): Word shows the
    result until it updates the field, and programs that do not update fields always."""
    paragraph.add_r().append(element("w:fldChar", fldCharType="begin"))
    code = element("w:instrText")
    code.text = f" {instruction} "
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    paragraph.add_r().append(code)
    paragraph.add_r().append(element("w:fldChar", fldCharType="separate"))
    paragraph.add_r().text = result
    paragraph.add_r().append(element("w:fldChar", fldCharType="end"))
