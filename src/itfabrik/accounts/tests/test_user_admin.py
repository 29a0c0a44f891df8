"""Issue 13: accounts can be corrected and deactivated, roles end with a confirmation and stay
visible, grant forms start empty and confirm privileged roles, people without roles are told
whom to ask."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.authtoken.models import Token

from itfabrik.accounts import selectors, services
from itfabrik.accounts.choices import Role
from itfabrik.accounts.models import RoleAssignment, User
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Forbidden, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    MELLERUD,
    MISSING_ID,
    ORDERER,
    OTHER,
    SAME,
    TARGET_UNIT,
    actor_params,
    assert_error,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
    grow,
    list_query_count,
    page_query_count,
)

ERROR_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
# Who may correct the Mellerud portal user: only those who grant roles where she works. The
# agent sees people (403); she sees herself (403); the others do not see her at all (404).
USER_WRITE = {ANON: 401, OTHER: 404, SAME: 403, ORDERER: 404, AGENT: 403, FINANCE: 404, ADMIN: 200}


@pytest.fixture
def person(demo: Any) -> User:
    return ensure_same_unit_user(demo)  # type: ignore[no-any-return]


# --- services -------------------------------------------------------------------------------


def test_user_update_corrects_name_email_and_workplace_audited(demo: Any, person: User) -> None:
    admin = demo.user("admin")
    unit = demo.node("Gata och park", MELLERUD)
    updated = services.user_update(
        actor=admin, user=person, first_name=" Maria ", email="Maria@Mellerud.se", home_unit=unit
    )
    assert (updated.first_name, updated.email, updated.home_unit_id) == (
        "Maria",
        "maria@mellerud.se",
        unit.pk,
    )
    entry = (
        AuditEntry.objects.filter(object_type="accounts.user", object_id=str(person.pk))
        .order_by("pk")
        .last()
    )
    assert entry is not None
    assert set(entry.changed_fields) == {"first_name", "email", "home_unit_id"}
    assert entry.actor_repr == "admin"


def test_deactivation_ends_sessions_and_token_and_is_audited(
    demo: Any, person: User, client: Any
) -> None:
    client.force_login(person)
    other = demo.user("agent")
    from django.test import Client

    Client().force_login(other)
    Token.objects.create(user=person)
    sessions_before = Session.objects.count()
    services.user_update(actor=demo.user("admin"), user=person, is_active=False)
    person.refresh_from_db()
    assert person.is_active is False
    assert not Token.objects.filter(user=person).exists()
    assert Session.objects.count() == sessions_before - 1  # hers only; the agent's stays
    assert client.get("/").status_code == 302  # signed out
    changes = list(
        AuditEntry.objects.filter(object_type="accounts.user", object_id=str(person.pk))
        .order_by("pk")
        .values_list("changed_fields", flat=True)
    )[-2:]
    assert changes == [["is_active"], ["api_token"]]
    # Reactivation is a correction too.
    services.user_update(actor=demo.user("admin"), user=person, is_active=True)
    person.refresh_from_db()
    assert person.is_active is True


def test_nobody_deactivates_themself(demo: Any) -> None:
    admin = demo.user("admin")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.user_update(actor=admin, user=admin, is_active=False)
    assert "is_active" in exc.value.fields
    assert_unchanged(before)


def test_moving_a_person_needs_the_right_at_the_new_workplace_too(demo: Any, person: User) -> None:
    # A grantor for Mellerud only cannot move her to Bengtsfors (which they do not see).
    grantor = services.user_create(
        actor=SYSTEM, username="mellerud-admin", password=None, home_unit=demo.node(MELLERUD)
    )
    services.role_assign(
        actor=SYSTEM, user=grantor, role=Role.COOPERATION_ADMIN, node=demo.node(MELLERUD)
    )
    before = db_state()
    from itfabrik.core.errors import NotFound

    with pytest.raises(NotFound):
        services.user_update(
            actor=grantor,
            user=person,
            home_unit=demo.node(TARGET_UNIT, municipality="Bengtsfors kommun"),
        )
    with pytest.raises(ValidationFailed) as exc:
        services.user_update(actor=grantor, user=person, username="other")
    assert "username" in exc.value.fields
    assert_unchanged(before)
    services.user_update(actor=grantor, user=person, home_unit=demo.node("Gata och park", MELLERUD))


def test_an_agent_cannot_correct_accounts(demo: Any, person: User) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        services.user_update(actor=demo.user("agent"), user=person, first_name="X")
    assert_unchanged(before)


def test_a_grant_that_has_already_ended_is_refused(demo: Any, person: User) -> None:
    before = db_state()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        services.role_assign(
            actor=demo.user("admin"),
            user=person,
            role=Role.ORDERER,
            node=demo.node(MELLERUD),
            valid_until=yesterday,
        )
    assert "valid_until" in exc.value.fields
    assert "passerat" in str(exc.value.fields["valid_until"][0])
    assert_unchanged(before)
    # Today is still a valid last day.
    services.role_assign(
        actor=demo.user("admin"),
        user=person,
        role=Role.ORDERER,
        node=demo.node(MELLERUD),
        valid_until=timezone.localdate(),
    )


def test_access_contacts_name_the_grantors_nearest_first(demo: Any) -> None:
    newcomer = services.user_create(
        actor=SYSTEM,
        username="ny-mellerud",
        password=None,
        home_unit=demo.node(TARGET_UNIT, municipality=MELLERUD),
    )
    contacts = selectors.access_contact_list(actor=newcomer)
    assert contacts
    names = [c.user.username for c in contacts]
    assert "admin" in names
    assert all(c.role in (Role.COOPERATION_ADMIN, Role.IT_CONTACT) for c in contacts)
    depths = [c.node.depth for c in contacts]
    assert depths == sorted(depths, reverse=True)
    assert selectors.access_contact_list(actor=demo.user("admin")) == [] or all(
        c.user.username != "admin" for c in selectors.access_contact_list(actor=demo.user("admin"))
    )


# --- API: PATCH /api/v1/users/<id>/ ---------------------------------------------------------


@pytest.mark.parametrize(("actor", "expected"), actor_params(USER_WRITE))
def test_api_user_patch_matrix(api_as: Any, person: User, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.patch(
        f"/api/v1/users/{person.pk}/", {"last_name": "Rättad", "is_active": False}, format="json"
    )
    if expected == 200:
        assert r.status_code == 200, r.content
        assert r.json()["last_name"] == "Rättad"
        assert r.json()["is_active"] is False
        return
    assert_error(r, expected, ERROR_CODES[expected])
    assert_unchanged(before)
    if expected == 404:
        ghost = client.patch(f"/api/v1/users/{MISSING_ID}/", {"last_name": "x"}, format="json")
        assert ghost.json() == r.json()


def test_api_user_patch_bad_input_changes_nothing(api_as: Any, person: User) -> None:
    client = api_as(ADMIN)
    before = db_state()
    r = client.patch(
        f"/api/v1/users/{person.pk}/",
        {"email": "not-an-address", "first_name": "x" * 151},
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert {"email", "first_name"} <= set(error["fields"])
    r = client.patch(f"/api/v1/users/{person.pk}/", {"home_unit": MISSING_ID}, format="json")
    assert r.status_code == 404
    assert_unchanged(before)


def test_api_deactivation_withdraws_the_token(api_as: Any, demo: Any, person: User) -> None:
    own = api_as(SAME)
    assert own.get("/api/v1/me/").status_code == 200
    r = api_as(ADMIN).patch(f"/api/v1/users/{person.pk}/", {"is_active": False}, format="json")
    assert r.status_code == 200
    assert own.get("/api/v1/me/").status_code == 401


def test_api_grant_with_past_end_is_400(api_as: Any, demo: Any, person: User) -> None:
    client = api_as(ADMIN)
    before = db_state()
    r = client.post(
        "/api/v1/role-assignments/",
        {
            "user": person.pk,
            "role": "orderer",
            "node": demo.node(MELLERUD).pk,
            "valid_until": "2000-01-01",
        },
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert "valid_until" in error["fields"]
    assert_unchanged(before)


def test_user_list_query_count_does_not_grow(api_as: Any, demo: Any) -> None:
    client = api_as(ADMIN)
    queries, rows = list_query_count(client, "/api/v1/users/")
    grow(demo)
    queries_after, rows_after = list_query_count(client, "/api/v1/users/")
    assert queries_after == queries
    assert rows_after == rows + 30


# --- web --------------------------------------------------------------------------------------


def test_web_edit_and_deactivate(web_as: Any, demo: Any, person: User) -> None:
    client = web_as(ADMIN)
    page = client.get(f"/konto/anvandare/{person.pk}/andra/")
    assert page.status_code == 200
    html = page.content.decode()
    # The current workplace is shown with its administration and municipality.
    assert "Hemtjänst norr — Socialförvaltningen, Melleruds kommun" in html
    r = client.post(
        f"/konto/anvandare/{person.pk}/andra/",
        {
            "first_name": "Mia",
            "last_name": "Rättad",
            "email": "",
            "home_unit": str(person.home_unit_id),
            "home_unit_q": "Hemtjänst norr — Socialförvaltningen, Melleruds kommun",
        },
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.is_active) == ("Rättad", False)
    detail = client.get(r["Location"]).content.decode()
    assert "Kontot är inaktiverat. Personen är utloggad." in detail
    assert "Inaktiverat" in detail


def test_web_workplace_is_resolved_from_text_without_javascript(
    web_as: Any, demo: Any, person: User
) -> None:
    client = web_as(ADMIN)
    data = {"first_name": "Mia", "last_name": "M", "email": "", "is_active": "on"}
    # Five units are called Hemtjänst norr: the bare name is ambiguous, the label is not.
    r = client.post(
        f"/konto/anvandare/{person.pk}/andra/", {**data, "home_unit_q": "Hemtjänst norr"}
    )
    assert r.status_code == 200
    assert "Flera enheter matchar" in r.content.decode()
    r = client.post(
        f"/konto/anvandare/{person.pk}/andra/",
        {**data, "home_unit_q": "Gata och park — Samhällsbyggnadsförvaltningen, Melleruds kommun"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    person.refresh_from_db()
    assert person.home_unit_id == demo.node("Gata och park", MELLERUD).pk


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 200}
    ),
)
def test_web_edit_page_matrix(web_as: Any, person: User, actor: str | None, expected: int) -> None:
    client = web_as(actor)
    before = db_state()
    assert client.get(f"/konto/anvandare/{person.pk}/andra/").status_code == expected
    r = client.post(
        f"/konto/anvandare/{person.pk}/andra/",
        {"first_name": "X", "home_unit": str(person.home_unit_id)},
    )
    if expected != 200:
        assert r.status_code == expected
        assert_unchanged(before)


def test_web_new_account_page_has_no_default_workplace(web_as: Any, demo: Any) -> None:
    html = web_as(ADMIN).get("/konto/anvandare/ny/").content.decode()
    assert 'name="home_unit" value=""' in html
    assert 'role="combobox"' in html


def test_web_role_form_starts_empty_and_suggests_the_common_role(
    web_as: Any, demo: Any, person: User
) -> None:
    client = web_as(ADMIN)
    r = client.get(f"/konto/anvandare/{person.pk}/")
    form = r.context["form"]
    assert not form["role"].value()
    assert not form["recursive"].value()
    assert 'name="node" value=""' in r.content.decode()
    suggested = client.get(f"/konto/anvandare/{person.pk}/?forslag=1")
    form = suggested.context["form"]
    assert form["role"].value() == Role.END_USER
    assert "Hemtjänst norr — Socialförvaltningen, Melleruds kommun" in suggested.content.decode()


def test_web_privileged_role_asks_for_confirmation_first(
    web_as: Any, demo: Any, person: User
) -> None:
    client = web_as(ADMIN)
    node = demo.node(MELLERUD)
    data = {"role": "cooperation_admin", "node": str(node.pk), "recursive": "on"}
    before = db_state()
    r = client.post(f"/konto/anvandare/{person.pk}/", data)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Bekräfta en roll med stor behörighet" in html
    assert "skapa konton och tilldela roller" in html
    below = r.context["confirm"]["below"]
    assert below > 10  # Mellerud's administrations and units
    assert_unchanged(before)
    key = r.context["form"]["confirmed"].value()
    # A confirmation for another node does not count.
    other = {**data, "node": str(demo.node("Bengtsfors kommun").pk), "confirmed": key}
    assert (
        "Bekräfta en roll" in client.post(f"/konto/anvandare/{person.pk}/", other).content.decode()
    )
    assert_unchanged(before)
    r = client.post(f"/konto/anvandare/{person.pk}/", {**data, "confirmed": key})
    assert r.status_code == 302
    assert RoleAssignment.objects.filter(user=person, role="cooperation_admin").exists()


def test_web_plain_role_is_granted_without_confirmation(
    web_as: Any, demo: Any, person: User
) -> None:
    client = web_as(ADMIN)
    r = client.post(
        f"/konto/anvandare/{person.pk}/",
        {"role": "orderer", "node": str(demo.node(MELLERUD).pk)},
    )
    assert r.status_code == 302
    a = RoleAssignment.objects.get(user=person, role="orderer")
    assert a.recursive is False


def test_web_past_end_date_is_a_field_message(web_as: Any, demo: Any, person: User) -> None:
    client = web_as(ADMIN)
    before = db_state()
    r = client.post(
        f"/konto/anvandare/{person.pk}/",
        {"role": "orderer", "node": str(demo.node(MELLERUD).pk), "valid_until": "2001-01-01"},
    )
    assert r.status_code == 200
    assert "Slutdatumet har redan passerat" in r.content.decode()
    assert_unchanged(before)


def test_web_ending_a_role_confirms_and_keeps_it_visible(
    web_as: Any, demo: Any, person: User
) -> None:
    client = web_as(ADMIN)
    a = RoleAssignment.objects.get(user=person, role="end_user")
    confirm = client.get(f"/konto/roller/{a.pk}/avsluta/")
    assert confirm.status_code == 200
    assert "Avsluta rollen" in confirm.content.decode()
    a.refresh_from_db()
    assert a.valid_until is None  # a GET changes nothing
    r = client.post(f"/konto/roller/{a.pk}/avsluta/", follow=True)
    html = r.content.decode()
    assert "Rollen är avslutad." in html
    assert "Avslutade roller" in html
    assert "Personen har ingen roll och kommer inte åt något." in html
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert yesterday in html


def test_start_page_of_a_person_without_roles_names_whom_to_ask(
    web_as: Any, demo: Any, client: Any
) -> None:
    newcomer = services.user_create(
        actor=SYSTEM,
        username="ny-mellerud",
        password=None,
        home_unit=demo.node(TARGET_UNIT, municipality=MELLERUD),
    )
    client.force_login(newcomer)
    html = client.get("/").content.decode()
    assert "Du har ingen behörighet ännu" in html
    assert "Hemtjänst norr" in html  # their workplace, though they cannot open its page
    assert "Samverkansadministratör".lower() in html.lower()


def test_user_list_shows_municipality_and_administration_at_fixed_queries(
    web_as: Any, demo: Any
) -> None:
    client = web_as(ADMIN)
    queries, r = page_query_count(client, "/konto/anvandare/")
    assert "Socialförvaltningen" in r.content.decode()
    grow(demo)
    assert page_query_count(client, "/konto/anvandare/")[0] == queries


def test_web_deactivating_someone_whose_workplace_has_closed(
    web_as: Any, demo: Any, person: User
) -> None:
    from itfabrik.tenancy import services as tenancy_services

    unit = person.home_unit
    assert unit is not None
    tenancy_services.node_close(
        actor=SYSTEM, node=unit, closed_on=timezone.localdate(), expected_version=None
    )
    client = web_as(ADMIN)
    data = {"first_name": "Mia", "last_name": "M", "email": "", "home_unit": str(unit.pk)}
    r = client.post(f"/konto/anvandare/{person.pk}/andra/", data)
    assert r.status_code == 302  # the closed workplace is kept as it is
    person.refresh_from_db()
    assert person.is_active is False
    # But nobody is moved *to* a closed unit.
    other = demo.user("anvandare-bengtsfors")
    assert other.home_unit_id != unit.pk
    r = client.post(f"/konto/anvandare/{other.pk}/andra/", {**data, "is_active": "on"})
    assert r.status_code == 200
    assert "Ingen enhet som du kan välja" in r.content.decode()
