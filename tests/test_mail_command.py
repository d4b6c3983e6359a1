"""`bulletin mail YEAR`: the .eml written, the screen PDF built when missing or stale."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import textwrap
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import DATA, ROOT, real_client


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def mail(data: Path, out: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["mail", "2020", "--data", str(data), "--output", str(out), *args]
    )
    return result.exit_code, result.output


def read(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_the_pdf_is_built_when_missing_and_again_when_stale(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = mail(data, out)
    assert code == 0, output
    pdf, eml = out / "iscm-highlights-2020.pdf", out / "iscm-highlights-2020.eml"
    assert "building  iscm-highlights-2020.pdf (missing)" in output
    assert f"wrote     {eml}" in output
    (attachment,) = list(read(eml).iter_attachments())
    assert attachment.get_content() == pdf.read_bytes()
    built = pdf.stat().st_mtime_ns

    code, output = mail(data, out)  # fresh: not built again
    assert code == 0 and "building" not in output
    assert pdf.stat().st_mtime_ns == built

    year_file = data / "2020.yaml"
    year_file.write_text(year_file.read_text().replace("ADD-Tagung", "ADD-Tagung"), "utf-8")
    later = built / 1e9 + 10
    os.utime(year_file, (later, later))
    code, output = mail(data, out)
    assert code == 0, output
    assert f"building  iscm-highlights-2020.pdf (older than {year_file})" in output
    assert pdf.stat().st_mtime_ns > built
    (attachment,) = list(read(eml).iter_attachments())
    assert attachment.get_content() == pdf.read_bytes()


def test_a_stale_pdf_is_never_sent_even_if_the_data_changed_its_text(
    data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert mail(data, out)[0] == 0
    year_file = data / "2020.yaml"
    text = year_file.read_text("utf-8")
    assert "Technical Experts' Meeting" in text
    year_file.write_text(text.replace("Technical Experts' Meeting", "Technical Experts' Forum"))
    later = (out / "iscm-highlights-2020.pdf").stat().st_mtime + 10
    os.utime(year_file, (later, later))
    assert mail(data, out)[0] == 0
    message = read(out / "iscm-highlights-2020.eml")
    (attachment,) = list(message.iter_attachments())
    pdf = tmp_path / "sent.pdf"
    pdf.write_bytes(attachment.get_content())
    pdftotext = real_client("pdftotext")
    shown = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Technical Experts' Forum" in " ".join(shown.split())
    assert "Technical Experts' Forum" in message.get_body(("plain",)).get_content()


def test_with_a_link_no_pdf_is_needed(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = mail(data, out, "--link", "https://www.iom.int/highlights-2020.pdf")
    assert code == 0, output
    assert "building" not in output and not (out / "iscm-highlights-2020.pdf").exists()
    message = read(out / "iscm-highlights-2020.eml")
    assert list(message.iter_attachments()) == []
    assert "https://www.iom.int/highlights-2020.pdf" in message.get_body(("plain",)).get_content()


def test_mail_settings_are_checked_where_written(data: Path, tmp_path: Path) -> None:
    settings = data / "bulletin.yaml"
    settings.write_text(settings.read_text().replace("  from: grcp@iom.int", "  from: grcp"))
    code, output = mail(data, tmp_path / "out")
    assert code == 1
    line = next(
        n for n, text in enumerate(settings.read_text().splitlines(), 1) if "from: grcp" in text
    )
    assert f"{settings}:{line}:9: mail.from: 'grcp' is not an e-mail address" in output
    assert not (tmp_path / "out").exists()


def test_the_draft_in_another_layout(data: Path, tmp_path: Path) -> None:
    """Another layout's message: its own name, its own screen PDF, its sizes."""
    out = tmp_path / "out"
    code, output = mail(data, out, "--layout", "large-print")
    assert code == 0, output
    assert "building  iscm-highlights-2020-large-print.pdf (missing)" in output
    message = read(out / "iscm-highlights-2020-large-print.eml")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "iscm-highlights-2020-large-print.pdf"
    assert attachment.get_content() == (out / "iscm-highlights-2020-large-print.pdf").read_bytes()
    assert "font-size:21px" in message.get_body(("html",)).get_content()
    assert not (out / "iscm-highlights-2020.pdf").exists()


def test_check_and_help_do_not_import_the_mail_modules() -> None:
    code = textwrap.dedent(
        """
        import sys
        from generator.cli import main

        for args in (["--help"], ["check", "2020"], ["mail", "--help"]):
            sys.argv = ["bulletin", *args]
            try:
                main()
            except SystemExit as exit:
                assert exit.code == 0, (args, exit.code)
        heavy = ("smtplib", "aiosmtpd", "generator.mail", "generator.writers.email")
        print("LOADED", sorted(m for m in sys.modules if m.startswith(heavy)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout
