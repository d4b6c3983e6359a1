"""The schema of a layout file (`layouts/<name>/layout.yaml`), and a resolved style.

Every key is checked like the data's: unknown keys, wrong types and out-of-range numbers are
located errors. Sizes are points unless a key ends in `_mm`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .data import Record, problem

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"
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


Positive = Annotated[float, Field(ge=0)]


class Margins(Record):
    top: Positive
    bottom: Positive
    left: Positive
    right: Positive


class PageSetup(Record):
    size_mm: tuple[Annotated[float, Field(gt=50)], Annotated[float, Field(gt=50)]]
    margins_mm: Margins
    bleed_mm: Positive = 3
    column_gap_mm: Positive = 8
    masthead_height_mm: Positive = 60
    masthead_background: str = "brand"


class FontFamily(Record):
    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def file(self, bold: bool, italic: bool) -> Path:
        name = {
            (False, False): self.regular,
            (True, False): self.bold,
            (False, True): self.italic,
            (True, True): self.bold_italic,
        }[(bold, italic)]
        return FONTS / name


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
    size: Annotated[float, Field(gt=0, le=200)] | None = None
    leading: Annotated[float, Field(gt=0, le=250)] | None = None
    colour: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    align: Literal["left", "right", "centre", "justify"] | None = None
    space_before: Positive | None = None
    space_after: Positive | None = None
    left_indent: Positive | None = None
    keep_with_next: bool | None = None
    rule_below: str | None = None


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
    parent: str | None = None


class CharacterStyle(Record):
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None
    underline: bool = False


class FrameStyle(Record):
    background: str | None = None
    border: str | None = None
    border_width: Positive = 0
    padding: Positive = 8
    rule_left: Positive = 0


class TableStyle(Record):
    header_background: str
    header_style: str
    body_style: str
    stripe: str | None = None
    rule: str | None = None
    padding: Positive = 4
    widths: list[Annotated[float, Field(gt=0)]]


class ChartStyle(Record):
    max_bars: Annotated[int, Field(ge=1, le=100)] = 10
    bar_colour: str
    label_colour: str
    bar_height: Annotated[float, Field(gt=0)] = 11
    bar_gap: Positive = 5
    label_width: Annotated[float, Field(gt=0, lt=1)] = 0.35
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
    fonts: dict[str, FontFamily]
    colours: dict[str, Colour]
    styles: dict[str, StyleSpec]
    character_styles: dict[str, CharacterStyle]
    frames: dict[str, FrameStyle] = Field(default_factory=dict)
    tables: dict[str, TableStyle]
    chart: ChartStyle
    sections: dict[str, SectionStyle]
    email: EmailStyle = Field(default_factory=EmailStyle)
