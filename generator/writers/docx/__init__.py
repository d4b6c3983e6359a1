"""The Word writer (python-docx): an editable .docx with styles, columns, tables and a chart."""

from .writer import DocxFileWriter, write_docx

__all__ = ["DocxFileWriter", "write_docx"]
