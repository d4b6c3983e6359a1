"""A proof sheet: every page of the screen PDF as a numbered thumbnail and, when LibreOffice
is installed, its rendering of the Word file beside it, in one PNG for an editor to look at
before sending.

Pages are drawn with pypdfium2 (PDFium, no shell tool) and set out with Pillow. The issue is
built afresh into a temporary folder, so the proof always shows the current data.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .commit import folder_problem

if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from .layout import Layout

THUMBNAIL_WIDTH = 360
"""The width of one page on the sheet, in pixels."""
GAP = 28
LABEL = 30
BACKGROUND = "white"
"""The sheet behind the pages; the labels and frames take the layout's text colours."""
LIBREOFFICE = ("soffice", "libreoffice")
TIMEOUT = 180
"""Seconds LibreOffice may take to convert the Word file."""
LIKE_WORD_FROM = 24
"""The first LibreOffice (24.2) that sets a Word file's justified lines as Word does."""


@dataclass(frozen=True)
class Proof:
    """The sheet written, the pages of each side (None: no Word side), and why not."""

    path: Path
    pdf_pages: int
    word_pages: int | None
    note: str = ""


def make_proof(
    data_dir: Path,
    year: str,
    layout_name: str | None,
    out_dir: Path,
    report: Callable[[str], None],
) -> Proof:
    """Build the issue into a temporary folder and write out_dir/proof.png (with the layout
    named, else the kind's own)."""
    from .build import build
    from .checking import layout_for
    from .kinds import kind_of

    layout = layout_for(kind_of(data_dir), layout_name, data_dir)
    _ready(out_dir)
    with tempfile.TemporaryDirectory(prefix="bulletin-proof-") as scratch:
        folder = Path(scratch)
        written = build(data_dir, year, layout_name, folder, ("pdf", "docx"), report)
        pdf, word = (item.path for item in written)
        columns = [("PDF for screen", _pages(pdf))]
        rendered, note = libreoffice_pdf(word, folder)
        if rendered is not None:
            columns.append(("Word file, as LibreOffice shows it", _pages(rendered)))
        sheet = proof_sheet(columns, _Look.of(layout))
        target = _save(sheet, out_dir)
    word_pages = len(columns[1][1]) if len(columns) > 1 else None
    return Proof(target, len(columns[0][1]), word_pages, note)


def libreoffice_pdf(word: Path, folder: Path) -> tuple[Path | None, str]:
    """LibreOffice's PDF of a Word file (its own profile), or None and the reason why not."""
    program = next((found for name in LIBREOFFICE if (found := shutil.which(name))), None)
    if program is None:
        return None, "LibreOffice (soffice) is not installed: the proof shows the PDF alone"
    profile = folder / "libreoffice-profile"
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder / "libreoffice"),
        str(word),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"LibreOffice could not convert the Word file ({error}): PDF alone"
    rendered = folder / "libreoffice" / f"{word.stem}.pdf"
    if not rendered.is_file():
        return None, "LibreOffice could not convert the Word file: the proof shows the PDF alone"
    return rendered, _older_than_word(program)


def _older_than_word(program: str) -> str:
    """A note where this LibreOffice is older than LIKE_WORD_FROM ("" otherwise, or where it
    does not tell its version)."""
    version = libreoffice_version(program)
    if version is None or version[0] >= LIKE_WORD_FROM:
        return ""
    return (
        f"LibreOffice {version[0]}.{version[1]} shows the Word file: before 24.2, LibreOffice"
        " never narrows a word space in a justified line as Word does, so its pages may differ"
        " from Word's (LibreOffice 24.2 or later shows them as Word does)"
    )


def libreoffice_version(program: str) -> tuple[int, int] | None:
    """The major and minor version this LibreOffice tells (None: it tells none)."""
    try:
        shown = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=60
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"LibreOffice (\d+)\.(\d+)", shown)
    return (int(found[1]), int(found[2])) if found else None


def _ready(out_dir: Path) -> None:
    """The output folder made (before anything is built), or its located problem."""
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise folder_problem(out_dir, error) from None


def _save(sheet: Image.Image, out_dir: Path) -> Path:
    """out_dir/proof.png written whole (through a temporary file), or a located problem."""
    target = out_dir / "proof.png"
    partial = out_dir / f".proof.{os.getpid()}.png.part"
    try:
        sheet.save(partial, format="PNG", optimize=True)
        partial.replace(target)
    except OSError as error:
        raise folder_problem(out_dir, error) from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def _pages(pdf: Path) -> list[Image.Image]:
    """Every page of a PDF as a picture THUMBNAIL_WIDTH pixels wide."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pictures = []
        for index in range(len(document)):
            page = document[index]
            scale = THUMBNAIL_WIDTH / page.get_width()
            pictures.append(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
        return pictures
    finally:
        document.close()


@dataclass(frozen=True)
class _Look:
    """The sheet's labels and frames: the layout's bold face and its text colours."""

    font_file: Path | None = None
    ink: str = "black"
    frame: str = "gray"

    @classmethod
    def of(cls, layout: Layout) -> _Look:
        normal, footer = layout.style("Normal"), layout.style("Footer")
        family = layout.spec.fonts[normal.font]
        colours = layout.spec.colours
        return cls(family.file(True, False), colours[normal.colour].rgb, colours[footer.colour].rgb)


def proof_sheet(columns: list[tuple[str, list[Image.Image]]], look: _Look = _Look()) -> Image.Image:
    """The pages of each column side by side, row by row, each under its title and over its
    number; a page one side lacks is an empty slot."""
    from PIL import Image, ImageDraw

    rows = max(len(pages) for _, pages in columns)
    height = max((p.height for _, pages in columns for p in pages), default=THUMBNAIL_WIDTH)
    width = GAP + len(columns) * (THUMBNAIL_WIDTH + GAP)
    sheet = Image.new("RGB", (width, GAP + LABEL + rows * (height + LABEL + GAP)), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    title, small = _font(look.font_file, 18), _font(look.font_file, 15)
    for c, (name, pages) in enumerate(columns):
        x = GAP + c * (THUMBNAIL_WIDTH + GAP)
        draw.text((x, GAP // 2), name, fill=look.ink, font=title)
        for r in range(rows):
            y = GAP + LABEL + r * (height + LABEL + GAP)
            box = (x - 1, y - 1, x + THUMBNAIL_WIDTH, y + height)
            if r < len(pages):
                sheet.paste(pages[r], (x, y))
                draw.rectangle(box, outline=look.frame)
                label = f"page {r + 1} of {len(pages)}"
            else:
                draw.rectangle(box, outline=look.frame)
                label = f"no page {r + 1}"
            draw.text((x, y + height + 6), label, fill=look.ink, font=small)
    return sheet


def _font(font_file: Path | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The labels' font, or Pillow's own if it cannot be read."""
    from PIL import ImageFont

    try:
        if font_file is not None:
            return ImageFont.truetype(str(font_file), size)
    except OSError:
        pass
    return ImageFont.load_default(size)
