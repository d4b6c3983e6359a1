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
