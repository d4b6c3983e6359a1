"""The PDF writer (ReportLab): the screen file and the print file."""

from .writer import PdfFileWriter, write_pdf

__all__ = ["PdfFileWriter", "write_pdf"]
