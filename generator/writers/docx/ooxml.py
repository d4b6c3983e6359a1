"""Small helpers for WordprocessingML: new w: elements and Word's units."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import OxmlElement, oxml_parser
from lxml.etree import _Element

EMU_PER_PT = 12700
"""English Metric Units in a point (DrawingML's sizes)."""


def twips(points: float) -> str:
    """Points as twentieths of a point, the unit of Word's spacing and indents."""
    return str(round(points * 20))


def half_points(points: float) -> str:
    """Points as half-points, the unit of Word's font sizes."""
    return str(round(points * 2))


def element(tag: str, children: Iterable[_Element] = (), **attributes: str) -> _Element:
    """A new w: element with `w:`-prefixed attributes (`val="x"` -> `w:val="x"`): python-docx's
    OxmlElement, made by copying one made before (a quarter of the time of making it anew; a
    Word file makes thousands of elements)."""
    node: _Element = _blank(tag).__copy__()  # not copy.copy: the same, without its lookups
    for key, value in attributes.items():
        node.set(_attribute(key), value)
    node.extend(children)
    return node


@cache
def _blank(tag: str) -> _Element:
    """An element of the prefixed tag, without attributes or children, as OxmlElement makes
    it (its namespace declared on it): the one `element` copies."""
    found = NamespacePrefixedTag(tag)
    blank: _Element = oxml_parser.makeelement(found.clark_name, nsmap=found.nsmap)
    return blank


@cache
def _attribute(key: str) -> str:
    return qn(f"w:{key}")


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


def keep_with_next(paragraph: _Element, keep: bool) -> None:
    """Keep a paragraph with the next one, or not, whatever its style says (w:keepNext)."""
    properties = paragraph.find(qn("w:pPr"))
    found = properties.find(qn("w:keepNext"))
    if found is None:
        found = OxmlElement("w:keepNext")
        style = properties.find(qn("w:pStyle"))
        properties.insert(0 if style is None else 1, found)
    found.set(qn("w:val"), "1" if keep else "0")
