"""Issue 13, point 6, for memberships and positions: one submit (or one request) that is wrong in
several fields gets every field's message at once — the form's or serializer's own and the
service's rules together — and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itfabrik.accounts.models import User
from itfabrik.core.errors import ValidationFailed
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.tenancy import services
from itfabrik.tenancy.models import Membership, Position

TOO_LONG = "x" * 101  # decision_reference holds 100
ALREADY_MEMBER = "Kommunen är redan medlem under perioden"
BEFORE_START = "Slutdatum kan inte vara före startdatum"


def _api_fields(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    return {name: [m["message"] for m in msgs] for name, msgs in fields.items()}


def _form_errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    assert response.status_code == 200
    return {k: list(v) for k, v in response.context[form].errors.items()}


@pytest.fixture
def future_member(demo: Any) -> Any:
    """Dals-Ed, not a member today, but joining in 2030: still offered in the join form."""
    dals_ed = demo.node("Dals-Eds kommun")
    services.municipality_join(
        actor=demo.user("admin"),
        cooperation=demo.cooperation,
        municipality=dals_ed,
        joined_on=dt.date(2030, 1, 1),
    )
    return dals_ed


@pytest.fixture
def bengtsfors_membership(demo: Any) -> Membership:
    return Membership.objects.get(
        municipality=demo.node("Bengtsfors kommun"), cooperation=demo.cooperation
    )


# --- memberships --------------------------------------------------------------------------------


def test_web_join_shows_the_overlap_with_the_forms_own_errors(
    web_as: Any, demo: Any, future_member: Any
) -> None:
    before = db_state()
    r = web_as("admin").post(
        "/medlemskap/",
        {
            "municipality": future_member.pk,
            "joined_on": "2029-06-01",
            "decision_reference": TOO_LONG,
        },
    )
    errors = _form_errors(r)
    assert set(errors) == {"joined_on", "decision_reference"}
    assert ALREADY_MEMBER in errors["joined_on"][0]
    assert "högst 100 tecken" in errors["decision_reference"][0]
    assert ALREADY_MEMBER in r.content.decode()
    assert_unchanged(before)


def test_web_end_shows_the_date_rule_with_the_forms_own_errors(
    web_as: Any, bengtsfors_membership: Membership
) -> None:
    before = db_state()
    day_before = bengtsfors_membership.joined_on - dt.timedelta(days=1)
    r = web_as("admin").post(
        f"/medlemskap/{bengtsfors_membership.pk}/avsluta/",
        {
            "version": bengtsfors_membership.version,
            "left_on": day_before.isoformat(),
            "decision_reference": TOO_LONG,
        },
    )
    errors = _form_errors(r)
    assert set(errors) == {"left_on", "decision_reference"}
    assert BEFORE_START in errors["left_on"][0]
    assert_unchanged(before)


def test_api_join_answers_every_field_in_one_400(
    api_as: Any, demo: Any, future_member: Any
) -> None:
    client = api_as("admin")
    before = db_state()
    r = client.post(
        "/api/v1/memberships/",
        {
            "cooperation": demo.cooperation.pk,
            "municipality": future_member.pk,
            "joined_on": "2029-06-01",
            "decision_reference": TOO_LONG,
        },
        format="json",
    )
    fields = _api_fields(r)
    assert set(fields) == {"joined_on", "decision_reference"}
    assert ALREADY_MEMBER in fields["joined_on"][0]
    # A unit is no municipality: said together with the bad date.
    r = client.post(
        "/api/v1/memberships/",
        {
            "cooperation": demo.cooperation.pk,
            "municipality": demo.node("Hemtjänst norr", municipality="Melleruds kommun").pk,
            "joined_on": "1 januari",
            "decision_reference": TOO_LONG,
        },
        format="json",
    )
    assert set(_api_fields(r)) == {"municipality", "joined_on", "decision_reference"}
    assert_unchanged(before)


def test_api_end_answers_every_field_in_one_400(
    api_as: Any, bengtsfors_membership: Membership
) -> None:
    client = api_as("admin")
    before = db_state()
    r = client.post(
        f"/api/v1/memberships/{bengtsfors_membership.pk}/end/",
        {
            "version": bengtsfors_membership.version,
            "left_on": (bengtsfors_membership.joined_on - dt.timedelta(days=1)).isoformat(),
            "decision_reference": TOO_LONG,
        },
        format="json",
    )
    assert set(_api_fields(r)) == {"left_on", "decision_reference"}
    assert_unchanged(before)


def test_the_join_service_names_the_overlap_and_the_models_errors_together(
    demo: Any, future_member: Any
) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.municipality_join(
            actor=demo.user("admin"),
            cooperation=demo.cooperation,
            municipality=future_member,
            joined_on=dt.date(2029, 6, 1),
            decision_reference=TOO_LONG,
        )
    assert set(exc.value.fields) == {"joined_on", "decision_reference"}
    assert_unchanged(before)


# --- positions ----------------------------------------------------------------------------------


@pytest.fixture
def inactive_staff(demo: Any) -> User:
    agent = demo.user("agent")
    User.objects.filter(pk=agent.pk).update(is_active=False)
    agent.refresh_from_db()
    return agent


@pytest.fixture
def position(demo: Any) -> Position:
    return services.position_create(
        actor=demo.user("admin"), team=demo.node("2:a linjen"), title="Tekniker", line="second_line"
    )


def test_the_position_services_name_every_wrong_field_at_once(
    demo: Any, inactive_staff: User, position: Position
) -> None:
    admin = demo.user("admin")
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.position_create(
            actor=admin, team=unit, title="T" * 201, line="nope", holder=inactive_staff
        )
    assert set(exc.value.fields) == {"team", "title", "line", "holder"}
    with pytest.raises(ValidationFailed) as exc:
        services.position_update(
            actor=admin,
            position=position,
            expected_version=position.version,
            team=unit,
            title="",
            holder=inactive_staff,
        )
    assert set(exc.value.fields) == {"team", "title", "holder"}
    assert_unchanged(before)


def test_web_position_form_shows_every_error_in_one_submit(
    web_as: Any, demo: Any, position: Position
) -> None:
    client = web_as("admin")
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    before = db_state()
    bad = {"title": "", "line": "nope", "team": unit.pk, "holder": 987654321}
    errors = _form_errors(client.post("/it-organisation/ny-tjanst/", bad))
    assert set(errors) == {"title", "line", "team", "holder"}
    # The team and holder choices already carry the service's rules (teams of the IT
    # organisation the actor may change, active staff), so the form alone names all four.
    errors = _form_errors(
        client.post(f"/it-organisation/tjanster/{position.pk}/", {"version": 1, **bad})
    )
    assert set(errors) == {"title", "line", "team", "holder"}
    assert_unchanged(before)


def test_api_position_answers_every_field_in_one_400(
    api_as: Any, demo: Any, inactive_staff: User, position: Position
) -> None:
    client = api_as("admin")
    municipality = demo.node("Melleruds kommun")
    before = db_state()
    # Before: the title and line came first, the holder on the next request, the team after it.
    r = client.post(
        "/api/v1/positions/",
        {"team": municipality.pk, "title": "", "line": "nope", "holder": 987654321},
        format="json",
    )
    assert set(_api_fields(r)) == {"team", "title", "line", "holder"}
    r = client.post(
        "/api/v1/positions/",
        {"team": municipality.pk, "title": "Tekniker", "line": "first_line", "holder": 987654321},
        format="json",
    )
    assert set(_api_fields(r)) == {"team", "holder"}
    r = client.patch(
        f"/api/v1/positions/{position.pk}/",
        {"version": 1, "team": municipality.pk, "title": "", "holder": 987654321},
        format="json",
    )
    assert set(_api_fields(r)) == {"team", "title", "holder"}
    assert_unchanged(before)
