"""Small helpers for WordprocessingML: new w: elements and Word's units."""

from __future__ import annotations

from collections.abc import Iterable

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from lxml.etree import _Element


def twips(points: float) -> str:
    """Points as twentieths of a point, the unit of Word's spacing and indents."""
    return str(round(points * 20))


def half_points(points: float) -> str:
    """Points as half-points, the unit of Word's font sizes."""
    return str(round(points * 2))


def element(tag: str, children: Iterable[_Element] = (), **attributes: str) -> _Element:
    """A new w: element with `w:`-prefixed attributes (`val="x"` -> `w:val="x"`)."""
    node = OxmlElement(tag, {qn(f"w:{key}"): value for key, value in attributes.items()})
    node.extend(children)
    return node


PPR_BEFORE_KEEP_LINES = ("w:pStyle", "w:keepNext")
"""The w:pPr children that come before w:keepLines in the schema."""


def keep_lines(paragraph: _Element) -> None:
    """Keep a paragraph's lines in one column or page (w:keepLines, in schema order)."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph.insert(0, properties)
    before = {qn(tag) for tag in PPR_BEFORE_KEEP_LINES}
    at = sum(1 for child in properties if child.tag in before)
    properties.insert(at, OxmlElement("w:keepLines"))
