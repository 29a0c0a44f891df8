"""Kinds other apps register (issue 11): a decision governs an initiative (portfolio) and accepts a
risk (risks); a risk that is not accepted cannot be linked."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from itfabrik.core.errors import ValidationFailed
from itfabrik.governance import selectors, services
from itfabrik.governance.models import Decision, GovernedLink

pytestmark = pytest.mark.django_db

# portfolio and risks share governance's layer, so the test reaches their models by name.
Initiative = apps.get_model("portfolio", "Initiative")
Risk = apps.get_model("risks", "Risk")
ACCEPT = "accept"


def _initiative(gov: Any) -> Any:
    return Initiative.objects.filter(cooperation=gov.itr.cooperation).order_by("code").first()


def _accepted_risk(gov: Any) -> Any:
    risk = Risk.objects.filter(cooperation=gov.itr.cooperation, treatment=ACCEPT).first()
    assert risk is not None
    return risk


def _open_risk(gov: Any) -> Any:
    risk = Risk.objects.filter(cooperation=gov.itr.cooperation).exclude(treatment=ACCEPT).first()
    assert risk is not None
    return risk


def test_a_decision_governs_an_initiative_and_accepts_a_risk(gov: Any) -> None:
    initiative, risk = _initiative(gov), _accepted_risk(gov)
    decision = services.decision_create(
        actor=gov.rolf,
        meeting=gov.open_itr_meeting(),
        title="Initiativ och riskacceptans",
        text="IT-rådet godkänner initiativet och accepterar risken.",
        scope="cooperation",
        links=[("initiative", initiative.pk), ("risk_acceptance", risk.pk)],
    )
    kinds = dict(GovernedLink.objects.filter(decision=decision).values_list("kind", "object_id"))
    assert kinds == {"initiative": initiative.pk, "risk_acceptance": risk.pk}
    assert decision in selectors.governing_decision_list(actor=gov.rolf, instance=initiative)
    assert decision in selectors.governing_decision_list(actor=gov.rolf, instance=risk)


def test_a_risk_that_is_not_accepted_cannot_be_linked_and_nothing_changes(gov: Any) -> None:
    risk = _open_risk(gov)
    decisions, links = Decision.objects.count(), GovernedLink.objects.count()
    for lang, words in (("sv", "inte accepterad"), ("en", "not accepted")):
        with translation.override(lang), pytest.raises(ValidationFailed) as exc:
            services.decision_create(
                actor=gov.rolf,
                meeting=gov.open_itr_meeting(),
                title="Fel",
                text="Accepterar en risk som inte är accepterad.",
                scope="cooperation",
                links=[("risk_acceptance", risk.pk)],
            )
        with translation.override(lang):
            assert words in str(exc.value.fields["object_id"][0])
    assert (Decision.objects.count(), GovernedLink.objects.count()) == (decisions, links)
    decision = gov.open_itr_meeting().decisions.first() or services.decision_create(
        actor=gov.rolf,
        meeting=gov.open_itr_meeting(),
        title="Öppet beslut",
        text="Text.",
        scope="cooperation",
    )
    links = GovernedLink.objects.count()
    with pytest.raises(ValidationFailed):
        services.decision_link_add(
            actor=gov.rolf, decision=decision, kind="risk_acceptance", object_id=risk.pk
        )
    assert GovernedLink.objects.count() == links


def test_web_links_a_new_decision_to_an_initiative_and_a_risk_acceptance(
    web_as: Any, gov: Any
) -> None:
    initiative, risk = _initiative(gov), _accepted_risk(gov)
    client = web_as("radsmedlem")
    url = reverse("governance:decision_create", args=[gov.itr.pk])
    page = client.get(url).content.decode()
    assert f"initiative:{initiative.pk}" in page
    assert f"risk_acceptance:{risk.pk}" in page
    assert f"risk_acceptance:{_open_risk(gov).pk}" not in page
    r = client.post(
        url,
        {
            "meeting": gov.open_itr_meeting().pk,
            "title": "Godkänt initiativ",
            "text": "IT-rådet godkänner initiativet och accepterar risken.",
            "scope": "cooperation",
            "links": [f"initiative:{initiative.pk}", f"risk_acceptance:{risk.pk}"],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    decision = Decision.objects.get(title="Godkänt initiativ")
    page = client.get(reverse("governance:decision", args=[decision.pk])).content.decode()
    assert initiative.title in page
    assert risk.title in page


def test_web_refuses_a_risk_that_is_not_accepted(web_as: Any, gov: Any) -> None:
    client = web_as("radsmedlem")
    count = Decision.objects.count()
    r = client.post(
        reverse("governance:decision_create", args=[gov.itr.pk]),
        {
            "meeting": gov.open_itr_meeting().pk,
            "title": "Fel",
            "text": "Text.",
            "scope": "cooperation",
            "links": [f"risk_acceptance:{_open_risk(gov).pk}"],
        },
    )
    assert r.status_code == 400
    assert Decision.objects.count() == count


def test_api_shows_the_initiative_and_risk_acceptance_links(api_as: Any, gov: Any) -> None:
    initiative, risk = _initiative(gov), _accepted_risk(gov)
    decision = services.decision_create(
        actor=gov.rolf,
        meeting=gov.open_itr_meeting(),
        title="Via API",
        text="Text.",
        scope="cooperation",
        links=[("initiative", initiative.pk), ("risk_acceptance", risk.pk)],
    )
    rows = (
        api_as("radsmedlem")
        .get("/api/v1/governance/decisions/", {"forum": gov.itr.pk, "page_size": 200})
        .json()["results"]
    )
    row = next(r for r in rows if r["number"] == decision.number)
    assert sorted(
        (link["kind"], link["content_type"], link["object_id"]) for link in row["links"]
    ) == [
        ("initiative", "portfolio.initiative", initiative.pk),
        ("risk_acceptance", "risks.risk", risk.pk),
    ]
