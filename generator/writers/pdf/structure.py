"""The logical structure of a tagged PDF: elements made from the document model, and
ReportLab's file waiting for them (`Untagged`).

The writer makes the elements in the data's reading order while it visits the model; drawing
adds to each the marked content (page, MCID) and the link annotations that show it. ReportLab
cannot write a structure tree, so `Untagged.finish` adds one afterwards (structure_tree.py,
with pikepdf), in the process that renders or, handed over as plain data, in another (a
build's main process, idle by then, so that the renderer never loads pikepdf).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ...model import DocumentInfo
from .press import NotDerivable, Press


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


@dataclass(frozen=True)
class Untagged:
    """ReportLab's file and the structure to write into it (`finish`): plain data, which a
    process that has not loaded pikepdf can hand to one that has.

    With `press`, the print file can be derived from it (see press.py); `printed`: the file
    wanted is that print file, not the screen file itself."""

    pdf: bytes
    root: Element
    info: DocumentInfo
    press: Press | None = None
    printed: bool = False

    def finish(self, target: Path | BinaryIO) -> None:
        """Write the structure tree, MarkInfo, /Tabs, /Lang and XMP into the file; save it
        (or the print file derived from it, if `printed`) into `target`. `NotDerivable`: the
        print file cannot be derived (it must be laid out on its own)."""
        if self.printed:
            self.finish_with_print(None, target)
            return
        from .structure_tree import finish

        finish(self.pdf, target, self.root, self.info)

    def finish_with_print(self, target: Path | BinaryIO | None, printed: Path | BinaryIO) -> None:
        """Save the tagged screen file into `target` (None: not at all) and the print file
        derived from it into `printed`. `NotDerivable`: it cannot be derived (the screen file
        is saved all the same)."""
        from .structure_tree import finish

        if self.press is None:
            raise NotDerivable("the screen file was written without what the print file needs")
        finish(self.pdf, target, self.root, self.info, self.press, printed)
