"""pikepdf imported without compiling, at once, a pattern the bulletin never uses.

As it is imported, pikepdf.models.metadata compiles `re_xml_illegal_chars`, a pattern over
most of Unicode that only cleans text set into XMP metadata through pikepdf's own editor
(`clean`): 6-9 ms, an eighth of pikepdf's import in the build's main process, which imports
it while the renderers work. The bulletin writes its XMP packet itself (structure_tree.py),
so the pattern is compiled if ever used; any other pattern, or this one should pikepdf
change it, is compiled as usual.
"""

from __future__ import annotations

from ...lazy_patterns import DeferredPattern, deferring

XML_ILLEGAL = r"(?u)[^\x09\x0A\x0D\x20-\U0000D7FF\U0000E000-\U0000FFFD\U00010000-\U0010FFFF]"
"""pikepdf's `re_xml_illegal_chars`."""


def pikepdfs(pattern: str, flags: int) -> type[DeferredPattern] | None:
    """pikepdf's pattern (see above), deferred; any other compiled as usual."""
    return DeferredPattern if pattern == XML_ILLEGAL and not flags else None


with deferring(pikepdfs):
    import pikepdf  # noqa: F401  # structure_tree.py and print_file.py import it: here first
