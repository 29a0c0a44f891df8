"""Inbound mail into tickets and replies, loops and auto-replies, closed tickets, attachments,
and the outbound mails with their threading headers (Django's locmem outbox; the real IMAP and
SMTP servers are in test_imap.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail as outbox
from django.utils import timezone

from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.mailchannel import services
from itfabrik.mailchannel.choices import OutboundKind, Outcome, SendStatus
from itfabrik.mailchannel.models import InboundAttachment, InboundMessage, OutboundMessage
from itfabrik.servicedesk import services as sd_services
from itfabrik.servicedesk.models import Ticket, TicketEntry

from .fixtures import MAILBOX, make_mail

pytestmark = pytest.mark.django_db

FIA = "anvandare-fargelanda@itfabrik.example"


@pytest.fixture
def ingest(mail_settings: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """mail_ingest with the after-commit mails sent, as they are outside a test transaction."""

    def run(raw: bytes) -> InboundMessage:
        with django_capture_on_commit_callbacks(execute=True):
            return services.mail_ingest(raw=raw)

    return run


def test_a_mail_from_a_known_sender_becomes_a_ticket_with_a_receipt(ingest: Any, desk: Any) -> None:
    before = Ticket.objects.count()
    record = ingest(make_mail(message_id="<first@klient.example>"))
    assert record.outcome == Outcome.CREATED
    ticket = record.ticket
    assert Ticket.objects.count() == before + 1
    assert ticket.requester == desk.fia
    assert ticket.channel == "email"
    assert ticket.title == "Skrivaren på plan 2 skriver inte ut"
    assert "Skrivaren har stannat" in ticket.description
    assert record.path == ticket.unit.path
    [sent] = outbox.outbox
    assert sent.to == [FIA]
    assert sent.subject == f"[{ticket.reference}] Mottaget: {ticket.title}"
    assert sent.extra_headers["In-Reply-To"] == "<first@klient.example>"
    assert sent.extra_headers["References"] == "<first@klient.example>"
    assert sent.extra_headers["Message-ID"].endswith("@itfabrik.test>")
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    out = OutboundMessage.objects.get(ticket=ticket)
    assert out.kind == OutboundKind.RECEIPT
    assert out.status == SendStatus.SENT
    assert out.message_id == sent.extra_headers["Message-ID"]


def test_the_same_message_twice_is_processed_once(ingest: Any) -> None:
    raw = make_mail()
    first = ingest(raw)
    tickets, mails = Ticket.objects.count(), len(outbox.outbox)
    second = ingest(raw)
    assert second.pk == first.pk
    assert Ticket.objects.count() == tickets
    assert len(outbox.outbox) == mails
    assert InboundMessage.objects.filter(message_id=first.message_id).count() == 1


def test_a_message_without_message_id_is_still_processed_once(ingest: Any) -> None:
    raw = f"From: {FIA}\r\nSubject: Utan id\r\n\r\nHej\r\n".encode()
    first = ingest(raw)
    assert first.outcome == Outcome.CREATED
    assert ingest(raw).pk == first.pk
    assert Ticket.objects.filter(title="Utan id").count() == 1


def test_a_reply_to_our_mail_threads_by_in_reply_to(ingest: Any, desk: Any) -> None:
    ticket = ingest(make_mail(message_id="<orig@klient.example>")).ticket
    receipt = OutboundMessage.objects.get(ticket=ticket)
    body = "Den startar inte alls.\n\nDen 2 mars skrev Servicedesk:\n> ## Skriv ditt svar ovanför den här raden ##\n> Tack!"
    record = ingest(make_mail(subject="Re: något annat", body=body, in_reply_to=receipt.message_id))
    assert record.outcome == Outcome.REPLIED
    assert record.ticket == ticket
    entry = record.entry
    assert entry.kind == "public"
    assert entry.author == desk.fia
    assert entry.body == "Den startar inte alls."


def test_a_reply_threads_by_the_reference_in_the_subject(ingest: Any, desk: Any) -> None:
    ticket = desk.ticket(desk.fia, title="Skärmen flimrar")
    record = ingest(make_mail(subject=f"SV: [{ticket.reference}] Skärmen flimrar", body="Nu igen"))
    assert record.outcome == Outcome.REPLIED
    assert record.ticket == ticket
    assert TicketEntry.objects.filter(ticket=ticket, body="Nu igen").exists()


def test_a_stranger_with_a_reference_does_not_reach_the_ticket(ingest: Any, desk: Any) -> None:
    ticket = desk.ticket(desk.fia)
    entries = TicketEntry.objects.filter(ticket=ticket).count()
    record = ingest(make_mail(sender="okand@annan.example", subject=f"[{ticket.reference}] hej"))
    assert record.outcome == Outcome.UNKNOWN_SENDER
    assert record.ticket is None
    assert TicketEntry.objects.filter(ticket=ticket).count() == entries
    [answer] = outbox.outbox
    assert answer.to == ["okand@annan.example"]
    assert "okand@annan.example" in answer.body
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"


def test_another_users_mail_with_a_reference_to_a_ticket_they_cannot_see(
    ingest: Any, desk: Any
) -> None:
    ticket = desk.ticket(desk.fia)
    record = ingest(
        make_mail(sender="anvandare-bengtsfors@itfabrik.example", subject=f"{ticket.reference}")
    )
    # Björn may not see Fia's ticket: his mail is a ticket of his own.
    assert record.outcome == Outcome.CREATED
    assert record.ticket != ticket
    assert record.ticket.requester == desk.bjorn


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"X-Autoreply": "yes"},
        {"X-Auto-Response-Suppress": "OOF"},
    ],
)
def test_auto_replies_create_nothing_and_are_not_answered(ingest: Any, headers: Any) -> None:
    before = Ticket.objects.count()
    record = ingest(make_mail(subject="Frånvaro: Skrivaren", headers=headers))
    assert record.outcome == Outcome.AUTO_REPLY
    assert record.ticket is None
    assert Ticket.objects.count() == before
    assert outbox.outbox == []


def test_auto_submitted_no_is_a_person(ingest: Any) -> None:
    assert ingest(make_mail(headers={"Auto-Submitted": "no"})).outcome == Outcome.CREATED


def test_our_own_mail_coming_back_is_a_loop(ingest: Any) -> None:
    before = Ticket.objects.count()
    own_id = ingest(make_mail(message_id="<x1@itfabrik.test>"))
    own_address = ingest(make_mail(sender=MAILBOX))
    assert own_id.outcome == own_address.outcome == Outcome.LOOP
    assert Ticket.objects.count() == before
    assert outbox.outbox == []


def test_a_sender_over_the_rate_limit_is_ignored(ingest: Any, mail_settings: Any) -> None:
    mail_settings.ITFABRIK_MAIL_RATE_LIMIT = 2
    outcomes = [ingest(make_mail(subject=f"Nummer {i}")).outcome for i in range(3)]
    assert outcomes == [Outcome.CREATED, Outcome.CREATED, Outcome.RATE_LIMITED]
    assert not Ticket.objects.filter(title="Nummer 2").exists()


def test_unknown_sender_refused_by_default(ingest: Any) -> None:
    before = db_state()
    # Only the record of the message itself (and its audit row) is new.
    del before["mailchannel.InboundMessage"], before["core.AuditEntry"]
    record = ingest(make_mail(sender="ny@extern.example"))
    assert record.outcome == Outcome.UNKNOWN_SENDER
    assert_unchanged(before)
    [answer] = outbox.outbox
    assert answer.to == ["ny@extern.example"]
    assert answer.extra_headers["In-Reply-To"] == record.message_id


def test_unknown_sender_creates_when_configured_and_their_reply_threads(
    ingest: Any, mail_settings: Any, desk: Any
) -> None:
    mail_settings.ITFABRIK_MAIL_UNKNOWN_SENDER = "create"
    mail_settings.ITFABRIK_MAIL_UNKNOWN_REQUESTER = "anvandare-bengtsfors"
    record = ingest(make_mail(sender="ny@extern.example", subject="Wifi på biblioteket"))
    assert record.outcome == Outcome.CREATED
    ticket = record.ticket
    assert ticket.requester == desk.bjorn
    assert "ny@extern.example" in ticket.description
    [receipt] = outbox.outbox
    assert receipt.to == ["ny@extern.example"]
    reply = ingest(
        make_mail(
            sender="ny@extern.example",
            subject="Re: Wifi",
            body="Fortfarande nere",
            in_reply_to=receipt.extra_headers["Message-ID"],
        )
    )
    assert reply.outcome == Outcome.REPLIED
    assert reply.ticket == ticket
    assert "ny@extern.example" in reply.entry.body


def _resolved(desk: Any, *, at: dt.datetime | None = None) -> Ticket:
    ticket = desk.ticket(desk.fia, title="Lösenordet")
    return desk_module_resolve(ticket, at=at)


def desk_module_resolve(ticket: Ticket, *, at: dt.datetime | None = None) -> Ticket:
    return sd_services.ticket_transition(
        actor=SYSTEM, ticket=ticket, expected_version=None, status="resolved", at=at
    )


def test_a_reply_to_a_resolved_ticket_reopens_it(ingest: Any, desk: Any) -> None:
    ticket = _resolved(desk)
    record = ingest(make_mail(subject=f"Re: [{ticket.reference}]", body="Det hjälpte inte"))
    assert record.outcome == Outcome.REOPENED
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert record.entry.body == "Det hjälpte inte"


def test_a_reply_to_a_closed_ticket_past_the_window_is_answered(ingest: Any, desk: Any) -> None:
    ticket = desk.ticket(desk.fia, reported_at=timezone.now() - dt.timedelta(days=40))
    desk_module_resolve(ticket, at=timezone.now() - dt.timedelta(days=30))
    desk_module_close(ticket)
    before = db_state()
    for key in ("mailchannel.InboundMessage", "mailchannel.OutboundMessage", "core.AuditEntry"):
        before.pop(key, None)
    record = ingest(make_mail(subject=f"Re: [{ticket.reference}]", body="Hallå?"))
    assert record.outcome == Outcome.CLOSED_ANSWERED
    assert_unchanged(before)
    [answer] = outbox.outbox
    assert ticket.reference in answer.subject
    assert "avslutat" in answer.body
    assert answer.extra_headers["In-Reply-To"] == record.message_id


def test_answer_mode_answers_a_closed_ticket_and_keeps_a_resolved_one_resolved(
    ingest: Any, desk: Any, mail_settings: Any
) -> None:
    mail_settings.ITFABRIK_MAIL_CLOSED_REPLY = "answer"
    resolved = _resolved(desk)
    record = ingest(make_mail(subject=f"[{resolved.reference}] tack", body="Tack!"))
    assert record.outcome == Outcome.REPLIED
    resolved.refresh_from_db()
    assert resolved.status == "resolved"
    closed = _resolved(desk)
    desk_module_close(closed)
    record = ingest(make_mail(subject=f"[{closed.reference}] igen", body="Igen"))
    assert record.outcome == Outcome.CLOSED_ANSWERED
    closed.refresh_from_db()
    assert closed.status == "closed"
    assert not TicketEntry.objects.filter(ticket=closed, body="Igen").exists()


def desk_module_close(ticket: Ticket) -> None:
    sd_services.ticket_transition(
        actor=SYSTEM, ticket=ticket, expected_version=None, status="closed"
    )


def test_attachments_within_limits_are_kept_and_refused_ones_noted(
    ingest: Any, mail_settings: Any
) -> None:
    mail_settings.ITFABRIK_MAIL_ATTACHMENT_MAX_BYTES = 1000
    record = ingest(
        make_mail(
            attachments=[
                ("fel.pdf", "application/pdf", b"%PDF-1.4 small"),
                ("stor.png", "image/png", b"x" * 1001),
                ("program.exe", "application/x-msdownload", b"MZ"),
            ]
        )
    )
    assert record.outcome == Outcome.CREATED
    kept = InboundAttachment.objects.filter(message=record)
    assert [(a.filename, bytes(a.data)) for a in kept] == [("fel.pdf", b"%PDF-1.4 small")]
    note = TicketEntry.objects.get(ticket=record.ticket, kind="internal")
    assert "stor.png (1001 byte" in note.body
    assert "program.exe (filtypen application/x-msdownload" in note.body
    assert "fel.pdf" not in note.body
    record.refresh_from_db()
    assert "program.exe" in record.detail


def test_an_agent_reply_is_mailed_with_the_reference_and_thread_headers(
    ingest: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    record = ingest(make_mail(message_id="<start@klient.example>"))
    ticket = record.ticket
    receipt = OutboundMessage.objects.get(ticket=ticket)
    outbox.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = services.reply_by_mail(actor=desk.agent, ticket=ticket, body="Starta om skrivaren.")
    [sent] = outbox.outbox
    assert sent.to == [FIA]
    assert sent.subject.startswith(f"[{ticket.reference}] ")
    assert sent.extra_headers["In-Reply-To"] == receipt.message_id
    assert sent.extra_headers["References"].split() == [
        "<start@klient.example>",
        receipt.message_id,
    ]
    assert "Auto-Submitted" not in sent.extra_headers
    assert "Starta om skrivaren." in sent.body
    assert out.entry.author == desk.agent
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None


def test_the_requester_cannot_send_mail_replies(ingest: Any, desk: Any) -> None:
    ticket = desk.ticket(desk.fia)
    before = db_state()
    with pytest.raises(Forbidden):
        services.reply_by_mail(actor=desk.fia, ticket=ticket, body="Hej")
    assert_unchanged(before)


def test_resolve_by_mail(
    desk: Any, mail_settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = desk.ticket(desk.fia)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_by_mail(
            actor=desk.agent, ticket=ticket, expected_version=ticket.version, body="Bytt toner."
        )
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    [sent] = outbox.outbox
    assert sent.to == [FIA]
    assert sent.subject == f"[{ticket.reference}] Löst: {ticket.title}"
    assert "Bytt toner." in sent.body


def test_resolve_by_mail_with_a_stale_version_changes_nothing(
    desk: Any, mail_settings: Any
) -> None:
    ticket = desk.ticket(desk.fia)
    before = db_state()
    with pytest.raises(Conflict):
        services.resolve_by_mail(
            actor=desk.agent, ticket=ticket, expected_version=ticket.version + 5, body="x"
        )
    assert_unchanged(before)
    assert outbox.outbox == []


def test_a_failed_send_is_recorded_and_can_be_retried(
    desk: Any, mail_settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    mail_settings.EMAIL_HOST = "127.0.0.1"
    mail_settings.EMAIL_PORT = 9  # discard: nothing listens, the connection is refused
    mail_settings.EMAIL_TIMEOUT = 2
    ticket = desk.ticket(desk.fia)
    with django_capture_on_commit_callbacks(execute=True):
        out = services.reply_by_mail(actor=desk.agent, ticket=ticket, body="Hej")
    out.refresh_from_db()
    assert out.status == SendStatus.FAILED
    assert out.error
    mail_settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.outbound_retry(actor=desk.agent, outbound=out) is True
    out.refresh_from_db()
    assert out.status == SendStatus.SENT
    assert outbox.outbox[0].extra_headers["Message-ID"] == out.message_id


def test_ingest_command_reads_standard_input(mail_settings: Any) -> None:
    import io

    from django.core.management import call_command

    raw = make_mail(subject="Via röret")
    stdout = io.StringIO()
    call_command("mail", "ingest", stdin=io.BytesIO(raw), stdout=stdout)
    assert stdout.getvalue().startswith("created ")
    assert Ticket.objects.filter(title="Via röret", channel="email").count() == 1
    call_command("mail", "ingest", stdin=io.BytesIO(raw), stdout=io.StringIO())
    assert Ticket.objects.filter(title="Via röret").count() == 1


# --- replies and resolutions made on the service desk's own pages (servicedesk.hooks) ----------


def test_a_public_reply_on_the_ticket_page_reaches_the_mail_requester_once(
    ingest: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = ingest(make_mail(message_id="<hook@klient.example>")).ticket
    outbox.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        entry = sd_services.entry_add(
            actor=desk.agent, ticket=ticket, kind="public", body="Prova att starta om."
        )
        sd_services.entry_add(actor=desk.agent, ticket=ticket, kind="internal", body="Notis")
    [sent] = outbox.outbox
    assert sent.to == [FIA]
    assert sent.subject.startswith(f"[{ticket.reference}] ")
    assert "Prova att starta om." in sent.body
    assert OutboundMessage.objects.get(entry=entry).kind == OutboundKind.REPLY
    # The mail page's own reply is mailed by that page, not a second time by the hook.
    outbox.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = services.reply_by_mail(actor=desk.agent, ticket=ticket, body="Fungerar det nu?")
    assert len(outbox.outbox) == 1
    assert OutboundMessage.objects.filter(entry=out.entry).count() == 1


def test_a_ticket_resolved_on_the_ticket_page_tells_the_mail_requester_once(
    ingest: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = ingest(make_mail(message_id="<solve@klient.example>")).ticket
    outbox.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sd_services.ticket_transition(
            actor=desk.agent, ticket=ticket, expected_version=None, status="in_progress"
        )
        ticket.refresh_from_db()
        sd_services.ticket_transition(
            actor=desk.agent, ticket=ticket, expected_version=ticket.version, status="resolved"
        )
    [sent] = outbox.outbox
    assert sent.subject == f"[{ticket.reference}] Löst: {ticket.title}"
    assert OutboundMessage.objects.filter(ticket=ticket, kind=OutboundKind.RESOLVED).count() == 1


def test_a_portal_requester_is_told_of_replies_and_the_resolution(
    desk: Any, mail_settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """ITFABRIK_MAIL_NOTIFY=all (the default): a ticket that did not come by mail still mails its
    requester the agent's public reply and the resolution with the rating link (ADR 0051)."""
    ticket = desk.ticket(desk.fia, actor=desk.fia, title="Kan inte skriva ut")
    outbox.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sd_services.entry_add(actor=desk.agent, ticket=ticket, kind="public", body="Hej Fia")
        sd_services.entry_add(actor=desk.agent, ticket=ticket, kind="internal", body="Notis")
        sd_services.entry_add(actor=desk.fia, ticket=ticket, kind="public", body="Tack")
    [reply] = outbox.outbox
    assert reply.to == [FIA]
    assert reply.subject == f"[{ticket.reference}] Kan inte skriva ut"
    assert "Hej Fia" in reply.body
    outbox.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = sd_services.ticket_transition(
            actor=desk.agent, ticket=ticket, expected_version=None, status="in_progress"
        )
        sd_services.ticket_transition(
            actor=desk.agent, ticket=ticket, expected_version=None, status="resolved"
        )
    [resolved] = outbox.outbox
    assert resolved.subject == f"[{ticket.reference}] Löst: Kan inte skriva ut"
    assert "/nojdhet/lank/" in resolved.body  # satisfaction's one-click link
    assert OutboundMessage.objects.filter(ticket=ticket).count() == 2


def test_notify_mail_tells_only_those_who_wrote_by_mail(
    desk: Any, mail_settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail_settings.ITFABRIK_MAIL_NOTIFY = "mail"
    ticket = desk.ticket(desk.fia)
    with django_capture_on_commit_callbacks(execute=True):
        sd_services.entry_add(actor=desk.agent, ticket=ticket, kind="public", body="Hej")
        ticket = sd_services.ticket_transition(
            actor=desk.agent, ticket=ticket, expected_version=None, status="resolved"
        )
    assert outbox.outbox == []
    assert not OutboundMessage.objects.filter(ticket=ticket).exists()


def test_a_history_written_with_at_and_a_requester_without_address_mail_nobody(
    desk: Any, mail_settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An import, the demo's history or a chat's transcript (all pass `at`) is not news; a
    requester without an address has nowhere to be told."""
    ticket = desk.ticket(desk.fia)
    at = timezone.now() - dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        sd_services.entry_add(actor=desk.agent, ticket=ticket, kind="public", body="Då", at=at)
        sd_services.ticket_transition(
            actor=desk.agent, ticket=ticket, expected_version=None, status="resolved", at=at
        )
    desk.bjorn.email = ""
    desk.bjorn.save(update_fields=["email"])
    other = desk.ticket(desk.bjorn)
    with django_capture_on_commit_callbacks(execute=True):
        sd_services.entry_add(actor=desk.agent, ticket=other, kind="public", body="Hej")
    assert outbox.outbox == []
    assert not OutboundMessage.objects.filter(ticket__in=[ticket, other]).exists()


def test_the_resolution_mail_carries_the_one_click_rating_link(
    ingest: Any,
    desk: Any,
    smtp_server: Any,
    settings: Any,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Sent through a real SMTP server: the link is absolute on ITFABRIK_SITE_URL, signed, and
    rates the ticket without signing in (satisfaction's link page)."""
    import re

    settings.ITFABRIK_SITE_URL = "https://itfabrik.dalsland.example/"
    ticket = ingest(make_mail(message_id="<rate@klient.example>")).ticket
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_by_mail(
            actor=desk.agent, ticket=ticket, expected_version=ticket.version, body="Klart."
        )
    [sent] = smtp_server.messages
    body = str(sent.get_content())
    found = re.search(r"https://itfabrik\.dalsland\.example(/\S+)", body)
    assert found, body
    path = found.group(1)
    assert "//" not in path
    page = client.get(path)
    assert page.status_code == 200
    assert client.post(path, {"score": "5"}).status_code == 200
    assert client.get(path).context["rating"].score == 5
    # A forged or altered token rates nothing.
    assert client.get(path[:-3] + "xyz/").status_code == 404
