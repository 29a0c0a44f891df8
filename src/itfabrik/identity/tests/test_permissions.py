"""The permission matrix for identity's pages and endpoints: who gets what, and that a refused
write changed nothing."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)
from itfabrik.identity.models import Account

pytestmark = pytest.mark.django_db

SEEN = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}
PAGE = {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}


@pytest.fixture
def mellerud(demo: Any, ident: Any) -> Any:
    ensure_same_unit_user(demo)
    return ident.hire("Matris", "Mellerud")


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_person_detail(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).get(f"/api/v1/identity/persons/{mellerud.person_id}/")
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_account_detail(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    account = Account.objects.get(person_id=mellerud.person_id)
    r = api_as(actor).get(f"/api/v1/identity/accounts/{account.pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 401, OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200,
                  ADMIN: 200}),
)  # fmt: skip
def test_api_lists_are_scoped(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    for url in (
        "/api/v1/identity/persons/",
        "/api/v1/identity/accounts/",
        "/api/v1/identity/violations/",
    ):
        r = api_as(actor).get(url)
        assert r.status_code == expected, url
        if expected == 200:
            count = r.json()["count"]
            assert (count > 0) == (actor in (AGENT, ADMIN)), (url, count)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 404,
                  ADMIN: 200}),
)  # fmt: skip
def test_api_account_patch(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    account = Account.objects.get(person_id=mellerud.person_id)
    client = api_as(actor)
    before = db_state()
    r = client.patch(
        f"/api/v1/identity/accounts/{account.pk}/",
        {"version": account.version, "is_shared": True},
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)
    else:
        assert r.json()["is_shared"] is True


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 404,
                  ADMIN: 201}),
)  # fmt: skip
def test_api_hire(api_as: Any, ident: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    client = api_as(actor)
    before = db_state()
    r = client.post(
        "/api/v1/identity/persons/",
        {
            "first_name": "Ny",
            "last_name": "Medarbetare",
            "unit": ident.hemtjanst.pk,
            "title": "Undersköterska",
            "start": ident.today.isoformat(),
        },
    )
    if expected == 404 and r.status_code == 400:
        # The unit itself is out of the actor's sight: refused as an unknown unit.
        assert "unit" in r.json()["error"]["fields"]
    else:
        assert r.status_code == expected, r.content
    if expected != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 201, FINANCE: 404,
                  ADMIN: 201}),
)  # fmt: skip
def test_api_violation_ticket(api_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    account = Account.objects.get(username="hemtjanst-norr-surfplatta")
    client = api_as(actor)
    before = db_state()
    r = client.post(
        "/api/v1/identity/violations/ticket/", {"kind": "shared_account", "account": account.pk}
    )
    assert r.status_code == expected, r.content
    if expected != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(PAGE))
def test_web_person_page(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = web_as(actor).get(f"/identitet/personer/{mellerud.person_id}/")
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(PAGE))
def test_web_lists(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    for url in ("/identitet/", "/identitet/avvikelser/", "/identitet/licenser/"):
        assert web_as(actor).get(url).status_code == expected, url


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404,
                  ADMIN: 302}),
)  # fmt: skip
def test_web_disable_account(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    account = Account.objects.get(person_id=mellerud.person_id)
    before = db_state()
    r = web_as(actor).post(f"/identitet/konton/{account.pk}/sparra/", {"version": account.version})
    if actor == AGENT:
        # The agent sees the account but may not disable it: told so, nothing changes.
        assert r.status_code == 302
        assert_unchanged(before)
        return
    assert r.status_code == expected
    if actor != ADMIN:
        assert_unchanged(before)
    else:
        account.refresh_from_db()
        assert account.status == "disabled"


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 302, FINANCE: 404,
                  ADMIN: 302}),
)  # fmt: skip
def test_web_violation_ticket(web_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    account = Account.objects.get(username="hemtjanst-norr-surfplatta")
    before = db_state()
    r = web_as(actor).post(
        "/identitet/avvikelser/arende/", {"kind": "shared_account", "account": account.pk}
    )
    assert r.status_code == expected
    if actor not in (AGENT, ADMIN):
        assert_unchanged(before)
