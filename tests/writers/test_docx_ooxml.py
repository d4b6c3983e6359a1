"""New WordprocessingML elements (ooxml.element): python-docx's, each one new."""

from __future__ import annotations

from docx.oxml.parser import OxmlElement
from docx.oxml.text.run import CT_R
from lxml import etree

from generator.writers.docx.ooxml import element


def test_an_element_is_the_one_python_docx_makes() -> None:
    """Its class, namespace declaration and attributes in the order given, its children."""
    made = element("w:r", [element("w:rPr", [element("w:rStyle", val="Strong")])])
    theirs = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(etree.QName(style.nsmap["w"], "val").text, "Strong")
    properties.append(style)
    theirs.append(properties)
    assert isinstance(made, CT_R)
    assert etree.tostring(made) == etree.tostring(theirs)
    spacing = element("w:spacing", before="120", after="0", line="276")
    assert etree.tostring(spacing).count(b"xmlns:w=") == 1
    assert [etree.QName(key).localname for key in spacing.attrib] == ["before", "after", "line"]


def test_each_element_is_new_and_blank() -> None:
    """Changing one (attributes, children, text) changes no element made after it."""
    first = element("w:t", space="preserve")
    first.text = "changed"
    first.append(element("w:br"))
    second = element("w:t")
    assert second is not first and second.text is None and len(second) == 0
    assert not second.attrib
    assert etree.tostring(element("w:t")) == etree.tostring(OxmlElement("w:t"))
