"""`bulletin watch` keeps its layout while only data is saved, and loads it again when a file
it may come from is saved: a rebuild always writes what a cold build of the same files does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.kinds import kind_of
from generator.watch import KeptLayout, Watched, rebuild

ROOT = Path(__file__).resolve().parent.parent
ALL = ("pdf", "print", "docx")
EPOCH = "1600000000"


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def cold(data: Path, out: Path) -> dict[str, bytes]:
    command = [sys.executable, "-m", "generator", "build", "2020", "--data", str(data)]
    result = subprocess.run(
        [*command, "--layout", "mine", "--output", str(out), "-q"],
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
