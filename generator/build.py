"""The builder: which files an issue becomes, written safely (all or nothing)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import fail

if TYPE_CHECKING:
    from .layout import Layout
    from .model import Document
    from .validate import Issue

Report = Callable[[str], None]


@dataclass(frozen=True)
class Output:
    """One kind of file a build can write."""

    key: str
    suffix: str
    description: str


OUTPUTS = (
    Output("pdf", ".pdf", "PDF for screen and e-mail"),
    Output("print", "-print.pdf", "PDF for the printer (CMYK, bleed, crop marks)"),
    Output("docx", ".docx", "Word file for editing"),
)


@dataclass(frozen=True)
class Written:
    path: Path
    pages: int
    size: int


def source_date_epoch() -> int:
    """The build's timestamp: SOURCE_DATE_EPOCH, else a fixed date, so builds are identical."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else 1_577_836_800  # 2020-01-01T00:00:00Z


def check(data_dir: Path, year: str) -> Issue:
    """Load and validate an issue's data (no writer is imported)."""
    from .validate import load_issue

    return load_issue(data_dir, year)


def build(
    data_dir: Path,
    year: str,
    layout_name: str,
    out_dir: Path,
    keys: tuple[str, ...],
    report: Report,
) -> list[Written]:
    """Check the data, compose the issue and write every requested file, or none of them."""
    from .compose import compose
    from .layout import load_layout

    issue = check(data_dir, year)
    report(f"checked   {issue.source.file}")
    layout = load_layout(layout_name)
    document = compose(issue, layout)
    report(f"composed  {len(document.sections)} sections with layout '{layout.name}'")
    stem = issue.settings.file_name.replace("{year}", year)
    _prepare(out_dir)
    staged: list[tuple[Path, Path, int]] = []
    temporaries: list[Path] = []
    try:
        for output in (o for o in OUTPUTS if o.key in keys):
            target = out_dir / f"{stem}{output.suffix}"
            temporaries.append(_temporary(out_dir, target))
            pages = _write(output.key, document, layout, temporaries[-1])
            staged.append((temporaries[-1], target, pages))
            report(f"rendered  {target.name} ({output.description})")
        for temporary, target, _ in staged:
            os.replace(temporary, target)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
    written = [Written(target, pages, target.stat().st_size) for _, target, pages in staged]
    return written


def _prepare(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".bulletin-"):
            pass
    except OSError as error:
        raise fail(
            str(out_dir),
            f"cannot write to the output folder: {error.strerror}",
            "choose another folder with --output, or fix its permissions",
        ) from None


def _temporary(out_dir: Path, target: Path) -> Path:
    """A hidden file beside the target, readable as a normal new file would be (umask)."""
    handle, name = tempfile.mkstemp(dir=out_dir, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)
    return Path(name)


def _write(key: str, document: Document, layout: Layout, target: Path) -> int:
    """Render one output with its writer; the writers are imported only when needed."""
    if key in ("pdf", "print"):
        from .writers.pdf import write_pdf

        return write_pdf(document, layout, target, print_ready=key == "print")
    from .writers.docx import write_docx

    return write_docx(document, layout, target)
