"""What the print file needs that the screen file lacks, as plain data (`Press`): the print
file is derived from the finished, tagged screen file (print_file.py) instead of being laid
out a second time.

The renderer makes a `Press` with ReportLab as it finishes the screen file (page.py's
`press_for`: every piece of code in it is the code ReportLab itself writes into a print
file); the process that tags the screen file (which has not loaded ReportLab) derives the
print file with it. Where the screen file holds anything the derivation cannot carry over
exactly, `NotDerivable` is raised and the print file is laid out on its own, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class NotDerivable(Exception):
    """The print file cannot be derived exactly from the screen file (a colour with no known
    or with two CMYK values, drawing the derivation does not know): lay it out on its own."""


@dataclass(frozen=True)
class Press:
    """How a screen file's pages become the print file's (coordinates in points)."""

    colours: Mapping[bytes, bytes | None]
    """The operands of each RGB colour operator the screen file can hold (as ReportLab writes
    them: b"0 .2 .627451") -> those of its CMYK operator in the print file (b"1 .75 0 .05");
    None where two colours of the layout share the RGB value but not the CMYK one."""
    screen_page: tuple[bytes, bytes]
    """What ReportLab writes before and after the drawing of a screen page."""
    print_page: tuple[bytes, bytes]
    """... and of a print page: the move into the bleed and slug, and the crop marks."""
    bleeds: tuple[tuple[int, bytes, bytes], ...]
    """Fills that reach the trim edge (the masthead band): the page (from 0), the screen
    file's operator, the print file's (the fill carried into the bleed)."""
    border: float
    """How far the print page's content is moved right and up (bleed and slug)."""
    media_box: tuple[str, ...]
    trim_box: tuple[str, ...]
    bleed_box: tuple[str, ...]
    """The print page's boxes, as ReportLab writes their numbers."""
