"""The service desk's pages: the queue (query count fixed, breach marks in words), the ticket
page with its edit conflict, the phone form's bad input, the portal without internal notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from itfabrik.core.tests import assert_unchanged, db_state, home_panel, page_query_count
from itfabrik.servicedesk import services
from itfabrik.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


def test_queue_query_count_does_not_grow_with_rows(web_as: Any, desk: Any) -> None:
    client = web_as("agent")
    few, r = page_query_count(client, "/servicedesk/")
    n_few = r.context["page"].paginator.count
    # Rows of every kind a row reads different fields for: long late, running on its SLA clock
    # (the business time so far), assigned (the assignee's name), waiting (paused).
    desk.ticket()
    desk.ticket(reported_at=timezone.now(), impact="high", urgency="high")
    desk.ticket(reported_at=timezone.now(), assignee=desk.agent)
    waiting = desk.ticket(reported_at=timezone.now())
    Ticket.objects.filter(pk=waiting.pk).update(status="waiting_requester")
    many, r = page_query_count(client, "/servicedesk/")
    assert r.context["page"].paginator.count == n_few + 4
    words = {row["sla"]["key"] for row in r.context["rows"]}
    assert {"breached", "ok", "paused"} <= words
    assert any(row["assignee"] for row in r.context["rows"])
    assert few == many


def test_queue_sorted_by_due_with_breach_words(web_as: Any, desk: Any) -> None:
    late = desk.ticket(title="Gammalt fel")  # reported March 2026: long breached
    fresh = desk.ticket(
        title="Nytt fel",
        impact="low",
        urgency="low",
        reported_at=timezone.now() - dt.timedelta(minutes=5),
    )
    r = web_as("agent").get("/servicedesk/")
    rows = [(row["pk"], row["sla"]["key"]) for row in r.context["rows"]]
    keys = dict(rows)
    assert keys[late.pk] == "breached"
    assert keys[fresh.pk] in ("ok", "warning")
    assert [pk for pk, _k in rows].index(late.pk) < [pk for pk, _k in rows].index(fresh.pk)
    assert "Försenad" in r.content.decode()
    dues = [dt.datetime.fromisoformat(row["due"]["iso"]) for row in r.context["rows"] if row["due"]]
    assert dues == sorted(dues)


def test_queue_filters(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket(title="Unik rubrik för filter")
    r = web_as("agent").get("/servicedesk/", {"q": ticket.reference})
    assert [row["pk"] for row in r.context["rows"]] == [ticket.pk]
    r = web_as("agent").get("/servicedesk/", {"priority": "P1", "group": "all"})
    assert all(row["priority"] == "P1" for row in r.context["rows"])


def test_phone_form_registers_with_reported_at(web_as: Any, desk: Any) -> None:
    r = web_as("agent").post(
        "/servicedesk/nytt/",
        {
            "requester": str(desk.fia.pk),
            "requester_q": "",
            "title": "Telefonen fungerar inte",
            "description": "",
            "impact": "low",
            "urgency": "high",
            "type": "incident",
            "channel": "phone",
            "service": "",
            "reported_at": "2026-03-02 09:00",
        },
    )
    assert r.status_code == 302, r.content[:2000]
    ticket = Ticket.objects.get(title="Telefonen fungerar inte")
    assert ticket.priority == "P3"
    assert (
        timezone.localtime(ticket.resolution_due).strftime("%Y-%m-%d %H:%M") == "2026-03-04 16:00"
    )


def test_phone_form_bad_input_changes_nothing(web_as: Any, desk: Any) -> None:
    client = web_as("agent")
    before = db_state()
    future = timezone.localtime(timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    r = client.post(
        "/servicedesk/nytt/",
        {
            "requester": "",
            "requester_q": "ingen-sadan-person",
            "title": "x",
            "impact": "low",
            "urgency": "high",
            "type": "incident",
            "channel": "phone",
            "reported_at": future,
        },
    )
    assert r.status_code == 200
    assert "requester" in r.context["form"].errors
    r = client.post(
        "/servicedesk/nytt/",
        {
            "requester": str(desk.fia.pk),
            "title": "x",
            "impact": "low",
            "urgency": "high",
            "type": "incident",
            "channel": "phone",
            "reported_at": future,
        },
    )
    assert "reported_at" in r.context["form"].errors
    assert_unchanged(before)


def test_requester_search_options(web_as: Any, desk: Any) -> None:
    r = web_as("agent").get("/servicedesk/sok-anmalare/", {"requester_q": "Fia"})
    assert "anvandare-fargelanda" in r.content.decode()
    assert web_as("anvandare-fargelanda").get("/servicedesk/sok-anmalare/?q=a").status_code == 404


def test_edit_with_a_stale_version_is_refused(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    services.ticket_update(actor=desk.tekniker, ticket=ticket, expected_version=1, title="Först")
    client = web_as("agent")
    before = db_state()
    r = client.post(
        f"/servicedesk/arenden/{ticket.pk}/",
        {"version": 1, "title": "Sen", "type": "incident", "impact": "medium", "urgency": "high"},
    )
    assert r.status_code == 200
    assert "Någon annan har ändrat" in r.content.decode()
    assert_unchanged(before)


def test_ticket_page_actions_and_note(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    client = web_as("agent")
    r = client.get(f"/servicedesk/arenden/{ticket.pk}/")
    assert [v for v, _l in r.context["targets"]] == ["assigned", "in_progress", "resolved"]
    r = client.post(
        f"/servicedesk/arenden/{ticket.pk}/status/", {"version": 1, "status": "in_progress"}
    )
    assert r.status_code == 302
    client.post(
        f"/servicedesk/arenden/{ticket.pk}/inlagg/", {"kind": "internal", "body": "Kollar loggar"}
    )
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert ticket.entries.get().kind == "internal"


def test_portal_shows_no_internal_notes(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket(desk.fia)
    services.entry_add(actor=desk.agent, ticket=ticket, kind="internal", body="HEMLIG ANTECKNING")
    services.entry_add(actor=desk.agent, ticket=ticket, kind="public", body="Vi är på väg")
    client = web_as("anvandare-fargelanda")
    r = client.get(f"/servicedesk/arenden/{ticket.pk}/")
    assert r.status_code == 302  # the requester is sent to the portal page
    r = client.get(f"/servicedesk/mina-arenden/{ticket.pk}/")
    html = r.content.decode()
    assert "Vi är på väg" in html
    assert "HEMLIG ANTECKNING" not in html
    r = client.post(f"/servicedesk/arenden/{ticket.pk}/inlagg/", {"body": "Tack!"})
    assert r.status_code == 302
    assert ticket.entries.filter(kind="public", author=desk.fia, body="Tack!").exists()


def test_portal_report_and_my_tickets(web_as: Any, desk: Any) -> None:
    client = web_as("anvandare-fargelanda")
    r = client.post(
        "/servicedesk/anmal/",
        {
            "title": "Kan inte skriva ut",
            "description": "Sedan i går",
            "impact": "low",
            "urgency": "low",
        },
    )
    ticket = Ticket.objects.get(title="Kan inte skriva ut")
    assert r.status_code == 302
    assert ticket.requester == desk.fia
    assert ticket.channel == "portal"
    few, r = page_query_count(client, "/servicedesk/mina-arenden/")
    assert ticket in list(r.context["page"])
    assert all(t.requester_id == desk.fia.pk for t in r.context["page"])
    desk.ticket(desk.fia)
    many, _r = page_query_count(client, "/servicedesk/mina-arenden/")
    assert few == many


def test_start_page_panels(web_as: Any, desk: Any) -> None:
    r = web_as("agent").get("/")
    assert home_panel(r, "servicedesk.queue")["open"] >= 1
    r = web_as("anvandare-fargelanda").get("/")
    assert home_panel(r, "servicedesk.queue") is None
    assert home_panel(r, "servicedesk.my_tickets") is not None


def test_ticket_page_query_count_does_not_grow_with_replies(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    client = web_as("agent")
    url = f"/servicedesk/arenden/{ticket.pk}/"
    few, r = page_query_count(client, url)
    for i in range(6):
        services.entry_add(
            actor=desk.agent,
            ticket=ticket,
            kind="public" if i % 2 else "internal",
            body=f"Svar {i}",
        )
    many, r = page_query_count(client, url)
    assert r.content.decode().count("Svar ") >= 6
    assert few == many


def test_queue_of_an_agent_on_one_municipality_shows_only_its_tickets(
    web_as: Any, desk: Any
) -> None:
    """The queue filters by group alone only for an agent who sees the group's whole
    cooperation (ADR 0049); an agent on one municipality still sees only its tickets."""
    from itfabrik.accounts.models import RoleAssignment, User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.core.roles import Role

    group = desk.groups["Servicedesk 1:a linjen"]
    here = desk.ticket(desk.fia, title="Fel i Färgelanda")
    there = desk.ticket(desk.bjorn, title="Fel i Bengtsfors")
    assert here.group_id == there.group_id == group.pk
    local = User.objects.create(username="lokal-agent", home_unit=desk.fia.home_unit)
    RoleAssignment.objects.create(
        user=local, role=Role.AGENT, node=desk.fia.home_unit.municipality, recursive=True
    )
    services.group_add_members(actor=SYSTEM, group=group, users=[local])

    for username, sees_there in (("lokal-agent", False), ("agent", True)):
        r = web_as(username).get("/servicedesk/", {"q": "Fel i"})
        pks = {row["pk"] for row in r.context["rows"]}
        assert here.pk in pks
        assert (there.pk in pks) is sees_there
