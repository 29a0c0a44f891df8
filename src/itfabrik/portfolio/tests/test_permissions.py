"""The authorisation matrix of the portfolio's writing endpoints: who may, who gets 404 (cannot
see), and that a refused write changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from itfabrik.core.models import AuditEntry
from itfabrik.portfolio.models import Benefit, Funding, Initiative, Milestone, StatusReport

pytestmark = pytest.mark.django_db


def _state() -> tuple[Any, ...]:
    return (
        list(Initiative.objects.order_by("pk").values_list("pk", "version", "state", "title")),
        Benefit.objects.filter(realised__isnull=False).count(),
        Milestone.objects.count(),
        StatusReport.objects.count(),
        Funding.objects.count(),
        AuditEntry.objects.count(),
    )


def _posts(initiative: Initiative, benefit: Benefit) -> list[tuple[str, dict[str, Any]]]:
    return [
        (reverse("portfolio:create"), {"title": "X", "start": "2026-01-01", "value": 3}),
        (
            reverse("portfolio:edit", args=[initiative.pk]),
            {"title": "X", "start": "2026-01-01", "version": initiative.version},
        ),
        (
            reverse("portfolio:transition", args=[initiative.pk]),
            {"state": "stopped", "version": initiative.version},
        ),
        (
            reverse("portfolio:milestone_add", args=[initiative.pk]),
            {"m-title": "X", "m-due": "2026-05-01"},
        ),
        (
            reverse("portfolio:status", args=[initiative.pk]),
            {"s-period": "2026-05", "s-colour": "red", "s-comment": "X"},
        ),
        (
            reverse("portfolio:funding", args=[initiative.pk, "tilldela"]),
            {"f-amount": "10", "f-date": "2026-05-01"},
        ),
        (
            reverse("portfolio:funding", args=[initiative.pk, "betala"]),
            {"f-amount": "10", "f-date": "2026-05-01"},
        ),
        (
            reverse("portfolio:benefit_edit", args=[benefit.pk]),
            {"realised": "1", "version": benefit.version},
        ),
        (
            reverse("portfolio:criteria"),
            {"weight_value": 1, "weight_urgency": 1, "weight_effort": 1, "weight_risk": 1},
        ),
    ]


@pytest.mark.parametrize("who", ["anonymous", "anvandare-fargelanda", "bestallare-mellerud"])
def test_outsiders_change_nothing(client: Any, demo: Any, who: str) -> None:
    initiative = Initiative.objects.get(title="Gemensam e-tjänsteplattform")
    benefit = Benefit.objects.filter(initiative=initiative).first()
    assert benefit is not None
    if who != "anonymous":
        client.force_login(demo.user(who))
    before = _state()
    for url, data in _posts(initiative, benefit):
        response = client.post(url, data)
        expected = 302 if who == "anonymous" else 404
        assert response.status_code == expected, url
        if who == "anonymous":
            assert "logga-in" in response["Location"]
    assert _state() == before


def test_council_member_reads_but_changes_nothing(client: Any, demo: Any) -> None:
    initiative = Initiative.objects.get(title="Gemensam e-tjänsteplattform")
    benefit = (
        Benefit.objects.filter(initiative=initiative).exclude(owner=demo.user("radsmedlem")).first()
    )
    assert benefit is not None
    client.force_login(demo.user("radsmedlem"))
    assert client.get(reverse("portfolio:detail", args=[initiative.pk])).status_code == 200
    before = _state()
    for url, data in _posts(initiative, benefit):
        assert client.post(url, data).status_code == 404, url
    assert _state() == before


def test_finance_pays_but_does_not_manage(client: Any, demo: Any) -> None:
    initiative = Initiative.objects.get(title="Gemensam e-tjänsteplattform")
    client.force_login(demo.user("ekonom"))
    before = _state()
    response = client.post(
        reverse("portfolio:transition", args=[initiative.pk]),
        {"state": "stopped", "version": initiative.version},
    )
    assert response.status_code == 404
    assert _state() == before
    response = client.post(
        reverse("portfolio:funding", args=[initiative.pk, "betala"]),
        {"f-amount": "10", "f-date": "2026-11-01"},
    )
    assert response.status_code == 302
    assert initiative.fundings.filter(kind="spending", amount=10).exists()
