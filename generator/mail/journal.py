"""The journal of deliveries: one line per recipient the server accepted, written at once.

A run reads it first and skips every address in it, so a crash, Ctrl-C or a second run never
sends twice. Lines are JSON: a line cut short by a crash is unreadable and ignored (that
recipient's delivery is the only one the journal may miss). One run at a time may use it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import IO

from ..errors import BulletinError, fail

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, the journal still works
    fcntl = None  # type: ignore[assignment]


class Journal:
    """The deliveries of one issue, kept in a file beside its outputs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sent: dict[str, dict[str, str]] = {}
        self.handle: IO[str] | None = None

    def __enter__(self) -> Journal:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(self.path, "a+", encoding="utf-8")
        except OSError as error:
            raise fail(
                str(self.path),
                f"cannot open the journal: {error.strerror}",
                "check the output folder",
            ) from None
        self._lock()
        self.handle.seek(0)
        line = ""
        for line in self.handle:
            entry = _entry(line)
            if entry:
                self.sent[entry["email"].casefold()] = entry
        if line and not line.endswith("\n"):  # cut short: the next entry starts a line of its own
            self.handle.write("\n")
            self.handle.flush()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle:
            self.handle.close()

    def _lock(self) -> None:
        if fcntl is None or self.handle is None:
            return
        try:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise _busy(self.path) from None

    def has(self, key: str) -> bool:
        return key in self.sent

    def record(self, email: str, reply: str, message_id: str) -> None:
        """Write one delivery to disk before anything else happens."""
        assert self.handle is not None
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "email": email,
            "reply": reply,
            "message_id": message_id,
        }
        self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.sent[email.casefold()] = entry


def _entry(line: str) -> dict[str, str] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) and isinstance(entry.get("email"), str) else None


def _busy(path: Path) -> BulletinError:
    return fail(
        str(path),
        "another `bulletin mail` is sending this issue now",
        "wait for it to finish; each recipient gets one message",
    )
