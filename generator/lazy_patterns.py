"""Regular expressions a library compiles as it is imported but seldom or never uses,
compiled when first used instead (see writers/pdf/deferred.py for ReportLab's, sources.py for
PyYAML's): `deferring(choose)` wraps the library's import."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Any


class DeferredPattern:
    """A pattern compiled when it is first used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


Choice = Callable[[str, int], "type[DeferredPattern] | None"]
"""Which patterns to defer: the class that defers this pattern and flags, or None."""


@contextlib.contextmanager
def deferring(choose: Choice) -> Iterator[None]:
    """While a library is imported here, the patterns `choose` names are made deferred; any
    other is compiled as usual."""
    compile_now = re.compile

    def compile_or_defer(pattern: Any, flags: int = 0) -> Any:
        deferred = choose(pattern, flags) if isinstance(pattern, str) else None
        return deferred(pattern, flags) if deferred else compile_now(pattern, flags)

    re.compile = compile_or_defer
    try:
        yield
    finally:
        re.compile = compile_now
