"""Warnings: located problems that do not stop a check or a build, unless `--strict`.

A warning is a `Problem` with `warning=True`, printed as
`file:line:col: warning: key.path: message (hint)`. Each kind of bulletin finds its own
(`Kind.warnings`, in generator/kinds/).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import BulletinError, Problem

if TYPE_CHECKING:
    from .kinds import Issue, Kind
    from .layout import Layout


def find_warnings(kind: Kind, issue: Issue, layout: Layout) -> list[Problem]:
    """Every warning about an issue built with a layout, in file and line order."""
    found = [*kind.warnings(issue, layout), *layout.warnings]  # the layout's: faint colours
    found = [warning.as_warning() for warning in found]
    return sorted(found, key=lambda w: (w.file, w.line, w.column, w.path))


def stop_if_strict(warnings: list[Problem], strict: bool) -> None:
    """With `strict` (the `--strict` option), raise the warnings as errors: nothing is written."""
    if strict and warnings:
        raise BulletinError(warnings)
