"""The pikepdf pass that writes the structure elements (structure.py) into ReportLab's file as
the StructTreeRoot (with its ParentTree), with the catalog entries and the XMP metadata
PDF/UA-1 asks for, and saves it with an id made from the content (reproducible).

Only the process that finishes the file imports this module (and with it pikepdf and lxml):
a build's main process, while its renderer lays out the pages (see `Options.finish_apart`).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import lxml.etree  # noqa: F401  # pikepdf loads it as it saves: loaded here, ahead

from . import pikepdf_loaded  # noqa: F401  # pikepdf imported the quick way, first

# isort: split
import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ...model import DocumentInfo
from ...xml_text import escape
from .press import Press
from .print_file import derive
from .structure import Annotation, Content, Element


def finish(
    source: bytes,
    target: Path | BinaryIO | None,
    root: Element,
    info: DocumentInfo,
    press: Press | None = None,
    printed: Path | BinaryIO | None = None,
) -> None:
    """Write the structure tree, MarkInfo, /Tabs, /Lang and XMP into the PDF; save it into
    `target` (None: not saved), then, with `press`, derive the print file from it (see
    print_file.py) and save that into `printed` (`NotDerivable`: it cannot be derived)."""
    with pikepdf.open(io.BytesIO(source)) as pdf:
        tree = _Tree(pdf)
        tree.write(root)
        catalog = pdf.Root
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.Lang = String(info.language)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        catalog.Metadata = pdf.make_stream(_xmp(pdf, info).encode("utf-8"))
        catalog.Metadata.Type = Name.Metadata
        catalog.Metadata.Subtype = Name.XML
        for page in pdf.pages:
            page.obj.Tabs = Name.S
        if target is not None:
            _save(pdf, target)
        if press is not None and printed is not None:
            derive(pdf, press, tree.figures)
            _save(pdf, printed)


def _save(pdf: pikepdf.Pdf, target: Path | BinaryIO) -> None:
    pdf.save(
        target,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )


class _Tree:
    """Structure elements as PDF objects; the ParentTree maps MCIDs and annotations back."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.pages = [page.obj for page in pdf.pages]
        self.by_mcid: list[dict[int, Dictionary]] = [{} for _ in self.pages]
        self.by_annotation: list[Dictionary] = []
        self.annotation_owners: list[Dictionary] = []
        self.figures: list[tuple[Dictionary, tuple[float, float, float, float]]] = []
        """Each element with a box (a Figure), and its box as drawn."""
        self.first_pages: dict[int, int] = {}
        """The page of each drawn element's first content, by its id (see `_first_pages`)."""

    def write(self, root: Element) -> None:
        tree = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.first_pages = _first_pages(root)
        document = self._element(root, tree)
        tree.K = document if document is not None else Array()
        nums: list[object] = []  # made an Array at once: pikepdf's extend copies it each time
        for i, (page, by_mcid) in enumerate(zip(self.pages, self.by_mcid, strict=True)):
            page.StructParents = i
            size = max(by_mcid, default=-1) + 1
            parents = self.pdf.make_indirect(Array([by_mcid.get(m) for m in range(size)]))
            nums += [i, parents]
        for j, (annotation, owner) in enumerate(
            zip(self.by_annotation, self.annotation_owners, strict=True)
        ):
            key = len(self.pages) + j
            annotation.StructParent = key
            nums += [key, owner]
        tree.ParentTree = self.pdf.make_indirect(Dictionary(Nums=Array(nums)))
        tree.ParentTreeNextKey = len(self.pages) + len(self.by_annotation)
        self.pdf.Root.StructTreeRoot = tree

    def _element(self, element: Element, parent: Dictionary) -> Dictionary | None:
        """The element and its kids as StructElem dictionaries (None: nothing was drawn)."""
        page = self.first_pages.get(id(element))
        if page is None:  # nothing was drawn
            return None
        node = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + element.tag), P=parent)
        )
        node.Pg = self.pages[page]
        kids = [self._kid(kid, element, node, page) for kid in element.kids]
        kids = [kid for kid in kids if kid is not None]
        node.K = kids[0] if len(kids) == 1 else Array(kids)
        self._attributes(element, node)
        return node

    def _kid(
        self, kid: Element | Content | Annotation, element: Element, node: Dictionary, page: int
    ) -> object | None:
        if isinstance(kid, Element):
            return self._element(kid, node)
        if isinstance(kid, Content):
            self.by_mcid[kid.page][kid.mcid] = node
            if kid.page == page:
                return kid.mcid
            return Dictionary(Type=Name.MCR, Pg=self.pages[kid.page], MCID=kid.mcid)
        annotation = self._annotation(kid, element)
        self.by_annotation.append(annotation)
        self.annotation_owners.append(node)
        return Dictionary(Type=Name.OBJR, Obj=annotation, Pg=self.pages[kid.page])

    def _attributes(self, element: Element, node: Dictionary) -> None:
        if element.alt is not None:
            node.Alt = String(element.alt)
        if element.scope is not None:
            node.A = Dictionary(O=Name.Table, Scope=Name("/" + element.scope))
        if element.numbering is not None:
            node.A = Dictionary(O=Name.List, ListNumbering=Name("/" + element.numbering))
        if element.bbox is not None:
            node.A = Dictionary(O=Name.Layout, BBox=Array([round(v, 2) for v in element.bbox]))
            self.figures.append((node, element.bbox))
        for kid in element.kids:
            if isinstance(kid, Annotation):
                annotation = self.pages[kid.page].Annots[kid.index]
                annotation.Contents = String(element.text or element.url or "")

    def _annotation(self, kid: Annotation, link: Element) -> Dictionary:
        """The page's annotation; it must lead where its Link does (else a bug in tagging)."""
        annotation = self.pages[kid.page].Annots[kid.index]
        uri = annotation.get("/A", Dictionary()).get("/URI")
        if uri is not None and link.url is not None and str(uri) != link.url:
            raise RuntimeError(f"page {kid.page + 1}: annotation {kid.index} is not its Link's")
        return annotation  # type: ignore[return-value]  # an annotation is a dictionary


def _first_pages(root: Element) -> dict[int, int]:
    """The page of the first marked content or annotation of each element that has one, by
    the element's id: one walk of the tree (not one for each element, and again for each of
    its ancestors)."""
    found: dict[int, int] = {}

    def first(element: Element) -> int | None:
        pages = [first(kid) if isinstance(kid, Element) else kid.page for kid in element.kids]
        page = next((page for page in pages if page is not None), None)
        if page is not None:
            found[id(element)] = page
        return page

    first(root)
    return found


# -- XMP -------------------------------------------------------------------------------------


def _xmp(pdf: pikepdf.Pdf, info: DocumentInfo) -> str:
    """The XMP packet, written by hand (pikepdf's would stamp today's date): title, author,
    subject, keywords, dates of the document information, and PDF/UA part 1."""
    created = _xmp_date(str(pdf.docinfo.get("/CreationDate", "")))
    modified = _xmp_date(str(pdf.docinfo.get("/ModDate", ""))) or created
    producer = escape(str(pdf.docinfo.get("/Producer", "")))
    keywords = escape(", ".join(info.keywords))
    language = escape(info.language)
    title, subject = escape(info.title), escape(info.subject)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>bulletin</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _xmp_date(value: str) -> str:
    """D:YYYYMMDDHHmmSS+HH'mm' (as ReportLab writes it) -> ISO 8601, or '' if not a date."""
    digits = value.removeprefix("D:")[:14]
    try:
        moment = datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return ""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
