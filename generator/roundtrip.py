"""Write changed text values into a YAML data file, keeping everything else as it was.

ruamel.yaml's round trip keeps comments, key order, quoting and blank lines; a changed value
keeps its quoting style. The file is replaced atomically (a temporary file in the same folder,
then os.replace), so a failure leaves it as it was.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from .errors import KeyPath


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line that was one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def set_values(path: Path, changes: Iterable[tuple[KeyPath, str]]) -> None:
    """Set each key path to its new text in the YAML file at `path`."""
    yaml = _yaml()
    text = path.read_text(encoding="utf-8")
    document = yaml.load(text)
    for key_path, new in changes:
        parent = document
        for part in key_path[:-1]:
            parent = parent[part]
        parent[key_path[-1]] = _styled_like(parent[key_path[-1]], new)
    out = io.StringIO()
    yaml.dump(document, out)
    _replace(path, out.getvalue())


def _styled_like(old: Any, new: str) -> str:
    """The new text in the old value's quoting style (plain when it needs no quotes)."""
    for style in (
        DoubleQuotedScalarString,
        SingleQuotedScalarString,
        LiteralScalarString,
        FoldedScalarString,
    ):
        if isinstance(old, style):
            if style is FoldedScalarString or style is LiteralScalarString:
                return (
                    style(new if new.endswith("\n") else new + "\n")
                    if str(old).endswith("\n")
                    else style(new)
                )
            return style(new)
    return new


def _replace(path: Path, text: str) -> None:
    """Write the file through a temporary file in the same folder, then rename it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
