"""The PDF writer (ReportLab): the screen file and the print file.

The package itself imports nothing, so that its modules free of ReportLab (the structure
tree, which a build's main process writes with pikepdf: structure.py, structure_tree.py)
load without it. writer.py imports ReportLab through `deferred` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .writer import PdfFileWriter, write_pdf

__all__ = ["PdfFileWriter", "write_pdf"]


def __getattr__(name: str) -> Any:
    """`PdfFileWriter` and `write_pdf`, from writer.py (imported when first asked for)."""
    if name in __all__:
        from . import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
