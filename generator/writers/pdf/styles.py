"""The layout's style sheet as ReportLab sees it: fonts, colours, paragraph styles, run markup."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from reportlab.lib.colors import CMYKColor, Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from ...errors import fail, shown_path
from ...fontcache import Stamp, file_stamp
from ...inline import ascii_uri, is_literal
from ...layout import Layout
from ...layout_spec import FACES, FontFamily, Style
from ...model import Run
from ...proper_names import name_finder
from ...word_breaks import capitalised, exceptions_for
from ...xml_text import escape, quoteattr
from .font_metrics import RememberedFont
from .hyphenation import Hyphenator

ADDRESS_WASTE = 0.15
"""The share of a justified, hyphenated line an address (or e-mail address) that does not
fit at its end may leave empty before it is broken after one of its separators (the style's
`addressWaste`, read by hyphenation.break_lines): moved whole, it left gaps of up to 3.7
times the text height."""

ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "centre": TA_CENTER, "justify": TA_JUSTIFY}

SPACE_SHRINKAGE = 0.2
"""How much of a word space a justified line may give up to keep one more word (ReportLab's
own default is 0.05): tighter lines instead of gaping ones, about as much as Word's own
justification gives up (Word 2013 and later), so that the Word file's lines break as the
PDF's; LibreOffice 24.2 and later do too, but not on a paragraph's last line (7.4 gave up
none; docs/docx.md, *Justified lines*)."""

ADDRESSES_BROKEN = 1e-9
"""A style that does not hyphenate still has its addresses broken where they may break
(hyphenation.literal_breaks), not cut anywhere: ReportLab asks its hyphenation only when a
style has a hyphenator or a `uriWasteReduce`, and this one is too small to act itself."""

_WORD = re.compile(r"\S+")
_MAYBE_LITERAL = re.compile(r"[`{}@:_<>=\\|/#$~^]|www\.")
"""What every address, e-mail address or code-like word holds (see `inline.LITERAL`): text
without any is escaped whole, not word by word."""


@lru_cache(maxsize=16)
def _register(path: str, name: str, stamp: Stamp) -> str:
    """Register one TTF once per process (and again once its file has changed: its
    `stamp`); ReportLab embeds a subset of it (what it reads from the font is remembered
    between runs: see font_metrics).

    The layout's check reads each font's headers; a font damaged deeper than that, or one
    whose licence forbids embedding, is refused here, naming the file.
    """
    if _registered.get(name) == (path, stamp):  # already, from this file as it is
        return name
    _unregister(name)
    try:
        pdfmetrics.registerFont(RememberedFont(name, path))
    except Exception as error:  # TTFError, struct.error, IndexError...: all say "not readable"
        raise fail(
            shown_path(Path(path)),
            f"the PDF writer cannot use this font: {str(error)[:200]}",
            "use another TrueType font (.ttf) in the layout's `fonts`",
        ) from None
    _registered[name] = (path, stamp)
    _registrations[0] += 1
    return name


_registered: dict[str, tuple[str, Stamp]] = {}
"""The file (and its stamp) each font name was registered from."""
_registrations = [0]


def registrations() -> int:
    """How many times a font was registered (anew) in this process: what was measured
    with the fonts registered before may no longer hold once this changes (see `kept`)."""
    return _registrations[0]


def _unregister(name: str) -> None:
    """Forget a font registered under `name` (ReportLab keeps the first font registered
    under a name, and under its face's name)."""
    _registrations[0] += 1
    old = pdfmetrics._fonts.pop(name, None)
    face = getattr(getattr(old, "face", None), "name", None)
    if face is not None and pdfmetrics._dynFaceNames.get(face) is old:
        del pdfmetrics._dynFaceNames[face]


def face_name(family: FontFamily, bold: bool, italic: bool) -> str:
    """The registered ReportLab name of a family's face, registering it on first use."""
    suffix = {
        (False, False): "",
        (True, False): "-Bold",
        (False, True): "-Italic",
        (True, True): "-BoldItalic",
    }[(bold, italic)]
    path = family.file(bold, italic)
    return _register(str(path), f"{family.family}{suffix}", file_stamp(path))


def register_families(layout: Layout) -> None:
    for family in layout.spec.fonts.values():
        names = [face_name(family, bold, italic) for bold, italic in FACES]
        pdfmetrics.registerFontFamily(
            family.family, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
        )


class Palette:
    """The layout's colours in RGB (screen) or CMYK (print)."""

    def __init__(self, layout: Layout, cmyk: bool) -> None:
        self.layout = layout
        self.cmyk = cmyk

    def __call__(self, name: str) -> Color:
        colour = self.layout.spec.colours[name]
        if self.cmyk:
            c, m, y, k = (value / 100 for value in colour.cmyk)
            return CMYKColor(c, m, y, k)
        return HexColor(colour.rgb)

    def markup(self, name: str) -> str:
        """The colour as a value for Paragraph markup, in CSS's functional form: ReportLab
        reads it at once (a `#RRGGBB` value it reads only after trying every other form, about
        a fifth of a millisecond each time), into the same colour."""
        colour = self.layout.spec.colours[name]
        if self.cmyk:
            return "cmyk({:g},{:g},{:g},{:g})".format(*(v / 100 for v in colour.cmyk))
        value = int(colour.rgb.removeprefix("#"), 16)
        return f"rgb({value >> 16},{(value >> 8) & 0xFF},{value & 0xFF})"


class StyleSheet:
    """ReportLab paragraph styles made from the layout's named styles."""

    def __init__(
        self,
        layout: Layout,
        palette: Palette,
        language: str = "",
        names: tuple[str, ...] = (),
        months: frozenset[str] | None = None,
    ) -> None:
        self.layout = layout
        self.palette = palette
        self.exceptions = exceptions_for(layout.spec.hyphenation, language)
        self.hyphenator = (
            Hyphenator(language, exceptions=self.exceptions, months=months) if language else None
        )
        self.names = name_finder(tuple(names))
        register_families(layout)
        self._styles: dict[str, ParagraphStyle] = {}
        self._faces: dict[tuple[str, bool, bool], str] = {}

    def font(self, style: Style, bold: bool | None = None, italic: bool | None = None) -> str:
        """The registered name of a style's face (looked up once per sheet: finding the
        font's file resolves paths on disk)."""
        key = (
            style.font,
            style.bold if bold is None else bold,
            style.italic if italic is None else italic,
        )
        if key not in self._faces:
            self._faces[key] = face_name(self.layout.spec.fonts[style.font], key[1], key[2])
        return self._faces[key]

    def __getitem__(self, name: str) -> ParagraphStyle:
        if name not in self._styles:
            self._styles[name] = self._make(self.layout.style(name))
        return self._styles[name]

    def _make(self, style: Style) -> ParagraphStyle:
        justified = style.align == "justify"
        return ParagraphStyle(
            style.name,
            fontName=self.font(style),
            fontSize=style.size,
            leading=style.leading,
            textColor=self.palette(style.colour),
            alignment=ALIGN[style.align],
            spaceBefore=style.space_before,
            spaceAfter=style.space_after,
            leftIndent=style.left_indent,
            keepWithNext=int(style.keep_with_next),
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
            linkUnderline=0,
            hyphenationLang=self.hyphenator if style.hyphenate else "",
            uriWasteReduce=0 if style.hyphenate else ADDRESSES_BROKEN,
            spaceShrinkage=SPACE_SHRINKAGE if justified else 0,
            addressWaste=ADDRESS_WASTE if justified and style.hyphenate else 0,
        )

    def markup(self, runs: tuple[Run, ...], style_name: str) -> str:
        """Paragraph markup for runs: every text escaped, character styles as font tags."""
        style = self.layout.style(style_name)
        if len(runs) == 1 or not style.hyphenate:
            return "".join(self._run_markup(run, style) for run in runs)
        pieces, before = [], ""
        for run in runs:
            pieces.append(self._run_markup(run, style, before))
            before += run.text
        return "".join(pieces)

    def _run_markup(self, run: Run, style: Style, before: str = "") -> str:
        text = run.text.upper() if style.caps else run.text
        if not style.hyphenate:
            text = escape(text)
        elif run.style and not self.layout.spec.character_styles[run.style].hyphenate:
            text = _WORD.sub(_word_unbroken, text)  # a title's words are never hyphenated
        else:
            text = self._unbroken(text, before)
        text = text.replace("\u202f", "\u00a0")  # ReportLab would break a line at U+202F
        if run.style is not None:
            text = self._styled(text, run.style, style)
        if run.url:
            text = f"<a href={quoteattr(ascii_uri(run.url))}>{text}</a>"
        return text

    def _styled(self, text: str, name: str, style: Style) -> str:
        char = self.layout.spec.character_styles[name]
        bold = style.bold if char.bold is None else char.bold
        italic = style.italic if char.italic is None else char.italic
        attributes = f' face="{self.font(style, bold, italic)}"'
        if char.colour:
            attributes += f' color="{self.palette.markup(char.colour)}"'
        text = f"<font{attributes}>{text}</font>"
        return f"<u>{text}</u>" if char.underline else text

    def _unbroken(self, text: str, before: str = "") -> str:
        """Text as markup in which no word of a proper name, address or code-like word is
        hyphenated (each such word alone: the spaces of a name may still break a line), nor
        a word with a capital inside a sentence unless the layout's exceptions list it."""
        spans = [*self.names.spans(text)] if self.names else []
        for at, end in capitalised(text, before):
            if not self.exceptions.listed(text[at:end]) and not _in_compound(text, at, end):
                spans.append((at, end))
        if not spans:
            return _literals_unbroken(text)
        pieces, start = [], 0
        for at, end in sorted(spans, key=lambda span: (span[0], -span[1])):
            if at < start:
                continue  # a capitalised word of a name already kept whole
            at, end = _with_punctuation(text, at, end, start)
            pieces.append(_literals_unbroken(text[start:at]))
            pieces.append(_WORD.sub(_word_unbroken, text[at:end]))
            start = end
        pieces.append(_literals_unbroken(text[start:]))
        return "".join(pieces)


def _with_punctuation(text: str, at: int, end: int, start: int) -> tuple[int, int]:
    """A name's span with the quotes, brackets and punctuation joined to it ('“Experts’',
    '(Ouagadougou),'), not before `start`: ReportLab asks whether a word may break of its
    last piece only, so a closing quote left out would let the name break."""
    while at > start and not text[at - 1].isspace() and text[at - 1] not in _COMPOUND_JOINS:
        at -= 1
    while end < len(text) and not text[end].isspace() and text[end] not in _COMPOUND_JOINS:
        end += 1
    return at, end


def _in_compound(text: str, at: int, end: int) -> bool:
    """Whether a word is part of a compound ('Covid' of 'Covid-19'): the hyphenator breaks a
    compound only after its own hyphens, which a line may do in a name too."""
    return text[end : end + 1] in _COMPOUND_JOINS or text[at - 1 : at] in _COMPOUND_JOINS


_COMPOUND_JOINS = ("-", "\u2013")


def _word_unbroken(word: re.Match[str]) -> str:
    return f"<nobr>{escape(word.group())}</nobr>"


def _literals_unbroken(text: str) -> str:
    """Text as markup in which no address or code-like word is hyphenated."""
    if _MAYBE_LITERAL.search(text) is None:
        return escape(text)
    return _WORD.sub(_literal_unbroken, text)


def _literal_unbroken(word: re.Match[str]) -> str:
    """A word escaped as markup; an address or code-like word is never hyphenated."""
    text = escape(word.group())
    return f"<nobr>{text}</nobr>" if is_literal(word.group()) else text
