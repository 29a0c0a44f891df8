"""The portfolio's pages: every page answers for the portfolio manager, lists have a fixed
number of queries, exports open, bad input is refused with its message and changes nothing, and
`strateg` reports a realised benefit."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from itfabrik.portfolio.models import Benefit, Initiative

pytestmark = pytest.mark.django_db


def _first(demo: Any) -> Initiative:
    return Initiative.objects.get(title="Gemensam e-tjänsteplattform")


@pytest.mark.parametrize("name", ["list", "benefits", "overview", "report", "criteria", "create"])
def test_the_pages_open_for_the_portfolio_manager(client: Any, demo: Any, name: str) -> None:
    client.force_login(demo.user("strateg"))
    response = client.get(reverse(f"portfolio:{name}"))
    assert response.status_code == 200


def test_the_detail_and_its_forms_open(client: Any, demo: Any) -> None:
    client.force_login(demo.user("strateg"))
    initiative = _first(demo)
    for url in (
        reverse("portfolio:detail", args=[initiative.pk]),
        reverse("portfolio:edit", args=[initiative.pk]),
        reverse("portfolio:status", args=[initiative.pk]),
        reverse("portfolio:benefit_add", args=[initiative.pk]),
        reverse("portfolio:funding", args=[initiative.pk, "tilldela"]),
        reverse("portfolio:milestone_edit", args=[initiative.milestones.first().pk]),
    ):
        assert client.get(url).status_code == 200, url
    # Spending is the finance officer's.
    assert (
        client.get(reverse("portfolio:funding", args=[initiative.pk, "betala"])).status_code == 404
    )


def test_the_list_has_a_fixed_number_of_queries(
    client: Any, demo: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(demo.user("strateg"))
    client.get(reverse("portfolio:list"))
    with django_assert_num_queries(14):
        client.get(reverse("portfolio:list"))
    with django_assert_num_queries(9):
        client.get(reverse("portfolio:benefits"))


def test_overview_shows_both_charts_with_their_tables(client: Any, demo: Any) -> None:
    client.force_login(demo.user("radsmedlem"))
    body = client.get(reverse("portfolio:overview")).content.decode()
    assert 'id="roadmap-t"' in body
    assert 'id="roadmap-table"' in body
    assert 'id="value-effort-t"' in body
    assert 'id="matrix-table"' in body
    assert "PROG-04" in body


def test_the_report_for_it_council_and_its_xlsx(client: Any, demo: Any) -> None:
    from openpyxl import load_workbook

    client.force_login(demo.user("radsmedlem"))
    body = client.get(reverse("portfolio:report") + "?first=2026-01&last=2026-09").content.decode()
    assert "Gemensam e-tjänsteplattform" in body
    assert "Melleruds kommun" in body
    response = client.get(reverse("portfolio:report_export") + "?first=2026-01&last=2026-09")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "PORT-2026-001" in codes
    platform = next(
        r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "PORT-2026-001"
    )
    # Planned money: 12 000 kr a month for four municipalities over nine months.
    assert Decimal(str(platform[6])) == Decimal(12000 * 4 * 9)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_lists_export(client: Any, demo: Any, fmt: str) -> None:
    client.force_login(demo.user("strateg"))
    for name in ("portfolio:export", "portfolio:benefit_export"):
        response = client.get(reverse(name, args=[fmt]))
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_strateg_reports_a_realised_benefit(client: Any, demo: Any) -> None:
    strateg = demo.user("strateg")
    client.force_login(strateg)
    benefit = (
        Benefit.objects.filter(owner=strateg, realised__isnull=True).order_by("period").first()
    )
    assert benefit is not None
    url = reverse("portfolio:benefit_edit", args=[benefit.pk])
    response = client.post(
        url,
        {
            "municipality": benefit.municipality_id,
            "period": f"{benefit.period:%Y-%m}",
            "kind": benefit.kind,
            "measure": benefit.measure,
            "unit": benefit.unit,
            "planned": str(benefit.planned),
            "realised": "1 234,50",
            "owner": strateg.pk,
            "comment": "Enligt ekonomienheten",
            "version": benefit.version,
        },
    )
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert benefit.realised == Decimal("1234.50")
    assert benefit.comment == "Enligt ekonomienheten"


def test_a_benefit_outside_the_initiative_is_refused_on_the_page(client: Any, demo: Any) -> None:
    strateg = demo.user("strateg")
    client.force_login(strateg)
    initiative = _first(demo)
    count = Benefit.objects.count()
    response = client.post(
        reverse("portfolio:benefit_add", args=[initiative.pk]),
        {
            "municipality": demo.node("Bengtsfors kommun").pk,
            "period": "2027-03",
            "kind": "money",
            "measure": "Ny nytta",
            "planned": "100",
            "owner": strateg.pk,
        },
    )
    assert response.status_code == 400
    assert "2027-03 ligger utanför initiativets tid" in response.content.decode()
    assert Benefit.objects.count() == count


def test_a_refused_transition_shows_the_allowed_ones(client: Any, demo: Any) -> None:
    client.force_login(demo.user("strateg"))
    idea = Initiative.objects.filter(state="idea").first()
    assert idea is not None
    response = client.post(
        reverse("portfolio:transition", args=[idea.pk]),
        {"state": "delivered", "version": idea.version},
        follow=True,
    )
    assert "Möjliga: bedömning, avbruten" in response.content.decode()
    idea.refresh_from_db()
    assert idea.state == "idea"


def test_create_initiative_and_status(client: Any, demo: Any) -> None:
    strateg = demo.user("strateg")
    client.force_login(strateg)
    response = client.post(
        reverse("portfolio:create"),
        {
            "title": "Nytt initiativ",
            "owner": strateg.pk,
            "all_municipalities": "on",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "value": "4",
            "urgency": "3",
            "effort": "2",
            "risk": "2",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(title="Nytt initiativ")
    assert initiative.priority_score > 0
    assert initiative.state == "idea"
    response = client.post(
        reverse("portfolio:status", args=[initiative.pk]),
        {"s-period": "2026-05", "s-colour": "yellow", "s-comment": "Lite sent"},
    )
    assert response.status_code == 302
    assert initiative.statuses.get().period == dt.date(2026, 5, 1)


def test_finance_spends_from_the_fund_on_the_page(client: Any, demo: Any) -> None:
    client.force_login(demo.user("ekonom"))
    initiative = _first(demo)
    response = client.post(
        reverse("portfolio:funding", args=[initiative.pk, "betala"]),
        {"f-amount": "99999999", "f-date": "2026-11-01"},
    )
    assert response.status_code == 400
    assert "saldo" in response.content.decode()
    assert not initiative.fundings.filter(amount=Decimal("99999999")).exists()


def test_scope_on_pages(client: Any, portfolio: Any) -> None:
    """A Mellerud IT contact sees Mellerud's and the whole cooperation's initiatives, not
    Åmål's; a portal user of Färgelanda sees no portfolio at all; neither may change."""
    amal_only = Initiative.objects.get(title="Chattbot för invånarfrågor")
    mellerud = Initiative.objects.get(title="Robotiserad ekonomihantering (RPA)")
    client.force_login(portfolio.contact)
    assert client.get(reverse("portfolio:detail", args=[amal_only.pk])).status_code == 404
    assert client.get(reverse("portfolio:detail", args=[mellerud.pk])).status_code == 200
    assert client.get(reverse("portfolio:edit", args=[mellerud.pk])).status_code == 404
    body = client.get(reverse("portfolio:list")).content.decode()
    assert "Chattbot" not in body
    assert "Robotiserad" in body
    response = client.post(
        reverse("portfolio:transition", args=[mellerud.pk]),
        {"state": "stopped", "version": mellerud.version},
    )
    assert response.status_code == 404
    mellerud.refresh_from_db()
    assert mellerud.state == "in_progress"
    # The contact sees only Mellerud's benefits.
    body = client.get(reverse("portfolio:benefits")).content.decode()
    assert "Åmåls kommun:" not in body
    client.force_login(portfolio.stranger)
    for url in (reverse("portfolio:list"), reverse("portfolio:report")):
        assert client.get(url).status_code == 404
    assert client.get(reverse("portfolio:detail", args=[mellerud.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client: Any, demo: Any) -> None:
    response = client.get(reverse("portfolio:list"))
    assert response.status_code == 302
    assert "logga-in" in response["Location"]
