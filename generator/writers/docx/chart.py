"""The bar chart as a native Word chart that an editor can change with "Edit Data".

python-pptx writes the DrawingML chart (the same XML Word uses) and its workbook; the chart
part word/charts/chartN.xml relates to the workbook, and an inline w:drawing shows it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml as parse_word_xml
from lxml.etree import _Element
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import ColorFormat, RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.oxml import parse_xml
from pptx.util import Pt
from xlsxwriter import Workbook

from ...layout import Layout
from ...model import BarChart
from .package import new_part
from .theme import Theme

EMU_PER_PT = 12700
AXIS_LINE_PT = 0.5
"""Width of the category axis line (the layout gives it a colour, not a width)."""

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
INLINE = (
    '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    f' xmlns:c="{C}"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
    '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{number}" name="Chart {number}"/>'
    "<wp:cNvGraphicFramePr/><a:graphic>"
    f'<a:graphicData uri="{C}"><c:chart r:id="{{rid}}"/></a:graphicData>'
    "</a:graphic></wp:inline></w:drawing>"
)


def chart_height(chart: BarChart, layout: Layout) -> float:
    """The chart's height in points: one bar and one gap per category."""
    spec = layout.spec.chart
    return len(chart.categories) * (spec.bar_height + spec.bar_gap)


def add_chart(
    source: Part, chart: BarChart, theme: Theme, number: int, width: float, epoch: int
) -> _Element:
    """Add chart part number N (and its workbook) to `source`; the w:drawing showing it.

    Its alternative text is the chart's brief one, which stays true after Edit Data.
    """
    layout = theme.layout
    data = CategoryChartData(number_format="0")
    data.categories = chart.categories
    data.add_series(chart.title, chart.values)
    space = parse_xml(data.xml_bytes(XL_CHART_TYPE.BAR_CLUSTERED))
    _style(Chart(space, None), chart, theme)
    _fix_axis_ids(space)
    _place_plot_area(space, layout.spec.chart.label_width)
    package = source.package
    part = XmlPart(PackURI(f"/word/charts/chart{number}.xml"), CT.DML_CHART, space, package)
    workbook = new_part(
        package, f"/word/embeddings/chart{number}.xlsx", CT.SML_SHEET, _workbook(data, epoch)
    )
    space.get_or_add_externalData().rId = part.relate_to(workbook, RT.PACKAGE)
    height = chart_height(chart, layout)
    drawing = parse_word_xml(
        INLINE.format(
            cx=round(width * EMU_PER_PT),
            cy=round(height * EMU_PER_PT),
            number=number,
            rid=source.relate_to(part, RT.CHART),
        )
    )
    drawing.find(f".//{{{_WP}}}docPr").set("descr", chart.brief_alt_text or chart.alt_text)
    return drawing


_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def _style(proxy: Chart, chart: BarChart, theme: Theme) -> None:
    """Bars in the layout's colour, values at their ends, no legend, title or value axis;
    colours are the theme's where it has them."""
    layout = theme.layout
    spec = layout.spec.chart
    style = layout.style(spec.style)
    proxy.has_title = False
    proxy.has_legend = False
    family = layout.spec.fonts[style.font].family
    kind = theme.font_reference(family)
    proxy.font.name = THEME_FONTS[kind] if kind else family
    proxy.font.size = Pt(style.size)
    _paint(proxy.font.color, theme, spec.label_colour)
    plot = proxy.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = round(100 * spec.bar_gap / spec.bar_height)
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.show_value = True
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    fill = plot.series[0].format.fill
    fill.solid()
    _paint(fill.fore_color, theme, spec.bar_colour)
    axis = proxy.category_axis
    axis.reverse_order = True  # bars are drawn bottom-up: the first category goes on top
    axis.major_tick_mark = XL_TICK_MARK.NONE
    _paint(axis.format.line.color, theme, spec.label_colour)
    axis.format.line.width = Pt(AXIS_LINE_PT)
    proxy.value_axis.has_major_gridlines = False
    proxy.value_axis.visible = False
    _no_chart_border(proxy._chartSpace)


def _paint(target: ColorFormat, theme: Theme, colour: str) -> None:
    """Give a chart colour the theme colour that holds a layout colour, else its RGB value."""
    scheme = theme.chart_colour(colour)
    if scheme:
        target.theme_color = SCHEME_COLOURS[scheme]
    else:
        target.rgb = RGBColor.from_string(theme.layout.spec.colours[colour].rgb.lstrip("#"))


THEME_FONTS = {"minor": "+mn-lt", "major": "+mj-lt"}
"""How DrawingML names the theme's body (minor) and heading (major) fonts."""

SCHEME_COLOURS = {member.xml_value: member for member in MSO_THEME_COLOR if member.xml_value}
"""python-pptx's theme colours by the a:schemeClr value each writes."""


def _no_chart_border(space: _Element) -> None:
    """Square corners, no fill and no outline around the chart area."""
    rounded = parse_xml(f'<c:roundedCorners xmlns:c="{C}" val="0"/>')
    space.insert_element_before(rounded, "c:style", "c:clrMapOvr", "c:chart")
    outline = parse_xml(
        f'<c:spPr xmlns:c="{C}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        "<a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
    )
    space.insert_element_before(outline, "c:txPr", "c:externalData")


def _fix_axis_ids(space: _Element) -> None:
    """python-pptx writes negative axis ids; the schema wants unsigned ones: renumber them."""
    found = space.xpath("//c:axId/@val")
    numbers = {old: str(i + 1) for i, old in enumerate(dict.fromkeys(found))}
    for node in space.xpath("//c:axId | //c:crossAx"):
        node.set("val", numbers[node.get("val")])


def _place_plot_area(space: _Element, label_width: float) -> None:
    """Leave the layout's share of the width to the category names, on the left."""
    layout = parse_xml(
        f'<c:layout xmlns:c="{C}"><c:manualLayout><c:layoutTarget val="inner"/>'
        '<c:xMode val="edge"/><c:yMode val="edge"/>'
        f'<c:x val="{label_width}"/><c:y val="0"/>'
        f'<c:w val="{1 - label_width:.4f}"/><c:h val="1"/>'
        "</c:manualLayout></c:layout>"
    )
    space.plotArea.insert(0, layout)


class _DatedWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's workbook writer, dating the workbook by the build, not by the clock."""

    def __init__(self, chart_data: CategoryChartData, created: datetime) -> None:
        super().__init__(chart_data)
        self.created = created

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Workbook, object]]:
        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": self.created})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


def _workbook(data: CategoryChartData, epoch: int) -> bytes:
    """The chart's data as an .xlsx workbook, the one "Edit Data" opens."""
    created = datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)
    return _DatedWorkbookWriter(data, created).xlsx_blob
