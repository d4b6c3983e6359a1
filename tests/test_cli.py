"""The `bulletin` command: help, version, check, usage errors, exit codes, lazy imports."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.checking
from generator import __version__
from generator.cli import main

from .conftest import DATA, ROOT

SUMMARY = """\
data/2020.yaml: ok
  issue          6 (2020)
  mechanisms     20 with events (23 in the registry)
  events         44 (33 dated)
  date span      16\u00a0January\u202f– 18\u00a0December
  features       1
  initiatives    3 rows
  thematic areas 18 rows
  publications   8
  closing links  3
"""


def bulletin(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_help() -> None:
    result = CliRunner().invoke(main, ["--help"], prog_name="bulletin")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: bulletin [OPTIONS] COMMAND [ARGS]...")
    assert "check" in result.output and "build" in result.output


def test_short_help() -> None:
    assert CliRunner().invoke(main, ["-h"]).exit_code == 0


def test_check_help() -> None:
    result = CliRunner().invoke(main, ["check", "--help"])
    assert result.exit_code == 0
    assert "--data" in result.output


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"bulletin, version {__version__}\n"
    with (ROOT / "pyproject.toml").open("rb") as project:
        assert __version__ == tomllib.load(project)["project"]["version"]


WARNINGS_2020 = [
    "data/2020.yaml:135:3: warning: events.MID-IGAD: 'MID-IGAD' has events but is in no row "
    "of global_initiatives or thematic_areas (add it to the rows of the themes its events "
    "addressed)",
    "data/2020.yaml:208:24: warning: global_initiatives[1].mechanisms[2]: 'Colombo' has no "
    "events this year, but 3 theme rows name it (add its events, or remove it from the rows)",
    "data/2020.yaml:218:46: warning: thematic_areas[2].mechanisms[5]: 'PIDC' has no events "
    "this year, but 5 theme rows name it (add its events, or remove it from the rows)",
    "data/2020.yaml:220:43: warning: thematic_areas[3].mechanisms[4]: 'COMMIT' has no events "
    "this year, but 3 theme rows name it (add its events, or remove it from the rows)",
]


def test_check_2020_prints_the_summary_and_the_published_issue_s_warnings() -> None:
    """The published 2020 issue names mechanisms in its theme tables that have no events
    in it, and leaves MID-IGAD out of them: warnings, not errors."""
    result = bulletin("check", "2020")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == WARNINGS_2020
    assert result.stdout == SUMMARY


def test_check_strict_makes_the_warnings_errors() -> None:
    result = bulletin("check", "2020", "--strict")
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*WARNINGS_2020, "4 problems found."]


def test_the_installed_command_runs() -> None:
    program = shutil.which("bulletin")
    if program is None:
        pytest.skip("the bulletin script is not on PATH")
    result = subprocess.run(
        [program, "--version"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert (result.returncode, result.stdout) == (0, f"bulletin, version {__version__}\n")


def test_check_from_another_folder_with_data(tmp_path: Path) -> None:
    result = bulletin("check", "2020", "--data", str(DATA), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{DATA / '2020.yaml'}: ok\n")


def test_check_does_not_import_the_writers() -> None:
    code = textwrap.dedent(
        """
        import sys
        from generator.cli import main

        sys.argv = ["bulletin", "check", "2020"]
        try:
            main()
        except SystemExit as exit:
            code = exit.code
        else:
            code = None
        writers = ("reportlab", "docx", "pptx")
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in writers)
        print("EXIT", code)
        print("LOADED", loaded)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "EXIT 0" in result.stdout  # click's standalone mode ends with sys.exit(0)
    assert "LOADED []" in result.stdout
    assert "data/2020.yaml: ok" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check"],  # the year is missing
        ["frobnicate"],
        ["check", "2020", "--bogus"],
        ["check", "2020", "2021"],
        ["build", "2020", "--format", "xml"],
        ["check", "abc"],  # not a year
        ["check", "20"],
        ["check", "２０２０"],  # digits, but not ASCII ones
        ["build", "20201"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.output


def test_usage_error_as_a_process() -> None:
    result = bulletin("check")
    assert result.returncode == 2
    assert "Missing argument 'YEAR'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_year_that_is_not_four_digits_is_a_usage_error() -> None:
    result = bulletin("check", "abc")
    assert result.returncode == 2
    assert "'abc' is not a year: write four digits, such as 2020" in result.stderr
    assert "file not found" not in result.stderr


def test_missing_year_file_exits_1() -> None:
    result = bulletin("check", "1999")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "data/1999.yaml:1:1: file not found (check the year or the path)\n1 problem found.\n"
    )


def test_missing_data_folder_reports_every_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "2020", "--data", str(tmp_path / "none")])
    assert result.exit_code == 1
    for name in ("bulletin.yaml", "mechanisms.yaml", "2020.yaml"):
        assert f"{tmp_path / 'none' / name}:1:1: file not found" in result.output
    assert result.output.endswith("3 problems found.\n")


def test_an_internal_error_exits_3_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(generator.checking, "check", broken)
    result = CliRunner().invoke(main, ["check", "2020"])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.output
    assert "run with --debug" in result.output
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback_of_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(generator.checking, "check", broken)
    result = CliRunner().invoke(main, ["check", "2020", "--debug"])
    assert result.exit_code == 3
    assert "Traceback" in result.output
    assert "RuntimeError: boom" in result.output


def test_check_refuses_a_character_the_layout_fonts_cannot_draw(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    year = (data / "2020.yaml").read_text(encoding="utf-8")
    lines = year.splitlines()
    line = lines.index("      place: Rabat, Morocco") + 1
    (data / "2020.yaml").write_text(
        year.replace("place: Rabat, Morocco", "place: Rabat 🙂", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", "2020", "--data", str(data)])
    assert result.exit_code == 1
    assert f"2020.yaml:{line}:14: events.5+5[1].place: character '🙂' (U+1F642" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("typed", ["large-print/", "./large-print", "large-print//"])
def test_a_layout_name_as_the_shell_completes_it_names_the_layout(
    typed: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = bulletin("build", "2020", "--layout", typed, "--format", "pdf", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["iscm-highlights-2020-large-print.pdf"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", [["check", "2020"], ["new", "2031", "--data", "{tmp}"]])
def test_a_full_standard_output_is_said_not_a_bug(command: list[str], tmp_path: Path) -> None:
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    assert "cannot print any more: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
