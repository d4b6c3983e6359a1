"""What the `bulletin` command does around its actions, without click: printing lines, running
an action with its problems printed as located lines and its exit code, and the build itself.

The command line is click's (cli.py), but a plain `bulletin build YEAR` or `bulletin check
YEAR` that start.py reads without doubt runs `build` or `check` here without loading click at
all (about 20 ms of the build's critical path, a tenth of a check); both ways print the same
lines and end with the same exit codes.
"""

from __future__ import annotations

import codecs
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from .errors import BulletinError, Problem, UsageProblem
from .signals import at_exit, loaded


def set_up() -> None:
    """Before any command: a terminal in ASCII or Latin-1 escapes what it cannot show, and
    the end of the process is quick (`_end_quickly`)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a terminal in ASCII or Latin-1: escape the rest
            stream.reconfigure(errors="backslashreplace")
    at_exit(_end_quickly)


def _end_quickly() -> None:
    """As Python ends, its cycle collector goes over every object once more (about 0.1 s
    with the writers loaded), only to free memory the system takes back whole anyway."""
    gc.freeze()


def say(line: str, err: bool = False) -> None:
    """Print a line; once the reader has gone (`bulletin build 2020 | head -1`), print no more
    and let the build go on."""
    try:
        _echo(line, err)
    except OSError as error:  # the reader has gone, or the output is full (> /dev/full)
        stream = sys.stderr if err else sys.stdout
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # later writes and the final flush go nowhere
        os.close(devnull)
        if not isinstance(error, BrokenPipeError) and not err:
            say(f"bulletin: cannot print any more: {error.strerror or error}", err=True)


def _echo(line: str, err: bool) -> None:
    """`click.echo(line, err=err)`: written and flushed as it is where click would do just
    that (a stream that is not ASCII, a line without an escape sequence); else by click."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # started with that descriptor closed: click prints nothing either
        return
    if "\x1b" in line or _ascii(getattr(stream, "encoding", None)):
        import click  # it strips escape sequences, and writes UTF-8 where ASCII is set

        click.echo(line, err=err)
        return
    stream.write(line + "\n")
    stream.flush()


def _ascii(encoding: str | None) -> bool:
    """Whether a stream's encoding is ASCII (click writes such a stream in UTF-8 instead)."""
    try:
        return codecs.lookup(encoding or "ascii").name == "ascii"
    except LookupError:
        return False


def reporter(quiet: bool) -> Callable[[str], None]:
    """Where a command's progress lines go: printed, or nowhere with --quiet."""
    return (lambda line: None) if quiet else say


def warn(warning: Problem) -> None:
    """Print a warning as its located line, on standard error."""
    say(str(warning), err=True)


def run(action: Callable[[], Any], debug: bool, writes: bool = False) -> Any:
    """Run an action; user problems print as located lines (exit 1), bugs as one line (exit 3)."""
    loaded()  # from here a stop is the action's to handle
    try:
        return action()
    except BulletinError as error:
        for problem in error.problems:
            say(str(problem), err=True)
        count = len(error.problems)
        written = "; nothing was written" if writes else ""
        say(f"{count} problem{'s' if count != 1 else ''} found{written}.", err=True)
        sys.exit(1)
    except UsageProblem as error:
        say(f"Error: {error}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        say("interrupted; nothing was written.", err=True)
        sys.exit(130)
    except Exception as error:
        if debug:
            import traceback

            traceback.print_exc()
        say(
            f"internal error: {type(error).__name__}: {error} "
            "(this is a bug in bulletin; run with --debug for details)",
            err=True,
        )
        sys.exit(3)


def layout_name(value: str | None) -> str | None:
    """A layout's name as typed or completed by the shell: `large-print/` and `./large-print`
    name `large-print` (anything else with a slash is refused when the layout loads)."""
    if value is None:
        return None
    name = value.rstrip("/")
    while name.startswith("./"):
        name = name[2:].lstrip("/")
    return name or value


def build(
    year: str,
    data_dir: Path,
    layout_name: str | None,
    out_dir: Path | None,
    keys: tuple[str, ...],
    quiet: bool,
    strict: bool,
    debug: bool,
) -> None:
    """`bulletin build`: build the files of `keys` (the registry's order), print what was
    written and how long it took."""
    from .build import build as build_issue
    from .build import loading_first, start_renderer

    started = time.perf_counter()
    report = reporter(quiet)
    target = out_dir or Path("output") / year
    renderer = None
    try:
        with loading_first():
            renderer = start_renderer(keys)  # loads the writers meanwhile
            written = run(
                lambda: build_issue(
                    data_dir,
                    year,
                    layout_name,
                    target,
                    keys,
                    report,
                    strict,
                    warn,
                    renderer=renderer,
                ),
                debug,
                True,
            )
    finally:
        if renderer is not None:
            renderer.cancel()
    try:
        for item in written:
            pages = f"{item.pages} page{'s' if item.pages != 1 else ''}, " if item.pages else ""
            report(f"wrote     {item.path} ({pages}{item.size / 1024:.0f} KB)")
        report(f"done in {time.perf_counter() - started:.2f} s")
    except KeyboardInterrupt:  # Ctrl-C once the files are in place: the build has succeeded
        sys.exit(0)


def check(year: str, data_dir: Path, layout_name: str | None, strict: bool, debug: bool) -> None:
    """`bulletin check`: check the issue as a build would, print its warnings and summary."""
    from .checking import check as check_issue

    say(run(lambda: check_issue(data_dir, year, layout_name, strict, warn).summary(), debug))


def build_directly(arguments: dict[str, Any]) -> NoReturn:
    """`bulletin build` as click would run it, with the values read by start.py; ends the
    process as click's command does (a stop outside the build: click's `Aborted!`, exit 1)."""
    _directly(lambda: build(**arguments))


def check_directly(arguments: dict[str, Any]) -> NoReturn:
    """`bulletin check` as click would run it, with the values read by start.py (see
    `build_directly`)."""
    _directly(lambda: check(**arguments))


def _directly(command: Callable[[], None]) -> NoReturn:
    """Run a command as click's would: set up, run it, end as click ends it."""
    set_up()
    try:
        command()
    except (EOFError, KeyboardInterrupt):
        _echo("", err=True)
        _echo("Aborted!", err=True)
        sys.exit(1)
    except OSError as error:
        import errno

        if error.errno != errno.EPIPE:
            raise
        from click.utils import PacifyFlushWrapper  # as click's command does

        quiet: Any = PacifyFlushWrapper
        sys.stdout, sys.stderr = quiet(sys.stdout), quiet(sys.stderr)
        sys.exit(1)
    sys.exit(0)
