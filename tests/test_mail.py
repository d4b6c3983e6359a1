"""`bulletin mail --send` against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import socket
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import BulletinError
from generator.mail import issue as mailing
from generator.mail import smtp
from generator.mail.issue import Prepared
from generator.mail.sending import Outcome, Pacer
from generator.mail.smtp import Server, parse_server

from .conftest import DATA
from .smtp_server import Mailbox, smtp_server

ADDRESSES = ["ann@example.org", "bob@example.org", "carol@example.net", "dan@example.com"]
CSV = (
    "email,name\nann@example.org,Ann\nbob@example.org,Bob\ncarol@example.net,\n"
    "dan@example.com,Dan\n"
)
FAST = {"delays": (0.01, 0.02), "sleep": lambda seconds: None}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """The 2020 issue prepared once: the screen PDF built, the .eml written."""
    folder = tmp_path_factory.mktemp("built")
    return mailing.prepare(DATA, "2020", "iscm", folder, None, lambda line: None)


@pytest.fixture
def prepared(built: Prepared, tmp_path: Path) -> Prepared:
    """The prepared issue with an output folder (and so a journal) of this test's own."""
    assert built.pdf is not None
    shutil.copy2(built.pdf, tmp_path / built.pdf.name)
    return dataclasses.replace(built, out_dir=tmp_path, pdf=tmp_path / built.pdf.name)


@pytest.fixture(autouse=True)
def no_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(smtp.USER, raising=False)
    monkeypatch.delenv(smtp.PASSWORD, raising=False)


def recipients(tmp_path: Path, text: str = CSV) -> list[mailing.Recipient]:
    path = tmp_path / "recipients.csv"
    path.write_text(text, encoding="utf-8")
    return mailing.recipients(path)


def send(prepared: Prepared, where: str, listed: list, lines: list[str] | None = None) -> Outcome:
    server = parse_server(where, False, False)
    report = lines.append if lines is not None else (lambda line: None)
    return mailing.send(prepared, listed, server, report, **FAST)


def journal(prepared: Prepared) -> list[dict[str, str]]:
    return [json.loads(line) for line in prepared.journal.read_text().splitlines()]


def test_one_message_per_recipient_each_only_to_them(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as where:
        outcome = send(prepared, where, recipients(tmp_path))
    assert outcome.complete and len(outcome.sent) == 4
    assert mailbox.addresses() == ADDRESSES
    for delivery, address in zip(mailbox.delivered, ADDRESSES, strict=True):
        mail = delivery.message
        assert delivery.recipients == [address]  # the envelope names only them
        assert delivery.sender == "grcp@iom.int"
        assert [a.addr_spec for a in mail["To"].addresses] == [address]
        assert mail["Cc"] is None and mail["Bcc"] is None
        others = [a for a in ADDRESSES if a != address]
        assert not any(other.encode() in delivery.data for other in others)
        assert mail["Subject"] == "ISCM 2020 Highlights, Issue VI"
        assert mail["List-Unsubscribe"] == "<mailto:grcp@iom.int?subject=unsubscribe>"
        assert str(mail["Reply-To"]) == "grcp@iom.int"
    ids = {d.message["Message-ID"] for d in mailbox.delivered}
    assert len(ids) == 4


def test_greetings_by_name_or_neutral(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as where:
        send(prepared, where, recipients(tmp_path))
    texts = [d.message.get_body(("plain",)).get_content() for d in mailbox.delivered]
    assert "Dear Ann," in texts[0] and "Dear Bob," in texts[1]
    assert "Dear colleagues," in texts[2]
    html = mailbox.delivered[3].message.get_body(("html",)).get_content()
    assert "Dear Dan," in html


def test_the_attachment_is_the_screen_pdf_byte_for_byte(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as where:
        send(prepared, where, recipients(tmp_path, "email\nann@example.org\n"))
    (delivery,) = mailbox.delivered
    (attachment,) = list(delivery.message.iter_attachments())
    assert prepared.pdf is not None
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "iscm-highlights-2020.pdf"
    assert attachment.get_content() == prepared.pdf.read_bytes()


def test_a_refused_recipient_is_named_and_the_others_arrive(
    prepared: Prepared, tmp_path: Path
) -> None:
    mailbox = Mailbox(refuse={"bob@example.org"})
    lines: list[str] = []
    with smtp_server(mailbox) as where:
        outcome = send(prepared, where, recipients(tmp_path), lines)
    assert mailbox.addresses() == ["ann@example.org", "carol@example.net", "dan@example.com"]
    ((refused, reason),) = outcome.refused
    assert refused.email == "bob@example.org" and refused.line == 3
    assert reason.startswith("550 5.1.1")
    assert "refused   bob@example.org: 550 5.1.1 <bob@example.org>: mailbox unavailable" in lines
    assert [entry["email"] for entry in journal(prepared)] == mailbox.addresses()
    assert not outcome.complete


def test_a_dropped_connection_then_a_rerun_completes_without_duplicates(
    prepared: Prepared, tmp_path: Path
) -> None:
    listed = recipients(tmp_path)
    first = Mailbox(drop_after=2)  # two messages, then the connection drops at every message
    with smtp_server(first) as where:
        outcome = send(prepared, where, listed)
    assert first.addresses() == ADDRESSES[:2]
    assert [r.email for r, _ in outcome.failed] == ADDRESSES[2:]
    assert all("dropped" in reason for _, reason in outcome.failed)
    second = Mailbox()
    with smtp_server(second) as where:
        outcome = send(prepared, where, listed)
    assert second.addresses() == ADDRESSES[2:]
    assert [r.email for r in outcome.before] == ADDRESSES[:2] and outcome.complete
    assert Counter(first.addresses() + second.addresses()) == Counter(ADDRESSES)
    third = Mailbox()
    with smtp_server(third) as where:
        outcome = send(prepared, where, listed)
    assert third.delivered == [] and third.mail_commands == 0
    assert len(outcome.before) == 4 and outcome.sent == []
    assert [entry["email"] for entry in journal(prepared)] == ADDRESSES


def test_a_connection_dropped_once_is_retried(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox(drop_once_at={"bob@example.org"})
    lines: list[str] = []
    with smtp_server(mailbox) as where:
        outcome = send(prepared, where, recipients(tmp_path), lines)
    assert outcome.complete
    assert mailbox.addresses() == ADDRESSES  # bob once, after the retry
    assert any(
        line.startswith("retrying  bob@example.org: the connection dropped") for line in lines
    )


def test_temporary_refusals_are_retried_with_backoff(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox(busy=Counter({"carol@example.net": 2}))
    waits: list[float] = []
    server = parse_server("127.0.0.1:1", False, False)
    with smtp_server(mailbox) as where:
        server = parse_server(where, False, False)
        outcome = mailing.send(
            prepared,
            recipients(tmp_path),
            server,
            lambda line: None,
            None,
            (3.0, 9.0, 27.0),
            waits.append,
        )
    assert outcome.complete and mailbox.addresses() == ADDRESSES
    assert waits == [3.0, 9.0]  # two 451 replies: waited 3 s, then 9 s, then delivered


def test_a_lasting_temporary_refusal_is_reported(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox(busy=Counter({"ann@example.org": 10}))
    with smtp_server(mailbox) as where:
        outcome = send(prepared, where, recipients(tmp_path))
    ((failed, reason),) = outcome.failed
    assert failed.email == "ann@example.org" and reason.startswith("451 4.7.1")
    assert mailbox.addresses() == ADDRESSES[1:]


def test_an_unreachable_server_stops_the_run(prepared: Prepared, tmp_path: Path) -> None:
    from .smtp_server import free_port

    outcome = send(prepared, f"127.0.0.1:{free_port()}", recipients(tmp_path))
    assert [r.email for r, _ in outcome.failed] == ADDRESSES[:1]
    assert "cannot connect" in outcome.failed[0][1]
    assert [r.email for r in outcome.not_tried] == ADDRESSES[1:]
    assert not prepared.journal.read_text()


def test_ctrl_c_stops_and_a_rerun_resumes(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox()
    listed = recipients(tmp_path)
    calls = 0

    def interrupt_on_third(seconds: float) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # the pacer's wait before the third message
            raise KeyboardInterrupt

    with smtp_server(mailbox) as where:
        server = parse_server(where, False, False)
        outcome = mailing.send(
            prepared, listed, server, lambda line: None, 1.0, (0.0,), interrupt_on_third
        )
        assert outcome.interrupted
        assert [r.email for r in outcome.sent] == ADDRESSES[:2]
        assert [r.email for r in outcome.not_tried] == ADDRESSES[2:]
        outcome = send(prepared, where, listed)
    assert mailbox.addresses() == ADDRESSES
    assert [r.email for r in outcome.sent] == ADDRESSES[2:]


def test_the_rate_limit_spaces_messages() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = Pacer(30, sleep, lambda: now[0])  # 30 a minute: one every 2 s
    for spent in (0.0, 0.5, 3.0, 0.0):
        pacer.wait()
        now[0] += spent
    assert waits == [2.0, 1.5]  # none before the first, none after a slow one


def test_plain_smtp_to_another_host_is_refused_before_connecting(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    for host in ("smtp.example.org", "192.0.2.10", "[2001:db8::1]:25"):
        server = parse_server(host, False, True)
        with pytest.raises(BulletinError, match=r"plain SMTP to .* refused"):
            mailing.send(prepared, recipients(tmp_path), server, lambda line: None, **FAST)
    assert not prepared.journal.exists()


def test_plain_smtp_refused_by_the_command(prepared: Prepared, tmp_path: Path) -> None:
    (tmp_path / "recipients.csv").write_text(CSV)
    result = CliRunner().invoke(
        main,
        [
            "mail",
            "2020",
            "--data",
            str(DATA),
            "--output",
            str(prepared.out_dir),
            "--recipients",
            str(tmp_path / "recipients.csv"),
            "--smtp",
            "smtp.example.org:25",
            "--plain",
            "--send",
        ],
    )
    assert result.exit_code == 1
    assert "plain SMTP to smtp.example.org would send the messages unencrypted; refused" in (
        result.output
    )
    assert "wrote" not in result.output  # refused before any work
    assert not prepared.journal.exists()


def test_a_server_without_starttls_is_left_when_not_on_loopback(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mailing, "is_loopback", lambda host: False)  # as if it were far away
    mailbox = Mailbox()
    with smtp_server(mailbox) as where, pytest.raises(BulletinError, match="offers no STARTTLS"):
        send(prepared, where, recipients(tmp_path))
    assert mailbox.mail_commands == 0


def test_login_from_the_environment(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.smtp import AuthResult

    seen: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, data):
        seen.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret", handled=False)

    monkeypatch.setenv(smtp.USER, "editor@iom.int")
    monkeypatch.setenv(smtp.PASSWORD, "s3cret")
    mailbox = Mailbox()
    options = {"authenticator": authenticator, "auth_require_tls": False}
    with smtp_server(mailbox, **options) as where:
        outcome = send(prepared, where, recipients(tmp_path, "email\nann@example.org\n"))
    assert outcome.complete and seen == [(b"editor@iom.int", b"s3cret")]
    monkeypatch.setenv(smtp.PASSWORD, "wrong")
    with smtp_server(Mailbox(), **options) as where, pytest.raises(BulletinError, match="login"):
        send(prepared, where, recipients(tmp_path, "email\nbob@example.org\n"))


def test_a_user_without_a_password_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(smtp.USER, "editor@iom.int")
    monkeypatch.setattr(smtp, "_keyring_password", lambda user: None)
    with pytest.raises(BulletinError, match="no password"):
        smtp.credentials()


def test_send_through_the_command(prepared: Prepared, tmp_path: Path) -> None:
    listing = tmp_path / "recipients.csv"
    listing.write_text(CSV)
    mailbox = Mailbox(refuse={"carol@example.net"})
    args = ["mail", "2020", "--data", str(DATA), "--output", str(prepared.out_dir)]
    args += ["--recipients", str(listing)]
    with smtp_server(mailbox) as where:
        result = CliRunner().invoke(main, [*args, "--smtp", where, "--send"])
        assert result.exit_code == 1, result.output
        assert f"{listing}:4: carol@example.net: not delivered: 550 5.1.1" in result.output
        assert "3 sent, 0 already sent before, 1 refused" in result.output
        assert "building" not in result.output  # the PDF was fresh
        mailbox.refuse.clear()
        result = CliRunner().invoke(main, [*args, "--smtp", where, "--send"])
        assert result.exit_code == 0, result.output
        assert "1 sent, 3 already sent before" in result.output
        dry = CliRunner().invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0
    assert "dry run: 0 to send, 4 sent before" in dry.output
    assert mailbox.addresses().count("carol@example.net") == 1
    assert len(mailbox.delivered) == 4


def test_dry_run_sends_nothing(prepared: Prepared, tmp_path: Path) -> None:
    listing = tmp_path / "recipients.csv"
    listing.write_text(CSV)
    args = ["mail", "2020", "--data", str(DATA), "--output", str(prepared.out_dir)]
    result = CliRunner().invoke(main, [*args, "--recipients", str(listing), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would send ann@example.org (Ann)" in result.output
    assert "would send carol@example.net (neutral greeting)" in result.output
    assert "dry run: 4 to send, 0 sent before" in result.output
    assert not prepared.journal.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--send", "--dry-run", "--recipients", "x.csv", "--smtp", "h"],
        ["--send", "--smtp", "localhost"],  # no recipients
        ["--send", "--recipients", "x.csv"],  # no server
        ["--smtp", "host:99999"],
        ["--smtp", "host:port"],
        ["--link", "ftp://example.org/x.pdf"],
        ["--rate", "0"],
    ],
)
def test_usage_errors(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["mail", "2020", *args])
    assert result.exit_code == 2, result.output


def test_server_addresses() -> None:
    assert parse_server("smtp.example.org", False, False) == Server("smtp.example.org", 587)
    assert parse_server("smtp.example.org", True, False).port == 465
    assert parse_server("[::1]:2525", False, False) == Server("::1", 2525)
    assert str(Server("::1", 25)) == "[::1]:25"
    assert smtp.is_loopback("localhost") and smtp.is_loopback("127.0.0.2")
    assert smtp.is_loopback("::1") and not smtp.is_loopback("smtp.example.org")
    assert not smtp.is_loopback("10.0.0.1")


def test_mail_settings_default_to_the_publisher(prepared: Prepared) -> None:
    settings = prepared.issue.settings.replaced(mail=None)
    issue = dataclasses.replace(prepared.issue, settings=settings)
    options = dataclasses.replace(prepared, issue=issue).options(None)
    assert options.sender.addr_spec == "grcp@iom.int"
    assert options.sender.display_name == "International Organization for Migration"
    assert options.unsubscribe is None and options.reply_to is None


def test_no_credentials_in_files_or_arguments() -> None:
    result = CliRunner().invoke(main, ["mail", "--help"])
    assert "password" not in result.output.lower().replace("bulletin_smtp_password", "")
    assert os.environ.get(smtp.PASSWORD) is None


TLS = Path(__file__).parent / "tls" / "loopback.pem"


def test_starttls_before_the_login_and_the_addresses(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that takes nothing before STARTTLS, and a login only over TLS, as if far away."""
    import ssl

    from aiosmtpd.smtp import AuthResult

    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(TLS)
    trusting = ssl.create_default_context(cafile=str(TLS))
    monkeypatch.setattr(smtp, "tls_context", lambda: trusting)
    monkeypatch.setattr(mailing, "is_loopback", lambda host: False)
    monkeypatch.setenv(smtp.USER, "editor@iom.int")
    monkeypatch.setenv(smtp.PASSWORD, "s3cret")
    logins: list[bytes] = []

    def authenticator(server, session, envelope, mechanism, data):
        logins.append(data.password)
        return AuthResult(success=True, handled=False)

    mailbox = Mailbox()
    options = {
        "tls_context": server_tls,
        "require_starttls": True,
        "auth_require_tls": True,
        "authenticator": authenticator,
    }
    with smtp_server(mailbox, **options) as where:
        outcome = send(prepared, where, recipients(tmp_path))
    assert outcome.complete and mailbox.addresses() == ADDRESSES
    assert logins == [b"s3cret"]  # once, over TLS (the server refuses it otherwise)


def test_a_refused_sender_stops_the_run(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox(refuse_sender=True)
    with smtp_server(mailbox) as where:
        outcome = send(prepared, where, recipients(tmp_path))
    ((first, reason),) = outcome.failed
    assert first.email == ADDRESSES[0]
    assert reason == "the server refused the sender grcp@iom.int: 553 5.7.1 sender not allowed"
    assert [r.email for r in outcome.not_tried] == ADDRESSES[1:]
    assert mailbox.mail_commands == 1


def test_an_international_address(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as where:
        outcome = send(
            prepared, where, recipients(tmp_path, "email,name\njörg@bücher.example,Jörg\n")
        )
    assert outcome.complete, outcome.refused
    (delivery,) = mailbox.delivered
    assert delivery.recipients == ["jörg@bücher.example"]
    assert delivery.message["To"].addresses[0].addr_spec == "jörg@bücher.example"
    assert "Dear Jörg," in delivery.message.get_body(("plain",)).get_content()


def test_an_international_domain_goes_in_ascii(prepared: Prepared, tmp_path: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as where:
        send(prepared, where, recipients(tmp_path, "email\njoerg@bücher.example\n"))
    (delivery,) = mailbox.delivered
    assert delivery.recipients == ["joerg@xn--bcher-kva.example"]
    assert delivery.data.isascii()


def test_ssl_from_the_start(
    prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--ssl (port 465): TLS before the server's greeting, for a server as if far away."""
    import ssl

    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(TLS)
    trusting = ssl.create_default_context(cafile=str(TLS))
    monkeypatch.setattr(smtp, "tls_context", lambda: trusting)
    monkeypatch.setattr(mailing, "is_loopback", lambda host: False)
    mailbox = Mailbox()
    with smtp_server(mailbox, ssl_context=server_tls) as where:
        server = parse_server(where, True, False)
        outcome = mailing.send(prepared, recipients(tmp_path), server, lambda line: None, **FAST)
        assert outcome.complete and mailbox.addresses() == ADDRESSES


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_stop_during_a_message_waits_for_its_answer_and_records_it(
    prepared: Prepared, tmp_path: Path, signal_name: str
) -> None:
    """Ctrl-C (or SIGTERM) while the server holds the second message: that message is accepted
    and journaled, the run stops before the third, and a rerun sends only the rest."""
    import signal
    import time

    def stop_at_bob(address: str) -> None:
        if address == "bob@example.org":
            os.kill(os.getpid(), getattr(signal, signal_name))
            time.sleep(0.3)  # the signal arrives while the client waits for the answer

    mailbox = Mailbox(on_data=stop_at_bob)
    listed = recipients(tmp_path)
    with smtp_server(mailbox) as where:
        outcome = send(prepared, where, listed)
        assert outcome.interrupted
        assert [r.email for r in outcome.sent] == ADDRESSES[:2]
        assert [r.email for r in outcome.not_tried] == ADDRESSES[2:]
        assert [entry["email"] for entry in journal(prepared)] == ADDRESSES[:2]
        mailbox.on_data = None
        outcome = send(prepared, where, listed)
    assert [r.email for r in outcome.sent] == ADDRESSES[2:]
    assert mailbox.addresses() == ADDRESSES
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
