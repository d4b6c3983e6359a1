"""Warnings: located problems that do not stop a check or a build, unless `--strict`.

A warning is a `Problem` with `warning=True`, printed as
`file:line:col: warning: key.path: message (hint)`. Each kind of warning is a check: a
function of the issue and the layout that returns the warnings it finds. A new kind is one
more function in `CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import BulletinError, Problem

if TYPE_CHECKING:
    from .layout import Layout
    from .validate import Issue

Check = Callable[["Issue", "Layout"], list[Problem]]


def _checks() -> tuple[Check, ...]:
    """Every kind of warning, in the order they are looked for."""
    from .year_warnings import year_warnings

    return (year_warnings, _layout_warnings)


def _layout_warnings(issue: Issue, layout: Layout) -> list[Problem]:
    """What loading the layout found (text colours too faint on their background)."""
    return list(layout.warnings)


def find_warnings(issue: Issue, layout: Layout) -> list[Problem]:
    """Every warning about an issue built with a layout, in file and line order."""
    found = [warning.as_warning() for check in _checks() for warning in check(issue, layout)]
    return sorted(found, key=lambda w: (w.file, w.line, w.column, w.path))


def stop_if_strict(warnings: list[Problem], strict: bool) -> None:
    """With `strict` (the `--strict` option), raise the warnings as errors: nothing is written."""
    if strict and warnings:
        raise BulletinError(warnings)
