"""The Word theme from the layout: its colour scheme and font scheme (Design > Colors, Fonts).

Styles, the masthead, the tables and the chart name theme colours (`w:themeColor`,
`w:themeFill`, `a:schemeClr`) besides their RGB values, and text names the theme's fonts:
choosing other theme colours or fonts in Word restyles the whole issue at once.
"""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from ...layout import Layout
from .package import new_part, replace_part

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
SLOTS = {
    "dark_1": "dk1",
    "light_1": "lt1",
    "dark_2": "dk2",
    "light_2": "lt2",
    "accent_1": "accent1",
    "accent_2": "accent2",
    "accent_3": "accent3",
    "accent_4": "accent4",
    "accent_5": "accent5",
    "accent_6": "accent6",
    "hyperlink": "hlink",
    "followed_hyperlink": "folHlink",
}
"""The layout's theme keys -> the slots of the DrawingML colour scheme, in schema order."""

WORD_NAMES = {
    "dk1": "dark1",
    "lt1": "light1",
    "dk2": "dark2",
    "lt2": "light2",
    "hlink": "hyperlink",
    "folHlink": "followedHyperlink",
}
"""How WordprocessingML names the slots that DrawingML abbreviates (w:themeColor)."""

CHART_NAMES = {"dk1": "tx1", "lt1": "bg1", "dk2": "tx2", "lt2": "bg2"}
"""How a chart names them (a:schemeClr, through the document's colour map)."""

MAJOR, MINOR = "Heading 1", "Normal"
"""The styles whose fonts are the theme's heading (major) and body (minor) fonts."""


class Theme:
    """The layout's colours as theme slots, and the theme part built from them."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.slots: dict[str, str] = {}
        for key, slot in SLOTS.items():
            self.slots.setdefault(getattr(layout.spec.theme, key), slot)

    def slot(self, colour: str) -> str | None:
        """The DrawingML slot holding a layout colour (the first listed), or None."""
        return self.slots.get(colour)

    def word_colour(self, colour: str, prefer: str | None = None) -> str | None:
        """The w:themeColor value for a layout colour, or None if the theme lacks it;
        `prefer`: a theme key (hyperlink) to name if it holds this colour."""
        slot = self.slot(colour)
        if prefer and getattr(self.layout.spec.theme, prefer) == colour:
            slot = SLOTS[prefer]
        return WORD_NAMES.get(slot, slot) if slot else None

    def chart_colour(self, colour: str) -> str | None:
        """The a:schemeClr value a chart uses for a layout colour, or None."""
        slot = self.slot(colour)
        return CHART_NAMES.get(slot, slot) if slot else None

    def font_family(self, major: bool) -> str:
        """The family of the theme's heading (major) or body (minor) font."""
        styles = self.layout.styles
        name = MAJOR if major and MAJOR in styles else MINOR
        return self.layout.spec.fonts[styles[name].font].family

    def font_reference(self, family: str) -> str | None:
        """'minor' or 'major' if a family is one of the theme's fonts (body first), or None."""
        for kind, major in (("minor", False), ("major", True)):
            if self.font_family(major) == family:
                return kind
        return None

    def write(self, document: WordDocument) -> None:
        """Replace the template's theme part with one made from the layout."""
        package = document.part.package
        old = document.part.part_related_by(RT.THEME)
        root = etree.fromstring(old.blob)
        root.set("name", self.layout.name)
        self._colour_scheme(root)
        self._font_scheme(root)
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        replace_part(
            document.part, RT.THEME, new_part(package, str(old.partname), CT.OFC_THEME, blob)
        )

    def _colour_scheme(self, root: etree._Element) -> None:
        scheme = root.find(f"{{{A}}}themeElements/{{{A}}}clrScheme")
        scheme.set("name", self.layout.name)
        for child in list(scheme):
            scheme.remove(child)
        for key, slot in SLOTS.items():
            rgb = self.layout.spec.colours[getattr(self.layout.spec.theme, key)].rgb
            holder = etree.SubElement(scheme, f"{{{A}}}{slot}")
            etree.SubElement(holder, f"{{{A}}}srgbClr", val=rgb.lstrip("#"))

    def _font_scheme(self, root: etree._Element) -> None:
        scheme = root.find(f"{{{A}}}themeElements/{{{A}}}fontScheme")
        scheme.set("name", self.layout.name)
        for tag, major in (("majorFont", True), ("minorFont", False)):
            latin = scheme.find(f"{{{A}}}{tag}/{{{A}}}latin")
            latin.set("typeface", self.font_family(major))
