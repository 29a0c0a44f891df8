"""The economy API: the baseline's interface (names, decimal strings, totals), scoping per
municipality, scenarios adjusted and refused, the timeline and the follow-up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from itfabrik.core.tests import assert_error, assert_unchanged, db_state
from itfabrik.economy.models import Scenario

pytestmark = pytest.mark.django_db

URL = "/api/v1/economy/baseline/"


def _client(user: Any) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_baseline_2024_gives_every_municipality_and_the_total_as_decimal_strings(
    api_as: Any, economy: Any, django_assert_max_num_queries: Any
) -> None:
    client = api_as("admin")
    with django_assert_max_num_queries(12):
        r = client.get(URL, {"year": 2024})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["year"] == 2024
    assert body["scenario"]["name"] == "Förstudien 2024"
    rows = {m["municipality"]: m for m in body["municipalities"]}
    assert sorted(rows) == [
        "Bengtsfors kommun",
        "Färgelanda kommun",
        "Melleruds kommun",
        "Åmåls kommun",
    ]
    b = rows["Bengtsfors kommun"]
    assert set(b) == {
        "municipality",
        "it_cost",
        "net_cost",
        "it_share_percent",
        "benchmark_percent",
        "benchmark_cost",
        "gap_to_benchmark",
        "categories",
        "savings_potential",
    }
    assert b["it_cost"] == "12496743.00"
    assert b["net_cost"] == "688000000.00"
    assert b["it_share_percent"] == "1.82"
    assert b["benchmark_percent"] == "2.50"
    assert b["benchmark_cost"] == "17200000.00"
    assert b["gap_to_benchmark"] == "4703257.00"
    assert b["savings_potential"] == "1669200.00"
    cat = {c["name"]: c for c in b["categories"]}
    assert cat["IT-tjänster"] == {
        "name": "IT-tjänster",
        "cost": "3245000.00",
        "savings_percent": "30.00",
        "savings": "973500.00",
    }
    assert cat["Fiber"]["cost"] == "0.00"
    assert rows["Melleruds kommun"]["it_share_percent"] == "1.74"
    total = body["total"]
    assert total["it_cost"] == "45939995.00"
    assert total["net_cost"] == "2925350000.00"
    assert total["benchmark_cost"] == "73133750.00"
    assert total["gap_to_benchmark"] == "27193755.00"
    assert total["savings_potential"] == "6999349.20"
    assert total["it_share_percent"] == "1.57"


def test_a_municipal_role_sees_its_own_municipality_only(
    it_contact: Any, economy: Any, api_as: Any
) -> None:
    body = _client(it_contact).get(URL, {"year": 2024}).json()
    assert [m["municipality"] for m in body["municipalities"]] == ["Melleruds kommun"]
    assert body["total"]["it_cost"] == "12536252.00"
    timeline = _client(it_contact).get("/api/v1/economy/timeline/").json()
    assert {p["municipality"] for p in timeline["points"]} == {"Melleruds kommun"}
    # The share of the project costs is a quarter whoever looks: split among all four.
    share_2025 = next(p for p in timeline["points"] if p["year"] == 2025)["project_share"]
    assert share_2025 == "1000000.00"


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (None, 401),
        ("anvandare-bengtsfors", 404),
        ("bestallare-mellerud", 404),
        ("agent", 404),
        ("ekonom", 200),
        ("radsmedlem", 200),
        ("strateg", 200),
        ("admin", 200),
    ],
)
def test_who_sees_the_baseline(api_as: Any, economy: Any, username: Any, expected: int) -> None:
    for url in (URL, "/api/v1/economy/timeline/", "/api/v1/economy/scenarios/"):
        assert api_as(username).get(url).status_code == expected, url
    r = api_as(username).get("/api/v1/economy/followup/", {"year": 2026})
    assert r.status_code == expected


def test_a_bad_year_is_a_400_naming_it(api_as: Any, economy: Any) -> None:
    error = assert_error(api_as("admin").get(URL, {"year": "tjugo"}), 400, "invalid")
    assert "year" in error["fields"]
    error = assert_error(api_as("admin").get(URL, {"year": 1800}), 400, "invalid")
    assert "year" in error["fields"]


def test_a_scenario_changes_the_computed_figures(api_as: Any, economy: Any) -> None:
    client = api_as("strateg")
    rates = [
        {"category": economy.categories["IT-tjänster"].pk, "savings_percent": "50"},
        {"category": economy.categories["Personalkostnad"].pk, "savings_percent": "10"},
    ]
    r = client.post(
        "/api/v1/economy/scenarios/",
        {"name": "Högre riktmärke", "benchmark_percent": "3.00", "rates": rates},
        format="json",
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    body = client.get(URL, {"year": 2024, "scenario": sid}).json()
    b = {m["municipality"]: m for m in body["municipalities"]}["Bengtsfors kommun"]
    assert b["benchmark_cost"] == "20640000.00"  # 3 % of 688 000 000
    cat = {c["name"]: c for c in b["categories"]}
    assert cat["IT-tjänster"]["savings"] == "1622500.00"
    assert cat["Personalkostnad"]["savings"] == "545279.30"
    assert cat["IT-utrustning"]["savings"] == "0.00"
    # The default scenario still reads as before.
    assert client.get(URL, {"year": 2024}).json()["total"]["savings_potential"] == "6999349.20"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("benchmark_percent", "-1"),
        ("benchmark_percent", "100.5"),
        ("rate", "-0.01"),
        ("rate", "101"),
    ],
)
def test_a_share_outside_0_to_100_is_refused_and_nothing_changes(
    api_as: Any, economy: Any, field: str, value: str
) -> None:
    scenario = economy.scenario
    category = economy.categories["IT-tjänster"]
    payload: dict[str, Any] = {"version": scenario.version}
    if field == "rate":
        payload["rates"] = [{"category": category.pk, "savings_percent": value}]
        expected_field = f"rate_{category.pk}"
    else:
        payload[field] = value
        expected_field = field
    client = api_as("admin")  # its token is made now, not inside the refused request
    before = db_state()
    r = client.patch(f"/api/v1/economy/scenarios/{scenario.pk}/", payload, format="json")
    error = assert_error(r, 400, "invalid")
    assert expected_field in error["fields"]
    message = error["fields"][expected_field][0]["messages"]
    assert "mellan 0 och 100 procent" in message["sv"]
    assert "between 0 and 100 per cent" in message["en"]
    assert_unchanged(before)


def test_adjusting_a_scenario_is_audited_and_guarded_by_its_version(
    api_as: Any, economy: Any
) -> None:
    from itfabrik.core.models import AuditEntry

    scenario = economy.scenario
    url = f"/api/v1/economy/scenarios/{scenario.pk}/"
    cat = economy.categories["Konsultstöd"]
    r = api_as("ekonom").patch(
        url,
        {"version": scenario.version, "rates": [{"category": cat.pk, "savings_percent": "40"}]},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["version"] == scenario.version + 1
    entry = AuditEntry.objects.filter(object_type="economy.scenario").order_by("-pk").first()
    assert entry is not None
    assert entry.actor_repr == "ekonom"
    assert entry.before["rates"][str(cat.pk)] == "30.00"
    assert entry.after["rates"][str(cat.pk)] == "40.00"
    stale = api_as("ekonom").patch(url, {"version": scenario.version, "benchmark_percent": "3"})
    assert_error(stale, 409, "conflict")
    assert Scenario.objects.get(pk=scenario.pk).benchmark_percent == Decimal("2.50")


@pytest.mark.parametrize(
    ("username", "expected"), [("radsmedlem", 403), ("anvandare-bengtsfors", 404)]
)
def test_a_scenario_is_changed_only_by_those_who_manage_them(
    api_as: Any, economy: Any, username: str, expected: int
) -> None:
    client = api_as(username)
    before = db_state()
    r = client.patch(
        f"/api/v1/economy/scenarios/{economy.scenario.pk}/",
        {"version": economy.scenario.version, "benchmark_percent": "3"},
        format="json",
    )
    assert r.status_code == expected
    r = client.post("/api/v1/economy/scenarios/", {"name": "X"}, format="json")
    assert r.status_code == expected
    assert_unchanged(before)


def test_followup_sets_invoiced_costs_against_the_baseline(api_as: Any, economy: Any) -> None:
    from django.db.models import Sum

    from itfabrik.billing.models import Invoice

    body = api_as("admin").get("/api/v1/economy/followup/", {"year": 2026}).json()
    assert body["baseline_year"] == 2024
    rows = {m["municipality"]: m for m in body["municipalities"]}
    invoiced = Invoice.objects.filter(
        municipality__name="Melleruds kommun",
        period__startswith="2026-",
        status__in=["approved", "exported"],
    ).aggregate(s=Sum("total"))["s"]
    assert invoiced is not None
    m = rows["Melleruds kommun"]
    assert m["actual_cost"] == f"{invoiced:.2f}"
    assert m["baseline_cost"] == "12536252.00"
    assert Decimal(m["realised_savings"]) == Decimal("12536252.00") - invoiced
    assert m["target_cost"] == f"{Decimal('12536252.00') - Decimal(m['savings_potential']):.2f}"
    none = api_as("admin").get("/api/v1/economy/followup/", {"year": 2024}).json()
    assert all(r["actual_cost"] is None for r in none["municipalities"])


def test_figures_are_listed_in_scope_with_a_fixed_number_of_queries(
    api_as: Any, economy: Any, it_contact: Any, django_assert_num_queries: Any
) -> None:
    client = api_as("ekonom")
    client.get("/api/v1/economy/figures/")
    with django_assert_num_queries(6):
        r = client.get("/api/v1/economy/figures/", {"year": 2024})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 4
    mellerud = next(f for f in body["results"] if f["municipality"]["name"] == "Melleruds kommun")
    assert mellerud["net_cost"] == "720000000.00"
    assert {c["category_name"]: c["amount"] for c in mellerud["costs"]}["OH"] == "760000.00"
    mine = _client(it_contact).get("/api/v1/economy/figures/").json()
    assert [f["municipality"]["name"] for f in mine["results"]] == ["Melleruds kommun"]
    bengtsfors = economy.figures("Bengtsfors kommun")
    assert _client(it_contact).get(f"/api/v1/economy/figures/{bengtsfors.pk}/").status_code == 404


def test_figures_are_corrected_through_the_api_and_wrong_amounts_refused(
    api_as: Any, economy: Any
) -> None:
    figures = economy.figures("Färgelanda kommun")
    equipment = economy.categories["IT-utrustning"]
    url = f"/api/v1/economy/figures/{figures.pk}/"
    client = api_as("ekonom")
    before = db_state()
    bad = client.patch(
        url,
        {"version": figures.version, "costs": [{"category": equipment.pk, "amount": "-1"}]},
        format="json",
    )
    error = assert_error(bad, 400, "invalid")
    assert "får inte vara negativt" in error["fields"][f"cost_{equipment.pk}"][0]["messages"]["sv"]
    assert_unchanged(before)
    r = client.patch(
        url,
        {"version": figures.version, "costs": [{"category": equipment.pk, "amount": "1200000"}]},
        format="json",
    )
    assert r.status_code == 200, r.content
    costs = {c["category_name"]: c["amount"] for c in r.json()["costs"]}
    assert costs["IT-utrustning"] == "1200000.00"
    assert costs["IT-tjänster"] == "2538000.00"  # not named: kept
    assert r.json()["net_cost"] == "519350000.00"
    total = client.get(URL, {"year": 2024}).json()["total"]["it_cost"]
    assert total == "45996995.00"  # 45 939 995 + 57 000
    council = api_as("radsmedlem")
    before = db_state()
    refused = council.patch(url, {"version": r.json()["version"], "net_cost": "1"}, format="json")
    assert refused.status_code == 403
    assert_unchanged(before)
