"""The permission matrix for governance's pages and endpoints: who gets 200, who 404, and that a
refused write changed nothing. Council members, finance and admin see governance; portal users,
orderers and agents do not."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)

pytestmark = pytest.mark.django_db

SEEN_API = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 200, ADMIN: 200}
SEEN_WEB = {**SEEN_API, ANON: 302}


@pytest.fixture
def mellerud_decision(demo: Any, gov: Any) -> Any:
    ensure_same_unit_user(demo)
    from itfabrik.governance.models import Decision

    return Decision.objects.get(forum=gov.mellerud)


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN_API))
def test_api_decision_detail(
    api_as: Any, mellerud_decision: Any, actor: Any, expected: int
) -> None:
    r = api_as(actor).get(f"/api/v1/governance/decisions/{mellerud_decision.pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN_API))
def test_api_decision_list(api_as: Any, mellerud_decision: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).get("/api/v1/governance/decisions/")
    if expected == 401:
        assert r.status_code == 401
        return
    assert r.status_code == 200
    numbers = {d["number"] for d in r.json()["results"]}
    assert (mellerud_decision.number in numbers) == (expected == 200)


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN_API))
def test_api_forum_detail(api_as: Any, gov: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    r = api_as(actor).get(f"/api/v1/governance/forums/{gov.mellerud.pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN_WEB))
@pytest.mark.parametrize(
    "page",
    ["decision", "forum", "meeting", "meeting_pdf", "decisions", "forums", "agreement"],
)
def test_web_pages(
    web_as: Any, mellerud_decision: Any, actor: Any, expected: int, page: str
) -> None:
    d = mellerud_decision
    url = {
        "decision": reverse("governance:decision", args=[d.pk]),
        "forum": reverse("governance:forum", args=[d.forum_id]),
        "meeting": reverse("governance:meeting", args=[d.meeting_id]),
        "meeting_pdf": reverse("governance:meeting_pdf", args=[d.meeting_id]),
        "decisions": reverse("governance:decisions"),
        "forums": reverse("governance:forums"),
        "agreement": reverse("governance:agreement"),
    }[page]
    r = web_as(actor).get(url)
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**SEEN_WEB, FINANCE: 404, ADMIN: 302}),
)
def test_web_decision_create_refused_changes_nothing(
    web_as: Any, gov: Any, demo: Any, actor: Any, expected: int
) -> None:
    ensure_same_unit_user(demo)
    meeting = gov.open_itr_meeting()
    before = db_state()
    r = web_as(actor).post(
        reverse("governance:decision_create", args=[gov.itr.pk]),
        {"meeting": meeting.pk, "title": "X", "text": "Y", "scope": "cooperation"},
    )
    assert r.status_code == expected
    if expected != 302 or actor is None:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**SEEN_WEB, FINANCE: 302, ADMIN: 302}),
)
def test_web_decision_edit_after_approval_changes_nothing(
    web_as: Any, gov: Any, demo: Any, actor: Any, expected: int
) -> None:
    """Nobody changes a final decision: those who may see it are told why, on the form."""
    ensure_same_unit_user(demo)
    d = gov.approved_decision()
    before = db_state()
    r = web_as(actor).post(
        reverse("governance:decision_edit", args=[d.pk]),
        {"version": d.version, "title": "Ändrad", "text": "Ändrad", "decided_on": "2025-11-19"},
    )
    if actor == ADMIN:
        assert r.status_code == 400
        assert "kan inte ändras" in r.content.decode()
    elif actor == FINANCE:
        assert r.status_code == 404
    else:
        assert r.status_code == expected
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**SEEN_WEB, FINANCE: 404, ADMIN: 302}),
)
def test_web_amendment_create_only_by_admin(
    web_as: Any, gov: Any, demo: Any, actor: Any, expected: int
) -> None:
    ensure_same_unit_user(demo)
    before = db_state()
    r = web_as(actor).post(
        reverse("governance:amendment_create"),
        {"kind": "change", "effective_on": "2027-01-01", "description": "Ny bilaga."},
    )
    # Finance reads the agreement but may not change it: 404 before the form is read, like
    # every other write of the agreement, and nothing written.
    assert r.status_code == expected
    if actor != ADMIN:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**SEEN_WEB, FINANCE: 404, ADMIN: 302}),
)
def test_web_amendment_apply_only_by_admin(
    web_as: Any, gov: Any, demo: Any, actor: Any, expected: int
) -> None:
    from itfabrik.governance.models import Amendment
    from itfabrik.tenancy.models import Membership

    ensure_same_unit_user(demo)
    amendment = Amendment.objects.get(kind="join")
    before = db_state()
    r = web_as(actor).post(
        reverse("governance:amendment_apply", args=[amendment.pk]), {"version": amendment.version}
    )
    assert r.status_code == expected
    joined = Membership.objects.filter(municipality=demo.node("Dals-Eds kommun")).exists()
    assert joined is (actor == ADMIN)
    if actor != ADMIN:
        assert_unchanged(before)
