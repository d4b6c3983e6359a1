"""The cycle collector while a PDF is laid out: run less often.

ReportLab makes objects by the hundred thousand as it lays out a PDF (runs, words, lines,
flowables, the pages' drawing operators), most of which live until the file is saved. At
Python's default threshold (a collection every 700 new objects) the collector goes over the
ones still alive again and again: a tenth of the CPU time of a long PDF. Every YOUNG new
objects it still runs, so the few cycles ReportLab leaves behind (a paragraph's split parts,
copies made while balancing columns) are freed as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 10_000
"""New objects between two collections of the youngest generation while a PDF is laid out."""


@contextmanager
def collected_less() -> Iterator[None]:
    """While a PDF is laid out: the youngest generation collected every YOUNG new objects
    (the older ones as often as before, counted in its collections), then as before. A
    collector held back (threshold 0: a watch's writer process, which collects once it has
    answered) stays so."""
    before = gc.get_threshold()
    if before[0] == 0:
        yield
        return
    gc.set_threshold(max(YOUNG, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
