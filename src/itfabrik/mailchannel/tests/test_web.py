"""The mail log and a ticket's mail page: scope (404 for whoever may not see), bad input,
refused writes changing nothing, and the list's query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from itfabrik.core.tests import assert_login_redirect, assert_unchanged, db_state
from itfabrik.mailchannel import services
from itfabrik.mailchannel.choices import Outcome
from itfabrik.mailchannel.models import InboundAttachment, InboundMessage
from itfabrik.servicedesk.models import Ticket

from .fixtures import make_mail

pytestmark = pytest.mark.django_db

LIST = reverse("mailchannel:inbound_list")


@pytest.fixture
def inbound(mail_settings: Any) -> Any:
    def make(n: int = 1, **kwargs: Any) -> list[InboundMessage]:
        return [services.mail_ingest(raw=make_mail(**kwargs)) for _ in range(n)]

    return make


def test_the_agent_sees_every_message_with_its_outcome(
    client: Any, desk: Any, inbound: Any
) -> None:
    created = inbound(subject="Skrivaren")[0]
    inbound(subject="Frånvaro", headers={"Auto-Submitted": "auto-replied"})
    client.force_login(desk.agent)
    response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skrivaren" in page
    assert created.ticket.reference in page
    assert "Autosvar – ignorerat" in page
    response = client.get(LIST, {"outcome": Outcome.AUTO_REPLY})
    assert [m.subject for m in response.context["page"]] == ["Frånvaro"]
    response = client.get(LIST, {"q": created.ticket.reference})
    assert [m.pk for m in response.context["page"]] == [created.pk]


def test_a_bad_filter_is_named(client: Any, desk: Any, inbound: Any) -> None:
    client.force_login(desk.agent)
    response = client.get(LIST, {"outcome": "nonsense"})
    assert response.status_code == 400
    assert "Utfall" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_rows(
    client: Any, desk: Any, inbound: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(desk.agent)
    inbound(2)
    client.get(LIST)  # warm the per-request caches of the session
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    inbound(12, subject="Fler")
    inbound(3, headers={"Precedence": "bulk"})
    with django_assert_num_queries(len(few)):
        response = client.get(LIST)
    assert response.context["page"].paginator.count >= 17


@pytest.mark.parametrize("who", ["anvandare-fargelanda", "bestallare-mellerud"])
def test_people_outside_the_service_desk_get_404(
    client: Any, desk: Any, inbound: Any, who: str
) -> None:
    message = inbound(attachments=[("a.pdf", "application/pdf", b"%PDF")])[0]
    attachment = InboundAttachment.objects.get(message=message)
    client.force_login(desk.user(who))
    for url in (
        LIST,
        reverse("mailchannel:inbound_detail", args=[message.pk]),
        reverse("mailchannel:attachment_download", args=[attachment.pk]),
        reverse("mailchannel:ticket_mail", args=[message.ticket.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in(client: Any) -> None:
    assert_login_redirect(client.get(LIST), LIST)


def test_detail_and_attachment_download(client: Any, desk: Any, inbound: Any) -> None:
    message = inbound(attachments=[("fel.pdf", "application/pdf", b"%PDF-1.4")])[0]
    attachment = InboundAttachment.objects.get(message=message)
    client.force_login(desk.agent)
    page = client.get(reverse("mailchannel:inbound_detail", args=[message.pk]))
    assert page.status_code == 200
    assert escape(message.message_id) in page.content.decode()
    response = client.get(reverse("mailchannel:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="fel.pdf"'
    assert response.content == b"%PDF-1.4"


def test_ticket_mail_page_and_reply(
    client: Any, desk: Any, inbound: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    ticket = inbound()[0].ticket
    mailoutbox.clear()
    client.force_login(desk.agent)
    url = reverse("mailchannel:ticket_mail", args=[ticket.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert (
        "Mottagningsbekräftelse" not in page.content.decode()
    )  # kinds are not shown, subjects are
    assert f"[{ticket.reference}] Mottaget:" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mailchannel:ticket_reply", args=[ticket.pk]), {"reply-body": "Hej Fia"}
        )
    assert response.status_code == 302
    [sent] = mailoutbox
    assert ticket.reference in sent.subject


def test_an_empty_reply_is_named_and_changes_nothing(client: Any, desk: Any, inbound: Any) -> None:
    ticket = inbound()[0].ticket
    client.force_login(desk.agent)
    before = db_state()
    response = client.post(
        reverse("mailchannel:ticket_reply", args=[ticket.pk]), {"reply-body": "   "}
    )
    assert response.status_code == 400
    assert "Svar till anmälaren" in response.content.decode()
    assert_unchanged(before)


def test_the_requester_may_not_reply_by_mail(client: Any, desk: Any, inbound: Any) -> None:
    ticket = inbound()[0].ticket
    client.force_login(desk.fia)
    before = db_state()
    response = client.post(
        reverse("mailchannel:ticket_reply", args=[ticket.pk]), {"reply-body": "Hej"}
    )
    assert response.status_code in (403, 404)
    assert_unchanged(before)


def test_a_stale_resolve_is_told_and_changes_nothing(client: Any, desk: Any, inbound: Any) -> None:
    ticket = inbound()[0].ticket
    client.force_login(desk.agent)
    before = db_state()
    response = client.post(
        reverse("mailchannel:ticket_resolve", args=[ticket.pk]),
        {"resolve-body": "Klart", "resolve-version": ticket.version + 1},
    )
    assert response.status_code == 400
    assert_unchanged(before)
    assert Ticket.objects.get(pk=ticket.pk).status == ticket.status


def test_resolve_from_the_mail_page(
    client: Any, desk: Any, inbound: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    ticket = inbound()[0].ticket
    client.force_login(desk.agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mailchannel:ticket_resolve", args=[ticket.pk]),
            {"resolve-body": "Klart", "resolve-version": ticket.version},
        )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"
    assert mailoutbox[-1].subject.startswith(f"[{ticket.reference}] Löst:")
