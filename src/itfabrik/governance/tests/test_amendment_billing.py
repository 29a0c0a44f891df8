"""End to end (ADR 0030-0037, issue 11): putting an agreement amendment into force changes the
cooperation's membership from the amendment's date, and billing charges the joining municipality
from that date on, never for the month before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from itfabrik.billing import services as billing_services
from itfabrik.billing.choices import RunStatus
from itfabrik.billing.models import CostPool, Invoice, InvoiceLine
from itfabrik.core.actors import SYSTEM
from itfabrik.governance.models import Amendment
from itfabrik.tenancy import services as tenancy_services
from itfabrik.tenancy.models import Membership

pytestmark = pytest.mark.django_db


def test_dals_eds_joining_is_billed_from_the_amendments_date(web_as: Any, demo: Any) -> None:
    coop = demo.cooperation
    dals_ed = demo.node("Dals-Eds kommun")
    amendment = Amendment.objects.get(kind="join", municipality=dals_ed)
    assert amendment.effective_on == dt.date(2027, 1, 1)
    assert amendment.applied_at is None

    r = web_as("admin").post(
        reverse("governance:amendment_apply", args=[amendment.pk]), {"version": amendment.version}
    )
    assert r.status_code == 302
    membership = Membership.objects.get(cooperation=coop, municipality=dals_ed)
    assert (membership.joined_on, membership.left_on) == (dt.date(2027, 1, 1), None)
    assert amendment.agreement.parties.filter(
        municipality=dals_ed, joined_on=dt.date(2027, 1, 1), left_on=None
    ).exists()

    # What billing needs for 2027 and for a fifth member (the fund's key is by inhabitants).
    bas_it = CostPool.objects.get(cooperation=coop, code="bas-it")
    billing_services.budget_set(actor=SYSTEM, pool=bas_it, year=2027, amount="6000000")
    tenancy_services.inhabitants_set(
        actor=SYSTEM, municipality=dals_ed, year=2025, inhabitants=4700
    )
    ekonom = demo.user("ekonom")
    for period in ("2026-12", "2027-01"):
        run = billing_services.billing_run_now(actor=ekonom, cooperation=coop, period=period)
        assert run.status == RunStatus.DONE, run.message

    # The month before the amendment's date: the four members only, nothing to Dals-Ed.
    assert Invoice.objects.filter(period="2026-12").count() == 4
    assert not Invoice.objects.filter(municipality=dals_ed, period="2026-12").exists()
    assert not InvoiceLine.objects.filter(invoice__municipality=dals_ed, invoice__period="2026-12")
    # The month it takes effect: Dals-Ed pays its equal fifth of Bas-IT's month, whole.
    shares = {
        line.invoice.municipality_id: line.amount
        for line in InvoiceLine.objects.filter(invoice__period="2027-01", cost_pool=bas_it)
    }
    assert len(shares) == 5
    assert sum(shares.values()) == Decimal("500000.00")
    assert shares[dals_ed.pk] == Decimal("100000.00")


def test_a_municipality_leaving_mid_month_pays_to_the_day_before(demo: Any) -> None:
    """Färgelanda leaves from 15 February 2027: January whole, 14 of February's 28 days, and
    nothing from March."""
    from itfabrik.governance import services
    from itfabrik.governance.models import Agreement

    coop = demo.cooperation
    fargelanda = demo.node("Färgelanda kommun")
    agreement = Agreement.objects.get(cooperation=coop)
    services.amendment_register(
        actor=demo.user("admin"),
        agreement=agreement,
        kind="leave",
        effective_on=dt.date(2027, 2, 15),
        municipality=fargelanda,
        description="Färgelanda kommun lämnar samverkan.",
    )
    membership = Membership.objects.get(cooperation=coop, municipality=fargelanda)
    assert membership.left_on == dt.date(2027, 2, 14)
    assert agreement.parties.get(municipality=fargelanda).left_on == dt.date(2027, 2, 14)

    bas_it = CostPool.objects.get(cooperation=coop, code="bas-it")
    billing_services.budget_set(actor=SYSTEM, pool=bas_it, year=2027, amount="6000000")
    ekonom = demo.user("ekonom")
    shares: dict[str, dict[int, Decimal]] = {}
    runs: dict[str, Any] = {}
    for period in ("2027-01", "2027-02", "2027-03"):
        run = billing_services.billing_run_now(actor=ekonom, cooperation=coop, period=period)
        assert run.status == RunStatus.DONE, run.message
        runs[period] = run
        shares[period] = {
            line.invoice.municipality_id: line.amount
            for line in InvoiceLine.objects.filter(invoice__period=period, cost_pool=bas_it)
        }
        assert sum(shares[period].values()) == Decimal("500000.00"), period
    assert shares["2027-01"][fargelanda.pk] == Decimal("125000.00")
    # Weights 28, 28, 28, 14 of 98.
    assert abs(shares["2027-02"][fargelanda.pk] - Decimal("500000") * 14 / 98) < Decimal("0.01")
    assert fargelanda.pk not in shares["2027-03"]
    # Nothing at all charges a former member: the pools count member days, and what its units'
    # subscriptions and devices would cost is withheld and shown as a warning on the run.
    assert Invoice.objects.filter(municipality=fargelanda, period="2027-02").exists()
    assert not Invoice.objects.filter(municipality=fargelanda, period="2027-03").exists()
    withheld = [w for w in runs["2027-03"].warnings if w["code"] == "not_a_member"]
    assert [w["municipality"] for w in withheld] == [fargelanda.pk]
    assert withheld[0]["count"] > 0
    assert "Färgelanda kommun" in withheld[0]["message"]
