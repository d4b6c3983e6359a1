"""The errors an editor sees: each names a file, line, column and key path, and says what to do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    """Write a key path as an editor reads it: events.ADD[1].dates (list positions from 1)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top)"


MAX_SHOWN = 200
"""The most characters of a value (or key path) an error line quotes."""

MAX_HINT = 1000
"""The most characters of a hint: it says what to do and where (several files' paths, which
can be long), so it is clipped only when it quotes something huge."""


def clipped(text: str, limit: int = MAX_SHOWN) -> str:
    """The text, or its first `limit` characters and how long it is."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data or layout file; a warning is printed but stops nothing
    (unless `--strict`), and reads `file:line:col: warning: key.path: message (hint)`.

    A long key path, message or hint is clipped, so an error line never quotes more than
    about 200 characters of a value (a 10,000-character key stays one readable line); a hint
    keeps up to 1,000, for the places it names.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    warning: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", clipped(self.path))
        object.__setattr__(self, "message", clipped(self.message, MAX_SHOWN + 100))
        object.__setattr__(self, "hint", clipped(self.hint, MAX_HINT))

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        where = f"{self.file}:{self.line}:{self.column}"
        kind = " warning:" if self.warning else ""
        path = f" {self.path}:" if self.path else ""
        return f"{where}:{kind}{path} {self.message}{hint}"

    def as_warning(self) -> Problem:
        return replace(self, warning=True)


class BulletinError(Exception):
    """A problem the user can fix (data, layout, output folder); printed without a traceback."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[BulletinError], tuple[Sequence[Problem]]]:
        """Pickle by problems, so the error survives the trip back from a writer process."""
        return BulletinError, (self.problems,)


def fail(file: str, message: str, hint: str = "", line: int = 1, column: int = 1) -> BulletinError:
    """Make an error about one place in one file."""
    return BulletinError([Problem(file, line, column, "", message, hint)])


def not_a_file(path: Path) -> str:
    """Why a path that should be a file to read is not one, as a problem's message."""
    if path.is_dir():
        return "is a folder, not a file"
    if path.exists():
        return "is not a regular file (a device, pipe or socket)"
    return "file not found"


def shown_path(path: Path) -> str:
    """The path as the editor typed it, relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class UsageProblem(Exception):
    """A wrong argument or environment variable (exit 2); the message names it."""
