"""The `bulletin` command: thin click commands that call one function each.

Exit codes: 0 success, 1 a data, layout or output problem, 2 a usage error,
3 a bug in bulletin itself (the traceback is shown with --debug).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from . import command, writers
from .command import layout_name, say, set_up
from .command import reporter as _reporter
from .command import run as _run
from .command import warn as _warn
from .errors import BulletinError


def _year(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The YEAR argument: four digits, such as 2020 (anything else is a usage error)."""
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise click.BadParameter(f"'{value}' is not a year: write four digits, such as 2020")
    return value


YEAR = click.argument("year", callback=_year)


class FolderPath(click.Path):
    """A path kept as given (`Path('')` would silently become the current folder)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("is empty: name a folder", param, ctx)
        return super().convert(value, param, ctx)


DATA = click.option(
    "--data",
    "data_dir",
    type=FolderPath(path_type=Path),
    default=Path("data"),
    show_default=True,
    help="The data folder: bulletin.yaml, one <year>.yaml per issue, and the files the "
    "bulletin's kind adds (see docs/data-format.md).",
)
DEBUG = click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bulletin", prog_name="bulletin")
def main() -> None:
    """Build a highlights bulletin (PDF and Word) from a year of YAML data."""
    set_up()


def _layout_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A layout's name as typed or completed by the shell (see `command.layout_name`)."""
    return layout_name(value)


LAYOUT = click.option(
    "--layout",
    "layout_name",
    default=None,
    callback=_layout_name,
    help="A layout: a folder of the project's layouts/ (beside the data folder) or a built-in "
    "one (default: the one the bulletin's kind names).",
)
STRICT = click.option(
    "--strict", is_flag=True, help="Treat warnings as errors (exit 1, nothing written)."
)


@main.command()
@YEAR
@DATA
@DEBUG
def new(year: str, data_dir: Path, debug: bool) -> None:
    """Start data/<YEAR>.yaml: the next issue number, the whole year, empty sections."""
    from .kinds import kind_of

    say(_run(lambda: kind_of(data_dir).new(data_dir, year), debug))


@main.command()
@YEAR
@DATA
@LAYOUT
@STRICT
@DEBUG
def check(year: str, data_dir: Path, layout_name: str | None, strict: bool, debug: bool) -> None:
    """Check data/<YEAR>.yaml (with the registry, settings and the layout's fonts)."""
    command.check(year, data_dir, layout_name, strict, debug)


def output_option(help: str) -> Callable[[Any], Any]:
    """--output: a folder (an empty one is a usage error)."""
    return click.option(
        "--output", "out_dir", type=FolderPath(path_type=Path), default=None, help=help
    )


OUTPUT = output_option("Where to write (default: output/<YEAR>).")
FORMATS = click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(writers.keys()),
    help="Only these outputs (repeatable; default: all).",
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
    layout_name: str | None,
    out_dir: Path | None,
    formats: tuple[str, ...],
    quiet: bool,
    strict: bool,
    debug: bool,
) -> None:
    """Build output/<YEAR>/: the screen PDF, the print PDF and the Word file."""
    keys = formats or writers.keys()
    command.build(year, data_dir, layout_name, out_dir, keys, quiet, strict, debug)


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
    layout_name: str | None,
    out_dir: Path | None,
    formats: tuple[str, ...],
    debug: bool,
) -> None:
    """Build, then rebuild each time a data, layout or font file is saved (Ctrl-C stops)."""
    from .watch import Watched
    from .watch import watch as watch_issue

    target = out_dir or Path("output") / year
    watched = Watched(data_dir, year, layout_name, target, formats or writers.keys())
    from .build import source_date_epoch

    _run(source_date_epoch, debug)  # a malformed SOURCE_DATE_EPOCH: exit 2 before watching
    _run(lambda: watch_issue(watched, say), debug)


@main.command()
@YEAR
@click.argument("docx", type=click.Path(path_type=Path))
@DATA
@click.option("--apply", "apply", is_flag=True, help="Write the changes into the data file.")
@output_option(
    "The build's output folder: --apply holds its lock, as a build does, so a build and "
    "an apply never run at once (default: output/<YEAR>)."
)
@DEBUG
def pull(
    year: str, docx: Path, data_dir: Path, apply: bool, out_dir: Path | None, debug: bool
) -> None:
    """Bring the edits made in a Word file of <YEAR> back into data/<YEAR>.yaml."""
    from .errors import fail
    from .kinds import kind_of

    def run() -> None:
        kind: Any = kind_of(data_dir)  # a kind that reads Word edits back has `pull`
        if not hasattr(kind, "pull"):
            raise fail(str(docx), f"bulletin pull does not read {kind.key} bulletins yet")
        if apply:
            with _build_lock(out_dir or Path("output") / year):
                _pull(kind, year, docx, data_dir, apply)
        else:
            _pull(kind, year, docx, data_dir, apply)

    _run(run, debug, writes=True)


def _pull(kind: Any, year: str, docx: Path, data_dir: Path, apply: bool) -> None:
    pulled = kind.pull(data_dir, year, docx)
    for change in (*pulled.changes, *pulled.new_events):
        click.echo(str(change))
    if pulled.problems:
        if pulled.changes or pulled.new_events:
            click.echo("these can be pulled once the problems below are solved (nothing written)")
        raise BulletinError(pulled.problems)
    if not pulled.changes and not pulled.new_events:
        click.echo(f"nothing to pull: {docx} shows the data of {pulled.shown}")
        return
    kind.write_changes(pulled, write=apply)  # a dry run checks the data as it would be
    if apply:
        count = len(pulled.changes) + len(pulled.new_events)
        click.echo(f"wrote     {pulled.shown} ({count} change{'s' if count != 1 else ''})")
        click.echo(f"next      run: bulletin build {year}")
    else:
        click.echo(f"to write these changes into {pulled.shown}, run again with --apply")


@contextlib.contextmanager
def _build_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock as a build does (waiting for a build that holds it);
    folders made only for the lock are removed after."""
    from .commit import OutputFolder

    with OutputFolder(out_dir, lambda line: say(line, err=True)) as folder:
        made = list(folder.created)
        yield
    for path in reversed(made):
        try:
            path.rmdir()
        except OSError:
            break  # a build wrote into it meanwhile


def _link(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--link: a web address of the issue online (http or https)."""
    from .inline import check_url

    if value is not None and (check_url(value) or not value.startswith(("http://", "https://"))):
        raise click.BadParameter(f"'{value}' is not a web address: write https://...")
    return value


def _smtp(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .mail.smtp import parse_server

    if value is not None:
        try:
            parse_server(value, False, False)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None
    return value


@main.command()
@YEAR
@DATA
@LAYOUT
@output_option("Where to write proof.png (default: output/<YEAR>).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@DEBUG
def proof(
    year: str, data_dir: Path, layout_name: str, out_dir: Path | None, quiet: bool, debug: bool
) -> None:
    """Write output/<YEAR>/proof.png: every page of the PDF, and of the Word file as
    LibreOffice shows it, side by side, to look at before sending."""
    from .proof import make_proof

    report = _reporter(quiet)
    target = out_dir or Path("output") / year
    made = _run(lambda: make_proof(data_dir, year, layout_name, target, report), debug, True)
    if made.note:
        click.echo(made.note, err=True)
    word = f", Word file {made.word_pages}" if made.word_pages is not None else ""
    pages = "page" if made.pdf_pages == 1 else "pages"
    report(f"wrote     {made.path} (PDF {made.pdf_pages} {pages}{word})")


@main.command()
@YEAR
@DATA
@LAYOUT
@output_option("Where the PDF is and the .eml goes (default: output/<YEAR>).")
@click.option(
    "--link", callback=_link, metavar="URL", help="Link to the PDF online instead of attaching it."
)
@click.option(
    "--recipients",
    type=click.Path(path_type=Path),
    metavar="FILE.csv",
    help="CSV file with a header row: email, and optionally name.",
)
@click.option("--smtp", callback=_smtp, metavar="HOST[:PORT]", help="The SMTP server.")
@click.option("--ssl", "implicit_tls", is_flag=True, help="TLS from the start (port 465).")
@click.option(
    "--plain", is_flag=True, help="No encryption: only for a server on this machine (localhost)."
)
@click.option("--send", is_flag=True, help="Send one message to each recipient.")
@click.option("--dry-run", is_flag=True, help="Print what --send would do; send nothing.")
@click.option(
    "--rate",
    type=click.FloatRange(min=0.1),
    metavar="N",
    help="At most N messages per minute.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems and the summary.")
@DEBUG
def mail(
    year: str,
    data_dir: Path,
    layout_name: str,
    out_dir: Path | None,
    link: str | None,
    recipients: Path | None,
    smtp: str | None,
    implicit_tls: bool,
    plain: bool,
    send: bool,
    dry_run: bool,
    rate: float | None,
    quiet: bool,
    debug: bool,
) -> None:
    """Write output/<YEAR>/<name>.eml (the issue as an e-mail); with --send, send it to a list.

    The screen PDF is built first if it is missing or older than the data. Each recipient gets
    a message of their own; a journal in the output folder keeps who was sent one, so a
    second run sends only to the others. Login: BULLETIN_SMTP_USER and BULLETIN_SMTP_PASSWORD.
    """
    from .mail import issue as mailing

    report = _reporter(quiet)
    if send and dry_run:
        raise click.UsageError("--send and --dry-run exclude each other")
    if (send or dry_run) and recipients is None:
        raise click.UsageError("--send and --dry-run need --recipients FILE.csv")
    if send and smtp is None:
        raise click.UsageError("--send needs --smtp HOST[:PORT]")
    server = None
    if send:
        from .mail.smtp import check_security, credentials, parse_server

        server = parse_server(smtp or "", implicit_tls, plain)
        _run(lambda: check_security(server), debug)  # before any work: refused set-ups,
        _run(credentials, debug)  # and a missing password
    target = out_dir or Path("output") / year
    prepared = _run(
        lambda: mailing.prepare(data_dir, year, layout_name, target, link, report, _warn),
        debug,
        True,
    )
    report(f"wrote     {prepared.eml} ({prepared.eml.stat().st_size / 1024:.0f} KB)")
    if recipients is None:
        return
    listed = _run(lambda: mailing.recipients(recipients), debug)
    if not send:
        outcome = mailing.dry_run(prepared, listed, report)
        say(f"dry run: {len(outcome.not_tried)} to send, {len(outcome.before)} sent before")
        if not dry_run:
            say("nothing was sent: add --send to send")
        return
    assert server is not None
    outcome = _run(lambda: mailing.send(prepared, listed, server, report, rate), debug)
    _mail_summary(outcome, recipients)


def _mail_summary(outcome: Any, recipients: Path) -> None:
    """Name each recipient not delivered (at its line), then the counts; exit 1 or 130 if any."""
    from .errors import shown_path

    shown = shown_path(recipients)
    for recipient, reason in [*outcome.refused, *outcome.failed]:
        say(f"{shown}:{recipient.line}: {recipient.email}: not delivered: {reason}", err=True)
    for recipient in outcome.not_tried:
        say(f"{shown}:{recipient.line}: {recipient.email}: not sent yet", err=True)
    say(outcome.summary())
    if outcome.interrupted:
        say("interrupted: run the same command again to send to the rest.", err=True)
        sys.exit(130)
    if not outcome.complete:
        say("run the same command again to retry; those sent are not sent twice.", err=True)
        sys.exit(1)
