"""The `bulletin` command's first step: for a plain `bulletin build`, fork the renderer at
once, so ReportLab loads while the data is checked, and run the build without click.

Only a command line read here without doubt is run so (`build YEAR` with the build's own
options, each well formed): as click would run it (`command.build_directly`); anything else
(a usage error, `--help`, an unknown option) goes to click exactly as before, and a renderer
the command does not take is ended at exit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

VALUED = {"--data", "--layout", "--output", "--format"}
"""The build's options that take a value (`--data data` or `--data=data`)."""
FLAGS = {"--quiet", "-q", "--strict", "--debug"}
"""The build's options that take none."""


def main() -> None:
    """The `bulletin` command (and `python -m generator`)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # until the command runs
        signal.signal(number, _stopped_while_loading)  # (`signals.loaded`)
    arguments = build_arguments(sys.argv[1:])
    if arguments is None:
        from .cli import main as command

        command()
        return
    try:
        from .build import start_early

        start_early(arguments["keys"])
        from .command import build_directly

        build_directly(arguments)  # as click would run it, without loading click
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


def build_arguments(arguments: Sequence[str]) -> dict[str, Any] | None:
    """The arguments of `command.build` from a well-formed `bulletin build` command line, as
    click would pass them (the formats in the registry's order); None for any other command
    line, and for one that click reads otherwise: a folder it cannot read (click refuses it),
    a shell's completion asked (an environment variable `_..._COMPLETE`)."""
    from .writers import keys as all_keys

    if not arguments or arguments[0] != "build":
        return None
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None
    known = all_keys()
    formats: list[str] = []
    values: dict[str, str] = {}
    flags: set[str] = set()
    years: list[str] = []
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
            values[name] = value  # the last one given, as click takes it
        elif argument in FLAGS:
            flags.add("--quiet" if argument == "-q" else argument)
        elif argument.startswith("-") or not _is_year(argument):
            return None
        else:
            years.append(argument)
    if len(years) != 1:
        return None
    folders = [values.get("--data", "data"), values.get("--output")]
    if any(folder is not None and _unreadable(folder) for folder in folders):
        return None
    return _build_arguments(years[0], values, flags, formats, known)


def _build_arguments(
    year: str, values: dict[str, str], flags: set[str], formats: list[str], known: Sequence[str]
) -> dict[str, Any]:
    from .command import layout_name

    output = values.get("--output")
    return {
        "year": year,
        "data_dir": Path(values.get("--data", "data")),
        "layout_name": layout_name(values.get("--layout")),
        "out_dir": None if output is None else Path(output),
        "keys": tuple(key for key in known if key in formats) if formats else tuple(known),
        "quiet": "--quiet" in flags,
        "strict": "--strict" in flags,
        "debug": "--debug" in flags,
    }


def _unreadable(folder: str) -> bool:
    """A path that exists but cannot be read: click's `Path` type refuses it (a usage error)."""
    return os.path.exists(folder) and not os.access(folder, os.R_OK)


def _is_year(value: str) -> bool:
    """Four ASCII digits, as the YEAR argument takes (see cli)."""
    return len(value) == 4 and value.isascii() and value.isdigit()
