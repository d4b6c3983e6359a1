"""`bulletin check`: an issue checked as a build checks it (its data, its layout, its
composition and its fonts), without the builder and its writers (see build.py, which reads
the same functions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem
from .kinds import Issue, Kind, kind_of

if TYPE_CHECKING:
    from .layout import Layout
    from .sources import Source

Warn = Callable[[Problem], None]


def project_of(data_dir: Path) -> Path:
    """The project folder: the one holding the data folder (the working folder for `data`).
    Its own layouts/ and fonts/ add to or replace the built-in ones."""
    return data_dir.absolute().parent


@dataclass(frozen=True)
class Checked:
    """An issue that passed every check, with the kind of bulletin it is."""

    kind: Kind
    issue: Issue

    def summary(self) -> str:
        return self.kind.summarise(self.issue)


def check(
    data_dir: Path,
    year: str,
    layout_name: str | None = None,
    strict: bool = False,
    warn: Warn | None = None,
) -> Checked:
    """Load and validate an issue's data with its kind, compose it with the layout (the
    kind's own when None), check that the fonts draw every character, as a build would, and
    pass its warnings to `warn` (with `strict`, raise them). No writer is imported."""
    from .glyphs import check_glyphs

    kind = kind_of(data_dir)
    issue = kind.load(data_dir, year)
    layout = layout_for(kind, layout_name, data_dir)
    document = kind.compose(issue, layout)
    check_glyphs(document, layout, lambda: sources_of(kind, data_dir, issue, layout))
    show(found_warnings(kind, issue, layout, strict), warn)
    return Checked(kind, issue)


def found_warnings(kind: Kind, issue: Issue, layout: Layout, strict: bool) -> list[Problem]:
    """The issue's warnings with this layout; with `strict`, raised as errors instead."""
    from .warnings import find_warnings, stop_if_strict

    found = find_warnings(kind, issue, layout)
    stop_if_strict(found, strict)
    return found


def show(warnings: list[Problem], warn: Warn | None) -> None:
    """Pass each warning to `warn` (None: the caller wants none)."""
    if warn is not None:
        for warning in warnings:
            warn(warning)


def layout_for(kind: Kind, name: str | None, data_dir: Path) -> Layout:
    """The named layout (the kind's own when None), checked against the kind's styles."""
    from .layout import load_layout

    return load_layout(name or kind.layout, kind.styles, project_of(data_dir))


def sources_of(kind: Kind, data_dir: Path, issue: Issue, layout: Layout) -> list[Source]:
    """The loaded data and wording files, to find where a text was written."""
    found = kind.sources(data_dir, issue)
    return [*found, *([layout.text_source] if layout.text_source else [])]
