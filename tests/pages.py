"""Where the text of a PDF stands: words with their page, column and line, as poppler reads
them (`pdftotext -bbox-layout`, `-raw -bbox`), for the checks of typography and columns.

`loose_lines` measures word gaps as ../shared/tools/loose.py does; `words` lists the words in
content order with their place; `placed` finds the words of each item of a document.
"""

from __future__ import annotations

import itertools
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from generator.model import Document
from tests.completeness import SOFT, find_marked, running_texts, squeeze

XHTML = "{http://www.w3.org/1999/xhtml}"


def _xml(pdf: Path, pdftotext: str, *options: str) -> etree._Element:
    found = subprocess.run(
        [pdftotext, *options, "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
    ).stdout
    return etree.fromstring(found, etree.XMLParser(recover=True, huge_tree=True))


@dataclass(frozen=True)
class TextLine:
    """A line of a text block: its words and the widest gap between two of them over the
    line's text height; `last` when it ends its block (a paragraph's last line)."""

    words: tuple[str, ...]
    gap: float
    last: bool

    @property
    def text(self) -> str:
        return " ".join(self.words)


def block_lines(pdf: Path, pdftotext: str) -> list[list[TextLine]]:
    """The lines of each text block (about a paragraph) of a PDF, block after block. Words of
    one block on one baseline are one line: poppler cuts a line in pieces where a gap is
    very wide, which would hide the widest gaps from the measure."""
    blocks = []
    for block in _xml(pdf, pdftotext, "-bbox-layout").iter(f"{XHTML}block"):
        rows = _rows(block.findall(f"{XHTML}line"))
        found = []
        for i, words in enumerate(rows):
            heights = [float(w.get("yMax")) - float(w.get("yMin")) for w in words]
            gaps = [
                float(b.get("xMin")) - float(a.get("xMax")) for a, b in itertools.pairwise(words)
            ]
            gap = max(gaps) / statistics.median(heights) if gaps else 0.0
            texts = tuple(w.text or "" for w in words)
            found.append(TextLine(texts, gap, i == len(rows) - 1))
        blocks.append(found)
    return blocks


def _rows(lines: list[etree._Element]) -> list[list[etree._Element]]:
    """The words of a block's lines, the pieces of one baseline joined, left to right."""
    rows: list[tuple[float, list[etree._Element]]] = []
    for line in lines:
        baseline = float(line.get("yMax"))
        words = line.findall(f"{XHTML}word")
        if rows and abs(rows[-1][0] - baseline) < BASELINE_FUZZ:
            rows[-1][1].extend(words)
        else:
            rows.append((baseline, list(words)))
    return [sorted(words, key=lambda w: float(w.get("xMin"))) for _, words in rows]


BASELINE_FUZZ = 0.5
"""Points within which two pieces of a line share its baseline."""


def loose_lines(pdf: Path, pdftotext: str) -> list[float]:
    """The word-gap ratio of every justified line (not a block's last, three words or more)."""
    return [
        line.gap
        for lines in block_lines(pdf, pdftotext)
        for line in lines
        if not line.last and len(line.words) >= 3
    ]


@dataclass(frozen=True)
class Word:
    """A word as drawn: its text, page (from 1), column (0 left of the page's middle, else
    1) and the top of its line."""

    text: str
    page: int
    column: int
    top: int


def words(pdf: Path, pdftotext: str, columns: int = 2) -> list[Word]:
    """Every word of a PDF in content order (column after column), with its place; with one
    column, every word is in column 0."""
    found = []
    root = _xml(pdf, pdftotext, "-raw", "-bbox")
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        middle = float(page.get("width")) / 2
        for word in page.iter(f"{XHTML}word"):
            column = 0 if columns == 1 or float(word.get("xMin")) < middle else 1
            top = round(float(word.get("yMin")))
            found.append(Word(word.text or "", number, column, top))
    return found


def placed(items: list[str], found: list[Word], running: list[str] = ()) -> list[list[Word]]:
    """The words that show each item, the items found one after the other ([] if one is not
    found); a word hyphenated at a line's end is joined again, and the running texts (regular
    expressions over the squeezed text: footers, "(continued)" headings) are skipped."""
    stream, owner = "", []
    for i, word in enumerate(found):
        text = squeeze(word.text)
        following = found[i + 1] if i + 1 < len(found) else None
        if (
            text.endswith("-")
            and following is not None
            and following.top != word.top
            and following.text[:1].isalnum()
        ):
            text = text[:-1] + SOFT
        stream += text
        owner += [i] * len(text)
    for pattern in running:
        kept = [(c, o) for c, o in zip(stream, owner, strict=True)]
        cut = re.sub(pattern, lambda m: "\x00" * len(m.group()), stream)
        stream = "".join(c for (c, _), x in zip(kept, cut, strict=True) if x != "\x00")
        owner = [o for (_, o), x in zip(kept, cut, strict=True) if x != "\x00"]
    result, position = [], 0
    for item in items:
        where, size = find_marked(stream, squeeze(item), position)
        if where < 0:
            result.append([])
            continue
        position = where + size
        indexes = sorted(set(owner[where : where + size]))
        result.append([found[i] for i in indexes])
    return result


def running_patterns(document: Document) -> list[str]:
    """Footers, page labels and "(continued)" headings, as patterns over squeezed text (the
    `running` of `placed`)."""
    patterns = [re.escape(squeeze(text)) for text in running_texts(document)]
    label = "".join(
        r"\d+" if part in ("{page}", "{pages}") else re.escape(squeeze(part))
        for part in document.footer.page_label
    )
    return [*patterns, label]


def places(words_of_item: list[Word]) -> list[tuple[int, int]]:
    """The (page, column) places an item's words stand in, in order."""
    seen: list[tuple[int, int]] = []
    for word in words_of_item:
        if not seen or seen[-1] != (word.page, word.column):
            seen.append((word.page, word.column))
    return seen


def line_count(words_of_item: list[Word]) -> dict[tuple[int, int], int]:
    """How many lines of the item stand in each (page, column) place."""
    lines: dict[tuple[int, int], set[int]] = {}
    for word in words_of_item:
        lines.setdefault((word.page, word.column), set()).add(word.top)
    return {place: len(tops) for place, tops in lines.items()}


MONTHS = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December)"
)
