"""Writers in forked processes: a build uses both cores.

`ChildJob` runs one function in a process forked when it is needed. `Renderer` is forked as
soon as `bulletin build` has read its command line (one for the PDFs, one beside it for the
Word file): it imports its writers while this process checks and composes the issue, then
writes the files it is handed; it can tell this process a value before it is done, or await
one (the screen PDF's page count, told by the PDFs' renderer and handed on to the Word
file's).
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterable
from multiprocessing import reduction
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
        self._receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._process = _started(_child, send, self._receive, os.getpid(), function, args)
        send.close()

    _early: tuple[str, Any] | None = None
    """The answer, when it came while a word was awaited (`Renderer.told`)."""

    def result(self, killed: Callable[[str], BaseException]) -> Any:
        """The child's value; its error; or `killed(how)` if a signal ended it from outside
        (the OOM killer, kill -9), which is no bug of ours."""
        try:
            kind, value = self._early or self._next()
            while kind == "told":  # a word nobody awaited (`Renderer.told`)
                kind, value = self._next()
        finally:
            self._process.join()
            self._receive.close()
        if kind == "ended":
            raise _ended(self._process, killed)
        return _value(kind, value)

    def _next(self) -> tuple[str, Any]:
        """The child's next message; ("ended", None) if it ended without one."""
        try:
            kind, value = self._receive.recv()
        except (EOFError, OSError):  # OSError: it died with our words unread (ECONNRESET)
            return "ended", None
        return kind, value

    def cancel(self) -> None:
        """Stop the child if it still runs (the build failed or was interrupted)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


class Renderer(ChildJob):
    """A process forked before the issue is checked: it imports `modules` (the writers, a
    third of a build's time) meanwhile, runs `prepare` with what `prepare_with` hands it
    (the layout, to read its fonts ahead), then runs the function `write` hands it, with file
    descriptors of this process (the temporary files to write) passed over a Unix socket.

    Until `write`, it waits; `cancel` (a failed build) ends it, and it ends with this process.
    """

    def __init__(self, modules: Iterable[str], prepare: Callable[..., None]) -> None:
        self._receive, theirs = multiprocessing.get_context("fork").Pipe()  # a socket pair
        # not a daemon: it forks a process of its own (its owner always cancels it)
        arguments = (theirs, tuple(modules), prepare, os.getpid())
        self._process = _started(_render, *arguments, daemon=False)
        theirs.close()
        self.beside: Renderer | None = None
        """A renderer forked with this one for a file written beside its files (the Word
        file, beside the PDFs): handed the same `prepare_with`, cancelled with it."""

    def write(self, function: Callable[..., Any], descriptors: list[int], *args: Any) -> None:
        """Run `function(link, descriptors there, *args)` in the renderer (`Link`: it tells
        a value before it is done, or awaits one this process hands it); `result()` gives its
        value, `told()` what it told before (once: a value this process needs before the rest
        is done)."""
        try:
            self._receive.send(("write", (function, len(descriptors), args)))
            for descriptor in descriptors:
                reduction.send_handle(self._receive, descriptor, self._process.pid)
        except OSError:  # it was killed from outside: `result()` says so
            pass

    def prepare_with(self, *args: Any) -> None:
        """Have the renderer (and the one beside it) run `prepare(*args)` once its modules
        are imported (before the work `write` hands it)."""
        with contextlib.suppress(OSError):  # it was killed from outside: `result()` says so
            self._receive.send(("prepare", args))
        if self.beside is not None:
            self.beside.prepare_with(*args)

    def hand(self, value: Any) -> None:
        """Hand the function running there a value it awaits (`Link.awaited`)."""
        with contextlib.suppress(OSError):  # it was killed from outside: `result()` says so
            self._receive.send(("handed", value))

    def told(self, killed: Callable[[str], BaseException]) -> Any:
        """What the function passed to `tell`; its error (or its being killed) if it failed
        first."""
        kind, value = self._next()
        if kind == "told":
            return value
        self._early = kind, value
        if kind == "ok":
            raise RuntimeError("the writer process ended without telling")
        return self.result(killed)  # raises its error

    def cancel(self) -> None:
        """Stop the renderer, and the one beside it, if they still run."""
        super().cancel()
        if self.beside is not None:
            self.beside.cancel()


class Pickled:
    """A value pickled once here, for several processes (`Renderer.write`): each unpickles
    it as the value itself. The composed document goes to the renderer and to the Word
    file's process: pickled twice, it took 60-80 ms of this process's time at 50 times
    2020's data. The value must share no object with what is sent beside it (it is
    unpickled apart from it), and be plain data: pickled by `pickle` itself, without the
    reducers multiprocessing adds for connections and sockets (the same bytes for the
    document; 3 ms less than through multiprocessing's pickler, which copies them again)."""

    def __init__(self, value: Any) -> None:
        self.data = pickle.dumps(value)

    def __reduce__(self) -> tuple[Callable[[bytes], Any], tuple[bytes]]:
        return pickle.loads, (self.data,)


class Link:
    """What the function a renderer runs is handed first: a call that tells the build's
    process a value before the function is done (`Renderer.told`); `awaited` waits for one
    the build's process hands it (`Renderer.hand`)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def __call__(self, value: Any) -> None:
        with contextlib.suppress(OSError):  # its parent died: the kernel ends this process
            self._connection.send(("told", value))

    def awaited(self) -> Any:
        """The value the build's process hands, once it does."""
        try:
            kind, value = self._connection.recv()
        except (EOFError, OSError):  # ended before handing it: the build failed
            raise RuntimeError("the value awaited was never handed") from None
        if kind != "handed":
            raise RuntimeError(f"a value awaited, but {kind!r} came")
        return value


class Worker:
    """A process kept from one build to the next (`bulletin watch`'s): forked once from a warm
    process (its modules, fonts and caches loaded), it runs each function `run` hands it, with
    file descriptors of this process, and keeps what the function loaded or cached for the
    next one. Each answer is read with `result` before the next `run`; `close` ends it (so
    does the end of this process)."""

    def __init__(self) -> None:
        self._receive, theirs = multiprocessing.get_context("fork").Pipe()  # a socket pair
        self._process = _started(_serve, theirs, os.getpid())
        theirs.close()
        self.busy = False
        """Whether it was handed a function whose answer `result` has not read yet."""

    def run(self, function: Callable[..., Any], descriptors: list[int], *args: Any) -> None:
        """Have the worker run `function(descriptors there, *args)`; `result()` gives its value."""
        self.busy = True
        try:
            self._receive.send((function, len(descriptors), args))
            for descriptor in descriptors:
                reduction.send_handle(self._receive, descriptor, self._process.pid)
        except OSError:  # it was killed from outside: `result()` says so
            pass

    def result(self, killed: Callable[[str], BaseException]) -> Any:
        """The function's value; its error; or `killed(how)` if a signal ended the worker
        from outside (which `alive` then says)."""
        self.busy = False
        try:
            kind, value = self._receive.recv()
        except (EOFError, OSError):  # it died (ECONNRESET: with our words unread)
            self._process.join()
            raise _ended(self._process, killed) from None
        return _value(kind, value)

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    @property
    def pid(self) -> int:
        return self._process.pid or 0

    def close(self) -> None:
        """End the worker, at once (whatever it is doing: its answer is not needed)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def _serve(connection: Connection, parent: int) -> None:
    """A worker: run each function handed until this process's parent closes the pipe (or
    dies). What the worker inherited is set aside from the cycle collector (`gc.freeze`), and
    the collector waits while a function runs: it goes over what the function made once it
    has answered, while the watch waits for the next save."""
    import gc

    _own_signals()
    die_with_parent(parent)
    gc.freeze()
    while True:
        try:
            function, count, args = connection.recv()
            descriptors = [reduction.recv_handle(connection) for _ in range(count)]
        except (EOFError, OSError):  # its parent ended (or died): nothing more to do
            return
        thresholds = gc.get_threshold()
        gc.set_threshold(0)  # no collection (still "enabled": the function is not told apart)
        try:
            answer = _answered(function, (descriptors, *args))
        finally:
            for descriptor in descriptors:
                os.close(descriptor)
        try:
            connection.send(answer)
        except OSError:  # its parent died meanwhile: nobody to tell
            return
        del answer
        gc.set_threshold(*thresholds)
        gc.collect()


def _started(
    target: Callable[..., None], *args: Any, daemon: bool = True
) -> multiprocessing.Process:
    """A forked process running `target(*args)`; stops are held back until it has set its own
    handlers (the parent's must not run there)."""
    context = multiprocessing.get_context("fork")
    process = context.Process(target=target, args=args, daemon=daemon)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return process  # type: ignore[return-value]  # a ForkProcess is a process


def _render(
    connection: Connection, modules: tuple[str, ...], prepare: Callable[..., None], parent: int
) -> None:
    """The renderer: import the writers, prepare, then wait for the work (none: the build
    failed)."""
    _own_signals()
    die_with_parent(parent)
    broken = ""
    try:
        for module in modules:
            importlib.import_module(module)
    except Exception:  # a broken installation: a bug said when the work comes
        broken = traceback.format_exc()
    try:
        kind, message = connection.recv()
        if kind == "prepare":
            if not broken:
                prepare(*message)
            kind, message = connection.recv()
        function, count, args = message
        descriptors = [reduction.recv_handle(connection) for _ in range(count)]
    except (EOFError, OSError):  # its parent ended (or died) first: nothing to do
        return
    if broken:
        with contextlib.suppress(OSError):  # its parent died meanwhile: nobody to tell
            connection.send(("bug", broken))
        return

    _answer(connection, function, (Link(connection), descriptors, *args))


def die_with_parent(parent: int) -> None:
    """Let the kernel kill this child when its parent dies (even by SIGKILL), so no orphan
    goes on writing a temporary file the next build has removed (Linux; elsewhere nothing)."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


PR_SET_PDEATHSIG = 1


def _value(kind: str, value: Any) -> Any:
    """A child's answer (see `_answered`): its value, or its error raised."""
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    raise RuntimeError(f"in the writer process:\n{value}")


def _ended(
    process: multiprocessing.Process, killed: Callable[[str], BaseException]
) -> BaseException:
    """The error for a child that ended (joined) without answering: `killed(how)` when a
    signal ended it from outside (the OOM killer, kill -9), which is no bug of ours."""
    code = process.exitcode or 0
    if code < 0:
        return killed(f"killed by {_signal_name(-code)}")
    return RuntimeError(f"the writer process ended early (exit {code})")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _child(
    send: Connection,
    receive: Connection,
    parent: int,
    function: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    """Run in the child (see `_own_signals`). It dies with its parent, and keeps no copy of
    the pipe's receiving end: an answer larger than the pipe holds (a PDF's bytes) would
    otherwise block it for ever once its parent is gone, holding its parent's stdout open."""
    _own_signals()
    receive.close()
    die_with_parent(parent)
    _answer(send, function, args)


def _own_signals() -> None:
    """In a child: SIGTERM and SIGHUP end it at once (its parent cleans up), Ctrl-C's SIGINT
    is the parent's to handle (it stops the child)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


def _answer(send: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Run the function; send back its value, its BulletinError, or a bug's traceback (unless
    its parent has died meanwhile: nobody is left to tell)."""
    answer = _answered(function, args)
    try:
        send.send(answer)
    except OSError:
        pass
    finally:
        send.close()


def _answered(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    """The function's value ("ok"), its BulletinError ("error") or a bug's traceback ("bug")."""
    try:
        return ("ok", function(*args))
    except BulletinError as error:
        return ("error", error)
    except BaseException:
        return ("bug", traceback.format_exc())
