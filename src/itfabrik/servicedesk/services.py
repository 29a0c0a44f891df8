"""Every change of the service desk: typed, keyword-only, atomic, audited, permission-checked.

Errors: a ticket the actor may not see is NotFound (404); one they see but may not work is
Forbidden (403); bad input is ValidationFailed (400) naming the field; a stale version is
Conflict (409). A refused call changes nothing.

The SLA clock (docs/adr/0019) is kept in the ticket's own columns and recomputed inside the same
versioned update as the change that moves it, so the audit row of that change carries the due
times before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.catalog.models import Service
from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import (
    ApplicationError,
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
    lazy_format,
)
from itfabrik.core.services import create_audited, update_audited, update_versioned
from itfabrik.knowledge import services as knowledge
from itfabrik.knowledge.choices import ArticleStatus, Audience
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import clock, hooks, rules, selectors
from . import permissions as actions
from .calendars import to_calendar
from .choices import (
    PAUSED_STATUSES,
    Channel,
    EntryKind,
    EscalationTrigger,
    GroupKind,
    Level,
    TicketStatus,
    TicketType,
)
from .models import (
    AssignmentGroup,
    BusinessCalendar,
    CalendarDay,
    Escalation,
    EscalationRule,
    GroupMember,
    PriorityRule,
    RoutingSettings,
    SlaPolicy,
    Ticket,
    TicketCounter,
    TicketEntry,
    VipPerson,
    municipality_of,
)

# A phone call noted a little later than the clock on the caller's wall is not "in the future".
CLOCK_SKEW = dt.timedelta(minutes=2)


def reopen_days() -> int:
    return int(getattr(settings, "ITFABRIK_SERVICEDESK_REOPEN_DAYS", rules.DEFAULT_REOPEN_DAYS))


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _now() -> dt.datetime:
    return timezone.now()


# --- the SLA clock on a ticket ----------------------------------------------------------------


def _state(ticket: Ticket) -> clock.ClockState:
    return clock.ClockState(
        accrued=dt.timedelta(seconds=ticket.accrued_seconds),
        started_at=ticket.clock_started_at,
        paused_since=ticket.paused_since,
        paused_total=dt.timedelta(seconds=ticket.paused_seconds),
    )


def _state_fields(state: clock.ClockState) -> dict[str, Any]:
    return {
        "accrued_seconds": int(state.accrued.total_seconds()),
        "clock_started_at": state.started_at,
        "paused_since": state.paused_since,
        "paused_seconds": int(state.paused_total.total_seconds()),
    }


def _calendar_of(policy: SlaPolicy | None, *moments: dt.datetime | None) -> Any:
    return None if policy is None else to_calendar(policy.calendar, *moments)


def _sla_fields(
    *,
    ticket: Ticket,
    now: dt.datetime,
    new_status: str | None = None,
    priority: str | None = None,
    tier: str | None = None,
    recompute_policy: bool = False,
) -> dict[str, Any]:
    """The clock columns after a change: pause/resume/stop for a status change, re-fold and a
    new policy for a priority or tier change. Only the columns that change are returned."""
    out: dict[str, Any] = {}
    old_policy = ticket.policy
    state = _state(ticket)
    policy = old_policy
    if recompute_policy:
        policy = selectors.policy_get(
            cooperation_id=ticket.cooperation_id,
            priority=priority or ticket.priority,
            tier=tier,
        )
        if policy is not None and old_policy is not None and policy.pk == old_policy.pk:
            policy = old_policy
    old_cal = _calendar_of(old_policy, ticket.reported_at, now)
    if policy is not old_policy:
        # What has run so far counts under the calendar that was in force while it ran.
        if old_cal is not None and state.started_at is not None and state.started_at < now:
            state = clock.fold(old_cal, state, now)
        out["policy"] = policy
    cal = _calendar_of(policy, ticket.reported_at, now)
    status = new_status or ticket.status
    if new_status is not None and new_status != ticket.status and cal is not None:
        if new_status in PAUSED_STATUSES:
            state = clock.pause(cal, state, now)
        elif new_status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
            if ticket.paused_since is not None:
                state = clock.resume(state, now)
            state = clock.stop(cal, state, now)
        elif state.started_at is None:
            state = clock.resume(state, now)
    elif new_status is not None and new_status != ticket.status:
        # No policy: only wall-clock pause bookkeeping.
        if new_status in PAUSED_STATUSES and ticket.paused_since is None:
            state = clock.ClockState(state.accrued, None, now, state.paused_total)
        elif new_status not in PAUSED_STATUSES and ticket.paused_since is not None:
            state = clock.resume(state, now)
    out.update(_state_fields(state))
    if cal is not None and policy is not None:
        if status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
            due = clock.due(cal, state, policy.resolution_target, previous=ticket.resolution_due)
            # Paused: the due time is unknown until the clock runs again.
            out["resolution_due"] = due
        if ticket.first_response_at is None:
            out["response_due"] = clock.response_due(
                cal, ticket.reported_at, policy.response_target
            )
    elif policy is None:
        out["resolution_due"] = None
        if ticket.first_response_at is None:
            out["response_due"] = None
    return {k: v for k, v in out.items() if _differs(getattr(ticket, k), v)}


def _differs(old: Any, new: Any) -> bool:
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return getattr(old, "pk", None) != getattr(new, "pk", None)
    return bool(old != new)


def sla_elapsed(ticket: Ticket, at: dt.datetime) -> dt.timedelta:
    """Business time the resolution clock has run up to `at` (for the worker and the page)."""
    if ticket.policy is None:
        return clock.ZERO
    cal = to_calendar(ticket.policy.calendar, ticket.reported_at, at)
    return clock.elapsed(cal, _state(ticket), at)


def response_elapsed(ticket: Ticket, at: dt.datetime) -> dt.timedelta:
    if ticket.policy is None:
        return clock.ZERO
    cal = to_calendar(ticket.policy.calendar, ticket.reported_at, at)
    from .businesstime import business_time_between

    end = ticket.first_response_at or at
    if end <= ticket.reported_at:
        return clock.ZERO
    return business_time_between(cal, ticket.reported_at, end)


# --- tickets ------------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    """The year's next number, from the caller's transaction: the increment takes the row lock
    (held to the commit, so numbers follow the commits) and hands the number back in one
    statement."""
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last",  # noqa: S608
            [year],
        )
        row = cursor.fetchone()
    if row is None:  # the year's first ticket
        try:
            with transaction.atomic():
                TicketCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another writer created it first
        return _next_reference(year)
    return rules.format_reference(year, row[0])


def _check_choices(values: dict[str, Any]) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    for name, choices in (
        ("impact", Level),
        ("urgency", Level),
        ("type", TicketType),
        ("channel", Channel),
    ):
        if name in values and values[name] not in choices.values:
            errors[name] = [
                lazy_format(
                    _("Ogiltigt värde. Välj ett av: %(values)s."),
                    values=", ".join(choices.values),
                )
            ]
    return errors


def _check_service(service: Service | None, cooperation_id: int) -> dict[str, list[Any]]:
    if service is None:
        return {}
    if service.cooperation_id != cooperation_id or not service.is_active:
        return {"service": [_("Tjänsten finns inte i den här samverkans katalog.")]}
    return {}


def _priority(
    settings: selectors.DeskSettings, *, impact: str, urgency: str, requester_id: Any
) -> tuple[str, bool]:
    vip = settings.is_vip(requester_id)
    return rules.ticket_priority(impact, urgency, vip=vip, matrix=settings.matrix), vip


def ticket_create(
    *,
    actor: Actor,
    requester: User,
    title: str,
    impact: str,
    urgency: str,
    description: str = "",
    type: str = TicketType.INCIDENT,
    channel: str | None = None,
    service: Service | None = None,
    unit: OrgNode | None = None,
    reported_at: dt.datetime | None = None,
    group: AssignmentGroup | None = None,
    assignee: User | None = None,
    device_reference: str = "",
) -> Ticket:
    """Register a ticket. Staff (`work_ticket` on the unit) register for anyone they serve, by
    any channel, with `reported_at` in the past; everyone else reports for themselves, on their
    own workplace, through the portal, now."""
    now = _now()
    unit = unit or requester.home_unit
    staff = unit is not None and permissions.can(actor, actions.WORK_TICKET, unit)
    if not staff:
        if _user(actor) is None or requester.pk != actor.pk:
            raise Forbidden()
        if unit is None or unit.pk != requester.home_unit_id:
            raise ValidationFailed(fields={"unit": [_("Du kan bara anmäla för din arbetsplats.")]})
        if not permissions.can(actor, actions.REPORT, unit):
            raise Forbidden()
        channel, reported_at, group, assignee = Channel.PORTAL, None, None, None
    channel = channel or (Channel.PHONE if staff else Channel.PORTAL)
    errors = _check_choices(
        {"impact": impact, "urgency": urgency, "type": type, "channel": channel}
    )
    if unit is None:
        errors["requester"] = [_("Personen har ingen arbetsplats. Ange berörd enhet.")]
        raise ValidationFailed(fields=errors)
    cooperation_id = unit.cooperation_id
    errors.update(_check_service(service, cooperation_id))
    if reported_at is None:
        reported_at = now
    elif reported_at > now + CLOCK_SKEW:
        errors["reported_at"] = [_("Tidpunkten kan inte ligga i framtiden.")]
    if not title.strip():
        errors["title"] = [_("Ange en rubrik.")]
    device_reference = " ".join(device_reference.split())
    if len(device_reference) > 100:
        errors["device_reference"] = [_("Inventarie- eller serienumret får vara högst 100 tecken.")]
    if group is not None and group.cooperation_id != cooperation_id:
        errors["group"] = [_("Gruppen hör till en annan samverkan.")]
    if errors:
        raise ValidationFailed(fields=errors)
    desk = selectors.desk_settings_get(cooperation_id)
    priority, vip = _priority(desk, impact=impact, urgency=urgency, requester_id=requester.pk)
    if group is None:
        group = desk.first_line_group()
    policy = desk.policy(priority, service.tier if service is not None else None)
    routing = desk.routing
    training = (
        routing is not None
        and bool(routing.learning_url)
        and type != TicketType.PROBLEM
        and rules.is_training_question(
            title,
            service.pk if service is not None else None,
            keywords=list(routing.training_keywords or ()),
            service_ids=[int(i) for i in routing.training_service_ids or ()],
        )
    )
    with transaction.atomic():
        ticket = Ticket(
            cooperation_id=cooperation_id,
            reference=_next_reference(timezone.localtime(reported_at).year),
            type=type,
            title=title.strip(),
            description=description.strip(),
            requester=requester,
            unit=unit,
            municipality=municipality_of(unit),
            service=service,
            channel=channel,
            impact=impact,
            urgency=urgency,
            priority=priority,
            is_vip=vip,
            group=group,
            assignee=assignee,
            status=TicketStatus.ASSIGNED if assignee is not None else TicketStatus.NEW,
            reported_at=reported_at,
            created_by=_user(actor),
            policy=policy,
            clock_started_at=reported_at,
            is_training=training,
            device_reference=device_reference,
        )
        if policy is not None:
            cal = to_calendar(policy.calendar, reported_at, now)
            ticket.response_due = clock.response_due(cal, reported_at, policy.response_target)
            ticket.resolution_due = clock.due(cal, _state(ticket), policy.resolution_target)
        # The counter makes the reference unique (and the unique index backs it): no query
        # to check it. No savepoint: a refused insert ends this transaction anyway.
        ticket = create_audited(
            actor=actor,
            instance=ticket,
            scope_path=unit.path,
            exclude=[*_FOREIGN_KEYS, "reference"],
            savepoint=False,
        )
        if training and routing is not None:
            _answer_training_question(ticket, routing)
        return ticket


def _answer_training_question(ticket: Ticket, routing: RoutingSettings) -> None:
    """The routing rule's public reply (R24): where to learn it. Written by the system (no
    author), mailed like any public reply; the agent still sees and closes the ticket."""
    from django.utils import translation

    from itfabrik.core.actors import SYSTEM

    with translation.override(settings.LANGUAGE_CODE):
        text = routing.training_reply.strip() or str(
            _(
                "Det här ser ut som en fråga om hur ett system eller program används. "
                "På lärplattformen finns utbildningar och guider:"
            )
        )
    body = f"{text}\n\n{routing.learning_url}"
    entry = create_audited(
        actor=SYSTEM,
        instance=TicketEntry(ticket=ticket, kind=EntryKind.PUBLIC, body=body),
        scope_path=ticket.unit.path,
        exclude=["ticket", "author"],
    )
    hooks.emit(hooks.PUBLIC_REPLY, ticket_id=ticket.pk, entry_id=entry.pk)


def _locked_for_work(actor: Actor, ticket: Ticket, expected_version: int | None) -> Ticket:
    """The ticket locked for the rest of the transaction, after the scope and version checks."""
    current = _locked(actor, ticket)
    if not selectors.may_work(actor, current):
        raise Forbidden()
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    return current


def _locked(actor: Actor, ticket: Ticket) -> Ticket:
    """The visible ticket, locked (NotFound when the actor may not see it)."""
    qs = Ticket.objects.select_for_update(of=("self",)).select_related("policy__calendar", "unit")
    if not permissions.is_superuser(actor):
        qs = qs.filter(selectors.visible_q(actor))
    current = qs.filter(pk=ticket.pk).first()
    if current is None:
        raise NotFound()
    return current


# Keys that came from the database through a scoped lookup: full_clean need not query each.
_FOREIGN_KEYS = [
    "cooperation",
    "requester",
    "municipality",
    "unit",
    "service",
    "group",
    "assignee",
    "problem",
    "created_by",
    "policy",
    "knowledge_article",
]


def _save(actor: Actor, current: Ticket, changes: dict[str, Any]) -> Ticket:
    return update_versioned(
        actor=actor,
        instance=current,
        expected_version=None,
        changes=changes,
        scope_path=current.unit.path,
        exclude=_FOREIGN_KEYS,
    )


TICKET_FIELDS = {
    "title",
    "description",
    "type",
    "channel",
    "impact",
    "urgency",
    "service",
    "unit",
    "group",
    "assignee",
    "device_reference",
}


def ticket_update(
    *, actor: Actor, ticket: Ticket, expected_version: int | None, **changes: Any
) -> Ticket:
    """Correct a ticket. A change of impact, urgency or service recomputes the priority, the
    policy and the due times, keeping the business time already used."""
    unknown = set(changes) - TICKET_FIELDS
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    now = _now()
    with transaction.atomic():
        current = _locked_for_work(actor, ticket, expected_version)
        errors = _check_choices(changes)
        if "service" in changes:
            errors.update(_check_service(changes["service"], current.cooperation_id))
        if "unit" in changes:
            unit = changes["unit"]
            if unit is None or not permissions.can(actor, actions.WORK_TICKET, unit):
                errors["unit"] = [_("Välj en enhet du arbetar med.")]
            elif unit.cooperation_id != current.cooperation_id:
                errors["unit"] = [_("Enheten hör till en annan samverkan.")]
            else:
                changes["municipality"] = municipality_of(unit)
        if changes.get("group") is not None and (
            changes["group"].cooperation_id != current.cooperation_id
        ):
            errors["group"] = [_("Gruppen hör till en annan samverkan.")]
        if "title" in changes and not str(changes["title"]).strip():
            errors["title"] = [_("Ange en rubrik.")]
        if (
            changes.get("type", current.type) != TicketType.PROBLEM
            and current.type == TicketType.PROBLEM
            and (current.known_error_at is not None or current.knowledge_article_id is not None)
        ):
            errors["type"] = [
                _("Problemet är ett känt fel och kan inte byta typ. Ta bort markeringen först.")
            ]
        if "device_reference" in changes:
            changes["device_reference"] = " ".join(str(changes["device_reference"]).split())
            if len(changes["device_reference"]) > 100:
                errors["device_reference"] = [
                    _("Inventarie- eller serienumret får vara högst 100 tecken.")
                ]
        if errors:
            raise ValidationFailed(fields=errors)
        if changes.get("assignee") is not None and current.status == TicketStatus.NEW:
            changes["status"] = TicketStatus.ASSIGNED
        impact = changes.get("impact", current.impact)
        urgency = changes.get("urgency", current.urgency)
        service = changes.get("service", current.service)
        recompute = bool({"impact", "urgency", "service"} & set(changes))
        if recompute:
            priority, vip = _priority(
                selectors.desk_settings_get(current.cooperation_id),
                impact=impact,
                urgency=urgency,
                requester_id=current.requester_id,
            )
            changes["priority"] = priority
            changes["is_vip"] = vip
            changes.update(
                _sla_fields(
                    ticket=current,
                    now=now,
                    priority=priority,
                    tier=service.tier if service is not None else None,
                    recompute_policy=True,
                )
            )
        # new → assigned leaves the clock as it is: no second recalculation here.
        return _save(actor, current, changes)


def ticket_assign(
    *,
    actor: Actor,
    ticket: Ticket,
    expected_version: int | None,
    group: AssignmentGroup | None,
    assignee: User | None,
) -> Ticket:
    if (
        assignee is not None
        and group is not None
        and group.lead_id != assignee.pk
        and not GroupMember.objects.filter(group=group, user=assignee).exists()
    ):
        raise ValidationFailed(fields={"assignee": [_("Personen är inte med i gruppen.")]})
    return ticket_update(
        actor=actor,
        ticket=ticket,
        expected_version=expected_version,
        group=group,
        assignee=assignee,
    )


def ticket_transition(
    *,
    actor: Actor,
    ticket: Ticket,
    expected_version: int | None,
    status: str,
    at: dt.datetime | None = None,
) -> Ticket:
    """Move a ticket along the status table; waiting pauses the clock, work resumes it,
    resolving stops it. Reopening is allowed within the configured number of days.

    `at` (when it happened, not after now) is for imports and the demo's history; the pages
    and the API never pass it."""
    now = min(at, _now()) if at is not None else _now()
    with transaction.atomic():
        current = _locked_for_work(actor, ticket, expected_version)
        return _transition(actor, current, status, now, live=at is None)


def _transition(
    actor: Actor, current: Ticket, status: str, now: dt.datetime, *, live: bool = True
) -> Ticket:
    if status not in TicketStatus.values:
        raise ValidationFailed(fields={"status": [_("Okänd status.")]})
    if not rules.can_transition(current.status, status):
        raise ValidationFailed(
            fields={
                "status": [
                    lazy_format(
                        _("Ärendet kan inte gå från %(current)s till %(target)s."),
                        current=TicketStatus(current.status).label,
                        target=TicketStatus(status).label,
                    )
                ]
            }
        )
    if rules.is_reopen(current.status, status) and not rules.may_reopen(
        current.resolved_at, now, reopen_days()
    ):
        raise ValidationFailed(
            fields={
                "status": [
                    lazy_format(
                        _(
                            "Ärendet löstes för mer än %(days)s dagar sedan och kan inte "
                            "öppnas igen. Registrera ett nytt ärende."
                        ),
                        days=reopen_days(),
                    )
                ]
            }
        )
    changes: dict[str, Any] = {"status": status}
    if status == TicketStatus.RESOLVED:
        changes["resolved_at"] = now
        if live:  # a history written with `at` is not news to mail anyone
            hooks.emit(hooks.RESOLVED, ticket_id=current.pk)
    elif status == TicketStatus.CLOSED:
        changes["closed_at"] = now
    elif rules.is_reopen(current.status, status):
        changes["resolved_at"] = None
        changes["closed_at"] = None
    if status == TicketStatus.IN_PROGRESS and current.first_response_at is None:
        changes["first_response_at"] = now
    changes.update(_sla_fields(ticket=current, now=now, new_status=status))
    if current.knowledge_article_id is not None:
        # The known-error article says whether the error is fixed (ADR 0039).
        if status == TicketStatus.RESOLVED:
            _article_fixed(actor, current, now)
        elif rules.is_reopen(current.status, status):
            _article_fixed(actor, current, None)
    return _save(actor, current, changes)


def _article_fixed(actor: Actor, problem: Ticket, at: dt.datetime | None) -> None:
    article = problem.knowledge_article
    if article is not None:
        knowledge.known_error_set_fixed(actor=actor, article=article, fixed_at=at)


def entry_add(
    *, actor: Actor, ticket: Ticket, kind: str, body: str, at: dt.datetime | None = None
) -> TicketEntry:
    """A reply or an internal note. Staff reply publicly or note internally; the requester (or
    an orderer who sees the ticket) replies publicly. A requester's reply to a ticket waiting
    for them starts the clock again. `at`: as for ticket_transition."""
    now = min(at, _now()) if at is not None else _now()
    text = body.strip()
    if kind not in EntryKind.values:
        raise ValidationFailed(fields={"kind": [_("Okänd typ av inlägg.")]})
    if not text:
        raise ValidationFailed(fields={"body": [_("Skriv något.")]})
    with transaction.atomic():
        current = _locked(actor, ticket)
        staff = selectors.may_work(actor, current)
        if kind == EntryKind.INTERNAL and not staff:
            raise Forbidden()
        if current.status == TicketStatus.CLOSED:
            raise ValidationFailed(
                fields={"body": [_("Ärendet är stängt. Registrera ett nytt ärende.")]}
            )
        entry = create_audited(
            actor=actor,
            instance=TicketEntry(ticket=current, kind=kind, author=_user(actor), body=text),
            scope_path=current.unit.path,
            exclude=["ticket", "author"],
        )
        if at is not None:
            TicketEntry.objects.filter(pk=entry.pk).update(created_at=now)
            entry.created_at = now
        changes: dict[str, Any] = {}
        if staff and kind == EntryKind.PUBLIC and current.first_response_at is None:
            changes["first_response_at"] = now
        if (
            not staff
            and current.status == TicketStatus.WAITING_REQUESTER
            and _user(actor) is not None
            and actor.pk == current.requester_id
        ):
            changes["status"] = TicketStatus.IN_PROGRESS
            changes.update(
                _sla_fields(ticket=current, now=now, new_status=TicketStatus.IN_PROGRESS)
            )
        if changes:
            _save(actor, current, changes)
        if staff and kind == EntryKind.PUBLIC and at is None:
            hooks.emit(hooks.PUBLIC_REPLY, ticket_id=current.pk, entry_id=entry.pk)
        return entry


def ticket_link(*, actor: Actor, ticket: Ticket, other: Ticket) -> Ticket:
    """Mark two tickets as related (both ways)."""
    with transaction.atomic():
        current = _locked_for_work(actor, ticket, None)
        other = selectors.ticket_get(actor=actor, pk=other.pk)
        if other.pk == current.pk:
            raise ValidationFailed(
                fields={"other": [_("Ett ärende kan inte relatera till sig självt.")]}
            )
        if current.related.filter(pk=other.pk).exists():
            return current
        before = {"related": sorted(current.related.values_list("pk", flat=True))}
        current.related.add(other)
        after = {"related": sorted(current.related.values_list("pk", flat=True))}
        audit.record(
            actor=actor,
            action="update",
            instance=current,
            before=before,
            after=after,
            scope_path=current.unit.path,
        )
        return current


def ticket_set_problem(
    *, actor: Actor, ticket: Ticket, expected_version: int | None, problem: Ticket | None
) -> Ticket:
    """Link an incident to the problem behind it (or remove the link with None)."""
    with transaction.atomic():
        current = _locked_for_work(actor, ticket, expected_version)
        if problem is not None:
            problem = selectors.ticket_get(actor=actor, pk=problem.pk)
            if problem.type != TicketType.PROBLEM:
                raise ValidationFailed(fields={"problem": [_("Välj ett ärende av typen problem.")]})
            if current.type != TicketType.INCIDENT:
                raise ValidationFailed(
                    fields={"problem": [_("Bara incidenter kopplas till ett problem.")]}
                )
        return _save(actor, current, {"problem": problem})


# --- problem management: root cause, workaround, known errors (docs/adr/0039) -----------------


def _locked_problem(actor: Actor, ticket: Ticket, expected_version: int | None) -> Ticket:
    """The problem locked for problem management: NotFound outside the actor's scope,
    Forbidden without the action, ValidationFailed for a ticket that is not a problem."""
    current = _locked(actor, ticket)
    if not selectors.may_manage_problem(actor, current):
        raise Forbidden()
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    if current.type != TicketType.PROBLEM:
        raise ValidationFailed(
            fields={
                "type": [
                    _(
                        "Bara ärenden av typen problem har grundorsak, tillfällig lösning "
                        "och kända fel."
                    )
                ]
            }
        )
    return current


def problem_record(
    *,
    actor: Actor,
    ticket: Ticket,
    expected_version: int | None,
    root_cause: str,
    workaround: str,
    is_known_error: bool,
) -> Ticket:
    """Record what is known of a problem: its root cause, its workaround, and whether it is a
    known error ("känt fel": analysed, with a root cause or a workaround, not yet fixed).

    A published known error follows: a changed workaround is published as the article's next
    version; taking the known-error mark away archives the article."""
    with transaction.atomic():
        current = _locked_problem(actor, ticket, expected_version)
        root_cause = root_cause.strip()
        workaround = workaround.strip()
        errors: dict[str, list[Any]] = {}
        if is_known_error and not (root_cause or workaround):
            errors["is_known_error"] = [
                _("Ett känt fel behöver en grundorsak eller en tillfällig lösning.")
            ]
        article = current.knowledge_article
        published = article is not None and article.status == ArticleStatus.PUBLISHED
        if is_known_error and published and not workaround:
            errors["workaround"] = [
                _(
                    "Felet är publicerat i kunskapsbanken och behöver sin tillfälliga lösning. "
                    "Ta bort markeringen som känt fel för att arkivera artikeln."
                )
            ]
        if errors:
            raise ValidationFailed(fields=errors)
        changes: dict[str, Any] = {"root_cause": root_cause, "workaround": workaround}
        if is_known_error and current.known_error_at is None:
            changes["known_error_at"] = _now()
        elif not is_known_error:
            changes["known_error_at"] = None
        changes = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if not changes:
            return current
        updated = _save(actor, current, changes)
        if article is not None and published:
            if not is_known_error:
                knowledge.article_archive(actor=actor, article=article, expected_version=None)
            elif "workaround" in changes:
                knowledge.known_error_publish(
                    actor=actor,
                    cooperation=updated.cooperation,
                    reference=updated.reference,
                    area=article.area,
                    title=article.title,
                    summary=article.summary,
                    body=workaround,
                    audience=article.audience,
                    article=article,
                )
        return updated


def known_error_publish(
    *,
    actor: Actor,
    ticket: Ticket,
    title: str = "",
    summary: str = "",
    audience: str = Audience.EVERYONE,
    area: Any = None,
) -> Ticket:
    """ "Publicera som känt fel": the problem's workaround as a knowledge-base article of the kind
    "Känt fel", naming the problem's reference; the ticket keeps the article. Publishing again
    updates the same article (a new version when the text changed, published again when it was
    archived). The ticket's lock makes a double submit publish once."""
    with transaction.atomic():
        current = _locked_problem(actor, ticket, None)
        errors: dict[str, list[Any]] = {}
        if current.known_error_at is None:
            errors["is_known_error"] = [_("Markera problemet som känt fel innan det publiceras.")]
        if not current.workaround.strip():
            errors["workaround"] = [_("Skriv den tillfälliga lösningen innan felet publiceras.")]
        if area is None and current.service_id is not None:
            area = current.service.area  # type: ignore[union-attr]
        if area is None:
            errors["area"] = [_("Välj tjänsteområde: problemet gäller ingen tjänst.")]
        elif area.cooperation_id != current.cooperation_id:
            errors["area"] = [_("Tjänsteområdet hör till en annan samverkan.")]
        title = title.strip() or current.title
        if errors:
            raise ValidationFailed(fields=errors)
        article = knowledge.known_error_publish(
            actor=actor,
            cooperation=current.cooperation,
            reference=current.reference,
            area=area,
            title=title,
            summary=summary,
            body=current.workaround,
            audience=audience,
            article=current.knowledge_article,
        )
        if current.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
            article = knowledge.known_error_set_fixed(
                actor=actor, article=article, fixed_at=current.resolved_at or _now()
            )
        if current.knowledge_article_id == article.pk:
            return current
        return _save(actor, current, {"knowledge_article": article})


# --- configuration --------------------------------------------------------------------------


def _require_manage(actor: Actor, cooperation: Cooperation) -> str:
    root = cooperation.root
    if root is None or not permissions.can(actor, actions.MANAGE, root):
        raise NotFound()
    return str(root.path)


def group_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    kind: str,
    team: OrgNode | None = None,
    lead: User | None = None,
    email: str = "",
) -> AssignmentGroup:
    scope = _require_manage(actor, cooperation)
    if kind not in GroupKind.values:
        raise ValidationFailed(fields={"kind": [_("Okänd grupptyp.")]})
    group = AssignmentGroup(
        cooperation=cooperation, name=name.strip(), kind=kind, team=team, lead=lead, email=email
    )
    return create_audited(actor=actor, instance=group, scope_path=scope)


def group_update(
    *, actor: Actor, group: AssignmentGroup, expected_version: int | None, **changes: Any
) -> AssignmentGroup:
    scope = _require_manage(actor, group.cooperation)
    allowed = {"name", "kind", "team", "lead", "email", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(fields={k: [_("Fältet kan inte ändras här.")] for k in unknown})
    return update_versioned(
        actor=actor,
        instance=group,
        expected_version=expected_version,
        changes=changes,
        scope_path=scope,
    )


def group_add_members(
    *, actor: Actor, group: AssignmentGroup, users: Iterable[User]
) -> list[GroupMember]:
    scope = _require_manage(actor, group.cooperation)
    added = []
    with transaction.atomic():
        for user in users:
            if GroupMember.objects.filter(group=group, user=user).exists():
                continue
            added.append(
                create_audited(
                    actor=actor, instance=GroupMember(group=group, user=user), scope_path=scope
                )
            )
    return added


def matrix_set(
    *, actor: Actor, cooperation: Cooperation, impact: str, urgency: str, priority: str
) -> PriorityRule:
    """Set one cell of the cooperation's priority matrix (applies to tickets from now on)."""
    scope = _require_manage(actor, cooperation)
    errors = _check_choices({"impact": impact, "urgency": urgency})
    if priority not in rules.PRIORITIES:
        errors["priority"] = [_("Ogiltig prioritet.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        existing = PriorityRule.objects.filter(
            cooperation=cooperation, impact=impact, urgency=urgency
        ).first()
        if existing is None:
            return create_audited(
                actor=actor,
                instance=PriorityRule(
                    cooperation=cooperation, impact=impact, urgency=urgency, priority=priority
                ),
                scope_path=scope,
            )
        return update_versioned(
            actor=actor,
            instance=existing,
            expected_version=None,
            changes={"priority": priority},
            scope_path=scope,
        )


def matrix_cell_set(
    *,
    actor: Actor,
    cooperation: Cooperation,
    impact: str,
    urgency: str,
    priority: str,
    expected_version: int | None,
) -> PriorityRule:
    """Set one cell of the matrix if nobody changed it since `expected_version` (0: the cell
    still has its default value, no row of its own)."""
    _require_manage(actor, cooperation)
    with transaction.atomic():
        # The same lock as matrix_set_all: one save of the matrix at a time.
        Cooperation.objects.select_for_update().filter(pk=cooperation.pk).first()
        existing = PriorityRule.objects.filter(
            cooperation=cooperation, impact=impact, urgency=urgency
        ).first()
        if expected_version is not None and (existing.version if existing else 0) != (
            expected_version
        ):
            raise Conflict()
        return matrix_set(
            actor=actor, cooperation=cooperation, impact=impact, urgency=urgency, priority=priority
        )


def _check_week(week: Any) -> dict[str, list[Any]]:
    from .calendars import parse_hours

    if not isinstance(week, list) or len(week) != 7:
        return {"week": [_("Ange öppettider för alla sju veckodagar.")]}
    try:
        for day in week:
            parse_hours(day)
    except (ValueError, TypeError):
        return {"week": [_("Öppettiderna ska vara HH:MM–HH:MM, öppning före stängning.")]}
    return {}


def calendar_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    week: list[list[list[str]]],
    timezone_name: str = "Europe/Stockholm",
    swedish_holidays: bool = True,
    eves: Iterable[str] = (),
) -> BusinessCalendar:
    scope = _require_manage(actor, cooperation)
    errors = _check_week(week)
    if errors:
        raise ValidationFailed(fields=errors)
    calendar = BusinessCalendar(
        cooperation=cooperation,
        name=name.strip(),
        timezone=timezone_name,
        week=week,
        swedish_holidays=swedish_holidays,
        eves=list(eves),
    )
    return create_audited(actor=actor, instance=calendar, scope_path=scope)


def calendar_set_day(
    *,
    actor: Actor,
    calendar: BusinessCalendar,
    date: dt.date,
    hours: list[list[str]],
    note: str = "",
) -> CalendarDay:
    """An extra closed day (no hours) or a shortened day. Due times already stored are not
    moved; the next recalculation of each ticket uses the new day."""
    scope = _require_manage(actor, calendar.cooperation)
    from .calendars import parse_hours

    try:
        parse_hours(hours)
    except (ValueError, TypeError):
        raise ValidationFailed(
            fields={"hours": [_("Öppettiderna ska vara HH:MM–HH:MM, öppning före stängning.")]}
        ) from None
    with transaction.atomic():
        existing = CalendarDay.objects.filter(calendar=calendar, date=date).first()
        if existing is None:
            day = create_audited(
                actor=actor,
                instance=CalendarDay(calendar=calendar, date=date, hours=hours, note=note),
                scope_path=scope,
            )
        else:
            day = update_audited(
                actor=actor,
                instance=existing,
                changes={"hours": hours, "note": note},
                scope_path=scope,
            )
        BusinessCalendar.objects.filter(pk=calendar.pk).update(version=F("version") + 1)
        return day


def policy_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    priority: str,
    response_minutes: int,
    resolution_minutes: int,
    calendar: BusinessCalendar,
    service_tier: str = "",
) -> SlaPolicy:
    scope = _require_manage(actor, cooperation)
    if calendar.cooperation_id != cooperation.pk:
        raise ValidationFailed(fields={"calendar": [_("Kalendern hör till en annan samverkan.")]})
    policy = SlaPolicy(
        cooperation=cooperation,
        name=name.strip(),
        priority=priority,
        service_tier=service_tier,
        response_minutes=response_minutes,
        resolution_minutes=resolution_minutes,
        calendar=calendar,
    )
    return create_audited(actor=actor, instance=policy, scope_path=scope)


def vip_add(*, actor: Actor, cooperation: Cooperation, user: User, reason: str = "") -> VipPerson:
    """Put a person on the VIP list (their new tickets are raised one step)."""
    scope = _require_manage(actor, cooperation)
    with transaction.atomic():
        existing = VipPerson.objects.filter(cooperation=cooperation, user=user).first()
        if existing is not None:
            return update_audited(
                actor=actor,
                instance=existing,
                changes={"is_active": True, "reason": reason},
                scope_path=scope,
            )
        return create_audited(
            actor=actor,
            instance=VipPerson(cooperation=cooperation, user=user, reason=reason),
            scope_path=scope,
        )


def vip_remove(*, actor: Actor, vip: VipPerson) -> VipPerson:
    scope = _require_manage(actor, vip.cooperation)
    return update_audited(actor=actor, instance=vip, changes={"is_active": False}, scope_path=scope)


# --- SLA warnings (the worker) ------------------------------------------------------------------


def warn_thresholds() -> tuple[int, ...]:
    """The percentages of a target at which to warn: the configured one (75) and the breach."""
    early = int(getattr(settings, "ITFABRIK_SERVICEDESK_WARN_AT", 75))
    return tuple(sorted({early, 100}))


def sla_sweep(*, now: dt.datetime | None = None) -> int:
    """Warn once per ticket, clock and threshold: record the warning (audited) and mail the
    assignee and the group's team lead after commit. Running it again sends nothing twice.
    Returns the number of warnings recorded."""
    from .choices import OPEN_STATUSES, SlaClock

    now = now or _now()
    thresholds = warn_thresholds()
    sent = 0
    rule_specs: dict[int, list[rules.EscalationSpec]] = {}
    candidates = (
        Ticket.objects.filter(status__in=OPEN_STATUSES, policy__isnull=False)
        .exclude(clock_started_at__isnull=True, first_response_at__isnull=False)
        .select_related("policy", "policy__calendar", "assignee", "group__lead", "unit")
        .prefetch_related("policy__calendar__days", "sla_warnings", "escalations")
        .order_by("pk")
    )
    for ticket in candidates.iterator(chunk_size=200):
        policy = ticket.policy
        assert policy is not None
        done = {(w.clock, w.threshold) for w in ticket.sla_warnings.all()}
        checks: list[tuple[str, dt.timedelta, dt.timedelta, dt.datetime | None]] = []
        if ticket.first_response_at is None:
            checks.append(
                (
                    SlaClock.RESPONSE,
                    response_elapsed(ticket, now),
                    policy.response_target,
                    ticket.response_due,
                )
            )
        if ticket.clock_started_at is not None:
            checks.append(
                (
                    SlaClock.RESOLUTION,
                    sla_elapsed(ticket, now),
                    policy.resolution_target,
                    ticket.resolution_due,
                )
            )
        triggers: list[str] = []
        for which, used, target, due in checks:
            share = rules.used_share(used, target)
            for threshold in rules.thresholds_reached(share, thresholds):
                if due is None:
                    continue
                trigger = rules.sla_trigger(which, threshold)
                if trigger is not None and trigger not in triggers:
                    triggers.append(trigger)
                if (which, threshold) in done:
                    continue
                if _warn(ticket=ticket, clock_name=which, threshold=threshold, due=due):
                    sent += 1
        escalated = {e.trigger for e in ticket.escalations.all()}
        specs = rule_specs.get(ticket.cooperation_id)
        if specs is None:
            specs = rule_specs[ticket.cooperation_id] = selectors.escalation_spec_list(
                cooperation_id=ticket.cooperation_id
            )
        for trigger in triggers:
            if trigger in escalated:
                continue
            plan = rules.escalation_plan(
                specs, trigger=trigger, priority=ticket.priority, group_id=ticket.group_id
            )
            if plan.changes_ticket:
                escalate(ticket_id=ticket.pk, trigger=trigger, specs=specs, now=now)
    return sent + nis2_sweep(now=now)


# --- escalation (the sweep, by the cooperation's rules) -----------------------------------------


def escalate(
    *, ticket_id: int, trigger: str, specs: list[rules.EscalationSpec], now: dt.datetime
) -> Escalation | None:
    """Apply the rules matching `trigger` to the ticket, once: the `Escalation` row's unique
    constraint refuses a second one (a rerun, or two sweeps at once), and then nothing changes.
    The change of priority or group goes through the ticket's versioned, audited update; an
    internal note writes the escalation into the ticket's history."""
    from django.utils import translation

    # The note is written once, in the service desk's language, whatever the worker's locale.
    with translation.override(settings.LANGUAGE_CODE):
        return _escalate(ticket_id=ticket_id, trigger=trigger, specs=specs, now=now)


def _escalate(
    *, ticket_id: int, trigger: str, specs: list[rules.EscalationSpec], now: dt.datetime
) -> Escalation | None:
    from itfabrik.core.actors import SYSTEM

    from .choices import OPEN_STATUSES

    with transaction.atomic():
        current = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("policy__calendar", "unit", "service", "assignee", "group__lead")
            .filter(pk=ticket_id, status__in=OPEN_STATUSES)
            .first()
        )
        if current is None:
            return None
        plan = rules.escalation_plan(
            specs, trigger=trigger, priority=current.priority, group_id=current.group_id
        )
        if not plan.changes_ticket:
            return None
        new_group = None
        if plan.group_id != current.group_id and plan.group_id is not None:
            new_group = (
                AssignmentGroup.objects.select_related("lead")
                .filter(pk=plan.group_id, cooperation_id=current.cooperation_id, is_active=True)
                .first()
            )
        recipients = sorted(
            {
                u.email
                for u in (
                    current.assignee,
                    current.group.lead if current.group else None,
                    new_group.lead if new_group else None,
                )
                if plan.notify and u is not None and u.email
            }
        )
        actions_done: dict[str, Any] = {"notified": recipients}
        try:
            with transaction.atomic():
                row = Escalation.objects.create(
                    ticket=current, trigger=trigger, rule_ids=list(plan.rule_ids), actions={}
                )
        except IntegrityError:
            return None  # escalated already (another sweep got there first)
        changes: dict[str, Any] = {}
        lines = [
            str(
                lazy_format(
                    _("Eskalerat automatiskt: %(trigger)s."),
                    trigger=EscalationTrigger(trigger).label,
                )
            )
        ]
        if plan.priority != current.priority:
            changes["priority"] = plan.priority
            changes.update(
                _sla_fields(
                    ticket=current,
                    now=now,
                    priority=plan.priority,
                    tier=current.service.tier if current.service is not None else None,
                    recompute_policy=True,
                )
            )
            actions_done["priority"] = [current.priority, plan.priority]
            lines.append(
                str(
                    lazy_format(
                        _("Prioriteten höjdes från %(old)s till %(new)s."),
                        old=current.priority,
                        new=plan.priority,
                    )
                )
            )
        if new_group is not None:
            changes["group"] = new_group
            changes["assignee"] = None
            if current.status == TicketStatus.ASSIGNED:
                changes["status"] = TicketStatus.NEW
            actions_done["group"] = [current.group_id, new_group.pk]
            lines.append(str(lazy_format(_("Flyttat till gruppen %(group)s."), group=new_group)))
        if recipients:
            lines.append(str(lazy_format(_("Meddelat: %(who)s."), who=", ".join(recipients))))
        row.actions = actions_done
        row.save(update_fields=["actions"])
        audit.record_created(actor=SYSTEM, instance=row, scope_path=current.unit.path)
        if changes:
            _save(SYSTEM, current, changes)
        create_audited(
            actor=SYSTEM,
            instance=TicketEntry(ticket=current, kind=EntryKind.INTERNAL, body="\n".join(lines)),
            scope_path=current.unit.path,
            exclude=["ticket", "author"],
        )
        if recipients:
            transaction.on_commit(lambda: _mail_escalation(row.pk))
        return row


def _mail_escalation(escalation_id: int) -> None:
    from django.core.mail import send_mail
    from django.utils import translation

    row = Escalation.objects.select_related("ticket").get(pk=escalation_id)
    ticket = row.ticket
    with translation.override(settings.LANGUAGE_CODE):
        label = str(EscalationTrigger(row.trigger).label)
        subject = f"[{ticket.reference}] Eskalerat: {label}"
        body = f"{ticket.reference} {ticket.title}\nPrioritet {ticket.priority}\n"
    send_mail(
        subject=subject,
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=list(row.actions.get("notified", [])),
    )


def _check_escalation(cooperation: Cooperation, values: dict[str, Any]) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if "name" in values and not str(values["name"]).strip():
        errors["name"] = [_("Ange ett namn.")]
    if "trigger" in values and values["trigger"] not in EscalationTrigger.values:
        errors["trigger"] = [_("Okänd tidpunkt för eskalering.")]
    if "priorities" in values and not set(values["priorities"]) <= set(rules.PRIORITIES):
        errors["priorities"] = [_("Ogiltig prioritet.")]
    if values.get("group_ids"):
        known = set(
            AssignmentGroup.objects.filter(
                cooperation=cooperation, pk__in=values["group_ids"]
            ).values_list("pk", flat=True)
        )
        if known != set(values["group_ids"]):
            errors["group_ids"] = [_("Gruppen hör till en annan samverkan.")]
    target = values.get("reassign_to")
    if target is not None and target.cooperation_id != cooperation.pk:
        errors["reassign_to"] = [_("Gruppen hör till en annan samverkan.")]
    return errors


ESCALATION_FIELDS = {
    "name",
    "trigger",
    "priorities",
    "group_ids",
    "notify",
    "raise_priority",
    "reassign_to",
    "is_active",
}


def escalation_rule_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    trigger: str,
    priorities: Iterable[str] = (),
    group_ids: Iterable[int] = (),
    notify: bool = True,
    raise_priority: bool = False,
    reassign_to: AssignmentGroup | None = None,
) -> EscalationRule:
    scope = _require_manage(actor, cooperation)
    values: dict[str, Any] = {
        "name": name.strip(),
        "trigger": trigger,
        "priorities": sorted(set(priorities)),
        "group_ids": sorted(set(group_ids)),
        "notify": notify,
        "raise_priority": raise_priority,
        "reassign_to": reassign_to,
    }
    errors = _check_escalation(cooperation, values)
    if not (notify or raise_priority or reassign_to is not None):
        errors["notify"] = [_("Välj minst en åtgärd.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return create_audited(
        actor=actor, instance=EscalationRule(cooperation=cooperation, **values), scope_path=scope
    )


def escalation_rule_update(
    *, actor: Actor, rule: EscalationRule, expected_version: int | None, **changes: Any
) -> EscalationRule:
    """Correct a rule, or end it (`is_active=False`). Escalations already done stay."""
    scope = _require_manage(actor, rule.cooperation)
    unknown = set(changes) - ESCALATION_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: [_("Fältet kan inte ändras här.")] for k in unknown})
    for key in ("priorities", "group_ids"):
        if key in changes:
            changes[key] = sorted(set(changes[key]))
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    errors = _check_escalation(rule.cooperation, changes)
    merged = {k: changes.get(k, getattr(rule, k)) for k in ("notify", "raise_priority")}
    target = changes.get("reassign_to", rule.reassign_to)
    if not (merged["notify"] or merged["raise_priority"] or target is not None):
        errors["notify"] = [_("Välj minst en åtgärd.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return update_versioned(
        actor=actor,
        instance=rule,
        expected_version=expected_version,
        changes=changes,
        scope_path=scope,
    )


def _warn(*, ticket: Ticket, clock_name: str, threshold: int, due: dt.datetime) -> bool:
    from itfabrik.core.actors import SYSTEM

    from .models import SlaWarning

    recipients = sorted(
        {
            u.email
            for u in (ticket.assignee, ticket.group.lead if ticket.group else None)
            if u is not None and u.email
        }
    )
    try:
        with transaction.atomic():
            warning = SlaWarning.objects.create(
                ticket=ticket, clock=clock_name, threshold=threshold, due=due, recipients=recipients
            )
            audit.record_created(actor=SYSTEM, instance=warning, scope_path=ticket.unit.path)
    except IntegrityError:
        return False  # another sweep recorded it first
    if recipients:
        transaction.on_commit(lambda: _mail_warning(warning.pk))
    return True


def _mail_warning(warning_id: int) -> None:
    from django.core.mail import send_mail
    from django.utils import translation

    from .models import SlaWarning

    warning = SlaWarning.objects.select_related("ticket").get(pk=warning_id)
    ticket = warning.ticket
    with translation.override(settings.LANGUAGE_CODE):
        clock_label = str(dict(SlaWarning._meta.get_field("clock").flatchoices)[warning.clock])
        when = timezone.localtime(warning.due).strftime("%Y-%m-%d %H:%M")
        if warning.threshold >= 100:
            subject = f"[{ticket.reference}] SLA bruten: {clock_label}"
            lead = f"Tiden för {clock_label.lower()} gick ut {when}."
        else:
            subject = f"[{ticket.reference}] {warning.threshold} % av SLA-tiden använd"
            lead = f"{clock_label} ska ske senast {when}."
    send_mail(
        subject=subject,
        message=f"{lead}\n\n{ticket.reference} {ticket.title}\nPrioritet {ticket.priority}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=list(warning.recipients),
    )


# --- NIS2 ---------------------------------------------------------------------------------------

_NIS2_FIELD = {
    "early_warning": "nis2_early_warning_at",
    "notification": "nis2_notification_at",
    "final_report": "nis2_final_report_at",
}


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # "One month" is a wall-clock month in Swedish time, so the deadlines start from local time.
    return None if moment is None else timezone.localtime(moment)


def _nis2_done(ticket: Ticket, **override: Any) -> dict[str, Any]:
    return {
        step: override.get(field, getattr(ticket, field)) for step, field in _NIS2_FIELD.items()
    }


def nis2_mark(
    *,
    actor: Actor,
    ticket: Ticket,
    expected_version: int | None,
    aware_at: dt.datetime | None,
) -> Ticket:
    """Mark an incident significant under NIS2 from the moment the organisation became aware
    (or correct that moment); None removes the mark (a mistaken marking). The 24-hour, 72-hour
    and one-month deadlines run in calendar time from `aware_at`."""
    now = _now()
    with transaction.atomic():
        current = _locked_for_work(actor, ticket, expected_version)
        if current.type != TicketType.INCIDENT:
            raise ValidationFailed(
                fields={"aware_at": [_("Bara incidenter kan vara betydande enligt NIS2.")]}
            )
        if aware_at is not None and aware_at > now + CLOCK_SKEW:
            raise ValidationFailed(
                fields={"aware_at": [_("Tidpunkten kan inte ligga i framtiden.")]}
            )
        if aware_at is not None and aware_at < current.reported_at - dt.timedelta(days=31):
            raise ValidationFailed(
                fields={"aware_at": [_("Tidpunkten ligger långt före anmälan. Kontrollera den.")]}
            )
        changes: dict[str, Any] = {"nis2_aware_at": aware_at}
        if aware_at is None:
            changes.update({f: None for f in _NIS2_FIELD.values()})
        changes["nis2_next_due"] = rules.nis2_next_due(
            _local(aware_at), _nis2_done(current, **changes)
        )
        return _save(actor, current, changes)


def nis2_record(
    *,
    actor: Actor,
    ticket: Ticket,
    expected_version: int | None,
    step: str,
    at: dt.datetime | None,
) -> Ticket:
    """Record that a NIS2 report was submitted at `at` (None: not submitted after all)."""
    now = _now()
    if step not in _NIS2_FIELD:
        raise ValidationFailed(fields={"step": [_("Okänd NIS2-rapport.")]})
    with transaction.atomic():
        current = _locked_for_work(actor, ticket, expected_version)
        if current.nis2_aware_at is None:
            raise ValidationFailed(
                fields={"step": [_("Markera först incidenten som betydande enligt NIS2.")]}
            )
        if at is not None and at > now + CLOCK_SKEW:
            raise ValidationFailed(fields={"at": [_("Tidpunkten kan inte ligga i framtiden.")]})
        if at is not None and at < current.nis2_aware_at:
            raise ValidationFailed(
                fields={"at": [_("Rapporten kan inte vara lämnad innan incidenten var känd.")]}
            )
        field = _NIS2_FIELD[step]
        changes: dict[str, Any] = {field: at}
        changes["nis2_next_due"] = rules.nis2_next_due(
            _local(current.nis2_aware_at), _nis2_done(current, **changes)
        )
        return _save(actor, current, changes)


def nis2_warn_before() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "ITFABRIK_SERVICEDESK_NIS2_WARN_HOURS", 6)))


_NIS2_CLOCK = {
    "early_warning": "nis2_24h",
    "notification": "nis2_72h",
    "final_report": "nis2_final",
}


def nis2_sweep(*, now: dt.datetime | None = None) -> int:
    """Warn once per ticket, report and threshold when a NIS2 deadline is near (75) or passed
    (100): the same SlaWarning rows and mails as the SLA clock."""
    now = now or _now()
    horizon = now + nis2_warn_before()
    sent = 0
    candidates = (
        Ticket.objects.filter(nis2_next_due__isnull=False, nis2_next_due__lte=horizon)
        .select_related("assignee", "group__lead", "unit")
        .prefetch_related("sla_warnings")
        .order_by("pk")
    )
    for ticket in candidates.iterator(chunk_size=200):
        assert ticket.nis2_aware_at is not None
        done = {(w.clock, w.threshold) for w in ticket.sla_warnings.all()}
        for step, due in rules.nis2_deadlines(timezone.localtime(ticket.nis2_aware_at)).items():
            if getattr(ticket, _NIS2_FIELD[step]) is not None:
                continue
            threshold = rules.nis2_warn_due(due, now, nis2_warn_before())
            if threshold is None or (_NIS2_CLOCK[step], threshold) in done:
                continue
            if _warn(ticket=ticket, clock_name=_NIS2_CLOCK[step], threshold=threshold, due=due):
                sent += 1
    return sent


# --- attachments --------------------------------------------------------------------------------


def attachment_max_bytes() -> int:
    return int(getattr(settings, "ITFABRIK_SERVICEDESK_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def attachment_types() -> frozenset[str]:
    from .sniff import ALLOWED

    return frozenset(getattr(settings, "ITFABRIK_SERVICEDESK_ATTACHMENT_TYPES", ALLOWED))


def attachment_add(
    *,
    actor: Actor,
    ticket: Ticket,
    upload: Any,
    internal: bool = False,
    entry: TicketEntry | None = None,
) -> Any:
    """Attach a file (a Django UploadedFile). Its size is checked against the limit and its
    content (not its name) against the accepted kinds; a refused file stores nothing."""
    from django.core.files.base import ContentFile

    from .models import TicketAttachment
    from .sniff import sniff

    limit = attachment_max_bytes()
    name = str(getattr(upload, "name", "") or "fil").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if upload is None or not getattr(upload, "size", 0):
        raise ValidationFailed(fields={"file": [_("Välj en fil.")]})
    if upload.size > limit:
        raise ValidationFailed(
            fields={
                "file": [
                    lazy_format(
                        _("Filen är för stor: högst %(limit)s MB."),
                        limit=f"{limit / (1024 * 1024):g}",
                    )
                ]
            }
        )
    data = upload.read(limit + 1)
    kind = sniff(data)
    if kind is None or kind not in attachment_types():
        raise ValidationFailed(
            fields={
                "file": [
                    _(
                        "Filtypen tas inte emot. Tillåtna är bilder (PNG, JPEG, GIF, WebP), "
                        "PDF, Office- och OpenDocument-dokument och vanlig text."
                    )
                ]
            }
        )
    with transaction.atomic():
        current = _locked(actor, ticket)
        staff = selectors.may_work(actor, current)
        if internal and not staff:
            raise Forbidden()
        if current.status == TicketStatus.CLOSED:
            raise ValidationFailed(
                fields={"file": [_("Ärendet är stängt. Registrera ett nytt ärende.")]}
            )
        if entry is not None and entry.ticket_id != current.pk:
            raise ValidationFailed(fields={"entry": [_("Inlägget hör till ett annat ärende.")]})
        from django.core.files.storage import default_storage

        from .models import attachment_path

        stored = default_storage.save(attachment_path(), ContentFile(data))
        try:
            return create_audited(
                actor=actor,
                instance=TicketAttachment(
                    ticket=current,
                    entry=entry,
                    internal=internal,
                    path=stored,
                    name=name,
                    content_type=kind,
                    size=len(data),
                    uploaded_by=_user(actor),
                ),
                scope_path=current.unit.path,
                exclude=["ticket", "entry", "uploaded_by"],
            )
        except BaseException:
            default_storage.delete(stored)
            raise


def attachment_remove(*, actor: Actor, attachment: Any) -> Any:
    """Hide an attachment added by mistake (staff); the file stays for the record."""
    with transaction.atomic():
        current = _locked_for_work(actor, attachment.ticket, None)
        return update_audited(
            actor=actor,
            instance=attachment,
            changes={"is_active": False},
            scope_path=current.unit.path,
        )


# --- bulk actions -------------------------------------------------------------------------------


BULK_ACTIONS = ("assign", "status")


def ticket_bulk(
    *,
    actor: Actor,
    ticket_ids: Iterable[int],
    action: str,
    group: AssignmentGroup | None = None,
    assignee: User | None = None,
    status: str = "",
) -> tuple[list[Ticket], dict[int, str]]:
    """Assign or move many tickets at once, each through its own service (audited per ticket),
    all or nothing: when any ticket is refused nothing is changed and the refusals are returned
    (ticket id → reason); else the changed tickets and an empty dict."""
    ids = sorted({int(i) for i in ticket_ids})
    if not ids:
        raise ValidationFailed(fields={"tickets": [_("Välj minst ett ärende.")]})
    if len(ids) > 200:
        raise ValidationFailed(fields={"tickets": [_("Högst 200 ärenden åt gången.")]})
    if action not in BULK_ACTIONS:
        raise ValidationFailed(fields={"action": [_("Okänd åtgärd.")]})
    if action == "status" and status not in TicketStatus.values:
        raise ValidationFailed(fields={"status": [_("Välj en status.")]})
    refused: dict[int, str] = {}
    done: list[Ticket] = []
    visible = {t.pk: t for t in selectors.ticket_list(actor=actor).filter(pk__in=ids)}
    try:
        with transaction.atomic():
            for pk in ids:
                ticket = visible.get(pk)
                if ticket is None:
                    refused[pk] = str(_("Ärendet finns inte."))
                    continue
                try:
                    with transaction.atomic():
                        if action == "assign":
                            done.append(
                                ticket_assign(
                                    actor=actor,
                                    ticket=ticket,
                                    expected_version=None,
                                    group=group,
                                    assignee=assignee,
                                )
                            )
                        else:
                            done.append(
                                ticket_transition(
                                    actor=actor,
                                    ticket=ticket,
                                    expected_version=None,
                                    status=status,
                                )
                            )
                except ApplicationError as exc:
                    refused[pk] = _reason(exc)
            if refused:
                raise _RollBack()
    except _RollBack:
        return [], refused
    return done, {}


class _RollBack(Exception):
    pass


def _reason(exc: ApplicationError) -> str:
    texts = [str(m) for msgs in (exc.fields or {}).values() for m in msgs]
    return "; ".join(texts) or str(exc.message)


# --- saved views --------------------------------------------------------------------------------

VIEW_FILTER_KEYS = ("group", "status", "priority", "q", "nis2")


def _clean_view_filters(filters: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in filters.items() if k in VIEW_FILTER_KEYS and v not in ("", None)}


def view_save(
    *,
    actor: Actor,
    name: str,
    filters: dict[str, Any],
    shared_with: AssignmentGroup | None = None,
) -> Any:
    """Save the queue's current filters under a name, optionally shared with one's group."""
    from .models import SavedView

    user = _user(actor)
    if user is None or not selectors.is_agent(actor):
        raise Forbidden()
    errors: dict[str, list[Any]] = {}
    if not name.strip():
        errors["name"] = [_("Ange ett namn.")]
    if (
        shared_with is not None
        and not selectors.my_group_list(actor=actor).filter(pk=shared_with.pk).exists()
    ):
        errors["shared_with"] = [_("Du kan bara dela med en grupp du är med i.")]
    if errors:
        raise ValidationFailed(fields=errors)
    view = SavedView(
        owner=user, name=name.strip(), filters=_clean_view_filters(filters), shared_with=shared_with
    )
    return create_audited(
        actor=actor, instance=view, scope_path="", exclude=["owner", "shared_with"]
    )


def view_close(*, actor: Actor, view: Any, expected_version: int | None) -> Any:
    """Remove a saved view from the lists (only its owner)."""
    if view.owner_id != getattr(actor, "pk", None):
        raise NotFound()
    return update_versioned(
        actor=actor,
        instance=view,
        expected_version=expected_version,
        changes={"is_active": False},
        scope_path="",
    )


# --- configuration: more management -------------------------------------------------------------


def group_remove_member(*, actor: Actor, group: AssignmentGroup, user: User) -> None:
    """Take a person out of a group (the membership row goes; the audit row keeps it)."""
    scope = _require_manage(actor, group.cooperation)
    with transaction.atomic():
        member = GroupMember.objects.select_for_update().filter(group=group, user=user).first()
        if member is None:
            raise NotFound()
        audit.record(
            actor=actor,
            action="delete",
            instance=member,
            before=audit.snapshot(member),
            after=None,
            scope_path=scope,
        )
        member.delete()


def matrix_fingerprint(cooperation_id: int) -> str:
    """The matrix's state as a short string, for optimistic concurrency on the whole table."""
    import hashlib

    rows = sorted(
        PriorityRule.objects.filter(cooperation_id=cooperation_id).values_list(
            "impact", "urgency", "priority", "version"
        )
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def matrix_set_all(
    *,
    actor: Actor,
    cooperation: Cooperation,
    cells: dict[tuple[str, str], str],
    expected: str | None,
) -> dict[tuple[str, str], str]:
    """Save the whole 3×3 matrix at once (each changed cell audited); refused as a whole when
    someone else changed it since `expected` (the fingerprint shown with the form)."""
    _require_manage(actor, cooperation)
    errors: dict[str, list[Any]] = {}
    for (impact, urgency), priority in cells.items():
        if impact not in Level.values or urgency not in Level.values:
            errors["matrix"] = [_("Okänd påverkan eller brådska.")]
        if priority not in rules.PRIORITIES:
            errors[f"{impact}_{urgency}"] = [_("Ogiltig prioritet.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        # Lock the cooperation row so two saves of the matrix run one after the other.
        Cooperation.objects.select_for_update().filter(pk=cooperation.pk).first()
        if expected is not None and matrix_fingerprint(cooperation.pk) != expected:
            raise Conflict()
        current = selectors.matrix_get(cooperation.pk)
        for (impact, urgency), priority in sorted(cells.items()):
            if current.get((impact, urgency), rules.priority_for(impact, urgency)) != priority:
                matrix_set(
                    actor=actor,
                    cooperation=cooperation,
                    impact=impact,
                    urgency=urgency,
                    priority=priority,
                )
        return selectors.matrix_get(cooperation.pk)


def calendar_update(
    *, actor: Actor, calendar: BusinessCalendar, expected_version: int | None, **changes: Any
) -> BusinessCalendar:
    """Correct a calendar's name, week, holidays and eves, or retire it (is_active=False)."""
    scope = _require_manage(actor, calendar.cooperation)
    from .calendars import EVES

    allowed = {"name", "week", "swedish_holidays", "eves", "is_active", "timezone"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(fields={k: [_("Fältet kan inte ändras här.")] for k in unknown})
    errors: dict[str, list[Any]] = {}
    if "week" in changes:
        errors.update(_check_week(changes["week"]))
    if "eves" in changes and not set(changes["eves"]) <= set(EVES):
        errors["eves"] = [_("Okänd afton.")]
    if "name" in changes and not str(changes["name"]).strip():
        errors["name"] = [_("Ange ett namn.")]
    if (
        changes.get("is_active") is False
        and SlaPolicy.objects.filter(calendar=calendar, is_active=True).exists()
    ):
        errors["is_active"] = [_("Kalendern används av en aktiv SLA-policy.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return update_versioned(
        actor=actor,
        instance=calendar,
        expected_version=expected_version,
        changes=changes,
        scope_path=scope,
    )


def calendar_clear_day(*, actor: Actor, calendar: BusinessCalendar, date: dt.date) -> None:
    """Remove an extra closed or shortened day (a mistake): the week's hours apply again."""
    scope = _require_manage(actor, calendar.cooperation)
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(calendar=calendar, date=date).first()
        if day is None:
            raise NotFound()
        audit.record(
            actor=actor,
            action="delete",
            instance=day,
            before=audit.snapshot(day),
            after=None,
            scope_path=scope,
        )
        day.delete()
        BusinessCalendar.objects.filter(pk=calendar.pk).update(version=F("version") + 1)


def policy_update(
    *, actor: Actor, policy: SlaPolicy, expected_version: int | None, **changes: Any
) -> tuple[SlaPolicy, Any]:
    """Change a policy's targets or calendar (or retire it). Open tickets under it get new due
    times in a worker job (returned), each ticket's recalculation audited, keeping the business
    time already used and the time paused."""
    from .models import RecomputeJob
    from .tasks import recompute_policy_tickets

    scope = _require_manage(actor, policy.cooperation)
    allowed = {"name", "response_minutes", "resolution_minutes", "calendar", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(fields={k: [_("Fältet kan inte ändras här.")] for k in unknown})
    errors: dict[str, list[Any]] = {}
    calendar = changes.get("calendar")
    if calendar is not None and calendar.cooperation_id != policy.cooperation_id:
        errors["calendar"] = [_("Kalendern hör till en annan samverkan.")]
    for key in ("response_minutes", "resolution_minutes"):
        if key in changes and (not isinstance(changes[key], int) or changes[key] < 1):
            errors[key] = [_("Ange ett antal minuter, minst 1.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        old_calendar_id = SlaPolicy.objects.filter(pk=policy.pk).values_list(
            "calendar_id", flat=True
        )[0]
        updated = update_versioned(
            actor=actor,
            instance=policy,
            expected_version=expected_version,
            changes=changes,
            scope_path=scope,
        )
        clock_changed = {"response_minutes", "resolution_minutes", "calendar"} & set(changes)
        job = None
        if clock_changed:
            job = RecomputeJob.objects.create(
                policy=updated,
                started_by=_user(actor),
                # Only a change of calendar needs the time before the edit measured on the old.
                old_calendar_id=(
                    old_calendar_id if old_calendar_id != updated.calendar_id else None
                ),
                edited_at=_now(),
            )
            audit.record_created(actor=actor, instance=job, scope_path=scope)
            job_id = job.pk
            transaction.on_commit(lambda: recompute_policy_tickets.enqueue(job_id))
        return updated, job


def recompute_job_run(*, job_id: int) -> int:
    """The worker's part of a policy change: every open ticket under the policy recomputed (its
    running period first folded under the calendar in force until the edit), one audited
    versioned update per ticket. Progress is stored as it goes. Idempotent: a ticket already
    recomputed gets the same values and no new audit row."""
    from itfabrik.core.actors import SYSTEM

    from .choices import OPEN_STATUSES, JobStatus
    from .models import RecomputeJob

    job = RecomputeJob.objects.select_related("policy", "old_calendar").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job.changed
    ids = list(
        Ticket.objects.filter(policy_id=job.policy_id, status__in=OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    RecomputeJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, total=len(ids), done=0, changed=0
    )
    changed = 0
    try:
        for n, pk in enumerate(ids, start=1):
            if _recompute_one(pk, job, SYSTEM):
                changed += 1
            if n % 20 == 0 or n == len(ids):
                RecomputeJob.objects.filter(pk=job.pk).update(done=n, changed=changed)
    except Exception:
        RecomputeJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
        raise
    RecomputeJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, done=len(ids), changed=changed, finished_at=_now()
    )
    return changed


def _recompute_one(pk: int, job: Any, actor: Actor) -> bool:
    now = _now()
    with transaction.atomic():
        current = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("policy__calendar", "unit")
            .filter(pk=pk, policy_id=job.policy_id)
            .first()
        )
        if current is None or current.status not in rules.OPEN:
            return False
        state = _state(current)
        edited_at = job.edited_at
        if (
            job.old_calendar is not None
            and state.started_at is not None
            and state.started_at < edited_at
        ):
            # Time that ran before the edit counts under the calendar then in force.
            old_cal = to_calendar(job.old_calendar, current.reported_at, edited_at)
            state = clock.fold(old_cal, state, min(edited_at, now))
        policy = current.policy
        assert policy is not None
        cal = to_calendar(policy.calendar, current.reported_at, now)
        changes: dict[str, Any] = _state_fields(state)
        if state.started_at is not None:
            changes["resolution_due"] = clock.due(
                cal, state, policy.resolution_target, previous=current.resolution_due
            )
        if current.first_response_at is None:
            changes["response_due"] = clock.response_due(
                cal, current.reported_at, policy.response_target
            )
        changes = {k: v for k, v in changes.items() if _differs(getattr(current, k), v)}
        if not changes:
            return False
        _save(actor, current, changes)
        return True


# --- routing rules (training questions, replace-don't-repair) ------------------------------------


def routing_settings_save(
    *,
    actor: Actor,
    cooperation: Cooperation,
    expected_version: int | None,
    learning_url: str = "",
    training_keywords: Iterable[str] = (),
    training_service_ids: Iterable[int] = (),
    training_reply: str = "",
    replace_incidents: int | None = None,
    replace_days: int = 90,
) -> RoutingSettings:
    """Set the cooperation's routing rules (created on the first save). Applies to tickets
    registered from now on."""
    scope = _require_manage(actor, cooperation)
    values: dict[str, Any] = {
        "learning_url": learning_url.strip(),
        "training_keywords": rules.normalise_keywords(",".join(training_keywords)),
        "training_service_ids": sorted({int(i) for i in training_service_ids}),
        "training_reply": training_reply.strip(),
        "replace_incidents": replace_incidents,
        "replace_days": replace_days,
    }
    errors: dict[str, list[Any]] = {}
    if (values["training_keywords"] or values["training_service_ids"]) and not values[
        "learning_url"
    ]:
        errors["learning_url"] = [
            _("Ange lärplattformens adress för att svara på utbildningsfrågor.")
        ]
    if values["training_service_ids"]:
        known = set(
            Service.objects.filter(
                pk__in=values["training_service_ids"], cooperation_id=cooperation.pk
            ).values_list("pk", flat=True)
        )
        if known != set(values["training_service_ids"]):
            errors["training_service_ids"] = [
                _("Tjänsten finns inte i den här samverkans katalog.")
            ]
    if replace_incidents is not None and replace_incidents < 2:
        errors["replace_incidents"] = [_("Ange minst 2 incidenter.")]
    if replace_days < 1:
        errors["replace_days"] = [_("Ange minst 1 dag.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        current = (
            RoutingSettings.objects.select_for_update().filter(cooperation=cooperation).first()
        )
        if current is None:
            if expected_version not in (None, 0):
                raise Conflict()
            return create_audited(
                actor=actor,
                instance=RoutingSettings(cooperation=cooperation, **values),
                scope_path=scope,
            )
        changes = {k: v for k, v in values.items() if getattr(current, k) != v}
        return update_versioned(
            actor=actor,
            instance=current,
            expected_version=expected_version,
            changes=changes,
            scope_path=scope,
        )
