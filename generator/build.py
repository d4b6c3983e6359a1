"""The builder: which files an issue becomes, written safely (all or nothing)."""

from __future__ import annotations

import errno
import os
import re
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import DEFAULT_LAYOUT
from .errors import BulletinError, Problem, fail

if TYPE_CHECKING:
    from .layout import Layout
    from .model import Document
    from .parallel import ChildJob
    from .sources import Source
    from .validate import Issue

Report = Callable[[str], None]
Warn = Callable[[Problem], None]


@dataclass(frozen=True)
class Output:
    """One kind of file a build can write."""

    key: str
    suffix: str
    description: str


OUTPUTS = (
    Output("pdf", ".pdf", "PDF for screen and e-mail"),
    Output("print", "-print.pdf", "PDF for the printer (CMYK, bleed, crop marks)"),
    Output("docx", ".docx", "Word file for editing"),
)


@dataclass(frozen=True)
class Written:
    path: Path
    pages: int
    size: int


def source_date_epoch() -> int:
    """The build's timestamp: SOURCE_DATE_EPOCH, else a fixed date, so builds are identical."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else 1_577_836_800  # 2020-01-01T00:00:00Z


def check(
    data_dir: Path,
    year: str,
    layout_name: str | None = None,
    strict: bool = False,
    warn: Warn | None = None,
) -> Issue:
    """Load and validate an issue's data; with a layout, also check that its fonts draw every
    character (as a build would) and pass its warnings to `warn` (with `strict`, raise them).
    No writer is imported."""
    from .validate import load_issue

    issue = load_issue(data_dir, year)
    if layout_name is not None:
        from .compose import compose
        from .glyphs import check_glyphs
        from .layout import load_layout

        layout = load_layout(layout_name)
        document = compose(issue, layout)
        check_glyphs(document, layout, lambda: _sources(data_dir, issue, layout))
        _show(_found_warnings(issue, layout, strict), warn)
    return issue


def _found_warnings(issue: Issue, layout: Layout, strict: bool) -> list[Problem]:
    """The issue's warnings with this layout; with `strict`, raised as errors instead."""
    from .warnings import find_warnings, stop_if_strict

    found = find_warnings(issue, layout)
    stop_if_strict(found, strict)
    return found


def _show(warnings: list[Problem], warn: Warn | None) -> None:
    """Pass each warning to `warn` (None: the caller wants none)."""
    if warn is not None:
        for warning in warnings:
            warn(warning)


def file_stem(file_name: str, year: str, layout_name: str) -> str:
    """The name of an issue's files without suffix: the settings' `file_name` for the year,
    and for any layout but the default, the layout's name (so both sets sit side by side)."""
    stem = file_name.replace("{year}", year)
    return stem if layout_name == DEFAULT_LAYOUT else f"{stem}-{layout_name}"


def build(
    data_dir: Path,
    year: str,
    layout_name: str,
    out_dir: Path,
    keys: tuple[str, ...],
    report: Report,
    strict: bool = False,
    warn: Warn | None = None,
) -> list[Written]:
    """Check the data, compose the issue and write every requested file, or none of them.

    Warnings go to `warn` once the files are written (a build that fails shows its errors
    only); with `strict`, they stop the build before anything is written."""
    from .compose import compose
    from .glyphs import check_glyphs
    from .layout import load_layout

    issue = check(data_dir, year)
    report(f"checked   {issue.source.file}")
    layout = load_layout(layout_name)
    document = compose(issue, layout)
    count = len(document.sections)
    report(f"composed  {count} section{'s' if count != 1 else ''} with layout '{layout.name}'")
    warnings = _found_warnings(issue, layout, strict)  # shown once the files are written

    def preflight() -> None:
        check_glyphs(document, layout, lambda: _sources(data_dir, issue, layout))

    stem = file_stem(issue.settings.file_name, year, layout_name)
    if layout_name != DEFAULT_LAYOUT:
        report(f"naming    {stem}.* (layout '{layout_name}': beside the default layout's files)")
    targets = [(o, out_dir / f"{stem}{o.suffix}") for o in OUTPUTS if o.key in keys]
    new_folder = not out_dir.exists()
    try:
        with _StopOnSignal() as stop:
            _prepare(out_dir, stem, [target for _, target in targets])
            written = _write_all(targets, document, layout, report, stop, preflight)
    except BaseException:
        if new_folder and out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()  # a failed build leaves no trace, not even its new folder
        raise
    _show(warnings, warn)
    return written


Job = tuple[Output, Path, Path]
"""An output, its target and the temporary file it is written to first."""


def _write_all(
    targets: list[tuple[Output, Path]],
    document: Document,
    layout: Layout,
    report: Report,
    stop: _StopOnSignal,
    preflight: Callable[[], None],
) -> list[Written]:
    """Check (`preflight`), write each file to a temporary name beside its target, and move
    all into place at the end.

    With a second core, a forked child checks and writes its share meanwhile; a problem it
    finds is raised here when it ends, before anything is moved into place.
    """
    jobs: list[Job] = []
    from .parallel import ChildJob, can_fork  # multiprocessing: only a build needs it

    children: list[ChildJob] = []
    try:
        for output, target in targets:
            jobs.append((output, target, _temporary(target)))
        here, shares = _share(jobs) if can_fork() and len(jobs) > 1 else (jobs, [])
        checks = [preflight] + [lambda: None] * len(shares)  # the first child checks
        for check_first, share in zip(checks, shares, strict=False):
            work = [(o.key, t) for o, _, t in share]
            children.append(ChildJob(_write_in_child, check_first, work, document, layout))
        if not shares:
            preflight()
        pages = [_write(output.key, document, layout, temporary) for output, _, temporary in here]
        for child in children:
            pages += child.result()
        for output, target, _ in jobs:
            report(f"rendered  {target.name} ({output.description})")
        stop.committing = True  # from here a signal no longer stops the build: it is done
        for _, target, temporary in jobs:
            os.replace(temporary, target)
    finally:
        for child in children:
            child.cancel()
        for _, _, temporary in jobs:
            temporary.unlink(missing_ok=True)
    done = here + [job for share in shares for job in share]
    counts = dict(zip([target for _, target, _ in done], pages, strict=True))
    return [Written(target, counts[target], target.stat().st_size) for _, target, _ in jobs]


def _share(jobs: list[Job]) -> tuple[list[Job], list[list[Job]]]:
    """Split the work between here and forked children.

    Cold, two processes: the Word file there (python-docx loads while ReportLab renders here),
    with the screen PDF, whose page count it shows, if another file is left here; else every
    other file. Warm (`bulletin watch`: the writers are loaded, so a fork costs
    only itself), each file in a process of its own.
    """
    if all(_loaded(job[0].key) for job in jobs):
        return jobs[:1], [[job] for job in jobs[1:]]
    there = [job for job in jobs if job[0].key == "docx"]
    others = [job for job in jobs if job not in there]
    if there and len(others) > 1:  # the Word file shows the screen PDF's page count: both there
        there = [job for job in others if job[0].key == "pdf"][:1] + there
    there = there or jobs[1::2]
    return [job for job in jobs if job not in there], [there]


def _loaded(key: str) -> bool:
    """Whether the writer of an output is already imported in this process."""
    return f"{__package__}.writers.{'docx' if key == 'docx' else 'pdf'}" in sys.modules


def _write_in_child(
    preflight: Callable[[], None],
    work: list[tuple[str, Path]],
    document: Document,
    layout: Layout,
) -> list[int]:
    """The check and the child's share of the files; a signal ends it at once (its parent
    cleans up)."""
    parent = os.getppid()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    _die_with_parent(parent)
    preflight()
    return [_write(key, document, layout, temporary) for key, temporary in work]


def _die_with_parent(parent: int) -> None:
    """Let the kernel kill this child when its parent dies (even by SIGKILL), so no orphan
    goes on writing a temporary file the next build has removed (Linux; elsewhere nothing)."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


PR_SET_PDEATHSIG = 1


class Stopped(KeyboardInterrupt):
    """A build stopped by SIGTERM or SIGHUP: like Ctrl-C, the CLI says nothing was written."""


class _StopOnSignal:
    """While a build writes, SIGTERM and SIGHUP (like SIGINT) raise, so its cleanup runs.

    Only the first signal raises: a second one does not interrupt the cleanup, and none does
    once the files are being moved into place. Outside the main thread, nothing changes.
    """

    SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

    def __init__(self) -> None:
        self.committing = False
        self.stopped = False
        self.stopped_by = ""
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> _StopOnSignal:
        if threading.current_thread() is threading.main_thread():
            for number in self.SIGNALS:
                if signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
                    self.previous[number] = signal.signal(number, self._stop)
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        if self.stopped and error is not None and not isinstance(error, Stopped):
            # a library caught the interruption and raised its own error instead
            raise Stopped(self.stopped_by) from None

    def _stop(self, number: int, frame: object) -> None:
        if self.committing or self.stopped:
            return
        self.stopped = True
        self.stopped_by = signal.Signals(number).name
        raise Stopped(self.stopped_by)


PART = re.compile(r"^\.(?P<target>.+)\.(?P<pid>\d+)\.[^.]+\.part$")


def _prepare(out_dir: Path, stem: str, targets: list[Path]) -> None:
    """Make the folder, check it can be written, and remove what killed builds left there."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(
            dir=out_dir, prefix=f".{stem}.{os.getpid()}.", suffix=".part"
        )
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise _folder_problem(out_dir, error) from None
    for leftover in out_dir.glob(f".{stem}*.part"):
        match = PART.match(leftover.name)
        if match and not _running(int(match["pid"])):
            leftover.unlink(missing_ok=True)
    for target in targets:
        if target.is_dir():
            raise fail(
                str(target),
                "a folder has the name of an output file",
                "rename or remove the folder, or choose another --output",
            )


def _running(pid: int) -> bool:
    """Whether a process with this id exists (then its temporary files are still in use)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _folder_problem(out_dir: Path, error: OSError) -> BulletinError:
    return fail(
        str(out_dir),
        f"cannot write to the output folder: {error.strerror or error}",
        "choose another folder with --output, or fix its permissions or free space",
    )


def _temporary(target: Path) -> Path:
    """A hidden file beside the target, named after it and this process, readable as a normal
    new file would be (umask)."""
    prefix = f".{target.name}.{os.getpid()}."
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".part")
    except OSError as error:
        raise _folder_problem(target.parent, error) from None
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)
    return Path(name)


OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EIO}


def _write(key: str, document: Document, layout: Layout, target: Path) -> int:
    """Render one output with its writer; the writers are imported only when needed.

    A failure to write the file (a full disk, a folder removed meanwhile) is the user's to fix.
    """
    try:
        if key in ("pdf", "print"):
            from .writers.pdf import write_pdf

            pages = write_pdf(document, layout, target, print_ready=key == "print")
            if key == "pdf":
                _rendered.update(document=document, layout=layout, pages=pages)
            return pages
        from .writers.docx import write_docx

        return write_docx(document, layout, target, pages=_pdf_pages(document, layout, target))
    except OSError as error:
        if error.errno in OUTPUT_ERRORS or str(target.parent) in str(error.filename or ""):
            raise _folder_problem(target.parent, error) from None
        raise


_rendered: dict[str, Any] = {}
"""The document, layout and page count of the last screen PDF this process wrote."""


def _pdf_pages(document: Document, layout: Layout, target: Path) -> int:
    """The screen PDF's page count, which the Word file shows until Word lays out its pages:
    the one this process has just written (a build gives the Word file's process the screen
    PDF too), else rendered here (about 0.2 s), so the Word file never depends on which files
    are built beside it.
    """
    if _rendered.get("document") is document and _rendered.get("layout") is layout:
        return _rendered["pages"]
    from .writers.pdf import write_pdf

    scratch = _temporary(target)
    try:
        return write_pdf(document, layout, scratch, print_ready=False)
    finally:
        scratch.unlink(missing_ok=True)


def _sources(data_dir: Path, issue: Issue, layout: Layout) -> list[Source]:
    """The loaded data and wording files, to find where a text was written."""
    from . import sources
    from .validate import shown_path

    found = [issue.source]
    for name in ("mechanisms.yaml", "bulletin.yaml"):
        try:
            found.append(sources.load(data_dir / name, shown_path(data_dir / name)))
        except BulletinError:
            continue
    return [*found, *([layout.text_source] if layout.text_source else [])]
