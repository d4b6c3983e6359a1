"""Paragraph markup (as `StyleSheet.markup` writes it) read into ReportLab's fragments without
its HTML parser.

ReportLab reads a paragraph's markup with Python's `html.parser` (about a fifth of the time it
takes to make the PDF's paragraphs); the markup the style sheet writes has a few tags with quoted
attributes and three entities, so it is split here with one regular expression into ReportLab's
own "tuple tree", which ReportLab's parser walks with the same handlers: the same fragments,
piece for piece (each entity a piece of its own, as `html.parser` gives it, whitespace cleaned
as ReportLab cleans it first). Markup of any other shape (None from `markup_frags`) is left to
ReportLab's parser.
"""

from __future__ import annotations

import re
from functools import cache
from html import unescape
from typing import Any

from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaParser, known_entities

_PIECE = re.compile(r"(<[^<>]*>|&[a-zA-Z][-.a-zA-Z0-9]*;)")
_TAG = re.compile(r"<(/?)([a-z]+)((?:\s+[a-z]+=(?:\"[^\"]*\"|'[^']*'))*)\s*>\Z")
_ATTRIBUTE = re.compile(r"\s+([a-z]+)=(\"[^\"]*\"|'[^']*')")

Node = list[Any]  # [tag, attributes, children]: ReportLab's tuple tree


def markup_frags(cleaned: str, style: Any) -> list[Any] | None:
    """The fragments ReportLab's parser makes of markup already cleaned of its line breaks
    and runs of spaces (`cleanBlockQuotedText`), or None if the markup is not of the shape
    read here."""
    tree = _tree(cleaned)
    if tree is None:
        return None
    _, frags, bullet = _parser().tt_parse(tree, style)
    if frags is None or bullet:
        return None
    textTransformFrags(frags, style)
    return frags


@cache
def _parser() -> ParaParser:
    """ReportLab's parser, made once (it resets itself for each paragraph it reads)."""
    parser = ParaParser()
    parser.caseSensitive = 1
    return parser


def _tree(text: str) -> Node | None:
    """The markup as ReportLab's tuple tree below a `para` node, or None."""
    if text[:5].lower() == "<para":  # ReportLab would not add its own <para>
        return None
    root: Node = ["para", None, []]
    stack = [root]
    for at, piece in enumerate(_PIECE.split(text)):
        if not piece:
            continue
        if at % 2 == 0:  # text between tags and entities
            if "<" in piece or "&" in piece or ">" in piece:
                return None
            stack[-1][2].append(piece)
        elif piece[0] == "&":
            name = piece[1:-1]
            stack[-1][2].append(known_entities.get(name, piece))
        else:
            tag = _TAG.match(piece)
            if tag is None:
                return None
            closing, name, attributes = tag.groups()
            if closing:
                if attributes or len(stack) == 1 or stack[-1][0] != name:
                    return None
                stack.pop()
            else:
                node: Node = [name, _attributes(attributes), []]
                stack[-1][2].append(node)
                stack.append(node)
    return root if len(stack) == 1 else None


def _attributes(text: str) -> dict[str, str] | None:
    """A tag's attributes as `html.parser` gives them: values unquoted and unescaped."""
    if not text:
        return None
    found = {}
    for name, quoted in _ATTRIBUTE.findall(text):
        value = quoted[1:-1]
        found[name] = unescape(value) if value else value
    return found
