"""The risk register's services: scores, treatment, history, actions, workshops, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.risks import selectors, services
from itfabrik.risks.models import ScoreRecord

pytestmark = pytest.mark.django_db


def test_the_seed_risks_and_their_workshop(riskreg: Any, demo: Any) -> None:
    seed = riskreg.seed()
    assert len(seed) == 6
    ws = riskreg.seed_workshop()
    municipalities = [
        demo.node(n)
        for n in ("Bengtsfors kommun", "Färgelanda kommun", "Melleruds kommun", "Åmåls kommun")
    ]
    rows = selectors.workshop_result_report(workshop=ws, municipalities=municipalities)
    assert [r.average for r in rows] == [
        Decimal(v) for v in ("15.0", "13.0", "11.0", "11.0", "10.0", "10.0")
    ]
    assert all(len(r.scores) == 4 for r in rows)


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("probability", 0),
        ("probability", 6),
        ("consequence", -1),
        ("consequence", "3"),
        ("probability", True),
    ],
)
def test_scores_outside_1_to_5_are_refused(riskreg: Any, field: str, bad: object) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        riskreg.risk(**{field: bad})
    assert set(exc.value.fields) == {field}
    assert "1 till 5" in str(exc.value.fields[field][0])
    assert_unchanged(before)


def test_update_refuses_a_bad_score_and_keeps_the_risk(riskreg: Any) -> None:
    risk = riskreg.risk()
    before = db_state()
    with pytest.raises(ValidationFailed):
        services.risk_update(
            actor=riskreg.sakerhet, risk=risk, expected_version=risk.version, consequence=9
        )
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("field", "bad"), [("residual_probability", 6), ("residual_consequence", 0)]
)
def test_a_bad_residual_score_is_refused_and_nothing_changes(
    riskreg: Any, field: str, bad: int
) -> None:
    other = "residual_consequence" if field == "residual_probability" else "residual_probability"
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        riskreg.risk(**{field: bad, other: 3})
    assert set(exc.value.fields) == {field}
    assert "1 till 5" in str(exc.value.fields[field][0])
    assert_unchanged(before)
    risk = riskreg.risk(residual_probability=2, residual_consequence=2)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.risk_update(
            actor=riskreg.sakerhet, risk=risk, expected_version=risk.version, **{field: bad}
        )
    assert set(exc.value.fields) == {field}
    assert_unchanged(before)


def test_score_over_time(riskreg: Any) -> None:
    risk = riskreg.risk(probability=4, consequence=5)
    assert risk.score == 20
    risk = services.risk_update(
        actor=riskreg.sakerhet, risk=risk, expected_version=risk.version, probability=2,
        residual_probability=1, residual_consequence=5, treatment="mitigate",
    )  # fmt: skip
    assert (risk.score, risk.residual_score) == (10, 5)
    kinds = list(ScoreRecord.objects.filter(risk=risk).values_list("kind", "score"))
    assert kinds == [("inherent", 20), ("inherent", 10), ("residual", 5)]


def test_accept_needs_the_decision_number(riskreg: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        riskreg.risk(treatment="accept")
    assert set(exc.value.fields) == {"decision"}
    with pytest.raises(ValidationFailed):
        riskreg.risk(treatment="accept", decision="beslutat i maj")
    risk = riskreg.risk(treatment="accept", decision="ITR-2026-014")
    assert risk.decision == "ITR-2026-014"


def test_mitigation_actions(riskreg: Any) -> None:
    risk = riskreg.risk()
    with pytest.raises(ValidationFailed) as exc:
        services.action_add(actor=riskreg.sakerhet, risk=risk, description="", owner=None, due=None)
    assert set(exc.value.fields) == {"description", "owner", "due"}
    action = services.action_add(
        actor=riskreg.sakerhet, risk=risk, description="MFA för alla", owner=riskreg.strateg,
        due=dt.date(2027, 3, 1),
    )  # fmt: skip
    assert services.action_done(actor=riskreg.sakerhet, action=action).done


def test_the_strategist_sees_but_may_not_change(riskreg: Any) -> None:
    risk = riskreg.risk()
    before = db_state()
    with pytest.raises(Forbidden):
        services.risk_update(
            actor=riskreg.strateg, risk=risk, expected_version=risk.version, probability=5
        )
    assert_unchanged(before)


def test_a_municipal_user_cannot_touch_a_risk(riskreg: Any, demo: Any) -> None:
    risk = riskreg.risk(scope=demo.node("Åmåls kommun"))
    with pytest.raises(NotFound):
        services.risk_update(
            actor=demo.user("anvandare-bengtsfors"), risk=risk, expected_version=1, probability=5
        )


def test_workshop_scores_average_and_spread(riskreg: Any, demo: Any) -> None:
    risks = [riskreg.risk(title="A"), riskreg.risk(title="B")]
    ws = services.workshop_create(
        actor=riskreg.sakerhet, cooperation=riskreg.cooperation, title="Vårens workshop",
        held_on=dt.date(2026, 12, 1), risks=risks,
    )  # fmt: skip
    names = ("Bengtsfors kommun", "Färgelanda kommun", "Melleruds kommun", "Åmåls kommun")
    given = [(2, 2), (3, 4), (5, 5), (1, 3)]
    for name, (p, c) in zip(names, given, strict=True):
        services.workshop_scores_set(
            actor=riskreg.sakerhet, workshop=ws, municipality=demo.node(name),
            scores={risks[0].pk: (p, c), risks[1].pk: (1, 1)},
        )  # fmt: skip
    rows = selectors.workshop_result_report(
        workshop=ws, municipalities=[demo.node(n) for n in names]
    )
    assert rows[0].risk == risks[0]
    assert rows[0].average == Decimal("11.0")  # (4 + 12 + 25 + 3) / 4
    assert rows[0].spread == 22
    assert rows[1].average == Decimal("1.0")
    # A bad score refuses the whole municipality's form; nothing half saved.
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.workshop_scores_set(
            actor=riskreg.sakerhet, workshop=ws, municipality=demo.node(names[0]),
            scores={risks[0].pk: (4, 4), risks[1].pk: (6, 1)},
        )  # fmt: skip
    assert set(exc.value.fields) == {f"probability-{risks[1].pk}"}
    assert_unchanged(before)


def test_review_reminders_once_per_review(
    riskreg: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    risk = riskreg.risk(
        title="Påminn mig", owner=riskreg.sakerhet, next_review=today + dt.timedelta(days=3)
    )
    later = riskreg.risk(owner=riskreg.sakerhet, next_review=today + dt.timedelta(days=30))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.review_reminders_send(today=today)
    assert first >= 1
    assert any(risk.title in m.subject for m in mail.outbox)
    later.refresh_from_db()
    assert later.reminded_for is None
    risk.refresh_from_db()
    assert risk.reminded_for == risk.next_review
    assert services.review_reminders_send(today=today) == 0


# --- links to systems, services and initiatives -------------------------------------------------


def _link_entries(risk: Any) -> dict[str, Any]:
    from itfabrik.core.models import AuditEntry

    rows = AuditEntry.objects.filter(object_type="risks.risk", object_id=str(risk.pk))
    names = ("systems", "services", "initiatives")
    return {
        k: (e.before[k], e.after[k])
        for e in rows.order_by("pk")
        for k in names
        if e.before and e.after and k in e.after
    }


def test_create_and_update_link_systems_services_and_initiatives(riskreg: Any, links: Any) -> None:
    s1, s2 = links.systems
    t1, t2 = links.services
    i1, i2 = links.initiatives
    risk = riskreg.risk(systems=[s1], services=[t1, t2], initiatives=[i1])
    assert list(risk.systems.all()) == [s1]
    assert set(risk.services.all()) == {t1, t2}
    assert list(risk.initiatives.all()) == [i1]
    entries = _link_entries(risk)
    assert entries["systems"] == ([], [s1.pk])
    assert entries["services"] == ([], sorted([t1.pk, t2.pk]))
    assert entries["initiatives"] == ([], [i1.pk])
    risk = services.risk_update(
        actor=riskreg.sakerhet, risk=risk, expected_version=risk.version,
        systems=[s1, s2], services=[], initiatives=[i2],
    )  # fmt: skip
    assert set(risk.systems.all()) == {s1, s2}
    assert list(risk.services.all()) == []
    assert list(risk.initiatives.all()) == [i2]
    entries = _link_entries(risk)
    assert entries["systems"] == ([s1.pk], sorted([s1.pk, s2.pk]))
    assert entries["services"] == (sorted([t1.pk, t2.pk]), [])
    assert entries["initiatives"] == ([i1.pk], [i2.pk])


@pytest.mark.parametrize(
    ("field", "swedish", "english"),
    [
        ("systems", "Okänt system.", "Unknown system."),
        ("services", "Okänd tjänst.", "Unknown service."),
        ("initiatives", "Okänt initiativ.", "Unknown initiative."),
    ],
)
def test_a_link_of_another_cooperation_is_refused(
    riskreg: Any, links: Any, field: str, swedish: str, english: str
) -> None:
    from django.utils import translation

    foreign = {
        "systems": links.foreign_system,
        "services": links.foreign_service,
        "initiatives": links.foreign_initiative,
    }[field]
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        riskreg.risk(**{field: [getattr(links, field)[0], foreign]})
    assert set(exc.value.fields) == {field}
    message = exc.value.fields[field][0]
    assert str(message) == swedish
    with translation.override("en"):
        assert str(message) == english
    assert_unchanged(before)
    risk = riskreg.risk(**{field: [getattr(links, field)[0]]})
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.risk_update(
            actor=riskreg.sakerhet, risk=risk, expected_version=risk.version, title="Ändrad",
            **{field: [foreign]},
        )  # fmt: skip
    assert set(exc.value.fields) == {field}
    assert_unchanged(before)
    assert list(getattr(risk, field).all()) == [getattr(links, field)[0]]
