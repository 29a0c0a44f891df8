"""Every decision number the demo stores in other apps (portfolio's initiatives and fundings,
billing's allocation keys, risks) names an existing decision of the cooperation about that thing
(issue 11): the initiatives and the accepted risk are linked from their decisions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from itfabrik.governance.models import Decision, GovernedLink

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"[A-Z]{2,4}-\d{4}-\d{3}")


def _numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def _stored(demo: Any) -> list[tuple[str, Any, str]]:
    """(where, object, number) of every decision number stored outside governance."""
    coop = demo.cooperation
    Initiative = apps.get_model("portfolio", "Initiative")
    Funding = apps.get_model("portfolio", "Funding")
    AllocationKey = apps.get_model("billing", "AllocationKey")
    Risk = apps.get_model("risks", "Risk")
    rows: list[tuple[str, Any, str]] = []
    for i in Initiative.objects.filter(cooperation=coop):
        rows += [("initiative", i, n) for n in _numbers(i.decision_reference)]
    for f in Funding.objects.filter(initiative__cooperation=coop):
        rows += [("funding", f, n) for n in _numbers(f.decision_reference)]
    for k in AllocationKey.objects.filter(pool__cooperation=coop):
        rows += [("allocation_key", k, n) for n in _numbers(k.decision_reference)]
    for r in Risk.objects.filter(cooperation=coop):
        rows += [("risk", r, n) for n in _numbers(r.decision)]
    return rows


def test_every_decision_number_in_the_demo_names_a_decision_about_that_thing(demo: Any) -> None:
    rows = _stored(demo)
    kinds = {where for where, _obj, _n in rows}
    assert kinds == {"initiative", "funding", "allocation_key", "risk"}
    decisions = {d.number: d for d in Decision.objects.filter(forum__cooperation=demo.cooperation)}
    missing = [(where, str(obj), n) for where, obj, n in rows if n not in decisions]
    assert missing == []
    for where, obj, number in rows:
        # A funding is governed by its initiative's decision; the others are linked themselves.
        target = obj.initiative if where == "funding" else obj
        ct = ContentType.objects.get_for_model(type(target))
        assert GovernedLink.objects.filter(
            decision=decisions[number], content_type=ct, object_id=target.pk
        ).exists(), (where, str(obj), number)
