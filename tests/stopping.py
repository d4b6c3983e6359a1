"""Run `bulletin` with a signal sent at one precise point of a build (for the tests only).

    python -m tests.stopping POINT SIGNAL -- build 2020 --data ... --output ...

The process sends SIGNAL to itself when the build reaches POINT, so a test knows exactly
where the build was when it was stopped: no timing, no sleep. `pause` instead prints
`paused` on stderr and waits for a line on stdin (another build can be started meanwhile).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any

from reportlab.platypus.paragraph import Paragraph

import generator.build
import generator.commit
import generator.kinds.iscm.compose
import generator.kinds.iscm.validate
import generator.parallel
import generator.signals
import generator.writers.docx.writer
import generator.writers.pdf.writer
from generator.cli import main

BUILD = os.getpid()
"""The build's own process (a point in a writer process stops the build, as a user would)."""


class Sent:
    """Whether the point was reached, shared by the build's processes (forked after this):
    the signal is sent once, by whichever process gets there first."""

    def __init__(self) -> None:
        self.flag = multiprocessing.get_context("fork").Value("b", 0)

    def __bool__(self) -> bool:
        return bool(self.flag.value)

    def claim(self) -> bool:
        """True for the first caller only."""
        with self.flag.get_lock():
            first = not self.flag.value
            self.flag.value = 1
        return first


sent = Sent()


def send(number: int) -> None:
    if sent.claim():
        os.kill(BUILD, number)


def in_pdf_writer(number: int, swallow: bool = False) -> None:
    """Inside the PDF writer (this process), after it has written a little."""
    original = generator.writers.pdf.writer.write_pdf

    def write(document: Any, layout: Any, target: Any, *options: Any) -> int:
        target.write(b"%PDF-1.4 half")
        if swallow:  # as a library with a bare `except:` would
            with contextlib.suppress(BaseException):
                send(number)
        else:
            send(number)
        return original(document, layout, target, *options)

    generator.writers.pdf.writer.write_pdf = write


def in_split(number: int) -> None:
    """Inside ReportLab's `_findSplit`, whose bare `except:` swallows the exception."""
    original = Paragraph.split

    def split(self: Paragraph, *args: Any) -> Any:
        names = []
        frame = sys._getframe(1)
        while frame is not None:
            names.append(frame.f_code.co_name)
            frame = frame.f_back
        if not sent and "_findSplit" in names:
            send(number)
        return original(self, *args)

    Paragraph.split = split  # type: ignore[method-assign]


def in_child_writer(number: int) -> None:
    """In the writer process (the Word file), killed from outside as the OOM killer would."""
    generator.parallel.can_fork = lambda: True

    def write(document: Any, layout: Any, target: Any, *args: Any, **options: Any) -> int:
        target.write(b"PK half")
        target.flush()
        os.kill(os.getpid(), number)
        return 0

    generator.writers.docx.writer.write_docx = write


def before(owner: Any, name: str, number: int) -> None:
    """Just before `owner.name` runs."""
    original = getattr(owner, name)

    def patched(*args: Any, **options: Any) -> Any:
        if not sent:
            send(number)
        return original(*args, **options)

    setattr(owner, name, patched)


def forked(patch: Callable[..., None], *args: Any) -> None:
    """The same patch, with the Word file written in a second process even on one core."""
    generator.parallel.can_fork = lambda: True
    patch(*args)


def pause() -> None:
    """Inside the PDF writer: say so and wait for a line on stdin."""
    original = generator.writers.pdf.writer.write_pdf

    def write(document: Any, layout: Any, target: Any, *options: Any) -> int:
        if sent.claim():
            target.write(b"%PDF-1.4 half")
            print("paused", file=sys.stderr, flush=True)
            with open(0, closefd=False) as stdin:  # a writer process's sys.stdin is closed
                stdin.readline()
        return original(document, layout, target, *options)

    generator.writers.pdf.writer.write_pdf = write


POINTS: dict[str, Callable[[int], None]] = {
    "writing": in_pdf_writer,
    "writing-swallowed": lambda n: in_pdf_writer(n, swallow=True),
    "split": in_split,
    "child-writer": in_child_writer,
    "waiting-for-child": lambda n: forked(before, generator.parallel.ChildJob, "result", n),
    "locked": lambda n: before(generator.commit.OutputFolder, "prepare", n),
    "before-commit": lambda n: before(generator.signals.StopOnSignal, "begin_commit", n),
    "committing": lambda n: before(generator.commit, "move", n),
    "pause": lambda n: pause(),
    "checking": lambda n: before(generator.kinds.iscm.validate, "load_issue", n),
    "composing": lambda n: before(generator.kinds.iscm.compose, "compose", n),
}


def run() -> None:
    point, name, dash, *arguments = sys.argv[1:]
    assert dash == "--"
    generator.build._loaded = lambda key: False  # a build as from the command line: cold
    POINTS[point](getattr(signal, name) if name != "-" else 0)
    try:
        main(arguments, prog_name="bulletin")
    except SystemExit:
        if point not in ("pause", "child-writer") and not sent:  # the child's is not seen here
            print(f"stopping: the build never reached {point}", file=sys.stderr)
            sys.exit(99)
        raise
    except BaseException:
        traceback.print_exc()
        raise


if __name__ == "__main__":
    run()
