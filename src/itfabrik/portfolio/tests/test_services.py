"""The portfolio's services: lifecycle, score, benefits inside the initiative's time, the fund,
scope, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from itfabrik.billing.models import FundSpending
from itfabrik.billing.selectors import fund_balance_get
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.portfolio import rules, selectors, services
from itfabrik.portfolio.models import Benefit, Funding, Initiative

pytestmark = pytest.mark.django_db


def _messages(exc: Any, field: str) -> str:
    return " ".join(str(m) for m in exc.value.fields[field])


def test_the_demo_has_the_programme_and_a_dozen_initiatives(demo: Any) -> None:
    assert Initiative.objects.filter(code__startswith="PROG-").count() == 5
    assert Initiative.objects.filter(code__startswith="PORT-").count() == 12
    migration = Initiative.objects.get(title="Programmet: fas 2 migrering")
    assert migration.milestones.count() == 4
    assert Benefit.objects.filter(realised__isnull=False).exists()
    # Every demo benefit lies in its initiative's months.
    for b in Benefit.objects.select_related("initiative"):
        assert rules.period_within(b.period, b.initiative.start, b.initiative.end)


def test_a_refused_transition_names_the_allowed_ones(portfolio: Any) -> None:
    initiative = portfolio.new()
    with pytest.raises(ValidationFailed) as exc:
        services.initiative_transition(
            actor=portfolio.strateg,
            initiative=initiative,
            expected_version=initiative.version,
            state="in_progress",
        )
    text = _messages(exc, "state")
    assert "bedömning" in text
    assert "avbruten" in text
    initiative.refresh_from_db()
    assert initiative.state == "idea"


def test_approval_needs_a_decision_number_in_the_right_format(portfolio: Any) -> None:
    initiative = portfolio.new()
    initiative = services.initiative_transition(
        actor=portfolio.strateg,
        initiative=initiative,
        expected_version=initiative.version,
        state="assessment",
    )
    with pytest.raises(ValidationFailed) as exc:
        services.initiative_transition(
            actor=portfolio.strateg,
            initiative=initiative,
            expected_version=initiative.version,
            state="approved",
            decision_reference="beslut 14",
        )
    assert "ITR-2026-014" in _messages(exc, "decision_reference")
    done = services.initiative_transition(
        actor=portfolio.strateg,
        initiative=initiative,
        expected_version=initiative.version,
        state="approved",
        decision_reference="itr-2026-014",
    )
    assert done.state == "approved"
    assert done.decision_reference == "ITR-2026-014"
    entries = AuditEntry.objects.filter(
        object_type="portfolio.initiative", object_id=str(done.pk), action="update"
    )
    assert any((e.after or {}).get("state") == "approved" for e in entries)


def test_the_score_is_computed_and_follows_the_weights(portfolio: Any) -> None:
    initiative = portfolio.new(value=5, urgency=5, effort=1, risk=1)
    assert initiative.priority_score == Decimal(100)
    other = portfolio.new(title="Annat", value=5, urgency=1, effort=5, risk=1)
    before = other.priority_score
    criteria = selectors.criteria_get(portfolio.cooperation)
    services.criteria_set(
        actor=portfolio.strateg,
        cooperation=portfolio.cooperation,
        expected_version=criteria.version if criteria.pk else None,
        weights={"value": 10, "urgency": 0, "effort": 0, "risk": 0},
    )
    other.refresh_from_db()
    assert other.priority_score == Decimal(100) != before
    with pytest.raises(ValidationFailed):
        services.initiative_update(
            actor=portfolio.strateg,
            initiative=other,
            expected_version=other.version,
            priority_score=Decimal(1),
        )


def test_criteria_are_refused_to_the_finance_officer(portfolio: Any) -> None:
    with pytest.raises(Forbidden):
        services.criteria_set(
            actor=portfolio.ekonom,
            cooperation=portfolio.cooperation,
            expected_version=None,
            weights={"value": 1},
        )


def test_a_benefit_outside_the_initiative_is_refused(portfolio: Any) -> None:
    initiative = portfolio.new()
    count = Benefit.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.benefit_create(
            actor=portfolio.strateg,
            initiative=initiative,
            municipality=portfolio.bengtsfors,
            period=dt.date(2027, 2, 1),
            kind="money",
            measure="Lägre kostnad",
            planned="1000",
            owner=portfolio.strateg,
        )
    assert "2027-02" in _messages(exc, "period")
    assert "2026-01–2026-12" in _messages(exc, "period")
    assert Benefit.objects.count() == count


def test_a_benefit_for_a_municipality_that_does_not_sponsor_is_refused(portfolio: Any) -> None:
    initiative = portfolio.new(all_municipalities=False, sponsors=[portfolio.amal])
    with pytest.raises(ValidationFailed) as exc:
        services.benefit_create(
            actor=portfolio.strateg,
            initiative=initiative,
            municipality=portfolio.bengtsfors,
            period=dt.date(2026, 3, 1),
            kind="hours",
            measure="Sparad tid",
            planned="10",
            owner=portfolio.strateg,
        )
    assert "municipality" in exc.value.fields


def test_the_owner_reports_realised_but_not_planned(portfolio: Any) -> None:
    initiative = portfolio.new()
    benefit = services.benefit_create(
        actor=portfolio.strateg,
        initiative=initiative,
        municipality=portfolio.mellerud_node,
        period=dt.date(2026, 3, 15),
        kind="hours",
        measure="Sparad tid",
        planned="10",
        owner=portfolio.contact,
    )
    assert benefit.period == dt.date(2026, 3, 1)
    assert benefit.unit == "h"
    done = services.benefit_report(
        actor=portfolio.contact,
        benefit=benefit,
        expected_version=benefit.version,
        realised="12,5".replace(",", "."),
        comment="Mer än planerat",
    )
    assert done.realised == Decimal("12.50")
    assert done.realisation == Decimal("125.0")
    with pytest.raises(Forbidden):
        services.benefit_update(
            actor=portfolio.contact, benefit=done, expected_version=done.version, planned="99"
        )
    with pytest.raises(Conflict):
        services.benefit_report(
            actor=portfolio.strateg, benefit=done, expected_version=1, realised="3"
        )
    entry = AuditEntry.objects.filter(
        object_type="portfolio.benefit", object_id=str(benefit.pk), action="update"
    ).get()
    assert entry.before["realised"] is None
    assert entry.after["realised"] == "12.50"


def test_dates_cannot_shrink_past_a_benefit(portfolio: Any) -> None:
    initiative = portfolio.new()
    services.benefit_create(
        actor=portfolio.strateg,
        initiative=initiative,
        municipality=portfolio.amal,
        period=dt.date(2026, 11, 1),
        kind="money",
        measure="Lägre kostnad",
        planned="500",
        owner=portfolio.strateg,
    )
    with pytest.raises(ValidationFailed) as exc:
        services.initiative_update(
            actor=portfolio.strateg,
            initiative=initiative,
            expected_version=initiative.version,
            end=dt.date(2026, 6, 30),
        )
    assert "2026-11" in _messages(exc, "end")


def test_spending_goes_through_billing_and_never_below_zero_without_a_decision(
    portfolio: Any,
) -> None:
    initiative = portfolio.new(state="in_progress")
    pool = selectors.fund_get(portfolio.cooperation)
    assert pool is not None
    balance = fund_balance_get(pool)
    spent = services.funding_spend(
        actor=portfolio.ekonom, initiative=initiative, amount="1000", date=dt.date(2026, 5, 1)
    )
    assert spent.spending is not None
    assert spent.spending.reference == initiative.code
    assert fund_balance_get(pool) == balance - 1000
    rows = FundSpending.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.funding_spend(
            actor=portfolio.ekonom,
            initiative=initiative,
            amount=str(balance),
            date=dt.date(2026, 5, 2),
        )
    assert "saldo" in _messages(exc, "amount")
    assert FundSpending.objects.count() == rows
    over = services.funding_spend(
        actor=portfolio.ekonom,
        initiative=initiative,
        amount=str(balance),
        date=dt.date(2026, 5, 2),
        decision_reference="ITR-2026-020",
    )
    assert fund_balance_get(pool) < 0
    assert over.spending is not None
    assert "ITR-2026-020" in over.spending.reference


def test_the_portfolio_manager_allocates_but_does_not_spend(portfolio: Any) -> None:
    initiative = portfolio.new(state="approved")
    with pytest.raises(Forbidden):
        services.funding_spend(
            actor=portfolio.strateg, initiative=initiative, amount="10", date=dt.date(2026, 5, 1)
        )
    position = selectors.fund_position_get(cooperation=portfolio.cooperation)
    assert position is not None
    count = Funding.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.funding_allocate(
            actor=portfolio.strateg,
            initiative=initiative,
            amount=position.available + 1,
            date=dt.date(2026, 5, 1),
        )
    assert "beslutet" in _messages(exc, "amount")
    assert Funding.objects.count() == count
    services.funding_allocate(
        actor=portfolio.strateg,
        initiative=initiative,
        amount=position.available + 1,
        date=dt.date(2026, 5, 1),
        decision_reference="ITR-2026-021",
    )


def test_spending_on_an_idea_is_refused(portfolio: Any) -> None:
    initiative = portfolio.new()
    with pytest.raises(ValidationFailed):
        services.funding_spend(
            actor=SYSTEM, initiative=initiative, amount="10", date=dt.date(2026, 5, 1)
        )


def test_scope_a_municipality_sees_its_own_and_the_whole_cooperations(portfolio: Any) -> None:
    own = portfolio.new(
        title="Mellerud", all_municipalities=False, sponsors=[portfolio.mellerud_node]
    )
    other = portfolio.new(title="Åmål", all_municipalities=False, sponsors=[portfolio.amal])
    everyone = portfolio.new(title="Alla")
    seen = set(selectors.initiative_list(actor=portfolio.contact).values_list("pk", flat=True))
    assert {own.pk, everyone.pk} <= seen
    assert other.pk not in seen
    with pytest.raises(NotFound):
        selectors.initiative_get(actor=portfolio.contact, pk=other.pk)
    with pytest.raises(NotFound):
        selectors.initiative_get(actor=portfolio.stranger, pk=everyone.pk)
    # Seen but not changed: 403, and nothing changed.
    with pytest.raises(Forbidden):
        services.initiative_update(
            actor=portfolio.contact, initiative=own, expected_version=own.version, title="X"
        )
    with pytest.raises(NotFound):
        services.initiative_update(
            actor=portfolio.stranger, initiative=own, expected_version=own.version, title="X"
        )
    own.refresh_from_db()
    assert own.title == "Mellerud"


def test_monthly_status_is_one_per_month_and_correctable(portfolio: Any) -> None:
    initiative = portfolio.new()
    first = services.status_set(
        actor=portfolio.strateg,
        initiative=initiative,
        period=dt.date(2026, 4, 20),
        colour="yellow",
        comment="Försenat",
    )
    again = services.status_set(
        actor=portfolio.strateg,
        initiative=initiative,
        period=dt.date(2026, 4, 1),
        colour="green",
        comment="Ikapp",
    )
    assert first.pk == again.pk
    assert again.colour == "green"
    with pytest.raises(ValidationFailed) as exc:
        services.status_set(
            actor=portfolio.strateg,
            initiative=initiative,
            period=dt.date(2027, 4, 1),
            colour="green",
            comment="",
        )
    assert set(exc.value.fields) == {"period", "comment"}
