"""The PDF writer (ReportLab): the screen file and the print file."""

from .writer import write_pdf

__all__ = ["write_pdf"]
