"""Read an edited Word file back: its record of the build, its marked texts, its paragraphs.

The reader knows WordprocessingML, not the bulletin's data: it returns what the file shows
(see the kind's pull module for what that means for the data). It refuses, located by the
paragraph's text, a file with pending tracked changes or comments.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ...errors import BulletinError, Problem, fail, not_a_file
from .marks import (
    LEDGER_NS,
    MARK_PREFIX,
    alternative_texts,
    ledger_from_properties,
    well_formed,
    whole_ledger,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS = {"w": W}
TRACKED = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange")
MAX_BYTES = 200 * 1024 * 1024
"""The most bytes the parts a pull reads may take unpacked, all together."""
READ_PARTS = re.compile(
    r"word/(document\.xml|_rels/document\.xml\.rels|comments\.xml|footer\d+\.xml"
    r"|charts/chart\d+\.xml)|docProps/custom\.xml|customXml/item\d+\.xml"
)
"""The parts of a Word file a pull reads (the others, pictures too, are never unpacked)."""
BOLD_STYLES = ("Strong", "EventTitle", "Event Title")
ITALIC_STYLES = ("Emphasis",)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Piece:
    """A stretch of text with the look that the data's markup can say: bold, italic, link."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None


@dataclass
class ShownParagraph:
    """A paragraph of the edited file: its number (from 1), style id, text, marks it holds."""

    number: int
    style: str
    text: str
    marks: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class EditedFile:
    """What an edited Word file shows, and what it records of its making."""

    path: str
    properties: dict[str, str]
    ledger: dict | None
    marks: dict[str, list[Piece]]
    paragraphs: list[ShownParagraph]
    charts: list[dict] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    """Each footer's own text (before its first tab: the page label follows)."""
    alternative: list[list[str]] = field(default_factory=list)
    """The alternative texts of drawings and tables: [kind, text] (see marks.py)."""

    def mark_text(self, name: str) -> str | None:
        pieces = self.marks.get(name)
        return None if pieces is None else "".join(p.text for p in pieces)


def read_edited(path: Path) -> EditedFile:
    """Read a Word file, or raise a located refusal (not a Word file, tracked changes, comments)."""
    shown = str(path)
    if not path.is_file():
        raise fail(shown, not_a_file(path), "check the path of the Word file")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _parts(archive, shown)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        hint = "save it as Word (.docx) and pull again"
        raise fail(shown, "not a Word file (.docx)", hint) from None
    if "word/document.xml" not in parts:
        raise fail(shown, "not a Word file (.docx): no word/document.xml", "save it as .docx")
    body = _xml(parts["word/document.xml"], shown)
    links = _links(parts.get("word/_rels/document.xml.rels"), shown)
    paragraphs, marks = _walk(body, links)
    pending = _pending_in_footers(parts, shown)
    _refuse_pending(body, paragraphs, shown, parts.get("word/comments.xml"), pending)
    charts = _charts(parts, shown)
    properties = _properties(parts, shown)
    ledger = _ledger(parts, shown) or ledger_from_properties(properties)
    footers = _footers(parts, shown)
    alternative = alternative_texts(body)
    return EditedFile(shown, properties, ledger, marks, paragraphs, charts, footers, alternative)


def _footers(parts: dict[str, bytes], shown: str) -> list[str]:
    """The text of each footer part's paragraphs before their first tab, in part order."""
    names = sorted(
        (n for n in parts if re.fullmatch(r"word/footer\d+\.xml", n)),
        key=lambda n: int(re.sub(r"\D", "", n)),
    )
    found = []
    for name in names:
        root = _xml(parts[name], shown)
        text = "".join(_run_text(run) for run in root.iter(w("r")))
        found.append(text.split("\t")[0])
    return found


def _charts(parts: dict[str, bytes], shown: str) -> list[dict]:
    """Each chart's categories and values as its cached data shows them, in part order."""
    found = []
    names = sorted(
        (n for n in parts if re.fullmatch(r"word/charts/chart\d+\.xml", n)),
        key=lambda n: int(re.sub(r"\D", "", n)),
    )
    for name in names:
        root = _xml(parts[name], shown)
        categories = [v.text or "" for v in root.iterfind(f".//{{{C}}}cat//{{{C}}}v")]
        values: list[float | str] = []
        for v in root.iterfind(f".//{{{C}}}val//{{{C}}}v"):
            try:
                values.append(float(v.text or ""))
            except ValueError:
                values.append(v.text or "")
        found.append({"categories": categories, "values": values})
    return found


def _parts(archive: zipfile.ZipFile, shown: str) -> dict[str, bytes]:
    """The parts a pull reads, unpacked (refused when they would take too much memory)."""
    wanted = [info for info in archive.infolist() if READ_PARTS.fullmatch(info.filename)]
    total = sum(info.file_size for info in wanted)
    if total > MAX_BYTES:
        raise fail(
            shown,
            f"its text parts take {total // 2**20} MB unpacked, more than a bulletin's "
            f"{MAX_BYTES // 2**20} MB (a damaged or crafted file?)",
            "pull from the Word file as bulletin built it and an editor saved it",
        )
    return {info.filename: archive.read(info) for info in wanted}


def _xml(data: bytes, shown: str) -> etree._Element:
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as error:
        hint = "open and save it again"
        raise fail(shown, f"broken XML in the Word file: {error}", hint) from None


def _properties(parts: dict[str, bytes], shown: str) -> dict[str, str]:
    """The custom document properties (name -> text)."""
    data = parts.get("docProps/custom.xml")
    if data is None:
        return {}
    root = _xml(data, shown)
    found = {}
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        found[prop.get("name", "")] = "".join(prop.itertext())
    return found


def _ledger(parts: dict[str, bytes], shown: str) -> dict | None:
    """The ledger part of a file of an earlier build, which kept the ledger there too (None:
    none, or lost, as through .odt; this version keeps it in the properties only)."""
    for name, data in parts.items():
        if name.startswith("customXml/item") and LEDGER_NS.encode() in data[:400]:
            root = _xml(data, shown)
            try:
                ledger = whole_ledger(json.loads(root.text or ""))
            except (ValueError, RecursionError):
                return None
            return ledger if isinstance(ledger, dict) and well_formed(ledger) else None
    return None


def _links(data: bytes | None, shown: str) -> dict[str, str]:
    if data is None:
        return {}
    root = _xml(data, shown)
    return {rel.get("Id", ""): rel.get("Target", "") for rel in root if rel.get("TargetMode")}


LAYOUT_BREAKS = ("column", "page")
"""Breaks that move text to another column or page: layout, not text."""


def _run_text(run: etree._Element) -> str:
    text = []
    for child in run:
        if child.tag == w("t"):
            text.append(child.text or "")
        elif child.tag == w("tab"):
            text.append("\t")
        elif child.tag in (w("br"), w("cr")) and child.get(w("type")) not in LAYOUT_BREAKS:
            text.append(" ")
        elif child.tag == w("noBreakHyphen"):
            text.append("\u2011")
    return "".join(text)


def _walk(
    body: etree._Element, links: dict[str, str]
) -> tuple[list[ShownParagraph], dict[str, list[Piece]]]:
    """Every paragraph (with where each of our marks starts in its text) and the pieces of
    text between each of our bookmarks' start and end, in document order.

    LibreOffice 7.4 moves the end of a bookmark one character back in a paragraph that ends a
    section; the starts stay, and pull.py finds each value between its start and the wording
    that follows it."""
    paragraphs: list[ShownParagraph] = []
    by_element: dict[etree._Element, ShownParagraph] = {}
    open_marks: dict[str, str] = {}
    marks: dict[str, list[Piece]] = {}
    for node in body.iter(w("p"), w("bookmarkStart"), w("bookmarkEnd"), w("r")):
        goes_on = node.tag == w("p") and _goes_on(node, bool(open_marks))
        if goes_on and (cut := _cut_from(node, by_element)) is not None:
            by_element[node] = cut
            continue
        if node.tag == w("p"):
            style = node.find("w:pPr/w:pStyle", NS)
            style_id = style.get(w("val"), "") if style is not None else ""
            shown = ShownParagraph(len(paragraphs) + 1, style_id, "")
            paragraphs.append(shown)
            by_element[node] = shown
            continue
        paragraph = _owner(node, by_element)
        if node.tag == w("bookmarkStart"):
            name = node.get(w("name"), "")
            if re.fullmatch(MARK_PREFIX + r"\d+", name):  # not a copy's "_b10_Copy_1"
                open_marks[node.get(w("id"), "")] = name
                marks.setdefault(name, [])
                if paragraph is not None:
                    paragraph.marks.append(name)
                    paragraph.starts.append(len(paragraph.text))
        elif node.tag == w("bookmarkEnd"):
            open_marks.pop(node.get(w("id"), ""), None)
        else:
            piece = _piece(node, links)
            if paragraph is not None:
                paragraph.text += piece.text
                paragraph.pieces.append(piece)
            for name in open_marks.values():
                marks[name].append(piece)
    return paragraphs, marks


def _cut_from(
    paragraph: etree._Element, by_element: dict[etree._Element, ShownParagraph]
) -> ShownParagraph | None:
    """The paragraph just before this one (bookmarks between them passed by), None if
    anything else stands between them (a table)."""
    before = paragraph.getprevious()
    while before is not None and before.tag in (w("bookmarkStart"), w("bookmarkEnd")):
        before = before.getprevious()
    return by_element.get(before) if before is not None else None


def _goes_on(paragraph: etree._Element, inside_mark: bool) -> bool:
    """Whether a paragraph is the rest of the one before it, cut at a column break inside it:
    LibreOffice holds no column break inside a paragraph, and saves the rest as a paragraph
    of its own that begins with the break, in no style of ours (Normal) or inside one of our
    marks (a mark never spans paragraphs in the file as built)."""
    first = paragraph.find("w:r", NS)
    breaks = first.findall("w:br", NS) if first is not None else []
    if not any(b.get(w("type")) == "column" for b in breaks) or first.find("w:t", NS) is not None:
        return False
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return inside_mark or style is None or style.get(w("val"), "") == "Normal"


def _owner(
    node: etree._Element, by_element: dict[etree._Element, ShownParagraph]
) -> ShownParagraph | None:
    for ancestor in node.iterancestors(w("p")):
        return by_element.get(ancestor)
    return None


def _piece(run: etree._Element, links: dict[str, str]) -> Piece:
    """A run's text and the look the data's markup can say (bold, italic, link)."""
    props = run.find("w:rPr", NS)
    style = ""
    bold = italic = False
    if props is not None:
        style_node = props.find("w:rStyle", NS)
        style = style_node.get(w("val"), "") if style_node is not None else ""
        bold = _on(props.find("w:b", NS))
        italic = _on(props.find("w:i", NS))
    link = run.getparent()
    url = None
    if link is not None and link.tag == w("hyperlink"):
        url = links.get(link.get(f"{{{R}}}id", ""))
    bold = bold or style in BOLD_STYLES
    return Piece(_run_text(run), bold, italic or style in ITALIC_STYLES, url)


def _on(node: etree._Element | None) -> bool:
    return node is not None and node.get(w("val"), "true") not in ("0", "false", "off")


def _pending_in_footers(parts: dict[str, bytes], shown: str) -> list[Problem]:
    """A pending tracked change in a footer (one problem for each footer that has any)."""
    problems = []
    for name in sorted(n for n in parts if re.fullmatch(r"word/footer\d+\.xml", n)):
        root = _xml(parts[name], shown)
        tags = [tag for tag in TRACKED if next(root.iter(w(tag)), None) is not None]
        if tags:
            text = "".join(_run_text(run) for run in root.iter(w("r"))).split("\t")[0]
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    f"a tracked change ({', '.join(tags)}) is pending in the footer {_quote(text)}",
                    "accept or reject the tracked changes in Word, save, and pull again",
                )
            )
    return problems


def _refuse_pending(
    body: etree._Element,
    paragraphs: list[ShownParagraph],
    shown: str,
    comments: bytes | None,
    pending: list[Problem],
) -> None:
    """Raise every pending tracked change and every comment, located by its paragraph."""
    problems = list(pending)
    numbers = {p: n for n, p in enumerate(body.iter(w("p")), start=1)}
    texts = {p.number: p.text for p in paragraphs}
    seen = set()
    for tag in TRACKED:
        for change in body.iter(w(tag)):
            number = _paragraph_number(change, numbers)
            if (tag, number) in seen:
                continue
            seen.add((tag, number))
            problems.append(
                Problem(
                    shown,
                    number,
                    1,
                    "",
                    f"a tracked change ({tag}) is pending in {_quote(texts.get(number, ''))}",
                    "accept or reject the tracked changes in Word, save, and pull again",
                )
            )
    if comments is not None:
        problems.extend(_comments(body, comments, numbers, texts, shown))
    if problems:
        raise BulletinError(sorted(problems, key=lambda p: p.line))


def _paragraph_number(node: etree._Element, numbers: dict[etree._Element, int]) -> int:
    """The number of the paragraph holding a node (or, for a node above paragraphs, of its
    first paragraph)."""
    while node is not None:
        if node in numbers:
            return numbers[node]
        found = node.find(f".//{w('p')}")
        if found is not None and found in numbers:
            return numbers[found]
        node = node.getparent()
    return 1


def _comments(
    body: etree._Element,
    comments: bytes,
    numbers: dict[etree._Element, int],
    texts: dict[int, str],
    shown: str,
) -> list[Problem]:
    root = _xml(comments, shown)
    anchors = {
        start.get(w("id")): _paragraph_number(start, numbers)
        for start in body.iter(w("commentRangeStart"), w("commentReference"))
    }
    problems = []
    for comment in root.iter(w("comment")):
        number = anchors.get(comment.get(w("id")), 1)
        author = comment.get(w("author"), "someone")
        said = " ".join("".join(comment.itertext()).split())
        problems.append(
            Problem(
                shown,
                number,
                1,
                "",
                f"a comment by {author} on {_quote(texts.get(number, ''))}: {_quote(said)}",
                "act on the comments and delete them in Word, save, and pull again",
            )
        )
    return problems


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text[:limit]}…"' if len(text) > limit else f'"{text}"'


def pieces_between(pieces: list[Piece], start: int, stop: int) -> list[Piece]:
    """The pieces of a paragraph's text from `start` to `stop`, cut where they cross them."""
    found, at = [], 0
    for piece in pieces:
        end = at + len(piece.text)
        if end > start and at < stop:
            text = piece.text[max(start - at, 0) : stop - at]
            found.append(Piece(text, piece.bold, piece.italic, piece.url))
        at = end
    return found
