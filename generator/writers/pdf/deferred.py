"""ReportLab imported without compiling, at once, two patterns a build seldom or never uses.

As it is imported, reportlab.platypus.paragraph compiles `uri_pat`, a case-insensitive
pattern for web addresses over most of Unicode: 55-85 ms, a fifth of ReportLab's import (and
of the import floor). ReportLab matches it against each word it hyphenates across runs of
text, to break a web address at its slashes; it can only match a text holding '://' (its
scheme and '://' are not optional), so `UriPattern` answers the others (no match) without
compiling it, and compiles it for the first that holds one. reportlab.lib.textsplit's `rx`
(6-12 ms) serves only its `cjkwrap`, which the bulletin never calls: compiled if ever used.
Any other pattern, or these should ReportLab change them, is compiled as usual.

reportlab.lib.utils imports Pillow's Image module as it loads (10-15 ms), which only a
picture needs: it is loaded when first used (`lazy_images`).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from typing import Any

from ...lazy_patterns import DeferredPattern, deferring

URI_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
"""How ReportLab's `uri_pat` begins: a match starts with a scheme and '://'."""
CJK = "([\u2e80-\uffff])"
"""ReportLab's textsplit.rx."""


class UriPattern(DeferredPattern):
    """`uri_pat`: a text without '://' does not match, and needs no compiled pattern."""

    def match(self, text: str, *args: Any) -> re.Match[str] | None:
        if not args and "://" not in text:
            return None
        return self.compiled().match(text, *args)


def reportlabs(pattern: str, flags: int) -> type[DeferredPattern] | None:
    """ReportLab's two patterns (see above), deferred; any other compiled as usual."""
    if flags == re.IGNORECASE and pattern.startswith(URI_START):
        return UriPattern
    if flags == re.UNICODE and pattern == CJK:
        return DeferredPattern
    return None


def lazy_images() -> None:
    """Pillow's Image module, loaded when something in it is first used (the standard
    library's LazyLoader), unless it is loaded already or cannot be found."""
    if "PIL.Image" in sys.modules:
        return
    spec = importlib.util.find_spec("PIL.Image")
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)
    setattr(sys.modules["PIL"], "Image", module)  # noqa: B010  # as an import sets it


lazy_images()
with deferring(reportlabs):
    import reportlab.lib.textsplit
    import reportlab.platypus.paragraph  # noqa: F401  # the writer's modules import it: here first
