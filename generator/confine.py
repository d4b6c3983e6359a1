"""Paths a layout names stay inside the folders it may use.

A layout is untrusted: its `extends:`, its font files and the `--layout` name are plain
names looked up in given folders, never paths. The folders are parameters, so the same
check serves a project folder and the package's own layouts and fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath


def is_plain_name(name: str) -> bool:
    """Whether `name` is a relative path going down only: no root, drive, `..`, `~` or NUL."""
    if not name or "\x00" in name or name.startswith("~"):
        return False
    for flavour in (PurePosixPath(name), PureWindowsPath(name)):
        if flavour.is_absolute() or flavour.drive or flavour.root or ".." in flavour.parts:
            return False
    return True


def confined(folders: Sequence[Path], name: str) -> Path | None:
    """The first existing `folder/name` whose real path stays inside its real folder, or None.

    Symbolic links are followed before the check, so a link out of the folder is refused.
    """
    if not is_plain_name(name):
        return None
    for folder in folders:
        candidate = folder / name
        try:
            real, base = candidate.resolve(strict=True), folder.resolve(strict=True)
        except (OSError, RuntimeError):  # missing, a loop of links, unreadable
            continue
        if real != base and real.is_relative_to(base):
            return real
    return None
