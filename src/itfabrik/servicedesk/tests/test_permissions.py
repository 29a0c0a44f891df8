"""The permission matrix for every service-desk page and endpoint: who gets 200, who 404, and
that a refused write changed nothing."""

from __future__ import annotations

from typing import Any

import pytest

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


@pytest.fixture
def mellerud_ticket(demo: Any, desk: Any) -> Any:
    """A ticket reported by Mellerud's portal user for their own unit."""
    return desk.ticket(ensure_same_unit_user(demo))


# Who sees the Mellerud ticket: its requester, the orderer of the unit, staff.
SEES = {ANON: 401, OTHER: 404, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 404, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEES))
def test_api_detail(api_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).get(f"/api/v1/tickets/{mellerud_ticket.pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**SEES, ANON: 302}),
)
def test_portal_page(web_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    r = web_as(actor).get(f"/servicedesk/mina-arenden/{mellerud_ticket.pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}
    ),
)
def test_agent_pages(web_as: Any, demo: Any, desk: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    client = web_as(actor)
    assert client.get("/servicedesk/").status_code == expected
    assert client.get("/servicedesk/nytt/").status_code == expected


# A write on the ticket: only staff may change it; others are refused and nothing changes.
WRITES = {ANON: 401, OTHER: 404, SAME: 403, ORDERER: 403, AGENT: 200, FINANCE: 404, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(WRITES))
def test_api_transition(api_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/tickets/{mellerud_ticket.pk}/transition/",
        {"version": mellerud_ticket.version, "status": "in_progress"},
        format="json",
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(WRITES))
def test_web_transition(web_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    client = web_as(actor)
    before = db_state()
    r = client.post(
        f"/servicedesk/arenden/{mellerud_ticket.pk}/status/",
        {"version": mellerud_ticket.version, "status": "in_progress"},
    )
    if expected == 200:
        assert r.status_code == 302
        mellerud_ticket.refresh_from_db()
        assert mellerud_ticket.status == "in_progress"
    else:
        assert r.status_code in (302, 404)
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 401, OTHER: 404, SAME: 201, ORDERER: 201, AGENT: 201, FINANCE: 404, ADMIN: 201}
    ),
)
def test_api_reply(api_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/tickets/{mellerud_ticket.pk}/entries/", {"body": "Hej"}, format="json"
    )
    assert r.status_code == expected
    if expected != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 401, OTHER: 400, SAME: 400, ORDERER: 400, AGENT: 201, FINANCE: 400, ADMIN: 201}
    ),
)
def test_api_create_for_someone_else(
    api_as: Any, demo: Any, desk: Any, actor: Any, expected: int
) -> None:
    ensure_same_unit_user(demo)
    client = api_as(actor)
    before = db_state()
    r = client.post(
        "/api/v1/tickets/",
        {"title": "x", "requester": "anvandare-fargelanda", "impact": "low", "urgency": "low"},
        format="json",
    )
    assert r.status_code == expected
    if expected != 201:
        assert_unchanged(before)


# --- the configuration API and attachments: every endpoint × every actor ------------------------

# The settings (groups, calendars, matrix, policies, VIPs): the cooperation admin only (and team
# leads); anyone else 404, as the settings pages answer.
MANAGES = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 200}

API = "/api/v1/servicedesk"
WEEK = [[["08:00", "16:30"]]] * 5 + [[], []]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def config(demo: Any, desk: Any, mellerud_ticket: Any, settings: Any, tmp_path: Any) -> Any:
    """One of each configured thing, and a public attachment on the Mellerud ticket."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from itfabrik.servicedesk import services
    from itfabrik.servicedesk.models import SlaPolicy

    settings.MEDIA_ROOT = tmp_path
    admin = desk.user("admin")
    coop = desk.cooperation

    class Config:
        ticket = mellerud_ticket
        group = services.group_create(
            actor=admin, cooperation=coop, name="Testgrupp", kind="network"
        )
        member = desk.user("tekniker")
        calendar = services.calendar_create(
            actor=admin, cooperation=coop, name="Testkalender", week=WEEK
        )
        policy = SlaPolicy.objects.get(cooperation=coop, priority="P4", is_active=True)
        vip = services.vip_add(actor=admin, cooperation=coop, user=desk.bjorn, reason="KS")
        attachment = services.attachment_add(
            actor=mellerud_ticket.requester,
            ticket=mellerud_ticket,
            upload=SimpleUploadedFile("bild.png", PNG),
        )

    Config.rule = services.escalation_rule_create(  # type: ignore[attr-defined]
        actor=admin, cooperation=coop, name="Testregel", trigger="warning"
    )
    services.group_add_members(actor=admin, group=Config.group, users=[Config.member])
    services.calendar_set_day(actor=admin, calendar=Config.calendar, date="2027-01-07", hours=[])
    Config.calendar.refresh_from_db()
    return Config


def _png() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ny.png", PNG)


# (name, method, url, body, success status, matrix); url and body are functions of `config`.
ENDPOINTS: list[tuple[str, str, Any, Any, int, dict[Any, int]]] = [
    ("groups-list", "get", lambda c: f"{API}/groups/", None, 200, MANAGES),
    ("group-detail", "get", lambda c: f"{API}/groups/{c.group.pk}/", None, 200, MANAGES),
    (
        "group-create",
        "post",
        lambda c: f"{API}/groups/",
        lambda c: {"name": "Ny grupp", "kind": "network"},
        201,
        MANAGES,
    ),
    (
        "group-update",
        "patch",
        lambda c: f"{API}/groups/{c.group.pk}/",
        lambda c: {"version": c.group.version, "is_active": False},
        200,
        MANAGES,
    ),
    ("members-list", "get", lambda c: f"{API}/groups/{c.group.pk}/members/", None, 200, MANAGES),
    (
        "member-add",
        "post",
        lambda c: f"{API}/groups/{c.group.pk}/members/",
        lambda c: {"user": "agent"},
        201,
        MANAGES,
    ),
    (
        "member-remove",
        "delete",
        lambda c: f"{API}/groups/{c.group.pk}/members/{c.member.pk}/",
        None,
        204,
        MANAGES,
    ),
    ("calendars-list", "get", lambda c: f"{API}/calendars/", None, 200, MANAGES),
    ("calendar-detail", "get", lambda c: f"{API}/calendars/{c.calendar.pk}/", None, 200, MANAGES),
    (
        "calendar-create",
        "post",
        lambda c: f"{API}/calendars/",
        lambda c: {"name": "Ny kalender", "week": WEEK},
        201,
        MANAGES,
    ),
    (
        "calendar-update",
        "patch",
        lambda c: f"{API}/calendars/{c.calendar.pk}/",
        lambda c: {"version": c.calendar.version, "name": "Omdöpt"},
        200,
        MANAGES,
    ),
    (
        "days-list",
        "get",
        lambda c: f"{API}/calendars/{c.calendar.pk}/days/",
        None,
        200,
        MANAGES,
    ),
    (
        "day-set",
        "post",
        lambda c: f"{API}/calendars/{c.calendar.pk}/days/",
        lambda c: {"date": "2027-01-08", "hours": [["08:00", "12:00"]]},
        201,
        MANAGES,
    ),
    (
        "day-remove",
        "delete",
        lambda c: f"{API}/calendars/{c.calendar.pk}/days/2027-01-07/",
        None,
        204,
        MANAGES,
    ),
    ("matrix-list", "get", lambda c: f"{API}/priority-matrix/", None, 200, MANAGES),
    (
        "matrix-cell",
        "patch",
        lambda c: f"{API}/priority-matrix/low-low/",
        lambda c: {
            "version": next(
                x["version"]
                for x in _matrix_cells(c)
                if x["cell"] == "low-low"  # the version read
            ),
            "priority": "P3",
        },
        200,
        MANAGES,
    ),
    ("policies-list", "get", lambda c: f"{API}/policies/", None, 200, MANAGES),
    ("policy-detail", "get", lambda c: f"{API}/policies/{c.policy.pk}/", None, 200, MANAGES),
    (
        "policy-create",
        "post",
        lambda c: f"{API}/policies/",
        lambda c: {
            "name": "P1 utökad",
            "priority": "P1",
            "service_tier": "extended",
            "response_minutes": 10,
            "resolution_minutes": 60,
            "calendar": c.policy.calendar_id,
        },
        201,
        MANAGES,
    ),
    (
        "policy-update",
        "patch",
        lambda c: f"{API}/policies/{c.policy.pk}/",
        lambda c: {"version": c.policy.version, "name": "Låg"},
        200,
        MANAGES,
    ),
    ("vips-list", "get", lambda c: f"{API}/vips/", None, 200, MANAGES),
    ("vip-detail", "get", lambda c: f"{API}/vips/{c.vip.pk}/", None, 200, MANAGES),
    (
        "vip-add",
        "post",
        lambda c: f"{API}/vips/",
        lambda c: {"user": "anvandare-fargelanda", "reason": "Revisor"},
        201,
        MANAGES,
    ),
    ("vip-remove", "post", lambda c: f"{API}/vips/{c.vip.pk}/remove/", None, 200, MANAGES),
    ("rules-list", "get", lambda c: f"{API}/escalation-rules/", None, 200, MANAGES),
    ("rule-detail", "get", lambda c: f"{API}/escalation-rules/{c.rule.pk}/", None, 200, MANAGES),
    (
        "rule-create",
        "post",
        lambda c: f"{API}/escalation-rules/",
        lambda c: {"name": "Ny regel", "trigger": "resolution_breach", "raise_priority": True},
        201,
        MANAGES,
    ),
    (
        "rule-update",
        "patch",
        lambda c: f"{API}/escalation-rules/{c.rule.pk}/",
        lambda c: {"version": c.rule.version, "is_active": False},
        200,
        MANAGES,
    ),
    ("routing-get", "get", lambda c: f"{API}/routing/", None, 200, MANAGES),
    (
        "routing-save",
        "put",
        lambda c: f"{API}/routing/",
        lambda c: {"version": _routing_version(c), "replace_incidents": 4},
        200,
        MANAGES,
    ),
    (
        "attachments-list",
        "get",
        lambda c: f"/api/v1/tickets/{c.ticket.pk}/attachments/",
        None,
        200,
        SEES,
    ),
    (
        "attachment-upload",
        "post",
        lambda c: f"/api/v1/tickets/{c.ticket.pk}/attachments/",
        lambda c: {"file": _png()},
        201,
        SEES,
    ),
    (
        "attachment-detail",
        "get",
        lambda c: f"{API}/attachments/{c.attachment.pk}/",
        None,
        200,
        SEES,
    ),
    (
        "attachment-download",
        "get",
        lambda c: f"{API}/attachments/{c.attachment.pk}/download/",
        None,
        200,
        SEES,
    ),
]


def _routing_version(config: Any) -> int:
    from itfabrik.servicedesk import selectors

    current = selectors.routing_settings_get(cooperation_id=config.ticket.cooperation_id)
    return current.version if current is not None else 0


def _matrix_cells(config: Any) -> list[dict[str, Any]]:
    from itfabrik.servicedesk.api.manage import _cells

    return _cells(config.ticket.cooperation_id)


def _matrix_params() -> list[Any]:
    out = []
    for name, method, url, body, success, matrix in ENDPOINTS:
        for param in actor_params(matrix):
            actor, expected = param.values
            code = success if expected == 200 else expected
            out.append(pytest.param(method, url, body, actor, code, id=f"{name}-{param.id}"))
    return out


@pytest.mark.parametrize(("method", "url", "body", "actor", "expected"), _matrix_params())
def test_api_configuration_and_attachments(
    api_as: Any, config: Any, method: str, url: Any, body: Any, actor: Any, expected: int
) -> None:
    """Every new endpoint as every actor: the expected status, and a refused call (read or
    write) changes nothing and answers in the one error format."""
    from itfabrik.core.tests import assert_error

    client = api_as(actor)
    data = body(config) if body is not None else None
    before = db_state()
    kwargs: dict[str, Any] = {}
    if data is not None:
        kwargs = {"data": data, "format": "multipart" if "file" in data else "json"}
    r = getattr(client, method)(url(config), **kwargs)
    if expected >= 400:
        codes = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
        assert_error(r, expected, codes[expected])
        assert_unchanged(before)
    else:
        assert r.status_code == expected, r.content[:300]


def test_api_configuration_of_another_cooperation_is_not_found(api_as: Any, desk: Any) -> None:
    """The Dalsland admin does not see, list or change another cooperation's settings: 404 as
    for an id that does not exist, and naming it on a create is a 400 on the field."""
    from itfabrik.core.actors import SYSTEM
    from itfabrik.core.tests import MISSING_ID, assert_error
    from itfabrik.servicedesk import services
    from itfabrik.tenancy import services as tenancy_services

    other = tenancy_services.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")
    group = services.group_create(actor=SYSTEM, cooperation=other, name="Hemlig", kind="network")
    calendar = services.calendar_create(
        actor=SYSTEM, cooperation=other, name="Hemlig kalender", week=WEEK
    )
    rule = services.escalation_rule_create(
        actor=SYSTEM, cooperation=other, name="Hemlig regel", trigger="warning"
    )
    client = api_as(ADMIN)
    before = db_state()
    for path, pk in (
        ("groups", group.pk),
        ("calendars", calendar.pk),
        ("escalation-rules", rule.pk),
    ):
        missing = client.get(f"{API}/{path}/{MISSING_ID}/")
        r = client.get(f"{API}/{path}/{pk}/")
        assert_error(r, 404, "not_found")
        assert r.json() == missing.json()
        r = client.patch(f"{API}/{path}/{pk}/", {"version": 1, "name": "X"}, format="json")
        assert_error(r, 404, "not_found")
        names = {row["name"] for row in client.get(f"{API}/{path}/").json()["results"]}
        assert not any(n.startswith("Hemlig") for n in names)
    assert_error(client.get(f"{API}/calendars/{calendar.pk}/days/"), 404, "not_found")
    assert_error(client.get(f"{API}/priority-matrix/", {"cooperation": other.pk}), 400, "invalid")
    r = client.post(
        f"{API}/groups/", {"cooperation": other.pk, "name": "X", "kind": "network"}, format="json"
    )
    assert "cooperation" in assert_error(r, 400, "invalid")["fields"]
    assert_unchanged(before)
