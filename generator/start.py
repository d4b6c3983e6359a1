"""The `bulletin` command's first step: for a plain `bulletin build`, fork the renderer at
once, so ReportLab loads while the data is checked, and run the build without click; a
plain `bulletin check` runs without click too (a tenth of its time).

Only a command line read here without doubt is run so (`build YEAR` or `check YEAR` with
the command's own options, each well formed): as click would run it
(`command.build_directly`, `command.check_directly`); anything else (a usage error, `--help`,
an unknown option) goes to click exactly as before, and a renderer the command does not
take is ended at exit.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # what the command loads, it loads once `main` has begun (see there)
    from collections.abc import Sequence
    from typing import Any, NoReturn

VALUED = {"--data", "--layout", "--output", "--format"}
"""The build's options that take a value (`--data data` or `--data=data`)."""
FLAGS = {"--quiet", "-q", "--strict", "--debug"}
"""The build's options that take none."""
CHECK_VALUED = {"--data", "--layout"}
"""The check's options that take a value."""
CHECK_FLAGS = {"--strict", "--debug"}
"""The check's options that take none."""


def main() -> None:
    """The `bulletin` command (and `python -m generator`)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # until the command runs
        signal.signal(number, _stopped_while_loading)  # (`signals.loaded`)
    # `bulletin check` runs without the cycle collector: it would go over the modules the
    # check loads again and again (15 ms, a tenth of a check) for what a check hardly
    # leaves (its peak memory at 50 times the data of 2020: 1 MB more), in a process that
    # ends as soon as the check is done. Any other command has it back at once.
    gc.disable()
    arguments = build_arguments(sys.argv[1:])
    if arguments is None:
        checked = check_arguments(sys.argv[1:])
        if checked is not None:
            try:
                from .command import check_directly

                check_directly(checked)  # as click would run it, without loading click
            except SystemExit as ending:
                _end_now(ending)
        gc.enable()
        from .cli import main as command

        command()
        return
    gc.enable()
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
    """End a build's (or a check's) process at once with its exit code: its files are in
    place (or none were written), its children have ended and its lines are printed;
    Python's own ending would only go over its memory (20 ms), which the system takes back
    whole anyway."""
    code = 0 if ending.code is None else ending.code
    if not isinstance(code, int):
        raise ending  # a message to print: Python's own ending prints it
    from .signals import run_at_exit

    run_at_exit()  # what Python's exit would run (the build's renderer, what babel said)
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
    if not arguments or arguments[0] != "build":
        return None
    from .writers import keys as all_keys

    known = all_keys()
    read = _read(arguments[1:], VALUED, FLAGS, known)
    if read is None:
        return None
    year, values, flags, formats = read
    return _build_arguments(year, values, flags, formats, known)


def check_arguments(arguments: Sequence[str]) -> dict[str, Any] | None:
    """The arguments of `command.check` from a well-formed `bulletin check` command line, as
    click would pass them; None for any other (see `build_arguments`)."""
    from pathlib import Path

    if not arguments or arguments[0] != "check":
        return None
    read = _read(arguments[1:], CHECK_VALUED, CHECK_FLAGS, ())
    if read is None:
        return None
    year, values, flags, _ = read
    return {
        "year": year,
        "data_dir": Path(values.get("--data", "data")),
        "layout_name": _layout_name(values.get("--layout")),
        "strict": "--strict" in flags,
        "debug": "--debug" in flags,
    }


def _read(
    arguments: Sequence[str], valued: set[str], flags_known: set[str], known: Sequence[str]
) -> tuple[str, dict[str, str], set[str], list[str]] | None:
    """A command's year, its options' values (the last one given, as click takes it), its
    flags and its formats (`--format`, one of `known`), read from its arguments after the
    command's name; None unless they are read without doubt as click reads them."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None
    formats: list[str] = []
    values: dict[str, str] = {}
    flags: set[str] = set()
    years: list[str] = []
    rest = iter(arguments)
    for argument in rest:
        name, equals, value = argument.partition("=")
        if name in valued:
            if not equals:
                value = next(rest, "")
            wrong_format = name == "--format" and value not in known
            if not value.strip() or value.startswith("-") or wrong_format:
                return None  # click says what is wrong
            if name == "--format":
                formats.append(value)
            values[name] = value
        elif argument in flags_known:
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
    return years[0], values, flags, formats


def _build_arguments(
    year: str, values: dict[str, str], flags: set[str], formats: list[str], known: Sequence[str]
) -> dict[str, Any]:
    from pathlib import Path

    output = values.get("--output")
    return {
        "year": year,
        "data_dir": Path(values.get("--data", "data")),
        "layout_name": _layout_name(values.get("--layout")),
        "out_dir": None if output is None else Path(output),
        "keys": tuple(key for key in known if key in formats) if formats else tuple(known),
        "quiet": "--quiet" in flags,
        "strict": "--strict" in flags,
        "debug": "--debug" in flags,
    }


def _layout_name(value: str | None) -> str | None:
    from .command import layout_name

    return layout_name(value)


def _unreadable(folder: str) -> bool:
    """A path that exists but cannot be read: click's `Path` type refuses it (a usage error)."""
    return os.path.exists(folder) and not os.access(folder, os.R_OK)


def _is_year(value: str) -> bool:
    """Four ASCII digits, as the YEAR argument takes (see cli)."""
    return len(value) == 4 and value.isascii() and value.isdigit()
