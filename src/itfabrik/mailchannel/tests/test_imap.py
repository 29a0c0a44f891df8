"""The done-when story against real servers: dovecot on 127.0.0.1 for IMAP, aiosmtpd for SMTP.

A mail appended to the mailbox becomes a ticket on `itfabrik mail fetch`; the agent's reply
arrives at the SMTP server with the reference and the thread headers; the requester's answer
to it, appended to the mailbox, threads onto the same ticket on the next fetch; fetching the
same messages again creates nothing."""

from __future__ import annotations

import io
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from itfabrik.mailchannel.choices import Outcome
from itfabrik.mailchannel.models import InboundMessage, OutboundMessage
from itfabrik.servicedesk.models import Ticket, TicketEntry

from .fixtures import MAILBOX, make_mail

pytestmark = pytest.mark.django_db

FIA = "anvandare-fargelanda@itfabrik.example"


def _fetch(capture: Any) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("mail", "fetch", stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, int, int, int]:
    return (
        Ticket.objects.count(),
        TicketEntry.objects.count(),
        InboundMessage.objects.count(),
        OutboundMessage.objects.count(),
    )


def _answer_to(sent: EmailMessage, body: str) -> bytes:
    """Fia's mail client answering our mail: Re: subject, In-Reply-To and References."""
    refs = f"{sent['References'] or ''} {sent['Message-ID']}".strip()
    return make_mail(
        subject=f"Re: {sent['Subject']}",
        body=f"{body}\n\nDen 2 mars skrev Servicedesk <{MAILBOX}>:\n> "
        + str(sent.get_content()).replace("\n", "\n> "),
        in_reply_to=str(sent["Message-ID"]),
        references=refs,
    )


def test_a_mail_becomes_a_ticket_and_the_reply_threads_onto_it(
    imap_box: Any,
    smtp_server: Any,
    client: Any,
    desk: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # 1. Fia mails the service desk.
    imap_box.append(make_mail(subject="Skrivaren på plan 2", message_id="<e2e-1@klient.example>"))
    before = _counts()
    report = _fetch(django_capture_on_commit_callbacks)
    assert report.startswith("1 meddelanden, 0 lämnade")
    record = InboundMessage.objects.get(message_id="<e2e-1@klient.example>")
    assert record.outcome == Outcome.CREATED
    ticket = record.ticket
    assert ticket.requester == desk.fia
    assert ticket.channel == "email"
    assert imap_box.search("UNSEEN") == []  # processed mails are flagged \Seen
    [receipt] = smtp_server.messages
    assert receipt["Subject"] == f"[{ticket.reference}] Mottaget: Skrivaren på plan 2"
    assert receipt["In-Reply-To"] == "<e2e-1@klient.example>"
    assert smtp_server.envelopes[0].rcpt_tos == [FIA]

    # 2. The agent replies from the ticket's mail page.
    client.force_login(desk.agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mailchannel:ticket_reply", args=[ticket.pk]),
            {"reply-body": "Prova att starta om skrivaren."},
        )
    assert response.status_code == 302
    reply = smtp_server.messages[-1]
    assert reply["Subject"].startswith(f"[{ticket.reference}]")
    assert reply["In-Reply-To"] == receipt["Message-ID"]
    assert reply["References"].split() == ["<e2e-1@klient.example>", receipt["Message-ID"]]
    assert reply["From"] == MAILBOX
    assert "Prova att starta om skrivaren." in reply.get_content()

    # 3. Fia answers the agent's mail; the next fetch threads it onto the same ticket.
    imap_box.append(_answer_to(reply, "Det hjälpte, tack!"))
    _fetch(django_capture_on_commit_callbacks)
    answer = InboundMessage.objects.order_by("-pk").first()
    assert answer.outcome == Outcome.REPLIED
    assert answer.ticket == ticket
    assert answer.entry.author == desk.fia
    assert answer.entry.body == "Det hjälpte, tack!"
    assert Ticket.objects.count() == before[0] + 1

    # 4. The same fetch twice creates nothing new, even when the mails are unread again.
    imap_box.mark_all_unseen()
    counts, sent = _counts(), len(smtp_server.messages)
    report = _fetch(django_capture_on_commit_callbacks)
    assert report.startswith("2 meddelanden, 0 lämnade")
    assert _counts() == counts
    assert len(smtp_server.messages) == sent


def test_processed_mail_can_be_moved_to_another_folder(
    imap_box: Any, mail_settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail_settings.ITFABRIK_MAIL_IMAP_PROCESSED = "move"
    mail_settings.ITFABRIK_MAIL_IMAP_MOVE_TO = "Behandlat"
    imap_box.append(make_mail(subject="Flyttas"))
    imap_box.append(make_mail(subject="Autosvar", headers={"Auto-Submitted": "auto-replied"}))
    _fetch(django_capture_on_commit_callbacks)
    assert imap_box.search("ALL") == []
    assert len(imap_box.search("ALL", folder="Behandlat")) == 2
    outcomes = dict(
        InboundMessage.objects.filter(subject__in=["Flyttas", "Autosvar"]).values_list(
            "subject", "outcome"
        )
    )
    assert outcomes == {"Flyttas": Outcome.CREATED, "Autosvar": Outcome.AUTO_REPLY}


def test_a_wrong_password_is_a_clear_error_and_changes_nothing(
    imap_box: Any, mail_settings: Any
) -> None:
    mail_settings.ITFABRIK_MAIL_IMAP_PASSWORD = "fel"
    imap_box.append(make_mail())
    before = _counts()
    with pytest.raises(CommandError, match=r"(?i)authentication"):
        call_command("mail", "fetch", stdout=io.StringIO())
    assert _counts() == before


def test_a_message_that_fails_stays_for_the_next_fetch(
    imap_box: Any, mail_settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    imap_box.append(make_mail(subject="Kommer fram till slut"))
    mail_settings.ITFABRIK_MAIL_COOPERATION = "finns-inte"
    with pytest.raises(CommandError, match="1 meddelanden kunde inte behandlas"):
        call_command("mail", "fetch", stdout=io.StringIO())
    assert len(imap_box.search("UNSEEN")) == 1
    assert not Ticket.objects.filter(title="Kommer fram till slut").exists()
    mail_settings.ITFABRIK_MAIL_COOPERATION = Ticket.objects.first().cooperation.slug
    _fetch(django_capture_on_commit_callbacks)
    assert imap_box.search("UNSEEN") == []
    assert Ticket.objects.filter(title="Kommer fram till slut").count() == 1


def test_no_mailbox_configured(mail_settings: Any) -> None:
    mail_settings.ITFABRIK_MAIL_IMAP_HOST = ""
    with pytest.raises(CommandError, match="ITFABRIK_MAIL_IMAP_HOST"):
        call_command("mail", "fetch", stdout=io.StringIO())


def test_the_worker_task_fetches(imap_box: Any, django_capture_on_commit_callbacks: Any) -> None:
    from itfabrik.mailchannel.tasks import fetch_mailbox

    imap_box.append(make_mail(subject="Via arbetskön"))
    with django_capture_on_commit_callbacks(execute=True):
        result = fetch_mailbox.enqueue()
    assert result.return_value == 1
    assert Ticket.objects.filter(title="Via arbetskön").count() == 1
