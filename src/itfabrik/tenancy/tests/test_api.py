"""The tenancy API: lists, filters, ordering, writes with versions and audit, memberships, and
query counts that do not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_error, assert_unchanged, db_state, grow, list_query_count
from itfabrik.tenancy import services
from itfabrik.tenancy.choices import ServiceLine
from itfabrik.tenancy.models import Membership, OrgNode

MUNICIPALITIES = {
    # name: (municipal_code, organisation_number, inhabitants, is_member, is_host)
    "Åmåls kommun": ("1492", "", 12006, True, True),
    "Melleruds kommun": ("1461", "", 9165, True, False),
    "Bengtsfors kommun": ("1460", "", 9138, True, False),
    "Färgelanda kommun": ("1439", "212000-1421", 6434, True, False),
    "Dals-Eds kommun": ("1438", "", None, False, False),
}


@pytest.fixture
def admin(api_as: Any) -> Any:
    return api_as("admin")


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [row["name"] for row in response.json()["results"]]


# --- lists, filters, ordering ------------------------------------------------------------------


def test_list_is_paginated(admin: Any, demo: Any) -> None:
    total = OrgNode.objects.filter(cooperation=demo.cooperation).count()
    first = admin.get("/api/v1/organisations/", {"page_size": 10})
    body = first.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == total > 10
    assert len(body["results"]) == 10
    assert body["previous"] is None
    assert "page=2" in body["next"]
    second = admin.get(body["next"]).json()
    assert len(second["results"]) == 10
    assert not {r["id"] for r in body["results"]} & {r["id"] for r in second["results"]}
    last_page = -(-total // 10)
    last = admin.get("/api/v1/organisations/", {"page_size": 10, "page": last_page}).json()
    assert last["next"] is None
    assert len(last["results"]) == total - 10 * (last_page - 1)


def test_default_page_size_is_50(admin: Any, demo: Any) -> None:
    body = admin.get("/api/v1/organisations/").json()
    assert len(body["results"]) == 50
    assert body["next"] is not None


def test_page_past_the_end_is_404_in_error_format(admin: Any, demo: Any) -> None:
    assert_error(admin.get("/api/v1/organisations/", {"page": 999}), 404, "not_found")


def test_kind_municipality_gives_the_five_dalsland_municipalities(admin: Any, demo: Any) -> None:
    r = admin.get("/api/v1/organisations/", {"kind": "municipality"})
    rows = r.json()["results"]
    assert r.json()["count"] == 5
    got = {
        row["name"]: (
            row["municipal_code"],
            row["organisation_number"],
            row["inhabitants"],
            row["is_member"],
            row["is_host"],
        )
        for row in rows
    }
    assert got == MUNICIPALITIES
    assert all(row["kind"] == "municipality" for row in rows)
    by_name = {row["name"]: row for row in rows}
    assert by_name["Åmåls kommun"]["inhabitants_year"] == 2023
    assert by_name["Dals-Eds kommun"]["inhabitants_year"] is None


def test_municipal_facts_are_null_on_other_kinds(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    row = admin.get(f"/api/v1/organisations/{unit.pk}/").json()
    assert (row["inhabitants"], row["is_member"], row["is_host"]) == (None, None, None)
    assert row["parent"] == demo.node("Socialförvaltningen", municipality="Melleruds kommun").pk
    assert row["municipality"] == demo.node("Melleruds kommun").pk


def test_is_member_follows_the_membership(admin: Any, demo: Any) -> None:
    services.municipality_leave(
        actor=SYSTEM,
        membership=Membership.objects.get(municipality__name="Bengtsfors kommun"),
        left_on=dt.date.fromisoformat("2025-06-30"),
        expected_version=None,
    )
    rows = admin.get("/api/v1/organisations/", {"kind": "municipality"}).json()["results"]
    assert {r["name"]: r["is_member"] for r in rows}["Bengtsfors kommun"] is False


def test_parent_filter(admin: Any, demo: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    r = admin.get("/api/v1/organisations/", {"parent": adm.pk})
    assert sorted(_names(r)) == [
        "Hemtjänst norr",
        "Hemtjänst söder",
        "Individ- och familjeomsorg",
        "LSS och socialpsykiatri",
        "Särskilt boende",
    ]
    assert {row["parent"] for row in r.json()["results"]} == {adm.pk}


def test_municipality_filter(admin: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    r = admin.get("/api/v1/organisations/", {"municipality": mellerud.pk, "page_size": 200})
    rows = r.json()["results"]
    # The municipality itself, four administrations and eighteen units (as on the web list).
    assert r.json()["count"] == 1 + 4 + 18
    assert [row["id"] for row in rows if row["municipality"] is None] == [mellerud.pk]
    assert {row["municipality"] for row in rows if row["id"] != mellerud.pk} == {mellerud.pk}


def test_municipality_filter_is_scoped(api_as: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    r = api_as("anvandare-bengtsfors").get("/api/v1/organisations/", {"municipality": mellerud.pk})
    # Only the municipality itself, which every member of the cooperation may see.
    assert [row["id"] for row in r.json()["results"]] == [mellerud.pk]


def test_q_filter_finds_a_cost_centre(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    r = admin.get("/api/v1/organisations/", {"q": unit.cost_centre})
    assert [row["id"] for row in r.json()["results"]] == [unit.pk]


def test_q_filter_searches_names_case_insensitively(admin: Any, demo: Any) -> None:
    r = admin.get("/api/v1/organisations/", {"q": "hemtjänst NORR"})
    assert _names(r) == ["Hemtjänst norr"] * 5


def test_q_filter_for_a_portal_user_shows_only_their_municipality(api_as: Any, demo: Any) -> None:
    r = api_as("anvandare-bengtsfors").get("/api/v1/organisations/", {"q": "Hemtjänst"})
    rows = r.json()["results"]
    assert len(rows) == 2
    assert {row["municipality"] for row in rows} == {demo.node("Bengtsfors kommun").pk}


def test_combined_filters(admin: Any, demo: Any) -> None:
    r = admin.get(
        "/api/v1/organisations/",
        {"kind": "unit", "municipality": demo.node("Åmåls kommun").pk, "q": "skola"},
    )
    assert sorted(_names(r)) == ["Grundskola F–6", "Högstadieskolan"]


def test_invalid_filter_value_is_400_in_error_format(admin: Any, demo: Any) -> None:
    error = assert_error(admin.get("/api/v1/organisations/", {"kind": "planet"}), 400, "invalid")
    assert "kind" in error["fields"]
    error = assert_error(admin.get("/api/v1/organisations/", {"parent": "abc"}), 400, "invalid")
    assert "parent" in error["fields"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Hemtjänst norr", "Hemtjänst söder", "Individ- och familjeomsorg",
                  "LSS och socialpsykiatri", "Särskilt boende"]),
        ("-name", ["Särskilt boende", "LSS och socialpsykiatri", "Individ- och familjeomsorg",
                   "Hemtjänst söder", "Hemtjänst norr"]),
        (None, ["Hemtjänst norr", "Hemtjänst söder", "Särskilt boende",
                "Individ- och familjeomsorg", "LSS och socialpsykiatri"]),
    ],
)  # fmt: skip
def test_ordering(admin: Any, demo: Any, ordering: str | None, expected: list[str]) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    params: dict[str, Any] = {"parent": adm.pk}
    if ordering:
        params["ordering"] = ordering
    assert _names(admin.get("/api/v1/organisations/", params)) == expected


def test_ordering_by_id_descending(admin: Any, demo: Any) -> None:
    ids = [
        r["id"] for r in admin.get("/api/v1/organisations/", {"ordering": "-id"}).json()["results"]
    ]
    assert ids == sorted(ids, reverse=True)
    assert ids[0] == OrgNode.objects.order_by("-pk").first().pk


def test_detail_of_missing_or_non_numeric_id_is_404(admin: Any, demo: Any) -> None:
    assert_error(admin.get("/api/v1/organisations/987654321/"), 404, "not_found")
    assert_error(admin.get("/api/v1/organisations/abc/"), 404, "not_found")


def test_delete_is_not_allowed(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    before = db_state()
    assert_error(admin.delete(f"/api/v1/organisations/{unit.pk}/"), 405, "method_not_allowed")
    assert_unchanged(before)


# --- PATCH --------------------------------------------------------------------------------------


def test_patch_with_current_version(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    audit_before = AuditEntry.objects.count()
    r = admin.patch(
        f"/api/v1/organisations/{unit.pk}/",
        {"version": unit.version, "name": "  Hemtjänst nord  ", "cost_centre": "1461-3101"},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["name"], body["cost_centre"], body["version"]) == (
        "Hemtjänst nord",
        "1461-3101",
        unit.version + 1,
    )
    unit.refresh_from_db()
    assert (unit.name, unit.version) == ("Hemtjänst nord", body["version"])
    assert AuditEntry.objects.count() == audit_before + 1
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.action == "update"
    assert (entry.object_type, entry.object_id) == ("tenancy.orgnode", str(unit.pk))
    assert entry.actor.username == "admin"
    assert entry.before["name"] == "Hemtjänst norr"
    assert entry.after["name"] == "Hemtjänst nord"
    assert (entry.before["cost_centre"], entry.after["cost_centre"]) == ("1461-3100", "1461-3101")
    assert {"name", "cost_centre", "version"} <= set(entry.changed_fields)
    assert entry.scope_path == unit.path


def test_patch_without_changes_keeps_the_version_and_writes_no_audit(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    before = db_state()
    r = admin.patch(
        f"/api/v1/organisations/{unit.pk}/",
        {"version": unit.version, "name": unit.name},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["version"] == unit.version
    assert_unchanged(before)


def test_patch_with_stale_version_is_409_and_changes_nothing(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    stale = unit.version
    services.node_update(actor=SYSTEM, node=unit, expected_version=stale, name="Hemtjänst N")
    before = db_state()
    r = admin.patch(
        f"/api/v1/organisations/{unit.pk}/",
        {"version": stale, "name": "Min ändring"},
        format="json",
    )
    error = assert_error(r, 409, "conflict")
    assert error["fields"] == {}
    assert_unchanged(before)
    assert OrgNode.objects.get(pk=unit.pk).name == "Hemtjänst N"


def test_patch_without_version_is_400(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    before = db_state()
    r = admin.patch(f"/api/v1/organisations/{unit.pk}/", {"name": "X"}, format="json")
    assert "version" in assert_error(r, 400, "invalid")["fields"]
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("value", "reason_sv"),
    [("123", "fel format"), ("212000-1420", "kontrollsiffra")],
)
def test_patch_invalid_organisation_number(
    admin: Any, demo: Any, value: str, reason_sv: str
) -> None:
    mellerud = demo.node("Melleruds kommun")
    before = db_state()
    r = admin.patch(
        f"/api/v1/organisations/{mellerud.pk}/",
        {"version": mellerud.version, "organisation_number": value},
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {"organisation_number"}
    (field_error,) = error["fields"]["organisation_number"]
    assert set(field_error["messages"]) == {"sv", "en"}
    assert reason_sv in field_error["messages"]["sv"]
    assert field_error["messages"]["en"]
    assert field_error["message"] == field_error["messages"]["sv"]
    assert_unchanged(before)


def test_model_validation_messages_are_translated_to_english(admin: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    r = admin.patch(
        f"/api/v1/organisations/{mellerud.pk}/",
        {"version": mellerud.version, "organisation_number": "123"},
        format="json",
    )
    (field_error,) = assert_error(r, 400, "invalid")["fields"]["organisation_number"]
    assert field_error["messages"]["en"] == (
        "The organisation number has the wrong format (NNNNNN-NNNN)."
    )


def test_service_validation_messages_are_translated_to_english(admin: Any, demo: Any) -> None:
    rejoin_mellerud = {
        "cooperation": demo.cooperation.pk,
        "municipality": demo.node("Melleruds kommun").pk,
        "joined_on": "2026-01-01",
    }
    r = admin.post("/api/v1/memberships/", rejoin_mellerud, format="json")
    (field_error,) = assert_error(r, 400, "invalid")["fields"]["joined_on"]
    assert field_error["messages"]["sv"].startswith("Kommunen är redan medlem")
    assert field_error["messages"]["en"] != field_error["messages"]["sv"]


def test_patch_valid_organisation_number_is_normalised(admin: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    r = admin.patch(
        f"/api/v1/organisations/{mellerud.pk}/",
        {"version": mellerud.version, "organisation_number": "2120001421"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["organisation_number"] == "212000-1421"


def test_patch_municipal_field_on_a_unit_is_400(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    before = db_state()
    r = admin.patch(
        f"/api/v1/organisations/{unit.pk}/",
        {"version": unit.version, "municipal_code": "1234"},
        format="json",
    )
    assert set(assert_error(r, 400, "invalid")["fields"]) == {"municipal_code"}
    assert_unchanged(before)


def test_patch_duplicate_cost_centre_in_municipality_is_refused(admin: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    before = db_state()
    r = admin.patch(
        f"/api/v1/organisations/{unit.pk}/",
        {"version": unit.version, "cost_centre": "1461-3110"},  # Hemtjänst söder's
        format="json",
    )
    assert r.status_code in (400, 409)
    assert_error(r, r.status_code, "invalid" if r.status_code == 400 else "conflict")
    assert_unchanged(before)


# --- POST (create) ------------------------------------------------------------------------------


def test_create_unit_under_administration(admin: Any, demo: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    audit_before = AuditEntry.objects.count()
    r = admin.post(
        "/api/v1/organisations/",
        {"parent": adm.pk, "kind": "unit", "name": "Nattpatrullen", "cost_centre": "1461-3990"},
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["kind"] == "unit"
    assert body["parent"] == adm.pk
    assert body["municipality"] == demo.node("Melleruds kommun").pk
    assert body["cost_centre"] == "1461-3990"
    assert body["version"] == 1
    node = OrgNode.objects.get(pk=body["id"])
    assert node.path.startswith(adm.path)
    assert node.depth == adm.depth + 1
    entry = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == audit_before + 1
    assert (entry.action, entry.object_id, entry.before) == ("create", str(node.pk), None)
    assert entry.after["name"] == "Nattpatrullen"
    # The new unit is listed under its parent.
    names = _names(admin.get("/api/v1/organisations/", {"parent": adm.pk}))
    assert "Nattpatrullen" in names


@pytest.mark.parametrize(
    ("parent_name", "kind"),
    [
        ("Socialförvaltningen", "municipality"),
        ("Socialförvaltningen", "administration"),
        ("Socialförvaltningen", "team"),
        ("Melleruds kommun", "unit"),
    ],
)
def test_create_wrong_kind_under_parent_is_400(
    admin: Any, demo: Any, parent_name: str, kind: str
) -> None:
    parent = (
        demo.node(parent_name, municipality="Melleruds kommun")
        if parent_name != "Melleruds kommun"
        else demo.node(parent_name)
    )
    before = db_state()
    r = admin.post(
        "/api/v1/organisations/",
        {"parent": parent.pk, "kind": kind, "name": "Fel", "municipal_code": ""},
        format="json",
    )
    assert set(assert_error(r, 400, "invalid")["fields"]) == {"kind"}
    assert_unchanged(before)


def test_create_with_unknown_kind_is_400(admin: Any, demo: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    before = db_state()
    r = admin.post(
        "/api/v1/organisations/", {"parent": adm.pk, "kind": "planet", "name": "X"}, format="json"
    )
    assert "kind" in assert_error(r, 400, "invalid")["fields"]
    assert_unchanged(before)


def test_create_with_missing_fields_names_them(admin: Any, demo: Any) -> None:
    before = db_state()
    r = admin.post("/api/v1/organisations/", {}, format="json")
    assert set(assert_error(r, 400, "invalid")["fields"]) == {"parent", "kind", "name"}
    assert_unchanged(before)


def test_create_with_invalid_cost_centre_is_400(admin: Any, demo: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    before = db_state()
    r = admin.post(
        "/api/v1/organisations/",
        {"parent": adm.pk, "kind": "unit", "name": "X", "cost_centre": "ogiltigt värde!"},
        format="json",
    )
    assert set(assert_error(r, 400, "invalid")["fields"]) == {"cost_centre"}
    assert_unchanged(before)


def test_create_municipality_with_duplicate_code_is_refused(admin: Any, demo: Any) -> None:
    before = db_state()
    r = admin.post(
        "/api/v1/organisations/",
        {
            "parent": demo.cooperation.root_id,
            "kind": "municipality",
            "name": "Kopia",
            "municipal_code": "1492",
        },
        format="json",
    )
    assert r.status_code in (400, 409)
    assert_error(r, r.status_code, "invalid" if r.status_code == 400 else "conflict")
    assert_unchanged(before)


def test_create_with_malformed_json_is_400(admin: Any, demo: Any) -> None:
    before = db_state()
    r = admin.generic(
        "POST", "/api/v1/organisations/", "{not json", content_type="application/json"
    )
    assert_error(r, 400, "parse_error")
    assert_unchanged(before)


# --- cooperations -------------------------------------------------------------------------------


def test_cooperation_detail(admin: Any, demo: Any) -> None:
    body = admin.get(f"/api/v1/cooperations/{demo.cooperation.pk}/").json()
    assert body["host"] == demo.node("Åmåls kommun").pk
    assert body["root"] == demo.cooperation.root_id
    assert body["currency"] == "SEK"


# --- memberships --------------------------------------------------------------------------------


def _join(client: Any, demo: Any, municipality: OrgNode, joined_on: str = "2026-01-01") -> Any:
    return client.post(
        "/api/v1/memberships/",
        {
            "cooperation": demo.cooperation.pk,
            "municipality": municipality.pk,
            "joined_on": joined_on,
            "decision_reference": "KF 2025/17",
        },
        format="json",
    )


def test_membership_list_and_filters(admin: Any, demo: Any) -> None:
    r = admin.get("/api/v1/memberships/")
    assert r.json()["count"] == 4
    mellerud = demo.node("Melleruds kommun")
    rows = admin.get("/api/v1/memberships/", {"municipality": mellerud.pk}).json()["results"]
    assert [(m["municipality_name"], m["joined_on"], m["left_on"]) for m in rows] == [
        ("Melleruds kommun", "2025-01-01", None)
    ]


def test_join_dals_ed(admin: Any, demo: Any) -> None:
    dals_ed = demo.node("Dals-Eds kommun")
    audit_before = AuditEntry.objects.count()
    r = _join(admin, demo, dals_ed)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["municipality"], body["joined_on"], body["left_on"]) == (
        dals_ed.pk,
        "2026-01-01",
        None,
    )
    assert body["decision_reference"] == "KF 2025/17"
    assert AuditEntry.objects.count() == audit_before + 1
    assert admin.get("/api/v1/memberships/").json()["count"] == 5
    assert admin.get("/api/v1/memberships/", {"active": "true"}).json()["count"] == 5


def test_double_join_is_400_and_changes_nothing(admin: Any, demo: Any) -> None:
    dals_ed = demo.node("Dals-Eds kommun")
    assert _join(admin, demo, dals_ed).status_code == 201
    before = db_state()
    r = _join(admin, demo, dals_ed, joined_on="2026-06-01")
    assert set(assert_error(r, 400, "invalid")["fields"]) == {"joined_on"}
    assert_unchanged(before)


def test_join_of_a_current_member_is_400(admin: Any, demo: Any) -> None:
    before = db_state()
    r = _join(admin, demo, demo.node("Melleruds kommun"))
    assert set(assert_error(r, 400, "invalid")["fields"]) == {"joined_on"}
    assert_unchanged(before)


def test_join_of_a_unit_is_400(admin: Any, demo: Any) -> None:
    before = db_state()
    r = _join(admin, demo, demo.node("Hemtjänst norr", municipality="Melleruds kommun"))
    assert set(assert_error(r, 400, "invalid")["fields"]) == {"municipality"}
    assert_unchanged(before)


def test_end_membership(admin: Any, demo: Any) -> None:
    membership = Membership.objects.get(municipality__name="Melleruds kommun")
    r = admin.post(
        f"/api/v1/memberships/{membership.pk}/end/",
        {"version": membership.version, "left_on": "2026-12-31", "decision_reference": "KF 9"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["left_on"], r.json()["version"]) == ("2026-12-31", membership.version + 1)
    assert r.json()["decision_reference"] == "KF 9"
    assert admin.get("/api/v1/memberships/", {"active": "true"}).json()["count"] == 3
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.object_type, entry.before["left_on"], entry.after["left_on"]) == (
        "tenancy.membership",
        None,
        "2026-12-31",
    )
    # A second end of the same membership is refused.
    before = db_state()
    again = admin.post(
        f"/api/v1/memberships/{membership.pk}/end/",
        {"version": membership.version + 1, "left_on": "2027-01-31"},
        format="json",
    )
    assert set(assert_error(again, 400, "invalid")["fields"]) == {"left_on"}
    assert_unchanged(before)


def test_leave_and_rejoin_keeps_history(admin: Any, demo: Any) -> None:
    membership = Membership.objects.get(municipality__name="Bengtsfors kommun")
    admin.post(
        f"/api/v1/memberships/{membership.pk}/end/",
        {"version": membership.version, "left_on": "2025-12-31"},
        format="json",
    )
    r = _join(admin, demo, demo.node("Bengtsfors kommun"), joined_on="2027-01-01")
    assert r.status_code == 201
    rows = admin.get(
        "/api/v1/memberships/", {"municipality": demo.node("Bengtsfors kommun").pk}
    ).json()["results"]
    assert [(m["joined_on"], m["left_on"]) for m in rows] == [
        ("2027-01-01", None),
        ("2025-01-01", "2025-12-31"),
    ]


@pytest.mark.parametrize(
    ("municipality", "version_offset", "left_on", "status", "code", "fields"),
    [
        # The host cannot leave.
        ("Åmåls kommun", 0, "2026-12-31", 400, "invalid", {"municipality"}),
        # An end before the start.
        ("Melleruds kommun", 0, "2024-12-31", 400, "invalid", {"left_on"}),
        # Somebody else's change in between.
        ("Melleruds kommun", 5, "2026-12-31", 409, "conflict", None),
    ],
)
def test_refused_membership_end_changes_nothing(
    admin: Any,
    demo: Any,
    municipality: str,
    version_offset: int,
    left_on: str,
    status: int,
    code: str,
    fields: set[str] | None,
) -> None:
    membership = Membership.objects.get(municipality__name=municipality)
    before = db_state()
    r = admin.post(
        f"/api/v1/memberships/{membership.pk}/end/",
        {"version": membership.version + version_offset, "left_on": left_on},
        format="json",
    )
    error = assert_error(r, status, code)
    if fields is not None:
        assert set(error["fields"]) == fields
    assert_unchanged(before)


# --- positions ----------------------------------------------------------------------------------


def test_position_list(api_as: Any, demo: Any) -> None:
    body = api_as("agent").get("/api/v1/positions/", {"page_size": 100}).json()
    assert body["count"] == 28
    held = {r["holder_name"] for r in body["results"] if r["holder"]}
    assert held == {"Alva Andersson", "Tore Karlsson", "Sara Lind", "Sven Holm"}
    lines = {r["line"] for r in body["results"]}
    assert lines == set(ServiceLine.values)


# --- query counts -------------------------------------------------------------------------------


LIST_URLS = [
    ("/api/v1/organisations/", {}),
    ("/api/v1/cooperations/", {}),
    ("/api/v1/memberships/", {}),
    ("/api/v1/positions/", {}),
]


@pytest.mark.parametrize(("url", "params"), LIST_URLS)
def test_list_query_count_is_fixed_and_does_not_grow(
    api_as: Any, demo: Any, url: str, params: dict[str, str]
) -> None:
    client = api_as("admin")
    # Token with its user, the actor's role assignments, the page count, the page; the
    # organisation list pages on ids first and then completes those rows (one query more).
    queries, rows = list_query_count(client, url, **params)
    assert queries == (5 if url == "/api/v1/organisations/" else 4)
    grow(demo)
    queries_after, rows_after = list_query_count(client, url, **params)
    assert queries_after == queries
    if url != "/api/v1/cooperations/":
        assert rows_after >= rows + 30


@pytest.mark.parametrize("actor", ["anvandare-bengtsfors", "bestallare-mellerud", "agent"])
def test_organisation_list_query_count_for_scoped_actors(
    api_as: Any, demo: Any, actor: str
) -> None:
    client = api_as(actor)
    queries, _rows = list_query_count(client, "/api/v1/organisations/")
    assert queries == 5
    grow(demo)
    assert list_query_count(client, "/api/v1/organisations/")[0] == queries


def test_detail_query_count(api_as: Any, demo: Any, django_assert_num_queries: Any) -> None:
    client = api_as("admin")
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    with django_assert_num_queries(3):  # token+user, grants, the node with its facts
        assert client.get(f"/api/v1/organisations/{unit.pk}/").status_code == 200
