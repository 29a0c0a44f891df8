"""The service desk's configuration API (groups, calendars, the priority matrix, SLA policies,
the VIP list) and ticket attachments: what a manager can do, bad input (400 naming the field in
Swedish and English, nothing written), stale versions (409, nothing written), lists filtered and
sorted with a query count that does not grow with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itfabrik.core.tests import assert_error, assert_unchanged, db_state, list_query_count
from itfabrik.servicedesk import services
from itfabrik.servicedesk.models import (
    AssignmentGroup,
    BusinessCalendar,
    CalendarDay,
    GroupMember,
    PriorityRule,
    SlaPolicy,
    TicketAttachment,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/servicedesk"
WEEK = [[["08:00", "12:00"], ["13:00", "16:30"]]] * 5 + [[], []]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _field_error(response: Any, field: str) -> dict[str, str]:
    """The first message on `field` (or a part of it: "week.0.1") of a 400, in both
    languages."""
    error = assert_error(response, 400, "invalid")
    names = [k for k in error["fields"] if k == field or k.startswith(f"{field}.")]
    assert names, error
    messages = error["fields"][names[0]][0]["messages"]
    assert messages["sv"], messages
    assert messages["en"], messages
    return messages  # type: ignore[no-any-return]


# --- groups -------------------------------------------------------------------------------------


def test_group_create_update_retire_and_members(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    r = admin.post(
        f"{API}/groups/",
        {"name": "2:a linjen skrivare", "kind": "network", "lead": "tekniker", "email": ""},
        format="json",
    )
    assert r.status_code == 201, r.content
    group = r.json()
    assert group["lead"] == desk.tekniker.pk
    assert group["member_count"] == 0
    assert group["is_active"] is True
    url = f"{API}/groups/{group['id']}/"

    r = admin.post(f"{url}members/", {"user": "agent"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["username"] == "agent"
    assert admin.post(f"{url}members/", {"user": desk.agent.pk}, format="json").status_code == 200
    r = admin.get(f"{url}members/")
    assert [m["username"] for m in r.json()["results"]] == ["agent"]
    assert admin.get(url).json()["member_count"] == 1

    before = db_state()
    stale = admin.patch(url, {"version": group["version"] + 1, "name": "X"}, format="json")
    assert_error(stale, 409, "conflict")
    _field_error(
        admin.patch(url, {"version": group["version"], "kind": "nonsense"}, format="json"), "kind"
    )
    _field_error(
        admin.patch(url, {"version": group["version"], "lead": "ingen-alls"}, format="json"),
        "lead",
    )
    assert_unchanged(before)

    r = admin.patch(url, {"version": group["version"], "is_active": False}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["is_active"] is False
    assert r.json()["version"] == group["version"] + 1
    assert AssignmentGroup.objects.filter(pk=group["id"]).exists()  # retired, not deleted

    assert admin.delete(f"{url}members/{desk.agent.pk}/").status_code == 204
    assert not GroupMember.objects.filter(group_id=group["id"]).exists()
    assert_error(admin.delete(f"{url}members/{desk.agent.pk}/"), 404, "not_found")
    # No DELETE of the group itself.
    assert admin.delete(url).status_code == 405


def test_group_bad_input_names_the_field_in_both_languages(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    before = db_state()
    messages = _field_error(
        admin.post(f"{API}/groups/", {"name": "Ny", "kind": "nonsense"}, format="json"), "kind"
    )
    assert messages["sv"] != messages["en"]
    _field_error(admin.post(f"{API}/groups/", {"kind": "network"}, format="json"), "name")
    _field_error(
        admin.post(f"{API}/groups/", {"name": "Ny", "kind": "network", "lead": "x"}, format="json"),
        "lead",
    )
    _field_error(
        admin.post(
            f"{API}/groups/",
            {"name": "Ny", "kind": "network", "cooperation": 987654},
            format="json",
        ),
        "cooperation",
    )
    assert_unchanged(before)


def test_group_list_filtered_sorted_with_fixed_query_count(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    url = f"{API}/groups/"
    few, n_few = list_query_count(admin, url, is_active="true", ordering="-member_count")
    for n in range(3):
        services.group_create(
            actor=desk.user("admin"),
            cooperation=desk.cooperation,
            name=f"Grupp {n}",
            kind="network",
        )
    many, n_many = list_query_count(admin, url, is_active="true", ordering="-member_count")
    assert n_many == n_few + 3
    assert few == many
    rows = admin.get(url, {"ordering": "-member_count"}).json()["results"]
    counts = [g["member_count"] for g in rows]
    assert counts == sorted(counts, reverse=True)
    found = admin.get(url, {"q": "grupp 1", "kind": "network"}).json()
    assert [g["name"] for g in found["results"]] == ["Grupp 1"]
    group = desk.groups["Servicedesk 1:a linjen"]
    members, _n = list_query_count(admin, f"{url}{group.pk}/members/")
    services.group_add_members(
        actor=desk.user("admin"), group=group, users=[desk.user("tekniker"), desk.user("admin")]
    )
    members_after, _n = list_query_count(admin, f"{url}{group.pk}/members/")
    assert members == members_after


# --- calendars ----------------------------------------------------------------------------------


def test_calendar_create_update_and_days(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    r = admin.post(
        f"{API}/calendars/",
        {"name": "Kvällsjour", "week": WEEK, "eves": ["julafton"]},
        format="json",
    )
    assert r.status_code == 201, r.content
    cal = r.json()
    assert cal["week"] == WEEK
    assert cal["swedish_holidays"] is True
    url = f"{API}/calendars/{cal['id']}/"

    r = admin.post(f"{url}days/", {"date": "2026-12-23", "note": "Personalfest"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["hours"] == []
    r = admin.post(
        f"{url}days/", {"date": "2026-12-30", "hours": [["08:00", "12:00"]]}, format="json"
    )
    assert r.status_code == 201
    assert [d["date"] for d in admin.get(f"{url}days/").json()["results"]] == [
        "2026-12-23",
        "2026-12-30",
    ]
    closed = admin.get(f"{url}days/", {"closed": "true"}).json()["results"]
    assert [d["date"] for d in closed] == ["2026-12-23"]
    since = admin.get(f"{url}days/", {"since": "2026-12-24"}).json()["results"]
    assert [d["date"] for d in since] == ["2026-12-30"]
    # Setting a day bumps the calendar's version: an edit made before it is stale.
    before = db_state()
    stale = admin.patch(url, {"version": cal["version"], "name": "Y"}, format="json")
    assert_error(stale, 409, "conflict")
    assert_unchanged(before)
    current = admin.get(url).json()
    r = admin.patch(
        url, {"version": current["version"], "name": "Kvällsjour 2", "eves": []}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "Kvällsjour 2"
    assert r.json()["eves"] == []

    assert admin.delete(f"{url}days/2026-12-23/").status_code == 204
    assert not CalendarDay.objects.filter(calendar_id=cal["id"], date="2026-12-23").exists()
    assert_error(admin.delete(f"{url}days/2026-12-23/"), 404, "not_found")
    assert_error(admin.delete(f"{url}days/2026-13-45/"), 404, "not_found")
    # Removing a day bumps the version too.
    r = admin.patch(url, {"version": r.json()["version"], "is_active": False}, format="json")
    assert_error(r, 409, "conflict")


def test_calendar_bad_input_names_the_field(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    cal = BusinessCalendar.objects.filter(cooperation=desk.cooperation).first()
    assert cal is not None
    before = db_state()
    _field_error(
        admin.post(f"{API}/calendars/", {"name": "X", "week": WEEK[:6]}, format="json"), "week"
    )
    backwards = [[["16:00", "08:00"]]] * 7
    messages = _field_error(
        admin.post(f"{API}/calendars/", {"name": "X", "week": backwards}, format="json"), "week"
    )
    assert messages["sv"] != messages["en"]
    _field_error(
        admin.post(
            f"{API}/calendars/", {"name": "X", "week": WEEK, "eves": ["påsk"]}, format="json"
        ),
        "eves",
    )
    _field_error(
        admin.post(
            f"{API}/calendars/{cal.pk}/days/",
            {"date": "2026-12-24", "hours": [["9", "x"]]},
            format="json",
        ),
        "hours",
    )
    # A calendar an active policy uses cannot be retired.
    in_use = SlaPolicy.objects.filter(cooperation=desk.cooperation, is_active=True).first()
    assert in_use is not None
    cal_in_use = in_use.calendar
    _field_error(
        admin.patch(
            f"{API}/calendars/{cal_in_use.pk}/",
            {"version": cal_in_use.version, "is_active": False},
            format="json",
        ),
        "is_active",
    )
    assert_unchanged(before)


def test_calendar_lists_have_fixed_query_counts(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    url = f"{API}/calendars/"
    few, n_few = list_query_count(admin, url, ordering="-name", is_active="true")
    for n in range(3):
        services.calendar_create(
            actor=desk.user("admin"), cooperation=desk.cooperation, name=f"Kal {n}", week=WEEK
        )
    many, n_many = list_query_count(admin, url, ordering="-name", is_active="true")
    assert (n_many, many) == (n_few + 3, few)
    names = [c["name"] for c in admin.get(url, {"ordering": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True)
    assert [c["name"] for c in admin.get(url, {"q": "kal 2"}).json()["results"]] == ["Kal 2"]
    cal = BusinessCalendar.objects.get(name="Kal 0")
    days_url = f"{url}{cal.pk}/days/"
    services.calendar_set_day(actor=desk.user("admin"), calendar=cal, date="2027-01-01", hours=[])
    few, _n = list_query_count(admin, days_url)
    for day in (2, 3, 4):
        services.calendar_set_day(
            actor=desk.user("admin"), calendar=cal, date=f"2027-01-0{day}", hours=[]
        )
    many, n_many = list_query_count(admin, days_url)
    assert (n_many, many) == (4, few)


# --- the priority matrix ------------------------------------------------------------------------


def test_matrix_lists_nine_cells_and_updates_one_with_its_version(
    api_as: Any, desk: Any, django_assert_num_queries: Any
) -> None:
    admin = api_as("admin")
    url = f"{API}/priority-matrix/"
    admin.get(url)
    # The token and its user, the grants, the managed cooperations, the cells.
    with django_assert_num_queries(5):
        r = admin.get(url)
    cells = r.json()
    assert len(cells) == 9
    cell = next(c for c in cells if c["cell"] == "low-low")
    PriorityRule.objects.filter(cooperation=desk.cooperation, impact="low", urgency="low").delete()
    r = admin.patch(f"{url}low-low/", {"version": 0, "priority": "P5"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["priority"] == "P5"
    assert r.json()["is_default"] is False
    assert r.json()["version"] >= 1
    before = db_state()
    assert_error(
        admin.patch(f"{url}low-low/", {"version": 0, "priority": "P4"}, format="json"),
        409,
        "conflict",
    )
    _field_error(
        admin.patch(
            f"{url}low-low/", {"version": r.json()["version"], "priority": "P9"}, format="json"
        ),
        "priority",
    )
    assert_error(
        admin.patch(f"{url}low-nope/", {"version": 0, "priority": "P4"}, format="json"),
        404,
        "not_found",
    )
    assert_unchanged(before)
    with django_assert_num_queries(5):
        r = admin.get(url)
    assert next(c for c in r.json() if c["cell"] == "low-low")["priority"] == "P5"
    assert cell["cooperation"] == desk.cooperation.pk


# --- SLA policies and the VIP list --------------------------------------------------------------


def test_policy_create_filters_and_query_count(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    cal = SlaPolicy.objects.filter(cooperation=desk.cooperation, is_active=True).first().calendar  # type: ignore[union-attr]
    url = f"{API}/policies/"
    few, n_few = list_query_count(admin, url, is_active="true", ordering="-resolution_minutes")
    body = {
        "name": "P2 utökad",
        "priority": "P2",
        "service_tier": "extended",
        "response_minutes": 15,
        "resolution_minutes": 120,
        "calendar": cal.pk,
    }
    r = admin.post(url, body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["service_tier"] == "extended"
    many, n_many = list_query_count(admin, url, is_active="true", ordering="-resolution_minutes")
    assert (n_many, many) == (n_few + 1, few)
    p2 = admin.get(url, {"priority": "P2"}).json()["results"]
    assert {p["priority"] for p in p2} == {"P2"}
    before = db_state()
    # The same priority and tier twice (both active) is refused.
    assert admin.post(url, body, format="json").status_code == 400
    _field_error(admin.post(url, {**body, "calendar": 987654}, format="json"), "calendar")
    _field_error(admin.post(url, {**body, "service_tier": "gold"}, format="json"), "service_tier")
    _field_error(
        admin.post(url, {**body, "response_minutes": 0}, format="json"), "response_minutes"
    )
    assert_unchanged(before)


def test_vip_list_filtered(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    services.vip_add(
        actor=desk.user("admin"), cooperation=desk.cooperation, user=desk.bjorn, reason="KS ordf"
    )
    vip = services.vip_add(
        actor=desk.user("admin"), cooperation=desk.cooperation, user=desk.fia, reason="Revisor"
    )
    services.vip_remove(actor=desk.user("admin"), vip=vip)
    active = admin.get(f"{API}/vips/", {"is_active": "true"}).json()["results"]
    assert desk.bjorn.pk in {v["user"] for v in active}
    assert desk.fia.pk not in {v["user"] for v in active}
    found = admin.get(f"{API}/vips/", {"q": "revisor"}).json()["results"]
    assert [v["user"] for v in found] == [desk.fia.pk]


# --- attachments --------------------------------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client: Any, ticket: Any, data: bytes, name: str = "bild.png", **extra: Any) -> Any:
    return client.post(
        f"/api/v1/tickets/{ticket.pk}/attachments/",
        {"file": SimpleUploadedFile(name, data), **extra},
        format="multipart",
    )


def test_attachments_upload_list_and_download(api_as: Any, desk: Any, media: Any) -> None:
    ticket = desk.ticket()
    fia = api_as("anvandare-fargelanda")
    r = _upload(fia, ticket, PNG, "skärmdump.png")
    assert r.status_code == 201, r.content
    public = r.json()
    assert public["content_type"] == "image/png"
    assert public["internal"] is False
    agent = api_as("agent")
    r = _upload(agent, ticket, b"Loggen visar fel 0x80070005.\n", "logg.txt", internal="true")
    assert r.status_code == 201, r.content
    internal = r.json()
    assert internal["internal"] is True
    # The requester does not see the internal file; staff see both.
    mine = fia.get(f"/api/v1/tickets/{ticket.pk}/attachments/").json()
    assert [a["id"] for a in mine["results"]] == [public["id"]]
    theirs = agent.get(f"/api/v1/tickets/{ticket.pk}/attachments/", {"ordering": "-created_at"})
    assert {a["id"] for a in theirs.json()["results"]} == {public["id"], internal["id"]}
    r = fia.get(f"{API}/attachments/{public['id']}/download/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert r["Content-Type"] == "image/png"
    assert "attachment" in r["Content-Disposition"]
    assert fia.get(f"{API}/attachments/{public['id']}/").json()["name"] == "skärmdump.png"
    assert_error(fia.get(f"{API}/attachments/{internal['id']}/download/"), 404, "not_found")
    # Another municipality's user: 404 everywhere, nothing written.
    bjorn = api_as("anvandare-bengtsfors")
    before = db_state()
    assert_error(bjorn.get(f"{API}/attachments/{public['id']}/download/"), 404, "not_found")
    assert_error(bjorn.get(f"{API}/attachments/{public['id']}/"), 404, "not_found")
    assert_error(bjorn.get(f"/api/v1/tickets/{ticket.pk}/attachments/"), 404, "not_found")
    assert_error(_upload(bjorn, ticket, PNG), 404, "not_found")
    # The requester may not mark a file internal.
    assert_error(_upload(fia, ticket, PNG, internal="true"), 403, "forbidden")
    assert_unchanged(before)


def test_refused_uploads_name_the_file_field_and_store_nothing(
    api_as: Any, desk: Any, media: Any, settings: Any
) -> None:
    ticket = desk.ticket()
    agent = api_as("agent")
    settings.ITFABRIK_SERVICEDESK_ATTACHMENT_MAX_BYTES = 32
    before = db_state()
    too_big = _field_error(_upload(agent, ticket, PNG), "file")
    assert "MB" in too_big["en"]
    settings.ITFABRIK_SERVICEDESK_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    wrong = _field_error(_upload(agent, ticket, EXE, "bild.png"), "file")
    assert wrong["sv"] != wrong["en"]
    _field_error(_upload(agent, ticket, b"", "tom.png"), "file")
    r = agent.post(f"/api/v1/tickets/{ticket.pk}/attachments/", {}, format="multipart")
    _field_error(r, "file")
    r = agent.post(f"/api/v1/tickets/{ticket.pk}/attachments/", {"file": "x"}, format="json")
    assert_error(r, 415, "unsupported_media_type")
    assert_unchanged(before)
    assert not list(media.iterdir()) or not any(p.is_file() for p in media.rglob("*"))


def test_attachment_list_query_count(api_as: Any, desk: Any, media: Any) -> None:
    ticket = desk.ticket()
    agent = api_as("agent")
    url = f"/api/v1/tickets/{ticket.pk}/attachments/"
    _upload(agent, ticket, PNG)
    few, _n = list_query_count(agent, url)
    for _i in range(3):
        _upload(agent, ticket, PNG)
    many, n_many = list_query_count(agent, url)
    assert (n_many, many) == (4, few)
    assert TicketAttachment.objects.filter(ticket=ticket).count() == 4


# --- escalation and routing rules ---------------------------------------------------------------


def test_escalation_rules_create_update_filter(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    url = f"{API}/escalation-rules/"
    services.escalation_rule_create(
        actor=desk.user("admin"), cooperation=desk.cooperation, name="Första", trigger="warning"
    )
    few, n_few = list_query_count(admin, url, trigger="warning", ordering="-name")
    group = desk.groups["Servicedesk 1:a linjen"]
    body = {
        "name": "P1 varning till nätverk",
        "trigger": "warning",
        "priorities": ["P1", "P2"],
        "group_ids": [group.pk],
        "reassign_to": group.pk,
    }
    r = admin.post(url, body, format="json")
    assert r.status_code == 201, r.content
    rule = r.json()
    assert rule["priorities"] == ["P1", "P2"]
    assert rule["reassign_to"] == group.pk
    many, n_many = list_query_count(admin, url, trigger="warning", ordering="-name")
    assert (n_many, many) == (n_few + 1, few)
    found = admin.get(url, {"q": "nätverk"}).json()["results"]
    assert [x["id"] for x in found] == [rule["id"]]
    before = db_state()
    _field_error(
        admin.post(url, {**body, "name": "A", "priorities": ["P9"]}, format="json"), "priorities"
    )
    _field_error(
        admin.post(url, {**body, "name": "B", "group_ids": [987654]}, format="json"), "group_ids"
    )
    _field_error(
        admin.post(url, {**body, "name": "C", "reassign_to": 987654}, format="json"), "reassign_to"
    )
    none = {**body, "name": "D", "notify": False, "reassign_to": None}
    _field_error(admin.post(url, none, format="json"), "notify")
    _field_error(admin.post(url, {**body, "trigger": "never"}, format="json"), "trigger")
    stale = admin.patch(
        f"{url}{rule['id']}/", {"version": rule["version"] + 1, "name": "X"}, format="json"
    )
    assert_error(stale, 409, "conflict")
    assert_unchanged(before)
    r = admin.patch(
        f"{url}{rule['id']}/", {"version": rule["version"], "is_active": False}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["is_active"] is False


def test_routing_rules_save_with_version(api_as: Any, desk: Any) -> None:
    admin = api_as("admin")
    url = f"{API}/routing/"
    current = admin.get(url).json()
    body = {
        "version": current["version"],
        "learning_url": "https://larplattform.example.se/",
        "training_keywords": ["Hur gör jag", "Excel"],
        "replace_incidents": 3,
        "replace_days": 60,
    }
    r = admin.put(url, body, format="json")
    assert r.status_code == 200, r.content
    saved = r.json()
    assert saved["training_keywords"] == ["hur gör jag", "excel"]
    assert saved["replace_incidents"] == 3
    assert saved["version"] >= 1
    assert admin.get(url).json() == saved
    before = db_state()
    assert_error(admin.put(url, {**body, "replace_days": 30}, format="json"), 409, "conflict")
    fresh = {**body, "version": saved["version"]}
    _field_error(admin.put(url, {**fresh, "learning_url": ""}, format="json"), "learning_url")
    _field_error(
        admin.put(url, {**fresh, "training_service_ids": [987654]}, format="json"),
        "training_service_ids",
    )
    _field_error(
        admin.put(url, {**fresh, "replace_incidents": 1}, format="json"), "replace_incidents"
    )
    _field_error(admin.get(url, {"cooperation": 987654}), "cooperation")
    assert_unchanged(before)
