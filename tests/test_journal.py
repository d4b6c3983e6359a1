"""The journal of deliveries: written at once, read back whole, one run at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import BulletinError
from generator.mail.journal import Journal


def test_deliveries_are_on_disk_at_once(tmp_path: Path) -> None:
    path = tmp_path / "out" / "issue.mail-journal.jsonl"
    with Journal(path) as journal:
        journal.record("Ann@example.org", "250 2.0.0 Ok: queued as 1", "<1@iom.int>")
        (line,) = path.read_text().splitlines()  # before the journal is closed
        entry = json.loads(line)
        assert entry["email"] == "Ann@example.org" and entry["reply"].startswith("250")
        assert entry["message_id"] == "<1@iom.int>" and entry["time"].endswith("+00:00")
    with Journal(path) as journal:
        assert journal.has("ann@example.org") and not journal.has("bob@example.org")


def test_a_line_cut_short_by_a_crash_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    good = json.dumps({"email": "ann@example.org", "reply": "250 ok"})
    path.write_text(good + "\n" + '{"email": "bob@exam', encoding="utf-8")
    with Journal(path) as journal:
        assert journal.has("ann@example.org") and not journal.has("bob@exam")
        assert not journal.has("bob@example.org")


def test_one_run_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with Journal(path), pytest.raises(BulletinError, match="another `bulletin mail`"):
        Journal(path).__enter__()
    with Journal(path):  # free again once the first run ends
        pass


def test_an_entry_after_a_cut_line_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"email": "bob@exam', encoding="utf-8")
    with Journal(path) as journal:
        journal.record("carol@example.org", "250 ok", "<2@iom.int>")
    with Journal(path) as journal:
        assert journal.has("carol@example.org")
