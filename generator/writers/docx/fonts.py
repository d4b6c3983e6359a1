"""Font embedding: the layout's TrueType files as obfuscated Word fonts (ECMA-376 §17.8.1).

An editor without the typeface still sees it: Word and LibreOffice read the fonts embedded
in word/fonts/, each obfuscated with its own GUID key, listed in word/fontTable.xml.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache
from pathlib import Path

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import OxmlElement
from lxml.etree import _Element

from ... import model
from ...fontcache import Stamp, file_stamp
from ...layout import Layout
from ...layout_spec import FontFamily
from .ooxml import element
from .package import new_part, replace_part

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FACES = (
    ("w:embedRegular", False, False),
    ("w:embedBold", True, False),
    ("w:embedItalic", False, True),
    ("w:embedBoldItalic", True, True),
)
"""Word's four faces of a family: the element naming each, bold, italic."""


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key's GUID bytes, last first (its own inverse)."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ guid[i % 16] for i, byte in enumerate(data[:32]))
    return head + data[32:]


def embedded_font(path: Path) -> tuple[str, bytes]:
    """A font file's key (a GUID from its content, so builds repeat) and obfuscated bytes."""
    return _embedded_font(path, file_stamp(path))


@lru_cache(maxsize=16)
def _embedded_font(path: Path, stamp: Stamp) -> tuple[str, bytes]:
    """`embedded_font` of the file as it is now (its stamp)."""
    data = path.read_bytes()
    key = uuid.uuid5(uuid.NAMESPACE_OID, hashlib.sha256(data).hexdigest())
    braced = "{" + str(key).upper() + "}"
    return braced, obfuscate(data, braced)


def embed_fonts(document: WordDocument, layout: Layout) -> int:
    """Replace the font table with the layout's families, each face embedded; the face count."""
    package = document.part.package
    fonts = OxmlElement("w:fonts", nsdecls={prefix: nsmap[prefix] for prefix in ("w", "r")})
    table = XmlPart(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, fonts, package)
    count = 0
    for family in _families(layout):
        font = element("w:font", name=family.family)
        font.extend([element("w:charset", val="00"), element("w:family", val="auto")])
        font.append(element("w:pitch", val="variable"))
        for tag, bold, italic in FACES:
            count += 1
            font.append(_embed(table, tag, family.file(bold, italic), count))
        fonts.append(font)
    replace_part(document.part, RT.FONT_TABLE, table)
    return count


def load_fonts(layout: Layout) -> None:
    """Read, key and compress each face of the layout's families ahead (the Word file's
    process does it while the data is checked): the bytes a Word file of this layout embeds.
    The widths are read by `prepare_fonts`, of the faces the document measures only."""
    from .package import deflated

    for family in _families(layout):
        for _, bold, italic in FACES:
            deflated(embedded_font(family.file(bold, italic))[1])


def prepare_fonts(document: model.Document, layout: Layout) -> None:
    """What a Word file of this document needs of its fonts, ahead: each face read, keyed
    and compressed, and the widths of the faces that estimate its groups' paragraphs (the
    other faces are never measured)."""
    from .measure import face_widths
    from .package import deflated

    for family in _families(layout):
        for _, bold, italic in FACES:
            deflated(embedded_font(family.file(bold, italic))[1])
    measured = {
        paragraph.style
        for section in document.sections
        for block in section.blocks
        if isinstance(block, model.Group)
        for paragraph in block.paragraphs
    }
    for name in sorted(measured):
        style = layout.style(name)
        face_widths(layout.spec.fonts[style.font], style.bold, style.italic)


def _families(layout: Layout) -> list[FontFamily]:
    """The layout's font families, each once, in the order the layout gives them."""
    seen: dict[str, FontFamily] = {}
    for family in layout.spec.fonts.values():
        seen.setdefault(family.family, family)
    return list(seen.values())


def _embed(table: Part, tag: str, path: Path, number: int) -> _Element:
    """One face as a font part related from the font table, and the element naming it."""
    key, blob = embedded_font(path)
    part = new_part(table.package, f"/word/fonts/font{number}.odttf", OBFUSCATED_FONT, blob)
    face = element(tag, fontKey=key)
    face.set(qn("r:id"), table.relate_to(part, RT.FONT))
    return face
