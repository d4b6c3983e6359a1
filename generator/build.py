"""The builder: which files an issue becomes, written safely (all or nothing)."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checking import Warn, layout_for
from .checking import found_warnings as _found_warnings
from .checking import show as _show
from .checking import sources_of as _sources
from .commit import OutputFolder, Temporary, folder_problem, is_output_error
from .errors import BulletinError, Problem, UsageProblem
from .kinds import Issue, Kind, kind_of
from .signals import StopOnSignal, at_exit
from .writers import WRITERS, Options, Registered, Rendered

if TYPE_CHECKING:
    from .layout import Layout
    from .model import Document
    from .parallel import ChildJob, Link, Renderer, Worker

Report = Callable[[str], None]
LayoutLoader = Callable[[Kind, "str | None", Path], "Layout"]
"""What loads a build's layout: `layout_for`'s arguments and result."""


@dataclass(frozen=True)
class Written:
    """A file a build wrote: where, its page count (None when unknown) and its size."""

    path: Path
    pages: int | None
    size: int


EPOCH_RANGE = (315_532_800, 4_354_819_199)
"""SOURCE_DATE_EPOCH from 1980-01-01 to 2107-12-31 23:59:59 UTC: the dates a zip entry, so a
.docx, can hold (a PDF date can hold any year to 9999)."""
_build_time: int | None = None


def source_date_epoch() -> int:
    """The build's timestamp: SOURCE_DATE_EPOCH (for identical builds), else the build's time.

    A value both formats cannot store is a usage error naming the variable (exit 2).
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return _build_time if _build_time is not None else int(time.time())
    low, high = EPOCH_RANGE
    if not re.fullmatch(r"[0-9]{1,20}", value, re.ASCII) or not low <= int(value) <= high:
        shown = repr(value if len(value) <= 40 else value[:40] + "...")
        raise UsageProblem(
            f"SOURCE_DATE_EPOCH is {shown}: expected a whole number of seconds from {low} "
            f"(1980-01-01) to {high} (2107-12-31, the last date a .docx can hold), such as "
            "the time of the last commit (git log -1 --format=%ct); or unset it to date the "
            "files by the build's time"
        )
    return int(value)


def file_stem(kind: Kind, issue: Issue, year: str, layout_name: str) -> str:
    """The name of an issue's files without suffix: the kind's (from the settings'
    `file_name`), and for any layout but the kind's own, the layout's name (so both sets sit
    side by side)."""
    stem = kind.file_stem(issue, year)
    return stem if layout_name == kind.layout else f"{stem}-{layout_name}"


def build(
    data_dir: Path,
    year: str,
    layout_name: str | None,
    out_dir: Path,
    keys: tuple[str, ...],
    report: Report,
    strict: bool = False,
    warn: Warn | None = None,
    in_process: bool = False,
    renderer: Renderer | None = None,
    layouts: LayoutLoader | None = None,
    workers: Workers | None = None,
) -> list[Written]:
    """Check the data, compose the issue and write every requested file, or none of them.

    Warnings go to `warn` once the files are written (a build that fails shows its errors
    only); with `strict`, they stop the build before anything is written. `in_process`:
    write every file in this process (`bulletin watch`'s first build, so that the writers,
    fonts and compressed fonts are loaded here and its later builds' processes start warm).
    `renderer` (see `start_renderer`): the process that writes the files. `layouts`: what
    loads the layout (`layout_for`, or the watch's, which keeps it while no file it reads
    changes). `workers`: the processes a warm build (the watch's after its first) has its
    files written by, kept from one build to the next (see `Workers`)."""
    source_date_epoch()  # a malformed SOURCE_DATE_EPOCH is a usage error before any work
    global _build_time
    # The output folder's lock is held from reading the data to the commit, so a
    # `bulletin pull --apply` (which takes it too) never changes the data in between.
    # A stop while checking is a stop too (exit 130), not a kill.
    with StopOnSignal() as stop, OutputFolder(out_dir) as folder:
        kind = kind_of(data_dir)
        issue = kind.load(data_dir, year)
        report(f"checked   {issue.source.file}")
        layout = (layouts or layout_for)(kind, layout_name, data_dir)
        if renderer is not None:
            renderer.prepare_with(layout)  # its fonts are read there while the issue is composed
        document = kind.compose(issue, layout)
        count = len(document.sections)
        report(f"composed  {count} section{'s' if count != 1 else ''} with layout '{layout.name}'")
        warnings = _found_warnings(kind, issue, layout, strict)  # shown once the files are written

        def preflight() -> None:  # imported here: once the renderer has its work
            with _stops_held():
                from .glyphs import check_glyphs

            check_glyphs(document, layout, lambda: _sources(kind, data_dir, issue, layout))

        stem = file_stem(kind, issue, year, layout.name)
        if layout.name != kind.layout:
            report(
                f"naming    {stem}.* (layout '{layout.name}': beside the default layout's files)"
            )
        targets = [(w, f"{stem}{w.suffix}") for w in WRITERS if w.key in keys]
        _build_time = source_date_epoch()  # one time for every file, also in the writer process
        options = Options(epoch=_build_time)
        try:
            folder.prepare(name for _, name in targets)
            written = _write_all(
                folder,
                targets,
                document,
                layout,
                report,
                stop,
                preflight,
                options,
                in_process,
                renderer,
                workers,
            )
        finally:
            _build_time = None
    _show(warnings, warn)
    return written


Job = tuple[Registered, Temporary]
"""A writer and the temporary file it is written to first."""


def _write_all(
    folder: OutputFolder,
    targets: list[tuple[Registered, str]],
    document: Document,
    layout: Layout,
    report: Report,
    stop: StopOnSignal,
    preflight: Callable[[], None],
    options: Options,
    in_process: bool = False,
    renderer: Renderer | None = None,
    workers: Workers | None = None,
) -> list[Written]:
    """Check (`preflight`), write each file to a temporary file beside its target, and move
    all into place at the end.

    With a second core, a forked child checks and writes its share meanwhile; a problem it
    finds is raised here when it ends, before anything is moved into place. With a
    `renderer`, it writes every file (forking once more for a share) while this process
    checks; with `workers` (and not `in_process`), each file is written by its own.
    """
    from .parallel import can_fork  # multiprocessing: only a build needs it

    jobs: list[Job] = [(output, folder.temporary(name)) for output, name in targets]
    if workers is not None and not in_process and can_fork():
        rendered = _write_by_workers(workers, jobs, document, layout, options, preflight)
        targets_rendered = zip([t.target for _, t in jobs], rendered, strict=True)
        return _commit(folder, jobs, dict(targets_rendered), report, stop)
    forks = can_fork() and len(jobs) > 1 and not in_process
    here, shares = _share(jobs) if forks and renderer is None else (jobs, [])
    guessed = _guessing(here, shares)
    children: list[ChildJob] = []
    try:
        if renderer is not None:
            written = _write_with_renderer(renderer, jobs, document, layout, options, preflight)
            here, rendered = written
        else:
            with _set_aside(bool(shares)):
                rendered = _write_here(here, shares, children, document, layout, options, preflight)
    finally:
        _guess.pop("screen", None)
        for child in children:
            child.cancel()
    done = here + [job for share in shares for job in share]
    counts = dict(zip([t.target for _, t in done], rendered, strict=True))
    _check_guess(guessed, counts, document, layout, options)
    return _commit(folder, jobs, counts, report, stop)


def _write_with_renderer(
    renderer: Renderer,
    jobs: list[Job],
    document: Document,
    layout: Layout,
    options: Options,
    preflight: Callable[[], None],
) -> tuple[list[Job], list[Rendered]]:
    """Hand the renderer its files, and the Word file to the process forked beside it
    (`Renderer.beside`, see `_write_beside`), while this process checks (`preflight`) and
    loads what finishes the PDFs, which it finishes as soon as the renderer is done (the Word
    file may still be written meanwhile), deriving the print PDF from the screen PDF when
    both are built (`_derived_here`); the jobs and what each rendered, in that order."""
    from .parallel import Pickled

    beside = _beside_renderer(jobs)
    derived = _derived_here(jobs)
    groups = _groups([job for job in jobs if job not in beside + derived])
    there = [job for group in groups for job in group]
    descriptors = [temporary.fd for _, temporary in there]
    apart = replace(options, finish_apart=True)  # finished here: see _load_finishing
    word = renderer.beside if beside else None
    if beside and word is None:  # start_renderer forks it for the formats that write it
        raise RuntimeError("no process to write the Word file beside the PDFs")
    composed = Pickled(document) if word is not None else document  # pickled once for both
    renderer.write(_write_there, descriptors, groups, composed, layout, apart)
    if word is not None:
        fds = [temporary.fd for _, temporary in beside]
        word.write(_write_beside, fds, beside, composed, layout, options)
    try:
        preflight()
        _load_finishing(there)
        printed: list[Rendered] = []
        if there[0][0].key == "pdf":  # see _write_there: told its page count, then its file
            counted = renderer.told(_killed(there))
            if word is not None:
                word.hand(counted)  # the Word file shows it
            screen = renderer.told(_killed(there))  # finished while the others are written
            print_job = derived[0] if derived else None
            done = _finished(screen, there[0], document, layout, options, print_job)
            printed = [done] if derived else []
        rendered_there = renderer.result(_killed(there))
        rendered = [
            _finished(r, job, document, layout, options)
            for r, job in zip(rendered_there, there, strict=True)
        ]
        rendered += printed
        if word is not None:
            rendered += word.result(_killed(beside))
    except BaseException:  # a character the fonts lack, a stop: the files are not needed
        renderer.cancel()  # and the process beside it
        raise
    finally:
        if word is not None:
            word.cancel()
    return there + derived + beside, rendered


def _derived_here(jobs: list[Job]) -> list[Job]:
    """The print PDF, when the screen PDF is built too: this process derives it from the
    screen PDF as it finishes that (see writers/pdf/press.py), instead of the renderer laying
    it out a second time."""
    keys = {output.key for output, _ in jobs}
    return [job for job in jobs if job[0].key == "print" and "pdf" in keys]


def _commit(
    folder: OutputFolder,
    jobs: list[Job],
    counts: dict[str, Rendered],
    report: Report,
    stop: StopOnSignal,
) -> list[Written]:
    """Move the files written into place (unless the build was stopped); what was written.
    The screen PDF's page count is kept for the next build's Word file (see `_guessing`)."""
    for output, temporary in jobs:
        if output.key == "pdf" and counts[temporary.target].pages:
            _screen_pages[temporary.path] = counts[temporary.target]
        report(f"rendered  {temporary.target} ({output.description})")
    sizes = {t.target: t.size() for _, t in jobs}
    stop.begin_commit()  # a stop that came before (even one a library swallowed) ends here
    folder.commit([temporary for _, temporary in jobs])
    return [Written(t.path, counts[t.target].pages, sizes[t.target]) for _, t in jobs]


class Workers:
    """`bulletin watch`'s writer processes, one per file, kept from one build to the next (see
    `parallel.Worker`): each is forked from the watch's process when a warm build first needs
    it (its writers and fonts loaded by the first build), and keeps what its builds loaded and
    cached. A build stopped midway, or a worker killed, ends them: the next build forks new
    ones."""

    def __init__(self) -> None:
        self._by_key: dict[str, Worker] = {}

    def hand(self, key: str, function: Callable[..., Any], fd: int, *args: Any) -> None:
        """Have the worker writing this output (forked now if it has none, or it died) run
        `function([fd there], *args)`."""
        self.ready([key])
        self._by_key[key].run(function, [fd], *args)

    def ready(self, keys: Iterable[str]) -> None:
        """Fork a worker for each of these outputs that has none (or whose worker died): the
        watch does it once its first build has loaded what they start with, so the first
        save finds them there."""
        from .parallel import Worker

        for key in keys:
            worker = self._by_key.get(key)
            if worker is None or not worker.alive:
                self._by_key[key] = Worker()

    def result(self, key: str, killed: Callable[[str], BaseException]) -> Any:
        """What the function handed to this output's worker returned (see `Worker.result`)."""
        return self._by_key[key].result(killed)

    def pids(self) -> dict[str, int]:
        """Each worker's process id, by the output it writes."""
        return {key: worker.pid for key, worker in self._by_key.items()}

    def settle(self) -> None:
        """Wait for what the workers still write (a build that failed), so they stay warm;
        end any that fails."""
        for key, worker in list(self._by_key.items()):
            if worker.busy:
                try:
                    worker.result(RuntimeError)
                except Exception:
                    worker.close()
                    del self._by_key[key]

    def close(self) -> None:
        """End every worker (the watch ends, or a build was stopped)."""
        for worker in self._by_key.values():
            worker.close()
        self._by_key.clear()


def _write_by_workers(
    workers: Workers,
    jobs: list[Job],
    document: Document,
    layout: Layout,
    options: Options,
    preflight: Callable[[], None],
) -> list[Rendered]:
    """A warm build: each file written by its worker while this process checks
    (`preflight`); what each rendered. The Word file shows the screen PDF's page count (and
    column starts) of the build before, which a one-line edit rarely changes; when it did,
    the Word file is written again with the new one."""
    import pickle

    keys = [output.key for output, _ in jobs]
    screen = _screen_pages.get(jobs[keys.index("pdf")][1].path) if "pdf" in keys else None
    issue = pickle.dumps((document, layout, options), pickle.HIGHEST_PROTOCOL)  # once for all
    try:
        for job in jobs:
            _hand(workers, job, issue, screen)
        preflight()
        rendered = [workers.result(job[0].key, _killed([job])) for job in jobs]
        if screen is not None and "docx" in keys and rendered[keys.index("pdf")] != screen:
            screen = rendered[keys.index("pdf")]
            word = jobs[keys.index("docx")]
            os.ftruncate(word[1].fd, 0)
            os.lseek(word[1].fd, 0, os.SEEK_SET)  # the worker's descriptor shares the offset
            _hand(workers, word, issue, screen)
            rendered[keys.index("docx")] = workers.result("docx", _killed([word]))
    except BulletinError:
        workers.settle()
        raise
    except BaseException:
        workers.close()
        raise
    return rendered


def _hand(workers: Workers, job: Job, issue: bytes, screen: Rendered | None) -> None:
    """Have the job's worker write its file from `issue` (the document, layout and options,
    pickled); the Word file with `screen`'s page count (None: one it renders itself)."""
    output, temporary = job
    shown = screen if output.key == "docx" else None
    workers.hand(output.key, _write_by_worker, temporary.fd, output, temporary, issue, shown)


def _write_by_worker(
    descriptors: list[int],
    output: Registered,
    temporary: Temporary,
    issue: bytes,
    screen: Rendered | None,
) -> Rendered:
    """In a worker: write one file into the temporary file (its descriptor passed here)."""
    import pickle

    from .writers.pdf.kept import keeping

    [descriptor] = descriptors
    document, layout, options = pickle.loads(issue)
    with keeping():  # the PDF's paragraphs, for its next build
        return _write(output, document, layout, replace(temporary, fd=descriptor), options, screen)


def _write_here(
    here: list[Job],
    shares: list[list[Job]],
    children: list[ChildJob],
    document: Document,
    layout: Layout,
    options: Options,
    preflight: Callable[[], None],
) -> list[Rendered]:
    """Fork a child for each share (the first also checks), write the rest here; what each
    file rendered (its page count), `here` first, then each share."""
    from .parallel import ChildJob

    checks = [preflight] + [lambda: None] * len(shares)  # the first child checks
    for check_first, share in zip(checks, shares, strict=False):
        work = [(w, t) for w, t in share]
        children.append(ChildJob(_write_in_child, check_first, work, document, layout, options))
    if not shares:
        preflight()
    rendered = [_write(w, document, layout, temporary, options) for w, temporary in here]
    for child, share in zip(children, shares, strict=True):
        rendered += child.result(_killed(share))
    return rendered


_early: dict[frozenset[str], Renderer] = {}
"""The renderer `start_early` forked before the command line was parsed, by its formats."""


def start_early(keys: tuple[str, ...]) -> None:
    """Fork the renderer of `bulletin build` (`start_renderer`) before the command line is
    parsed (see start.py), with the cycle collector off as it loads; a renderer the command
    does not take is ended at exit."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        renderer = start_renderer(keys)
    finally:
        if was_enabled:
            collect_garbage()  # what loaded meanwhile is set aside: no collection goes over it
    if renderer is not None:
        _early[frozenset(keys)] = renderer
        at_exit(end_early)  # after multiprocessing's: run before it joins it


def end_early() -> None:
    """End the renderer `start_early` forked if the command did not take it."""
    for unused in _early.values():
        unused.cancel()
    _early.clear()


@contextlib.contextmanager
def _set_aside(forking: bool) -> Iterator[None]:
    """While processes forked from this one write: what is loaded here set aside from the
    cycle collector (`gc.freeze`), so that no process's collector goes over it (in a warm
    `bulletin watch` process, a collection in each child would copy its pages)."""
    if not forking:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def start_renderer(keys: tuple[str, ...]) -> Renderer | None:
    """With a second core, the process that will write a build's PDFs, forked now: it
    imports their writer and reads the layout's fonts while this process checks and composes
    the issue. With the screen PDF, the Word file is written beside it by a process of its
    own, forked now too (`Renderer.beside`, see `_beside_renderer`). None for the Word file
    alone (it renders a screen PDF only to count its pages: one process does it all).
    The one `start_early` forked for these formats, if any."""
    from .parallel import can_fork

    if frozenset(keys) in _early:
        return _early.pop(frozenset(keys))
    end_early()

    if not can_fork() or set(keys) == {"docx"}:  # the Word file alone: its own PDF to count
        return None
    with _stops_held():
        for module in LOADED_BEFORE_FORKING:
            importlib.import_module(module)
    if "pdf" in keys:
        wanted = set(keys) - {"docx"}  # the Word file is written beside
    else:
        wanted = {"pdf", *keys} if "docx" in keys else set(keys)  # the Word file counts pages
    renderer = _renderer([w for w in WRITERS if w.key in wanted])
    beside = [w for w in WRITERS if w.key == "docx" and {"pdf", "docx"} <= set(keys)]
    if beside:
        with _stops_held():  # loaded once for both processes (see `Registered.shared`)
            for module in sorted({name for output in beside for name in output.shared}):
                importlib.import_module(module)
        renderer.beside = _renderer(beside)
    return renderer


LOADED_BEFORE_FORKING = (
    *("generator.layout", "generator.model", "generator.inline", "generator.visitor"),
    *("generator.fontcache", "datetime", "hashlib", "json", "platform"),
)
"""What every process of a build loads (the build's own, the renderer and the Word file's),
imported before the renderers are forked, so once for all (25 ms of CPU in all)."""


def _renderer(writers: list[Registered]) -> Renderer:
    """A process forked now that imports these writers and reads the layout's fonts."""
    from .parallel import Renderer

    modules = {w.implementation.partition(":")[0] for w in writers}
    return Renderer(sorted(modules), partial(_load_fonts, writers))


def _load_fonts(writers: list[Registered], layout: Layout) -> None:
    """In the renderer: let the writers read the layout's fonts (the build's process hands
    it the layout as soon as it is loaded). Only a head start: a font that fails here fails
    again where it is reported."""
    with contextlib.suppress(Exception):
        for output in writers:
            output.load_fonts(layout)


def _beside_renderer(jobs: list[Job]) -> list[Job]:
    """The files written beside the renderer's PDFs, by the process forked with it
    (`Renderer.beside`): the Word file, when the renderer writes the screen PDF (whose page
    count it shows, handed on as soon as it is known). That process has loaded its writer
    and the layout's fonts while this one checked and composed the issue, and builds the
    Word file while the renderer lays out the screen PDF; a process of its own, so that the
    system killing it (short of memory) is a problem the build reports."""
    keys = {output.key for output, _ in jobs}
    return [job for job in jobs if job[0].key == "docx" and "pdf" in keys]


def _write_beside(
    link: Link,
    descriptors: list[int],
    beside: list[Job],
    document: Document,
    layout: Layout,
    options: Options,
) -> list[Rendered]:
    """In the process beside the renderer: the Word file, which waits for the screen PDF's
    page count (and column starts) once the rest of it is built (`Link.awaited`: this
    process hands them on as soon as the renderer tells them). `descriptors`: the temporary
    files' own, passed to this process."""
    handed = iter(descriptors)
    jobs = [(w, replace(t, fd=next(handed))) for w, t in beside]
    _prepare(jobs, document, layout)
    return [_write(w, document, layout, t, options, link.awaited) for w, t in jobs]


def _prepare(jobs: list[Job], document: Document, layout: Layout) -> None:
    """Let each writer load what its file needs first (`Registered.prepare`: the Word
    writer's fonts, read, keyed and compressed), so that it is done before the file waits for
    the screen PDF's page count, not after."""
    for output, _ in jobs:
        with contextlib.suppress(Exception):  # a broken font: reported when it is written
            output.prepare(document, layout)


def _load_finishing(jobs: list[Job]) -> None:
    """Import what finishes the renderer's files (`Registered.finishing`: the PDFs' structure
    tree, with pikepdf) while it renders them: this process, idle meanwhile, finishes them
    (`_finished`), so the renderer never loads it (a sixth of its imports).

    A stop that comes meanwhile is held until the modules are imported (`_stops_held`)."""
    with _stops_held():
        for module in sorted({output.finishing for output, _ in jobs} - {""}):
            importlib.import_module(module)


@contextlib.contextmanager
def _stops_held() -> Iterator[None]:
    """Hold a stop (SIGINT, SIGTERM, SIGHUP) until this process has imported what it
    imports while the renderer works (the Word writer, the glyph check, pikepdf): raised
    inside the import machinery (a lock's callback), the stop would be printed with a
    traceback instead of stopping the build."""
    import signal

    from .parallel import STOPS

    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _finished(
    rendered: Rendered,
    job: Job,
    document: Document,
    layout: Layout,
    options: Options,
    printed: Job | None = None,
) -> Rendered:
    """The file the renderer left unfinished (see `Options.finish_apart`), finished here into
    its temporary file, and with `printed` (the screen PDF's), the print PDF derived from it
    into that one's; what the file finished rendered (with `printed`, the print PDF). A print
    PDF that cannot be derived from the screen layout is laid out here on its own
    (`_laid_out_here`); the screen PDF is saved all the same."""
    from .writers.pdf.press import NotDerivable

    unfinished = rendered.unfinished
    if unfinished is None:
        if printed is not None:  # its file would stay empty, and be saved
            raise RuntimeError("the screen PDF came back finished: no print PDF derived")
        return rendered
    temporary = job[1]
    wanted = [temporary] if printed is None else [temporary, printed[1]]
    derived = True
    with _output_errors(temporary):  # one folder: either names it
        with contextlib.ExitStack() as files:
            targets = [files.enter_context(t.open()) for t in wanted]
            try:
                if printed is None:
                    unfinished.finish(targets[0])
                else:
                    assert hasattr(unfinished, "finish_with_print")  # the screen PDF's
                    unfinished.finish_with_print(*targets)
            except NotDerivable:
                derived = False
        for written in wanted if derived else wanted[:-1]:
            os.fsync(written.fd)
    if not derived:
        return _laid_out_here(printed or job, document, layout, options)
    return replace(rendered, unfinished=None)


def _laid_out_here(job: Job, document: Document, layout: Layout, options: Options) -> Rendered:
    """The print PDF laid out on its own in this process, as the screen PDF is (where it
    cannot be derived from the screen PDF exactly: see writers/pdf/press.py); what it
    rendered."""
    output, temporary = job
    os.ftruncate(temporary.fd, 0)
    os.lseek(temporary.fd, 0, os.SEEK_SET)
    return _write(output, document, layout, temporary, replace(options, print_laid_out=True))


def _groups(jobs: list[Job]) -> list[list[Job]]:
    """The files in the renderer's processes: the Word file with the screen PDF (whose page
    count it shows), each other file in a process of its own."""
    word = [job for job in jobs if job[0].key == "docx"]
    if word:
        word = [job for job in jobs if job[0].key == "pdf"] + word
    return ([word] if word else []) + [[job] for job in jobs if job not in word]


def _write_there(
    tell: Callable[[Rendered], None],
    descriptors: list[int],
    groups: list[list[Job]],
    document: Document,
    layout: Layout,
    options: Options,
) -> list[Rendered]:
    """In the renderer: the first group of files here, each other in a process forked from
    here (the writers are loaded and prepared for this document: a fork costs only itself);
    what each rendered, in order. The screen PDF's page count (and column starts) is `tell`ed
    as soon as it is known (ReportLab has laid out the pages; the file is still being tagged
    and saved), for the Word file written meanwhile; then the file itself, left unfinished
    (`Options.finish_apart`), which the build's process finishes while the others are written.
    `descriptors`: the temporary files' own, passed to this process."""
    from .parallel import ChildJob

    handed = iter(descriptors)
    groups = [[(w, replace(t, fd=next(handed))) for w, t in group] for group in groups]
    for output in {w.implementation: w for group in groups for w, _ in group}.values():
        output.prepare(document, layout)  # once, here: the forked processes inherit it
    children = [
        ChildJob(_write_in_child, lambda: None, group, document, layout, options)
        for group in groups[1:]
    ]
    try:
        told: list[Rendered] = []

        def counted(screen: Rendered) -> None:
            if not told:
                told.append(screen)
                tell(replace(screen, pages=screen.pages or 1, unfinished=None))

        rendered: list[Rendered] = []
        for output, temporary in groups[0]:
            screen = output.key == "pdf"
            told_here = replace(options, counted=counted) if screen else options
            rendered.append(_write(output, document, layout, temporary, told_here))
            if screen:
                counted(rendered[-1])  # if the writer did not say it before
                tell(rendered[-1])  # to be finished at once, while the others are written
                rendered[-1] = replace(rendered[-1], unfinished=None)
        for child, group in zip(children, groups[1:], strict=True):
            rendered += child.result(_killed(group))
    finally:
        for child in children:
            child.cancel()
    return rendered


def _share(jobs: list[Job]) -> tuple[list[Job], list[list[Job]]]:
    """Split the work between here and forked children. The Word file goes with the screen
    PDF, whose page count it shows (else it renders one only to count).

    Cold, two processes: the Word file there (python-docx loads while ReportLab renders here),
    with the screen PDF if another file is left here; else every other file. Warm (the
    writers are loaded here, as in a process that built before without `Workers`, so a fork
    costs only itself), each group in a process of its own; once a build has counted the
    screen PDF's pages, the Word file is a group of its own too (see `_guessing`).
    """
    word = [job for job in jobs if job[0].key == "docx"]
    if all(_loaded(job[0].key) for job in jobs):
        screen = [job for job in jobs if job[0].key == "pdf"]
        if word and not (screen and screen[0][1].path in _screen_pages):
            word = screen + word  # the count is not known yet: the Word file waits for it
        groups = ([word] if word else []) + [[job] for job in jobs if job not in word]
        return groups[-1], groups[:-1]
    others = [job for job in jobs if job not in word]
    if word and len(others) > 1:
        word = [job for job in others if job[0].key == "pdf"][:1] + word
    there = word or jobs[1::2]
    return [job for job in jobs if job not in there], [there]


_screen_pages: dict[Path, Rendered] = {}
"""The page count (and column starts) of each screen PDF this process's builds wrote, by its
path."""
_guess: dict[str, Rendered] = {}
"""While a warm build writes the Word file apart from the screen PDF: the page count (and
column starts) it takes, the screen PDF's of the build before (forked processes inherit it)."""


def _guessing(here: list[Job], shares: list[list[Job]]) -> tuple[Job, Job, Rendered] | None:
    """In a warm build that writes the Word file and the screen PDF in processes of their
    own: the two and the page count the Word file shows, the last build's (a one-line edit
    rarely changes it; when it does, `_check_guess` writes the Word file again)."""
    group = {job[0].key: i for i, jobs in enumerate([here, *shares]) for job in jobs}
    if "docx" not in group or "pdf" not in group or group["docx"] == group["pdf"]:
        return None  # together, the Word file's process knows the count
    found = {job[0].key: job for job in here + [job for share in shares for job in share]}
    pdf, word = found["pdf"], found["docx"]
    screen = _screen_pages.get(pdf[1].path)
    if screen is None:
        return None
    _guess["screen"] = screen
    return pdf, word, screen


def _check_guess(
    guessed: tuple[Job, Job, Rendered] | None,
    counts: dict[str, Rendered],
    document: Document,
    layout: Layout,
    options: Options,
) -> None:
    """Write the Word file again (here) if the page count (or the column starts) it takes
    from the screen PDF was guessed wrong."""
    if guessed is None:
        return
    (_, pdf), (word, temporary), screen = guessed
    if counts[pdf.target] == screen:
        return
    os.ftruncate(temporary.fd, 0)
    os.lseek(temporary.fd, 0, os.SEEK_SET)
    _guess["screen"] = counts[pdf.target]
    try:
        _write(word, document, layout, temporary, options)
    finally:
        _guess.pop("screen", None)


def _loaded(key: str) -> bool:
    """Whether the writer of an output is already imported in this process."""
    implementation = next(w.implementation for w in WRITERS if w.key == key)
    return implementation.partition(":")[0] in sys.modules


def _write_in_child(
    preflight: Callable[[], None],
    work: list[tuple[Registered, Temporary]],
    document: Document,
    layout: Layout,
    options: Options,
    screen: Screen | None = None,
) -> list[Rendered]:
    """The check and the child's share of the files (a signal ends it at once: see parallel);
    `screen`: the screen PDF's page count (and column starts), when another process writes
    it (a call that waits for it: see `_write`)."""
    from .parallel import die_with_parent

    die_with_parent(os.getppid())
    preflight()
    return [_write(w, document, layout, t, options, screen) for w, t in work]


def _killed(there: list[Job]) -> Callable[[str], BulletinError]:
    """The problem when the writer process is killed from outside (the OOM killer, kill -9)."""

    def problem(how: str) -> BulletinError:
        return BulletinError(
            Problem(
                str(temporary.path),
                1,
                1,
                "",
                f"the process writing this file was {how}",
                "if the system is short of memory, close other programs or build one "
                "--format at a time, then build again",
            )
            for _, temporary in there
        )

    return problem


Screen = Rendered | Callable[[], Rendered]
"""The screen PDF's page count and column starts, or a call that waits for them."""


def _write(
    writer: Registered,
    document: Document,
    layout: Layout,
    temporary: Temporary,
    options: Options,
    screen: Screen | None = None,
) -> Rendered:
    """Render one output with its writer (imported only now) into its temporary file
    (through its descriptor); return what it rendered (its page count).

    A file that cannot count its pages (the Word file) shows the screen PDF's until its
    program lays them out, and breaks its columns where the screen PDF's last columns break
    before a heading (`screen` when another process renders it: a call makes the writer
    build the rest of the file first). A failure to write the file (a full disk) is the
    user's to fix.
    """
    writer.load()  # imported (in a forked process, the Word writer) before the collector is on
    collect_garbage()
    with _output_errors(temporary):
        with temporary.open() as target:
            if writer.key == "docx":
                options = _showing(screen, document, layout, options)
            rendered = writer.write(document, layout, target, options)
            if writer.key == "pdf":
                _rendered.update(document=document, layout=layout, screen=rendered)
        os.fsync(temporary.fd)  # on disk while the others are written (the commit checks it)
    return rendered


@contextlib.contextmanager
def _output_errors(temporary: Temporary) -> Iterator[None]:
    """A failure to write the file (a full disk) as the user's problem to fix."""
    try:
        yield
    except OSError as error:
        if is_output_error(error):
            raise folder_problem(temporary.folder.path, error) from None
        raise


def _showing(
    screen: Screen | None, document: Document, layout: Layout, options: Options
) -> Options:
    """The Word file's options: with the screen PDF's page count and column starts (rendered
    here if no other process renders it, see `_screen`), or the call that waits for them."""
    if callable(screen):
        return replace(options, screen=screen)
    screen = screen or _screen(document, layout, options)
    return replace(
        options,
        pages=screen.pages or 1,
        column_starts=screen.column_starts,
        column_placed=screen.column_placed,
        page_starts=screen.page_starts,
        column_splits=screen.column_splits,
        flowing_events=screen.flowing_events,
        lone_columns=screen.lone_columns,
        long_events=screen.long_events,
    )


@contextlib.contextmanager
def loading_first() -> Iterator[None]:
    """A cold build's loading (its modules, fonts, data and document: objects that live
    until the end) without Python's cycle collector, which would go over them again and
    again (a tenth of the CPU time of a cold build); `_write` turns it on again to write,
    with what is loaded set aside (`gc.freeze`), and so does the end of the build: what was
    loaded goes to the oldest generation (not the youngest, whose first collection would go
    over all of it: 20 ms at the end of a build whose files other processes wrote)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what this process loaded (and what it froze to write) ...
        gc.unfreeze()  # ... released into the oldest generation
        if was_enabled:
            gc.enable()


def collect_garbage() -> None:
    """Writing makes garbage: the cycle collector on, for what is made from now on only."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


_rendered: dict[str, Any] = {}
"""The document, layout and rendering (page count) of the last screen PDF this process wrote."""


def _screen(document: Document, layout: Layout, options: Options) -> Rendered:
    """The screen PDF's page count, which the Word file shows until Word lays out its pages,
    and its column starts: the one this process has just written (a build gives the Word
    file's process the screen PDF too), else rendered here (about 0.2 s), so the Word file
    never depends on which files are built beside it.
    """
    if _rendered.get("document") is document and _rendered.get("layout") is layout:
        screen: Rendered = _rendered["screen"]
        return screen
    if "screen" in _guess:
        return _guess["screen"]
    import io

    from .writers import writer

    laid_out = replace(options, finish_apart=True)  # only counted: never tagged nor saved
    return replace(writer("pdf").write(document, layout, io.BytesIO(), laid_out), unfinished=None)
