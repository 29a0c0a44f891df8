"""The accounts API: the token endpoint, /me/ and the role-assignment list."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from itfabrik.accounts.models import RoleAssignment, User
from itfabrik.core.tests import assert_error, assert_unchanged, db_state, grow, list_query_count
from itfabrik.demo.dalsland import DEMO_PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def test_token_with_right_password(api_as: Any, demo: Any) -> None:
    r = api_as(None).post(TOKEN_URL, {"username": "ekonom", "password": DEMO_PASSWORD})
    assert r.status_code == 200
    assert set(r.json()) == {"token"}
    assert r.json()["token"] == Token.objects.get(user__username="ekonom").key


def test_token_is_stable_for_repeated_requests(api_as: Any, demo: Any) -> None:
    client = api_as(None)
    first = client.post(TOKEN_URL, {"username": "ekonom", "password": DEMO_PASSWORD}).json()
    second = client.post(TOKEN_URL, {"username": "ekonom", "password": DEMO_PASSWORD}).json()
    assert first == second


def test_token_with_wrong_password_is_401(api_as: Any, demo: Any) -> None:
    before = db_state()
    r = api_as(None).post(TOKEN_URL, {"username": "ekonom", "password": "fel"})
    error = assert_error(r, 401, "not_authenticated")
    assert error["fields"] == {}
    assert_unchanged(before)


def test_token_without_fields_is_400_naming_them(api_as: Any, demo: Any) -> None:
    r = api_as(None).post(TOKEN_URL, {}, format="json")
    assert set(assert_error(r, 400, "invalid")["fields"]) == {"username", "password"}


def test_token_endpoint_ignores_a_bad_authorization_header(api_as: Any, demo: Any) -> None:
    client = api_as(None)
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    r = client.post(TOKEN_URL, {"username": "ekonom", "password": DEMO_PASSWORD})
    assert r.status_code == 200


def test_repeated_wrong_passwords_lock_out_with_429(api_as: Any, demo: Any) -> None:
    from django.conf import settings

    client = api_as(None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "ekonom", "password": "fel"})
    r = client.post(TOKEN_URL, {"username": "ekonom", "password": DEMO_PASSWORD})
    assert_error(r, 429, "throttled")
    assert not Token.objects.filter(user__username="ekonom").exists()


def test_me(api_as: Any, demo: Any) -> None:
    body = api_as("bestallare-mellerud").get("/api/v1/me/").json()
    assert body["username"] == "bestallare-mellerud"
    assert body["home_unit"] == demo.node("Hemtjänst norr", municipality="Melleruds kommun").pk
    assert sorted((a["role"], a["node_name"]) for a in body["assignments"]) == [
        ("end_user", "Melleruds kommun"),
        ("orderer", "Socialförvaltningen"),
    ]
    assert "password" not in body


# --- role assignments ---------------------------------------------------------------------------


def test_role_assignment_list_and_filters(api_as: Any, demo: Any) -> None:
    client = api_as("admin")
    body = client.get("/api/v1/role-assignments/").json()
    assert body["count"] == RoleAssignment.objects.count() == 11
    assert set(body["results"][0]) >= {"id", "user", "username", "role", "node", "node_name"}
    mellerud_user = User.objects.get(username="bestallare-mellerud")
    mine = client.get("/api/v1/role-assignments/", {"user": mellerud_user.pk}).json()["results"]
    assert sorted(r["role"] for r in mine) == ["end_user", "orderer"]
    orderers = client.get("/api/v1/role-assignments/", {"role": "orderer"}).json()["results"]
    assert [r["username"] for r in orderers] == ["bestallare-mellerud"]
    root = demo.cooperation.root_id
    at_root = client.get("/api/v1/role-assignments/", {"node": root}).json()
    assert at_root["count"] == 7
    assert_error(client.get("/api/v1/role-assignments/", {"role": "kung"}), 400, "invalid")


def test_role_assignment_pagination(api_as: Any, demo: Any) -> None:
    body = api_as("admin").get("/api/v1/role-assignments/", {"page_size": 4}).json()
    assert len(body["results"]) == 4
    assert body["count"] == 11
    assert "page=2" in body["next"]


@pytest.mark.parametrize("ordering", ["role", "-id"])
def test_role_assignment_ordering(api_as: Any, demo: Any, ordering: str) -> None:
    rows = api_as("admin").get("/api/v1/role-assignments/", {"ordering": ordering}).json()
    key = ordering.lstrip("-")
    values = [r[key] for r in rows["results"]]
    assert values == sorted(values, reverse=ordering.startswith("-"))


@pytest.mark.parametrize("actor", ["admin", "agent"])
def test_role_assignment_list_query_count_is_fixed_and_does_not_grow(
    api_as: Any, demo: Any, actor: str
) -> None:
    client = api_as(actor)
    # Token with its user, the actor's role assignments, the page count, the page.
    queries, rows = list_query_count(client, "/api/v1/role-assignments/")
    assert queries == 4
    grow(demo)
    queries_after, rows_after = list_query_count(client, "/api/v1/role-assignments/")
    assert queries_after == queries
    assert rows_after == rows + 30


def test_me_query_count_does_not_grow_with_assignments(
    api_as: Any, demo: Any, django_assert_num_queries: Any
) -> None:
    from itfabrik.accounts import services as account_services
    from itfabrik.core.actors import SYSTEM

    client = api_as("agent")
    with django_assert_num_queries(2):  # token with its user, the assignments with their nodes
        assert client.get("/api/v1/me/").status_code == 200
    agent = User.objects.get(username="agent")
    from itfabrik.tenancy.models import OrgNode

    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    for unit in OrgNode.objects.filter(parent=adm):
        account_services.role_assign(actor=SYSTEM, user=agent, role="it_contact", node=unit)
    with django_assert_num_queries(2):
        body = client.get("/api/v1/me/").json()
    assert len(body["assignments"]) == 6
