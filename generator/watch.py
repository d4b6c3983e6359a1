"""`bulletin watch`: rebuild an issue's files each time its data, layout or fonts are saved.

One process stays up, so the modules, the parsed fonts and the glyph check's character maps
are loaded once; a rebuild costs only validating, composing and rendering. A save that leaves
a file half-written, or a data error, is reported located and the watch goes on; the files of
the last good build stay in place (a build writes all or nothing). File events come from
watchfiles (inotify and its equivalents), which also debounces an editor's burst of writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING

from .errors import BulletinError, Problem
from .kinds import SETTINGS

if TYPE_CHECKING:
    from .kinds import Kind
    from .layout import Layout

Say = Callable[[str], None]

WATCHED_SUFFIXES = (".yaml", ".yml", ".ttf", ".otf")
"""The files a build reads: data, registry, settings and layouts in YAML; fonts."""


@dataclass(frozen=True)
class Watched:
    """What one watch rebuilds: the issue, its layout and formats, and where the files go."""

    data_dir: Path
    year: str
    layout_name: str | None
    out_dir: Path
    keys: tuple[str, ...]

    def folders(self) -> list[Path]:
        """The folders whose files the build reads: the data, the project's and the built-in
        layouts and fonts."""
        from .build import project_of
        from .layout import project_folders

        project = project_of(self.data_dir)
        found = [self.data_dir]
        found += [*project_folders(project, "layouts"), *project_folders(project, "fonts")]
        return [folder for folder in found if folder.is_dir()]

    def reads(self, path: Path) -> bool:
        """Whether a changed file can change this issue's files (not an editor's temp file)."""
        if path.suffix.lower() not in WATCHED_SUFFIXES or path.name.startswith((".", "~")):
            return False
        if path.parent.resolve() == self.data_dir.resolve():
            other_year = path.stem.isdigit() and path.stem != self.year
            return not other_year  # the settings, the kind's own files, this year's data
        return True


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
        from .build import layout_for

        key = (kind.key, name)
        if key not in self.kept:
            self.kept.clear()
            self.kept[key] = layout_for(kind, name, data_dir)
        return self.kept[key]


_kept: dict[Watched, KeptLayout] = {}
"""Each watch's layout (see `rebuild`)."""


def watch(watched: Watched, say: Say, stop: Event | None = None) -> None:
    """Build once, then rebuild after every save until Ctrl-C (or `stop` is set)."""
    from watchfiles import watch as file_events

    folders = watched.folders()
    events = file_events(
        *folders,
        stop_event=stop,
        raise_interrupt=False,
        debounce=400,
        step=30,
        rust_timeout=250,
        yield_on_timeout=True,  # an empty set now and then: the first says the watch is on
        watch_filter=lambda _change, name: watched.reads(Path(name)),
    )
    try:
        next(events, None)  # from here on saves are seen, even during the first build (which
        # includes whatever this first step reported)
        warm = rebuild(watched, say, changed=[], first=True)
        say(f"watching {', '.join(_shown(f) for f in folders)} (Ctrl-C to stop)")
        for changes in events:
            if changes:
                changed = sorted({Path(name) for _, name in changes})
                warm = rebuild(watched, say, changed, first=not warm) or warm
    except KeyboardInterrupt:  # Ctrl-C during a build: that build wrote nothing
        say("the build under way was stopped; the files of the last build are in place")
    say("stopped watching")


def rebuild(watched: Watched, say: Say, changed: Iterable[Path], first: bool = False) -> bool:
    """One build; its outcome in a line, problems located below it. False when it failed.

    The `first` build (until one succeeds) writes every file in this process: the writers,
    the parsed fonts and the Word file's compressed fonts stay loaded here, and each later
    build's forked processes start with them; the layout is loaded again only when a file
    it may come from has changed (`KeptLayout`)."""
    from .build import build

    changed = list(changed)
    if first or watched not in _kept:
        _kept[watched] = KeptLayout(watched)
    layouts = _kept[watched]
    layouts.saw(changed)
    what = ", ".join(_shown(path) for path in changed)
    lead = f"{time.strftime('%H:%M:%S')} {what + ' changed: ' if what else ''}"
    started = time.perf_counter()
    warnings: list[Problem] = []
    try:
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
    pages = max((item.pages or 0 for item in written), default=0)
    files = f"{len(written)} file{'s' if len(written) != 1 else ''}"
    say(f"{lead}wrote {files} ({pages} page{'s' if pages != 1 else ''}) in {seconds:.2f} s")
    for warning in warnings:
        say(f"  {warning}")
    return True


def _shown(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder where it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
