"""`bulletin check` on broken copies of a year file: one file per kind of error, in tests/cases/.

Each case is a complete small year file with exactly one error or one warning. Its first line
says what the command must print, as `# expect: <line>:<column>: <key.path>: <message start>`
(file-level errors have no key path; a warning reads `<line>:<column>: warning: ...`), or
`# expect: ok` for the control case that must pass. A second
line `# bug: <reason>` marks a case that shows a known bug (a strict xfail).

The cases run as real subprocesses (`python -m generator check 2020 --data <tmp>`), all
started at once, so that the exit code and the absence of a traceback are checked for real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.layout
from generator.cli import main
from generator.errors import BulletinError
from generator.kinds.iscm.validate import load_issue

from .conftest import DATA, ROOT

CASES = ROOT / "tests" / "cases"


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expect: str
    bug: str | None


def read_case(path: Path) -> Case:
    lines = path.read_bytes().split(b"\n")
    first = lines[0].decode("ascii")
    assert first.startswith("# expect: "), f"{path.name}: the first line must be '# expect: ...'"
    second = lines[1].decode("ascii", errors="replace") if len(lines) > 1 else ""
    bug = second.removeprefix("# bug: ") if second.startswith("# bug: ") else None
    return Case(path.stem, path, first.removeprefix("# expect: "), bug)


ALL_CASES = [read_case(p) for p in sorted(CASES.glob("*.yaml"))]
WARNED = [c for c in ALL_CASES if ": warning: " in c.expect]
BROKEN = [c for c in ALL_CASES if c.expect != "ok" and c not in WARNED]


def case_param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {case.bug}")] if case.bug else []
    return pytest.param(case, id=case.name, marks=marks)


@dataclass(frozen=True)
class Run:
    shown: str
    returncode: int
    stdout: str
    stderr: str


def shown_path(path: Path) -> str:
    """The year file as the command names it (relative to its working folder, ROOT, if inside)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def data_copy(folder: Path, year_bytes: bytes) -> Path:
    """A data folder: the real settings and registry, and the given bytes as 2020.yaml."""
    folder.mkdir(parents=True)
    shutil.copy(DATA / "bulletin.yaml", folder / "bulletin.yaml")
    shutil.copy(DATA / "mechanisms.yaml", folder / "mechanisms.yaml")
    (folder / "2020.yaml").write_bytes(year_bytes)
    return folder


def check_process(folder: Path, *options: str) -> Run:
    """`python -m generator check 2020 --data <folder>`, run from the repository."""
    command = [sys.executable, "-m", "generator", "check", "2020", "--data", str(folder), *options]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    return Run(shown_path(folder / "2020.yaml"), result.returncode, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Run `check 2020` on every case, as many processes at a time as there are CPUs."""
    base = tmp_path_factory.mktemp("cases")
    folders = {case.name: data_copy(base / case.name, case.path.read_bytes()) for case in ALL_CASES}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(folders, pool.map(check_process, folders.values()), strict=True))


def test_there_are_cases_for_every_kind_of_error() -> None:
    names = {case.name for case in BROKEN}
    kinds = {
        "unknown_key",
        "duplicate_key",
        "missing_field",
        "wrong_type",
        "invalid_date",
        "date_outside_year",
        "unknown_mechanism",
        "url_javascript",
        "url_file",
        "control_character",
        "not_utf8",
        "syntax_error",
        "empty",
        "alias",
        "note_without_events",
        "range_backwards",
        "unknown_mechanism_not_close",
        "mechanism_at_column_one",
        "issue_roman",
        "date_day_first",
        "dates_with_comma",
        "colon_in_text",
        "mechanism_by_its_name",
    }
    assert kinds <= names
    assert len(BROKEN) >= 12


def test_the_control_case_passes(runs: dict[str, Run]) -> None:
    """The cases are this file with one change each: it must itself be valid."""
    run = runs["valid"]
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout.startswith(f"{run.shown}: ok\n")
    assert "mechanisms     3 with events" in run.stdout


@pytest.mark.parametrize("case", [case_param(c) for c in WARNED])
def test_warning_case_is_located_and_not_fatal(case: Case, runs: dict[str, Run]) -> None:
    run = runs[case.name]
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{run.shown}: ok\n")
    assert run.stderr.splitlines() == [f"{run.shown}:{case.expect}"]  # one warning, in full


def test_strict_makes_a_warning_an_error(tmp_path: Path) -> None:
    case = next(c for c in WARNED if c.name == "warning_row_without_events")
    folder = data_copy(tmp_path / "data", case.path.read_bytes())
    run = check_process(folder, "--strict")
    assert run.returncode == 1, run.stderr
    assert run.stdout == ""
    assert run.stderr.splitlines() == [f"{run.shown}:{case.expect}", "1 problem found."]


def test_there_is_a_case_for_every_kind_of_warning() -> None:
    names = {case.name for case in WARNED}
    assert names >= {
        "warning_other_year",
        "warning_row_without_events",
        "warning_events_in_no_row",
        "warning_empty_section",
    }


@pytest.mark.parametrize("case", [case_param(c) for c in BROKEN])
def test_broken_case_is_located(case: Case, runs: dict[str, Run]) -> None:
    run = runs[case.name]
    assert "Traceback" not in run.stderr
    assert run.returncode == 1, run.stderr
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    expected = f"{run.shown}:{case.expect}"
    assert any(line.startswith(expected) for line in lines), (expected, run.stderr)
    assert lines[-1] == "1 problem found.", run.stderr  # exactly one error in each case
    assert len(lines) == 2, run.stderr  # one line for the problem, one for the count


def test_every_case_has_exactly_one_error_in_a_valid_file() -> None:
    """The case files differ from valid.yaml by a few lines only (one error each)."""
    valid = (CASES / "valid.yaml").read_bytes().split(b"\n")[1:]
    for case in BROKEN + WARNED:
        if case.name == "empty":
            continue
        lines = case.path.read_bytes().split(b"\n")[2 if case.bug else 1 :]
        changed = set(lines) ^ set(valid)
        assert 1 <= len(changed) <= 5, (case.name, changed)


# -- the other files of an issue, and several problems at once (in process: fast) -----------


def issue_problems(folder: Path) -> list[str]:
    with pytest.raises(BulletinError) as caught:
        load_issue(folder, "2020")
    return [str(problem) for problem in caught.value.problems]


def registry_with_typo(tmp_path: Path) -> tuple[Path, int]:
    """A data copy whose registry misspells `acronym` under ADD; the file and that line."""
    folder = data_copy(tmp_path / "data", (CASES / "valid.yaml").read_bytes())
    registry = folder / "mechanisms.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("  acronym: ADD\n", "  acronim: ADD\n"), encoding="utf-8")
    return folder, text.splitlines().index("  acronym: ADD") + 1


def test_a_typo_in_the_registry_is_an_error(tmp_path: Path) -> None:
    folder, line = registry_with_typo(tmp_path)
    expected = (
        f"{shown_path(folder / 'mechanisms.yaml')}:{line}:3: ADD.acronim: unknown key 'acronim' "
        "(did you mean 'acronym'?)"
    )
    assert expected in issue_problems(folder)


def test_a_typo_in_the_registry_does_not_make_every_mechanism_unknown(tmp_path: Path) -> None:
    folder, _ = registry_with_typo(tmp_path)
    problems = issue_problems(folder)
    assert [p for p in problems if "unknown mechanism" in p] == []
    assert len(problems) == 1, problems


def test_a_registry_that_cannot_be_read_checks_no_mechanism(tmp_path: Path) -> None:
    folder = data_copy(tmp_path / "data", (CASES / "valid.yaml").read_bytes())
    (folder / "mechanisms.yaml").write_text("ADD: {name: Abu Dhabi Dialogue\n", encoding="utf-8")
    problems = issue_problems(folder)
    assert len(problems) == 1, problems
    assert "mechanisms.yaml:1:6: not valid YAML" in problems[0]


def test_the_locale_may_be_written_with_a_hyphen(tmp_path: Path) -> None:
    folder = data_copy(tmp_path / "data", (CASES / "valid.yaml").read_bytes())
    settings = folder / "bulletin.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("locale: en_GB", "locale: en-GB"), encoding="utf-8")
    assert load_issue(folder, "2020").settings.locale == "en_GB"


def test_the_summary_counts_one_row_as_a_row(runs: dict[str, Run]) -> None:
    lines = runs["valid"].stdout.splitlines()
    assert "  initiatives    0 rows" in lines
    assert "  thematic areas 1 row" in lines


def test_a_bad_email_in_the_settings_is_located(tmp_path: Path) -> None:
    folder = data_copy(tmp_path / "data", (CASES / "valid.yaml").read_bytes())
    settings = folder / "bulletin.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("grcp@iom.int", "grcp at iom.int", 1), encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "email:" in row)
    problems = issue_problems(folder)
    assert problems == [
        f"{shown_path(settings)}:{line}:10: publisher.email: 'grcp at iom.int' is not an "
        "e-mail address: an email address must have an @-sign "
        "(write the address alone, as name@example.org)"
    ]


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (CASES / "valid.yaml").read_text(encoding="utf-8")
    text = text.replace("dates: 2020-06-30", "dates: 2020-06-31")
    text = text.replace("mechanism: Bali", "mechanism: Bail")
    folder = data_copy(tmp_path / "data", text.encode("utf-8"))
    settings = folder / "bulletin.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("subject:", "subjet:"), encoding="utf-8"
    )
    problems = issue_problems(folder)
    assert len(problems) == 4, problems  # subjet unknown, subject missing, bad date, bad key
    assert any("bulletin.yaml" in p and "unknown key 'subjet'" in p for p in problems)
    assert any("bulletin.yaml" in p and "required key 'subject' is missing" in p for p in problems)
    assert any("2020.yaml:17:14: events.OCAM[1].dates: not a date" in p for p in problems)
    assert any(
        "2020.yaml:29:16: publications[1].mechanism: unknown mechanism" in p for p in problems
    )


def test_an_unknown_locale_is_located_not_a_traceback(tmp_path: Path) -> None:
    folder = data_copy(tmp_path / "data", (CASES / "valid.yaml").read_bytes())
    settings = folder / "bulletin.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("locale: en_GB", "locale: en_XX"), encoding="utf-8")
    line = text.splitlines().index("locale: en_GB") + 1
    result = check_process(folder)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert f"{shown_path(settings)}:{line}:9: locale: unknown locale 'en_XX'" in result.stderr


# -- a broken layout: located in the layout's own file -------------------------------------


def layouts_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of layouts/ that generator.layout reads instead of the repository's."""
    folder = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", folder)
    monkeypatch.setattr(generator.layout, "LAYOUTS", folder)
    return folder


def test_a_layout_error_stops_the_build_with_its_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout_file = layouts_copy(tmp_path, monkeypatch) / "iscm" / "layout.yaml"
    lines = layout_file.read_text(encoding="utf-8").splitlines()
    start = lines.index("  Event:")
    line = next(i for i in range(start, len(lines)) if lines[i] == "    parent: Body") + 1
    lines[line - 1] = "    parent: Bdoy"
    layout_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"

    result = CliRunner().invoke(
        main, ["build", "2020", "--data", str(DATA), "--output", str(out)], catch_exceptions=False
    )

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    expected = f"{shown_path(layout_file)}:{line}:13: styles.Event.parent: no style 'Bdoy'"
    assert expected in result.output
    assert "nothing was written" in result.output
    assert not out.exists() or not any(out.iterdir())
