"""`bulletin watch` keeps its layout while only data is saved, and loads it again when a file
it may come from is saved: a rebuild always writes what a cold build of the same files does."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.kinds import kind_of
from generator.watch import KeptLayout, Watched, rebuild, watch

ROOT = Path(__file__).resolve().parent.parent
ALL = ("pdf", "print", "docx")
EPOCH = "1600000000"


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def cold(data: Path, out: Path, layout: str | None = "mine") -> dict[str, bytes]:
    """The files a cold `bulletin build 2020` writes (with the project's `mine` layout, or
    the built-in one when `layout` is None)."""
    command = [sys.executable, "-m", "generator", "build", "2020", "--data", str(data)]
    chosen = ["--layout", layout] if layout else []
    result = subprocess.run(
        [*command, *chosen, "--output", str(out), "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.returncode == 0, result.stderr
    return files(out)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the 2020 data and a layout of its own, `mine`."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    layout = tmp_path / "layouts" / "mine" / "layout.yaml"
    layout.parent.mkdir(parents=True)
    layout.write_text("extends: iscm\n", encoding="utf-8")
    return tmp_path


def test_a_saved_layout_is_loaded_again_and_saved_data_is_not(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    data, out = project / "data", project / "out"
    watched = Watched(data, "2020", "mine", out, ALL)
    said: list[str] = []
    assert rebuild(watched, said.append, [], first=True), said
    year = data / "2020.yaml"
    year.write_text(year.read_text(encoding="utf-8").replace("partnership", "Partnership", 1))
    assert rebuild(watched, said.append, [year]), said
    assert files(out) == cold(data, project / "cold-data")
    layout = project / "layouts" / "mine" / "layout.yaml"
    layout.write_text("extends: iscm\nstyles: {Heading 1: {size: 30, leading: 36}}\n")
    before = files(out)
    assert rebuild(watched, said.append, [layout]), said
    assert files(out) != before  # the new heading size
    assert files(out) == cold(data, project / "cold-layout")


@pytest.mark.parametrize(
    ("saved", "kept"),
    [
        ("data/2020.yaml", True),
        ("data/mechanisms.yaml", True),
        ("data/bulletin.yaml", False),  # names the kind, so the layout
        ("layouts/mine/layout.yaml", False),
        ("layouts/iscm/text.yaml", False),
        ("fonts/Face.ttf", False),
    ],
)
def test_which_saves_load_the_layout_again(project: Path, saved: str, kept: bool) -> None:
    data = project / "data"
    layouts = KeptLayout(Watched(data, "2020", "mine", project / "out", ALL))
    kind = kind_of(data)
    first = layouts(kind, "mine", data)
    assert layouts(kind, "mine", data) is first
    layouts.saw([project / saved])
    assert (layouts(kind, "mine", data) is first) is kept


class Watching:
    """`watch` in a thread of this process, its lines in a queue (the watch's own files)."""

    def __init__(self, watched: Watched) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=watch, args=(watched, self.lines.put, self.stop))
        self.thread.start()
        self.until("watching ")

    def until(self, start: str) -> str:
        """The next line that starts with `start`, or a rebuild's line whose changed paths
        include a folder named `start` (others are passed over)."""
        while True:
            line = self.lines.get(timeout=60)
            assert "problem" not in line and "error" not in line, line
            rebuilt = re.match(r"\d\d:\d\d:\d\d (.*) changed: wrote", line)
            if line.startswith(start) or (rebuilt and f"/{start}" in rebuilt[1]):
                return line

    def end(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


def own_iscm(folder: Path) -> None:
    """The built-in iscm layout, copied into `folder` with another accent colour."""
    shutil.copytree(ROOT / "layouts" / "iscm", folder)
    layout = folder / "layout.yaml"
    text = layout.read_text(encoding="utf-8")
    assert "#0033A0" in text
    layout.write_text(text.replace("#0033A0", "#AA0000"), encoding="utf-8")


def edit_data(data: Path) -> None:
    year = data / "2020.yaml"
    year.write_text(year.read_text(encoding="utf-8").replace("partnership", "Partnership", 1))


@pytest.mark.parametrize("change", ["layouts made", "layout moved in", "layout moved away"])
def test_a_watch_follows_layout_folders_made_moved_or_removed_as_a_cold_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """A layouts folder made while watching (not watched at first), a project layout's
    folder moved in or away: the rebuild, and the next data edit's, equal a cold build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    data, out, aside = tmp_path / "data", tmp_path / "out", tmp_path / "aside"
    if change == "layout moved away":
        own_iscm(tmp_path / "layouts" / "iscm")
    if change == "layout moved in":
        (tmp_path / "layouts").mkdir()
        own_iscm(aside)
    watching = Watching(Watched(data, "2020", None, out, ALL))
    try:
        before = files(out)
        if change == "layouts made":
            own_iscm(tmp_path / "made" / "iscm")
            (tmp_path / "made").rename(tmp_path / "layouts")
        elif change == "layout moved in":
            aside.rename(tmp_path / "layouts" / "iscm")
        else:
            (tmp_path / "layouts" / "iscm").rename(aside)
        watching.until("layouts")
        assert files(out) != before  # the accent colour changed
        assert files(out) == cold(data, tmp_path / "cold-layout", None)
        edit_data(data)
        watching.until("data")
        assert files(out) == cold(data, tmp_path / "cold-data", None)
    finally:
        watching.end()


@pytest.mark.parametrize(
    ("changed", "read"),
    [
        ("layouts/iscm", True),  # a layout's folder moved or removed
        ("layouts", True),
        ("layouts/iscm/logo.png", True),
        ("fonts/Face", True),
        ("layouts/iscm/.layout.yaml.swp", False),
        ("layouts/iscm/layout.yaml~", False),
        ("layouts/iscm/layout.yaml.swp", False),
        ("data/notes", False),
        ("data/notes.txt", False),
        ("elsewhere/iscm", False),
    ],
)
def test_any_change_below_layouts_or_fonts_is_read_but_an_editors_files(
    tmp_path: Path, changed: str, read: bool
) -> None:
    watched = Watched(tmp_path / "data", "2020", None, tmp_path / "out", ALL)
    assert watched.reads(tmp_path / changed) is read


HOUSE = """extends: iscm
fonts:
  body:
    family: House
    regular: House-Regular.ttf
    bold: House-Bold.ttf
    italic: House-Regular.ttf
    bold_italic: House-Bold.ttf
"""


def same_size_other_bytes(font: Path) -> None:
    """One letter of the font's copyright notice changed, its size and modification time
    kept: only its content (and change time) tell it apart."""
    before = font.stat()
    data = font.read_bytes()
    at = data.index("Copyright".encode("utf-16-be"))
    font.write_bytes(data[: at + 1] + b"K" + data[at + 2 :])
    os.utime(font, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert font.stat().st_size == before.st_size


@pytest.mark.parametrize(
    ("face", "replaced_by"),
    [
        ("House-Regular.ttf", "Lato-Italic.ttf"),
        ("House-Bold.ttf", "Lato-BoldItalic.ttf"),
        ("House-Regular.ttf", None),  # the same size and time, other bytes
    ],
)
def test_a_font_replaced_under_its_name_is_read_again_by_every_writer(
    project: Path, monkeypatch: pytest.MonkeyPatch, face: str, replaced_by: str | None
) -> None:
    """What this process keeps of a font (registered in ReportLab, its characters, the
    Word file's embedded bytes, widths and line height) follows the file's content: after
    the font's bytes change under the same name, a rebuild equals a cold build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (project / "layouts" / "mine" / "layout.yaml").write_text(HOUSE, encoding="utf-8")
    fonts = project / "fonts"
    fonts.mkdir()
    shutil.copy(ROOT / "fonts" / "Lato-Regular.ttf", fonts / "House-Regular.ttf")
    shutil.copy(ROOT / "fonts" / "Lato-Bold.ttf", fonts / "House-Bold.ttf")
    data, out = project / "data", project / "out"
    watched = Watched(data, "2020", "mine", out, ALL)
    said: list[str] = []
    assert rebuild(watched, said.append, [], first=True), said
    before = files(out)
    if replaced_by is None:
        same_size_other_bytes(fonts / face)
    else:
        shutil.copyfile(ROOT / "fonts" / replaced_by, fonts / face)
    try:
        assert rebuild(watched, said.append, [fonts / face]), said
        assert files(out) != before
        assert files(out) == cold(data, project / "cold")
    finally:
        forget_house()


def forget_house() -> None:
    """ReportLab forgets the House faces (its face names are Lato's: left registered, they
    would stand for Lato in the tests after)."""
    from generator.writers.pdf import styles

    for name in ("House", "House-Bold", "House-Italic", "House-BoldItalic"):
        styles._unregister(name)
        styles._registered.pop(name, None)
    styles._register.cache_clear()
