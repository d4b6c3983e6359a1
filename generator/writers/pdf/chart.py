"""The bar chart as vector graphics: category names, bars, and the number at each bar."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from ...layout import Layout
from ...model import BarChart
from .styles import Palette, StyleSheet


def chart_drawing(
    chart: BarChart, width: float, layout: Layout, sheet: StyleSheet, palette: Palette
) -> Drawing:
    """A horizontal bar chart, widest bar first, scaled to the text width."""
    spec = layout.chart
    style = layout.style(chart.style)
    font = sheet.font(style)
    label_width = width * spec.label_width
    step = spec.bar_height + spec.bar_gap
    height = step * len(chart.values) + spec.bar_gap
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = font, style.size  # not Helvetica
    largest = max(chart.values, default=1) or 1
    number_room = stringWidth(str(largest), font, style.size) + 6
    bar_room = width - label_width - number_room - 6
    axis_x = label_width + 6
    drawing.add(
        Line(axis_x, 0, axis_x, height, strokeColor=palette(spec.label_colour), strokeWidth=0.5)
    )
    for i, (name, value) in enumerate(zip(chart.categories, chart.values, strict=True)):
        top = height - spec.bar_gap - i * step
        middle = top - spec.bar_height / 2 - style.size * 0.35
        bar = bar_room * value / largest
        drawing.add(
            Rect(
                axis_x,
                top - spec.bar_height,
                bar,
                spec.bar_height,
                fillColor=palette(spec.bar_colour),
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                label_width,
                middle,
                _fit(name, font, style.size, label_width),
                fontName=font,
                fontSize=style.size,
                textAnchor="end",
                fillColor=palette(spec.label_colour),
            )
        )
        drawing.add(
            String(
                axis_x + bar + 4,
                middle,
                str(value),
                fontName=sheet.font(style, True),
                fontSize=style.size,
                fillColor=palette(spec.label_colour),
            )
        )
    return drawing


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten a category name with an ellipsis so it fits its column."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
