"""`bulletin watch`: rebuild an issue's files each time its data, layout or fonts are saved.

One process stays up, so the modules, the parsed fonts and the glyph check's character maps
are loaded once; a rebuild costs only validating, composing and rendering. A save that leaves
a file half-written, or a data error, is reported located and the watch goes on; the files of
the last good build stay in place (a build writes all or nothing). File events come from
watchfiles (inotify and its equivalents), which also debounces an editor's burst of writes.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

from .errors import BulletinError, Problem
from .kinds import SETTINGS

if TYPE_CHECKING:
    from .build import Workers
    from .kinds import Kind
    from .layout import Layout

Say = Callable[[str], None]
Batches = Iterator[set[tuple[Any, str]]]
"""watchfiles' batches of changes: (what, path)."""

WATCHED_SUFFIXES = (".yaml", ".yml", ".ttf", ".otf")
"""The files a build reads: data, registry, settings and layouts in YAML; fonts."""
EDITORS_TEMPORARY = (".swp", ".swx", ".tmp", ".bak")
"""Editors' temporary and backup files, beside a layout's (which may be of any kind)."""


@dataclass(frozen=True)
class Watched:
    """What one watch rebuilds: the issue, its layout and formats, and where the files go."""

    data_dir: Path
    year: str
    layout_name: str | None
    out_dir: Path
    keys: tuple[str, ...]

    def folders(self) -> list[Path]:
        """The folders whose files the build reads, of those there now: the data, the
        project's and the built-in layouts and fonts."""
        return [folder for folder in [self.data_dir, *self.roots()] if folder.is_dir()]

    def roots(self) -> list[Path]:
        """Where layouts and fonts are looked up (the project's own, there or not yet, and
        the built-in ones): anything changed below them may change the layout."""
        from .checking import project_of
        from .layout import project_folders

        project = project_of(self.data_dir)
        return [*project_folders(project, "layouts"), *project_folders(project, "fonts")]

    def reads(self, path: Path) -> bool:
        """Whether a changed file can change this issue's files (not an editor's temp file).
        Below a layouts or fonts folder, any change does (a layout's folder moved away, a
        font's folder added, a logo)."""
        if path.name.startswith((".", "~")) or path.name.endswith("~"):
            return False
        if self._under_roots(path):
            return path.suffix.lower() not in EDITORS_TEMPORARY
        if path.suffix.lower() not in WATCHED_SUFFIXES:
            return False
        if path.parent.resolve() == self.data_dir.resolve():
            other_year = path.stem.isdigit() and path.stem != self.year
            return not other_year  # the settings, the kind's own files, this year's data
        return True

    def _under_roots(self, path: Path) -> bool:
        """Whether the path is a layouts or fonts folder or lies below one."""
        path = path.resolve()
        return any(path.is_relative_to(root.resolve()) for root in self.roots())


class KeptLayout:
    """A watch's layout, loaded again only when a file it may come from has changed (a
    layout, a font, the settings naming the layout): a data edit reuses it (with what the
    writers keep of it in this process)."""

    def __init__(self, watched: Watched) -> None:
        self.watched = watched
        self.kept: dict[tuple[str, str | None], Layout] = {}

    def saw(self, changed: Iterable[Path]) -> None:
        """Forget the layout if a changed file may be one it was loaded from."""
        if not all(self._data_only(path) for path in changed):
            self.kept.clear()

    def _data_only(self, path: Path) -> bool:
        """A data file of the issue other than the settings (which name the layout)."""
        data = self.watched.data_dir.resolve()
        return path.parent.resolve() == data and path.name != SETTINGS

    def __call__(self, kind: Kind, name: str | None, data_dir: Path) -> Layout:
        from .checking import layout_for

        key = (kind.key, name)
        if key not in self.kept:
            self.kept.clear()
            self.kept[key] = layout_for(kind, name, data_dir)
        return self.kept[key]


_kept: dict[Watched, KeptLayout] = {}
"""Each watch's layout (see `rebuild`)."""
_workers: dict[Watched, Workers] = {}
"""Each watch's writer processes, kept from one build to the next (see `rebuild`)."""


def watch(watched: Watched, say: Say, stop: Event | None = None) -> None:
    """Build once, then rebuild after every save until Ctrl-C (or `stop` is set).

    When the set of folders to watch changes (the project's `layouts/` or `fonts/` made or
    removed while watching, seen at the latest 0.25 s after), the layout is loaded again,
    the issue rebuilt and the new set watched."""
    folders = watched.folders()
    changed: list[Path] = []
    warm = False
    try:
        while True:
            events = _file_events(watched, folders, stop)
            next(events, None)  # from here on saves are seen, even during this build (which
            # includes whatever this first step reported)
            warm = rebuild(watched, say, changed, first=not warm) or warm
            if warm:  # what the watch has loaded lives as long as it: no collection goes over
                gc.freeze()  # it again (one took 50 ms of a rebuild in twenty)
            say(f"watching {', '.join(_shown(f) for f in folders)} (Ctrl-C to stop)")
            moved, warm = _rebuilding(watched, say, events, folders, warm)
            if moved is None:
                break
            folders, changed = watched.folders(), moved
    except KeyboardInterrupt:  # Ctrl-C during a build: that build wrote nothing
        say("the build under way was stopped; the files of the last build are in place")
    finally:
        _end_workers(watched)
        gc.unfreeze()
    say("stopped watching")


def _file_events(watched: Watched, folders: list[Path], stop: Event | None) -> Batches:
    """The batches of changes to the files the build reads, below `folders` (an empty batch
    every 0.25 s when there is none)."""
    from watchfiles import watch as file_events

    return file_events(
        *folders,
        stop_event=stop,
        raise_interrupt=False,
        debounce=400,
        step=30,
        rust_timeout=250,
        yield_on_timeout=True,  # an empty set now and then: the first says the watch is on
        watch_filter=lambda _change, name: watched.reads(Path(name)),
    )


def _rebuilding(
    watched: Watched,
    say: Say,
    events: Batches,
    folders: list[Path],
    warm: bool,
) -> tuple[list[Path] | None, bool]:
    """Rebuild after each batch of changes until the watch stops (None), or until the
    folders to watch are no longer `folders`: then the folders made or removed, with the
    changes seen meanwhile. With it, whether a build has succeeded (see `rebuild`)."""
    for changes in events:
        changed = sorted({Path(name) for _, name in changes})
        now = watched.folders()
        if now != folders:
            getattr(events, "close", lambda: None)()
            return sorted(set(now) ^ set(folders)) + changed, warm
        if changed:
            warm = rebuild(watched, say, changed, first=not warm) or warm
    return None, warm


def rebuild(watched: Watched, say: Say, changed: Iterable[Path], first: bool = False) -> bool:
    """One build; its outcome in a line, problems located below it. False when it failed.

    The `first` build (until one succeeds) writes every file in this process: the writers,
    the parsed fonts and the Word file's compressed fonts stay loaded here, and the writer
    processes of the later builds, forked from this one when first needed and kept from one
    build to the next (`Workers`), start with them; the layout is loaded again only when a
    file it may come from has changed (`KeptLayout`)."""
    from .build import Workers, build
    from .parallel import can_fork
    from .writers.pdf.kept import keeping

    changed = list(changed)
    if first or watched not in _kept:
        _kept[watched] = KeptLayout(watched)
        for other in list(_workers):  # one watch's processes at a time (a test's, calling
            _end_workers(other)  # this for several watches in turn, would keep them all)
    layouts = _kept[watched]
    layouts.saw(changed)
    what = ", ".join(_shown(path) for path in changed)
    lead = f"{time.strftime('%H:%M:%S')} {what + ' changed: ' if what else ''}"
    started = time.perf_counter()
    warnings: list[Problem] = []
    try:
        with keeping():  # the PDFs' paragraphs, kept for the next build
            written = build(
                watched.data_dir,
                watched.year,
                watched.layout_name,
                watched.out_dir,
                watched.keys,
                lambda _line: None,
                warn=warnings.append,
                in_process=first,
                layouts=layouts,
                workers=_workers.setdefault(watched, Workers()),
            )
    except BulletinError as error:
        count = len(error.problems)
        say(f"{lead}{count} problem{'s' if count != 1 else ''}; the files were left as they were")
        for problem in error.problems:
            say(f"  {problem}")
        return False
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as error:  # a bug: said, and the watch goes on with the next save
        say(f"{lead}internal error: {type(error).__name__}: {error} (this is a bug in bulletin)")
        return False
    seconds = time.perf_counter() - started
    if first and can_fork():  # the writer processes of the next builds, forked now
        _workers[watched].ready(watched.keys)
    pages = max((item.pages or 0 for item in written), default=0)
    files = f"{len(written)} file{'s' if len(written) != 1 else ''}"
    say(f"{lead}wrote {files} ({pages} page{'s' if pages != 1 else ''}) in {seconds:.2f} s")
    for warning in warnings:
        say(f"  {warning}")
    return True


def writer_processes(watched: Watched) -> dict[str, int]:
    """The process ids of the watch's writer processes, by the output each writes."""
    workers = _workers.get(watched)
    return workers.pids() if workers is not None else {}


def _end_workers(watched: Watched) -> None:
    """End the watch's writer processes, if it has any."""
    workers = _workers.pop(watched, None)
    if workers is not None:
        workers.close()


def _shown(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder where it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
