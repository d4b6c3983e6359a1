"""A character style's colour in the PDF's paragraph markup is the layout's colour exactly."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from reportlab.lib.colors import CMYKColor, HexColor, toColor

from generator.layout import load_layout
from generator.writers.pdf.styles import Palette


def palette_of(rgb: str, cmyk: bool = False) -> Palette:
    colour = SimpleNamespace(rgb=rgb, cmyk=(10.0, 20.5, 0.0, 100.0))
    layout = SimpleNamespace(spec=SimpleNamespace(colours={"c": colour}))
    return Palette(layout, cmyk)  # type: ignore[arg-type]  # a layout with one colour


def rgba(colour: object) -> tuple[float, ...]:
    return tuple(getattr(colour, name) for name in ("red", "green", "blue", "alpha"))


@pytest.mark.parametrize("channel", [0, 8, 16])
def test_every_channel_value_reads_as_the_hex_colour(channel: int) -> None:
    for value in range(256):
        rgb = f"#{value << channel:06X}"
        read = toColor(palette_of(rgb).markup("c"))
        assert type(read) is type(HexColor(rgb)) and rgba(read) == rgba(HexColor(rgb)), rgb


def test_the_print_palette_reads_as_its_cmyk_colour() -> None:
    read = toColor(palette_of("#000000", cmyk=True).markup("c"))
    assert isinstance(read, CMYKColor)
    assert (read.cyan, read.magenta, read.yellow, read.black) == (0.1, 0.205, 0.0, 1.0)


@pytest.mark.parametrize("layout_name", ["iscm", "large-print"])
def test_each_layout_colour_in_markup_is_the_palette_colour(layout_name: str) -> None:
    layout = load_layout(layout_name)
    for cmyk in (False, True):
        palette = Palette(layout, cmyk)
        for name in layout.spec.colours:
            assert toColor(palette.markup(name)) == palette(name), (name, cmyk)
