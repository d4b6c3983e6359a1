"""Writers: each turns the document model into one file format, reading the layout's styles.

The contract every writer keeps, and the registry the build and the command line read. A
writer is one subpackage and one line in `WRITERS`; the registry names each writer by a
dotted path, so listing the formats (`--help`, `check`) imports no writer library.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from ..layout import Layout
    from ..model import Document

DEFAULT_EPOCH = 1_577_836_800
"""2020-01-01T00:00:00Z: the timestamp of a build when SOURCE_DATE_EPOCH is not set."""


@dataclass(frozen=True)
class Options:
    """How to write: the timestamp stored in the file, whether it is for the printer, and the
    page count to show where the file cannot count its own."""

    epoch: int = DEFAULT_EPOCH
    print_ready: bool = False
    pages: int = 1
    """For a file that cannot count its pages (Word's): the count its page fields show until
    its program lays the pages out (the build gives the screen PDF's)."""
    counted: Callable[[Rendered], None] | None = field(default=None, compare=False)
    """For a writer that counts its pages before the file is done: told what it rendered
    (the page count, the column starts) as soon as it is known (a build writes the Word file
    with it meanwhile)."""
    column_starts: frozenset[tuple[str, int]] = frozenset()
    """For a file whose program lays out its columns (Word's): where the screen PDF's columns
    open, on every page but at their very start, as `page_starts` (a group's key and 0 for
    its heading, or the number of the event after its "(continued)" heading; see the PDF
    writer's RecordedColumns)."""
    column_placed: frozenset[str] = frozenset()
    """... the groups the screen PDF sets, heading first, in a later column of the columns'
    last page ..."""
    column_splits: frozenset[tuple[str, int, int]] = frozenset()
    """... and where a column opens inside an event (the rest of one split over the
    columns): its group's key, its number and how many of its words come before the break."""
    lone_columns: frozenset[str] = frozenset()
    """For a file whose program balances its columns (Word's): the sections (by key) whose
    columns the screen PDF ends in the first column of their last page alone (what is left
    does not split), where the Word file ends them with a column break."""
    flowing_events: frozenset[tuple[str, int]] = frozenset()
    """For a file whose program lays out its columns (Word's): the events the Word file sets
    at the screen PDF's leading, not closer, by their group's key and number (0: its note):
    those in columns where it breaks none (after LibreOffice's lines first overflow one, see
    the PDF writer's RecordedColumns), and those of a columns' last page before a last page
    that holds little (the PDF writer's `ends_apart`)."""
    long_events: frozenset[tuple[str, int]] | None = None
    """For a file whose program decides where a paragraph may split (Word's): the events the
    screen PDF sets in more lines than it keeps whole (KEEP_WHOLE_LINES), by their group's
    key and number; the others it never splits. None: not known."""
    page_starts: frozenset[tuple[str, int]] = frozenset()
    """For a file whose program lays out its pages (Word's): where the screen PDF's pages
    that begin with a section's "(continued)" heading begin (see Rendered)."""
    screen: Callable[[], Rendered] | None = field(default=None, compare=False)
    """For the Word file, instead of `pages` and the column starts: a call that waits for the
    screen PDF's (rendered meanwhile), made once the rest of the file is built."""
    print_laid_out: bool = False
    """For the print file: laid out on its own, as the screen file is, instead of derived from
    the screen file's layout (see writers/pdf/press.py): what is done where the derivation
    fails."""
    finish_apart: bool = False
    """For a writer whose file takes a last step with a library of its own (the PDF's
    structure tree, with pikepdf): leave it to the caller, writing nothing into the target
    (`Rendered.unfinished`), so that the process that renders never loads that library (a
    build's renderer: its main process, idle by then, loads it meanwhile and finishes)."""


class Unfinished(Protocol):
    """A file whose last step was left to its caller (see `Options.finish_apart`): plain data
    that another process can finish."""

    def finish(self, target: Path | BinaryIO) -> None: ...


@dataclass(frozen=True)
class Rendered:
    """What a writer wrote: its page count (None when the program that opens it decides),
    and (the screen PDF) where its columns open, and the groups it sets in the later columns
    of the columns' last page (see Options)."""

    pages: int | None = None
    column_starts: frozenset[tuple[str, int]] = frozenset()
    column_placed: frozenset[str] = frozenset()
    page_starts: frozenset[tuple[str, int]] = frozenset()
    """Where its pages that begin with a section's "(continued)" heading begin: the key of a
    group and 0 (the page begins with its heading) or the number of its event (from 1) whose
    first line begins the page."""
    column_splits: frozenset[tuple[str, int, int]] = frozenset()
    """Where a column opens inside an event (see Options)."""
    flowing_events: frozenset[tuple[str, int]] = frozenset()
    """The events the Word file sets at its leading (see Options)."""
    lone_columns: frozenset[str] = frozenset()
    """The sections whose columns end in a column of their own (see Options)."""
    long_events: frozenset[tuple[str, int]] | None = None
    """The events it sets in more lines than it keeps whole (see Options)."""
    unfinished: Unfinished | None = field(default=None, compare=False, repr=False)
    """With `Options.finish_apart`, the file to finish into the target; else None."""


class Renders(Protocol):
    """A writer's implementation: writes the document with the layout into `target`."""

    def write(
        self, document: Document, layout: Layout, target: Path | BinaryIO, options: Options
    ) -> Rendered: ...


class Writer(Renders, Protocol):
    """One kind of file a build can write: its key (`--format`), file suffix and description."""

    key: str
    suffix: str
    description: str


@dataclass(frozen=True)
class Registered:
    """A writer as the registry lists it; its implementation is imported on the first write."""

    key: str
    suffix: str
    description: str
    implementation: str
    """`package.module:Class`, a class whose instances keep the `Renders` contract."""
    print_ready: bool = False
    finishing: str = ""
    """The module that finishes its files left unfinished (`Options.finish_apart`), which the
    process that will finish them imports ahead; "" when the writer leaves none."""
    shared: tuple[str, ...] = ()
    """Modules its implementation shares with what a build's process loads while the file is
    written in a process of its own (the glyph check's, the PDFs' `finishing`): imported
    before that process is forked, once for both."""

    def load(self) -> Renders:
        module, _, name = self.implementation.partition(":")
        writer: Renders = getattr(importlib.import_module(module), name)()
        return writer

    def write(
        self, document: Document, layout: Layout, target: Path | BinaryIO, options: Options
    ) -> Rendered:
        options = replace(options, print_ready=self.print_ready)
        return self.load().write(document, layout, target, options)

    def load_fonts(self, layout: Layout) -> None:
        """Let the writer read the layout's fonts ahead, if it can (`load_fonts(layout)`: an
        optional method of the implementation), so that its first file is written sooner."""
        load = getattr(self.load(), "load_fonts", None)
        if load is not None:
            load(layout)

    def prepare(self, document: Document, layout: Layout) -> None:
        """Let the writer load ahead what its files of this document need (`prepare(document,
        layout)`: an optional method of the implementation), so that processes forked after
        it start with it."""
        prepare = getattr(self.load(), "prepare", None)
        if prepare is not None:
            prepare(document, layout)


PDF_FINISHING = "generator.writers.pdf.structure_tree"
"""The PDF's structure tree, written with pikepdf."""

WRITERS: tuple[Registered, ...] = (
    Registered(
        "pdf",
        ".pdf",
        "PDF for screen and e-mail",
        "generator.writers.pdf.writer:PdfFileWriter",
        finishing=PDF_FINISHING,
    ),
    Registered(
        "print",
        "-print.pdf",
        "PDF for the printer (CMYK, bleed, crop marks)",
        "generator.writers.pdf.writer:PdfFileWriter",
        print_ready=True,
        finishing=PDF_FINISHING,
    ),
    Registered(
        "docx",
        ".docx",
        "Word file for editing",
        "generator.writers.docx.writer:DocxFileWriter",
        shared=("hashlib", "json", "lxml.etree", "platform"),  # also the glyph check's, pikepdf's
    ),
)


def keys() -> tuple[str, ...]:
    """The keys of every registered writer, in the order a build writes them."""
    return tuple(writer.key for writer in WRITERS)


def writer(key: str) -> Registered:
    """The registered writer with this key (a key the registry lacks is a bug in the caller)."""
    return next(found for found in WRITERS if found.key == key)
