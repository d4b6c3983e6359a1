"""The errors an editor sees: each names a file, line, column and key path, and says what to do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data or layout file; a warning is printed but stops nothing
    (unless `--strict`), and reads `file:line:col: warning: key.path: message (hint)`."""

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    warning: bool = False

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
