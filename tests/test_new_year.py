"""`bulletin new YEAR`: a fresh year file an editor fills in; never over an existing one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import generator.kinds.iscm.new_year
from generator.errors import BulletinError
from generator.kinds.iscm.new_year import new_year, next_issue
from generator.kinds.iscm.validate import load_issue
from tests.conftest import DATA, ROOT


def bulletin(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of data/: the settings, the registry and the 2020 issue (issue 6)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def test_new_writes_the_year_the_next_issue_and_the_whole_year(data: Path) -> None:
    result = bulletin("new", "2021", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"wrote     {data / '2021.yaml'} (issue 7, the whole of 2021" in result.stdout
    assert "bulletin check 2021" in result.stdout
    text = (data / "2021.yaml").read_text(encoding="utf-8")
    assert text.startswith("# ISCM 2021 Highlights (Issue VII), started with `bulletin new 2021`")
    issue = load_issue(data, "2021").year
    assert (issue.year, issue.issue) == (2021, 7)
    assert (str(issue.period.start), str(issue.period.end)) == ("2021-01-01", "2021-12-31")
    assert issue.events == {} and issue.notes == {} and issue.mechanisms == {}
    assert issue.features == issue.publications == issue.closing == []
    assert issue.global_initiatives == issue.thematic_areas == []
    assert "COVID-19" not in text and "High-level webinar" not in text  # nothing of 2020


def test_a_fresh_file_checks_with_one_warning(data: Path) -> None:
    bulletin("new", "2021", "--data", str(data))
    result = bulletin("check", "2021", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{data / '2021.yaml'}: ok\n")
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert ": warning: events: nothing to print yet: no events (" in lines[0]


def test_a_fresh_file_does_not_build_when_strict(data: Path, tmp_path: Path) -> None:
    bulletin("new", "2021", "--data", str(data))
    out = tmp_path / "out"
    result = bulletin("build", "2021", "--data", str(data), "--output", str(out), "--strict")
    assert result.returncode == 1, result.stderr
    assert "nothing to print yet" in result.stderr
    assert result.stderr.endswith("1 problem found; nothing was written.\n")
    assert not out.exists()


def test_the_examples_in_a_fresh_file_are_valid_when_uncommented(data: Path) -> None:
    """Remove the '# ' of the commented examples (as the file tells the editor): it checks."""
    bulletin("new", "2021", "--data", str(data))
    path = data / "2021.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line.replace("# ", "", 1) if line.startswith("  # ") else line for line in lines]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    result = bulletin("check", "2021", "--data", str(data))
    assert result.returncode == 0, result.stderr
    issue = load_issue(data, "2021").year
    assert len(issue.events["ADD"]) == 3
    assert issue.events["ADD"][1].title is None


def test_new_never_overwrites(data: Path) -> None:
    before = (data / "2020.yaml").read_bytes()
    result = bulletin("new", "2020", "--data", str(data))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{data / '2020.yaml'}:1:1: the file already exists; nothing was written" in (
        result.stderr
    )
    assert (data / "2020.yaml").read_bytes() == before


def test_new_without_the_data_folder_is_a_located_error(tmp_path: Path) -> None:
    result = bulletin("new", "2021", "--data", str(tmp_path / "none"))
    assert result.returncode == 1
    assert "no such folder" in result.stderr
    assert not (tmp_path / "none").exists()


def test_new_refuses_a_malformed_year(data: Path) -> None:
    result = bulletin("new", "21", "--data", str(data))
    assert result.returncode == 2
    assert not (data / "21.yaml").exists()


def write_issue(folder: Path, year: int, issue: str) -> None:
    (folder / f"{year}.yaml").write_text(f"year: {year}\nissue: {issue}\n", encoding="utf-8")


def test_next_issue_follows_the_latest_earlier_year(tmp_path: Path) -> None:
    write_issue(tmp_path, 2018, "4")
    write_issue(tmp_path, 2019, "5")
    assert next_issue(tmp_path, 2020) == 6
    assert next_issue(tmp_path, 2022) == 6  # the latest year's + 1: no issue in 2020, 2021
    assert next_issue(tmp_path, 2017) == 3  # before the first known year: counted back
    write_issue(tmp_path, 2020, "six")  # a file whose issue cannot be read is passed over
    assert next_issue(tmp_path, 2021) == 6


def test_next_issue_of_a_first_year_is_1(tmp_path: Path) -> None:
    assert next_issue(tmp_path, 2024) == 1


def test_a_fresh_file_builds_its_masthead_with_the_warning_after(
    data: Path, tmp_path: Path
) -> None:
    """Without --strict a fresh file builds (one page: the masthead); the summary says
    '1 page', not '1 pages', and the warning comes once the files are written."""
    bulletin("new", "2021", "--data", str(data))
    out = tmp_path / "out"
    result = bulletin("build", "2021", "--data", str(data), "--output", str(out), "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert "composed  0 sections with layout 'iscm'" in result.stdout
    assert f"wrote     {out / 'iscm-highlights-2021.pdf'} (1 page, " in result.stdout
    assert "1 pages" not in result.stdout
    assert len(result.stderr.splitlines()) == 1
    assert "warning: events: nothing to print yet" in result.stderr


def test_a_file_that_cannot_be_written_is_a_located_error(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk or a read-only folder (root writes anywhere, so the failure is made)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(generator.kinds.iscm.new_year, "open", refuse, raising=False)
    with pytest.raises(BulletinError) as caught:
        new_year(data, "2021")
    (problem,) = caught.value.problems
    assert str(problem).endswith(
        "2021.yaml:1:1: cannot write the file: Permission denied (check the folder's "
        "permissions and free space, or give another --data)"
    )
    assert not (data / "2021.yaml").exists()
