"""The `bulletin` command: thin click commands that call one function each.

Exit codes: 0 success, 1 a data, layout or output problem, 2 a usage error,
3 a bug in bulletin itself (the traceback is shown with --debug).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import DEFAULT_LAYOUT, __version__
from .errors import BulletinError, Problem, UsageProblem


def _year(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The YEAR argument: four digits, such as 2020 (anything else is a usage error)."""
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise click.BadParameter(f"'{value}' is not a year: write four digits, such as 2020")
    return value


YEAR = click.argument("year", callback=_year)


class FolderPath(click.Path):
    """A path kept as given (`Path('')` would silently become the current folder)."""

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, str) and not value.strip():
            self.fail("is empty: name a folder", param, ctx)
        return super().convert(value, param, ctx)


DATA = click.option(
    "--data",
    "data_dir",
    type=FolderPath(path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Folder with bulletin.yaml, mechanisms.yaml, <year>.yaml.",
)
DEBUG = click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bulletin")
def main() -> None:
    """Build a highlights bulletin (PDF and Word) from a year of YAML data."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a terminal in ASCII or Latin-1: escape the rest
            stream.reconfigure(errors="backslashreplace")


def say(line: str, err: bool = False) -> None:
    """Print a line; once the reader has gone (`bulletin build 2020 | head -1`), print no more
    and let the build go on."""
    try:
        click.echo(line, err=err)
    except OSError as error:  # the reader has gone, or the output is full (> /dev/full)
        stream = sys.stderr if err else sys.stdout
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # later writes and the final flush go nowhere
        os.close(devnull)
        if not isinstance(error, BrokenPipeError) and not err:
            say(f"bulletin: cannot print any more: {error.strerror or error}", err=True)


def _run(action: Callable[[], Any], debug: bool, writes: bool = False) -> Any:
    """Run an action; user problems print as located lines (exit 1), bugs as one line (exit 3)."""
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
            traceback.print_exc()
        say(
            f"internal error: {type(error).__name__}: {error} "
            "(this is a bug in bulletin; run with --debug for details)",
            err=True,
        )
        sys.exit(3)


def _layout_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A layout's name as typed or completed by the shell: `large-print/` and `./large-print`
    name `large-print` (anything else with a slash is refused when the layout loads)."""
    name = value.rstrip("/")
    while name.startswith("./"):
        name = name[2:].lstrip("/")
    return name or value


LAYOUT = click.option(
    "--layout",
    "layout_name",
    default=DEFAULT_LAYOUT,
    show_default=True,
    callback=_layout_name,
    help="A folder of layouts/.",
)
STRICT = click.option(
    "--strict", is_flag=True, help="Treat warnings as errors (exit 1, nothing written)."
)


def _warn(warning: Problem) -> None:
    """Print a warning as its located line, on standard error."""
    say(str(warning), err=True)


@main.command()
@YEAR
@DATA
@DEBUG
def new(year: str, data_dir: Path, debug: bool) -> None:
    """Start data/<YEAR>.yaml: the next issue number, the whole year, empty sections."""
    from .new_year import new_year

    path, issue = _run(lambda: new_year(data_dir, year), debug)
    say(f"wrote     {path} (issue {issue}, the whole of {year}; nothing else yet)")
    say(f"next      fill it in, then run: bulletin check {year}")


@main.command()
@YEAR
@DATA
@LAYOUT
@STRICT
@DEBUG
def check(year: str, data_dir: Path, layout_name: str, strict: bool, debug: bool) -> None:
    """Check data/<YEAR>.yaml (with the registry, settings and the layout's fonts)."""
    from .build import check as check_issue
    from .summary import summarise

    say(_run(lambda: summarise(check_issue(data_dir, year, layout_name, strict, _warn)), debug))


OUTPUT = click.option(
    "--output",
    "out_dir",
    type=FolderPath(path_type=Path),
    default=None,
    help="Where to write (default: output/<YEAR>).",
)
FORMATS = click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["pdf", "print", "docx"]),
    help="Only these outputs (repeatable; default: all three).",
)


@main.command()
@YEAR
@DATA
@LAYOUT
@OUTPUT
@FORMATS
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and warnings.")
@STRICT
@DEBUG
def build(
    year: str,
    data_dir: Path,
    layout_name: str,
    out_dir: Path | None,
    formats: tuple[str, ...],
    quiet: bool,
    strict: bool,
    debug: bool,
) -> None:
    """Build output/<YEAR>/: the screen PDF, the print PDF and the Word file."""
    from .build import build as build_issue

    def report(line: str) -> None:
        if not quiet:
            say(line)

    target = out_dir or Path("output") / year
    keys = formats or ("pdf", "print", "docx")
    started = time.perf_counter()
    written = _run(
        lambda: build_issue(data_dir, year, layout_name, target, keys, report, strict, _warn),
        debug,
        True,
    )
    try:
        for item in written:
            pages = f"{item.pages} page{'s' if item.pages != 1 else ''}, " if item.pages else ""
            report(f"wrote     {item.path} ({pages}{item.size / 1024:.0f} KB)")
        report(f"done in {time.perf_counter() - started:.2f} s")
    except KeyboardInterrupt:  # Ctrl-C once the files are in place: the build has succeeded
        sys.exit(0)


@main.command()
@YEAR
@DATA
@LAYOUT
@OUTPUT
@FORMATS
@DEBUG
def watch(
    year: str,
    data_dir: Path,
    layout_name: str,
    out_dir: Path | None,
    formats: tuple[str, ...],
    debug: bool,
) -> None:
    """Build, then rebuild each time a data, layout or font file is saved (Ctrl-C stops)."""
    from .watch import Watched
    from .watch import watch as watch_issue

    target = out_dir or Path("output") / year
    watched = Watched(data_dir, year, layout_name, target, formats or ("pdf", "print", "docx"))
    from .build import source_date_epoch

    _run(source_date_epoch, debug)  # a malformed SOURCE_DATE_EPOCH: exit 2 before watching
    _run(lambda: watch_issue(watched, say), debug)


@main.command()
@YEAR
@click.argument("docx", type=click.Path(path_type=Path))
@DATA
@click.option("--apply", "apply", is_flag=True, help="Write the changes into the data file.")
@DEBUG
def pull(year: str, docx: Path, data_dir: Path, apply: bool, debug: bool) -> None:
    """Bring the edits made in a Word file of <YEAR> back into data/<YEAR>.yaml."""
    from .pull import pull as pull_edits
    from .pull import write_changes

    def run() -> None:
        pulled = pull_edits(data_dir, year, docx)
        if pulled.problems:
            raise BulletinError(pulled.problems)
        for change in (*pulled.changes, *pulled.new_events):
            click.echo(str(change))
        if not pulled.changes and not pulled.new_events:
            click.echo(f"nothing to pull: {docx} shows the data of {pulled.shown}")
        elif apply:
            write_changes(pulled)
            count = len(pulled.changes) + len(pulled.new_events)
            click.echo(f"wrote     {pulled.shown} ({count} change{'s' if count != 1 else ''})")
            click.echo(f"next      run: bulletin build {year}")
        else:
            click.echo(f"to write these changes into {pulled.shown}, run again with --apply")

    _run(run, debug, writes=True)
