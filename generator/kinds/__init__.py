"""Bulletin kinds: what is specific to one publication, behind one seam.

A kind owns its data (the files of a data folder, their schema and checks), how an issue
becomes the document model, the style names that model uses, and the summary `check`
prints. The engine (sources, errors, model, layouts, writers, build, command line) knows no
kind: it asks the data folder's `bulletin.yaml` which kind it is (`kind:`, by default
`iscm`) and calls that kind. The registry names each kind by a dotted path, so nothing is
imported before it is used.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import BulletinError, shown_path

if TYPE_CHECKING:
    from ..errors import Problem
    from ..layout import Layout
    from ..model import Document
    from ..sources import Source
    from ..style_names import StyleNames

SETTINGS = "bulletin.yaml"
"""The file of a data folder that names its kind (and holds what stays from issue to issue)."""
DEFAULT = "iscm"


class Issue(Protocol):
    """An issue's data as its kind loaded and checked it."""

    @property
    def source(self) -> Source:
        """The issue's own file (<year>.yaml)."""


class Kind(Protocol):
    """A kind of bulletin."""

    key: str
    styles: StyleNames
    """The style names its documents use: a layout must define them."""
    layout: str
    """The layout a build uses when none is named."""

    def load(self, data_dir: Path, year: str) -> Issue:
        """Load and check the issue's files, or raise every problem (BulletinError)."""

    def compose(self, issue: Any, layout: Layout) -> Document:
        """The document model of the issue, worded with the layout's text."""

    def summarise(self, issue: Any) -> str:
        """What `bulletin check` prints for valid data."""

    def file_stem(self, issue: Any, year: str) -> str:
        """The output files' name without suffix."""

    def sources(self, data_dir: Path, issue: Any) -> list[Source]:
        """Every data file the issue was read from (to locate a text in them)."""

    def warnings(self, issue: Any, layout: Layout) -> list[Problem]:
        """What the data may hold by mistake though it builds (`--strict` makes them errors)."""

    def new(self, data_dir: Path, year: str) -> str:
        """Start the data of a new issue (`bulletin new`); what was done, to print."""


KINDS: dict[str, str] = {
    "iscm": "generator.kinds.iscm:IscmHighlights",
}
"""Each kind's key and implementation (`package.module:Class`)."""


def register(key: str, implementation: str) -> None:
    """Add a kind (a plug-in, a test) to the registry."""
    KINDS[key] = implementation


def load_kind(key: str) -> Kind:
    """The registered kind with this key (a key the registry lacks is a bug in the caller)."""
    module, _, name = KINDS[key].partition(":")
    kind: Kind = getattr(importlib.import_module(module), name)()
    return kind


def kind_of(data_dir: Path) -> Kind:
    """The kind a data folder's bulletin.yaml names (`kind:`), by default the ISCM Highlights.

    A file that cannot be read is left to the kind's own checks, which report it.
    """
    from .. import sources

    path = data_dir / SETTINGS
    try:
        source = sources.load(path, shown_path(path))
    except BulletinError:
        return load_kind(DEFAULT)
    key = source.value.get("kind", DEFAULT) if isinstance(source.value, dict) else DEFAULT
    if not isinstance(key, str) or key not in KINDS:
        raise BulletinError(
            [
                source.problem(
                    ("kind",),
                    f"unknown kind of bulletin '{key}'",
                    f"write one of: {', '.join(sorted(KINDS))}",
                )
            ]
        )
    return load_kind(key)
