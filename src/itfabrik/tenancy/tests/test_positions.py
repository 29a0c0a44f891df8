"""Managing the positions of the joint IT organisation, and creating a cooperation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itfabrik.accounts.models import User
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state, grow, page_query_count
from itfabrik.tenancy import selectors, services
from itfabrik.tenancy.models import Cooperation, OrgNode, Position


@pytest.fixture
def position(demo: Any) -> Position:
    return services.position_create(
        actor=SYSTEM, team=demo.node("2:a linjen"), title="Tekniker", line="second_line"
    )


def _audit(position: Position) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="tenancy.position", object_id=str(position.pk)
        ).order_by("pk")
    )


# --- services -----------------------------------------------------------------------------------


def test_a_position_is_changed_moved_filled_and_vacated(demo: Any, position: Position) -> None:
    admin, agent = demo.user("admin"), demo.user("agent")
    services.position_update(
        actor=admin, position=position, expected_version=1, title="Senior tekniker", holder=agent
    )
    position.refresh_from_db()
    assert (position.title, position.holder_id, position.version) == (
        "Senior tekniker",
        agent.pk,
        2,
    )
    services.position_update(
        actor=admin, position=position, expected_version=2, team=demo.node("Ledning")
    )
    services.position_update(actor=admin, position=position, expected_version=3, holder=None)
    position.refresh_from_db()
    assert (position.team.name, position.holder_id) == ("Ledning", None)
    assert [e.action for e in _audit(position)] == ["create", "update", "update", "update"]


def test_a_stale_version_is_refused(demo: Any, position: Position) -> None:
    admin = demo.user("admin")
    services.position_update(actor=admin, position=position, expected_version=1, title="A")
    before = db_state()
    with pytest.raises(Conflict):
        services.position_update(actor=admin, position=position, expected_version=1, title="B")
    assert_unchanged(before)


def test_closing_keeps_the_position_and_its_history(demo: Any, position: Position) -> None:
    admin = demo.user("admin")
    services.position_update(
        actor=admin, position=position, expected_version=1, holder=demo.user("agent")
    )
    services.position_close(
        actor=admin, position=position, closed_on=dt.date(2026, 12, 31), expected_version=2
    )
    position.refresh_from_db()
    assert (position.closed_on, position.holder_id) == (dt.date(2026, 12, 31), None)
    assert Position.objects.filter(pk=position.pk).exists()
    assert position not in selectors.position_list(actor=admin, include_closed=False)
    before = db_state()
    with pytest.raises(ValidationFailed) as again:
        services.position_close(
            actor=admin, position=position, closed_on=dt.date(2027, 1, 1), expected_version=3
        )
    assert "closed_on" in again.value.fields
    with pytest.raises(ValidationFailed):
        services.position_update(actor=admin, position=position, expected_version=3, title="X")
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"line": "fifth_line"}, "line"),
        ({"version": 9}, "version"),
        ({"closed_on": dt.date(2026, 1, 1)}, "closed_on"),
    ],
)
def test_bad_changes_change_nothing(
    demo: Any, position: Position, changes: dict[str, Any], field: str
) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.position_update(
            actor=demo.user("admin"), position=position, expected_version=1, **changes
        )
    assert field in exc.value.fields
    assert_unchanged(before)


def test_a_position_belongs_in_the_it_organisation(demo: Any, position: Position) -> None:
    admin = demo.user("admin")
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.position_create(actor=admin, team=unit, title="X", line="first_line")
    assert "team" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.position_update(actor=admin, position=position, expected_version=1, team=unit)
    assert_unchanged(before)


def test_a_position_cannot_move_to_another_cooperation(demo: Any, position: Position) -> None:
    other = services.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")
    it_org = services.node_create(
        actor=SYSTEM, parent=other.root, kind="it_organisation", name="Annan IT"
    )
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.position_update(actor=SYSTEM, position=position, expected_version=1, team=it_org)
    assert "team" in exc.value.fields
    assert_unchanged(before)


def test_an_inactive_person_cannot_hold_a_position(demo: Any, position: Position) -> None:
    agent = demo.user("agent")
    User.objects.filter(pk=agent.pk).update(is_active=False)
    agent.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        services.position_update(
            actor=demo.user("admin"), position=position, expected_version=1, holder=agent
        )
    assert "holder" in exc.value.fields


def test_those_who_may_not_change_the_team_are_refused(demo: Any, position: Position) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        services.position_update(
            actor=demo.user("agent"), position=position, expected_version=1, title="X"
        )
    with pytest.raises(Forbidden):
        services.position_close(
            actor=demo.user("ekonom"),
            position=position,
            closed_on=dt.date(2026, 1, 1),
            expected_version=1,
        )
    assert_unchanged(before)


# --- API ----------------------------------------------------------------------------------------


def test_api_vacate_by_null_and_filter_closed(api_as: Any, demo: Any, position: Position) -> None:
    client = api_as("admin")
    agent = demo.user("agent")
    r = client.patch(
        f"/api/v1/positions/{position.pk}/", {"version": 1, "holder": agent.pk}, format="json"
    )
    assert r.status_code == 200, r.content
    assert (r.json()["holder"], r.json()["holder_name"]) == (agent.pk, str(agent))
    r = client.patch(
        f"/api/v1/positions/{position.pk}/", {"version": 2, "holder": None}, format="json"
    )
    assert r.json()["holder"] is None
    client.post(
        f"/api/v1/positions/{position.pk}/close/",
        {"version": 3, "closed_on": "2026-06-30"},
        format="json",
    )
    open_ids = {
        p["id"]
        for p in client.get("/api/v1/positions/?closed=false&page_size=200").json()["results"]
    }
    closed = client.get("/api/v1/positions/?closed=true").json()["results"]
    assert position.pk not in open_ids
    assert [p["id"] for p in closed] == [position.pk]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "X", "line": "nope"}, "line"),
        ({"title": "", "line": "first_line"}, "title"),
        ({"title": "X", "line": "first_line", "holder": 987654321}, "holder"),
    ],
)
def test_api_bad_input_changes_nothing(
    api_as: Any, demo: Any, data: dict[str, Any], field: str
) -> None:
    client = api_as("admin")
    before = db_state()
    r = client.post(
        "/api/v1/positions/", {"team": demo.node("2:a linjen").pk, **data}, format="json"
    )
    assert r.status_code == 400, r.content
    assert field in r.json()["error"]["fields"]
    assert_unchanged(before)


def test_api_stale_version_is_a_conflict(api_as: Any, position: Position) -> None:
    client = api_as("admin")
    client.patch(f"/api/v1/positions/{position.pk}/", {"version": 1, "title": "A"}, format="json")
    before = db_state()
    r = client.patch(
        f"/api/v1/positions/{position.pk}/", {"version": 1, "title": "B"}, format="json"
    )
    assert r.status_code == 409
    assert_unchanged(before)


# --- web ----------------------------------------------------------------------------------------


def test_web_page_offers_management_to_who_may_change_the_teams(web_as: Any, demo: Any) -> None:
    html = web_as("admin").get("/it-organisation/").content.decode()
    assert "/it-organisation/ny-tjanst/" in html
    assert "/it-organisation/tjanster/" in html
    html = web_as("agent").get("/it-organisation/").content.decode()
    assert "/it-organisation/ny-tjanst/" not in html
    assert "/it-organisation/tjanster/" not in html


def test_web_create_edit_and_close(web_as: Any, demo: Any) -> None:
    client = web_as("admin")
    team, agent = demo.node("2:a linjen"), demo.user("agent")
    r = client.post(
        "/it-organisation/ny-tjanst/",
        {"team": team.pk, "title": "Nätverkstekniker", "line": "second_line", "holder": agent.pk},
    )
    assert r.status_code == 302
    created = Position.objects.get(title="Nätverkstekniker")
    assert created.holder_id == agent.pk
    r = client.get(f"/it-organisation/tjanster/{created.pk}/")
    assert r.status_code == 200
    assert r.context["form"].initial["holder"] == agent.pk
    r = client.post(
        f"/it-organisation/tjanster/{created.pk}/",
        {"version": 1, "title": "Nätverkstekniker", "line": "second_line", "team": team.pk},
    )
    assert r.status_code == 302
    created.refresh_from_db()
    assert created.holder_id is None  # empty holder: vacant
    r = client.post(
        f"/it-organisation/tjanster/{created.pk}/avsluta/",
        {"version": 2, "closed_on": "2026-12-31"},
    )
    assert r.status_code == 302
    created.refresh_from_db()
    assert created.closed_on == dt.date(2026, 12, 31)
    page = client.get("/it-organisation/")
    assert created.pk not in {p.pk for t in page.context["teams"] for p in t["positions"]}
    assert client.get(f"/it-organisation/tjanster/{created.pk}/").status_code == 404


def test_web_errors_are_shown_and_change_nothing(
    web_as: Any, demo: Any, position: Position
) -> None:
    client = web_as("admin")
    before = db_state()
    r = client.post(
        f"/it-organisation/tjanster/{position.pk}/",
        {"version": 1, "title": "", "line": "second_line", "team": position.team_id},
    )
    assert r.status_code == 200
    assert "title" in r.context["form"].errors
    r = client.post(f"/it-organisation/tjanster/{position.pk}/avsluta/", {"version": 1})
    assert r.status_code == 200
    assert "closed_on" in r.context["close_form"].errors
    client.post(
        f"/it-organisation/tjanster/{position.pk}/",
        {"version": 1, "title": "A", "line": "second_line", "team": position.team_id},
    )
    before = db_state()
    r = client.post(
        f"/it-organisation/tjanster/{position.pk}/",
        {"version": 1, "title": "B", "line": "second_line", "team": position.team_id},
    )
    assert r.status_code == 200
    assert r.context["form"].non_field_errors()
    assert_unchanged(before)


def test_web_it_organisation_query_count_for_its_manager(web_as: Any, demo: Any) -> None:
    client = web_as("admin")
    before, _r = page_query_count(client, "/it-organisation/")
    grow(demo)
    after, r = page_query_count(client, "/it-organisation/")
    assert r.context["total"] == 58
    assert after == before


def test_web_position_form_query_count_does_not_depend_on_rows(
    web_as: Any, demo: Any, position: Position
) -> None:
    client = web_as("admin")
    before, _r = page_query_count(client, f"/it-organisation/tjanster/{position.pk}/")
    grow(demo)
    after, _r = page_query_count(client, f"/it-organisation/tjanster/{position.pk}/")
    assert after == before


# --- a new cooperation --------------------------------------------------------------------------


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser("drift", "drift@example.se", "Drift-Lösen-123")


def test_a_cooperation_is_created_with_its_root_and_audited(superuser: User) -> None:
    coop = services.cooperation_create(
        actor=superuser, name=" Fyrbodal IT ", slug="fyrbodal", root_name="Fyrbodals IT-samverkan"
    )
    assert coop.name == "Fyrbodal IT"
    root = OrgNode.objects.get(pk=coop.root_id)
    assert (root.name, root.kind, root.cooperation_id, root.depth) == (
        "Fyrbodals IT-samverkan",
        "cooperation",
        coop.pk,
        1,
    )
    entries = AuditEntry.objects.filter(actor=superuser).order_by("pk")
    assert [(e.object_type, e.action, e.scope_path) for e in entries] == [
        ("tenancy.cooperation", "create", root.path),
        ("tenancy.orgnode", "create", root.path),
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "Dalslands IT-samverkan", "slug": "ny"}, "name"),
        ({"name": "Ny", "slug": "dalsland"}, "slug"),
        ({"name": "", "slug": "tom"}, "name"),
        ({"name": "Ny", "slug": "ogiltig slug"}, "slug"),
    ],
)
def test_api_bad_cooperation_changes_nothing(
    api_as: Any, demo: Any, superuser: User, data: dict[str, Any], field: str
) -> None:
    client = api_as("drift")
    before = db_state()
    r = client.post("/api/v1/cooperations/", data, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()["error"]["fields"]
    assert_unchanged(before)
    assert Cooperation.objects.count() == 1


def test_web_cooperation_form_shows_errors(web_as: Any, demo: Any, superuser: User) -> None:
    client = web_as("drift")
    assert "/samverkan/ny/" in client.get("/organisation/").content.decode()
    assert "/samverkan/ny/" not in web_as("admin").get("/organisation/").content.decode()
    before = db_state()
    r = web_as("drift").post("/samverkan/ny/", {"name": "Ny", "slug": "dalsland"})
    assert r.status_code == 200
    assert "slug" in r.context["form"].errors
    assert_unchanged(before)
