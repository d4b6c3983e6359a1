"""Run one writer in a forked process while the others run here: a build uses both cores."""

from __future__ import annotations

import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from .errors import BulletinError

STOPS = {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}


def can_fork() -> bool:
    """Whether a second process is worth it: `fork` exists and there is a second core."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


class ChildJob:
    """A function running in a forked child; `result()` returns its value or raises its error.

    The child inherits the composed document by fork, so nothing large is pickled; only the
    result (or a BulletinError, or a bug's traceback text) comes back through a pipe.
    """

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(send, function, args), daemon=True)
        # the child must not run the parent's signal handlers: signals wait until it has its own
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        send.close()

    def result(self, killed: Callable[[str], BaseException]) -> Any:
        """The child's value; its error; or `killed(how)` if a signal ended it from outside
        (the OOM killer, kill -9), which is no bug of ours."""
        try:
            kind, value = self._receive.recv()
        except EOFError:
            kind, value = "ended", None
        finally:
            self._process.join()
            self._receive.close()
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        if kind == "ended":
            code = self._process.exitcode or 0
            if code < 0:
                raise killed(f"killed by {_signal_name(-code)}")
            raise RuntimeError(f"the writer process ended early (exit {code})")
        raise RuntimeError(f"in the writer process:\n{value}")

    def cancel(self) -> None:
        """Stop the child if it still runs (the build failed or was interrupted)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _child(send: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Run in the child: SIGTERM and SIGHUP end it at once (its parent cleans up), Ctrl-C's
    SIGINT is the parent's to handle (it stops the child)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
    try:
        send.send(("ok", function(*args)))
    except BulletinError as error:
        send.send(("error", error))
    except BaseException:
        send.send(("bug", traceback.format_exc()))
    finally:
        send.close()
