"""The benchmark: `make bench` (`python -m tests.bench`) prints a table, writes output/bench.json.

It times fresh processes of the real command (what an editor waits for), the stages of one
build in-process, and bulletins 10 and 50 times the size of 2020 made by copying its data
(same shape: more mechanisms, more events, more rows), to see whether cost grows linearly.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PAIRED_RUNS = RUNS + 2
"""Runs of each command measured against the floor: two more, the ratio is what counts."""


def command() -> list[str]:
    """The installed `bulletin` beside this Python, else `python -m generator`."""
    script = Path(sys.executable).parent / "bulletin"
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


def _run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system, of every process) and peak MB of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


FLOOR = [sys.executable, "-c", "import reportlab.platypus, docx"]
"""The import floor: a fresh Python importing ReportLab's platypus and python-docx."""


def cold(args: list[str], runs: int = RUNS, paired: bool = False) -> dict[str, float]:
    """Median wall time, CPU time (steadier than wall time on a shared machine) and peak memory
    of fresh processes running `bulletin ARGS`.

    `paired`: the import floor runs just before each run, and its median is kept with the
    result, so a target's ratio compares runs made in the same seconds (a shared machine's
    speed drifts over the minutes a whole bench takes).
    """
    times, cpu, peaks, floors = [], [], [], []
    for _ in range(runs):
        if paired:
            floors.append(_run(FLOOR)[0])
        wall, used, peak = _run([*command(), *args])
        times.append(wall)
        cpu.append(used)
        peaks.append(peak)
    result = {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "cpu_median_s": statistics.median(cpu),
        "peak_mb": max(peaks),
        "runs": runs,
    }
    if paired:
        result["floor_median_s"] = statistics.median(floors)
    return result


def floor(runs: int = RUNS) -> dict[str, float]:
    """The import floor on its own: median wall and CPU time of fresh processes."""
    times, cpu = zip(*(_run(FLOOR)[:2] for _ in range(runs)), strict=True)
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "cpu_median_s": statistics.median(cpu),
        "runs": runs,
    }


def warm_rebuild(runs: int = RUNS) -> dict[str, float]:
    """What `bulletin watch` does after a one-line data edit: a build in a warm process."""
    import shutil

    from generator.watch import Watched, rebuild

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(DATA, data)
        year = data / "2020.yaml"
        text = year.read_text(encoding="utf-8")
        watched = Watched(data, "2020", "iscm", Path(folder) / "out", ("pdf", "print", "docx"))
        said: list[str] = []
        if not rebuild(watched, said.append, [], first=True):  # the watch's first build
            raise SystemExit("\n".join(said))
        times = []
        for run in range(runs):
            edited = text.replace("partnership", f"partnership {run}", 1)
            year.write_text(edited, encoding="utf-8")
            started = time.perf_counter()
            if not rebuild(watched, said.append, [year]):
                raise SystemExit("\n".join(said))
            times.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": runs}


def stages() -> dict[str, float]:
    """Seconds per stage of one build of 2020, in this process (imports counted apart)."""
    timings: dict[str, float] = {}

    def timed(name: str, action: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = action()
        timings[name] = time.perf_counter() - started
        return result

    from generator.kinds.iscm.compose import compose
    from generator.kinds.iscm.validate import load_issue
    from generator.layout import load_layout

    issue = timed("load and validate", lambda: load_issue(DATA, "2020"))
    layout = timed("layout", lambda: load_layout("iscm"))
    document = timed("compose", lambda: compose(issue, layout))
    timed("import reportlab", lambda: __import__("generator.writers.pdf.writer"))
    timed("import python-docx", lambda: __import__("generator.writers.docx"))
    from generator.writers import Options, writer

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for key, name in (("pdf", "pdf"), ("print", "print pdf"), ("docx", "docx")):
            target = out / f"{key}{writer(key).suffix}"
            write = writer(key).write
            timed(name, lambda w=write, t=target: w(document, layout, t, Options()))
    return timings


def scaled_data(folder: Path, factor: int) -> Path:
    """The 2020 data copied `factor` times: mechanism k of copy i becomes `k-i`."""
    registry = yaml.safe_load((DATA / "mechanisms.yaml").read_text())
    year = yaml.safe_load((DATA / "2020.yaml").read_text())
    names = {
        f"{key}-{i}": {**entry, "name": f"{entry['name']} {i}"}
        for i in range(1, factor + 1)
        for key, entry in registry.items()
    }
    copy: dict[str, Any] = {**year, "events": {}, "notes": {}}
    for part in ("global_initiatives", "thematic_areas", "publications"):
        copy[part] = []
    for i in range(1, factor + 1):
        copy["events"].update({f"{k}-{i}": v for k, v in year["events"].items()})
        copy["notes"].update({f"{k}-{i}": v for k, v in year["notes"].items()})
        for part in ("global_initiatives", "thematic_areas"):
            copy[part] += [
                {**row, "mechanisms": [f"{m}-{i}" for m in row["mechanisms"]]} for row in year[part]
            ]
        copy["publications"] += [
            {**p, **({"mechanism": f"{p['mechanism']}-{i}"} if "mechanism" in p else {})}
            for p in year["publications"]
        ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bulletin.yaml").write_text((DATA / "bulletin.yaml").read_text())
    (folder / "mechanisms.yaml").write_text(yaml.dump(names, Dumper=_Dumper, allow_unicode=True))
    (folder / "2020.yaml").write_text(
        yaml.dump(copy, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    )
    return folder


class _Dumper(yaml.SafeDumper):
    """Writes shared values out in full: bulletin data refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def outputs(folder: Path) -> dict[str, Any]:
    """Size of each file of a build, and the page count of its screen PDF."""
    import pypdf

    found: dict[str, Any] = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
    screen = next(p for p in folder.iterdir() if p.name.endswith(".pdf") and "print" not in p.name)
    found["pages"] = len(pypdf.PdfReader(screen).pages)
    return found


def size_run(factor: int, work: Path) -> dict[str, Any]:
    data = scaled_data(work / f"data-{factor}", factor) if factor > 1 else DATA
    out = work / f"out-{factor}"
    timing = cold(
        ["build", "2020", "--data", str(data), "--output", str(out), "-q"],
        runs=PAIRED_RUNS if factor == 1 else max(1, RUNS // 2),
        paired=factor == 1,
    )
    files = outputs(out)
    return {"factor": factor, **timing, **files, "s_per_page": timing["median_s"] / files["pages"]}


DOCX_BEFORE = {1: 1_414_587, 10: 1_419_208, 50: 1_434_331}
"""Bytes of the .docx of each size before issue 11's work (commit 9628acd): no larger now."""


def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target of issue 11 with what was measured, its limit and whether it was met."""
    one, *_, fifty = results["sizes"]
    checks = {
        "build (x floor)": (_ratio(one), 2.0),
        "build --format pdf (x floor)": (_ratio(results["build_pdf"]), 1.6),
        "check (x floor)": (_ratio(results["check"]), 1.0),
        "watch rebuild (s)": (results["watch_rebuild"]["median_s"], 0.25),
        "50x ms per page": (fifty["s_per_page"] * 1000, 60.0),
        "50x peak MB": (fifty["peak_mb"], 200.0),
    }
    for run in results["sizes"]:
        docx = next(v for k, v in run.items() if k.endswith(".docx"))
        checks[f"{run['factor']}x .docx KB"] = (docx / 1024, DOCX_BEFORE[run["factor"]] / 1024)
    return {
        name: {"measured": value, "limit": limit, "verdict": "met" if value <= limit else "NOT met"}
        for name, (value, limit) in checks.items()
    }


def _ratio(result: dict[str, Any]) -> float:
    """A command's median wall time over the median of the floor runs made beside it."""
    return result["median_s"] / result["floor_median_s"]


def _timed(result: dict[str, Any]) -> str:
    """A median wall time, and the median CPU time of its processes."""
    return f"{result['median_s']:.3f} s (CPU {result['cpu_median_s']:.3f} s)"


def _beside(result: dict[str, Any]) -> str:
    """The floor measured beside a command's runs, where it was."""
    if "floor_median_s" not in result:
        return ""
    return f"; floor beside it {result['floor_median_s']:.3f} s"


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def main() -> None:
    results: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}
    }
    results["floor"] = floor()
    results["help"] = cold(["--help"])
    results["check"] = cold(["check", "2020"], PAIRED_RUNS, paired=True)
    results["build_pdf"] = cold(
        ["build", "2020", "--format", "pdf", "--output", "output/bench"], PAIRED_RUNS, paired=True
    )
    results["stages"] = stages()
    results["watch_rebuild"] = warm_rebuild()
    with tempfile.TemporaryDirectory() as folder:
        results["sizes"] = [size_run(factor, Path(folder)) for factor in (1, 10, 50)]
    one, *_, fifty = results["sizes"]
    results["per_page_ratio_50x"] = fifty["s_per_page"] / one["s_per_page"]
    results["targets"] = targets(results)
    rows = [
        ("import floor (reportlab.platypus, docx)", _timed(results["floor"])),
        ("bulletin --help (cold)", _timed(results["help"])),
        (
            "bulletin check 2020 (cold)",
            f"{_timed(results['check'])}, {results['check']['peak_mb']:.0f} MB"
            + _beside(results["check"]),
        ),
    ]
    rows.append(
        (
            "bulletin build 2020 --format pdf",
            _timed(results["build_pdf"]) + _beside(results["build_pdf"]),
        )
    )
    rows += [
        (f"  stage: {name}", f"{seconds:.3f} s") for name, seconds in results["stages"].items()
    ]
    rows.append(
        ("watch: rebuild after a data edit", f"{results['watch_rebuild']['median_s']:.3f} s")
    )
    for run in results["sizes"]:
        sizes = ", ".join(
            f"{k.split('-')[-1] if 'print' in k else k.rsplit('.', 1)[-1]} {v / 1024:.0f} KB"
            for k, v in run.items()
            if "." in k
        )
        rows.append(
            (
                f"build {run['factor']}x (cold, all three files)",
                f"{run['median_s']:.2f} s (CPU {run['cpu_median_s']:.2f} s), "
                f"{run['peak_mb']:.0f} MB, {run['pages']} pages, "
                f"{run['s_per_page'] * 1000:.0f} ms/page; {sizes}{_beside(run)}",
            )
        )
    rows.append(("time per page 50x / 1x", f"{results['per_page_ratio_50x']:.2f}"))
    rows += [
        (f"target: {name}", f"{t['measured']:.3f} (limit {t['limit']:.3f}) {t['verdict']}")
        for name, t in results["targets"].items()
    ]
    print(table(rows))
    target = ROOT / "output" / "bench.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2))
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
