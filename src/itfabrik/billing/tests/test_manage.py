"""Billing's management pages (pools, budgets, keys, usage, import, fund, ledger): the happy path
for finance, a refusal for everybody else (404, nothing changed) on every endpoint, clear
messages for bad input, and stale versions refused."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from itfabrik.accounts.demo import DEMO_ACCOUNTS
from itfabrik.billing import services
from itfabrik.billing.choices import ImportStatus, KeyMethod
from itfabrik.billing.models import (
    AllocationKey,
    CostPool,
    FundSpending,
    LedgerSettings,
    PoolBudget,
    UsageImport,
    UsageRecord,
)
from itfabrik.core.models import AuditEntry
from itfabrik.core.roles import Role
from itfabrik.core.tests import assert_unchanged, db_state, page_query_count

MELLERUD = "Melleruds kommun"


def _record(demo: Any) -> UsageRecord:
    record = (
        UsageRecord.objects.filter(is_credit=False, corrections__isnull=True)
        .order_by("-pk")
        .first()
    )
    assert record is not None
    return record


def _endpoints(demo: Any, bas_it: Any, fund: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """Every management endpoint with a request that finance could make successfully."""
    key = bas_it.keys.order_by("-valid_from").first()
    mellerud = demo.node(MELLERUD)
    record = _record(demo)
    imp = services.usage_import_check(
        actor=demo.user("ekonom"),
        cooperation=demo.cooperation,
        data=_csv(demo, rows=1),
        file_name="a.csv",
    )
    p = bas_it.pk
    return [
        ("get", "/fakturering/pooler/", {}),
        ("post", "/fakturering/pooler/", {"kind": "shared", "code": "nat", "name": "Nät"}),
        ("get", f"/fakturering/pooler/{p}/", {}),
        ("post", f"/fakturering/pooler/{fund.pk}/andra/", {"version": fund.version, "name": "X"}),
        (
            "post",
            f"/fakturering/pooler/{p}/budget/",
            {"version": 0, "year": 2030, "amount": "100"},
        ),
        ("post", f"/fakturering/pooler/{p}/nycklar/{key.pk}/avsluta/", {"valid_to": "2039-12-31"}),
        (
            "post",
            f"/fakturering/pooler/{p}/nycklar/",
            {"method": "equal", "valid_from": "2040-01-01", "decision_reference": "X"},
        ),
        ("get", "/fakturering/forbrukning/", {}),
        ("get", "/fakturering/forbrukning/?format=csv", {}),
        ("get", f"/fakturering/forbrukning/{record.pk}/kreditera/", {}),
        ("post", f"/fakturering/forbrukning/{record.pk}/kreditera/", {"reason": "Fel"}),
        ("get", "/fakturering/forbrukning/import/", {}),
        ("post", "/fakturering/forbrukning/import/", {"file": _upload(_csv(demo, rows=1))}),
        ("get", f"/fakturering/forbrukning/import/{imp.pk}/", {}),
        ("post", f"/fakturering/forbrukning/import/{imp.pk}/", {"version": imp.version}),
        ("get", "/fakturering/fond/", {}),
        ("get", f"/fakturering/fond/{fund.pk}/", {}),
        (
            "post",
            f"/fakturering/fond/{fund.pk}/",
            {"initiative": "E-arkiv", "amount": "1", "spent_on": "2026-12-01"},
        ),
        ("get", "/fakturering/bokforing/", {}),
        ("get", f"/fakturering/bokforing/{mellerud.pk}/", {}),
        (
            "post",
            f"/fakturering/bokforing/{mellerud.pk}/",
            {
                "version": 0,
                "voucher_series": "F",
                "shared_account": "6541",
                "consumption_account": "6551",
                "fund_account": "6561",
                "counter_account": "2441",
            },
        ),
        # Last: a closed pool takes no budget or key for later years.
        (
            "post",
            f"/fakturering/pooler/{p}/stang/",
            {"version": bas_it.version, "closed_after": "2027-12-31"},
        ),
    ]


def _csv(demo: Any, rows: int, bad: bool = False) -> bytes:
    unit = demo.node("Hemtjänst norr", municipality=MELLERUD)
    code = unit.municipality.municipal_code
    lines = ["kommunkod;kostnadsstalle;tjanst;beskrivning;antal;a_pris;datum"]
    for i in range(rows):
        lines.append(f"{code};{unit.cost_centre};Platsbesök;rad {i};1;650,00;2026-12-0{1 + i % 9}")
    if bad:
        lines.append(f"{code};{unit.cost_centre};Platsbesök;;-1;650;2026-13-01")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _upload(data: bytes) -> Any:
    f = io.BytesIO(data)
    f.name = "forbrukning.csv"
    return f


@pytest.mark.parametrize("username", ["radsmedlem", "anvandare-bengtsfors", "agent"])
def test_every_endpoint_is_404_and_changes_nothing_for_those_who_may_not_manage(
    web_as: Any, demo: Any, bas_it: Any, fund: Any, username: str
) -> None:
    endpoints = _endpoints(demo, bas_it, fund)
    client = web_as(username)
    for method, url, data in endpoints:
        before = db_state()
        r = getattr(client, method)(url, data)
        assert r.status_code == 404, (username, method, url, r.status_code)
        assert_unchanged(before)


def test_the_cooperation_admin_manages_pools_usage_and_fund_but_not_the_ledger(
    web_as: Any, demo: Any, fund: Any
) -> None:
    client = web_as("admin")
    for url in (
        "/fakturering/pooler/",
        "/fakturering/forbrukning/",
        f"/fakturering/fond/{fund.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/fakturering/bokforing/").status_code == 404
    html = client.get("/fakturering/pooler/").content.decode()
    assert 'href="/fakturering/bokforing/"' not in html


def test_every_endpoint_answers_finance(web_as: Any, demo: Any, bas_it: Any, fund: Any) -> None:
    client = web_as("ekonom")
    for method, url, data in _endpoints(demo, bas_it, fund):
        r = getattr(client, method)(url, data)
        assert r.status_code in (200, 302), (method, url, r.status_code)
        if method == "post":
            # A successful write redirects; a form with errors would answer 200.
            assert r.status_code == 302, (url, r.content.decode()[:2000])
        bas_it.refresh_from_db()


# --- pools -------------------------------------------------------------------------------------


def test_finance_creates_a_pool_and_it_is_audited(web_as: Any, demo: Any) -> None:
    r = web_as("ekonom").post(
        "/fakturering/pooler/", {"kind": "shared", "code": "natverk", "name": "Nätverk"}
    )
    pool = CostPool.objects.get(code="natverk")
    assert r["Location"] == f"/fakturering/pooler/{pool.pk}/"
    assert AuditEntry.objects.filter(
        object_type="billing.costpool", object_id=str(pool.pk)
    ).exists()


def test_a_taken_pool_code_is_refused_naming_the_field(web_as: Any, bas_it: Any) -> None:
    before = db_state()
    r = web_as("ekonom").post(
        "/fakturering/pooler/", {"kind": "shared", "code": "bas-it", "name": "Igen"}
    )
    assert r.status_code == 200
    assert "error-summary" in r.content.decode()
    assert_unchanged(before)


def test_a_stale_pool_edit_is_refused_and_changes_nothing(web_as: Any, bas_it: Any) -> None:
    client = web_as("ekonom")
    url = f"/fakturering/pooler/{bas_it.pk}/andra/"
    assert client.post(url, {"version": bas_it.version, "name": "Bas-IT 2"}).status_code == 302
    before = db_state()
    r = client.post(url, {"version": bas_it.version, "name": "Bas-IT 3"})
    assert r.status_code == 200
    assert "Någon annan har ändrat" in r.content.decode()
    assert_unchanged(before)
    assert CostPool.objects.get(pk=bas_it.pk).name == "Bas-IT 2"


def test_a_closed_pool_is_not_charged_after_its_last_month(
    demo: Any, web_as: Any, bas_it: Any
) -> None:
    client = web_as("ekonom")
    r = client.post(
        f"/fakturering/pooler/{bas_it.pk}/stang/",
        {"version": bas_it.version, "closed_after": "2026-11-30"},
    )
    assert r.status_code == 302
    services.billing_run_now(
        actor=demo.user("ekonom"), cooperation=demo.cooperation, period="2026-12"
    )
    from itfabrik.billing.models import InvoiceLine

    assert not InvoiceLine.objects.filter(invoice__period="2026-12", cost_pool=bas_it).exists()
    assert InvoiceLine.objects.filter(invoice__period="2026-11", cost_pool=bas_it).exists()


def test_closing_before_an_approved_month_is_refused(web_as: Any, bas_it: Any) -> None:
    before = db_state()
    r = web_as("ekonom").post(
        f"/fakturering/pooler/{bas_it.pk}/stang/",
        {"version": bas_it.version, "closed_after": "2026-05-31"},
    )
    assert r.status_code == 200
    assert "godkända fakturaunderlag till och med 2026-11" in r.content.decode()
    assert_unchanged(before)


def test_a_budget_is_edited_with_its_version(web_as: Any, bas_it: Any) -> None:
    client = web_as("ekonom")
    budget = PoolBudget.objects.get(pool=bas_it, year=2026)
    url = f"/fakturering/pooler/{bas_it.pk}/budget/"
    data = {"version": budget.version, "year": 2026, "amount": "5000000,00"}
    assert client.post(url, data).status_code == 302
    budget.refresh_from_db()
    assert budget.amount == Decimal("5000000.00")
    before = db_state()
    r = client.post(url, {**data, "amount": "1"})  # the same, stale, version again
    assert r.status_code == 200
    assert "har ändrats av någon annan" in r.content.decode()
    assert_unchanged(before)


def test_a_double_submitted_new_budget_is_written_once(web_as: Any, bas_it: Any) -> None:
    client = web_as("ekonom")
    url = f"/fakturering/pooler/{bas_it.pk}/budget/"
    data = {"version": 0, "year": 2031, "amount": "100"}
    assert client.post(url, data).status_code == 302
    before = db_state()
    assert client.post(url, {**data, "amount": "200"}).status_code == 200
    assert_unchanged(before)
    assert PoolBudget.objects.get(pool=bas_it, year=2031).amount == Decimal("100")


def test_a_negative_budget_names_the_field(web_as: Any, bas_it: Any) -> None:
    before = db_state()
    r = web_as("ekonom").post(
        f"/fakturering/pooler/{bas_it.pk}/budget/", {"version": 0, "year": 2031, "amount": "-5"}
    )
    assert r.status_code == 200
    assert 'href="#id_amount"' in r.content.decode()
    assert_unchanged(before)


# --- keys --------------------------------------------------------------------------------------


def _pct(demo: Any, values: list[str]) -> dict[str, str]:
    members = services.member_municipalities(cooperation=demo.cooperation)
    return {f"pct_{m.pk}": v for m, v in zip(members, values, strict=False)}


def test_fixed_percentages_not_summing_to_100_get_a_clear_error(
    web_as: Any, demo: Any, fund: Any
) -> None:
    before = db_state()
    r = web_as("ekonom").post(
        f"/fakturering/pooler/{fund.pk}/nycklar/",
        {
            "method": KeyMethod.PERCENTAGES,
            "valid_from": "2030-01-01",
            "decision_reference": "ITR-2029-001",
            **_pct(demo, ["25", "25", "25", "20"]),
        },
    )
    assert r.status_code == 200
    assert "Procentsatserna ska summera till 100; nu är summan 95,00." in r.content.decode()
    assert_unchanged(before)


def test_a_key_version_is_ended_and_a_percentage_key_follows(
    web_as: Any, demo: Any, fund: Any
) -> None:
    client = web_as("ekonom")
    current = fund.keys.get(valid_to__isnull=True)
    r = client.post(
        f"/fakturering/pooler/{fund.pk}/nycklar/{current.pk}/avsluta/", {"valid_to": "2029-12-31"}
    )
    assert r.status_code == 302
    r = client.post(
        f"/fakturering/pooler/{fund.pk}/nycklar/",
        {
            "method": KeyMethod.PERCENTAGES,
            "valid_from": "2030-01-01",
            "decision_reference": "ITR-2029-001",
            **_pct(demo, ["40", "20", "20", "20"]),
        },
    )
    assert r.status_code == 302
    key = AllocationKey.objects.get(pool=fund, valid_from=dt.date(2030, 1, 1))
    assert sorted(Decimal(v) for v in key.percentages.values()) == [20, 20, 20, 40]
    html = client.get(f"/fakturering/pooler/{fund.pk}/").content.decode()
    assert "ITR-2029-001" in html
    assert "40 %" in html


def test_an_overlapping_key_is_refused_naming_the_version(web_as: Any, fund: Any) -> None:
    before = db_state()
    r = web_as("ekonom").post(
        f"/fakturering/pooler/{fund.pk}/nycklar/",
        {"method": "equal", "valid_from": "2030-01-01", "decision_reference": "X"},
    )
    assert r.status_code == 200
    assert "Perioden överlappar nyckeln" in r.content.decode()
    assert_unchanged(before)


def test_ending_a_key_mid_month_is_refused(web_as: Any, fund: Any) -> None:
    current = fund.keys.get(valid_to__isnull=True)
    before = db_state()
    r = web_as("ekonom").post(
        f"/fakturering/pooler/{fund.pk}/nycklar/{current.pk}/avsluta/", {"valid_to": "2029-12-15"}
    )
    assert r.status_code == 200
    assert "sista dagen i en månad" in r.content.decode()
    assert_unchanged(before)


def test_the_devices_method_is_offered(web_as: Any, bas_it: Any) -> None:
    html = web_as("ekonom").get(f"/fakturering/pooler/{bas_it.pk}/").content.decode()
    assert 'value="devices"' in html


# --- usage -------------------------------------------------------------------------------------


def test_the_usage_list_is_paginated_filtered_and_in_a_fixed_number_of_queries(
    web_as: Any, demo: Any
) -> None:
    client = web_as("ekonom")
    few, _r = page_query_count(client, "/fakturering/forbrukning/")
    unit = demo.node("Hemtjänst norr", municipality=MELLERUD)
    for i in range(60):
        services.usage_record(
            actor=demo.user("ekonom"),
            unit=unit,
            service="Leverans",
            quantity="1",
            unit_price="10",
            used_on=dt.date(2026, 12, 1 + i % 28),
        )
    many, r = page_query_count(client, "/fakturering/forbrukning/?page=2")
    assert many == few
    filtered, r = page_query_count(
        client, f"/fakturering/forbrukning/?municipality={unit.municipality_id}&q=Leverans"
    )
    assert filtered == few
    html = r.content.decode()
    matching = UsageRecord.objects.filter(
        municipality_id=unit.municipality_id, service__icontains="Leverans"
    ).count()
    assert matching >= 60
    assert f"{matching} förbrukningsposter" in html
    assert f"Sida 1 av {(matching + 49) // 50}" in html


def test_the_usage_list_exports_the_filtered_rows(web_as: Any, demo: Any) -> None:
    client = web_as("ekonom")
    mellerud = demo.node(MELLERUD)
    expected = UsageRecord.objects.filter(municipality=mellerud).count()
    assert expected
    r = client.get(f"/fakturering/forbrukning/?municipality={mellerud.pk}&format=csv")
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Id;Datum;Kommun")
    assert len(text.splitlines()) == expected + 1
    r = client.get(f"/fakturering/forbrukning/?municipality={mellerud.pk}&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    assert ws.max_row == expected + 1


def test_crediting_a_record_twice_is_refused(web_as: Any, demo: Any) -> None:
    record = _record(demo)
    client = web_as("ekonom")
    url = f"/fakturering/forbrukning/{record.pk}/kreditera/"
    assert client.post(url, {"reason": "Fel enhet"}).status_code == 302
    credit = UsageRecord.objects.get(corrects=record, is_credit=True)
    assert credit.amount == -record.amount
    before = db_state()
    r = client.post(url, {"reason": "Igen"})
    assert r.status_code == 200
    assert "redan krediterad" in r.content.decode()
    assert_unchanged(before)


def test_a_credit_without_a_reason_names_the_field(web_as: Any, demo: Any) -> None:
    record = _record(demo)
    before = db_state()
    r = web_as("ekonom").post(f"/fakturering/forbrukning/{record.pk}/kreditera/", {"reason": ""})
    assert r.status_code == 200
    assert 'href="#id_reason"' in r.content.decode()
    assert_unchanged(before)


def test_a_csv_import_is_checked_then_written_by_the_worker(web_as: Any, demo: Any) -> None:
    client = web_as("ekonom")
    count = UsageRecord.objects.count()
    r = client.post("/fakturering/forbrukning/import/", {"file": _upload(_csv(demo, rows=450))})
    imp = UsageImport.objects.latest("pk")
    assert r["Location"] == f"/fakturering/forbrukning/import/{imp.pk}/"
    assert imp.status == ImportStatus.CHECKED
    assert imp.rows == 450
    assert UsageRecord.objects.count() == count  # the dry run wrote nothing
    html = client.get(r["Location"]).content.decode()
    assert "Starta importen" in html
    # The immediate task backend of the tests runs the job at once; the page shows the result.
    assert client.post(r["Location"], {"version": imp.version}).status_code == 302
    imp.refresh_from_db()
    assert (imp.status, imp.written, imp.progress) == (ImportStatus.DONE, 450, 100)
    assert UsageRecord.objects.filter(import_reference=f"import {imp.pk}").count() == 450
    html = client.get(r["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'value="100"' in html
    assert "Klar" in html
    # A second submit of the same form starts nothing.
    before = db_state()
    client.post(r["Location"], {"version": imp.version})
    assert_unchanged(before)


def test_a_csv_with_bad_rows_lists_them_and_cannot_be_started(web_as: Any, demo: Any) -> None:
    client = web_as("ekonom")
    r = client.post(
        "/fakturering/forbrukning/import/", {"file": _upload(_csv(demo, rows=2, bad=True))}
    )
    imp = UsageImport.objects.latest("pk")
    assert imp.status == ImportStatus.INVALID
    html = client.get(r["Location"]).content.decode()
    assert "Datumet ska skrivas ÅÅÅÅ-MM-DD." in html
    assert "Starta importen" not in html
    before = db_state()
    client.post(r["Location"], {"version": imp.version})
    assert_unchanged(before)


def test_a_file_without_the_columns_is_refused_and_nothing_kept(web_as: Any) -> None:
    before = db_state()
    r = web_as("ekonom").post("/fakturering/forbrukning/import/", {"file": _upload(b"a;b\n1;2\n")})
    assert r.status_code == 200
    assert "Kolumner saknas" in r.content.decode()
    assert_unchanged(before)


def test_an_interrupted_import_resumes_without_writing_a_row_twice(demo: Any) -> None:
    ekonom = demo.user("ekonom")
    imp = services.usage_import_check(
        actor=ekonom, cooperation=demo.cooperation, data=_csv(demo, rows=5), file_name="x.csv"
    )
    # As if the worker had committed the first two rows and then died.
    UsageImport.objects.filter(pk=imp.pk).update(status=ImportStatus.RUNNING, written=2)
    unit = demo.node("Hemtjänst norr", municipality=MELLERUD)
    for i in range(2):
        services.usage_record(
            actor=ekonom,
            unit=unit,
            service="Platsbesök",
            description=f"rad {i}",
            quantity="1",
            unit_price="650",
            used_on=dt.date(2026, 12, 1 + i),
            import_reference=f"import {imp.pk}",
        )
    done = services.usage_import_execute(import_id=imp.pk)
    assert done.status == ImportStatus.DONE
    descriptions = sorted(
        UsageRecord.objects.filter(import_reference=f"import {imp.pk}").values_list(
            "description", flat=True
        )
    )
    assert descriptions == [f"rad {i}" for i in range(5)]


# --- fund --------------------------------------------------------------------------------------


def test_spending_is_recorded_and_beyond_the_balance_refused(
    web_as: Any, demo: Any, fund: Any
) -> None:
    client = web_as("ekonom")
    url = f"/fakturering/fond/{fund.pk}/"
    html = client.get(url).content.decode()
    assert "Insättningar per kommun" in html
    assert MELLERUD in html
    r = client.post(
        url,
        {"initiative": "E-arkiv", "reference": "P-12", "amount": "1000", "spent_on": "2026-12-01"},
    )
    assert r.status_code == 302
    assert FundSpending.objects.filter(pool=fund, reference="P-12").exists()
    before = db_state()
    r = client.post(url, {"initiative": "Allt", "amount": "999999999", "spent_on": "2026-12-01"})
    assert r.status_code == 200
    assert "överstiger fondens saldo" in r.content.decode()
    assert_unchanged(before)


# --- ledger ------------------------------------------------------------------------------------


def test_ledger_settings_are_data_edited_with_a_version(web_as: Any, demo: Any) -> None:
    client = web_as("ekonom")
    mellerud = demo.node(MELLERUD)
    html = client.get("/fakturering/bokforing/").content.decode()
    assert "Standard" in html or "Egna" in html
    url = f"/fakturering/bokforing/{mellerud.pk}/"
    current = LedgerSettings.objects.filter(municipality=mellerud).first()
    version = current.version if current else 0
    data = {
        "version": version,
        "voucher_series": "F",
        "shared_account": "6541",
        "consumption_account": "6551",
        "fund_account": "6561",
        "counter_account": "2441",
    }
    assert client.post(url, data).status_code == 302
    assert LedgerSettings.objects.get(municipality=mellerud).shared_account == "6541"
    before = db_state()
    r = client.post(url, {**data, "shared_account": "6542"})  # stale version
    assert r.status_code == 200
    assert "Någon annan har ändrat" in r.content.decode()
    assert_unchanged(before)
    r = client.post(url, {**data, "version": version + 1, "shared_account": "65"})
    assert r.status_code == 200
    assert "Ett konto är fyra siffror." in r.content.decode()
    assert_unchanged(before)


# --- the menu --------------------------------------------------------------------------------


def _mellerud_user(demo: Any, username: str, role: str) -> str:
    """A person holding `role` on Mellerud only (recursively), not at the cooperation's root."""
    from itfabrik.accounts import services as accounts
    from itfabrik.core.actors import SYSTEM

    user = accounts.user_create(
        actor=SYSTEM,
        username=username,
        password="Lösenord-som-är-långt-nog-1",
        first_name="Test",
        last_name=username,
        email=f"{username}@itfabrik.example",
        check_password_strength=False,
    )
    accounts.role_assign(
        actor=SYSTEM, user=user, role=role, node=demo.node(MELLERUD), recursive=True
    )
    return str(user.username)


@pytest.fixture
def it_contact(demo: Any) -> str:
    return _mellerud_user(demo, "itkontakt-mellerud", Role.IT_CONTACT)


def test_every_menu_entry_a_demo_account_sees_answers_200(
    web_as: Any, demo: Any, it_contact: str
) -> None:
    for username in [a.username for a in DEMO_ACCOUNTS] + [it_contact]:
        client = web_as(username)
        r = client.get("/")
        assert r.status_code == 200, username
        for item in r.context["nav_items"]:
            answer = client.get(item["url"])
            assert answer.status_code == 200, (username, item["url"], answer.status_code)


def test_the_it_contact_simulates_for_its_own_municipality_only(
    web_as: Any, it_contact: str
) -> None:
    client = web_as(it_contact)
    assert any(i["url"] == "/fakturering/simulering/" for i in client.get("/").context["nav_items"])
    r = client.get("/fakturering/simulering/?year=2026&method=inhabitants")
    assert r.status_code == 200
    html = r.content.decode()
    assert MELLERUD in html
    assert "Åmåls kommun" not in html.split('id="simulation-result"')[1]


@pytest.fixture
def municipal_finance(demo: Any) -> str:
    """A finance officer of one municipality: holds RUN_BILLING and MANAGE_POOLS there, but not
    at the cooperation's root where billing runs and the finance administration are checked."""
    return _mellerud_user(demo, "ekonom-mellerud", Role.FINANCE)


def test_a_municipal_finance_role_sees_no_menu_entry_that_answers_404(
    web_as: Any, municipal_finance: str
) -> None:
    client = web_as(municipal_finance)
    urls = [item["url"] for item in client.get("/").context["nav_items"]]
    for url in urls:
        assert client.get(url).status_code == 200, url
    # Those pages still refuse this role, so leaving their entries out hides nothing reachable.
    for name in ("billing:runs", "billing:pools"):
        assert reverse(name) not in urls
        assert client.get(reverse(name)).status_code == 404
    # What the role does grant on its municipality stays in the menu.
    assert reverse("billing:overview") in urls
