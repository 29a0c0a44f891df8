"""Agent work on the queue: bulk actions (through the services, all or nothing, the refused
tickets named), saved views shared within a group, and the documented keyboard shortcuts."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.servicedesk import services
from itfabrik.servicedesk.models import SavedView, Ticket

pytestmark = pytest.mark.django_db


def _group(desk: Any, kind: str) -> Any:
    return next(g for g in desk.groups.values() if g.kind == kind)


def test_bulk_assign_each_ticket_audited(web_as: Any, desk: Any) -> None:
    tickets = [desk.ticket(title=f"Fel {i}") for i in range(3)]
    group = _group(desk, "network")
    r = web_as("agent").post(
        "/servicedesk/massandring/",
        {"tickets": [t.pk for t in tickets], "action": "assign", "group": group.pk},
        follow=True,
    )
    assert "3 ärenden är ändrade" in r.content.decode()
    for t in tickets:
        t.refresh_from_db()
        assert t.group_id == group.pk
        assert AuditEntry.objects.filter(
            object_type="servicedesk.ticket", object_id=str(t.pk), action="update"
        ).exists()


def test_bulk_is_all_or_nothing_and_names_the_refused(web_as: Any, desk: Any) -> None:
    ok = desk.ticket(title="Kan lösas")
    done = desk.ticket(title="Redan stängd")
    for status in ("resolved", "closed"):
        done = services.ticket_transition(
            actor=desk.agent, ticket=done, expected_version=None, status=status
        )
    before = db_state()
    r = web_as("agent").post(
        "/servicedesk/massandring/",
        {"tickets": [ok.pk, done.pk], "action": "status", "status": "resolved"},
        follow=True,
    )
    body = r.content.decode()
    assert "Inget ändrades" in body
    assert done.reference in body
    assert_unchanged(before)
    # A ticket the agent may not see is refused too (and not revealed).
    changed, refused = services.ticket_bulk(
        actor=desk.fia, ticket_ids=[ok.pk], action="status", status="resolved"
    )
    assert changed == []
    assert ok.pk in refused
    assert Ticket.objects.get(pk=ok.pk).status == ok.status


def test_saved_view_shared_within_the_group(web_as: Any, desk: Any) -> None:
    group = _group(desk, "first_line")
    services.group_add_members(actor=desk.user("admin"), group=group, users=[desk.agent])
    r = web_as("agent").post(
        "/servicedesk/vyer/",
        {"name": "Mina P1", "shared_with": group.pk, "filters": "priority=P1&group=all&evil=1"},
    )
    assert r.status_code == 302
    view = SavedView.objects.get(name="Mina P1")
    assert view.filters == {"priority": "P1", "group": "all"}
    services.group_add_members(actor=desk.user("admin"), group=group, users=[desk.tekniker])
    r = web_as("tekniker").get("/servicedesk/")
    assert "Mina P1" in [v.name for v in r.context["views"]]
    assert 'href="?group=all&amp;priority=P1"' in r.content.decode() or (
        'href="?priority=P1&amp;group=all"' in r.content.decode()
    )
    # Only the owner removes it; for anyone else it does not exist.
    before = db_state()
    assert web_as("tekniker").post(f"/servicedesk/vyer/{view.pk}/ta-bort/").status_code == 302
    assert_unchanged(before)
    web_as("agent").post(f"/servicedesk/vyer/{view.pk}/ta-bort/")
    view.refresh_from_db()
    assert view.is_active is False


def test_shortcuts_are_documented_on_queue_and_ticket(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    client = web_as("agent")
    for url in ("/servicedesk/", f"/servicedesk/arenden/{ticket.pk}/"):
        body = client.get(url).content.decode()
        assert "Kortkommandon" in body
        assert "<kbd>g</kbd> <kbd>q</kbd>" in body
        assert "servicedesk/shortcuts.js" in body
