"""Can the layout's fonts draw every character of the document? Checked before any writer runs.

A font without a glyph for a character draws an empty box (or nothing) in the PDF, and Word
silently swaps in another typeface. So every text of the document model is checked against
the character map (cmap) of the four faces of the font family its style uses, and each
character that cannot be drawn is reported where the data gives it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from . import fontcache
from .errors import BulletinError, KeyPath, Problem, format_path
from .layout import Layout
from .layout_spec import FACES, FontFamily
from .model import (
    PAGE,
    PAGES,
    BarChart,
    Document,
    Group,
    Heading,
    Image,
    Masthead,
    Origin,
    Paragraph,
    Section,
    Table,
)
from .sources import Source
from .visitor import Visitor

NOT_DRAWN = frozenset("\n\r\t")
"""Line breaks and tabs: the writers turn them into spaces or breaks; no glyph is drawn."""
HINT = "remove it, or use a layout whose fonts include it"


@dataclass(frozen=True)
class Text:
    """A text the writers draw, in a named style; `place` says what it is when no origin does."""

    text: str
    style: str
    origin: Origin | None
    place: str


def font_characters(font_file: str) -> frozenset[str]:
    """The characters a font file maps to a glyph (remembered between runs: see fontcache)."""
    return _font_characters(font_file, fontcache.file_stamp(font_file))


@lru_cache(maxsize=32)
def _font_characters(font_file: str, stamp: fontcache.Stamp) -> frozenset[str]:
    """`font_characters` of the file as it is now (its stamp): remembered by its stamp on
    disk, else by its content, else read from the font."""
    codes = fontcache.load_stamped(font_file, stamp)
    if codes is None:
        codes = _by_content(font_file, stamp)
    return frozenset(map(chr, codes))


def _by_content(font_file: str, stamp: fontcache.Stamp) -> set[int]:
    """A font's codes remembered by its content's hash, else read from it; remembered by
    both its hash and its stamp (taken before its content was read) for the next run."""
    digest = fontcache.font_hash(font_file)
    codes = fontcache.load(digest) if digest else None
    if codes is None:
        codes = _read_cmap(font_file)
        if digest:
            fontcache.save(digest, codes)
    if digest:
        fontcache.save_stamped(font_file, stamp, codes)
    return codes


def _read_cmap(font_file: str) -> set[int]:
    """Read a font's character map with fontTools (only the cmap table is parsed)."""
    from fontTools.ttLib import TTFont  # loaded only when the cache cannot answer

    with TTFont(font_file, lazy=True) as font:
        return set(font["cmap"].getBestCmap() or {})


def family_characters(family: FontFamily) -> frozenset[str]:
    """The characters every face of a family can draw (a run may be bold or italic)."""
    faces = tuple(font_characters(str(family.file(bold, italic))) for bold, italic in FACES)
    return _shared(faces)


@lru_cache(maxsize=8)
def _shared(faces: tuple[frozenset[str], ...]) -> frozenset[str]:
    """The characters all faces draw, worked out once while the faces' files stay as they
    were (each face's set is the same object then: see `font_characters`)."""
    return frozenset.intersection(*faces) | NOT_DRAWN


def check_glyphs(
    document: Document, layout: Layout, sources: Callable[[], Sequence[Source]] = tuple
) -> None:
    """Raise one problem per character the fonts cannot draw, per place it is written.

    `sources` gives the loaded data and wording files (called only when a character is
    missing), so each problem names the line of the value that holds the character.
    """
    missing: dict[Missing, FontFamily] = {}
    drawable: dict[FontFamily, frozenset[str]] = {}  # its fonts as they are now
    for item in texts(document, layout):
        family = _family(layout, item.style)
        drawn = drawable.get(family)
        if drawn is None:
            drawn = drawable[family] = family_characters(family)
        caps = _caps(layout, item.style)
        if drawn.issuperset(item.text.upper() if caps else item.text):
            continue  # the common case, at C speed: `str.upper` maps each character alone
        for written in dict.fromkeys(item.text):
            for char in written.upper() if caps else written:
                if char not in drawn:
                    missing.setdefault(Missing(char, written, item.origin, item.place), family)
    if missing:
        raise BulletinError(_locate(missing, layout, sources()))


@dataclass(frozen=True)
class Missing:
    """A character no face draws, as written (`written` differs in a style set in capitals),
    in one element of the document."""

    char: str
    written: str
    origin: Origin | None
    place: str


def texts(document: Document, layout: Layout) -> Iterator[Text]:
    """Every text a writer draws, with its style: masthead, headings, blocks, footer."""
    walker = _Texts(layout)
    yield from walker.visit(document.masthead)
    for section in document.sections:
        yield from walker.visit(section)
    labels = "".join(p for p in document.footer.page_label if p not in (PAGE, PAGES))
    yield Text(document.footer.text + labels, "Footer", None, "footer")


class _Texts(Visitor):
    """The texts of each node, with their styles and where they stand in the document."""

    walker = "the glyph check"

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.place = ""

    def visit_masthead(self, masthead: Masthead) -> Iterator[Text]:
        for i, line in enumerate(masthead.publisher):
            yield _paragraph(line, f"masthead.publisher[{i + 1}]")
        yield _paragraph(masthead.period, "masthead.period")
        yield _paragraph(masthead.issue, "masthead.issue")
        yield _paragraph(masthead.title, "masthead.title")

    def visit_section(self, section: Section) -> Iterator[Text]:
        self.place = section.key
        if section.heading:
            yield from self.visit(section.heading)
        if section.continued:
            yield _paragraph(section.continued, f"{section.key}.continued")
        for block in section.blocks:
            self.place = section.key
            yield from self.visit(block)

    def visit_heading(self, heading: Heading) -> Iterator[Text]:
        yield Text(heading.text, heading.style, None, f"{self.place}.heading")

    def visit_paragraph(self, paragraph: Paragraph) -> Iterator[Text]:
        yield _paragraph(paragraph, self.place)

    def visit_group(self, group: Group) -> Iterator[Text]:
        yield _paragraph(group.heading, f"{self.place}.{group.key}")
        yield Text(group.continued.text, group.continued.style, group.origin, group.key)
        if group.note:
            yield _paragraph(group.note, f"{self.place}.{group.key}.note")
        for paragraph in group.paragraphs:
            yield _paragraph(paragraph, f"{self.place}.{group.key}")

    def visit_table(self, table: Table) -> Iterator[Text]:
        key = self.place
        style = self.layout.spec.tables[table.style]
        if table.caption:
            yield _paragraph(table.caption, f"{key}.caption")
        yield Text(" ".join(table.header), style.header_style, None, f"{key}.header")
        for row in table.rows:
            for cell in row.cells:
                yield Text(cell.text, style.body_style, row.origin, f"{key}.row")

    def visit_image(self, image: Image) -> Iterator[Text]:
        if image.caption:
            yield _paragraph(image.caption, f"{self.place}.caption")

    def visit_barchart(self, chart: BarChart) -> Iterator[Text]:
        for text in (chart.title, *chart.categories):
            yield Text(text, chart.style, None, f"{self.place}.chart")


def _paragraph(paragraph: Paragraph, place: str) -> Text:
    return Text(paragraph.text, paragraph.style, paragraph.origin, place)


def _family(layout: Layout, style: str) -> FontFamily:
    name = style if style in layout.styles else "Normal"
    return layout.spec.fonts[layout.style(name).font]


def _caps(layout: Layout, style: str) -> bool:
    return style in layout.styles and layout.style(style).caps


# -- where each character is written -------------------------------------------------------


def describe(char: str) -> str:
    """'ع' (U+0639 ARABIC LETTER AIN)."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"'{char}' ({code} {name})" if name else f"'{char}' ({code})"


def _locate(
    missing: dict[Missing, FontFamily], layout: Layout, sources: Sequence[Source]
) -> list[Problem]:
    """Problems at the values holding each character, else at the element's origin."""
    holders = _holders({item.written for item in missing}, sources)
    found: dict[Problem, None] = {}
    for item, family in missing.items():
        char = describe(item.char)
        if item.written != item.char:
            char += f", {describe(item.written)} in capitals,"
        message = f"character {char} cannot be drawn by the layout's font {family.family}"
        for where in _places(item, holders, sources, layout):
            found[replace(where, message=message, hint=HINT)] = None
    return sorted(found, key=lambda p: (p.file, p.line, p.column, p.path))


def _holders(chars: set[str], sources: Sequence[Source]) -> dict[str, list[tuple[Source, KeyPath]]]:
    """For each character, the text values (source and key path) that contain it."""
    holders: dict[str, list[tuple[Source, KeyPath]]] = {char: [] for char in chars}
    for source in sources:
        for path, value in _strings(source.value, ()):
            for char in chars.intersection(value):
                holders[char].append((source, path))
    return holders


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _places(
    item: Missing,
    holders: dict[str, list[tuple[Source, KeyPath]]],
    sources: Sequence[Source],
    layout: Layout,
) -> list[Problem]:
    """The values under the origin that hold the character; else those of other files
    (a name from another data file, the layout's wording), else of the origin's file; else the
    locale that worded it."""
    held, origin = holders[item.written], item.origin
    if origin is not None:
        inside = [
            source.problem(path, "")
            for source, path in held
            if source.file == origin.file and _within(format_path(path), origin.path)
        ]
        if inside:
            return inside
        # else another data file (a name from a registry), else elsewhere in the same file
        # (a name the issue gives a group of its own)
        held = [(source, path) for source, path in held if source.file != origin.file] or held
    if held:
        return [source.problem(path, "") for source, path in held]
    locale = [s for s in sources if isinstance(s.value, dict) and "locale" in s.value]
    if locale:
        return [locale[0].problem(("locale",), "")]
    if origin is not None:
        return [Problem(origin.file, origin.line, origin.column, origin.path, "")]
    file = layout.text_source.file if layout.text_source else f"layouts/{layout.name}"
    return [Problem(file, 1, 1, item.place, "")]


def _within(path: str, parent: str) -> bool:
    return path == parent or (path.startswith(parent) and path[len(parent)] in ".[")
