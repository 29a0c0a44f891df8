"""Permission matrix of billing: every endpoint × every actor.

The target is Mellerud's invoice basis. Only finance (ekonom) and the cooperation administrator
hold billing actions among the matrix actors; a municipality's portal users, its orderer and the
service desk agent see no invoice at all (404 like an id that does not exist, an empty list).
Finance alone runs and approves; the administrator sees but may not (403). Every refused write
changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.billing.models import Invoice
from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    MISSING_ID,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_error,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)

MELLERUD = "Melleruds kommun"
ERROR_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
READ = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 200, ADMIN: 200}
FINANCE_WRITE = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, ADMIN: 403}


@pytest.fixture
def client_for(demo: Any, api_as: Any) -> Any:
    ensure_same_unit_user(demo)
    return api_as


def _check(response: Any, expected: int) -> None:
    if expected in ERROR_CODES:
        assert_error(response, expected, ERROR_CODES[expected])
    else:
        assert response.status_code == expected, (response.status_code, response.content[:300])


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**READ, OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200}),
)
def test_invoice_list(client_for: Any, actor: str | None, expected: int) -> None:
    r = client_for(actor).get("/api/v1/billing/invoices/", {"period": "2026-01"})
    _check(r, expected)
    if expected == 200:
        count = len(r.json()["results"])
        assert count == (4 if actor in (FINANCE, ADMIN) else 0)


@pytest.mark.parametrize(("actor", "expected"), actor_params(READ))
def test_invoice_detail(client_for: Any, actor: str | None, expected: int) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-01")
    _check(client_for(actor).get(f"/api/v1/billing/invoices/{invoice.pk}/"), expected)


@pytest.mark.parametrize(("actor", "expected"), actor_params(READ))
def test_invoice_export(client_for: Any, actor: str | None, expected: int) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-01")
    r = client_for(actor).get(f"/api/v1/billing/invoices/{invoice.pk}/export/", {"format": "csv"})
    _check(r, expected)


@pytest.mark.parametrize(("actor", "expected"), actor_params({**FINANCE_WRITE, FINANCE: 201}))
def test_run(client_for: Any, actor: str | None, expected: int) -> None:
    client = client_for(actor)
    before = db_state()
    _check(client.post("/api/v1/billing/runs/", {"period": "2026-12"}, format="json"), expected)
    if expected != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params({**FINANCE_WRITE, FINANCE: 200}))
def test_approve(client_for: Any, actor: str | None, expected: int) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    client = client_for(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/billing/invoices/{invoice.pk}/approve/",
        {"version": invoice.version},
        format="json",
    )
    _check(r, expected)
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(READ))
def test_simulation(client_for: Any, actor: str | None, expected: int) -> None:
    r = client_for(actor).post(
        "/api/v1/billing/simulations/", {"year": 2026, "method": "inhabitants"}, format="json"
    )
    _check(r, expected)


@pytest.mark.parametrize(
    ("actor", "expected"), actor_params({**FINANCE_WRITE, FINANCE: 201, ADMIN: 201})
)
def test_usage_create(client_for: Any, demo: Any, actor: str | None, expected: int) -> None:
    unit = demo.node("Hemtjänst norr", municipality=MELLERUD)
    client = client_for(actor)
    before = db_state()
    r = client.post(
        "/api/v1/billing/usage/",
        {
            "unit": unit.pk,
            "service": "Platsbesök",
            "quantity": "1",
            "unit_price": "850",
            "used_on": "2026-12-01",
        },
        format="json",
    )
    # The unit is visible to Mellerud's own staff (404 from billing, not from the organisation).
    _check(r, expected)
    if expected != 201:
        assert_unchanged(before)


def test_a_missing_invoice_is_404(client_for: Any) -> None:
    assert_error(
        client_for(FINANCE).get(f"/api/v1/billing/invoices/{MISSING_ID}/"), 404, "not_found"
    )


def test_a_council_member_sees_every_municipality_but_may_not_approve(client_for: Any) -> None:
    client = client_for("radsmedlem")
    r = client.get("/api/v1/billing/invoices/", {"period": "2026-01"})
    assert len(r.json()["results"]) == 4
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    before = db_state()
    r = client.post(
        f"/api/v1/billing/invoices/{invoice.pk}/approve/",
        {"version": invoice.version},
        format="json",
    )
    assert_error(r, 403, "forbidden")
    assert_unchanged(before)


def test_an_it_contact_sees_only_its_own_municipality(demo: Any, api_as: Any) -> None:
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.actors import SYSTEM

    user = account_services.user_create(actor=SYSTEM, username="itkontakt-mellerud", password=None)
    account_services.role_assign(
        actor=SYSTEM, user=user, role=Role.IT_CONTACT, node=demo.node(MELLERUD)
    )
    client = api_as("itkontakt-mellerud")
    r = client.get("/api/v1/billing/invoices/", {"period": "2026-01"})
    assert [x["municipality_name"] for x in r.json()["results"]] == [MELLERUD]
    other = Invoice.objects.get(municipality__name="Åmåls kommun", period="2026-01")
    assert_error(client.get(f"/api/v1/billing/invoices/{other.pk}/"), 404, "not_found")
    assert_error(
        client.get(f"/api/v1/billing/invoices/{other.pk}/export/", {"format": "pdf"}),
        404,
        "not_found",
    )
