"""A project folder (the one holding the data folder) adds layouts and fonts to the built-in
ones or replaces them; an installed wheel carries the built-in layouts and fonts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.errors import BulletinError
from generator.layout import load_layout

from .conftest import DATA, ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder outside the repository, with the 2020 data and empty layouts/ fonts/."""
    folder = tmp_path / "project"
    shutil.copytree(DATA, folder / "data")
    (folder / "layouts").mkdir()
    (folder / "fonts").mkdir()
    return folder


def bulletin(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_project_layout_adds_to_the_built_in_ones(project: Path) -> None:
    write(
        project / "layouts" / "plain" / "layout.yaml",
        "extends: iscm\nstyles:\n  Normal: {size: 12}\n",
    )
    layout = load_layout("plain", project=project)
    assert layout.style("Normal").size == 12
    assert layout.style("Event").font == "body"  # the rest from the built-in iscm
    assert load_layout("iscm", project=project).style("Normal").size != 12
    result = bulletin("check", "2020", "--layout", "plain", cwd=project)
    assert result.returncode == 0, result.stderr


def test_a_project_layout_replaces_a_built_in_one_of_the_same_name(project: Path) -> None:
    own = project / "layouts" / "large-print"
    shutil.copytree(ROOT / "layouts" / "iscm", own)
    layout = load_layout("large-print", project=project)
    assert layout.section("events").columns == 2  # iscm's, not the built-in large print's
    assert (
        layout.text_source is not None
        and Path(layout.text_source.file).resolve() == (own / "text.yaml").resolve()
    )


def test_the_project_is_the_folder_holding_the_data(project: Path, tmp_path: Path) -> None:
    write(project / "layouts" / "plain" / "layout.yaml", "extends: iscm\n")
    data = str(project / "data")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert (
        bulletin("check", "2020", "--data", data, "--layout", "plain", cwd=elsewhere).returncode
        == 0
    )
    result = bulletin("check", "2020", "--data", str(DATA), "--layout", "plain", cwd=project)
    assert result.returncode == 1
    assert "no layout 'plain' (choose one of: iscm, large-print)" in result.stderr


def test_project_fonts_are_found_before_the_built_in_ones(project: Path) -> None:
    faces = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
    for face in faces.values():
        shutil.copy(ROOT / "fonts" / f"Lato-{face}.ttf", project / "fonts" / f"House-{face}.ttf")
    family = ", ".join(f"{key}: House-{face}.ttf" for key, face in faces.items())
    write(
        project / "layouts" / "house" / "layout.yaml",
        f"extends: iscm\nfonts:\n  body: {{family: House, {family}}}\n",
    )
    layout = load_layout("house", project=project)
    body = layout.spec.fonts["body"]
    assert body.file(True, False) == project / "fonts" / "House-Bold.ttf"
    out = project / "out"
    result = bulletin(
        "build", "2020", "--layout", "house", "--format", "pdf", "--output", str(out), cwd=project
    )
    assert result.returncode == 0, result.stderr
    assert (out / "iscm-highlights-2020-house.pdf").stat().st_size > 10_000


def test_a_font_file_in_neither_folder_is_a_located_error(project: Path) -> None:
    layout = write(
        project / "layouts" / "house" / "layout.yaml",
        "extends: iscm\nfonts:\n  body: {family: House, regular: House.ttf, bold: House.ttf,"
        " italic: House.ttf, bold_italic: House.ttf}\n",
    )
    with pytest.raises(BulletinError) as caught:
        load_layout("house", project=project)
    problem = caught.value.problems[0]
    assert (Path(problem.file).resolve(), problem.line) == (layout.resolve(), 3)
    assert problem.message == f"no font file {project / 'fonts' / 'House.ttf'}"  # the project's


SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "generator",
    "layouts",
    "fonts",
)


def test_the_wheel_ships_the_layouts_and_fonts_and_runs_outside_the_repository(
    tmp_path: Path, project: Path
) -> None:
    """Build the wheel (no network: the venv's setuptools), install it by unpacking, and run
    `check` and `build` in a project folder that has only its data."""
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("bulletin-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "generator/layouts/iscm/layout.yaml" in names
    assert "generator/fonts/Lato-Regular.ttf" in names
    packed = [n for n in names if n.startswith("generator/writers/docx/packed/")]
    assert len(packed) == 4 and all(n.endswith(".deflate") for n in packed)
    shutil.rmtree(project / "layouts")
    shutil.rmtree(project / "fonts")
    env = {**os.environ, "PYTHONPATH": str(site), "SOURCE_DATE_EPOCH": "1600000000"}
    where = bulletin("--version", cwd=project, env=env)
    assert where.returncode == 0, where.stderr
    check = bulletin("check", "2020", "--data", "data", cwd=project, env=env)
    assert check.returncode == 0, check.stderr
    build = bulletin("build", "2020", "--layout", "large-print", cwd=project, env=env)
    assert build.returncode == 0, build.stderr
    assert sorted(p.name for p in (project / "output" / "2020").iterdir()) == [
        "iscm-highlights-2020-large-print-print.pdf",
        "iscm-highlights-2020-large-print.docx",
        "iscm-highlights-2020-large-print.pdf",
    ]
    imported = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.startswith(str(site))
