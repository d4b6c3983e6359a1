"""The Word writer (python-docx): an editable .docx with styles, columns, tables and a chart.

The writer (and python-docx) loads only when asked for: the screen PDF reads the Word file's
line heights (word_lines.py, from `measure`) without it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .writer import DocxFileWriter, write_docx

__all__ = ["DocxFileWriter", "write_docx"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
