"""The SMTP connection: encryption required off this machine, credentials from the environment.

Plain SMTP is allowed only to a server on this machine (loopback): elsewhere the connection
is encrypted from the start (`--ssl`, port 465) or upgraded with STARTTLS before anything is
said about the sender, the recipients or the login; a server that offers no STARTTLS is left.
"""

from __future__ import annotations

import ipaddress
import os
import smtplib
import ssl
from dataclasses import dataclass

from ..errors import BulletinError, Problem

USER = "BULLETIN_SMTP_USER"
PASSWORD = "BULLETIN_SMTP_PASSWORD"
KEYRING_SERVICE = "bulletin-smtp"
TIMEOUT = 60.0


@dataclass(frozen=True)
class Server:
    """Where to send: host, port, and how the connection is protected."""

    host: str
    port: int
    implicit_tls: bool = False
    plain: bool = False

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


class Refused(Exception):
    """The server refused this message for good (a 5xx reply): other recipients may still go."""


class SenderRefused(Refused):
    """The server refused the sender (a 5xx reply to MAIL FROM): every message would be."""


class Temporary(Exception):
    """A failure worth trying again: a 4xx reply, a dropped or failed connection, a timeout."""


class Unreachable(Temporary):
    """The server could not be reached (connection refused, name unknown, timeout)."""


def usage(message: str, hint: str) -> BulletinError:
    return BulletinError([Problem("bulletin mail", 1, 1, "", message, hint)])


def parse_server(value: str, implicit_tls: bool, plain: bool) -> Server:
    """'smtp.example.org', 'smtp.example.org:2525', '[::1]:25'; the default port is 465 with
    --ssl, else 587 (submission)."""
    host, port = value, ""
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.removeprefix(":")
    elif value.count(":") == 1:
        host, port = value.split(":")
    if not host or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        raise ValueError(f"'{value}' is not HOST or HOST:PORT")
    default = 465 if implicit_tls else 587
    return Server(host, int(port) if port else default, implicit_tls, plain)


def is_loopback(host: str) -> bool:
    """Whether the host is this machine: 'localhost' or a loopback address (no name lookup)."""
    if host.casefold() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_security(server: Server) -> None:
    """Refuse, before any connection, what would send mail or a password in the clear."""
    if server.plain and server.implicit_tls:
        raise usage("--plain and --ssl exclude each other", "choose one")
    if server.plain and not is_loopback(server.host):
        raise usage(
            f"plain SMTP to {server.host} would send the messages unencrypted; refused",
            "leave out --plain (STARTTLS is used), or use --ssl for port 465; plain SMTP is "
            "only for a server on this machine (localhost)",
        )


def tls_context() -> ssl.SSLContext:
    """Verify the server's certificate and name against the system's authorities."""
    return ssl.create_default_context()


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


def credentials() -> Credentials | None:
    """The login from BULLETIN_SMTP_USER and BULLETIN_SMTP_PASSWORD (or the system keyring);
    None when no user is set (a relay that needs no login)."""
    user = os.environ.get(USER, "").strip()
    if not user:
        return None
    password = os.environ.get(PASSWORD) or _keyring_password(user)
    if not password:
        raise usage(
            f"{USER} is set but no password was found",
            f"set {PASSWORD}, or store it in the system keyring under the service "
            f"'{KEYRING_SERVICE}' and the user name",
        )
    return Credentials(user, password)


def _keyring_password(user: str) -> str | None:
    try:
        import keyring  # optional: pip install keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # a keyring without a backend, or locked: as if no password were stored
        return None


class Connection:
    """One SMTP session, opened on first use and again after it drops."""

    def __init__(self, server: Server, login: Credentials | None, loopback: bool) -> None:
        self.server = server
        self.login = login
        self.loopback = loopback
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.smtp is not None:
            return self.smtp
        server = self.server
        context = tls_context()
        try:
            if server.implicit_tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=TIMEOUT, context=context
                )
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
            smtp.ehlo()
            if not server.implicit_tls and not server.plain:
                self._starttls(smtp, context)
            if self.login:
                self._authenticate(smtp)
        except (OSError, smtplib.SMTPException) as error:
            if isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500:
                raise usage(
                    f"the server {server} refused the session: {_reply(error)}", ""
                ) from None
            raise Unreachable(f"cannot connect to {server}: {_describe(error)}") from None
        self.smtp = smtp
        return smtp

    def _starttls(self, smtp: smtplib.SMTP, context: ssl.SSLContext) -> None:
        if smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        elif not self.loopback:
            smtp.close()
            raise usage(
                f"the server {self.server} offers no STARTTLS: the messages would go unencrypted",
                "use the submission port (587) of a server that offers STARTTLS, or --ssl (465)",
            )

    def _authenticate(self, smtp: smtplib.SMTP) -> None:
        assert self.login is not None
        if not smtp.has_extn("auth"):
            smtp.close()
            raise usage(f"the server {self.server} offers no login", f"unset {USER} for a relay")
        try:
            smtp.login(self.login.user, self.login.password)
        except smtplib.SMTPAuthenticationError as error:
            smtp.close()
            raise usage(
                f"the server {self.server} refused the login: {_reply(error)}",
                f"check {USER} and {PASSWORD}",
            ) from None

    def deliver(self, sender: str, recipient: str, message: bytes, utf8: bool) -> str:
        """Send one message to one recipient; return the server's reply to it.

        Raises Refused for a 5xx reply, Temporary for a 4xx reply or a dropped connection.
        """
        smtp = self.open()
        options = ["SMTPUTF8"] if utf8 else []
        if utf8 and not smtp.has_extn("smtputf8"):
            raise Refused("the server does not take international addresses (SMTPUTF8)")
        try:
            try:
                self._expect(smtp, smtp.mail(sender, options), (250,))
            except Refused as error:
                raise SenderRefused(f"the server refused the sender {sender}: {error}") from None
            self._expect(smtp, smtp.rcpt(recipient), (250, 251))
            code, reply = smtp.data(message)
            self._expect(smtp, (code, reply), (250,))
        except smtplib.SMTPResponseException as error:  # DATA itself refused
            self._expect(smtp, (error.smtp_code, error.smtp_error), ())
            raise  # not reached: _expect raises for every reply not listed as good
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self.close()
            raise Temporary(f"the connection dropped: {_describe(error)}") from None
        return f"{code} {_text(reply)}"

    def _expect(
        self, smtp: smtplib.SMTP, answer: tuple[int, bytes | str], good: tuple[int, ...]
    ) -> None:
        code, text = answer
        if code in good:
            return
        if code == -1 or code == 421:  # no answer, or the server is closing the session
            self.close()
            raise Temporary(f"{code} {_text(text)}".strip())
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()
        reply = f"{code} {_text(text)}"
        raise Refused(reply) if 500 <= code < 600 else Temporary(reply)

    def close(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()
        self.smtp = None


def _text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error)
    return str(error) or type(error).__name__
