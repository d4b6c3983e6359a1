"""The logical structure of a tagged PDF: elements made from the document model, and the
pikepdf pass that writes them as the StructTreeRoot (with its ParentTree) into ReportLab's file.

The writer makes the elements in the data's reading order while it visits the model; drawing
adds to each the marked content (page, MCID) and the link annotations that show it. ReportLab
cannot write a structure tree, so `finish` adds one afterwards, with the catalog entries and
the XMP metadata PDF/UA-1 asks for, and saves with an id made from the content (reproducible).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ...model import DocumentInfo
from ...xml_text import escape


@dataclass(frozen=True)
class Content:
    """A marked-content sequence: the page (from 0) and its MCID there."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """A link annotation: the page (from 0) and its place in the page's /Annots."""

    page: int
    index: int


@dataclass(eq=False)
class Element:
    """A structure element (Document, H1, P, Table, Link...) with its kids in reading order.

    Attributes written when set: `alt` (a Figure's alternative text), `scope` (a TH's),
    `numbering` (an L's ListNumbering), `bbox` (a Figure's box on its page). `repeats`: drawn
    again after its first page (a table's header row), it is a pagination artifact there. A
    Link's `text` and `url` say what its annotation leads to.
    """

    tag: str
    kids: list[Element | Content | Annotation] = field(default_factory=list)
    alt: str | None = None
    scope: str | None = None
    numbering: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    repeats: bool = False
    text: str = ""
    url: str | None = None

    def add(self, tag: str, **details: object) -> Element:
        child = Element(tag, **details)  # type: ignore[arg-type]
        self.kids.append(child)
        return child

    def has_content(self) -> bool:
        return any(not isinstance(kid, Element) or kid.has_content() for kid in self.kids)

    def __deepcopy__(self, memo: dict[int, Any]) -> Element:
        """Flowables are copied when they split or balance; the element stays one."""
        return self


class Marks:
    """Page and MCID counters while ReportLab draws, and the element of each link annotation."""

    def __init__(self) -> None:
        self.page = 0
        self.next_mcid = [0]
        self.annotations: list[list[Element | None]] = [[]]
        self._waiting: dict[str, list[Element]] = {}  # Links drawn, annotations to come
        self._last: dict[str, Element] = {}
        self.decorating = 0

    def next_page(self) -> None:
        self.page += 1
        self.next_mcid.append(0)
        self.annotations.append([])

    def open(self, element: Element) -> tuple[str, Content]:
        """The BDC operator that starts a new marked-content sequence of the element."""
        content = Content(self.page, self.next_mcid[self.page])
        self.next_mcid[self.page] += 1
        element.kids.append(content)
        return f"/{element.tag} <</MCID {content.mcid}>> BDC", content

    def retract(self, element: Element, content: Content) -> None:
        """Forget a sequence that stayed empty (its BDC is taken out of the page)."""
        element.kids.remove(content)
        if self.next_mcid[content.page] == content.mcid + 1:
            self.next_mcid[content.page] -= 1

    def link_drawn(self, link: Element) -> None:
        """A piece of a Link was drawn (on a line); ReportLab adds its annotation next."""
        if link.url:
            self._waiting.setdefault(link.url, []).append(link)
            self._last[link.url] = link

    def annotation(self, url: str) -> None:
        """ReportLab adds a link annotation to this page: tie it to the Link drawn with it
        (the first waiting for one; a paragraph that is all one link has one per line)."""
        waiting = self._waiting.get(url)
        link = waiting.pop(0) if waiting else self._last.get(url)
        page = self.annotations[self.page]
        if link is not None:
            link.kids.append(Annotation(self.page, len(page)))
        page.append(link)


# -- the structure tree in the file ---------------------------------------------------------


def finish(source: bytes, target: Path | BinaryIO, root: Element, info: DocumentInfo) -> None:
    """Write the structure tree, MarkInfo, /Tabs, /Lang and XMP into the PDF; save it."""
    with pikepdf.open(io.BytesIO(source)) as pdf:
        _Tree(pdf).write(root)
        catalog = pdf.Root
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.Lang = String(info.language)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        catalog.Metadata = pdf.make_stream(_xmp(pdf, info).encode("utf-8"))
        catalog.Metadata.Type = Name.Metadata
        catalog.Metadata.Subtype = Name.XML
        for page in pdf.pages:
            page.obj.Tabs = Name.S
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

    def write(self, root: Element) -> None:
        tree = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = self._element(root, tree)
        tree.K = document if document is not None else Array()
        nums = Array()
        for i, (page, by_mcid) in enumerate(zip(self.pages, self.by_mcid, strict=True)):
            page.StructParents = i
            size = max(by_mcid, default=-1) + 1
            parents = self.pdf.make_indirect(Array([by_mcid.get(m) for m in range(size)]))
            nums.extend([i, parents])  # type: ignore[list-item]  # pikepdf takes ints
        for j, (annotation, owner) in enumerate(
            zip(self.by_annotation, self.annotation_owners, strict=True)
        ):
            key = len(self.pages) + j
            annotation.StructParent = key
            nums.extend([key, owner])  # type: ignore[list-item]  # pikepdf takes ints
        tree.ParentTree = self.pdf.make_indirect(Dictionary(Nums=nums))
        tree.ParentTreeNextKey = len(self.pages) + len(self.by_annotation)
        self.pdf.Root.StructTreeRoot = tree

    def _element(self, element: Element, parent: Dictionary) -> Dictionary | None:
        """The element and its kids as StructElem dictionaries (None: nothing was drawn)."""
        if not element.has_content():
            return None
        node = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + element.tag), P=parent)
        )
        page = _first_page(element)
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


def _first_page(element: Element) -> int:
    """The page of the element's first marked content or annotation."""
    for kid in element.kids:
        if isinstance(kid, Element):
            if kid.has_content():
                return _first_page(kid)
        else:
            return kid.page
    raise ValueError("an element without content has no page")


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
