"""The bar chart as a native Word chart that an editor can change with "Edit Data".

The DrawingML chart part (word/charts/chartN.xml, the XML Word itself writes) relates to a
small workbook (word/embeddings/chartN.xlsx) holding the same data, and an inline w:drawing
shows the chart. Both are written here from templates: python-pptx and xlsxwriter, which
could write them, cost a third of the Word writer's start-up for these two small parts.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml
from lxml.etree import _Element

from ...layout import Layout
from ...model import BarChart
from ...xml_text import escape
from .ooxml import EMU_PER_PT
from .package import new_part
from .theme import Theme
from .workbook import chart_workbook

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
    """The chart's height in points, the PDF's: one bar and one gap per category, and one
    more gap (the PDF's has one above the first bar and one below the last)."""
    spec = layout.chart
    return len(chart.categories) * (spec.bar_height + spec.bar_gap) + spec.bar_gap


def add_chart(
    source: Part, chart: BarChart, theme: Theme, number: int, width: float, epoch: int
) -> _Element:
    """Add chart part number N (and its workbook) to `source`; the w:drawing showing it.

    Its alternative text is the chart's brief one, which stays true after Edit Data.
    """
    layout = theme.layout
    space = parse_xml(chart_space(chart, theme))
    package = source.package
    part = XmlPart(PackURI(f"/word/charts/chart{number}.xml"), CT.DML_CHART, space, package)
    blob = chart_workbook(chart.title, chart.categories, chart.values, epoch)
    workbook = new_part(package, f"/word/embeddings/chart{number}.xlsx", CT.SML_SHEET, blob)
    external = space.find(f"{{{C}}}externalData")
    external.set(f"{{{R}}}id", part.relate_to(workbook, RT.PACKAGE))
    height = chart_height(chart, layout)
    drawing = parse_xml(
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
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def chart_space(chart: BarChart, theme: Theme) -> str:
    """The chart part: bars in the layout's colour, values at their ends, category names on
    the left in the layout's share of the width; no legend, title, value axis or border.
    Colours and the font are the theme's where it has them."""
    layout = theme.layout
    spec = layout.chart
    style = layout.style(spec.style)
    count = len(chart.categories)
    return SPACE.format(
        x=spec.label_width,
        w=f"{1 - spec.label_width:.4f}",
        title=escape(chart.title),
        bar=_colour(theme, spec.bar_colour),
        last=count + 1,
        count=count,
        categories="".join(_point(i, name) for i, name in enumerate(chart.categories)),
        values="".join(_point(i, str(value)) for i, value in enumerate(chart.values)),
        gap=round(100 * spec.bar_gap / spec.bar_height),
        axis_width=round(AXIS_LINE_PT * EMU_PER_PT),
        ink=_colour(theme, spec.label_colour),
        size=round(style.size * 100),
        font=escape(_font(theme, layout.spec.fonts[style.font].family), {'"': "&quot;"}),
    )


def _point(index: int, value: str) -> str:
    return f'<c:pt idx="{index}"><c:v>{escape(value)}</c:v></c:pt>'


def _colour(theme: Theme, colour: str) -> str:
    """A DrawingML colour: the theme colour that holds a layout colour, else its RGB value."""
    scheme = theme.chart_colour(colour)
    if scheme:
        return f'<a:schemeClr val="{scheme}"/>'
    return f'<a:srgbClr val="{theme.layout.spec.colours[colour].rgb.lstrip("#").upper()}"/>'


def _font(theme: Theme, family: str) -> str:
    """The theme's body or heading font by its DrawingML name (+mn-lt), else the family."""
    kind = theme.font_reference(family)
    return THEME_FONTS[kind] if kind else family


THEME_FONTS = {"minor": "+mn-lt", "major": "+mj-lt"}
"""How DrawingML names the theme's body (minor) and heading (major) fonts."""


SPACE = (
    "<c:chartSpace"
    f' xmlns:c="{C}"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    f' xmlns:r="{R}">'
    '<c:date1904 val="0"/><c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/>'
    '<c:plotArea><c:layout><c:manualLayout><c:layoutTarget val="inner"/>'
    '<c:xMode val="edge"/><c:yMode val="edge"/><c:x val="{x}"/><c:y val="0"/>'
    '<c:w val="{w}"/><c:h val="1"/></c:manualLayout></c:layout>'
    '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
    '<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f>'
    '<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{title}</c:v></c:pt></c:strCache>'
    "</c:strRef></c:tx>"
    "<c:spPr><a:solidFill>{bar}</a:solidFill></c:spPr>"
    "<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${last}</c:f>"
    '<c:strCache><c:ptCount val="{count}"/>{categories}</c:strCache></c:strRef></c:cat>'
    "<c:val><c:numRef><c:f>Sheet1!$B$2:$B${last}</c:f><c:numCache><c:formatCode>0</c:formatCode>"
    '<c:ptCount val="{count}"/>{values}</c:numCache></c:numRef></c:val></c:ser>'
    '<c:dLbls><c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
    '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
    '<c:showBubbleSize val="0"/><c:showLeaderLines val="1"/></c:dLbls>'
    '<c:gapWidth val="{gap}"/><c:axId val="1"/><c:axId val="2"/></c:barChart>'
    '<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
    '<c:delete val="0"/><c:axPos val="l"/><c:majorTickMark val="none"/>'
    '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    '<c:spPr><a:ln w="{axis_width}"><a:solidFill>{ink}</a:solidFill>'
    '</a:ln></c:spPr><c:crossAx val="2"/><c:crosses val="autoZero"/><c:auto val="1"/>'
    '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    '<c:valAx><c:axId val="2"/><c:scaling/><c:delete/><c:axPos val="b"/>'
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    '<c:crossAx val="1"/><c:crosses val="autoZero"/></c:valAx></c:plotArea>'
    '<c:dispBlanksAs val="gap"/></c:chart>'
    "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
    '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}">'
    '<a:solidFill>{ink}</a:solidFill><a:latin typeface="{font}"/>'
    '</a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>'
    '<c:externalData r:id="rId0"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>'
)
"""The chart part as Word writes it; {names} are filled in by `chart_space`."""
