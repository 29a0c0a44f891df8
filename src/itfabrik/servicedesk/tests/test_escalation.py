"""Escalation on SLA warnings and breaches: the pure matching (hypothesis), the sweep applying
the rules once per ticket and trigger (audited, in the ticket's history, mailed), and the
settings pages (admin only, other cooperations 404, fixed query count)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state, page_query_count
from itfabrik.servicedesk import rules, services
from itfabrik.servicedesk.choices import EntryKind, EscalationTrigger
from itfabrik.servicedesk.models import Escalation, EscalationRule, Ticket, TicketEntry

priorities = st.sampled_from(rules.PRIORITIES)
triggers = st.sampled_from(rules.TRIGGERS)
group_ids = st.one_of(st.none(), st.integers(1, 6))
specs = st.builds(
    rules.EscalationSpec,
    rule_id=st.integers(1, 1000),
    trigger=triggers,
    priorities=st.frozensets(priorities, max_size=3),
    group_ids=st.frozensets(st.integers(1, 6), max_size=3),
    notify=st.booleans(),
    raise_priority=st.booleans(),
    reassign_to=st.one_of(st.none(), st.integers(1, 6)),
)


def test_plain_triggers_match_the_choices() -> None:
    assert set(rules.TRIGGERS) == set(EscalationTrigger.values)


@given(st.lists(specs, max_size=6), triggers, priorities, group_ids)
def test_plan_applies_only_matching_rules_and_raises_at_most_one_step(
    rule_list: list[rules.EscalationSpec], trigger: str, priority: str, group: int | None
) -> None:
    plan = rules.escalation_plan(rule_list, trigger=trigger, priority=priority, group_id=group)
    matching = [
        s
        for s in rule_list
        if s.trigger == trigger
        and (not s.priorities or priority in s.priorities)
        and (not s.group_ids or group in s.group_ids)
    ]
    assert plan.rule_ids == tuple(s.rule_id for s in matching)
    assert plan.notify == any(s.notify for s in matching)
    step = rules.PRIORITIES.index(priority) - rules.PRIORITIES.index(plan.priority)
    assert step == (1 if any(s.raise_priority for s in matching) and priority != "P1" else 0)
    if not matching:
        assert plan.group_id == group
        assert plan.priority == priority
    targets = [s.reassign_to for s in matching if s.reassign_to is not None]
    assert plan.group_id == (targets[0] if targets else group)


@given(st.sampled_from(["response", "resolution"]), st.integers(1, 100))
def test_warnings_below_100_are_one_trigger_and_breaches_name_their_clock(
    clock: str, threshold: int
) -> None:
    trigger = rules.sla_trigger(clock, threshold)
    if threshold < 100:
        assert trigger == "warning"
    else:
        assert trigger == f"{clock}_breach"
    assert rules.sla_trigger("nis2_24h", threshold) is None


def _rule(desk: Any, **kwargs: Any) -> EscalationRule:
    values: dict[str, Any] = {"name": "Brott P3", "trigger": "resolution_breach"}
    values.update(kwargs)
    return services.escalation_rule_create(
        actor=desk.user("admin"), cooperation=desk.cooperation, **values
    )


def test_breach_escalates_once_raises_reassigns_notes_audits_and_mails(
    desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    target = desk.groups["2:a linjen identitet"]  # lead: tekniker
    rule = _rule(desk, priorities=["P3"], raise_priority=True, reassign_to=target)
    ticket = desk.ticket(assignee=desk.agent)  # March 2026: long breached
    assert ticket.priority == "P3"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sla_sweep()
    ticket.refresh_from_db()
    assert ticket.priority == "P2"
    assert ticket.group == target
    assert ticket.assignee is None
    assert ticket.policy is not None
    assert ticket.policy.priority == "P2"
    esc = Escalation.objects.get(ticket=ticket)
    assert esc.trigger == "resolution_breach"
    assert esc.rule_ids == [rule.pk]
    assert set(esc.actions["notified"]) == {
        "agent@itfabrik.example",
        "admin@itfabrik.example",
        desk.tekniker.email,
    }
    note = TicketEntry.objects.filter(ticket=ticket, kind=EntryKind.INTERNAL).last()
    assert note is not None
    assert note.author is None
    assert "Prioriteten höjdes från P3 till P2" in note.body
    assert target.name in note.body
    assert AuditEntry.objects.filter(
        object_type="servicedesk.escalation", object_id=str(esc.pk)
    ).exists()
    change = AuditEntry.objects.filter(
        object_type="servicedesk.ticket", object_id=str(ticket.pk)
    ).latest("pk")
    assert change.before["priority"] == "P3"
    assert change.after["priority"] == "P2"
    assert [m for m in mail.outbox if "Eskalerat" in m.subject]
    # A rerun (the P2 policy's targets are breached too) changes nothing more.
    version = ticket.version
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sla_sweep()
    ticket.refresh_from_db()
    assert ticket.version == version
    assert ticket.priority == "P2"
    assert Escalation.objects.filter(ticket=ticket).count() == 1
    assert not [m for m in mail.outbox if "Eskalerat" in m.subject]


def test_a_second_escalation_for_the_same_trigger_is_refused(desk: Any) -> None:
    _rule(desk, raise_priority=True, notify=False)
    ticket = desk.ticket()
    specs = [rules.EscalationSpec(rule_id=1, trigger="resolution_breach", raise_priority=True)]
    now = ticket.reported_at
    first = services.escalate(
        ticket_id=ticket.pk, trigger="resolution_breach", specs=specs, now=now
    )
    again = services.escalate(
        ticket_id=ticket.pk, trigger="resolution_breach", specs=specs, now=now
    )
    assert first is not None
    assert again is None
    assert Ticket.objects.get(pk=ticket.pk).priority == "P2"


def test_rules_for_other_priorities_groups_or_triggers_do_nothing(desk: Any) -> None:
    _rule(desk, name="Bara P1", priorities=["P1"], raise_priority=True)
    _rule(
        desk,
        name="Bara nätverk",
        group_ids=[desk.groups["2:a linjen nätverk"].pk],
        raise_priority=True,
    )
    ended = _rule(desk, name="Avslutad", raise_priority=True)
    services.escalation_rule_update(
        actor=desk.user("admin"), rule=ended, expected_version=ended.version, is_active=False
    )
    ticket = desk.ticket()
    services.sla_sweep()
    ticket.refresh_from_db()
    assert ticket.priority == "P3"
    assert not Escalation.objects.filter(ticket=ticket).exists()


def test_warning_rule_escalates_on_the_first_warning(desk: Any) -> None:
    _rule(desk, name="Varning", trigger="warning", notify=True)
    ticket = desk.ticket(assignee=desk.agent)
    services.sla_sweep()
    assert list(Escalation.objects.filter(ticket=ticket).values_list("trigger", flat=True)) == [
        "warning"
    ]


def test_bad_rules_are_refused(desk: Any) -> None:
    other_group = _other_group()
    before = db_state()
    for bad in (
        {"trigger": "sometime"},
        {"priorities": ["P9"]},
        {"notify": False},
        {"reassign_to": other_group},
        {"group_ids": [other_group.pk]},
        {"name": "  "},
    ):
        with pytest.raises(ValidationFailed):
            _rule(desk, **bad)
    assert_unchanged(before)


def _other_group() -> Any:
    from itfabrik.tenancy import services as tenancy_services

    other = tenancy_services.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")
    return services.group_create(actor=SYSTEM, cooperation=other, name="Annan", kind="o365")


def test_settings_pages_create_edit_end_and_scope(web_as: Any, desk: Any) -> None:
    agent = web_as("agent")
    assert agent.get("/servicedesk/installningar/eskalering/").status_code == 404
    assert agent.get("/servicedesk/installningar/eskalering/ny/").status_code == 404
    client = web_as("admin")
    group = desk.groups["2:a linjen nätverk"]
    r = client.post(
        "/servicedesk/installningar/eskalering/ny/",
        {
            "name": "P1 till nätverk",
            "trigger": "response_breach",
            "priorities": ["P1", "P2"],
            "groups": [desk.groups["Servicedesk 1:a linjen"].pk],
            "notify": "on",
            "reassign_to": group.pk,
            "is_active": "on",
        },
    )
    assert r.status_code == 302, r.context["form"].errors
    rule = EscalationRule.objects.get(name="P1 till nätverk")
    assert rule.priorities == ["P1", "P2"]
    assert rule.reassign_to == group
    # A stale edit is refused and changes nothing.
    r = client.post(
        f"/servicedesk/installningar/eskalering/{rule.pk}/",
        {"version": rule.version + 5, "name": "Ändrad", "trigger": "warning", "notify": "on"},
    )
    assert r.status_code == 200
    rule.refresh_from_db()
    assert rule.name == "P1 till nätverk"
    r = client.post(
        f"/servicedesk/installningar/eskalering/{rule.pk}/",
        {"version": rule.version, "name": "P1 till nätverk", "trigger": "warning", "notify": "on"},
    )
    assert r.status_code == 302
    rule.refresh_from_db()
    assert rule.trigger == "warning"
    assert rule.is_active is False
    assert rule.reassign_to is None
    assert (
        AuditEntry.objects.filter(
            object_type="servicedesk.escalationrule", object_id=str(rule.pk)
        ).count()
        == 2
    )
    few, r = page_query_count(client, "/servicedesk/installningar/eskalering/?active=all")
    _rule(desk, name="En till", group_ids=[group.pk])
    _rule(desk, name="En tredje", reassign_to=group)
    many, r = page_query_count(client, "/servicedesk/installningar/eskalering/?active=all")
    assert few == many
    assert r.context["page"].paginator.count == 3
    # Another cooperation's rule: 404, unchanged.
    other_group = _other_group()
    foreign = EscalationRule.objects.create(
        cooperation=other_group.cooperation, name="Främmande", trigger="warning"
    )
    before = db_state()
    assert client.get(f"/servicedesk/installningar/eskalering/{foreign.pk}/").status_code == 404
    r = client.post(
        f"/servicedesk/installningar/eskalering/{foreign.pk}/",
        {"version": foreign.version, "name": "Kapad", "trigger": "warning", "notify": "on"},
    )
    assert r.status_code == 404
    assert_unchanged(before)
