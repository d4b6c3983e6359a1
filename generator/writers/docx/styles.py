"""The layout's style sheet -> Word styles: paragraph, character and table styles, defaults.

Every look comes from the layout. A paragraph style is written as its differences from its
`parent` (w:basedOn), so an editor who changes "Normal" changes every style built on it.
Colours and fonts name the theme's (theme.py). A frame (the feature box) is part of the
styles of the paragraphs inside it, and the footer's tab stop part of its style: no paragraph
carries formatting of its own. Only the styles the Word file uses (and those they are based
on) are shown; the gallery offers those an editor applies, in the layout's order.
"""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml.etree import _Element, strip_elements

from ...layout import Layout
from ...layout_spec import CharacterStyle, FrameStyle, Style, TableStyle
from ...style_names import word_id as style_id
from .masthead import TOP_STYLE, Band, Side
from .ooxml import element, half_points, twips
from .theme import Theme

TEMPLATE_STYLES = ("Default Paragraph Font", "Normal Table", "No List")
"""Styles of the base template that Word expects to find; every other one is removed."""

BUILT_IN = ("Normal", "Title", "Hyperlink", "FollowedHyperlink", "Strong", "Emphasis")
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

THEME_LINKS = {"Hyperlink": "hyperlink", "FollowedHyperlink": "followed_hyperlink"}
"""Word's link styles, coloured by the theme's link colours when those are theirs."""

SMALLEST_FONT = 1

BOX_GAP = 6
"""The space above a box (a frame) in the PDF, in points (its Spacer, writers/pdf/writer.py)."""

SECTION_BREAK = "Section Break"
"""The style of the empty paragraph that holds a column section's end."""
"""Word's smallest font size, in points: an empty line's mark that takes no room of its own."""

GALLERY_PRIORITY, OTHER_PRIORITY = 1, 50
"""Word's uiPriority (the order of the Styles gallery and pane): applied styles first."""

Framing = dict[str, set[str | None]]
"""For each paragraph style, the frames it is used in (None: outside any frame)."""


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


class WordStyles:
    """The styles of a Word document, built from a layout; looking up an unknown one raises."""

    def __init__(
        self,
        document: WordDocument,
        layout: Layout,
        language: str,
        framing: Framing | None = None,
        tabs: dict[str, float] | None = None,
        band: Band | None = None,
        opening_sections: frozenset[str] = frozenset(),
        leadings: dict[str, float] | None = None,
    ) -> None:
        self.layout = layout
        self.leadings = leadings or {}
        """The styles whose lines the Word file sets closer than their leading, with their
        line height (see word_lines.py)."""
        self.band = band
        self.opening_sections = opening_sections
        """The frames whose box starts a Word section (see `_frame_properties`)."""
        self.theme = Theme(layout)
        self.ids: dict[tuple[str, str], str] = {}
        self.framing = framing or {}
        self.tabs = tabs or {}
        self.used: dict[str, bool] = {}
        """Style ids the document uses, and whether an editor applies them (the gallery)."""
        self.root = root = document.styles.element
        self.template: dict[str, str] = {}
        kept = [old for old in root.iterchildren(qn("w:style")) if _ui_name(old) in TEMPLATE_STYLES]
        for old in kept:
            self.template[_ui_name(old)] = old.get(qn("w:styleId"))
            root.remove(old)
        # the template's other 160 styles at once (one by one, each removed element has its
        # namespaces set anew: 5 ms); the kept ones back in their order (the template's
        # styles are its last elements)
        strip_elements(root, qn("w:style"), with_tail=False)
        root.extend(kept)
        root.remove(root.find(qn("w:docDefaults")))
        root.insert(0, self._defaults(language))
        for style in layout.styles.values():
            frames = self.framing.get(style.name, set())
            own = next(iter(frames)) if len(frames) == 1 else None
            root.append(self._paragraph_style(style, self._frame(own)))
            for frame in sorted(f for f in frames if f is not None and f != own):
                root.append(self._framed_style(style, frame))
        for name, character in layout.spec.character_styles.items():
            root.append(self._character_style(name, character))
        for name, host in band.inline.items() if band else ():
            root.append(self._inline_style(name, host))
        if band and band.top > 0:
            root.append(self._band_top_style(band))
        for name, table in layout.spec.tables.items():
            root.append(self._table_style(name, table))

    # -- look-ups ----------------------------------------------------------------------

    def paragraph(self, name: str, frame: str | None = None, gallery: bool = False) -> str:
        """The id of the named paragraph style (in a frame: the style that draws it).

        `gallery`: an editor applies it to new paragraphs, so Word offers it first.
        """
        if frame is not None and ("paragraph", _framed_name(name, frame)) in self.ids:
            name = _framed_name(name, frame)
        return self._id("paragraph", name, gallery)

    def character(self, name: str) -> str:
        """The id of the named character style."""
        return self._id("character", name, False)

    def table(self, name: str) -> str:
        """The id of the named table style."""
        return self._id("table", name, False)

    def _id(self, kind: str, name: str, gallery: bool) -> str:
        try:
            ident = self.ids[(kind, name)]
        except KeyError:
            raise UndefinedStyleError(
                f"the Word document has no {kind} style '{name}': define it in the layout"
            ) from None
        self.used[ident] = self.used.get(ident, False) or gallery
        return ident

    def colour(self, name: str) -> str:
        """A layout colour as Word writes it (RRGGBB)."""
        return self.layout.spec.colours[name].rgb.lstrip("#")

    def colour_attributes(
        self, name: str, key: str = "color", prefer: str | None = None
    ) -> dict[str, str]:
        """A colour's w: attributes: its RGB value and the theme colour that holds it (the
        `prefer` theme key if it does, as links name the theme's hyperlink colours)."""
        found = {key: self.colour(name)}
        theme = self.theme.word_colour(name, prefer)
        if theme:
            found["themeFill" if key == "fill" else "themeColor"] = theme
        return found

    def fonts(self, family: str) -> _Element:
        """w:rFonts naming a family, and the theme font that is this family (if one is)."""
        names = {"ascii": family, "hAnsi": family, "eastAsia": family, "cs": family}
        kind = self.theme.font_reference(family)
        if kind:
            names.update(asciiTheme=f"{kind}HAnsi", hAnsiTheme=f"{kind}HAnsi")
        return element("w:rFonts", **names)

    # -- the finished sheet ------------------------------------------------------------

    def finish(self) -> None:
        """Order the gallery: first the styles editors apply (Normal, the body's paragraph
        styles, character styles that are not links), in the layout's order; then the rest.
        A style nothing in this file uses or is based on (the PDF's continuation lines) is
        hidden until used."""
        styles = {s.get(qn("w:styleId")): s for s in self.root.findall(qn("w:style"))}
        needed = set(self.used)
        for ident in list(needed):
            while (based := _based_on(styles.get(ident))) and based not in needed:
                needed.add(based)
                ident = based
        order = list(self.ids.values())
        gallery = [i for i in order if self._in_gallery(i, styles[i])]
        others = [i for i in order if i not in gallery]
        for rank, ident in enumerate(gallery):
            _rank(styles[ident], GALLERY_PRIORITY + rank, quick=True, hidden=False)
        for rank, ident in enumerate(others):
            _rank(styles[ident], OTHER_PRIORITY + rank, quick=False, hidden=ident not in needed)

    def _in_gallery(self, ident: str, style: _Element) -> bool:
        if ident in self._inline_ids():
            return False  # the masthead's period and issue: not for editors to apply
        if _kind(style) == "character":
            return style.find(f"{qn('w:rPr')}/{qn('w:u')}") is None
        return self.used.get(ident, False) or ident == style_id("Normal")

    def _inline_ids(self) -> set[str]:
        """The ids of the character styles that show the masthead's period and issue."""
        if self.band is None:
            return set()
        return {style_id(self.band.character_style(name)) for name in self.band.inline}

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
                self.fonts(font),
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

    def _frame(self, name: str | None) -> FrameStyle | None:
        return self.layout.spec.frames[name] if name else None

    def _paragraph_style(self, style: Style, frame: FrameStyle | None) -> _Element:
        parent = self.layout.style(style.parent) if style.parent else None
        flags = {"default": "1"} if style.name == "Normal" else {}
        if style.name not in BabelFish.internal_style_names and style.name not in BUILT_IN:
            flags["customStyle"] = "1"
        node = self._declare("paragraph", style.name, **flags)
        if parent is not None:
            node.append(element("w:basedOn", val=style_id(parent.name)))
        for tag, found in (
            ("w:pPr", self._paragraph_properties(style, parent, frame)),
            ("w:rPr", self._run_properties(style, parent)),
        ):
            if found:
                node.append(element(tag, found))
        return node

    def _framed_style(self, style: Style, frame: str) -> _Element:
        """A style for the paragraphs of `style` inside a frame, where it is also used outside."""
        node = self._declare("paragraph", _framed_name(style.name, frame), customStyle="1")
        node.append(element("w:basedOn", val=style_id(style.name)))
        framing = self._frame(frame)
        assert framing is not None, frame  # only styles used inside a frame come here
        node.append(element("w:pPr", self._frame_properties(style, framing)))
        return node

    def _paragraph_properties(
        self, style: Style, parent: Style | None, frame: FrameStyle | None = None
    ) -> list[_Element]:
        """pPr children, in schema order, for what differs from the parent (and a frame)."""

        def changed(key: str) -> bool:
            value = getattr(style, key)
            return getattr(parent, key) != value if parent else bool(value)

        found = []
        if changed("keep_with_next"):
            found.append(element("w:keepNext", val="1" if style.keep_with_next else "0"))
        framed = self._frame_properties(style, frame) if frame else []
        if not framed and self.band and style.name in self.band.styles:
            framed = self._band_properties(style, self.band)
        if framed:
            found.extend(e for e in framed if e.tag in (qn("w:pBdr"), qn("w:shd")))
        elif changed("rule_below"):
            found.append(element("w:pBdr", [self._rule(style.rule_below)]))
        if style.name in self.tabs:
            stop = element("w:tab", val="right", pos=twips(self.tabs[style.name]))
            found.append(element("w:tabs", [stop]))
        if parent is None or changed("hyphenate"):
            found.append(element("w:suppressAutoHyphens", val="0" if style.hyphenate else "1"))
        spacing = {
            key: twips(getattr(style, field))
            for key, field in (("before", "space_before"), ("after", "space_after"))
            if parent is None or changed(field)
        }
        if self.band and self.band.title == style.name:
            spacing["before"] = twips(style.space_before + self.band.bottom.uncovered)
        line = self.leadings.get(style.name, style.leading)
        if line != (self.leadings.get(parent.name, parent.leading) if parent else 0):
            spacing.update(line=twips(line), lineRule="atLeast")
        if spacing:
            found.append(element("w:spacing", **spacing))
        if framed:
            found.extend(e for e in framed if e.tag == qn("w:ind"))
        elif changed("left_indent"):
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
            **self.colour_attributes(colour),
        )

    def _frame_properties(self, style: Style, frame: FrameStyle) -> list[_Element]:
        """Borders, shading and indents that draw a frame around consecutive paragraphs of
        the frame's styles (Word joins paragraphs with the same borders into one box).

        When the box starts a Word section (its columns differ from those before it), the
        top border's space is half the PDF's padding and gap above the box, less the section
        break's paragraph before it: LibreOffice (7.4) puts a section's first top border and
        its space once more above the box, outside it. So the box's title stands where the
        PDF's does (within about a point); the box's top padding is 5 pt less."""
        pad = str(round(frame.padding))
        top = pad
        if any(frame is self.layout.spec.frames[name] for name in self.opening_sections):
            above = BOX_GAP - self.layout.style(SECTION_BREAK).leading  # a break's paragraph
            top = str(round(max(frame.padding + above, 0) / 2))
        sides = []
        edge = frame.border if frame.border_width else frame.background
        edge_size = str(max(round(frame.border_width * 8), 2))
        for side in ("top", "left", "bottom", "right"):
            if side == "bottom" and style.rule_below:
                sides.append(self._rule(style.rule_below))
            elif side == "left" and frame.rule_left and frame.border:
                size = str(round(frame.rule_left * 8))
                colour = self.colour_attributes(frame.border)
                sides.append(element("w:left", val="single", sz=size, space=pad, **colour))
            elif edge:
                colour = self.colour_attributes(edge)
                space = top if side == "top" else pad
                sides.append(
                    element(f"w:{side}", val="single", sz=edge_size, space=space, **colour)
                )
            else:
                sides.append(element(f"w:{side}", val="nil"))
        found = [element("w:pBdr", sides)]
        if frame.background:
            fill = self.colour_attributes(frame.background, "fill")
            found.append(element("w:shd", val="clear", color="auto", **fill))
        inset = frame.padding + frame.rule_left
        left, right = style.left_indent + inset, frame.padding
        found.append(element("w:ind", left=twips(left), right=twips(right)))
        return found

    def _band_properties(self, style: Style, band: Band) -> list[_Element]:
        """The masthead band drawn by a paragraph style: the band colour as shading, and
        borders of that colour carrying it into the side margins and below the last line
        (Word and LibreOffice join paragraphs with the same borders into one box)."""
        sides = [
            self._band_border(name, side, band.colour)
            for name, side in (("left", band.left), ("bottom", band.bottom), ("right", band.right))
        ]
        fill = self.colour_attributes(band.colour, "fill")
        return [
            element("w:pBdr", sides),
            element("w:shd", val="clear", color="auto", **fill),
            element(
                "w:ind",
                left=twips(style.left_indent - band.outdent(band.left)),
                right=twips(-band.outdent(band.right)),
            ),
        ]

    def _band_border(self, name: str, side: Side, colour: str) -> _Element:
        """One side's border of the band: as wide as the side needs, in the band's colour."""
        size, space = str(max(round(side.width * 8), 2)), str(side.space)
        return element(
            f"w:{name}", val="single", sz=size, space=space, **self.colour_attributes(colour)
        )

    def _band_top_style(self, band: Band) -> _Element:
        """The style of page 1's header paragraph: the band from the page's top edge down to
        the top margin (one empty line exactly that tall, its font as small as Word allows),
        reaching the page's sides as the band's paragraphs do."""
        node = self._declare("paragraph", TOP_STYLE, customStyle="1")
        node.append(element("w:basedOn", val=style_id("Normal")))
        sides = [
            element("w:top", val="nil"),
            self._band_border("left", band.left, band.colour),
            element("w:bottom", val="nil"),
            self._band_border("right", band.right, band.colour),
        ]
        fill = self.colour_attributes(band.colour, "fill")
        properties = [
            element("w:pBdr", sides),
            element("w:shd", val="clear", color="auto", **fill),
            element("w:spacing", before="0", after="0", line=twips(band.top), lineRule="exact"),
            element("w:ind", left="0", right="0"),
        ]
        node.append(element("w:pPr", properties))
        size = half_points(SMALLEST_FONT)
        node.append(element("w:rPr", [element("w:sz", val=size), element("w:szCs", val=size)]))
        return node

    def _inline_style(self, name: str, host: str) -> _Element:
        """A character style showing a paragraph style's look (its differences from the
        style of the paragraph it sits in): the masthead's period and issue, after a tab."""
        assert self.band is not None  # only a band has paragraph styles shown inline
        node = self._declare("character", self.band.character_style(name), customStyle="1")
        node.append(element("w:basedOn", val=self.template["Default Paragraph Font"]))
        found = self._run_properties(self.layout.style(name), self.layout.style(host))
        node.append(element("w:rPr", found))
        return node

    def _run_properties(self, style: Style, parent: Style | None) -> list[_Element]:
        """rPr children, in schema order, for what differs from the parent."""

        def changed(key: str) -> bool:
            return parent is None or getattr(parent, key) != getattr(style, key)

        found = []
        if changed("font"):
            found.append(self.fonts(self.layout.spec.fonts[style.font].family))
        for key, tags in (("bold", ("w:b", "w:bCs")), ("italic", ("w:i", "w:iCs"))):
            if changed(key) and (parent or getattr(style, key)):
                value = "1" if getattr(style, key) else "0"
                found.extend(element(tag, val=value) for tag in tags)
        if changed("caps") and (parent or style.caps):
            found.append(element("w:caps", val="1" if style.caps else "0"))
        if changed("colour"):
            found.append(element("w:color", **self.colour_attributes(style.colour, "val")))
        if changed("size"):
            found.extend(element(tag, val=half_points(style.size)) for tag in ("w:sz", "w:szCs"))
        return found

    def _character_style(self, name: str, character: CharacterStyle) -> _Element:
        flags = {} if name in BUILT_IN else {"customStyle": "1"}
        node = self._declare("character", name, **flags)
        node.append(element("w:basedOn", val=self.template["Default Paragraph Font"]))
        found: list[_Element] = []
        if character.bold is not None:
            found.extend(element(t, val=str(int(character.bold))) for t in ("w:b", "w:bCs"))
        if character.italic is not None:
            found.extend(element(t, val=str(int(character.italic))) for t in ("w:i", "w:iCs"))
        if character.colour is not None:
            prefer = THEME_LINKS.get(name)
            colour = self.colour_attributes(character.colour, "val", prefer)
            found.append(element("w:color", **colour))
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
            rule = {"val": "single", "sz": str(round(table.rule_width * 8)), "space": "0"}
            colour = self.colour_attributes(table.rule)
            borders = [element(f"w:{side}", **colour, **rule) for side in ("bottom", "insideH")]
            properties.append(element("w:tblBorders", borders))
        margins = [
            element(f"w:{side}", w=twips(pad), type="dxa")
            for side, pad in zip(_SIDES, _cell_margins(table), strict=True)
        ]
        properties.append(element("w:tblCellMar", margins))
        node.append(element("w:tblPr", properties))
        node.append(
            _conditional("firstRow", self.colour_attributes(table.header_background, "fill"))
        )
        if table.stripe:
            node.append(_conditional("band1Horz", self.colour_attributes(table.stripe, "fill")))
        return node


_SIDES = ("top", "left", "bottom", "right")


def _cell_margins(table: TableStyle) -> tuple[float, float, float, float]:
    """The cells' margins (top, left, bottom, right): the table's padding, less the rule's
    width below a row, which Word and LibreOffice add to the row's height and the PDF draws
    on its padding: a row is as tall in both."""
    below = max(table.padding - table.rule_width, 0) if table.rule else table.padding
    return table.padding, table.padding, below, table.padding


def _conditional(kind: str, fill: dict[str, str]) -> _Element:
    """Formatting a table style gives a kind of row: here, a cell fill."""
    shading = element("w:shd", val="clear", color="auto", **fill)
    return element("w:tblStylePr", [element("w:tcPr", [shading])], type=kind)


def _framed_name(name: str, frame: str) -> str:
    return f"{name} ({frame})"


def _based_on(style: _Element | None) -> str | None:
    found = style.find(qn("w:basedOn")) if style is not None else None
    return found.get(qn("w:val")) if found is not None else None


def _kind(style: _Element) -> str:
    return style.get(qn("w:type"))


def _rank(style: _Element, priority: int, quick: bool, hidden: bool) -> None:
    """Place a style in Word's order (w:uiPriority): a quick style (in the gallery), or not,
    or hidden until used."""
    after = style.find(qn("w:basedOn"))
    if after is None:
        after = style.find(qn("w:name"))
    marks = [element("w:uiPriority", val=str(priority))]
    if hidden:
        marks += [element("w:semiHidden"), element("w:unhideWhenUsed")]
    if quick:
        marks.append(element("w:qFormat"))
    for mark in reversed(marks):
        after.addnext(mark)


def _ui_name(style: _Element) -> str:
    name = style.find(qn("w:name"))
    return BabelFish.internal2ui(name.get(qn("w:val"))) if name is not None else ""
