"""The reports' arithmetic against the hand-built tickets of fixtures.spring (counted by hand
there), as the joint organisation's agent sees them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.deskreports import params, selectors
from itfabrik.deskreports.selectors import _share

from .fixtures import PERIOD, local


def _filter(actor: Any, **extra: Any) -> params.ReportFilter:
    return params.parse(actor, {**PERIOD, **extra}, params.options(actor))


def _rows(table: selectors.Table, *keys: str) -> dict[str, tuple[Any, ...]]:
    return {r["label"]: tuple(r[k] for k in keys) for r in table.rows}


SLA = ("total", "response_met", "resolution_met", "both_met", "share")


def test_share_rounds_half_up_and_leaves_nothing_over_nothing() -> None:
    assert _share(1, 3) == Decimal("33.3")
    assert _share(2, 3) == Decimal("66.7")
    assert _share(1, 8) == Decimal("12.5")
    assert _share(0, 0) is None


def test_sla_compliance_per_municipality_priority_group_and_month(spring: Any, demo: Any) -> None:
    agent = demo.user("agent")
    rep = selectors.sla_report(agent, _filter(agent))
    assert _rows(rep.table("municipality"), *SLA) == {
        "Bengtsfors kommun": (2, 2, 1, 1, Decimal("50.0")),
        "Färgelanda kommun": (2, 1, 2, 1, Decimal("50.0")),
    }
    assert _rows(rep.table("month"), *SLA) == {
        "2024-03": (3, 2, 2, 1, Decimal("33.3")),
        "2024-04": (1, 1, 1, 1, Decimal("100.0")),
    }
    first, network = spring.groups["first"].name, spring.groups["network"].name
    assert _rows(rep.table("group"), *SLA) == {
        first: (3, 2, 2, 1, Decimal("33.3")),
        network: (1, 1, 1, 1, Decimal("100.0")),
    }
    assert _rows(rep.table("priority"), *SLA) == {"P3 – normal": (4, 3, 3, 2, Decimal("50.0"))}
    assert selectors.sla_summary(agent, _filter(agent))["share"] == Decimal("50.0")


def test_sla_filters_narrow_the_tickets(spring: Any, demo: Any) -> None:
    agent = demo.user("agent")
    f = _filter(agent, municipality=str(spring.fargelanda.pk), channel="phone")
    assert _rows(selectors.sla_report(agent, f).table("month"), *SLA) == {
        "2024-03": (1, 0, 1, 0, Decimal("0.0")),
    }
    f = _filter(agent, group=str(spring.groups["network"].pk))
    assert [r["label"] for r in selectors.sla_report(agent, f).table("month").rows] == ["2024-04"]
    assert selectors.sla_report(agent, _filter(agent, priority="P1")).table("month").rows == []


def test_backlog_ageing_at_the_end_of_the_period(spring: Any, demo: Any) -> None:
    agent = demo.user("agent")
    rep = selectors.backlog_report(agent, _filter(agent))
    assert rep.note == local(2024, 5, 1)
    keys = ("age_0_1", "age_2_7", "age_8_30", "age_over_30", "total")
    # T5 (55 days), T6 (1 day 14 h), T7 (5 days), T8 (42 days, resolved only in May).
    assert _rows(rep.table("group"), *keys) == {spring.groups["first"].name: (1, 1, 0, 2, 4)}
    assert _rows(rep.table("priority"), *keys) == {"P3 – normal": (1, 1, 0, 2, 4)}
    # At the end of March only T5 and T8 were open, aged 24 and 11 days.
    march = params.parse(agent, {"from": "2024-03", "to": "2024-03"}, params.options(agent))
    rep = selectors.backlog_report(agent, march)
    assert _rows(rep.table("priority"), *keys) == {"P3 – normal": (0, 0, 2, 0, 2)}


def test_first_contact_resolution(spring: Any, demo: Any) -> None:
    agent = demo.user("agent")
    rep = selectors.fcr_report(agent, _filter(agent))
    keys = ("resolved", "first_contact", "share")
    # T1 and T2 count; T3 waited for the requester; T4 changed group.
    assert _rows(rep.table("month"), *keys) == {
        "2024-03": (3, 2, Decimal("66.7")),
        "2024-04": (1, 0, Decimal("0.0")),
    }
    assert _rows(rep.table("municipality"), *keys) == {
        "Bengtsfors kommun": (2, 0, Decimal("0.0")),
        "Färgelanda kommun": (2, 2, Decimal("100.0")),
    }
    assert "1:a linjen" in str(rep.definition)


def test_volume_per_channel_and_month(spring: Any, demo: Any) -> None:
    agent = demo.user("agent")
    rep = selectors.volume_report(agent, _filter(agent))
    keys = ("portal", "email", "phone", "walk_in", "total")
    assert _rows(rep.table("month"), *keys) == {
        "2024-03": (3, 1, 1, 0, 5),
        "2024-04": (1, 0, 1, 1, 3),
    }
    only_phone = selectors.volume_report(agent, _filter(agent, channel="phone"))
    assert [c.key for c in only_phone.table("month").columns] == ["label", "phone", "total"]


def test_deflection_rate(spring: Any, demo: Any) -> None:
    agent = demo.user("agent")
    rep = selectors.deflection_report(agent, _filter(agent))
    keys = ("deflections", "portal_tickets", "rate")
    assert _rows(rep.table("month"), *keys) == {
        "2024-03": (3, 3, Decimal("50.0")),
        "2024-04": (0, 1, Decimal("0.0")),
    }
    assert _rows(rep.table("municipality"), *keys) == {
        "Bengtsfors kommun": (0, 1, Decimal("0.0")),
        "Färgelanda kommun": (3, 3, Decimal("50.0")),
    }


def test_an_it_contact_sees_only_their_municipality(spring: Any, contact_of: Any) -> None:
    contact = contact_of("Färgelanda kommun")
    f = _filter(contact)
    assert _rows(selectors.sla_report(contact, f).table("municipality"), *SLA) == {
        "Färgelanda kommun": (2, 1, 2, 1, Decimal("50.0")),
    }
    assert [
        r["label"] for r in selectors.deflection_report(contact, f).table("municipality").rows
    ] == ["Färgelanda kommun"]
    assert [m.name for m in params.options(contact).municipalities] == ["Färgelanda kommun"]
    with pytest.raises(NotFound):
        _filter(contact, municipality=str(spring.bengtsfors.pk))


def test_bad_filters_name_the_field(demo: Any) -> None:
    agent = demo.user("agent")
    with pytest.raises(ValidationFailed) as exc:
        _filter(agent, **{"from": "2024-13", "priority": "P9", "channel": "fax", "group": "x"})
    assert set(exc.value.fields) == {"from", "priority", "channel", "group"}
    with pytest.raises(ValidationFailed) as exc:
        params.parse(agent, {"from": "2024-05", "to": "2024-03"}, params.options(agent))
    assert set(exc.value.fields) == {"to"}


def test_training_questions_are_counted_apart(spring: Any, demo: Any) -> None:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services

    services.routing_settings_save(
        actor=SYSTEM,
        cooperation=demo.cooperation,
        expected_version=None,
        learning_url="https://lar.dalsland.example/",
        training_keywords=["hur gör jag"],
    )
    services.ticket_create(
        actor=SYSTEM,
        requester=demo.user("anvandare-fargelanda"),
        title="Hur gör jag en pivottabell?",
        impact="low",
        urgency="low",
        reported_at=local(2024, 3, 12, 10, 0),
    )
    agent = demo.user("agent")
    rep = selectors.training_report(agent, _filter(agent))
    keys = ("tickets", "training", "share")
    assert _rows(rep.table("month"), *keys) == {
        "2024-03": (6, 1, Decimal("16.7")),
        "2024-04": (3, 0, Decimal("0.0")),
    }
    assert _rows(rep.table("municipality"), *keys) == {
        "Bengtsfors kommun": (3, 0, Decimal("0.0")),
        "Färgelanda kommun": (6, 1, Decimal("16.7")),
    }


SATISFACTION = ("resolved", "rated", "response_rate", "average", "low")


@pytest.fixture
def rated(spring: Any, demo: Any) -> Any:
    """T1 rated 5 by Fia (Färgelanda), T3 rated 2 by Björn (Bengtsfors): a low score. T2 and T4
    are resolved without an answer; T8 was resolved after the period."""
    from itfabrik.satisfaction import services

    t = spring.tickets
    services.rating_submit(actor=demo.user("anvandare-fargelanda"), ticket=t["t1"], score=5)
    services.rating_submit(actor=demo.user("anvandare-bengtsfors"), ticket=t["t3"], score=2)
    services.rating_submit(actor=demo.user("anvandare-fargelanda"), ticket=t["t8"], score=1)
    return spring


def test_satisfaction_per_municipality_group_service_and_month(rated: Any, demo: Any) -> None:
    agent = demo.user("agent")
    rep = selectors.satisfaction_report(agent, _filter(agent))
    assert _rows(rep.table("municipality"), *SATISFACTION) == {
        "Bengtsfors kommun": (2, 1, Decimal("50.0"), Decimal("2.00"), 1),
        "Färgelanda kommun": (2, 1, Decimal("50.0"), Decimal("5.00"), 0),
    }
    first = str(rated.groups["first"].name)
    network = str(rated.groups["network"].name)
    assert _rows(rep.table("group"), *SATISFACTION) == {
        first: (3, 2, Decimal("66.7"), Decimal("3.50"), 1),
        network: (1, 0, Decimal("0.0"), None, 0),
    }
    assert _rows(rep.table("service"), *SATISFACTION) == {
        "Ingen tjänst": (4, 2, Decimal("50.0"), Decimal("3.50"), 1),
    }
    assert _rows(rep.table("month"), *SATISFACTION) == {
        "2024-03": (3, 2, Decimal("66.7"), Decimal("3.50"), 1),
        "2024-04": (1, 0, Decimal("0.0"), None, 0),
    }


def test_satisfaction_takes_the_filters_and_the_configured_low_score(
    rated: Any, demo: Any, settings: Any
) -> None:
    agent = demo.user("agent")
    only_phone = selectors.satisfaction_report(agent, _filter(agent, channel="phone"))
    assert _rows(only_phone.table("municipality"), *SATISFACTION) == {
        "Färgelanda kommun": (1, 0, Decimal("0.0"), None, 0),
    }
    settings.ITFABRIK_SATISFACTION_LOW_SCORE = 1
    rep = selectors.satisfaction_report(agent, _filter(agent))
    assert [r["low"] for r in rep.table("month").rows] == [0, 0]
    assert "1 eller lägre" in str(rep.definition)
