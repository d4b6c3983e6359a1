"""The print file derived from the tagged screen file, in the same pikepdf object (see
press.py): each page enlarged by the bleed and slug with its TrimBox and BleedBox, its drawing
moved into the trim and ended with the crop marks (artifacts), every RGB colour turned into
the layout's CMYK one, the masthead band carried into the bleed, the link annotations,
destinations and figure boxes moved with the drawing. The structure tree, fonts, metadata
and text stay as they are.

Whatever this cannot carry over exactly raises `NotDerivable` (the print file is then laid
out on its own): page content it cannot read (a string or comment it does not know, inline
images, content in parts), colour operators other than RGB ones (grey, CMYK, colour spaces,
shadings), a colour the layout does not give, or gives two CMYK values for, forms, and
annotations other than links.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

from . import pikepdf_loaded  # noqa: F401  # pikepdf imported the quick way, first

# isort: split
import pikepdf
from pikepdf import Array, Dictionary, Name, Object

from .press import NotDerivable, Press

Box = tuple[float, float, float, float]

_STRINGS = re.compile(rb"(\((?:[^()\\]++|\\.)*+\)|<[0-9A-Fa-f \t\r\n\f\x00]*+>)", re.DOTALL)
"""The strings of a content stream (literal, hex): their bytes are never operators."""
_BETWEEN = b" \x00 "
"""What stands for a string while the operators around it are read (NUL: PDF whitespace)."""
_DELIMITERS = bytes.maketrans(b"[]<>{}/", b"       ")
_UNKNOWN_OPERATORS = frozenset(b"g G k K cs CS sc scn SC SCN sh BI ID EI d0 d1 BX EX".split())
"""Colour operators other than RGB ones, inline images, glyph procedures, extensions."""
_RGB_OPERATORS = re.compile(rb" (rg|RG)(?=[\s\x00]|\Z)")
_OPERANDS = re.compile(rb"(?:^|[\s\x00])([-+]?[\d.]+ [-+]?[\d.]+ [-+]?[\d.]+)\Z")
_CMYK_OPERATOR = {b"rg": b" k", b"RG": b" K"}
_PLACES = {"/XYZ": 2, "/FitH": 1, "/FitBH": 1, "/FitV": 1, "/FitBV": 1, "/FitR": 4}
"""Per kind of destination, how many of its numbers are places on the page (/XYZ's zoom
is not)."""


def derive(pdf: pikepdf.Pdf, press: Press, figures: Iterable[tuple[Dictionary, Box]]) -> None:
    """Turn the screen file `pdf` into the print file (`figures`: each structure element
    with a box, a Figure, and its box on the screen page)."""
    border = press.border
    for number, page in enumerate(pdf.pages):
        page_obj = page.obj
        _check_resources(page_obj)
        page_obj.Contents = _printed_contents(pdf, page_obj, press, number)
        page_obj.MediaBox = _numbers(press.media_box)
        page_obj.TrimBox = _numbers(press.trim_box)
        page_obj.BleedBox = _numbers(press.bleed_box)
        for annotation in page_obj.get("/Annots", Array()):
            _move_annotation(annotation, border)
    for destination in _destinations(pdf):
        _move_destination(destination, border)
    for element, box in figures:
        element.A.BBox = Array([round(v + border, 2) for v in box])


def _check_resources(page: Dictionary) -> None:
    """Forms, shadings, patterns and colour spaces may hold colours of their own."""
    resources = page.get("/Resources", Dictionary())
    for key in ("/Shading", "/Pattern", "/ColorSpace"):
        if key in resources:
            raise NotDerivable(f"the page uses {key[1:]} resources")
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.get("/Subtype") != Name.Image:
            raise NotDerivable("the page draws a form")


def _printed_contents(pdf: pikepdf.Pdf, page: Dictionary, press: Press, number: int) -> object:
    """The page's content stream as the print file's: moved into the trim, CMYK, the fills
    that reach the trim edge carried into the bleed, the crop marks."""
    contents = page.get("/Contents")
    if not isinstance(contents, pikepdf.Stream):
        raise NotDerivable("the page's content is in parts")
    data = contents.read_bytes()
    before, after = press.screen_page
    if not (data.startswith(before) and data.endswith(after)):
        raise NotDerivable("the page was not written as ReportLab writes a screen page")
    drawing = data[len(before) : len(data) - len(after)]
    fills = [
        (screen, printed) for page_number, screen, printed in press.bleeds if page_number == number
    ]
    drawing = _printed_drawing(drawing, press.colours, fills)
    start, end = press.print_page
    stream = pdf.make_stream(zlib.compress(start + drawing + end))
    stream.Filter = Name.FlateDecode
    return stream


def _printed_drawing(
    drawing: bytes, colours: Mapping[bytes, bytes | None], fills: list[tuple[bytes, bytes]]
) -> bytes:
    """The drawing's operators outside its strings changed (see `_printed_operators`)."""
    parts = _STRINGS.split(drawing)  # operators, a string, operators, ...
    operators = parts[0::2]
    if any(b"\x00" in piece for piece in operators):
        raise NotDerivable(
            "the page holds bytes outside its strings that the derivation cannot read"
        )
    printed = _printed_operators(_BETWEEN.join(operators), colours, fills).split(_BETWEEN)
    if len(printed) != len(operators):
        raise NotDerivable("the page's strings could not be told from its operators")
    parts[0::2] = printed
    return b"".join(parts)


def _printed_operators(
    code: bytes, colours: Mapping[bytes, bytes | None], fills: list[tuple[bytes, bytes]]
) -> bytes:
    """The operators (strings taken out) with each fill of `fills` replaced, and each RGB
    colour by its CMYK colour."""
    if b"(" in code or b")" in code or b"%" in code:
        raise NotDerivable("the page holds a string or a comment the derivation cannot read")
    tokens = code.translate(_DELIMITERS).split()
    unknown = _UNKNOWN_OPERATORS.intersection(tokens)
    if unknown:
        raise NotDerivable(f"the page uses the operator {sorted(unknown)[0].decode()}")
    for screen, printed in fills:
        screen, printed = b"\n" + screen + b"\n", b"\n" + printed + b"\n"
        if code.count(screen) != 1:
            raise NotDerivable("the fill that reaches the trim edge is not where it was drawn")
        code = code.replace(screen, printed)
    pieces, done, start = [], 0, 0
    for found in _RGB_OPERATORS.finditer(code):
        at = found.start()
        window = code[max(0, at - 64) : at]
        operands = _OPERANDS.search(window)
        if operands is None or (operands.start(1) == 0 and at > 64):
            raise NotDerivable("an RGB colour operator without three numbers")
        cmyk = colours.get(operands.group(1))
        if cmyk is None:
            raise NotDerivable(f"the colour {operands.group(1).decode()} has no single CMYK value")
        pieces += [code[start : at - len(operands.group(1))], cmyk, _CMYK_OPERATOR[found[1]]]
        start = found.end()
        done += 1
    if done != tokens.count(b"rg") + tokens.count(b"RG"):
        raise NotDerivable("an RGB colour operator the derivation cannot read")
    pieces.append(code[start:])
    return b"".join(pieces)


def _numbers(values: tuple[str, ...]) -> Array:
    return Array([Decimal(value) for value in values])


def _moved(value: object, border: float) -> float:
    return round(float(value) + border, 4)  # type: ignore[arg-type]  # a PDF number


def _move_annotation(annotation: Object, border: float) -> None:
    """A link's rectangle (and destination) moved with the page's drawing."""
    if annotation.get("/Subtype") != Name.Link:
        raise NotDerivable(f"the page has a {annotation.get('/Subtype')} annotation")
    if "/QuadPoints" in annotation:
        raise NotDerivable("a link annotation with QuadPoints")
    annotation.Rect = Array([_moved(v, border) for v in annotation.Rect])
    action = annotation.get("/A", Dictionary())
    for destination in (annotation.get("/Dest"), action.get("/D")):
        if isinstance(destination, Array):
            _move_destination(destination, border)


def _destinations(pdf: pikepdf.Pdf) -> Iterator[Array]:
    """Every explicit destination of the outline and of the named destinations, once."""
    seen: set[tuple[int, int]] = set()
    candidates: list[object] = []
    root = pdf.Root
    if "/Outlines" in root:
        candidates += _outline_destinations(root.Outlines)
    if "/Dests" in root:
        candidates += list(root.Dests.values())
    names = root.get("/Names", Dictionary()).get("/Dests")
    if names is not None:
        candidates += _name_tree_values(names)
    for candidate in candidates:
        if isinstance(candidate, Dictionary):
            candidate = candidate.get("/D")
        if not isinstance(candidate, Array):
            continue
        if candidate.is_indirect:
            if candidate.objgen in seen:
                continue
            seen.add(candidate.objgen)
        yield candidate


def _outline_destinations(outlines: Object) -> Iterator[object]:
    item = outlines.get("/First")
    while item is not None:
        if "/Dest" in item:
            yield item.Dest
        action = item.get("/A")
        if action is not None and action.get("/S") == Name.GoTo:
            yield action.D
        yield from _outline_destinations(item)
        item = item.get("/Next")


def _name_tree_values(node: Object) -> Iterator[object]:
    names = node.get("/Names", Array())
    yield from (names[i] for i in range(1, len(names), 2))
    for kid in node.get("/Kids", Array()):
        yield from _name_tree_values(kid)


def _move_destination(destination: Array, border: float) -> None:
    """[page /XYZ left top zoom] and the like, moved with the page's drawing (null stays)."""
    places = _PLACES.get(str(destination[1]), 0) if len(destination) > 1 else 0
    for at in range(2, min(2 + places, len(destination))):
        value: object = destination[at]  # a number comes as int or Decimal; null as None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            destination[at] = _moved(value, border)
