"""Issue 13 points 6 and 7: roles that start later or have ended, shown apart on the person's
page; a role not yet started gives nothing; every error of a grant comes in one answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from itfabrik.accounts import permissions as actions
from itfabrik.accounts import services
from itfabrik.accounts.choices import Role
from itfabrik.accounts.models import RoleAssignment, User
from itfabrik.core import permissions
from itfabrik.core.errors import Forbidden, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import (
    ADMIN,
    MELLERUD,
    assert_error,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)

TODAY = timezone.localdate()
START = TODAY + dt.timedelta(days=7)
END = TODAY + dt.timedelta(days=30)


@pytest.fixture
def person(demo: Any) -> User:
    return ensure_same_unit_user(demo)  # type: ignore[no-any-return]


@pytest.fixture
def clock(monkeypatch: Any) -> Callable[[dt.date], None]:
    """Move the calendar: every `timezone.localdate()` of the code under test answers `day`."""

    def move_to(day: dt.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return move_to


def fresh(user: User) -> User:
    """The user as a new request sees them: no grants cached from an earlier day."""
    return User.objects.get(pk=user.pk)


def grant_future_it_contact(demo: Any, person: User) -> RoleAssignment:
    return services.role_assign(
        actor=demo.user("admin"),
        user=person,
        role=Role.IT_CONTACT,
        node=demo.node(MELLERUD),
        recursive=True,
        valid_from=START,
        valid_until=END,
    )


# --- what a role that starts later gives ------------------------------------------------------


def test_a_future_role_gives_no_access_today(demo: Any, person: User, client: Client) -> None:
    mellerud = demo.node(MELLERUD)
    assignment = grant_future_it_contact(demo, person)
    assert (assignment.valid_from, assignment.valid_until) == (START, END)
    assert not permissions.can(fresh(person), actions.VIEW_USER, mellerud)
    assert all(g.role != Role.IT_CONTACT for g in permissions.grants(fresh(person)))
    client.force_login(person)
    assert client.get("/konto/anvandare/").status_code == 404
    token = Token.objects.create(user=person)
    me = client.get("/api/v1/users/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert me.json()["count"] == 0
    # The start page lists only the roles the person holds today.
    assert "IT-kontakt" not in client.get("/").content.decode()


def test_it_gives_access_from_its_start_date(
    demo: Any, person: User, client: Client, clock: Callable[[dt.date], None]
) -> None:
    mellerud = demo.node(MELLERUD)
    grant_future_it_contact(demo, person)
    client.force_login(person)
    clock(START - dt.timedelta(days=1))
    assert not permissions.can(fresh(person), actions.VIEW_USER, mellerud)
    assert client.get("/konto/anvandare/").status_code == 404
    clock(START)
    assert permissions.can(fresh(person), actions.VIEW_USER, mellerud)
    assert client.get("/konto/anvandare/").status_code == 200
    clock(END)
    assert permissions.can(fresh(person), actions.VIEW_USER, mellerud)
    clock(END + dt.timedelta(days=1))
    assert not permissions.can(fresh(person), actions.VIEW_USER, mellerud)
    assert client.get("/konto/anvandare/").status_code == 404


def test_a_role_granted_without_a_start_starts_today(demo: Any, person: User) -> None:
    a = services.role_assign(
        actor=demo.user("admin"), user=person, role=Role.ORDERER, node=demo.node(MELLERUD)
    )
    assert a.valid_from == TODAY
    assert any(g.role == Role.ORDERER for g in permissions.grants(fresh(person)))


def test_a_future_role_counts_when_someone_would_take_over_the_account(
    demo: Any, person: User
) -> None:
    """Resetting a person's password needs a cover for every role they hold: one still to come
    counts too, or it would hand its rights over on its start date."""
    municipal_admin = services.user_create(
        actor=demo.user("admin"),
        username="admin-mellerud",
        password=None,
        home_unit=demo.node(MELLERUD),
    )
    services.role_assign(
        actor=demo.user("admin"),
        user=municipal_admin,
        role=Role.COOPERATION_ADMIN,
        node=demo.node(MELLERUD),
        recursive=True,
    )
    new_password = "ett-nytt-langt-losenord-1"
    # The person's roles of today lie within Mellerud: the municipal admin could reset.
    services.user_set_password(actor=fresh(municipal_admin), user=person, password=new_password)
    # A role to come in Bengtsfors lies outside the municipal admin's reach.
    services.role_assign(
        actor=demo.user("admin"),
        user=person,
        role=Role.IT_CONTACT,
        node=demo.node("Bengtsfors kommun"),
        valid_from=START,
    )
    before = db_state()
    with pytest.raises(Forbidden):
        services.user_set_password(
            actor=fresh(municipal_admin), user=person, password=new_password + "x"
        )
    assert_unchanged(before)


def test_a_staff_role_that_starts_later_withdraws_the_token_and_needs_a_code_for_a_new_one(
    demo: Any, person: User, settings: Any, client: Client
) -> None:
    settings.REQUIRE_STAFF_2FA = True
    Token.objects.create(user=person)
    # A plain role gives no duty to give a code: the token stays.
    services.role_assign(
        actor=demo.user("admin"), user=person, role=Role.ORDERER, node=demo.node(MELLERUD)
    )
    assert Token.objects.filter(user=person).exists()
    services.role_assign(
        actor=demo.user("admin"),
        user=person,
        role=Role.AGENT,
        node=demo.node(MELLERUD),
        valid_from=START,
    )
    assert not Token.objects.filter(user=person).exists()
    from itfabrik.demo.dalsland import DEMO_PASSWORD

    r = client.post(
        "/api/v1/auth/token/",
        {"username": person.username, "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    error = assert_error(r, 400, "invalid")
    assert "otp" in error["fields"]


# --- the granting rule and input, in time -----------------------------------------------------


def test_a_start_in_the_past_or_after_the_end_is_refused_naming_the_field(
    demo: Any, person: User
) -> None:
    admin = demo.user("admin")
    before = db_state()
    with pytest.raises(ValidationFailed) as past:
        services.role_assign(
            actor=admin,
            user=person,
            role=Role.ORDERER,
            node=demo.node(MELLERUD),
            valid_from=TODAY - dt.timedelta(days=1),
        )
    assert set(past.value.fields) == {"valid_from"}
    assert "Startdatumet har redan passerat" in str(past.value.fields["valid_from"][0])
    with pytest.raises(ValidationFailed) as reversed_dates:
        services.role_assign(
            actor=admin,
            user=person,
            role=Role.ORDERER,
            node=demo.node(MELLERUD),
            valid_from=END,
            valid_until=START,
        )
    assert set(reversed_dates.value.fields) == {"valid_from"}
    assert "efter slutdatumet" in str(reversed_dates.value.fields["valid_from"][0])
    assert_unchanged(before)  # plain input errors: no audit row either
    # A one-day role (start and end the same day) is fine.
    one_day = services.role_assign(
        actor=admin,
        user=person,
        role=Role.ORDERER,
        node=demo.node(MELLERUD),
        valid_from=START,
        valid_until=START,
    )
    assert (one_day.valid_from, one_day.valid_until) == (START, START)


def test_every_input_error_of_a_grant_comes_at_once(demo: Any, person: User) -> None:
    admin = demo.user("admin")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.role_assign(
            actor=admin,
            user=person,
            role="no_such_role",
            node=demo.node(MELLERUD),
            valid_from=TODAY - dt.timedelta(days=2),
            valid_until=TODAY - dt.timedelta(days=1),
        )
    assert set(exc.value.fields) == {"role", "valid_from", "valid_until"}
    with pytest.raises(ValidationFailed) as held:
        services.role_assign(
            actor=admin,
            user=person,
            role=Role.END_USER,  # the person holds it already
            node=demo.node(MELLERUD),
            valid_from=END,
            valid_until=START,
        )
    assert set(held.value.fields) == {"role", "valid_from"}
    assert_unchanged(before)


def test_a_role_to_come_counts_as_held(demo: Any, person: User) -> None:
    grant_future_it_contact(demo, person)
    with pytest.raises(ValidationFailed) as exc:
        services.role_assign(
            actor=demo.user("admin"),
            user=person,
            role=Role.IT_CONTACT,
            node=demo.node(MELLERUD),
        )
    assert "redan den rollen" in str(exc.value.fields["role"][0])


def test_a_granter_cannot_start_a_role_after_their_own_ends(demo: Any, person: User) -> None:
    """A temporary granter's grant covers only its own days: a role that starts after it has
    ended lies outside it in time (refused, naming the end field and the day), audited."""
    granter = services.user_create(
        actor=demo.user("admin"),
        username="tillfallig",
        password=None,
        home_unit=demo.node(MELLERUD),
    )
    services.role_assign(
        actor=demo.user("admin"),
        user=granter,
        role=Role.COOPERATION_ADMIN,
        node=demo.node(MELLERUD),
        recursive=True,
        valid_until=START,
    )
    refusals = AuditEntry.objects.filter(action="refuse").count()
    with pytest.raises(ValidationFailed) as exc:
        services.role_assign(
            actor=fresh(granter),
            user=person,
            role=Role.ORDERER,
            node=demo.node(MELLERUD),
            valid_from=START + dt.timedelta(days=1),
            valid_until=END,
        )
    assert set(exc.value.fields) == {"valid_until"}
    assert START.isoformat() in str(exc.value.fields["valid_until"][0])
    entry = AuditEntry.objects.filter(action="refuse").order_by("pk").last()
    assert AuditEntry.objects.filter(action="refuse").count() == refusals + 1
    assert entry is not None
    assert entry.after["valid_from"] == (START + dt.timedelta(days=1)).isoformat()
    # Within the granter's days it is fine.
    ok = services.role_assign(
        actor=fresh(granter),
        user=person,
        role=Role.ORDERER,
        node=demo.node(MELLERUD),
        valid_from=START,
        valid_until=START,
    )
    assert ok.valid_from == START


def test_ending_a_future_role_means_it_never_starts(
    demo: Any, person: User, clock: Callable[[dt.date], None]
) -> None:
    a = grant_future_it_contact(demo, person)
    ended = services.role_revoke(actor=demo.user("admin"), assignment=a)
    assert ended.valid_until == TODAY - dt.timedelta(days=1)
    clock(START)
    assert not permissions.can(fresh(person), actions.VIEW_USER, demo.node(MELLERUD))
    # And it can be given again, as one record with its history.
    clock(TODAY)
    again = grant_future_it_contact(demo, person)
    assert again.pk == a.pk
    assert (again.valid_from, again.valid_until) == (START, END)


# --- the person's page ------------------------------------------------------------------------


def test_person_page_shows_current_future_and_ended_roles_apart(
    demo: Any, person: User, web_as: Any
) -> None:
    grant_future_it_contact(demo, person)
    ended = services.role_assign(
        actor=demo.user("admin"), user=person, role=Role.ORDERER, node=demo.node(MELLERUD)
    )
    services.role_revoke(actor=demo.user("admin"), assignment=ended)
    r = web_as(ADMIN).get(f"/konto/anvandare/{person.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert [a.role for a, _ in r.context["current"]] == [Role.END_USER]
    assert [a.role for a, _ in r.context["future"]] == [Role.IT_CONTACT]
    assert [a.role for a, _ in r.context["ended"]] == [Role.ORDERER]
    current_at = html.index('id="current-roles"')
    future_at = html.index('id="future-roles"')
    ended_at = html.index('id="ended-roles"')
    assert current_at < future_at < ended_at
    for label in ("Gällande roller", "Kommande roller", "Avslutade roller"):
        assert label in html
    future_table = html[future_at:ended_at]
    assert "IT-kontakt" in future_table
    assert START.isoformat() in future_table
    assert END.isoformat() in future_table
    assert "Avsluta" in future_table  # a role to come can be ended before it starts
    ended_table = html[ended_at:]
    assert (TODAY - dt.timedelta(days=1)).isoformat() in ended_table
    assert "Beställare" in ended_table


def test_person_page_query_count_does_not_grow_with_future_roles(
    demo: Any, person: User, web_as: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web_as(ADMIN)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/konto/anvandare/{person.pk}/").status_code == 200
        return len(ctx.captured_queries)

    first = count()
    for role in (Role.IT_CONTACT, Role.ORDERER, Role.AGENT):
        services.role_assign(
            actor=demo.user("admin"),
            user=person,
            role=role,
            node=demo.node(MELLERUD),
            valid_from=START,
        )
    assert count() == first


def test_ending_page_of_a_future_role_says_it_never_starts(
    demo: Any, person: User, web_as: Any
) -> None:
    a = grant_future_it_contact(demo, person)
    html = web_as(ADMIN).get(f"/konto/roller/{a.pk}/avsluta/").content.decode()
    assert f"Rollen skulle börja gälla {START.isoformat()}" in html


# --- the role form --------------------------------------------------------------------------


def test_web_form_grants_a_role_from_a_start_date(demo: Any, person: User, web_as: Any) -> None:
    client = web_as(ADMIN)
    page = client.get(f"/konto/anvandare/{person.pk}/").content.decode()
    assert 'name="valid_from"' in page
    r = client.post(
        f"/konto/anvandare/{person.pk}/",
        {
            "role": "orderer",
            "node": str(demo.node(MELLERUD).pk),
            "valid_from": START.isoformat(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    a = RoleAssignment.objects.get(user=person, role="orderer")
    assert (a.valid_from, a.valid_until) == (START, None)


def test_web_form_shows_every_error_after_one_submit(demo: Any, person: User, web_as: Any) -> None:
    client = web_as(ADMIN)
    before = db_state()
    # No role, no node, a start in the past, an end in the wrong format.
    r = client.post(
        f"/konto/anvandare/{person.pk}/",
        {"role": "", "node": "", "valid_from": "2001-01-01", "valid_until": "31/12/2099"},
    )
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert set(errors) == {"role", "node", "valid_from", "valid_until"}
    html = r.content.decode()
    assert "Startdatumet har redan passerat" in html
    assert "ÅÅÅÅ-MM-DD" in str(errors["valid_until"])
    # A node and dates that only the service can judge: start after end, and a role held already.
    r = client.post(
        f"/konto/anvandare/{person.pk}/",
        {
            "role": "end_user",
            "node": str(demo.node(MELLERUD).pk),
            "valid_from": END.isoformat(),
            "valid_until": START.isoformat(),
        },
    )
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert set(errors) == {"role", "valid_from"}
    assert "efter slutdatumet" in str(errors["valid_from"])
    assert "redan den rollen" in str(errors["role"])
    # With an unparseable end as well, the service's judgement of the rest still comes.
    r = client.post(
        f"/konto/anvandare/{person.pk}/",
        {
            "role": "end_user",
            "node": str(demo.node(MELLERUD).pk),
            "valid_from": "2001-01-01",
            "valid_until": "i morgon",
        },
    )
    assert set(r.context["form"].errors) == {"role", "valid_from", "valid_until"}
    assert_unchanged(before)


# --- the API --------------------------------------------------------------------------------


def test_api_reads_and_writes_valid_from(demo: Any, person: User, api_as: Any) -> None:
    api = api_as(ADMIN)
    r = api.post(
        "/api/v1/role-assignments/",
        {
            "user": person.pk,
            "role": "it_contact",
            "node": demo.node(MELLERUD).pk,
            "valid_from": START.isoformat(),
            "valid_until": END.isoformat(),
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["valid_from"], body["valid_until"]) == (START.isoformat(), END.isoformat())
    # A role to come is listed (it is not ended) and can be read.
    listed = api.get(f"/api/v1/role-assignments/?user={person.pk}").json()["results"]
    assert {(x["role"], x["valid_from"]) for x in listed} >= {("it_contact", START.isoformat())}
    assert api.get(f"/api/v1/role-assignments/{body['id']}/").json()["valid_from"] == (
        START.isoformat()
    )
    # Without a start it starts today.
    r = api.post(
        "/api/v1/role-assignments/",
        {"user": person.pk, "role": "orderer", "node": demo.node(MELLERUD).pk},
        format="json",
    )
    assert r.json()["valid_from"] == TODAY.isoformat()


def test_api_start_after_end_is_400_naming_the_field(demo: Any, person: User, api_as: Any) -> None:
    api = api_as(ADMIN)
    before = db_state()
    r = api.post(
        "/api/v1/role-assignments/",
        {
            "user": person.pk,
            "role": "orderer",
            "node": demo.node(MELLERUD).pk,
            "valid_from": END.isoformat(),
            "valid_until": START.isoformat(),
        },
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {"valid_from"}
    assert_unchanged(before)


def test_api_answers_every_field_error_in_one_400(demo: Any, person: User, api_as: Any) -> None:
    api = api_as(ADMIN)
    before = db_state()
    # The input itself is bad (an unknown role, a date in the wrong format): the service's
    # judgement of the fields that parsed (a start in the past) comes in the same answer.
    r = api.post(
        "/api/v1/role-assignments/",
        {
            "user": person.pk,
            "role": "kung",
            "node": demo.node(MELLERUD).pk,
            "valid_from": "2001-01-01",
            "valid_until": "31/12/2099",
        },
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {"role", "valid_from", "valid_until"}
    # Input that parses but breaks several rules: all of them at once.
    r = api.post(
        "/api/v1/role-assignments/",
        {
            "user": person.pk,
            "role": "end_user",
            "node": demo.node(MELLERUD).pk,
            "valid_from": "2001-01-01",
            "valid_until": "2001-01-02",
        },
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {"role", "valid_from", "valid_until"}
    assert_unchanged(before)
