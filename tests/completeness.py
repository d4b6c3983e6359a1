"""Is everything in the data in an output? The text items of a document model, found in order."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from generator.model import Document, MechanismEntry, Paragraph, Section, Table

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold case and every run of white space (thin spaces, line breaks) into one space."""
    return _SPACE.sub(" ", text.replace("\u00ad", "")).strip().casefold()


def items(document: Document) -> list[str]:
    """Every text a reader must find, in reading order: names, notes, events, rows, titles."""
    found: list[str] = [p.text for p in document.masthead.publisher]
    found += [
        document.masthead.period.text,
        document.masthead.issue.text,
        document.masthead.title.text,
    ]
    for section in document.sections:
        found += _section_items(section)
    return [item for item in found if item.strip()]


def _section_items(section: Section) -> list[str]:
    found = [section.heading.text] if section.heading else []
    for block in section.blocks:
        if isinstance(block, MechanismEntry):
            found.append(block.heading.text)
            found += [block.note.text] if block.note else []
            found += [event.text for event in block.events]
        elif isinstance(block, Paragraph):
            found.append(block.text)
        elif isinstance(block, Table):
            found += [block.caption.text] if block.caption else []
            found += list(block.header)
            found += [cell.text for row in block.rows for cell in row.cells]
        else:
            found += list(block.categories)
    return found


def running_texts(document: Document) -> list[str]:
    """Texts a page adds between the items: footers, page labels, "(continued)" headings."""
    texts = [document.footer.text]
    for section in document.sections:
        texts += [section.continued] if section.continued else []
        texts += [b.continued.text for b in section.blocks if isinstance(b, MechanismEntry)]
    return texts


def without_running_texts(document: Document, text: str) -> str:
    """The text with footers, page labels and continuation headings taken out."""
    for running in running_texts(document):
        text = re.sub(_loose(running), " ", text, flags=re.I)
    label = "".join("\x00" if p in ("{page}", "{pages}") else p for p in document.footer.page_label)
    pattern = _loose(label).replace("\x00", r"\d+")
    return re.sub(pattern, " ", text, flags=re.I)


def _loose(text: str) -> str:
    """A pattern for the text with any white space (a line break) between its words."""
    return r"\s+".join(re.escape(word) for word in text.split())


def missing(document: Document, text: str, ordered: bool = True) -> list[str]:
    """The items of the document not found in the text (in order, when `ordered`)."""
    haystack = normalise(without_running_texts(document, text))
    position = 0
    lost = []
    for item in items(document):
        needle = normalise(item)
        where = haystack.find(needle, position if ordered else 0)
        if where < 0:
            lost.append(item)
        elif ordered:
            position = where + len(needle)
    return lost


def pdf_text(path: Path, pdftotext: str) -> str:
    """The text of a PDF as poppler extracts it in content order (column after column)."""
    return subprocess.run(
        [pdftotext, "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
