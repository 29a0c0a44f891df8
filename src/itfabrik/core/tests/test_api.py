"""The core API: the one error format, and the audit trail with its filters."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_error, assert_unchanged, db_state, grow, list_query_count
from itfabrik.tenancy import services


@pytest.fixture
def admin(api_as: Any) -> Any:
    return api_as("admin")


@pytest.fixture
def edited_unit(demo: Any, admin: Any) -> Any:
    """Mellerud's Hemtjänst norr, renamed twice through the API by the admin."""
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    for version, name in [(unit.version, "Hemtjänst nord"), (unit.version + 1, "Hemtjänst N")]:
        r = admin.patch(
            f"/api/v1/organisations/{unit.pk}/", {"version": version, "name": name}, format="json"
        )
        assert r.status_code == 200
    unit.refresh_from_db()
    return unit


# --- the error format ---------------------------------------------------------------------------


def test_anonymous_gets_401_in_error_format(api_as: Any, demo: Any) -> None:
    error = assert_error(api_as(None).get("/api/v1/organisations/"), 401, "not_authenticated")
    assert error["fields"] == {}
    assert error["messages"]["en"] != error["messages"]["sv"]


def test_unknown_token_gets_401_in_error_format(api_as: Any, demo: Any) -> None:
    client = api_as(None)
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert_error(client.get("/api/v1/me/"), 401, "not_authenticated")


def test_token_of_deactivated_user_gets_401(api_as: Any, demo: Any) -> None:
    from itfabrik.accounts.models import User

    client = api_as("agent")
    User.objects.filter(username="agent").update(is_active=False)
    assert_error(client.get("/api/v1/me/"), 401, "not_authenticated")


def test_401_names_the_token_scheme(api_as: Any, demo: Any) -> None:
    r = api_as(None).get("/api/v1/organisations/")
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == 'Token realm="api"' or r["WWW-Authenticate"] == "Token"


def test_405_in_error_format_changes_nothing(admin: Any, demo: Any) -> None:
    before = db_state()
    assert_error(admin.post("/api/v1/audit/", {}, format="json"), 405, "method_not_allowed")
    entry = AuditEntry.objects.order_by("pk").first()
    assert_error(admin.delete(f"/api/v1/audit/{entry.pk}/"), 405, "method_not_allowed")
    assert_error(admin.patch(f"/api/v1/audit/{entry.pk}/", {}), 405, "method_not_allowed")
    assert_unchanged(before)


def test_unsupported_media_type_in_error_format(admin: Any, demo: Any) -> None:
    before = db_state()
    r = admin.generic("POST", "/api/v1/organisations/", "name=x", content_type="text/plain")
    assert_error(r, 415, "unsupported_media_type")
    assert_unchanged(before)


def test_unknown_api_path_is_404_in_error_format(admin: Any, demo: Any) -> None:
    assert_error(admin.get("/api/v1/finns-inte/"), 404, "not_found")


def test_request_id_is_recorded_on_audit_rows(admin: Any, demo: Any, settings: Any) -> None:
    settings.ITFABRIK_TRUSTED_PROXY_COUNT = 1
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    r = admin.patch(
        f"/api/v1/organisations/{unit.pk}/",
        {"version": unit.version, "name": "Ny"},
        format="json",
        HTTP_X_REQUEST_ID="abc-123",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert r["X-Request-ID"] == "abc-123"
    assert AuditEntry.objects.order_by("-pk").first().request_id == "abc-123"


def test_request_id_sent_by_a_client_never_reaches_the_audit_trail(admin: Any, demo: Any) -> None:
    # No trusted proxy configured: whatever the client sends, the id is generated here.
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    r = admin.patch(
        f"/api/v1/organisations/{unit.pk}/",
        {"version": unit.version, "name": "Ny"},
        format="json",
        HTTP_X_REQUEST_ID="forged-by-client",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert r.status_code == 200
    row = AuditEntry.objects.order_by("-pk").first()
    assert row.request_id == r["X-Request-ID"] != "forged-by-client"
    assert len(row.request_id) == 32


# --- the audit trail ----------------------------------------------------------------------------


def test_audit_list_is_paginated_newest_first(admin: Any, edited_unit: Any) -> None:
    body = admin.get("/api/v1/audit/", {"page_size": 5}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 5
    assert body["count"] > 5
    assert "page=2" in body["next"]
    ids = [r["id"] for r in body["results"]]
    assert ids == sorted(ids, reverse=True)
    assert body["results"][0]["object_repr"] == "Hemtjänst N"


def test_audit_filtered_by_object(admin: Any, edited_unit: Any) -> None:
    r = admin.get(
        "/api/v1/audit/", {"object_type": "tenancy.orgnode", "object_id": str(edited_unit.pk)}
    )
    rows = r.json()["results"]
    assert [(row["action"], row["after"]["name"]) for row in rows] == [
        ("update", "Hemtjänst N"),
        ("update", "Hemtjänst nord"),
        ("create", "Hemtjänst norr"),
    ]
    assert {(row["object_type"], row["object_id"]) for row in rows} == {
        ("tenancy.orgnode", str(edited_unit.pk))
    }
    newest = rows[0]
    assert newest["before"]["name"] == "Hemtjänst nord"
    assert newest["actor_repr"] == "admin"
    assert "name" in newest["changed_fields"]


def test_audit_filtered_by_object_type_only(admin: Any, demo: Any) -> None:
    rows = admin.get(
        "/api/v1/audit/", {"object_type": "tenancy.membership", "page_size": 200}
    ).json()["results"]
    assert len(rows) == 4
    assert {row["object_type"] for row in rows} == {"tenancy.membership"}


def test_audit_filtered_by_action_actor_and_search(admin: Any, edited_unit: Any) -> None:
    from itfabrik.accounts.models import User

    admin_id = User.objects.get(username="admin").pk
    by_actor = admin.get("/api/v1/audit/", {"actor": admin_id}).json()["results"]
    assert [row["object_repr"] for row in by_actor] == ["Hemtjänst N", "Hemtjänst nord"]
    updates = admin.get("/api/v1/audit/", {"action": "update", "q": "hemtjänst n"}).json()
    assert updates["count"] == 2
    assert_error(admin.get("/api/v1/audit/", {"action": "explode"}), 400, "invalid")
    assert_error(admin.get("/api/v1/audit/", {"since": "igår"}), 400, "invalid")


def test_audit_filter_by_object_of_another_municipality_is_empty_for_portal_user(
    api_as: Any, edited_unit: Any
) -> None:
    r = api_as("anvandare-bengtsfors").get(
        "/api/v1/audit/", {"object_type": "tenancy.orgnode", "object_id": str(edited_unit.pk)}
    )
    assert r.json()["count"] == 0


def test_security_officer_reads_the_trail(api_as: Any, edited_unit: Any) -> None:
    r = api_as("sakerhet").get("/api/v1/audit/", {"object_id": str(edited_unit.pk)})
    assert r.json()["count"] >= 3


def test_system_changes_are_attributed_to_system(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst söder", municipality="Melleruds kommun")
    services.node_update(actor=SYSTEM, node=unit, expected_version=unit.version, name="Söder")
    row = admin.get("/api/v1/audit/", {"object_id": str(unit.pk)}).json()["results"][0]
    assert (row["actor"], row["actor_repr"]) == (None, "system")


# --- query count --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        # The whole trail would pass the 200-row page cap; one object type stays below it.
        {"object_type": "tenancy.membership"},
        {"object_type": "tenancy.position"},
    ],
)
def test_audit_list_query_count_is_fixed_and_does_not_grow(
    admin: Any, demo: Any, params: dict[str, str]
) -> None:
    # Token with its user, the actor's role assignments, the page count, the page, and one
    # batched name lookup per related model shown in `changes` (memberships: cooperations and
    # municipalities; positions: teams and holders).
    queries, rows = list_query_count(admin, "/api/v1/audit/", **params)
    assert queries == 6
    grow(demo)
    queries_after, rows_after = list_query_count(admin, "/api/v1/audit/", **params)
    assert queries_after == queries
    assert rows_after >= rows + 30
