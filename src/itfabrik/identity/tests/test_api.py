"""Identity's API: the shapes other checks rely on, masking, bad input, query counts."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import assert_error
from itfabrik.identity.models import Account, Person

pytestmark = pytest.mark.django_db


def test_violations_shape(api_as: Any) -> None:
    r = api_as("admin").get("/api/v1/identity/violations/?page_size=200")
    assert r.status_code == 200
    rows = r.json()["results"]
    kinds = {row["kind"] for row in rows}
    assert "missing_mfa" in kinds
    assert "duplicate_person" in kinds
    for row in rows:
        assert row["detail"]
        assert row["person"] is not None or row["account"] is not None


def test_violations_filter_by_kind(api_as: Any) -> None:
    r = api_as("admin").get("/api/v1/identity/violations/?kind=external_expired")
    assert {row["kind"] for row in r.json()["results"]} == {"external_expired"}
    assert_error(api_as("admin").get("/api/v1/identity/violations/?kind=nonsense"), 400,
                 "invalid")  # fmt: skip


def test_personal_number_masked_for_agent_clear_for_admin(api_as: Any) -> None:
    person = Person.objects.exclude(personal_number="").order_by("pk").first()
    assert person is not None
    masked = api_as("agent").get(f"/api/v1/identity/persons/{person.pk}/").json()
    clear = api_as("admin").get(f"/api/v1/identity/persons/{person.pk}/").json()
    assert masked["personal_number"].endswith("-****")
    assert person.personal_number[-4:] in clear["personal_number"]


def test_hire_by_api_then_account_has_address(api_as: Any, ident: Any) -> None:
    r = api_as("admin").post(
        "/api/v1/identity/persons/",
        {
            "first_name": "Örjan",
            "last_name": "Åberg",
            "personal_number": "19811218-9876",
            "unit": ident.hemtjanst.pk,
            "title": "Undersköterska",
            "start": ident.today.isoformat(),
            "business_role": ident.role().pk,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["personal_number"] == "19811218-9876"
    accounts = api_as("admin").get(f"/api/v1/identity/accounts/?person={body['id']}").json()
    assert accounts["results"][0]["addresses"] == ["orjan.aberg@mellerud.se"]


def test_bad_personal_number_refused_and_not_echoed(api_as: Any, ident: Any) -> None:
    before = Person.objects.count()
    r = api_as("admin").post(
        "/api/v1/identity/persons/",
        {
            "first_name": "Fel",
            "last_name": "Nummer",
            "personal_number": "19811218-9877",
            "unit": ident.hemtjanst.pk,
            "title": "X",
            "start": ident.today.isoformat(),
        },
    )
    error = assert_error(r, 400, "invalid")
    assert "personal_number" in error["fields"]
    assert "9877" not in r.content.decode()
    assert Person.objects.count() == before


def test_stale_version_conflicts(api_as: Any) -> None:
    account = Account.objects.filter(kind="standard").order_by("pk").first()
    assert account is not None
    r = api_as("admin").patch(
        f"/api/v1/identity/accounts/{account.pk}/", {"version": account.version + 5, "note": "x"}
    )
    assert_error(r, 409, "conflict")


@pytest.mark.parametrize(
    "url", ["/api/v1/identity/persons/", "/api/v1/identity/accounts/", "/api/v1/identity/grants/"]
)
def test_list_query_count_is_fixed(
    api_as: Any, django_assert_max_num_queries: Any, url: str
) -> None:
    client = api_as("admin")
    client.get(url)  # warm the caches of the grants
    with django_assert_max_num_queries(8):
        r = client.get(url + "?page_size=200")
    assert r.status_code == 200
    assert r.json()["count"] > 50


def test_direct_grant_by_api(api_as: Any, ident: Any) -> None:
    from itfabrik.identity.models import Entitlement

    employment = ident.hire("Api", "Grant")
    account = Account.objects.get(person=employment.person)
    ent = Entitlement.objects.get(name="Visma – personalhandläggare")
    client = api_as("admin")
    r = client.post(
        "/api/v1/identity/grants/",
        {"account": account.pk, "entitlement": ent.pk, "valid_until": "2099-01-01", "reason": "x"},
    )
    assert r.status_code == 201, r.content
    grant = r.json()
    assert grant["status"] == "pending"
    # The agent sees it but may not decide it.
    r = api_as("agent").post(
        f"/api/v1/identity/grants/{grant['id']}/approve/", {"version": grant["version"]}
    )
    assert_error(r, 403, "forbidden")
    r = client.post(
        f"/api/v1/identity/grants/{grant['id']}/approve/", {"version": grant["version"]}
    )
    assert r.status_code == 200
    assert r.json()["status"] == "active"
