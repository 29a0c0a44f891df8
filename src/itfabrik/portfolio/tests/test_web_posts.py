"""The portfolio's form posts end to end: a milestone added, the fund's allocation page (shown,
saved, and refused when the fund does not suffice). Each write is saved and audited (who, before,
after); bad input is refused in Swedish and changes nothing; others get 404 and change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from itfabrik.core import audit
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.portfolio.models import Funding, Initiative, Milestone

pytestmark = pytest.mark.django_db


def _platform() -> Initiative:
    return Initiative.objects.get(title="Gemensam e-tjänsteplattform")


def _entry(instance: Any, username: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(
        object_type=audit.object_type(instance), object_id=str(instance.pk)
    ).latest("pk")
    assert entry.actor is not None
    assert (entry.actor.username, entry.actor_repr) == (username, username)
    return entry


# --- milestones -----------------------------------------------------------------------------


def test_the_portfolio_manager_adds_a_milestone_audited(client: Any, portfolio: Any) -> None:
    initiative = _platform()
    client.force_login(portfolio.strateg)
    r = client.post(
        reverse("portfolio:milestone_add", args=[initiative.pk]),
        {"m-title": "  Pilot i Mellerud  ", "m-due": "2026-12-15"},
        follow=True,
    )
    assert "Delmålet är tillagt." in r.content.decode()
    milestone = Milestone.objects.get(initiative=initiative, title="Pilot i Mellerud")
    assert (milestone.due, milestone.done) == (dt.date(2026, 12, 15), False)
    entry = _entry(milestone, "strateg")
    assert (entry.action, entry.before) == ("create", None)
    assert (entry.after["title"], entry.after["due"]) == ("Pilot i Mellerud", "2026-12-15")


def test_a_bad_milestone_is_refused_in_swedish(client: Any, portfolio: Any) -> None:
    initiative = _platform()
    client.force_login(portfolio.strateg)
    before = db_state()
    r = client.post(
        reverse("portfolio:milestone_add", args=[initiative.pk]),
        {"m-title": "Pilot", "m-due": "snart"},
        follow=True,
    )
    assert "Delmålet sparades inte: Datum:" in r.content.decode()
    assert_unchanged(before)


@pytest.mark.parametrize("who", ["contact", "stranger", "ekonom"])
def test_a_milestone_is_refused_to_others(client: Any, portfolio: Any, who: str) -> None:
    initiative = _platform()
    client.force_login(getattr(portfolio, who))
    before = db_state()
    r = client.post(
        reverse("portfolio:milestone_add", args=[initiative.pk]),
        {"m-title": "Pilot", "m-due": "2026-12-15"},
    )
    assert r.status_code == 404
    assert_unchanged(before)


# --- the fund: allocation and its refusal ---------------------------------------------------


def test_the_allocation_page_shows_the_fund_and_saves_audited(client: Any, portfolio: Any) -> None:
    initiative = _platform()
    url = reverse("portfolio:funding", args=[initiative.pk, "tilldela"])
    client.force_login(portfolio.strateg)
    r = client.get(url)
    assert r.status_code == 200
    assert "Tilldela ur digitaliseringsfonden" in r.content.decode()
    available = r.context["fund"].available
    assert available > Decimal("10000")
    r = client.post(
        url, {"f-amount": "10000", "f-date": "2026-11-20", "f-note": "Pilot"}, follow=True
    )
    assert "Finansieringen är sparad." in r.content.decode()
    funding = Funding.objects.get(initiative=initiative, kind="allocation", note="Pilot")
    assert (funding.amount, funding.date) == (Decimal("10000.00"), dt.date(2026, 11, 20))
    entry = _entry(funding, "strateg")
    assert (entry.action, entry.before) == ("create", None)
    assert Decimal(entry.after["amount"]) == Decimal("10000")
    assert client.get(url).context["fund"].available == available - Decimal("10000")


def test_more_than_the_fund_has_is_refused_in_swedish(client: Any, portfolio: Any) -> None:
    initiative = _platform()
    url = reverse("portfolio:funding", args=[initiative.pk, "tilldela"])
    client.force_login(portfolio.strateg)
    available = client.get(url).context["fund"].available
    before = db_state()
    r = client.post(url, {"f-amount": str(available + 1), "f-date": "2026-11-20"})
    assert r.status_code == 400
    html = r.content.decode()
    assert f"Fonden har {available:f} kr kvar att fördela." in html
    assert "Ange beslutet som tillåter mer." in html
    r = client.post(url, {"f-amount": "-5", "f-date": "2026-11-20"})
    assert r.status_code == 400
    assert "Beloppet ska vara större än noll." in r.content.decode()
    assert_unchanged(before)


@pytest.mark.parametrize("who", ["contact", "stranger", "ekonom"])
def test_the_allocation_page_is_refused_to_others(client: Any, portfolio: Any, who: str) -> None:
    initiative = _platform()
    url = reverse("portfolio:funding", args=[initiative.pk, "tilldela"])
    client.force_login(getattr(portfolio, who))
    assert client.get(url).status_code == 404
    before = db_state()
    r = client.post(url, {"f-amount": "10000", "f-date": "2026-11-20"})
    assert r.status_code == 404
    assert_unchanged(before)


# --- the business case (on the initiative's edit page) --------------------------------------


def _edit_data(client: Any, initiative: Initiative, **changes: Any) -> dict[str, Any]:
    form = client.get(reverse("portfolio:edit", args=[initiative.pk])).context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form.initial.get(name, form.fields[name].initial)
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = [v.pk for v in value]
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = value
    data.update(changes)
    return data


def test_the_business_case_is_shown_and_saved_audited(client: Any, portfolio: Any) -> None:
    initiative = _platform()
    old = initiative.business_case
    assert old
    client.force_login(portfolio.strateg)
    r = client.get(reverse("portfolio:edit", args=[initiative.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Nyttokalkyl" in html
    assert old in html
    case = "Licenser 144 000 kr per år och kommun mindre; 40 timmar i månaden sparas."
    r = client.post(
        reverse("portfolio:edit", args=[initiative.pk]),
        _edit_data(client, initiative, business_case=f"  {case}  "),
        follow=True,
    )
    assert "Initiativet är sparat." in r.content.decode()
    assert case in r.content.decode()  # the detail page shows the business case
    initiative.refresh_from_db()
    assert initiative.business_case == case
    entry = _entry(initiative, "strateg")
    assert entry.action == "update"
    assert (entry.before["business_case"], entry.after["business_case"]) == (old, case)
    assert "business_case" in entry.changed_fields


def test_a_bad_edit_keeps_the_business_case_and_says_why(client: Any, portfolio: Any) -> None:
    """Benefits are recorded for 2026: the period cannot end before them."""
    initiative = _platform()
    client.force_login(portfolio.strateg)
    data = _edit_data(client, initiative, business_case="Ny kalkyl", end="2026-03-31")
    before = db_state()
    r = client.post(reverse("portfolio:edit", args=[initiative.pk]), data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Ny kalkyl" in html  # what was typed is kept on the form
    assert "utanför den nya perioden." in html
    assert_unchanged(before)


@pytest.mark.parametrize("who", ["contact", "stranger", "ekonom"])
def test_the_business_case_is_refused_to_others(client: Any, portfolio: Any, who: str) -> None:
    initiative = _platform()
    client.force_login(portfolio.strateg)
    data = _edit_data(client, initiative, business_case="Ny kalkyl")
    client.force_login(getattr(portfolio, who))
    url = reverse("portfolio:edit", args=[initiative.pk])
    assert client.get(url).status_code == 404
    before = db_state()
    assert client.post(url, data).status_code == 404
    assert_unchanged(before)
