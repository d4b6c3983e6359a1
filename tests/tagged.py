"""A tagged PDF read back: a stricter check than pdfua's, and the structure tree's text.

`unmarked` lists every painting operator (text, paths, images, shadings) outside marked
content, and every marked-content sequence with an MCID inside another mark; `mcid_problems`
compares the MCIDs of the pages, of the structure tree and of the ParentTree, and ties each
link annotation to its Link element. `structure_texts` walks the tree in order with pikepdf
and gives each element that holds text its tag and the text drawn inside its MCIDs (mapped
by pdfminer.six, which decodes the fonts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from tests.completeness import rejoin

PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}
PAINTING.add("INLINE IMAGE")
TEXT_TAGS = {"P", "H1", "H2", "H3", "Caption", "TH", "TD", "LBody", "Lbl", "Figure"}


# -- every painting operator marked ------------------------------------------------------------


def unmarked(pdf: pikepdf.Pdf) -> list[str]:
    """Painting operators outside any marked content, and MCIDs nested in another mark."""
    problems = []
    for number, page in enumerate(pdf.pages, 1):
        marks: list[tuple[str, int | None]] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                mcid = _mcid(operands)
                if mcid is not None and marks:
                    problems.append(f"page {number}: MCID {mcid} inside {marks[-1][0]}")
                marks.append((str(operands[0]), mcid))
            elif op == "EMC":
                if not marks:
                    problems.append(f"page {number}: EMC without a mark")
                else:
                    marks.pop()
            elif op in PAINTING and not marks:
                problems.append(f"page {number}: {op} outside marked content")
        if marks:
            problems.append(f"page {number}: {len(marks)} marks not closed")
    return problems


def _mcid(operands: list) -> int | None:
    if len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
        value = operands[1].get("/MCID")
        return int(value) if value is not None else None
    return None


def page_mcids(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """(page, MCID) of every marked-content sequence with an MCID, pages from 0."""
    found = set()
    for index, page in enumerate(pdf.pages):
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and (mcid := _mcid(operands)) is not None:
                assert (index, mcid) not in found, f"page {index + 1}: MCID {mcid} used twice"
                found.add((index, mcid))
    return found


# -- the tree, the ParentTree and the annotations ----------------------------------------------


def tree_mcids(pdf: pikepdf.Pdf) -> dict[tuple[int, int], tuple[int, int]]:
    """(page, MCID) -> the object id of the element that holds it, from the structure tree."""
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    held: dict[tuple[int, int], tuple[int, int]] = {}
    for element in _elements(pdf.Root.StructTreeRoot.K):
        page = pages.get(element.Pg.objgen) if "/Pg" in element else None
        for kid in _kids(element):
            if isinstance(kid, int):
                key = (page, kid)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                key = (pages[kid.Pg.objgen], int(kid.MCID))
            else:
                continue
            assert key not in held, f"{key} in two elements"
            held[key] = element.objgen
    return held


def parent_tree_mcids(pdf: pikepdf.Pdf) -> dict[tuple[int, int], tuple[int, int]]:
    """(page, MCID) -> the element the ParentTree names for it."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    found = {}
    for index, page in enumerate(pdf.pages):
        for mcid, element in enumerate(by_key[int(page.obj.StructParents)]):
            if isinstance(element, pikepdf.Dictionary):
                found[(index, mcid)] = element.objgen
    return found


def link_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Each link annotation: /Contents, /StructParent naming a Link whose OBJR is it."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    problems = []
    for number, page in enumerate(pdf.pages, 1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            where = f"page {number}: link to {annotation.get('/A', {}).get('/URI')}"
            if not str(annotation.get("/Contents", "")).strip():
                problems.append(f"{where}: no /Contents")
            owner = by_key.get(int(annotation.get("/StructParent", -1)))
            if owner is None or owner.get("/S") != "/Link":
                problems.append(f"{where}: no Link element in the ParentTree")
                continue
            objrs = [k for k in _kids(owner) if isinstance(k, pikepdf.Dictionary)]
            if not any(
                k.get("/Obj") is not None and k.Obj.objgen == annotation.objgen for k in objrs
            ):
                problems.append(f"{where}: its Link has no OBJR to it")
    return problems


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [int(k) if isinstance(k, int) or _is_int(k) else k for k in items]


def _is_int(value: object) -> bool:
    return isinstance(value, pikepdf.Object) and value._type_name == "integer"


def _elements(node: object) -> Iterator[pikepdf.Dictionary]:
    """Structure elements in tree order (depth first, kids in order)."""
    nodes = list(node) if isinstance(node, pikepdf.Array) else [node]
    for item in nodes:
        if isinstance(item, pikepdf.Dictionary) and "/S" in item:
            yield item
            yield from _elements(item.get("/K", pikepdf.Array()))


# -- the text in the tree ----------------------------------------------------------------------


class _McidText(PDFTextDevice):
    """pdfminer device: the characters drawn inside each (page, MCID)."""

    def __init__(self, resources: PDFResourceManager) -> None:
        super().__init__(resources)
        self.page = -1
        self.open: list[int | None] = []
        self.texts: dict[tuple[int, int], str] = defaultdict(str)
        self.lines: dict[tuple[int, int], float] = {}

    def begin_page(self, page, ctm) -> None:
        self.page += 1
        self.open = []

    def begin_tag(self, tag, props=None) -> None:
        mcid = props.get("MCID") if isinstance(props, dict) else None
        self.open.append(mcid)

    def end_tag(self) -> None:
        if self.open:
            self.open.pop()

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        mcid = next((m for m in reversed(self.open) if m is not None), None)
        if mcid is not None:
            key, line = (self.page, mcid), round(matrix[5], 1)
            if self.lines.setdefault(key, line) != line:  # a new line: words hyphenated at a
                self.texts[key] += "\n"  # line's end can be joined again
                self.lines[key] = line
            self.texts[key] += font.to_unichr(cid)
        return font.char_width(cid) * fontsize * scaling


def mcid_texts(path: Path) -> dict[tuple[int, int], str]:
    resources = PDFResourceManager()
    device = _McidText(resources)
    interpreter = PDFPageInterpreter(resources, device)
    with path.open("rb") as file:
        for page in PDFPage.get_pages(file):
            interpreter.process_page(page)
    return device.texts


def structure_texts(path: Path) -> list[tuple[str, str]]:
    """(tag, text) of each element with a text tag, in tree order; an element's text is all
    the text drawn inside it and its kids (a P's Links included), in the tree's order."""
    texts = mcid_texts(path)
    found: list[tuple[str, str]] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}

        def text_of(element: pikepdf.Dictionary) -> str:
            page = pages.get(element.Pg.objgen) if "/Pg" in element else None
            parts = []
            for kid in _kids(element):
                if isinstance(kid, int):
                    parts.append(texts.get((page, kid), ""))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    parts.append(texts.get((pages[kid.Pg.objgen], int(kid.MCID)), ""))
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    parts.append(text_of(kid))
            # a part ending with a hyphen ended a line (a paragraph split over two pages)
            return "".join(p + "\n" if p.endswith("-") else p for p in parts)

        roles = pdf.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
        for element in _elements(pdf.Root.StructTreeRoot.K):
            tag = str(roles.get(str(element.S), element.S))[1:]  # LibreOffice's own names
            if tag in TEXT_TAGS:
                alt = str(element.get("/Alt", ""))
                found.append((tag, rejoin((alt + " " if alt else "") + text_of(element))))
    return found
