"""The e-mail channel's test fixtures (found by the root conftest through pytest_plugins):
a real IMAP server (Debian's dovecot) and a real SMTP server (aiosmtpd), each on a free port
of 127.0.0.1, started for the test session and stopped after it.

Without dovecot the IMAP tests are skipped with the reason, so the test command works on a
fresh machine; with CI=true they fail instead (.ci/run installs dovecot-imapd).
"""

from __future__ import annotations

import grp
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
MAILBOX = "servicedesk@itfabrik.test"
USERS = 500  # mailboxes per test session, one per test that asks for one


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    text = log.read_text() if log.exists() else ""
    raise RuntimeError(f"dovecot did not start on port {port}:\n{text[-2000:]}")


def _need_dovecot() -> None:
    if Path(DOVECOT).exists():
        return
    reason = (
        "dovecot not found: the IMAP tests need Debian's dovecot "
        "(`apt-get install -y dovecot-imapd`)."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " CI must run them (.ci/run installs it).")
    pytest.skip(reason)


def _accounts() -> tuple[str, str, str, int, int]:
    """(login user, internal user, internal group, mail uid, mail gid). As root: Debian's
    dovenull and dovecot; as anyone else: oneself for all of them."""
    if os.geteuid() == 0:
        dovecot = pwd.getpwnam("dovecot")
        return (
            "dovenull",
            "dovecot",
            grp.getgrgid(dovecot.pw_gid).gr_name,
            dovecot.pw_uid,
            dovecot.pw_gid,
        )
    me = pwd.getpwuid(os.getuid())
    return me.pw_name, me.pw_name, grp.getgrgid(me.pw_gid).gr_name, me.pw_uid, me.pw_gid


class Dovecot:
    """One dovecot for the session; each test gets a mailbox user of its own."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="itfabrik-dovecot-"))
        os.chmod(self.dir, 0o755)  # the mail processes run as the dovecot user
        self.port = _free_port()
        # Every mailbox user is written before the start: dovecot notices a changed passwd-file
        # only by its modification time, too coarse for users added a moment apart.
        self.users = self.dir / "users"
        self.accounts = [
            (f"box{n}@itfabrik.test", f"pw-{os.urandom(6).hex()}") for n in range(1, USERS + 1)
        ]
        self.users.write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.accounts))
        login, internal, group, uid, gid = _accounts()
        self.uid, self.gid = uid, gid
        (self.dir / "mail").mkdir()
        os.chown(self.dir / "mail", uid, gid)
        self.conf = self.dir / "dovecot.conf"
        self.log = self.dir / "dovecot.log"
        d = self.dir
        self.conf.write_text(
            f"""base_dir = {d}/run
state_dir = {d}/state
log_path = {self.log}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%u
default_login_user = {login}
default_internal_user = {internal}
default_internal_group = {group}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.users}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
first_valid_uid = 1
first_valid_gid = 1
"""
        )
        self.proc = subprocess.Popen(
            [DOVECOT, "-c", str(self.conf), "-F"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, self.proc, self.log)
        self._numbers = itertools.count()

    def new_user(self) -> tuple[str, str]:
        return self.accounts[next(self._numbers) % USERS]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    _need_dovecot()
    server = Dovecot()
    try:
        yield server
    finally:
        server.stop()


class ImapBox:
    """A fresh mailbox on the test's dovecot, with the settings pointed at it."""

    def __init__(self, server: Dovecot, settings: Any) -> None:
        self.server = server
        self.user, self.password = server.new_user()
        settings.ITFABRIK_MAIL_IMAP_HOST = "127.0.0.1"
        settings.ITFABRIK_MAIL_IMAP_PORT = server.port
        settings.ITFABRIK_MAIL_IMAP_USER = self.user
        settings.ITFABRIK_MAIL_IMAP_PASSWORD = self.password
        settings.ITFABRIK_MAIL_IMAP_SECURITY = "none"
        settings.ITFABRIK_MAIL_IMAP_FOLDER = "INBOX"

    def connect(self) -> Any:
        import imaplib

        conn = imaplib.IMAP4("127.0.0.1", self.server.port, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        conn = self.connect()
        try:
            typ, data = conn.append(folder, None, None, raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def search(self, criteria: str, folder: str = "INBOX") -> list[bytes]:
        conn = self.connect()
        try:
            conn.select(folder)
            typ, data = conn.uid("SEARCH", criteria)
            assert typ == "OK", data
            return list(data[0].split())
        finally:
            conn.logout()

    def mark_all_unseen(self) -> None:
        conn = self.connect()
        try:
            conn.select("INBOX")
            conn.store("1:*", "-FLAGS", r"(\Seen)")
        finally:
            conn.logout()


@pytest.fixture
def imap_box(dovecot_server: Dovecot, mail_settings: Any) -> ImapBox:
    return ImapBox(dovecot_server, mail_settings)


class SmtpSink:
    """A real SMTP server (aiosmtpd) keeping what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []
        self._lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                msg = message_from_bytes(envelope.original_content, policy=policy.default)
                with sink._lock:
                    sink.messages.append(msg)  # type: ignore[arg-type]
                    sink.envelopes.append(envelope)
                return "250 OK"

        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def smtp_server(smtp_sink: SmtpSink, settings: Any) -> SmtpSink:
    """Django's SMTP backend pointed at the real SMTP server for this test."""
    smtp_sink.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    return smtp_sink


@pytest.fixture
def mail_settings(settings: Any, demo: Any) -> Any:
    """The mailbox of the demo cooperation's service desk."""
    settings.ITFABRIK_MAIL_ADDRESS = MAILBOX
    settings.ITFABRIK_MAIL_MESSAGE_ID_DOMAIN = ""
    settings.ITFABRIK_MAIL_COOPERATION = demo.cooperation.slug
    settings.ITFABRIK_MAIL_UNKNOWN_SENDER = "refuse"
    settings.ITFABRIK_MAIL_CLOSED_REPLY = "reopen"
    settings.ITFABRIK_MAIL_RATE_LIMIT = 20
    settings.ITFABRIK_MAIL_RATE_WINDOW = 60
    return settings


_counter = itertools.count(1)


def make_mail(
    *,
    sender: str = "anvandare-fargelanda@itfabrik.example",
    subject: str = "Skrivaren på plan 2 skriver inte ut",
    body: str = "Hej! Skrivaren har stannat.\n\nMvh Fia",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
) -> bytes:
    """An RFC 822 message as a mail client would send it."""
    msg = EmailMessage()
    msg["From"] = f"Fia <{sender}>" if "fargelanda" in sender else sender
    msg["To"] = MAILBOX
    msg["Subject"] = subject
    msg["Date"] = "Mon, 02 Mar 2026 09:00:00 +0100"
    msg["Message-ID"] = message_id or f"<m{next(_counter)}.{os.urandom(4).hex()}@klient.example>"
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    for filename, ctype, data in attachments:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()
