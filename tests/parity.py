"""The page-count survey: `make parity` (`python -m tests.parity`) builds many generated
issues, converts their Word files in one LibreOffice run, and lists those whose rendering
has another page count than the screen PDF (LibreOffice 24.2 or later stands in for Word
here: it breaks justified lines as Word 2013 and later do).

Families (by name prefix): `gen` (tests/generated.py's `documents`, random mechanisms and
event counts), `bd` (`bulletin_data`), `feat`/`lpfeat` (the 2020 issue resampled, in the
iscm and large-print layouts), `ed`/`lped` (tests/edited.py's issues), `addr` (edited,
with long addresses). `--seed` draws another set; `--family` keeps one; `--count` sets how
many of each. The files stay in `--out` (default output/parity) to look at."""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import yaml

from generator.build import build
from tests.completeness import libreoffice_pdfs
from tests.conftest import DATA, LIBREOFFICE_AT_LEAST, libreoffice_major
from tests.edited import edited, with_addresses
from tests.generated import YEAR_FILE, bulletin_data, documents, resampled, write_data

Case = tuple[str, Callable[[], dict[str, Any]], str]
"""A case's name, what makes its data, and its layout."""


def cases(seed: int, count: int, family: str | None) -> Iterator[Case]:
    """`count` cases of each family (of `family` only, if given), drawn from `seed`."""
    rng = random.Random(seed)
    source = {n: yaml.safe_load((DATA / n).read_text()) for n in ("bulletin.yaml", YEAR_FILE)}
    source["mechanisms.yaml"] = yaml.safe_load((DATA / "mechanisms.yaml").read_text())
    for name, draw in FAMILIES.items():
        for _ in range(count):
            found = draw(rng, source)
            if family in (None, name):
                yield found


def _gen(rng: random.Random, source: dict[str, Any]) -> Case:
    seed, counts = rng.randrange(10**6), [rng.randint(1, 6) for _ in range(rng.randint(1, 12))]
    presence = rng.choice([0.0, 0.3, None])
    return f"gen{seed}", lambda: documents(random.Random(seed), counts, presence=presence), "iscm"


def _bd(rng: random.Random, source: dict[str, Any]) -> Case:
    seed, mechanisms, events = rng.randrange(10**6), rng.randint(1, 10), rng.randint(1, 6)
    return (
        f"bd{seed}-m{mechanisms}-e{events}",
        lambda: bulletin_data(seed, mechanisms, events),
        "iscm",
    )


def _resampled(layout: str, most: int) -> Callable[[random.Random, dict[str, Any]], Case]:
    def draw(rng: random.Random, source: dict[str, Any]) -> Case:
        seed, events = rng.randrange(10**6), rng.randint(4, most)
        prefix = "feat" if layout == "iscm" else "lpfeat"
        return (
            f"{prefix}{seed}-e{events}",
            lambda: resampled(random.Random(seed), source, events),
            layout,
        )

    return draw


def _edited(layout: str, addresses: bool) -> Callable[[random.Random, dict[str, Any]], Case]:
    def draw(rng: random.Random, source: dict[str, Any]) -> Case:
        seed, events = rng.randrange(10**6), rng.randint(6, 55)
        feature, long_names = rng.random() < 0.7, rng.random() < 0.3 and layout == "iscm"
        length, share = rng.choice([0.8, 1.0, 1.3, 1.5]), rng.choice([0.1, 0.3, 0.5])
        prefix = ("addr" if addresses else "ed") if layout == "iscm" else "lped"

        def data() -> dict[str, Any]:
            made = edited(source, seed, events, feature, long_names, length)
            return with_addresses(made, seed, share) if addresses else made

        return f"{prefix}{seed}-e{events}", data, layout

    return draw


FAMILIES = {
    "gen": _gen,
    "bd": _bd,
    "feat": _resampled("iscm", 110),
    "lpfeat": _resampled("large-print", 45),
    "ed": _edited("iscm", False),
    "lped": _edited("large-print", False),
    "addr": _edited("iscm", True),
}


def survey(found: list[Case], out: Path, soffice: str) -> list[tuple[str, int, int]]:
    """Build each case into `out`, convert the Word files in LibreOffice; each case's name,
    the PDF's page count and LibreOffice's."""
    pdfs, words = {}, []
    for name, data, layout in found:
        folder = write_data(out / "data" / name, data())
        pdf, word = build(
            folder, "2020", layout, out / "built" / name, ("pdf", "docx"), lambda _: None
        )
        pdfs[name] = pdf.path
        words.append(Path(shutil.copy(word.path, out / "docx" / f"{name}.docx")))
    for start in range(0, len(words), 50):  # one run holds a few dozen files well
        libreoffice_pdfs(words[start : start + 50], out / "libreoffice", soffice)
    return [(n, _pages(p), _pages(out / "libreoffice" / f"{n}.pdf")) for n, p in pdfs.items()]


def _pages(pdf: Path) -> int:
    return len(pypdf.PdfReader(pdf).pages)


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make parity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--family", choices=sorted(FAMILIES))
    parser.add_argument("--out", type=Path, default=Path("output/parity"))
    options = parser.parse_args(arguments)
    soffice = shutil.which("soffice")
    if soffice is None:
        print("make parity needs LibreOffice (soffice) on the PATH", file=sys.stderr)
        return 2
    major = libreoffice_major(soffice)
    if major is not None and major < LIBREOFFICE_AT_LEAST:
        print(f"make parity needs LibreOffice 24.2 or later, not {major}", file=sys.stderr)
        return 2
    shutil.rmtree(options.out, ignore_errors=True)
    (options.out / "docx").mkdir(parents=True)
    (options.out / "libreoffice").mkdir()
    found = list(cases(options.seed, options.count, options.family))
    apart = [r for r in survey(found, options.out, soffice) if r[1] != r[2]]
    for name, pdf, libreoffice in apart:
        print(f"{name}: PDF {pdf} pages, LibreOffice {libreoffice}")
    print(f"{len(apart)} of {len(found)} issues with another page count in LibreOffice")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
