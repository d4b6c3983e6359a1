"""The layout's style sheet -> Word styles: paragraph, character and table styles, defaults.

Every look comes from the layout. A paragraph style is written as its differences from its
`parent` (w:basedOn), so an editor who changes "Normal" changes every style built on it.
"""

from __future__ import annotations

import re

from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml.etree import _Element

from ...layout import Layout
from ...layout_spec import CharacterStyle, Style, TableStyle
from .ooxml import element, half_points, twips

TEMPLATE_STYLES = ("Default Paragraph Font", "Normal Table", "No List")
"""Styles of the base template that Word expects to find; every other one is removed."""

BUILT_IN = ("Normal", "Title", "Hyperlink", "Strong", "Emphasis")
"""Word's own styles (besides the headings, header and footer) that a layout may redefine."""

OUTLINE_LEVELS = {"Heading 1": 0, "Heading 2": 1}
"""Word's built-in headings, shown in the navigation pane (0 is the top level)."""

BODY_TEXT_LEVEL = 9
"""Word's outline level of a paragraph that is not in the outline."""

RULE_EIGHTHS = 10
"""Width of a rule, in eighths of a point (the layout gives rules a colour, not a width)."""

RULE_SPACE_PT = 2
"""Distance between a paragraph's text and its rule below, in points."""

ALIGNMENT = {"left": "left", "right": "right", "centre": "center", "justify": "both"}


def outline_level(layout: Layout, name: str) -> int:
    """The outline level a paragraph style gives (from a heading it is based on), or body text."""
    while name not in OUTLINE_LEVELS:
        parent = layout.style(name).parent
        if parent is None:
            return BODY_TEXT_LEVEL
        name = parent
    return OUTLINE_LEVELS[name]


class UndefinedStyleError(LookupError):
    """The writer asked for a style that the document does not define."""


def style_id(name: str) -> str:
    """Word's style id for a style name: its letters and digits ("Heading 1" -> "Heading1")."""
    return re.sub(r"[^A-Za-z0-9]", "", name)


class WordStyles:
    """The styles of a Word document, built from a layout; looking up an unknown one raises."""

    def __init__(self, document: WordDocument, layout: Layout, language: str) -> None:
        self.layout = layout
        self.ids: dict[tuple[str, str], str] = {}
        root = document.styles.element
        self.template: dict[str, str] = {}
        for old in root.findall(qn("w:style")):
            if _ui_name(old) in TEMPLATE_STYLES:
                self.template[_ui_name(old)] = old.get(qn("w:styleId"))
            else:
                root.remove(old)
        root.remove(root.find(qn("w:docDefaults")))
        root.insert(0, self._defaults(language))
        for style in layout.styles.values():
            root.append(self._paragraph_style(style))
        for name, character in layout.spec.character_styles.items():
            root.append(self._character_style(name, character))
        for name, table in layout.spec.tables.items():
            root.append(self._table_style(name, table))

    # -- look-ups ----------------------------------------------------------------------

    def paragraph(self, name: str) -> str:
        """The id of the named paragraph style."""
        return self._id("paragraph", name)

    def character(self, name: str) -> str:
        """The id of the named character style."""
        return self._id("character", name)

    def table(self, name: str) -> str:
        """The id of the named table style."""
        return self._id("table", name)

    def _id(self, kind: str, name: str) -> str:
        try:
            return self.ids[(kind, name)]
        except KeyError:
            raise UndefinedStyleError(
                f"the Word document has no {kind} style '{name}': define it in the layout"
            ) from None

    def colour(self, name: str) -> str:
        """A layout colour as Word writes it (RRGGBB)."""
        return self.layout.spec.colours[name].rgb.lstrip("#")

    # -- definitions -------------------------------------------------------------------

    def _declare(self, kind: str, name: str, **flags: str) -> _Element:
        """A w:style element of a kind, named as Word names its built-in styles."""
        ident = style_id(name)
        if not ident or ident in self.ids.values() or ident in self.template.values():
            raise UndefinedStyleError(f"style '{name}' has no distinct Word id")
        self.ids[(kind, name)] = ident
        node = element("w:style", type=kind, styleId=ident, **flags)
        node.append(element("w:name", val=BabelFish.ui2internal(name)))
        return node

    def _defaults(self, language: str) -> _Element:
        """Document defaults: the Normal font and the language, widow and orphan control."""
        if "Normal" not in self.layout.styles:
            raise UndefinedStyleError("the layout has no style 'Normal', the base of all others")
        normal = self.layout.style("Normal")
        font = self.layout.spec.fonts[normal.font].family
        size = half_points(normal.size)
        run = element(
            "w:rPr",
            [
                element("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font),
                element("w:sz", val=size),
                element("w:szCs", val=size),
                element("w:lang", val=language),
            ],
        )
        paragraph = element("w:pPr", [element("w:widowControl")])
        return element(
            "w:docDefaults",
            [element("w:rPrDefault", [run]), element("w:pPrDefault", [paragraph])],
        )

    def _paragraph_style(self, style: Style) -> _Element:
        parent = self.layout.style(style.parent) if style.parent else None
        flags = {"default": "1"} if style.name == "Normal" else {}
        if style.name not in BabelFish.internal_style_names and style.name not in BUILT_IN:
            flags["customStyle"] = "1"
        node = self._declare("paragraph", style.name, **flags)
        if parent is not None:
            node.append(element("w:basedOn", val=style_id(parent.name)))
        node.append(element("w:qFormat"))
        for tag, found in (
            ("w:pPr", self._paragraph_properties(style, parent)),
            ("w:rPr", self._run_properties(style, parent)),
        ):
            if found:
                node.append(element(tag, found))
        return node

    def _paragraph_properties(self, style: Style, parent: Style | None) -> list[_Element]:
        """pPr children, in schema order, for what differs from the parent."""

        def changed(key: str) -> bool:
            value = getattr(style, key)
            return getattr(parent, key) != value if parent else bool(value)

        found = []
        if changed("keep_with_next"):
            found.append(element("w:keepNext", val="1" if style.keep_with_next else "0"))
        if changed("rule_below"):
            found.append(element("w:pBdr", [self._rule(style.rule_below)]))
        if parent is None or changed("hyphenate"):
            found.append(element("w:suppressAutoHyphens", val="0" if style.hyphenate else "1"))
        spacing = {
            key: twips(getattr(style, field))
            for key, field in (("before", "space_before"), ("after", "space_after"))
            if parent is None or changed(field)
        }
        if changed("leading"):
            spacing.update(line=twips(style.leading), lineRule="atLeast")
        if spacing:
            found.append(element("w:spacing", **spacing))
        if changed("left_indent"):
            found.append(element("w:ind", left=twips(style.left_indent)))
        if parent is None or changed("align"):
            found.append(element("w:jc", val=ALIGNMENT[style.align]))
        if style.name in OUTLINE_LEVELS:
            found.append(element("w:outlineLvl", val=str(OUTLINE_LEVELS[style.name])))
        return found

    def _rule(self, colour: str | None) -> _Element:
        if colour is None:
            return element("w:bottom", val="nil")
        return element(
            "w:bottom",
            val="single",
            sz=str(RULE_EIGHTHS),
            space=str(RULE_SPACE_PT),
            color=self.colour(colour),
        )

    def _run_properties(self, style: Style, parent: Style | None) -> list[_Element]:
        """rPr children, in schema order, for what differs from the parent."""

        def changed(key: str) -> bool:
            return parent is None or getattr(parent, key) != getattr(style, key)

        found = []
        if changed("font"):
            family = self.layout.spec.fonts[style.font].family
            found.append(
                element("w:rFonts", ascii=family, hAnsi=family, eastAsia=family, cs=family)
            )
        for key, tags in (("bold", ("w:b", "w:bCs")), ("italic", ("w:i", "w:iCs"))):
            if changed(key) and (parent or getattr(style, key)):
                value = "1" if getattr(style, key) else "0"
                found.extend(element(tag, val=value) for tag in tags)
        if changed("caps") and (parent or style.caps):
            found.append(element("w:caps", val="1" if style.caps else "0"))
        if changed("colour"):
            found.append(element("w:color", val=self.colour(style.colour)))
        if changed("size"):
            found.extend(element(tag, val=half_points(style.size)) for tag in ("w:sz", "w:szCs"))
        return found

    def _character_style(self, name: str, character: CharacterStyle) -> _Element:
        flags = {} if name in BUILT_IN else {"customStyle": "1"}
        node = self._declare("character", name, **flags)
        node.append(element("w:basedOn", val=self.template["Default Paragraph Font"]))
        node.append(element("w:qFormat"))
        found = []
        if character.bold is not None:
            found.extend(element(t, val=str(int(character.bold))) for t in ("w:b", "w:bCs"))
        if character.italic is not None:
            found.extend(element(t, val=str(int(character.italic))) for t in ("w:i", "w:iCs"))
        if character.colour is not None:
            found.append(element("w:color", val=self.colour(character.colour)))
        if character.underline:
            found.append(element("w:u", val="single"))
        node.append(element("w:rPr", found))
        return node

    def _table_style(self, name: str, table: TableStyle) -> _Element:
        """A table style: rules between rows, cell padding, a filled header, striped rows."""
        node = self._declare("table", name, customStyle="1")
        node.append(element("w:basedOn", val=self.template["Normal Table"]))
        properties = [element("w:tblStyleRowBandSize", val="1")]
        if table.rule:
            rule = {"val": "single", "sz": str(RULE_EIGHTHS // 2), "space": "0"}
            colour = self.colour(table.rule)
            borders = [element(f"w:{side}", color=colour, **rule) for side in ("bottom", "insideH")]
            properties.append(element("w:tblBorders", borders))
        pad = twips(table.padding)
        margins = [element(f"w:{side}", w=pad, type="dxa") for side in _SIDES]
        properties.append(element("w:tblCellMar", margins))
        node.append(element("w:tblPr", properties))
        node.append(_conditional("firstRow", self.colour(table.header_background)))
        if table.stripe:
            node.append(_conditional("band1Horz", self.colour(table.stripe)))
        return node


_SIDES = ("top", "left", "bottom", "right")


def _conditional(kind: str, fill: str) -> _Element:
    """Formatting a table style gives a kind of row: here, a cell fill."""
    shading = element("w:shd", val="clear", color="auto", fill=fill)
    return element("w:tblStylePr", [element("w:tcPr", [shading])], type=kind)


def _ui_name(style: _Element) -> str:
    name = style.find(qn("w:name"))
    return BabelFish.internal2ui(name.get(qn("w:val"))) if name is not None else ""
