"""A stop is a stop: SIGINT, SIGTERM and SIGHUP end a build before its files are committed.

The first signal raises `Stopped` where the build is, so its cleanup runs. A library may
swallow that exception (ReportLab's `_findSplit` has a bare `except:`), so the flag it sets is
checked again before the commit and when the build ends: a build that was stopped never
commits, whatever the code in between did with the exception.
"""

from __future__ import annotations

import atexit
import signal
import sys
from collections.abc import Callable
from typing import Any

STOPS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
LOADING = f"{__package__}.start"
"""The module whose handler stops the `bulletin` command while it loads (until `loaded`)."""


def in_main_thread() -> bool:
    """Whether this runs in the main thread (no other runs before `threading` is loaded:
    a check never loads it)."""
    threading = sys.modules.get("threading")
    return threading is None or threading.current_thread() is threading.main_thread()


def loaded() -> None:
    """The command runs: stops are its own again (Ctrl-C raises KeyboardInterrupt; SIGTERM
    and SIGHUP end it, or stop a build, see `StopOnSignal`)."""
    if not in_main_thread():
        return
    for number in STOPS:
        if getattr(signal.getsignal(number), "__module__", None) == LOADING:
            default = signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL
            signal.signal(number, default)


_at_exit: list[Callable[[], None]] = []


def at_exit(action: Callable[[], None]) -> None:
    """Run `action` as the process ends (once, however often it is given): at Python's exit,
    or, for a command ended at once by `os._exit` (see start.py), by `run_at_exit`."""
    if action not in _at_exit:
        _at_exit.append(action)
        atexit.register(action)


def run_at_exit() -> None:
    """Run what `at_exit` was given, the last given first, as Python's exit would have."""
    while _at_exit:
        action = _at_exit.pop()
        atexit.unregister(action)
        action()


class Stopped(KeyboardInterrupt):
    """A build stopped by a signal: like Ctrl-C, the CLI says nothing was written (exit 130)."""


class StopOnSignal:
    """While a build writes, SIGTERM and SIGHUP (like SIGINT) raise `Stopped`.

    Only the first signal raises: a second one does not interrupt the cleanup, and none does
    once the files are being moved into place (`begin_commit`). Outside the main thread, no
    handler is installed.
    """

    SIGNALS = STOPS

    def __init__(self) -> None:
        self.committing = False
        self.stopped_by = ""
        self.previous: dict[int, Any] = {}

    @property
    def stopped(self) -> bool:
        return bool(self.stopped_by)

    def __enter__(self) -> StopOnSignal:
        if in_main_thread():
            for number in self.SIGNALS:
                if signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
                    self.previous[number] = signal.signal(number, self._stop)
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        # a library caught the interruption and went on, or raised its own error instead
        swallowed = error is not None or not self.committing
        if self.stopped and not isinstance(error, Stopped) and swallowed:
            raise Stopped(self.stopped_by) from None

    def begin_commit(self) -> None:
        """From here a signal no longer stops the build; raise if one already did."""
        self.committing = True
        if self.stopped:
            raise Stopped(self.stopped_by)

    def _stop(self, number: int, frame: object) -> None:
        if self.committing or self.stopped:
            return
        self.stopped_by = signal.Signals(number).name
        raise Stopped(self.stopped_by)
