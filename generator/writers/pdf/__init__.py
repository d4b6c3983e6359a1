"""The PDF writer (ReportLab): the screen file and the print file."""

from . import deferred  # noqa: F401  # first: ReportLab imported with two patterns deferred
from .writer import PdfFileWriter, write_pdf

__all__ = ["PdfFileWriter", "write_pdf"]
