"""The API for NIS2 on tickets and for the VIP list and SLA policies (admin only; others 404;
stale or bad writes change nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.servicedesk import services
from itfabrik.servicedesk.models import SlaPolicy, VipPerson

pytestmark = pytest.mark.django_db


def test_nis2_mark_and_report_through_the_api(api_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    client = api_as("agent")
    r = client.post(
        f"/api/v1/tickets/{ticket.pk}/nis2/",
        {"version": ticket.version, "aware_at": "2026-03-02T10:00:00+01:00"},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["nis2_next_due"] == "2026-03-03T10:00:00+01:00"
    r = client.post(
        f"/api/v1/tickets/{ticket.pk}/nis2-report/",
        {"version": body["version"], "step": "early_warning", "at": "2026-03-02T12:00:00+01:00"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["nis2_next_due"] == "2026-03-05T10:00:00+01:00"
    outsider = api_as("anvandare-bengtsfors")
    before = db_state()
    stale = client.post(
        f"/api/v1/tickets/{ticket.pk}/nis2/",
        {"version": body["version"], "aware_at": None},
        format="json",
    )
    assert stale.status_code == 409
    other = outsider.post(
        f"/api/v1/tickets/{ticket.pk}/nis2/",
        {"version": body["version"] + 1, "aware_at": None},
        format="json",
    )
    assert other.status_code == 404
    assert_unchanged(before)


def test_vip_list_for_admin_only_with_fixed_query_count(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    r = admin.post(
        "/api/v1/servicedesk/vips/",
        {"user": "anvandare-fargelanda", "reason": "Kommunstyrelsens ordförande"},
        format="json",
    )
    assert r.status_code == 201, r.content
    vip_id = r.json()["id"]
    with CaptureQueriesContext(connection) as few:
        admin.get("/api/v1/servicedesk/vips/")
    services.vip_add(actor=desk.user("admin"), cooperation=desk.cooperation, user=desk.bjorn)
    with CaptureQueriesContext(connection) as many:
        r = admin.get("/api/v1/servicedesk/vips/")
    assert len(few) == len(many)
    assert r.json()["count"] >= 2
    agent = api_as("agent")
    before = db_state()
    assert agent.get(f"/api/v1/servicedesk/vips/{vip_id}/").status_code == 404
    assert agent.post(f"/api/v1/servicedesk/vips/{vip_id}/remove/").status_code == 404
    r = agent.post("/api/v1/servicedesk/vips/", {"user": "agent", "reason": "x"}, format="json")
    assert r.status_code == 404
    bad = admin.post("/api/v1/servicedesk/vips/", {"user": "ingen", "reason": "x"}, format="json")
    assert bad.status_code == 400
    assert "user" in bad.json()["error"]["fields"]
    assert_unchanged(before)
    assert admin.post(f"/api/v1/servicedesk/vips/{vip_id}/remove/").status_code == 200
    assert VipPerson.objects.get(pk=vip_id).is_active is False


def test_policy_patch_starts_a_recompute_and_refuses_stale(
    api_as: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    policy = SlaPolicy.objects.get(cooperation=desk.cooperation, priority="P4", is_active=True)
    admin = api_as("admin")
    api_as("agent")
    before = db_state()
    r = admin.patch(
        f"/api/v1/servicedesk/policies/{policy.pk}/",
        {"version": policy.version + 1, "resolution_minutes": 100},
        format="json",
    )
    assert r.status_code == 409
    assert (
        api_as("agent")
        .patch(
            f"/api/v1/servicedesk/policies/{policy.pk}/",
            {"version": policy.version, "resolution_minutes": 100},
            format="json",
        )
        .status_code
        == 404
    )
    assert_unchanged(before)
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.patch(
            f"/api/v1/servicedesk/policies/{policy.pk}/",
            {"version": policy.version, "resolution_minutes": 100},
            format="json",
        )
    assert r.status_code == 200, r.content
    assert r.json()["resolution_minutes"] == 100
    assert r.json()["recompute_job"] is not None
