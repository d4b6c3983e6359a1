"""The Word writer (python-docx): an editable .docx with styles, columns, tables and a chart."""

from .writer import write_docx

__all__ = ["write_docx"]
