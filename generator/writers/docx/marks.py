"""Marks that let `bulletin pull` find the data in an edited Word file.

Each stretch of text that shows a data value is wrapped in a hidden bookmark (`_b` and a
number: Word hides bookmarks whose names start with "_", and Word and LibreOffice keep them
through an open-and-save). The package records what the file was built from: custom document
properties (the year, the title, the data's hash) and the ledger: the data file's text and,
for each bookmark, the key path and the text it showed, and each paragraph as written.

The ledger is kept once, in custom document properties, which Word and LibreOffice both keep
(LibreOffice drops custom XML parts when a file goes through .odt; measured with LibreOffice
7.4, docx to docx and docx to odt to docx, values of 200,000 characters too): its JSON
(without what it can tell again: a paragraph's text is its text outside the marks with the
marks' texts put in), compressed with LZMA (xz), in base64, cut into values of LEDGER_CHUNK
characters (Word's dialog shows at most 255) named `bulletin.ledger.001`, `.002`, ...
Files of earlier builds, which kept it zlib-compressed and also in a custom XML part
(/customXml/item1.xml), are read too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import lzma
import zlib
from dataclasses import dataclass, field

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml.etree import _Element

from ...model import DataPath, Provenance
from ...xml_text import escape
from .ooxml import element
from .package import new_part

LEDGER_NS = "urn:bulletin:ledger:1"
"""The namespace of the ledger part of files of earlier builds (read, no longer written)."""
CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
MARK_PREFIX = "_b"
LEDGER_PROPERTY = "bulletin.ledger."
LEDGER_CHUNK = 255
MAX_LEDGER = 64 * 1024 * 1024
"""The most bytes a ledger kept in properties may unpack to (a hostile file stays small)."""


def data_hash(text: str) -> str:
    """A short, stable name for a data file's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Marks:
    """The bookmarks written so far, and what each one stands for."""

    provenance: Provenance | None
    layout: str
    next_id: int = 0
    marks: dict[str, dict] = field(default_factory=dict)
    paragraphs: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    footer: str = ""
    """The footer's own text (before the page label), as written."""
    alternative: list[list[str]] = field(default_factory=list)
    """The alternative texts written (see `alternative_texts`)."""

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def start(self, path: DataPath, text: str) -> tuple[_Element, _Element]:
        """A bookmark's start and end elements for a data value showing `text`."""
        ident = self.new_id()
        name = f"{MARK_PREFIX}{ident}"
        self.marks[name] = {"path": list(path), "text": text}
        return (
            element("w:bookmarkStart", id=str(ident), name=name),
            element("w:bookmarkEnd", id=str(ident)),
        )

    def paragraph(self, style: str, text: str, names: list[str], outside: str) -> None:
        """Remember a paragraph as written: its style, its text, the marks it holds and its
        text outside them (a NUL where each mark starts)."""
        entry = {"style": style, "text": text, "marks": names, "outside": outside}
        self.paragraphs.append(entry)

    def chart(self, categories: tuple[str, ...], values: tuple[int, ...]) -> None:
        """Remember a chart's bars as drawn (a pull reports an edit of them)."""
        self.charts.append({"categories": list(categories), "values": list(values)})

    def ledger(self, title: str) -> dict:
        """What the file records of its making: the data's text, the marks, the paragraphs."""
        assert self.provenance is not None
        return {
            "tool": "bulletin",
            "year": self.provenance.year,
            "title": title,
            "layout": self.layout,
            "file": self.provenance.file,
            "hash": data_hash(self.provenance.text),
            "data": self.provenance.text,
            "marks": self.marks,
            "paragraphs": self.paragraphs,
            "charts": self.charts,
            "footer": self.footer,
            "alternative": self.alternative,
        }

    def record(self, word: WordDocument, title: str) -> None:
        """Add the custom properties and the ledger part to the package."""
        if self.provenance is None:
            return
        digest = data_hash(self.provenance.text)
        self.alternative = alternative_texts(word.element.body)
        properties = {
            "bulletin.tool": "bulletin",
            "bulletin.year": str(self.provenance.year),
            "bulletin.title": title,
            "bulletin.layout": self.layout,
            "bulletin.data": f"{self.provenance.file} {digest}",
        }
        properties.update(ledger_properties(stored_ledger(self.ledger(title))))
        package = word.part.package
        custom = new_part(package, "/docProps/custom.xml", CUSTOM_PROPS_CT, _custom_xml(properties))
        package.relate_to(custom, RT.CUSTOM_PROPERTIES)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
ALTERNATIVE = {
    f"{{{WP_NS}}}docPr": ("descr", "descr"),
    f"{{{W_NS}}}tblCaption": ("caption", f"{{{W_NS}}}val"),
    f"{{{W_NS}}}tblDescription": ("description", f"{{{W_NS}}}val"),
}


def alternative_texts(body: _Element) -> list[list[str]]:
    """The alternative texts of a document's drawings and tables, in order: [kind, text]
    (kind: descr, a drawing's; caption or description, a table's)."""
    found = []
    for node in body.iter(*ALTERNATIVE):
        kind, attribute = ALTERNATIVE[node.tag]
        text = node.get(attribute)
        if text:
            found.append([kind, text])
    return found


def stored_ledger(ledger: dict) -> str:
    """The ledger's JSON as a file keeps it, without what it tells twice: the marks as a list
    of [path, text] in the order the paragraphs hold them, their names (`_b` and a number) as
    runs of numbers ([first, count]), the paragraphs without their texts and mark names (see
    `whole_ledger`); no spaces, keys sorted."""
    names = [name for paragraph in ledger["paragraphs"] for name in paragraph["marks"]]
    assert sorted(names) == sorted(ledger["marks"]), "each mark is in one paragraph"
    marks = [[ledger["marks"][name]["path"], ledger["marks"][name]["text"]] for name in names]
    left_out = ("text", "marks")
    paragraphs = [{k: v for k, v in p.items() if k not in left_out} for p in ledger["paragraphs"]]
    compact = {**ledger, "marks": marks, "names": _runs(names), "paragraphs": paragraphs}
    return json.dumps(compact, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def _runs(names: list[str]) -> list[list[int]]:
    """Mark names as runs of consecutive numbers: [first, count]."""
    runs: list[list[int]] = []
    for name in names:
        number = int(name.removeprefix(MARK_PREFIX))
        assert name == f"{MARK_PREFIX}{number}", name
        if runs and sum(runs[-1]) == number:
            runs[-1][1] += 1
        else:
            runs.append([number, 1])
    return runs


def whole_ledger(ledger: object) -> object:
    """A ledger read from a file as `stored_ledger` keeps it, whole again: its marks by name,
    each paragraph with the names of its marks (one per NUL of its text outside them) and its
    text (the marks' texts where their NULs stand). A ledger of an earlier build (marks by
    name, whole paragraphs) is whole already; anything malformed is left for `well_formed`
    to refuse."""
    if not isinstance(ledger, dict):
        return ledger
    marks, paragraphs = ledger.get("marks"), ledger.get("paragraphs")
    if not isinstance(paragraphs, list) or not all(isinstance(p, dict) for p in paragraphs):
        return ledger
    if isinstance(marks, list):
        names = _names(ledger.get("names"), len(marks))
        if names is None or not all(_pair(mark) for mark in marks):
            return ledger
        if not _name_paragraphs(paragraphs, names):
            return ledger
        ledger.pop("names")
        marks = ledger["marks"] = {
            name: {"path": path, "text": text}
            for name, (path, text) in zip(names, marks, strict=True)
        }
    if not isinstance(marks, dict):
        return ledger
    for paragraph in paragraphs:
        if "text" not in paragraph:
            text = _told_again(paragraph, marks)
            if text is not None:
                paragraph["text"] = text
    return ledger


def _names(runs: object, count: int) -> list[str] | None:
    """The mark names of runs [first, count], if they are `count` different names."""
    if not isinstance(runs, list) or not all(_pair_of_numbers(run) for run in runs):
        return None
    if sum(run[1] for run in runs) != count:  # before making any: a count may be huge
        return None
    names = [f"{MARK_PREFIX}{first + k}" for first, length in runs for k in range(length)]
    return names if len(set(names)) == len(names) else None


def _name_paragraphs(paragraphs: list[dict], names: list[str]) -> bool:
    """Give each paragraph the names of its marks, in order: as many as the NULs of its text
    outside them; whether they were exactly enough."""
    at = 0
    for paragraph in paragraphs:
        outside = paragraph.get("outside")
        if not isinstance(outside, str) or "marks" in paragraph:
            return False
        count = outside.count("\x00")
        paragraph["marks"] = names[at : at + count]
        at += count
    return at == len(names)


def _pair_of_numbers(run: object) -> bool:
    return (
        isinstance(run, list)
        and len(run) == 2
        and all(type(n) is int for n in run)
        and run[0] >= 0
        and run[1] > 0
    )


def _pair(mark: object) -> bool:
    return isinstance(mark, list) and len(mark) == 2 and isinstance(mark[1], str)


def _told_again(paragraph: dict, marks: dict) -> str | None:
    outside, names = paragraph.get("outside"), paragraph.get("marks")
    if not isinstance(outside, str) or not isinstance(names, list):
        return None
    pieces = outside.split("\x00")
    if len(pieces) != len(names) + 1:
        return None
    texts = []
    for name in names:
        mark = marks.get(name) if isinstance(name, str) else None
        if not isinstance(mark, dict) or not isinstance(mark.get("text"), str):
            return None
        texts.append(mark["text"])
    return pieces[0] + "".join(t + rest for t, rest in zip(texts, pieces[1:], strict=True))


LEDGER_FILTERS = [{"id": lzma.FILTER_LZMA2, "preset": 2, "dict_size": 1 << 20}]
"""LZMA's second preset (a third smaller than zlib's best, and faster: a ledger repeats its
paths) with a dictionary of 1 MiB: as small, in 8 MB of memory rather than 13."""
XZ_MAGIC = b"\xfd7zXZ\x00"


def ledger_properties(body: str) -> dict[str, str]:
    """The ledger's JSON as properties: xz-compressed, base64, in chunks of LEDGER_CHUNK."""
    packed_bytes = lzma.compress(body.encode("utf-8"), lzma.FORMAT_XZ, filters=LEDGER_FILTERS)
    packed = base64.b64encode(packed_bytes).decode("ascii")
    chunks = [packed[i : i + LEDGER_CHUNK] for i in range(0, len(packed), LEDGER_CHUNK)]
    return {f"{LEDGER_PROPERTY}{n:03d}": chunk for n, chunk in enumerate(chunks, start=1)}


def ledger_from_properties(properties: dict[str, str]) -> dict | None:
    """The ledger kept in a file's properties, if they hold it whole and it is the one of
    the data the file records (its hash); else None."""
    chunks = []
    for n in itertools.count(1):
        chunk = properties.get(f"{LEDGER_PROPERTY}{n:03d}")
        if chunk is None:
            break
        chunks.append(chunk)
    if not chunks:
        return None
    try:
        body = _unpacked(base64.b64decode("".join(chunks), validate=True))
        ledger = None if body is None else whole_ledger(json.loads(body.decode("utf-8")))
    except (binascii.Error, zlib.error, lzma.LZMAError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(ledger, dict):
        return None
    recorded = properties.get("bulletin.data", "").rpartition(" ")[2]
    if not well_formed(ledger) or data_hash(ledger["data"]) != recorded:
        return None
    return ledger


def _unpacked(packed: bytes) -> bytes | None:
    """A ledger's JSON unpacked: xz (this version) or zlib (earlier ones); None if it would
    unpack to more than MAX_LEDGER bytes or is cut short."""
    if packed.startswith(XZ_MAGIC):
        xz = lzma.LZMADecompressor(lzma.FORMAT_XZ)
        body = xz.decompress(packed, MAX_LEDGER)
        return body if xz.eof and not xz.unused_data else None
    unpacker = zlib.decompressobj()
    body = unpacker.decompress(packed, MAX_LEDGER)
    return body if unpacker.eof and not unpacker.unconsumed_tail else None


def well_formed(ledger: object) -> bool:
    """Whether a ledger read from a file has the shape the writer gives it (a file edited by
    hand, or by a tool, may hold anything)."""
    if not isinstance(ledger, dict) or not isinstance(ledger.get("data"), str):
        return False
    marks, paragraphs = ledger.get("marks"), ledger.get("paragraphs")
    if not isinstance(marks, dict) or not isinstance(paragraphs, list):
        return False
    for mark in marks.values():
        if not isinstance(mark, dict) or not isinstance(mark.get("text"), str):
            return False
        path = mark.get("path")
        if not isinstance(path, list) or not path or not all(_part(p) for p in path):
            return False
    for paragraph in paragraphs:
        if not isinstance(paragraph, dict):
            return False
        if not all(isinstance(paragraph.get(k), str) for k in ("style", "text", "outside")):
            return False
        names = paragraph.get("marks")
        if not isinstance(names, list) or any(n not in marks for n in names):
            return False
        if paragraph["outside"].count("\x00") != len(names):
            return False
    charts = ledger.get("charts", [])
    return isinstance(charts, list) and all(_chart(c) for c in charts)


def _part(part: object) -> bool:
    return isinstance(part, str) or (isinstance(part, int) and not isinstance(part, bool))


def _chart(chart: object) -> bool:
    if not isinstance(chart, dict):
        return False
    categories, values = chart.get("categories"), chart.get("values")
    return (
        isinstance(categories, list)
        and isinstance(values, list)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    )


def _custom_xml(properties: dict[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{PROPERTY_FMTID}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    ).encode()
