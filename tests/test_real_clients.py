"""The real programs the checks read the outputs with: an older LibreOffice than the checks
need is told apart from a missing one, never used."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import libreoffice_major, real_client


def _soffice(folder: Path, version: str) -> Path:
    """A stand-in `soffice` that tells this version."""
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\necho 'LibreOffice {version} 40(Build:2)'\n")
    program.chmod(0o755)
    return program


def test_an_older_libreoffice_is_skipped_with_its_version_and_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BULLETIN_REAL_CLIENTS", raising=False)
    old = _soffice(tmp_path, "7.4.7.2")
    with pytest.raises(pytest.skip.Exception, match=r"LibreOffice 7 found .*24\.2 or later"):
        real_client(str(old))


def test_an_older_libreoffice_fails_where_ci_requires_the_real_clients(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BULLETIN_REAL_CLIENTS", "1")
    old = _soffice(tmp_path, "7.4.7.2")
    with pytest.raises(pytest.fail.Exception, match="LibreOffice 7 found"):
        real_client(str(old))


def test_a_libreoffice_recent_enough_is_used(tmp_path: Path) -> None:
    recent = _soffice(tmp_path, "25.2.3.2")
    assert libreoffice_major(str(recent)) == 25
    assert real_client(str(recent)) == str(recent)
