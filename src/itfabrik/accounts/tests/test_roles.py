"""Users and role assignments through the API and the web pages, with the scope matrix."""

from datetime import date

import pytest

from itfabrik.accounts.models import RoleAssignment
from itfabrik.core.models import AuditEntry
from itfabrik.tenancy.services import node_create


def snapshot():
    # Refused attempts are audited (AuditAction.REFUSE); everything else must stay as it was.
    return (
        sorted(RoleAssignment.objects.values_list("user_id", "role", "node_id", "recursive")),
        AuditEntry.objects.exclude(action="refuse").count(),
    )


def test_admin_grants_and_revokes_through_the_api(demo, api_as):
    api = api_as("admin")
    person = demo.user("anvandare-fargelanda")
    node = demo.node("Färgelanda kommun")
    created = api.post(
        "/api/v1/role-assignments/",
        {"user": person.pk, "role": "it_contact", "node": node.pk, "recursive": True},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["username"], body["role"], body["node"]) == (
        person.username,
        "it_contact",
        node.pk,
    )
    listed = api.get(f"/api/v1/role-assignments/?user={person.pk}").json()
    assert {r["role"] for r in listed["results"]} == {"end_user", "it_contact"}
    deleted = api.delete(f"/api/v1/role-assignments/{body['id']}/")
    assert deleted.status_code == 204
    assert RoleAssignment.objects.get(pk=body["id"]).valid_until < date.today()
    assert api.get(f"/api/v1/role-assignments/{body['id']}/").status_code == 404  # ended


@pytest.mark.parametrize(
    ("actor", "node_name", "status"),
    [
        (None, "Färgelanda kommun", 401),
        ("anvandare-bengtsfors", "Hemtjänst norr", 404),  # Mellerud: invisible to Bengtsfors
        ("agent", "Färgelanda kommun", 403),  # visible, not grantable
        ("ekonom", "Färgelanda kommun", 404),  # finance does not see people at all
    ],
)
def test_refused_grants_change_nothing(demo, api_as, actor, node_name, status):
    node = (
        demo.node(node_name, "Melleruds kommun")
        if node_name == "Hemtjänst norr"
        else demo.node(node_name)
    )
    before = snapshot()
    response = api_as(actor).post(
        "/api/v1/role-assignments/",
        {
            "user": demo.user("anvandare-fargelanda").pk,
            "role": "cooperation_admin",
            "node": node.pk,
        },
        format="json",
    )
    assert response.status_code == status, response.content
    assert "error" in response.json()
    assert snapshot() == before


def test_refused_revoke_changes_nothing(demo, api_as):
    target = RoleAssignment.objects.get(user__username="anvandare-bengtsfors")
    before = snapshot()
    assert api_as("agent").delete(f"/api/v1/role-assignments/{target.pk}/").status_code == 403
    assert (
        api_as("anvandare-fargelanda").delete(f"/api/v1/role-assignments/{target.pk}/").status_code
        == 404
    )
    assert api_as(None).delete(f"/api/v1/role-assignments/{target.pk}/").status_code == 401
    assert snapshot() == before


def test_user_list_is_scoped(demo, api_as):
    everyone = {
        u["username"] for u in api_as("agent").get("/api/v1/users/?page_size=200").json()["results"]
    }
    assert {"anvandare-bengtsfors", "bestallare-mellerud", "admin"} <= everyone
    assert api_as("anvandare-bengtsfors").get("/api/v1/users/").json()["count"] == 0
    other = demo.user("bestallare-mellerud")
    assert api_as("anvandare-bengtsfors").get(f"/api/v1/users/{other.pk}/").status_code == 404
    found = api_as("agent").get("/api/v1/users/?q=fargelanda").json()
    assert [u["username"] for u in found["results"]] == ["anvandare-fargelanda"]


def test_user_list_query_count_does_not_grow(demo, api_as, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from itfabrik.accounts.services import user_create
    from itfabrik.core.actors import SYSTEM

    api = api_as("agent")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/users/").status_code == 200
        return len(ctx.captured_queries)

    first = count()
    unit = demo.node("Elevhälsan", "Åmåls kommun")
    for i in range(25):
        user_create(actor=SYSTEM, username=f"extra{i}", password=None, home_unit=unit)
    assert count() == first


def test_web_role_pages(demo, web_as):
    client = web_as("admin")
    page = client.get("/konto/anvandare/?q=bengtsfors")
    assert page.status_code == 200
    assert "anvandare-bengtsfors" in page.content.decode()
    person = demo.user("anvandare-bengtsfors")
    detail = client.get(f"/konto/anvandare/{person.pk}/")
    assert detail.status_code == 200
    node = demo.node("Bengtsfors kommun")
    bad = client.post(f"/konto/anvandare/{person.pk}/", {"role": "nope", "node": node.pk})
    assert bad.status_code == 200
    assert "errorlist" in bad.content.decode()
    ok = client.post(
        f"/konto/anvandare/{person.pk}/", {"role": "it_contact", "node": node.pk, "recursive": "on"}
    )
    assert ok.status_code == 302
    a = RoleAssignment.objects.get(user=person, role="it_contact")
    assert client.post(f"/konto/roller/{a.pk}/avsluta/").status_code == 302
    a.refresh_from_db()
    assert a.valid_until is not None
    assert "it_contact" not in {r.role for r in person.assignments.filter(valid_until__isnull=True)}


def test_web_role_pages_refuse_and_change_nothing(demo, web_as, client):
    person = demo.user("bestallare-mellerud")
    target = RoleAssignment.objects.filter(user=person).first()
    before = snapshot()
    assert client.get("/konto/anvandare/").status_code == 302  # anonymous → login
    web_as("anvandare-bengtsfors")
    assert client.get("/konto/anvandare/").status_code == 404
    assert client.get(f"/konto/anvandare/{person.pk}/").status_code == 404
    assert client.post(f"/konto/roller/{target.pk}/avsluta/").status_code == 404
    client.logout()
    web_as("agent")
    assert client.get(f"/konto/anvandare/{person.pk}/").status_code == 200
    # The agent sees people but may not grant: a POST is refused and changes nothing.
    assert (
        client.post(
            f"/konto/anvandare/{person.pk}/",
            {"role": "it_contact", "node": demo.node("Melleruds kommun").pk},
        ).status_code
        == 404
    )
    assert client.post(f"/konto/roller/{target.pk}/avsluta/").status_code == 403
    assert snapshot() == before


def test_new_unit_is_visible_to_its_municipality_users_at_once(demo, api_as):
    from itfabrik.core.actors import SYSTEM
    from itfabrik.tenancy.choices import NodeKind

    unit = node_create(
        actor=SYSTEM,
        parent=demo.node("Socialförvaltningen", "Bengtsfors kommun"),
        kind=NodeKind.UNIT,
        name="Ny enhet",
    )
    assert (
        api_as("anvandare-bengtsfors").get(f"/api/v1/organisations/{unit.pk}/").status_code == 200
    )
    assert (
        api_as("anvandare-fargelanda").get(f"/api/v1/organisations/{unit.pk}/").status_code == 404
    )
