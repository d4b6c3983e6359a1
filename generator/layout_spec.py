"""The schema of a layout file (`layouts/<name>/layout.yaml`), and a resolved style.

Every key is checked like the data's: unknown keys, wrong types and out-of-range numbers are
located errors. Sizes are points unless a key ends in `_mm`.
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from .confine import confined
from .errors import clipped
from .schema import AfterValidator, Field, Record, problem

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
"""In a checkout (or an editable install), the repository: its layouts/ and fonts/ are the
built-in ones."""


def builtin(folder: str) -> Path:
    """Built-in `layouts` or `fonts`: inside the installed package (a wheel ships them there),
    else the repository's top-level folder (a checkout, an editable install)."""
    packaged = PACKAGE / folder
    return packaged if packaged.is_dir() else CHECKOUT / folder


FONTS = builtin("fonts")
FONT_FOLDERS: tuple[Path, ...] = (FONTS,)
"""The folders a layout's font files are looked up in (and may not leave), first first; a
project's own fonts/ come before them (FontFamily._folders)."""
MM = 72 / 25.4
FACES = ((False, False), (True, False), (False, True), (True, True))
"""The four faces of a font family, as (bold, italic)."""


def _hex(value: str) -> str:
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        raise problem(f"'{value}' is not a colour", "write it as #RRGGBB")
    return value.upper()


def _percent(value: float) -> float:
    if not 0 <= value <= 100:
        raise problem(f"{value} is not between 0 and 100", "CMYK values are percentages")
    return value


def _between(low: float, high: float, unit: str = "") -> AfterValidator:
    """A check that a number is finite and lies from `low` to `high`, both included."""

    def check(value: float) -> float:
        if not math.isfinite(value):
            raise problem(f"'{value}' is not a number", f"write a number from {low} to {high}")
        if not low <= value <= high:
            raise problem(
                f"must be from {low:g} to {high:g}{unit}, got {value:g}",
                "see docs/layouts.md for the range of each size",
            )
        return value

    return AfterValidator(check)


def Size(low: float, high: float, unit: str = " pt") -> type[float]:
    """A float from `low` to `high` (finite): every size a layout gives is bounded."""
    return Annotated[float, _between(low, high, unit)]  # type: ignore[return-value]


Points = Size(0, 200)
"""Spaces, indents and paddings in points."""


class Margins(Record):
    top: Size(0, 300, " mm")
    bottom: Size(0, 300, " mm")
    left: Size(0, 300, " mm")
    right: Size(0, 300, " mm")


class PageSetup(Record):
    size_mm: tuple[Size(50, 1200, " mm"), Size(50, 1200, " mm")]
    margins_mm: Margins
    bleed_mm: Size(0, 20, " mm") = 3
    column_gap_mm: Size(0, 50, " mm") = 8
    word_line_room: Size(0, 0.1, "") = 0.04
    """How much closer than the PDF's leading the Word file sets the lines of the events in
    columns, a share of the leading (see word_lines.py): room for LibreOffice's longer lines."""
    masthead_height_mm: Size(0, 600, " mm") = 60
    masthead_background: str = "brand"
    paper: str = "white"
    """The colour of the page (neither writer paints it): the ground of text, for contrast."""


_FAMILY = re.compile(r"[^\W_][\w .-]{0,62}")
STANDARD_FONTS = {"Courier", "Helvetica", "Times", "Times-Roman", "Symbol", "ZapfDingbats"}
"""PDF's own font names: a layout's family may not take one (it would stand for Lato)."""


def _family(name: str) -> str:
    """A font family's name: letters, digits, spaces, `.`, `-`, `_`; not a PDF standard font."""
    if not _FAMILY.fullmatch(name):
        raise problem(
            f"'{clipped(name, 64)}' is not a font family name",
            "write the family's name: up to 63 letters, digits, spaces, '.', '-' or '_'",
        )
    if name.split("-")[0] in STANDARD_FONTS:
        raise problem(f"'{name}' is one of PDF's standard fonts", "give the family its own name")
    return name


class FontFamily(Record):
    family: Annotated[str, AfterValidator(_family)]
    regular: str
    bold: str
    italic: str
    bold_italic: str
    _folders: tuple[Path, ...] = ()
    """The project's font folders, searched before the built-in one (set when loading)."""

    def file(self, bold: bool, italic: bool) -> Path:
        """The font file of a face: the first folder that has it, else the built-in one."""
        name = {
            (False, False): self.regular,
            (True, False): self.bold,
            (False, True): self.italic,
            (True, True): self.bold_italic,
        }[(bold, italic)]
        found = confined((*self._folders, *FONT_FOLDERS), name)
        if found is None:  # load_layout reports it; a writer never gets here with it
            raise FileNotFoundError(f"no font file {name!r} in {FONT_FOLDERS}")
        return found


class Colour(Record):
    rgb: Annotated[str, AfterValidator(_hex)]
    cmyk: tuple[
        Annotated[float, AfterValidator(_percent)],
        Annotated[float, AfterValidator(_percent)],
        Annotated[float, AfterValidator(_percent)],
        Annotated[float, AfterValidator(_percent)],
    ]


class StyleSpec(Record):
    """A paragraph style as written; None means 'as the parent'."""

    parent: str | None = None
    font: str | None = None
    size: Size(4, 200) | None = None
    leading: Size(4, 250) | None = None
    colour: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    align: Literal["left", "right", "centre", "justify"] | None = None
    space_before: Points | None = None
    space_after: Points | None = None
    left_indent: Size(0, 1000) | None = None
    keep_with_next: bool | None = None
    rule_below: str | None = None
    hyphenate: bool | None = None
    background: str | None = None


@dataclass(frozen=True)
class Style:
    """A paragraph style with every property settled."""

    name: str
    font: str
    size: float
    leading: float
    colour: str
    bold: bool = False
    italic: bool = False
    caps: bool = False
    align: str = "left"
    space_before: float = 0
    space_after: float = 0
    left_indent: float = 0
    keep_with_next: bool = False
    rule_below: str | None = None
    hyphenate: bool = False
    background: str | None = None
    parent: str | None = None


class CharacterStyle(Record):
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None
    underline: bool = False
    background: str | None = None
    hyphenate: bool = True
    """Whether its words may be hyphenated where the paragraph's are (false: a title's)."""


_EXCEPTION = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _exception(word: str) -> str:
    if not _EXCEPTION.fullmatch(word) or len(word) > 60:
        raise problem(
            f"'{clipped(word, 60)}' is not a word with its break points",
            "write the word's letters with a hyphen where a line may break it"
            " (re-inte-gra-tion), or without one where it never may (Budapest)",
        )
    return word


class Hyphenation(Record):
    """A language's words hyphenated otherwise than its dictionary says."""

    exceptions: Annotated[
        list[Annotated[str, AfterValidator(_exception)]], Field(max_length=5000)
    ] = Field(default_factory=list)


class ThemeColours(Record):
    """The Word file's colour theme (Design > Colors): a colour name for each of its slots."""

    dark_1: str
    light_1: str
    dark_2: str
    light_2: str
    accent_1: str
    accent_2: str
    accent_3: str
    accent_4: str
    accent_5: str
    accent_6: str
    hyperlink: str
    followed_hyperlink: str


class FrameStyle(Record):
    background: str | None = None
    border: str | None = None
    border_width: Size(0, 20) = 0
    padding: Size(0, 72) = 8
    rule_left: Size(0, 36) = 0


class TableStyle(Record):
    header_background: str
    header_style: str
    body_style: str
    stripe: str | None = None
    rule: str | None = None
    rule_width: Size(0.25, 6) = 0.5
    padding: Size(0, 36) = 4
    widths: Annotated[list[Size(0.05, 1, "")], Field(min_length=1, max_length=12)]


class ChartStyle(Record):
    max_bars: Annotated[int, Field(ge=1, le=100)] = 10
    bar_colour: str
    label_colour: str
    bar_height: Size(2, 72) = 11
    bar_gap: Size(0, 72) = 5
    label_width: Size(0.05, 0.95, "") = 0.35
    style: str


class SectionStyle(Record):
    columns: Annotated[int, Field(ge=1, le=4)] = 1
    frame: str | None = None


class EmailStyle(Record):
    """How the e-mail's HTML part is set: its width, the scale from points to pixels, colours."""

    width_px: Annotated[int, Field(ge=320, le=1000)] = 600
    px_per_pt: Annotated[float, Field(gt=0, le=4)] = 1.5
    fallback_fonts: Annotated[str, Field(pattern=r"^[A-Za-z0-9 ,-]*$", max_length=200)] = (
        "Arial, Helvetica, sans-serif"
    )
    background: str = "white"
    paper: str = "white"


class LayoutSpec(Record):
    extends: str | None = None
    page: PageSetup
    fonts: Annotated[dict[str, FontFamily], Field(max_length=16)]
    colours: Annotated[dict[str, Colour], Field(max_length=200)]
    styles: Annotated[dict[str, StyleSpec], Field(max_length=200)]
    character_styles: Annotated[dict[str, CharacterStyle], Field(max_length=50)]
    frames: Annotated[dict[str, FrameStyle], Field(max_length=50)] = Field(default_factory=dict)
    tables: Annotated[dict[str, TableStyle], Field(max_length=20)] = Field(default_factory=dict)
    chart: ChartStyle | None = None
    sections: Annotated[dict[str, SectionStyle], Field(max_length=20)]
    theme: ThemeColours
    email: EmailStyle = Field(default_factory=EmailStyle)
    hyphenation: Annotated[dict[str, Hyphenation], Field(max_length=50)] = Field(
        default_factory=dict
    )
    """Per language ('en', 'en-GB'): see generator/word_breaks.py."""
