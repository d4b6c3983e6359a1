"""The `bulletin` command's first step: for a plain `bulletin build`, fork the renderer before
click is even imported, so ReportLab loads while the command line is parsed.

Only a command line read here without doubt forks early (`build YEAR` with the build's own
options, each well formed); anything else (a usage error, `--help`, an unknown option) goes
to click exactly as before, and a renderer the command does not take is ended at exit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

VALUED = {"--data", "--layout", "--output", "--format"}
"""The build's options that take a value (`--data data` or `--data=data`)."""
FLAGS = {"--quiet", "-q", "--strict", "--debug"}
"""The build's options that take none."""


def main() -> None:
    """The `bulletin` command (and `python -m generator`)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # until the command runs
        signal.signal(number, _stopped_while_loading)  # (`signals.loaded`)
    keys = build_formats(sys.argv[1:])
    if keys is None:
        from .cli import main as command

        command()
        return
    try:
        from .build import start_early

        start_early(keys)
        from .cli import main as command

        command()
    except SystemExit as ending:
        _end_now(ending)


def _stopped_while_loading(number: int, frame: object) -> NoReturn:
    """Ctrl-C, SIGTERM or SIGHUP while the command loads (its modules, its command line):
    nothing has been written, so it ends here, with the stop's message and exit code (not
    a traceback from inside an import, nor click's `Aborted!`), and with its renderer."""
    with contextlib.suppress(Exception):  # a stream closed (`2>&-`) or gone
        print("interrupted; nothing was written.", file=sys.stderr, flush=True)
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    end_early = getattr(sys.modules.get(f"{__package__}.build"), "end_early", None)
    if end_early is not None:  # the build's renderer, forked already
        end_early()
    os._exit(130)


def _end_now(ending: SystemExit) -> NoReturn:
    """End a build's process at once with its exit code: its files are in place (or none
    were written), its children have ended and its lines are printed; Python's own ending
    would only go over its memory (20 ms), which the system takes back whole anyway."""
    from .build import end_early

    code = 0 if ending.code is None else ending.code
    if not isinstance(code, int):
        raise ending  # a message to print: Python's own ending prints it
    end_early()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with that descriptor closed (`>&-`)
                stream.flush()
    except OSError:
        raise ending from None  # Python's own ending says what it could not print
    os._exit(code)


def build_formats(arguments: Sequence[str]) -> tuple[str, ...] | None:
    """The formats of a well-formed `bulletin build` command line (every format when no
    --format is given), in the registry's order; None for any other command line."""
    from .writers import keys as all_keys

    if not arguments or arguments[0] != "build":
        return None
    known = all_keys()
    formats: list[str] = []
    years = 0
    rest = iter(arguments[1:])
    for argument in rest:
        name, equals, value = argument.partition("=")
        if name in VALUED:
            if not equals:
                value = next(rest, "")
            wrong_format = name == "--format" and value not in known
            if not value.strip() or value.startswith("-") or wrong_format:
                return None  # click says what is wrong
            if name == "--format":
                formats.append(value)
        elif argument in FLAGS:
            continue
        elif argument.startswith("-") or not _is_year(argument):
            return None
        else:
            years += 1
    if years != 1:
        return None
    return tuple(key for key in known if key in formats) if formats else known


def _is_year(value: str) -> bool:
    """Four ASCII digits, as the YEAR argument takes (see cli)."""
    return len(value) == 4 and value.isascii() and value.isdigit()
