"""The configuration pages (cooperation admin): groups, the matrix, calendars, policies with the
recompute job, the VIP list. Lists keep their query count; every write is audited; a stale
edit is refused; other people and other cooperations get 404 and change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state, page_query_count
from itfabrik.servicedesk import services
from itfabrik.servicedesk.models import (
    AssignmentGroup,
    BusinessCalendar,
    GroupMember,
    PriorityRule,
    RecomputeJob,
    SlaPolicy,
    VipPerson,
)

from .fixtures import local

pytestmark = pytest.mark.django_db

PAGES = [
    "/servicedesk/installningar/",
    "/servicedesk/installningar/grupper/",
    "/servicedesk/installningar/grupper/ny/",
    "/servicedesk/installningar/prioritet/",
    "/servicedesk/installningar/kalendrar/",
    "/servicedesk/installningar/sla/",
    "/servicedesk/installningar/vip/",
    "/servicedesk/installningar/eskalering/",
    "/servicedesk/installningar/eskalering/ny/",
    "/servicedesk/installningar/routning/",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_for_the_admin_only(web_as: Any, desk: Any, path: str) -> None:
    assert web_as("admin").get(path).status_code == 200
    assert web_as("agent").get(path).status_code == 404
    assert web_as("anvandare-fargelanda").get(path).status_code == 404


def _calendar(desk: Any) -> BusinessCalendar:
    return BusinessCalendar.objects.get(cooperation=desk.cooperation, name="Servicedesk Dalsland")


def _other_cooperation() -> Any:
    from itfabrik.tenancy import services as tenancy_services

    other = tenancy_services.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")
    cal = services.calendar_create(
        actor=SYSTEM, cooperation=other, name="Annans kalender", week=[[]] * 7
    )
    group = services.group_create(actor=SYSTEM, cooperation=other, name="Annan grupp", kind="o365")
    return other, cal, group


def test_other_cooperations_records_are_404_and_unchanged(web_as: Any, desk: Any) -> None:
    _other, cal, group = _other_cooperation()
    client = web_as("admin")
    before = db_state()
    assert client.get(f"/servicedesk/installningar/kalendrar/{cal.pk}/").status_code == 404
    r = client.post(
        f"/servicedesk/installningar/kalendrar/{cal.pk}/",
        {"save_day": "1", "date": "2026-12-28", "hours": ""},
    )
    assert r.status_code == 404
    r = client.post(
        f"/servicedesk/installningar/grupper/{group.pk}/",
        {"version": group.version, "name": "Kapad", "kind": "o365"},
    )
    assert r.status_code == 404
    assert_unchanged(before)
    names = [g.name for g in client.get("/servicedesk/installningar/grupper/").context["page"]]
    assert "Annan grupp" not in names


def test_group_list_query_count_is_fixed_and_sorted(web_as: Any, desk: Any) -> None:
    client = web_as("admin")
    url = "/servicedesk/installningar/grupper/?sort=-name"
    few, r = page_query_count(client, url)
    n = r.context["page"].paginator.count
    for i in range(3):
        group = services.group_create(
            actor=desk.user("admin"),
            cooperation=desk.cooperation,
            name=f"Testgrupp {i}",
            kind="o365",
        )
        services.group_add_members(actor=desk.user("admin"), group=group, users=[desk.agent])
    many, r = page_query_count(client, url)
    assert r.context["page"].paginator.count == n + 3
    assert few == many
    names = [g.name for g in r.context["page"]]
    assert names == sorted(names, reverse=True)
    r = client.get("/servicedesk/installningar/grupper/", {"q": "Testgrupp 1"})
    assert [g.name for g in r.context["page"]] == ["Testgrupp 1"]


def test_group_create_edit_members_and_conflict(web_as: Any, desk: Any) -> None:
    client = web_as("admin")
    r = client.post(
        "/servicedesk/installningar/grupper/ny/",
        {"name": "Skrivare", "kind": "specialists", "lead": desk.user("admin").pk, "email": ""},
    )
    assert r.status_code == 302
    group = AssignmentGroup.objects.get(name="Skrivare")
    assert group.lead == desk.user("admin")
    url = f"/servicedesk/installningar/grupper/{group.pk}/"
    r = client.post(f"{url}medlemmar/", {"user": desk.tekniker.pk})
    assert GroupMember.objects.filter(group=group, user=desk.tekniker).exists()
    r = client.post(f"{url}medlemmar/", {"remove": desk.tekniker.pk})
    assert not GroupMember.objects.filter(group=group, user=desk.tekniker).exists()
    kinds = set(
        AuditEntry.objects.filter(object_type="servicedesk.groupmember").values_list(
            "action", flat=True
        )
    )
    assert {"create", "delete"} <= kinds
    # Close the group (never deleted) …
    r = client.post(
        url, {"version": group.version, "name": "Skrivare", "kind": "specialists", "email": ""}
    )
    assert r.status_code == 302
    group.refresh_from_db()
    assert group.is_active is False
    # … and a stale form is refused, nothing changed.
    before = db_state()
    r = client.post(
        url,
        {"version": group.version - 1, "name": "Annat", "kind": "o365", "is_active": "on"},
    )
    assert r.status_code == 200
    assert "Någon annan har ändrat" in r.content.decode()
    assert_unchanged(before)


def test_matrix_preview_saves_nothing_and_save_is_audited(web_as: Any, desk: Any) -> None:
    client = web_as("admin")
    r = client.get("/servicedesk/installningar/prioritet/")
    data = {k: v for k, v in r.context["form"].initial.items()}
    assert data["medium_medium"] == "P3"
    data["medium_medium"] = "P2"
    before = db_state()
    r = client.post("/servicedesk/installningar/prioritet/", {**data, "preview": "1"})
    assert r.status_code == 200
    changed = [row for row in r.context["preview"] if row[5]]
    assert len(changed) == 1
    assert changed[0][2:5] == ("P3", "P2", "P1")
    assert_unchanged(before)
    r = client.post("/servicedesk/installningar/prioritet/", {**data, "save": "1"})
    assert r.status_code == 302
    assert (
        PriorityRule.objects.get(
            cooperation=desk.cooperation, impact="medium", urgency="medium"
        ).priority
        == "P2"
    )
    assert desk.ticket().priority == "P2"
    # The old fingerprint is stale now: refused, unchanged.
    before = db_state()
    r = client.post("/servicedesk/installningar/prioritet/", {**data, "medium_medium": "P4"})
    assert "Någon annan har ändrat" in r.content.decode()
    assert_unchanged(before)


def test_calendar_edit_days_and_coming_closed_days(web_as: Any, desk: Any) -> None:
    cal = _calendar(desk)
    client = web_as("admin")
    url = f"/servicedesk/installningar/kalendrar/{cal.pk}/"
    r = client.get(url)
    names = {name for _d, name, _h in r.context["coming"]}
    assert "Juldagen" in names
    assert "julafton" in {n.lower() for n in names}
    # Bad hours: the field is named, nothing changes.
    form = {
        "save_calendar": "1",
        "version": cal.version,
        "name": cal.name,
        "swedish_holidays": "on",
        "eves": ["midsommarafton", "julafton", "nyårsafton"],
        "is_active": "on",
        **{f"day_{n}": "08:00-16:30" for n in range(5)},
        "day_5": "",
        "day_6": "",
    }
    before = db_state()
    r = client.post(url, {**form, "day_2": "17:00-08:00"})
    assert r.status_code == 200
    assert "Onsdag" in r.content.decode()
    assert "08:00-16:30" in r.content.decode()
    assert_unchanged(before)
    r = client.post(url, {**form, "day_4": "08:00-15:00"})
    assert r.status_code == 302
    cal.refresh_from_db()
    assert cal.week[4] == [["08:00", "15:00"]]
    # An extra closed day with its name, then removed again (a mistake): both audited.
    r = client.post(url, {"save_day": "1", "date": "2026-12-28", "hours": "", "note": "Flytt"})
    assert r.status_code == 302
    coming = client.get(url).context["coming"]
    assert (dt.date(2026, 12, 28), "Flytt", "") in coming
    r = client.post(f"{url}ta-bort-dag/", {"date": "2026-12-28"})
    assert not cal.days.filter(date=dt.date(2026, 12, 28)).exists()
    assert AuditEntry.objects.filter(
        object_type="servicedesk.calendarday", action="delete"
    ).exists()


def test_policy_edit_recomputes_open_tickets_keeping_used_time(
    web_as: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    policy = SlaPolicy.objects.get(cooperation=desk.cooperation, priority="P3", is_active=True)
    running = desk.ticket()  # Monday 2 March 2026 09:00, due Wednesday 16:00
    paused = desk.ticket(title="Väntar")
    paused = services.ticket_transition(
        actor=desk.agent,
        ticket=paused,
        expected_version=None,
        status="in_progress",
        at=local(2026, 3, 2, 10, 0),
    )
    paused = services.ticket_transition(
        actor=desk.agent,
        ticket=paused,
        expected_version=None,
        status="waiting_requester",
        at=local(2026, 3, 2, 12, 0),
    )
    assert paused.accrued_seconds == 3 * 3600
    client = web_as("admin")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/servicedesk/installningar/sla/{policy.pk}/",
            {
                "version": policy.version,
                "name": policy.name,
                "response_minutes": policy.response_minutes,
                "resolution_minutes": 48 * 60,
                "calendar": policy.calendar_id,
                "is_active": "on",
            },
        )
    assert r.status_code == 302
    job = RecomputeJob.objects.get(policy=policy)
    assert job.status == "done"
    assert job.done == job.total >= 2
    running.refresh_from_db()
    # 48 business hours from Monday 09:00: 7.5 + 4 × 8.5 = 41.5 by Friday, 6.5 on Monday.
    assert running.resolution_due == local(2026, 3, 9, 14, 30)
    paused.refresh_from_db()
    assert paused.accrued_seconds == 3 * 3600
    assert paused.resolution_due is None
    audit = AuditEntry.objects.filter(
        object_type="servicedesk.ticket", object_id=str(running.pk), actor_repr="system"
    ).latest("pk")
    assert "resolution_due" in audit.changed_fields
    page = client.get(f"/servicedesk/installningar/sla/{policy.pk}/jobb/").content.decode()
    assert "<progress" in page
    # Running it again changes nothing more.
    assert services.recompute_job_run(job_id=job.pk) == job.changed


def test_policy_stale_edit_and_bad_minutes_change_nothing(web_as: Any, desk: Any) -> None:
    policy = SlaPolicy.objects.get(cooperation=desk.cooperation, priority="P2", is_active=True)
    client = web_as("admin")
    before = db_state()
    data = {
        "version": policy.version,
        "name": policy.name,
        "response_minutes": 0,
        "resolution_minutes": 60,
        "calendar": policy.calendar_id,
        "is_active": "on",
    }
    r = client.post(f"/servicedesk/installningar/sla/{policy.pk}/", data)
    assert r.status_code == 200
    assert "Första svar" in r.content.decode()
    r = client.post(
        f"/servicedesk/installningar/sla/{policy.pk}/",
        {**data, "response_minutes": 30, "version": policy.version - 1},
    )
    assert "Någon annan har ändrat" in r.content.decode()
    assert_unchanged(before)


def test_vip_add_and_remove_with_reason(web_as: Any, desk: Any) -> None:
    client = web_as("admin")
    r = client.post(
        "/servicedesk/installningar/vip/", {"user": desk.fia.pk, "reason": "Kommundirektör"}
    )
    assert r.status_code == 302
    vip = VipPerson.objects.get(user=desk.fia)
    assert vip.reason == "Kommundirektör"
    assert vip.is_active
    assert desk.ticket().is_vip
    r = client.post(f"/servicedesk/installningar/vip/{vip.pk}/ta-bort/")
    vip.refresh_from_db()
    assert vip.is_active is False
    assert not desk.ticket().is_vip
    assert (
        AuditEntry.objects.filter(
            object_type="servicedesk.vipperson", object_id=str(vip.pk)
        ).count()
        >= 2
    )
    few, r = page_query_count(client, "/servicedesk/installningar/vip/?active=all")
    services.vip_add(actor=desk.user("admin"), cooperation=desk.cooperation, user=desk.bjorn)
    many, r = page_query_count(client, "/servicedesk/installningar/vip/?active=all")
    assert few == many
    assert (
        web_as("agent").post(f"/servicedesk/installningar/vip/{vip.pk}/ta-bort/").status_code == 404
    )


def test_calendar_and_policy_lists_keep_their_query_count(web_as: Any, desk: Any) -> None:
    client = web_as("admin")
    admin = desk.user("admin")
    urls = [
        "/servicedesk/installningar/kalendrar/",
        "/servicedesk/installningar/sla/?sort=-resolution",
    ]
    few = [page_query_count(client, u)[0] for u in urls]
    for tier in ("base", "extended"):
        cal = services.calendar_create(
            actor=admin, cooperation=desk.cooperation, name=f"Kalender {tier}", week=[[]] * 7
        )
        services.policy_create(
            actor=admin,
            cooperation=desk.cooperation,
            name=f"P2 {tier}",
            priority="P2",
            service_tier=tier,
            response_minutes=30,
            resolution_minutes=240,
            calendar=cal,
        )
    many = [page_query_count(client, u)[0] for u in urls]
    assert few == many
    r = client.get(urls[1])
    minutes = [p.resolution_minutes for p in r.context["page"]]
    assert minutes == sorted(minutes, reverse=True)


# --- the person search fields (group lead, member, VIP) ----------------------------------------

SEARCH = "/servicedesk/installningar/sok-person/"
VIPS = "/servicedesk/installningar/vip/"
# Session, user, two OTP devices, grants, managed cooperations, the search, the page shell.
SEARCH_QUERIES = 8


def _outsider() -> Any:
    """A person of another cooperation: never one the Dalsland admin may pick."""
    from itfabrik.accounts.models import User

    other, _cal, _group = _other_cooperation()
    return User.objects.create(
        username="fia-annan", first_name="Fia", last_name="Utanför", home_unit=other.root
    )


def _options(r: Any) -> list[str]:
    return [p.username for p in r.context["people"]]


def test_person_search_lists_only_people_the_admin_manages(web_as: Any, desk: Any) -> None:
    outsider = _outsider()
    client = web_as("admin")
    r = client.get(SEARCH, {"user_q": "Fia", "lista": "id_user_listbox"})
    assert r.status_code == 200
    assert _options(r) == ["anvandare-fargelanda"]
    html = r.content.decode()
    assert 'id="id_user_listbox-' in html
    assert outsider.username not in html
    # Every word must match: the first name and a part of the username.
    r = client.get(SEARCH, {"q": "fia fargel"})
    assert _options(r) == ["anvandare-fargelanda"]
    assert _options(client.get(SEARCH, {"q": "Utanför"})) == []
    assert _options(client.get(SEARCH, {"q": ""})) == []


@pytest.mark.parametrize("who", ["agent", "tekniker", "anvandare-fargelanda", "ekonom"])
def test_person_search_is_404_without_the_manage_permission(
    web_as: Any, desk: Any, who: str
) -> None:
    assert web_as(who).get(SEARCH, {"q": "Fia"}).status_code == 404


def test_person_search_sends_the_anonymous_to_login(client: Any, desk: Any) -> None:
    from itfabrik.core.tests import login_redirect

    r = client.get(SEARCH)
    assert r.status_code == 302
    assert r["Location"] == login_redirect(SEARCH)


def test_person_search_query_count_is_fixed(
    web_as: Any, desk: Any, django_assert_num_queries: Any
) -> None:
    from itfabrik.accounts.models import User

    client = web_as("admin")
    with django_assert_num_queries(SEARCH_QUERIES):
        r = client.get(SEARCH, {"q": "Testperson"})
    assert _options(r) == []
    User.objects.bulk_create(
        User(
            username=f"testperson-{i:02}",
            first_name="Testperson",
            last_name=f"Nummer {i:02}",
            home_unit=desk.fia.home_unit,
        )
        for i in range(30)
    )
    with django_assert_num_queries(SEARCH_QUERIES):
        r = client.get(SEARCH, {"q": "Testperson"})
    assert len(_options(r)) == 20
    assert r.context["more"] is True
    assert "Fler träffar finns" in r.content.decode()


def test_a_forged_id_outside_the_scope_is_none_and_changes_nothing(web_as: Any, desk: Any) -> None:
    outsider = _outsider()
    group = desk.groups["Servicedesk 1:a linjen"]
    client = web_as("admin")
    before = db_state()
    for value in (str(outsider.pk), "99999999999999999999"):
        r = client.post(VIPS, {"user": value, "user_q": "Fia Ström", "reason": "Kapad"})
        assert r.status_code == 200
        assert r.context["add"].errors["user"] == ["Ingen person som du kan välja heter så."]
        assert "aria-invalid" in r.content.decode()
    r = client.post(
        "/servicedesk/installningar/grupper/ny/",
        {"name": "Kapad", "kind": "o365", "lead": outsider.pk, "email": ""},
    )
    assert r.context["form"].errors["lead"] == ["Ingen person som du kan välja heter så."]
    r = client.post(
        f"/servicedesk/installningar/grupper/{group.pk}/medlemmar/", {"user": outsider.pk}
    )
    assert r.status_code == 200
    assert r.context["member_form"].errors["user"] == ["Ingen person som du kan välja heter så."]
    # The outsider's username typed without JavaScript is no better.
    r = client.post(VIPS, {"user": "", "user_q": outsider.username, "reason": "Kapad"})
    assert r.context["add"].errors["user"] == ["Ingen person som du kan välja heter så."]
    assert_unchanged(before)


def test_a_typed_name_with_one_match_is_taken(web_as: Any, desk: Any) -> None:
    client = web_as("admin")
    r = client.post(VIPS, {"user": "", "user_q": "fia ström", "reason": "Kommundirektör"})
    assert r.status_code == 302
    assert VipPerson.objects.get(user=desk.fia).reason == "Kommundirektör"
    # The label the list fills in ("Name (username)") names the person exactly.
    r = client.post(
        VIPS, {"user": "", "user_q": "Björn Ek (anvandare-bengtsfors)", "reason": "Rektor"}
    )
    assert r.status_code == 302
    assert VipPerson.objects.get(user=desk.bjorn).reason == "Rektor"
    group = desk.groups["Servicedesk 1:a linjen"]
    assert not GroupMember.objects.filter(group=group, user=desk.tekniker).exists()
    r = client.post(
        f"/servicedesk/installningar/grupper/{group.pk}/medlemmar/", {"user_q": "Tore Karlsson"}
    )
    assert r.status_code == 302
    assert GroupMember.objects.filter(group=group, user=desk.tekniker).exists()


def test_a_typed_name_with_several_matches_asks_for_more(web_as: Any, desk: Any) -> None:
    client = web_as("admin")
    before = db_state()
    r = client.post(VIPS, {"user": "", "user_q": "anvandare", "reason": "Någon"})
    assert r.status_code == 200
    assert r.context["add"].errors["user"] == [
        "Flera personer matchar. Skriv mer av namnet och välj i listan."
    ]
    r = client.post(VIPS, {"user": "", "user_q": "", "reason": "Någon"})
    assert r.context["add"].errors["user"] == ["Sök och välj i listan."]
    assert_unchanged(before)


def test_the_group_form_shows_its_lead_by_name_and_keeps_it(web_as: Any, desk: Any) -> None:
    from itfabrik.core.actors import SYSTEM

    group = desk.groups["Servicedesk 1:a linjen"]
    client = web_as("admin")
    url = f"/servicedesk/installningar/grupper/{group.pk}/"
    html = client.get(url).content.decode()
    lead = group.lead
    assert f'value="{lead.get_full_name()} ({lead.username})" role="combobox"' in html
    assert f'name="lead" value="{lead.pk}"' in html
    # A lead set elsewhere to someone the admin does not manage is kept as it is when the rest
    # of the group is saved, but cannot be chosen anew.
    outsider = _outsider()
    services.group_update(actor=SYSTEM, group=group, expected_version=None, lead=outsider)
    group.refresh_from_db()
    r = client.post(
        url,
        {
            "version": group.version,
            "name": group.name,
            "kind": group.kind,
            "lead": outsider.pk,
            "lead_q": "Fia Utanför (fia-annan)",
            "email": group.email,
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    group.refresh_from_db()
    assert group.lead == outsider
    r = client.post(
        url,
        {
            "version": group.version,
            "name": group.name,
            "kind": group.kind,
            "lead": "",
            "lead_q": "",
            "email": group.email,
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    group.refresh_from_db()
    assert group.lead is None
