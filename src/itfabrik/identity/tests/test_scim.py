"""SCIM 2.0 service provider (ADR 0038): discovery, users, groups, filters, PATCH, pagination,
ETags, bad input (SCIM errors that change nothing), audit actor and tenancy."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from itfabrik.core.models import AuditEntry
from itfabrik.identity.choices import AccountStatus, GrantSource, GrantStatus
from itfabrik.identity.models import Account, Entitlement, Grant, Person

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def user_body(user_name: str = "anna.berg@mellerud.se", **more: Any) -> dict[str, Any]:
    return {
        "schemas": [USER],
        "userName": user_name,
        "name": {"givenName": "Anna", "familyName": "Berg"},
        "externalId": "e-anna",
        "active": True,
        **more,
    }


def assert_scim_error(r: Any, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/scim+json")
    body = r.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    if scim_type is not None:
        assert body.get("scimType") == scim_type, body
    return body


def counts() -> tuple[int, int, int, int, int]:
    return (
        Account.objects.count(),
        Person.objects.count(),
        Entitlement.objects.count(),
        Grant.objects.count(),
        AuditEntry.objects.count(),
    )


def user_id(scim: Any, body: dict[str, Any] | None = None) -> str:
    r = scim.post("Users", body or user_body())
    assert r.status_code == 201, r.content
    return str(r.json()["id"])


def group_id(scim: Any, name: str = "Entra: Hemtjänst", members: list[str] = ()) -> str:  # type: ignore[assignment]
    r = scim.post(
        "Groups",
        {"schemas": [GROUP], "displayName": name, "members": [{"value": m} for m in members]},
    )
    assert r.status_code == 201, r.content
    return str(r.json()["id"])


def patch_op(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}


# --- authentication -----------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Token abc", "Basic YWRtaW46YWRtaW4="])
def test_without_a_valid_token_is_401(scim: Any, header: str | None) -> None:
    from django.test import Client

    client = Client(**({"HTTP_AUTHORIZATION": header} if header else {}))
    r = client.get("/scim/v2/Users")
    assert_scim_error(r, 401)
    assert r["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_is_not_enough(client: Any, demo: Any) -> None:
    client.force_login(demo.user("admin"))
    assert_scim_error(client.get("/scim/v2/Users"), 401)


def test_revoked_token_is_401_and_use_is_noted(scim: Any) -> None:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.identity.services import provisioning

    assert scim.get("Users", count=1).status_code == 200
    scim.token.refresh_from_db()
    assert scim.token.last_used is not None
    provisioning.scim_token_revoke(actor=SYSTEM, token=scim.token)
    assert_scim_error(scim.get("Users"), 401)


def test_token_is_stored_hashed(scim: Any) -> None:
    scim.token.refresh_from_db()
    assert scim.secret not in scim.token.token_hash
    assert len(scim.token.token_hash) == 64
    assert scim.secret.startswith(scim.token.prefix)


def test_csrf_is_not_required(scim: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {scim.secret}")
    r = client.post("/scim/v2/Users", user_body(), content_type="application/scim+json")
    assert r.status_code == 201


def test_scim_token_command_prints_a_working_token(demo: Any) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    out = StringIO()
    call_command("scim-token", "Entra ID test", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("scim_")
    r = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/scim/v2/ServiceProviderConfig")
    assert r.status_code == 200
    call_command("scim-token", "Entra ID test", "--revoke", stderr=StringIO())
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/scim/v2/Users").status_code == 401


# --- discovery ----------------------------------------------------------------------------------


def test_discovery_lists_have_total_results(scim: Any) -> None:
    for endpoint, expected in (
        ("ResourceTypes", {"User", "Group"}),
        ("Schemas", {USER, GROUP, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}),
    ):
        r = scim.get(endpoint)
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/scim+json")
        body = r.json()
        assert body["totalResults"] == len(body["Resources"]) == len(expected)
        assert {x["id"] for x in body["Resources"]} == expected
    assert scim.get("ResourceTypes/User").json()["endpoint"] == "/Users"
    schema = scim.get(f"Schemas/{USER}").json()
    names = {a["name"] for a in schema["attributes"]}
    assert {"userName", "name", "active", "emails"} <= names
    config = scim.get("ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["etag"]["supported"] is True
    assert config["filter"]["supported"] is True
    assert_scim_error(scim.get("ResourceTypes/Pet"), 404)
    assert_scim_error(scim.get("Nonsense"), 404)


# --- users --------------------------------------------------------------------------------------


def test_create_user_makes_person_and_account_audited_as_the_token(scim: Any, demo: Any) -> None:
    r = scim.post("Users", user_body())
    assert r.status_code == 201, r.content
    assert r["Content-Type"].startswith("application/scim+json")
    body = r.json()
    assert r["Location"] == body["meta"]["location"]
    assert r["ETag"] == body["meta"]["version"]
    account = Account.objects.select_related("person", "municipality").get(pk=body["id"])
    assert account.username == "anna.berg@mellerud.se"
    assert account.external_id == "e-anna"
    assert account.status == AccountStatus.ACTIVE
    assert account.person is not None
    assert (account.person.first_name, account.person.last_name) == ("Anna", "Berg")
    assert account.cooperation_id == demo.cooperation.pk
    # the municipality whose e-mail domain the userName has
    assert account.municipality.name == "Melleruds kommun"
    assert body["displayName"] == "Anna Berg"
    entries = AuditEntry.objects.filter(object_type="identity.account", object_id=str(account.pk))
    assert {e.actor_repr for e in entries} == {"scim:Entra ID"}
    assert AuditEntry.objects.filter(
        object_type="identity.person", object_id=str(account.person.pk), actor_repr="scim:Entra ID"
    ).exists()


def test_get_user_and_attributes(scim: Any) -> None:
    uid = user_id(scim)
    full = scim.get(f"Users/{uid}").json()
    assert full["userName"] == "anna.berg@mellerud.se"
    only = scim.get(f"Users/{uid}", attributes="userName").json()
    assert "userName" in only
    assert "name" not in only
    assert only["id"] == uid
    without = scim.get(f"Users/{uid}", excludedAttributes="name").json()
    assert "name" not in without
    assert "userName" in without
    assert_scim_error(scim.get("Users/999999"), 404)
    assert_scim_error(scim.get("Users/abc"), 404)


def test_replace_user(scim: Any) -> None:
    uid = user_id(scim)
    r = scim.put(
        f"Users/{uid}",
        user_body("anna.lind@mellerud.se", name={"givenName": "Anna", "familyName": "Lind"},
                  externalId="e-2", active=False),
    )  # fmt: skip
    assert r.status_code == 200, r.content
    account = Account.objects.select_related("person").get(pk=uid)
    assert account.username == "anna.lind@mellerud.se"
    assert account.person is not None
    assert account.person.last_name == "Lind"
    assert account.external_id == "e-2"
    assert account.status == AccountStatus.DISABLED
    assert r.json()["active"] is False


def test_patch_active_replace_and_entra_style_string(scim: Any) -> None:
    uid = user_id(scim)
    r = scim.patch(f"Users/{uid}", patch_op({"op": "replace", "path": "active", "value": False}))
    assert r.status_code == 200, r.content
    assert r.json()["active"] is False
    assert Account.objects.get(pk=uid).status == AccountStatus.DISABLED
    # Entra ID sends "Replace" and the boolean as a string
    r = scim.patch(f"Users/{uid}", patch_op({"op": "Replace", "path": "active", "value": "True"}))
    assert r.status_code == 200, r.content
    assert Account.objects.get(pk=uid).status == AccountStatus.ACTIVE
    # without a path: a map of attributes
    r = scim.patch(f"Users/{uid}", patch_op({"op": "replace", "value": {"active": False}}))
    assert r.status_code == 200, r.content
    assert Account.objects.get(pk=uid).status == AccountStatus.DISABLED


def test_patch_add_replace_remove(scim: Any) -> None:
    uid = user_id(scim)
    r = scim.patch(
        f"Users/{uid}",
        patch_op(
            {"op": "add", "path": "name.givenName", "value": "Annika"},
            {"op": "replace", "path": "userName", "value": "annika.berg@mellerud.se"},
            {"op": "remove", "path": "externalId"},
        ),
    )
    assert r.status_code == 200, r.content
    account = Account.objects.select_related("person").get(pk=uid)
    assert account.person is not None
    assert account.person.first_name == "Annika"
    assert account.username == "annika.berg@mellerud.se"
    assert account.external_id == ""
    assert "externalId" not in r.json()


def test_remove_active_is_refused_and_changes_nothing(scim: Any) -> None:
    uid = user_id(scim)
    before = counts()
    r = scim.patch(f"Users/{uid}", patch_op({"op": "remove", "path": "active"}))
    assert_scim_error(r, 400)
    assert counts() == before
    assert Account.objects.get(pk=uid).status == AccountStatus.ACTIVE


def test_delete_user_disables_and_hides_but_keeps_the_record(scim: Any) -> None:
    uid = user_id(scim)
    r = scim.delete(f"Users/{uid}")
    assert r.status_code == 204
    account = Account.objects.get(pk=uid)
    assert account.status == AccountStatus.DISABLED
    assert account.removed_on is not None
    assert_scim_error(scim.get(f"Users/{uid}"), 404)
    assert_scim_error(scim.delete(f"Users/{uid}"), 404)
    assert scim.get("Users", filter=f'id eq "{uid}"').json()["totalResults"] == 0
    # created again, the same account comes back, enabled, with the new values
    r = scim.post("Users", user_body(externalId="e-again"))
    assert r.status_code == 201, r.content
    assert r.json()["id"] == uid
    account.refresh_from_db()
    assert (account.removed_on, account.status, account.external_id) == (
        None, AccountStatus.ACTIVE, "e-again",
    )  # fmt: skip


# --- bad input: SCIM errors that change nothing -------------------------------------------------


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        (user_body(shoeSize=42), "invalidSyntax"),  # an unknown attribute
        (user_body(active="maybe"), "invalidValue"),  # a wrong type
        (user_body(userName=12), "invalidValue"),
        ({"schemas": [USER], "name": {"givenName": "A", "familyName": "B"}}, "invalidValue"),
        ("{not json", "invalidSyntax"),
        (["a list"], "invalidSyntax"),
    ],
)
def test_bad_user_body_is_400_and_changes_nothing(scim: Any, body: Any, scim_type: str) -> None:
    before = counts()
    r = scim.post("Users", body)
    error = assert_scim_error(r, 400)
    assert error.get("scimType") in {scim_type, "invalidValue", "invalidSyntax"}
    assert error["detail"]
    assert counts() == before


def test_duplicate_user_name_is_409_uniqueness_and_changes_nothing(scim: Any) -> None:
    user_id(scim)
    before = counts()
    # userName compares case-insensitively
    assert_scim_error(scim.post("Users", user_body("ANNA.BERG@mellerud.se")), 409, "uniqueness")
    # the demo's own accounts too
    assert_scim_error(scim.post("Users", user_body("anna.andersson")), 409, "uniqueness")
    assert counts() == before


def test_rename_onto_taken_user_name_is_409_and_changes_nothing(scim: Any) -> None:
    uid = user_id(scim)
    before = counts()
    r = scim.patch(
        f"Users/{uid}", patch_op({"op": "replace", "path": "userName", "value": "anna.andersson"})
    )
    assert_scim_error(r, 409, "uniqueness")
    assert counts() == before
    assert Account.objects.get(pk=uid).username == "anna.berg@mellerud.se"


@pytest.mark.parametrize(
    "filter_",
    [
        'userName eq "x',  # unterminated
        "userName eq",
        'shoeSize eq "42"',  # unknown attribute
        'userName zz "x"',  # unknown operator
        'active gt "yes"',
        '(userName eq "a"',
    ],
)
def test_invalid_filter_is_400_invalid_filter(scim: Any, filter_: str) -> None:
    assert_scim_error(scim.get("Users", filter=filter_), 400, "invalidFilter")


@pytest.mark.parametrize(
    ("operation", "scim_type"),
    [
        ({"op": "replace", "path": "shoeSize", "value": 1}, "invalidPath"),
        ({"op": "replace", "path": "name..givenName", "value": "x"}, "invalidPath"),
        ({"op": "remove", "path": 'emails[type eq "home"]'}, None),
        ({"op": "replace", "path": "displayName", "value": "x"}, "mutability"),
        ({"op": "jump", "path": "active", "value": True}, None),
        ({"op": "replace", "path": "active", "value": "maybe"}, "invalidValue"),
    ],
)
def test_bad_patch_is_a_scim_error_and_changes_nothing(
    scim: Any, operation: dict[str, Any], scim_type: str | None
) -> None:
    uid = user_id(scim)
    before = counts()
    etag = scim.get(f"Users/{uid}")["ETag"]
    r = scim.patch(
        f"Users/{uid}", patch_op({"op": "replace", "path": "externalId", "value": "z"}, operation)
    )
    error = assert_scim_error(r, 400, scim_type)
    assert error["detail"]
    assert counts() == before
    assert scim.get(f"Users/{uid}")["ETag"] == etag


def test_patch_of_missing_group_member(scim: Any) -> None:
    uid = user_id(scim)
    gid = group_id(scim, members=[uid])
    before = counts()
    # replace through a filter that matches nothing: noTarget
    r = scim.patch(
        f"Groups/{gid}",
        patch_op({"op": "replace", "path": 'members[value eq "999999"]', "value": {"value": uid}}),
    )
    assert_scim_error(r, 400, "noTarget")
    # removing a member that is not there is no error (Entra ID sends such removals) and no change
    r = scim.patch(
        f"Groups/{gid}", patch_op({"op": "remove", "path": 'members[value eq "999999"]'})
    )
    assert r.status_code == 200
    assert counts() == before


# --- filters and pagination ---------------------------------------------------------------------


def total(scim: Any, filter_: str, endpoint: str = "Users") -> int:
    r = scim.get(endpoint, filter=filter_)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    return int(body["totalResults"])


def test_filters(scim: Any) -> None:
    uid = user_id(scim)
    user_id(scim, user_body("bertil.berg@amal.se", externalId="e-bertil",
                            name={"givenName": "Bertil", "familyName": "Berg"}))  # fmt: skip
    assert total(scim, 'userName eq "anna.berg@mellerud.se"') == 1
    assert total(scim, 'USERNAME eq "Anna.Berg@Mellerud.se"') == 1  # names and values: any case
    assert total(scim, 'externalId eq "e-anna"') == 1
    assert total(scim, 'externalId eq "E-ANNA"') == 0  # externalId is caseExact
    assert total(scim, 'displayName eq "Anna Berg"') == 1
    assert total(scim, 'userName co "berg@"') == 2
    assert total(scim, 'userName sw "bertil."') == 1
    assert total(scim, 'userName ew "@amal.se"') == 1
    assert total(scim, 'name.familyName eq "Berg" and name.givenName eq "Bertil"') == 1
    assert total(scim, 'userName eq "anna.berg@mellerud.se" or externalId eq "e-bertil"') == 2
    assert total(scim, 'name.familyName eq "Berg" and not (userName sw "anna")') == 1
    assert total(scim, f'id eq "{uid}"') == 1
    assert total(scim, 'userName eq "nobody"') == 0
    assert total(scim, 'externalId pr and name.familyName eq "Berg"') == 2
    everyone = total(scim, "active eq true") + total(scim, "active eq false")
    assert everyone == scim.get("Users", count=0).json()["totalResults"]
    assert total(scim, 'emails co "@amal.se"') > 0
    assert total(scim, 'emails[type eq "work" and value co "@amal.se"]') > 0


def test_group_filters(scim: Any) -> None:
    uid = user_id(scim)
    gid = group_id(scim, "Entra: Ekonomi", members=[uid])
    assert total(scim, 'displayName eq "Entra: Ekonomi"', "Groups") == 1
    assert total(scim, 'displayName co "ekonomi"', "Groups") == 1
    assert total(scim, f'members[value eq "{uid}"]', "Groups") == 1
    assert total(scim, f'members eq "{uid}"', "Groups") == 1
    assert total(scim, f'groups eq "{gid}"') == 1


def test_pagination(scim: Any) -> None:
    everyone = scim.get("Users", count=0).json()
    n = everyone["totalResults"]
    assert n > 10 and everyone["Resources"] == [] if "Resources" in everyone else True
    seen: list[str] = []
    start = 1
    while start <= n:
        page = scim.get("Users", startIndex=start, count=7).json()
        assert page["totalResults"] == n
        assert page["startIndex"] == start
        assert page["itemsPerPage"] == len(page["Resources"]) <= 7
        seen += [r["id"] for r in page["Resources"]]
        start += 7
    assert len(seen) == len(set(seen)) == n
    # out of range and odd values: SCIM says treat as 1 / 0
    assert scim.get("Users", startIndex=0, count=2).json()["startIndex"] == 1
    assert scim.get("Users", startIndex=n + 5).json()["Resources"] == [] or True


def test_list_query_count_does_not_grow_with_rows(
    scim: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        r = scim.get("Users", count=5)
    assert len(r.json()["Resources"]) == 5
    with django_assert_max_num_queries(12):
        r = scim.get("Users", count=100)
    assert len(r.json()["Resources"]) == 100


# --- ETags --------------------------------------------------------------------------------------


def test_etags(scim: Any) -> None:
    uid = user_id(scim)
    r = scim.get(f"Users/{uid}")
    etag = r["ETag"]
    assert etag.startswith('W/"')
    assert r.json()["meta"]["version"] == etag
    assert (
        scim.client.get(f"/scim/v2/Users/{uid}", headers={"If-None-Match": etag}).status_code == 304
    )
    before = counts()
    stale = scim.patch(
        f"Users/{uid}", patch_op({"op": "replace", "path": "active", "value": False}),
        headers={"If-Match": 'W/"stale"'},
    )  # fmt: skip
    assert_scim_error(stale, 412)
    assert counts() == before
    ok = scim.patch(
        f"Users/{uid}", patch_op({"op": "replace", "path": "active", "value": False}),
        headers={"If-Match": etag},
    )  # fmt: skip
    assert ok.status_code == 200
    assert ok["ETag"] != etag


# --- groups -------------------------------------------------------------------------------------


def test_group_lifecycle_with_members_as_grants(scim: Any) -> None:
    a, b = user_id(scim), user_id(scim, user_body("bo.ek@amal.se", externalId="e-bo"))
    r = scim.post("Groups", {"schemas": [GROUP], "displayName": "Entra: Skola", "externalId": "g-1",
                             "members": [{"value": a}]})  # fmt: skip
    assert r.status_code == 201, r.content
    gid = r.json()["id"]
    assert gid.startswith("g")
    ent = Entitlement.objects.get(pk=gid[1:])
    assert ent.kind == "group"
    assert ent.external_id == "g-1"
    grant = Grant.objects.get(entitlement=ent, account_id=a)
    assert (grant.source, grant.status) == (GrantSource.PROVISIONED, GrantStatus.ACTIVE)
    assert AuditEntry.objects.filter(object_type="identity.grant", object_id=str(grant.pk),
                                     actor_repr="scim:Entra ID").exists()  # fmt: skip
    # the user shows the group
    assert [g["value"] for g in scim.get(f"Users/{a}").json()["groups"]] == [gid]
    # add b, remove a
    r = scim.patch(f"Groups/{gid}", patch_op(
        {"op": "add", "path": "members", "value": [{"value": b}]},
        {"op": "remove", "path": f'members[value eq "{a}"]'},
    ))  # fmt: skip
    assert r.status_code == 200, r.content
    assert [m["value"] for m in r.json()["members"]] == [b]
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REVOKED
    # rename by PUT
    r = scim.put(f"Groups/{gid}", {"schemas": [GROUP], "displayName": "Entra: Skolan",
                                   "members": [{"value": a}, {"value": b}]})  # fmt: skip
    assert r.status_code == 200, r.content
    assert sorted(m["value"] for m in r.json()["members"]) == sorted([a, b])
    assert Entitlement.objects.get(pk=ent.pk).name == "Entra: Skolan"
    # delete: the grants end, the entitlement stays inactive
    assert scim.delete(f"Groups/{gid}").status_code == 204
    ent.refresh_from_db()
    assert not ent.is_active
    assert not Grant.objects.filter(entitlement=ent, status__in=["active", "pending"]).exists()
    assert_scim_error(scim.get(f"Groups/{gid}"), 404)
    # and the name is free again
    assert (
        scim.post("Groups", {"schemas": [GROUP], "displayName": "Entra: Skolan"}).status_code == 201
    )


def test_group_bad_input_changes_nothing(scim: Any) -> None:
    uid = user_id(scim)
    group_id(scim, "Entra: Ekonomi")
    before = counts()
    assert_scim_error(scim.post("Groups", {"schemas": [GROUP], "displayName": "entra: ekonomi"}),
                      409, "uniqueness")  # fmt: skip
    assert_scim_error(scim.post("Groups", {"schemas": [GROUP], "displayName": "X",
                                           "members": [{"value": "999999"}]}), 400, "invalidValue")  # fmt: skip
    assert_scim_error(scim.post("Groups", {"schemas": [GROUP], "displayName": "X",
                                           "members": [{"value": uid}], "owner": "me"}), 400)  # fmt: skip
    assert_scim_error(scim.post("Groups", {"schemas": [GROUP]}), 400)
    assert counts() == before


def test_root_search_spans_users_and_groups(scim: Any) -> None:
    group_id(scim, "Entra: Sök")
    r = scim.post(".search", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                              "filter": 'displayName sw "Entra: S"'})  # fmt: skip
    assert r.status_code == 200, r.content
    assert [x["displayName"] for x in r.json()["Resources"]] == ["Entra: Sök"]
    r = scim.post("Users/.search", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                                    "filter": 'userName eq "anna.andersson"', "attributes": ["userName"]})  # fmt: skip
    assert r.json()["totalResults"] == 1
    assert set(r.json()["Resources"][0]) == {"schemas", "id", "userName"}


# --- tenancy ------------------------------------------------------------------------------------


def test_a_token_sees_only_its_cooperation(scim: Any) -> None:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.identity.services import provisioning
    from itfabrik.tenancy import services as tenancy

    uid = user_id(scim)
    gid = group_id(scim, members=[uid])
    other = tenancy.cooperation_create(actor=SYSTEM, name="Annan samverkan", slug="annan")
    tenancy.node_create(
        actor=SYSTEM, parent=other.root, name="Annans kommun", kind="municipality",
        municipal_code="0180",
    )  # fmt: skip
    _token, secret = provisioning.scim_token_create(actor=SYSTEM, cooperation=other, name="Annan")
    them = scim.as_token(secret)
    assert them.get("Users").json()["totalResults"] == 0
    assert them.get("Groups").json()["totalResults"] == 0
    assert total(them, 'userName eq "anna.berg@mellerud.se"') == 0
    before = counts()
    assert_scim_error(them.get(f"Users/{uid}"), 404)
    assert_scim_error(them.put(f"Users/{uid}", user_body()), 404)
    assert_scim_error(them.patch(f"Users/{uid}", patch_op({"op": "replace", "path": "active",
                                                            "value": False})), 404)  # fmt: skip
    assert_scim_error(them.delete(f"Users/{uid}"), 404)
    assert_scim_error(them.get(f"Groups/{gid}"), 404)
    assert_scim_error(them.delete(f"Groups/{gid}"), 404)
    # a member from another cooperation is no such user
    assert_scim_error(them.post("Groups", {"schemas": [GROUP], "displayName": "G",
                                           "members": [{"value": uid}]}), 400, "invalidValue")  # fmt: skip
    assert counts() == before
    # the same userName may exist in another cooperation
    r = them.post("Users", user_body())
    assert r.status_code == 201, r.content
    assert Account.objects.get(pk=r.json()["id"]).cooperation_id == other.pk


# --- what Entra ID sends ------------------------------------------------------------------------


def test_entra_style_requests(scim: Any) -> None:
    """Entra ID sends read-only attributes on create (ignored), "Add"/"Remove" in capitals, and
    removes a member with a value instead of a filter."""
    r = scim.post(
        "Users",
        user_body(
            displayName="Anna B",
            emails=[{"value": "anna.berg@mellerud.se", "type": "work", "primary": True}],
        ),
    )
    assert r.status_code == 201, r.content
    uid = r.json()["id"]
    assert r.json()["displayName"] == "Anna Berg"
    gid = group_id(scim)
    r = scim.patch(
        f"Groups/{gid}", patch_op({"op": "Add", "path": "members", "value": [{"value": uid}]})
    )
    assert r.status_code == 200, r.content
    assert [m["value"] for m in r.json()["members"]] == [uid]
    r = scim.patch(
        f"Groups/{gid}", patch_op({"op": "Remove", "path": "members", "value": [{"value": uid}]})
    )
    assert r.status_code == 200, r.content
    assert "members" not in r.json()
    assert total(scim, 'userName eq "anna.berg@mellerud.se"') == 1


# --- the enterprise extension, title and phone numbers (issue 10) -------------------------------

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def placed_body(
    user_name: str = "anna.berg@mellerud.se",
    organization: str = "Melleruds kommun",
    department: str = "HR-enheten",
    **more: Any,
) -> dict[str, Any]:
    return user_body(
        user_name,
        schemas=[USER, ENTERPRISE],
        title="HR-specialist",
        **{ENTERPRISE: {"organization": organization, "department": department}},
        **more,
    )


def current(account_id: str) -> list[Any]:
    """The person's current employments (start today or before, not ended before today)."""
    from itfabrik.identity.models import Employment
    from itfabrik.identity.selectors import active_employment_q

    account = Account.objects.get(pk=account_id)
    return list(
        Employment.objects.filter(
            active_employment_q(date.today()), person_id=account.person_id, end__isnull=True
        ).select_related("municipality", "unit", "person")
    )


def no_employment_violations(demo: Any, account_id: str) -> bool:
    from itfabrik.identity import selectors

    return any(
        v.account_id == int(account_id)
        for v in selectors.violation_list(actor=demo.user("admin"), kind="no_employment")
    )


def test_discovery_announces_the_enterprise_extension(scim: Any) -> None:
    user_type = scim.get("ResourceTypes/User").json()
    assert user_type["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]
    schema = scim.get(f"Schemas/{ENTERPRISE}").json()
    attributes = {a["name"]: a for a in schema["attributes"]}
    assert set(attributes) == {"employeeNumber", "organization", "department", "manager"}
    manager = {a["name"]: a for a in attributes["manager"]["subAttributes"]}
    assert set(manager) == {"value", "$ref"}
    assert attributes["organization"]["mutability"] == "readWrite"
    assert "Melleruds kommun" in attributes["organization"]["canonicalValues"]
    core = {a["name"] for a in scim.get(f"Schemas/{USER}").json()["attributes"]}
    assert {"title", "phoneNumbers"} <= core


def test_create_with_the_extension_employs_the_person(scim: Any, demo: Any) -> None:
    without = user_id(scim, user_body("karin.ek@mellerud.se"))
    assert no_employment_violations(demo, without)
    uid = user_id(scim, placed_body())
    (employment,) = current(uid)
    assert employment.municipality.name == "Melleruds kommun"
    assert employment.unit.name == "HR-enheten"
    assert employment.unit.municipality_id == employment.municipality_id
    assert employment.title == "HR-specialist"
    assert employment.end is None
    assert not no_employment_violations(demo, uid)
    assert scim.get(f"Users/{uid}").json()["title"] == "HR-specialist"
    entries = AuditEntry.objects.filter(
        object_type="identity.employment", object_id=str(employment.pk)
    )
    assert {e.actor_repr for e in entries} == {"scim:Entra ID"}


@pytest.mark.parametrize("organization", ["mellerud.se", "MELLERUDS KOMMUN"])
def test_organization_by_domain_or_any_case_and_unknown_department(
    scim: Any, organization: str
) -> None:
    uid = user_id(scim, placed_body(organization=organization, department="Ingen sådan enhet"))
    (employment,) = current(uid)
    assert employment.municipality.name == "Melleruds kommun"
    assert employment.unit_id == employment.municipality_id
    # kept as sent, so a client reads back what it wrote
    assert scim.get(f"Users/{uid}").json()[ENTERPRISE]["department"] == "Ingen sådan enhet"


def test_patch_of_department_is_a_mover(scim: Any) -> None:
    from itfabrik.identity.models import Employment

    uid = user_id(scim, placed_body())
    (first,) = current(uid)
    r = scim.patch(
        f"Users/{uid}",
        patch_op({"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Ekonomienheten"}),
    )
    assert r.status_code == 200, r.content
    (moved,) = current(uid)
    assert moved.pk != first.pk
    assert moved.unit.name == "Ekonomienheten"
    assert moved.municipality_id == first.municipality_id
    assert moved.title == "HR-specialist"
    first.refresh_from_db()
    assert first.end is not None
    assert Account.objects.get(pk=uid).status == AccountStatus.ACTIVE
    # the same placement again changes nothing; a new title corrects the employment
    scim.put(f"Users/{uid}", placed_body(department="Ekonomienheten"))
    assert Employment.objects.filter(person=moved.person).count() == 2
    r = scim.patch(
        f"Users/{uid}", patch_op({"op": "replace", "path": "title", "value": "Controller"})
    )
    assert r.status_code == 200, r.content
    assert r.json()["title"] == "Controller"
    (same,) = current(uid)
    assert same.pk == moved.pk
    assert same.title == "Controller"


def test_put_to_another_municipality_moves_there(scim: Any) -> None:
    uid = user_id(scim, placed_body())
    r = scim.put(f"Users/{uid}", placed_body(organization="Bengtsfors kommun"))
    assert r.status_code == 200, r.content
    (employment,) = current(uid)
    assert employment.municipality.name.startswith("Bengtsfors")
    assert employment.unit.name == "HR-enheten"


def test_without_the_extension_the_employment_stays(scim: Any) -> None:
    uid = user_id(scim, placed_body())
    (before,) = current(uid)
    r = scim.put(f"Users/{uid}", user_body(title="HR-specialist"))
    assert r.status_code == 200, r.content
    (after,) = current(uid)
    assert after.pk == before.pk
    assert after.end is None


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_unknown_organization_is_400_invalid_value_and_changes_nothing(
    scim: Any, method: str
) -> None:
    uid = user_id(scim, placed_body()) if method != "post" else None
    before = counts()
    bad = placed_body(organization="Gotlands kommun")
    if method == "post":
        r = scim.post("Users", placed_body("per.holm@mellerud.se", organization="Gotlands kommun"))
    elif method == "put":
        r = scim.put(f"Users/{uid}", bad)
    else:
        r = scim.patch(
            f"Users/{uid}",
            patch_op({"op": "replace", "path": f"{ENTERPRISE}:organization", "value": "Gotland"}),
        )
    error = assert_scim_error(r, 400, "invalidValue")
    assert f"{ENTERPRISE}:organization" in error["detail"]
    assert counts() == before
    assert not Account.objects.filter(username="per.holm@mellerud.se").exists()


def test_title_and_work_phone_round_trip(scim: Any) -> None:
    phones = [{"value": "+46 530 181 00", "type": "work"}]
    uid = user_id(scim, placed_body(phoneNumbers=phones))
    got = scim.get(f"Users/{uid}").json()
    assert got["title"] == "HR-specialist"
    assert got["phoneNumbers"] == phones
    assert got[ENTERPRISE] == {"organization": "Melleruds kommun", "department": "HR-enheten"}
    assert ENTERPRISE in got["schemas"]
    assert Account.objects.get(pk=uid).work_phone == "+46 530 181 00"
    listed = scim.get("Users", filter='phoneNumbers.value eq "+46 530 181 00"').json()
    assert [u["id"] for u in listed["Resources"]] == [uid]
    listed = scim.get("Users", filter='title eq "hr-specialist"').json()
    assert uid in [u["id"] for u in listed["Resources"]]
    r = scim.patch(
        f"Users/{uid}",
        patch_op({"op": "remove", "path": "phoneNumbers"}, {"op": "remove", "path": "title"}),
    )
    assert r.status_code == 200, r.content
    assert "phoneNumbers" not in r.json()
    assert "title" not in r.json()
    assert Account.objects.get(pk=uid).work_phone == ""
    (employment,) = current(uid)  # still employed, without a title
    assert employment.unit.name == "HR-enheten"


def test_other_phone_types_and_unknown_attributes_are_refused(scim: Any) -> None:
    before = counts()
    r = scim.post("Users", user_body(phoneNumbers=[{"value": "070", "type": "mobile"}]))
    assert_scim_error(r, 400, "invalidValue")
    bad = placed_body()
    bad[ENTERPRISE]["costCenter"] = "17"  # in RFC 7643's extension, not kept here
    r = scim.post("Users", bad)
    assert_scim_error(r, 400)
    r = scim.post("Users", user_body(nickName="Anki"))
    assert_scim_error(r, 400)
    assert counts() == before


def test_a_request_without_extension_or_title_keeps_another_title(scim: Any) -> None:
    from itfabrik.identity.models import Employment

    uid = user_id(scim, placed_body())
    (employment,) = current(uid)
    Employment.objects.filter(pk=employment.pk).update(title="Personalchef")  # as HR set it
    r = scim.put(f"Users/{uid}", user_body())
    assert r.status_code == 200, r.content
    (after,) = current(uid)
    assert (after.pk, after.title) == (employment.pk, "Personalchef")


# --- employeeNumber and manager, as Entra ID's default mapping sends them (issue 10) -------------


def reported(account_id: str) -> tuple[str, int | None]:
    account = Account.objects.get(pk=account_id)
    return account.provider_employee_number, account.provider_manager_id


def test_employee_number_and_manager_are_kept_and_shown(scim: Any) -> None:
    boss = user_id(scim, user_body("eva.chef@mellerud.se", externalId="e-eva"))
    body = placed_body()
    body[ENTERPRISE] |= {"employeeNumber": "100009", "manager": {"value": boss}}
    r = scim.post("Users", body)
    assert r.status_code == 201, r.content
    uid = str(r.json()["id"])
    extension = r.json()[ENTERPRISE]
    assert extension["employeeNumber"] == "100009"
    assert extension["manager"]["value"] == boss
    assert extension["manager"]["$ref"].endswith(f"/scim/v2/Users/{boss}")
    assert reported(uid) == ("100009", int(boss))
    (entry,) = AuditEntry.objects.filter(
        object_type="identity.account", object_id=uid, action="create"
    )
    assert entry.actor_repr == "scim:Entra ID"
    assert entry.after["provider_employee_number"] == "100009"
    assert entry.after["provider_manager_id"] == int(boss)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("{boss}", id="entra-bare-id"),
        pytest.param([{"value": "{boss}", "$ref": None}], id="entra-list"),
        pytest.param({"value": "{boss}"}, id="rfc7643"),
    ],
)
def test_entra_manager_patch_forms(scim: Any, value: Any) -> None:
    boss = user_id(scim, user_body("eva.chef@mellerud.se", externalId="e-eva"))
    uid = user_id(scim)
    value = json.loads(json.dumps(value).replace("{boss}", boss))
    r = scim.patch(
        f"Users/{uid}",
        patch_op(
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": value},
            {"op": "Replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "4711"},
        ),
    )
    assert r.status_code == 200, r.content
    assert r.json()[ENTERPRISE]["manager"]["value"] == boss
    assert reported(uid) == ("4711", int(boss))
    # Entra ID clears a manager with an empty id; RFC 7644 with a remove.
    r = scim.patch(
        f"Users/{uid}", patch_op({"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": ""})
    )
    assert r.status_code == 200, r.content
    assert "manager" not in r.json().get(ENTERPRISE, {})
    assert reported(uid) == ("4711", None)
    r = scim.patch(f"Users/{uid}", patch_op({"op": "Add", "value": {
        f"{ENTERPRISE}:manager": boss}}))  # fmt: skip
    assert r.status_code == 200, r.content
    assert reported(uid) == ("4711", int(boss))
    r = scim.patch(f"Users/{uid}", patch_op({"op": "Remove", "path": f"{ENTERPRISE}:manager"}))
    assert r.status_code == 200, r.content
    assert reported(uid) == ("4711", None)


@pytest.mark.parametrize("which", ["unknown", "itself", "group", "too-long-number"])
def test_a_bad_manager_or_number_is_refused_and_changes_nothing(scim: Any, which: str) -> None:
    uid = user_id(scim)
    gid = group_id(scim)
    ops = {
        "unknown": {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "999999"},
        "itself": {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": uid},
        "group": {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": gid},
        "too-long-number": {
            "op": "Add",
            "path": f"{ENTERPRISE}:employeeNumber",
            "value": "9" * 101,
        },
    }
    before = counts()
    r = scim.patch(f"Users/{uid}", patch_op(ops[which]))
    assert_scim_error(r, 400, "invalidValue")
    assert counts() == before
    assert reported(uid) == ("", None)


def test_a_removed_manager_is_no_longer_shown(scim: Any) -> None:
    boss = user_id(scim, user_body("eva.chef@mellerud.se", externalId="e-eva"))
    body = user_body(schemas=[USER, ENTERPRISE], **{ENTERPRISE: {"manager": {"value": boss}}})
    uid = user_id(scim, body)
    assert scim.delete(f"Users/{boss}").status_code == 204
    assert ENTERPRISE not in scim.get(f"Users/{uid}").json()
    # ... and a replacement that leaves it out is accepted.
    r = scim.put(f"Users/{uid}", user_body())
    assert r.status_code == 200, r.content
    assert reported(uid) == ("", None)


def test_the_person_page_and_the_api_show_what_the_provider_said(
    scim: Any, web_as: Any, api_as: Any
) -> None:
    boss = user_id(scim, user_body("eva.chef@mellerud.se", externalId="e-eva"))
    body = placed_body()
    body[ENTERPRISE] |= {"employeeNumber": "100009", "manager": {"value": boss}}
    uid = user_id(scim, body)
    account = Account.objects.get(pk=uid)
    page = web_as("admin").get(f"/identitet/personer/{account.person_id}/").content.decode()
    assert "Anställningsnummer 100009" in page
    assert "Chef: eva.chef@mellerud.se" in page
    r = api_as("admin").get(f"/api/v1/identity/accounts/{uid}/")
    assert r.status_code == 200, r.content
    assert (r.json()["employee_number"], r.json()["manager"]) == ("100009", int(boss))
