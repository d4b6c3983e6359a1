"""The document model: what a bulletin says, in order, with no idea of how it looks.

Compose builds it from the data and the layout's wording; the PDF and Word writers read it.
It imports neither ReportLab nor python-docx. Style names refer to the layout's style sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DataPath = tuple[str | int, ...]
"""A key path into the year's data file, such as ('events', '5+5', 0, 'summary')."""

PAGE = "{page}"
PAGES = "{pages}"


@dataclass(frozen=True)
class Origin:
    """Where a model element came from: a data file, a line, a column and a key path."""

    file: str
    line: int
    column: int
    path: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}"


@dataclass(frozen=True)
class Run:
    """A piece of text in one character style (None: the paragraph's own), maybe a link.

    `data` is the key path of the data value the text shows (None: wording, not data); the
    Word writer marks it so that `bulletin pull` can bring an editor's change back."""

    text: str
    style: str | None = None
    url: str | None = None
    data: DataPath | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph in a named paragraph style, made of runs."""

    style: str
    runs: tuple[Run, ...]
    origin: Origin | None = None

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Heading:
    """A section heading; `outline` is the bookmark level (0: not in the outline)."""

    style: str
    text: str
    outline: int = 1
    anchor: str = ""
    data: DataPath | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Group:
    """A run of paragraphs under a heading of their own (a mechanism and its events, in the
    ISCM Highlights): the heading, an optional note, the paragraphs; `continued` is the
    heading repeated where a page or column breaks the group; `anchor`, its outline entry."""

    key: str
    heading: Paragraph
    continued: Paragraph
    note: Paragraph | None
    paragraphs: tuple[Paragraph, ...]
    origin: Origin | None = None
    anchor: str = ""


@dataclass(frozen=True)
class TableCell:
    """A cell of a table: its runs."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class TableRow:
    """A row of a table: its cells, and where its data came from."""

    cells: tuple[TableCell, ...]
    origin: Origin | None = None


@dataclass(frozen=True)
class Table:
    """A table with one header row; `widths` are fractions of the text width; `description`
    says what it holds, for readers who cannot see it (alternative text)."""

    style: str
    caption: Paragraph | None
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    widths: tuple[float, ...]
    description: str = ""


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart; categories and values are in the order they are drawn.

    `alt_text` describes every bar; `brief_alt_text` only what the chart shows and where its
    numbers are, so that it stays true when an editor changes the data (Word's chart).
    """

    title: str
    categories: tuple[str, ...]
    values: tuple[int, ...]
    alt_text: str
    style: str = "Chart"
    brief_alt_text: str = ""


@dataclass(frozen=True)
class Image:
    """A picture (a PNG or JPEG file) `width` of the column wide, in a paragraph of `style`,
    with the text that stands for it (alt text) and an optional caption below it."""

    file: str
    alt_text: str
    width: float = 1.0
    caption: Paragraph | None = None
    style: str = "Figure"
    origin: Origin | None = None


Block = Paragraph | Group | Table | BarChart | Image


@dataclass(frozen=True)
class Section:
    """A part of the issue: a heading (or None), blocks, columns, a frame style (or None), and
    the heading repeated atop each further page it runs onto (or None)."""

    key: str
    heading: Heading | None
    blocks: tuple[Block, ...]
    columns: int = 1
    frame: str | None = None
    continued: Paragraph | None = None


@dataclass(frozen=True)
class Masthead:
    """The top of page 1: publisher lines, period, issue and title."""

    publisher: tuple[Paragraph, ...]
    period: Paragraph
    issue: Paragraph
    title: Paragraph


@dataclass(frozen=True)
class DocumentInfo:
    """What the files say of themselves: title, author, subject, keywords, language."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class PageFooter:
    """The running footer: a fixed text and a page label such as ('page ', PAGE, ' of ', PAGES)."""

    text: str
    page_label: tuple[str, ...]


@dataclass(frozen=True)
class Provenance:
    """What an issue was built from: the year, the data file's name and its text."""

    year: int
    file: str
    text: str


@dataclass(frozen=True)
class Document:
    """A whole issue: its information, masthead, sections and footer, and what the writers
    need to know of it (its addresses, where it came from, the words no line hyphenates)."""

    info: DocumentInfo
    masthead: Masthead
    sections: tuple[Section, ...]
    footer: PageFooter
    urls: tuple[str, ...] = field(default=())
    provenance: Provenance | None = field(default=None, compare=False)
    names: tuple[str, ...] = field(default=())
    """Proper names no line may hyphenate where the text shows them (a kind gives them)."""
    months: frozenset[str] | None = field(default=None)
    """The month names of the document's language, which no line hyphenates (a kind gives
    them, `dates.month_names`, so that a writer needs no locale data of its own); None: each
    writer looks them up."""


NODE_TYPES: tuple[type, ...] = (
    Masthead,
    Section,
    Heading,
    Paragraph,
    Group,
    Table,
    BarChart,
    Image,
)
