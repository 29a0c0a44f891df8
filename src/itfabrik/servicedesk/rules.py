"""Pure rules of the service desk (no database): the status transition table, the priority
matrix, the VIP raise, the reopen window and the SLA clock arithmetic on plain values.

Plain strings, not the TextChoices, so the module needs no Django import; `choices.py` holds the
same values with their labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

NEW = "new"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
WAITING_REQUESTER = "waiting_requester"
WAITING_SUPPLIER = "waiting_supplier"
RESOLVED = "resolved"
CLOSED = "closed"

STATUSES = (NEW, ASSIGNED, IN_PROGRESS, WAITING_REQUESTER, WAITING_SUPPLIER, RESOLVED, CLOSED)
OPEN = frozenset({NEW, ASSIGNED, IN_PROGRESS, WAITING_REQUESTER, WAITING_SUPPLIER})
PAUSED = frozenset({WAITING_REQUESTER, WAITING_SUPPLIER})

# new → assigned → in progress → waiting (requester/supplier) → resolved → closed. Work can be
# resolved from any open state (a quick fix at the first call), and handed back to the queue.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    NEW: frozenset({ASSIGNED, IN_PROGRESS, RESOLVED}),
    ASSIGNED: frozenset({NEW, IN_PROGRESS, WAITING_REQUESTER, WAITING_SUPPLIER, RESOLVED}),
    IN_PROGRESS: frozenset({ASSIGNED, WAITING_REQUESTER, WAITING_SUPPLIER, RESOLVED}),
    WAITING_REQUESTER: frozenset({IN_PROGRESS, WAITING_SUPPLIER, RESOLVED}),
    WAITING_SUPPLIER: frozenset({IN_PROGRESS, WAITING_REQUESTER, RESOLVED}),
    # Reopening a resolved ticket goes back to work; only within the reopen window.
    RESOLVED: frozenset({IN_PROGRESS, CLOSED}),
    CLOSED: frozenset({IN_PROGRESS}),
}

DEFAULT_REOPEN_DAYS = 14


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_reopen(current: str, target: str) -> bool:
    return current in (RESOLVED, CLOSED) and target in OPEN


def may_reopen(
    resolved_at: dt.datetime | None, now: dt.datetime, days: int = DEFAULT_REOPEN_DAYS
) -> bool:
    """A resolved or closed ticket may be reopened within `days` days of its resolution."""
    if resolved_at is None:
        return True
    return now - resolved_at <= dt.timedelta(days=days)


def allowed_targets(
    current: str, *, resolved_at: dt.datetime | None, now: dt.datetime, reopen_days: int
) -> list[str]:
    """The statuses a ticket may move to now, in the order of STATUSES."""
    out = []
    for target in STATUSES:
        if not can_transition(current, target):
            continue
        if is_reopen(current, target) and not may_reopen(resolved_at, now, reopen_days):
            continue
        out.append(target)
    return out


# --- priority --------------------------------------------------------------------------------

LEVELS = ("high", "medium", "low")
PRIORITIES = ("P1", "P2", "P3", "P4", "P5")

# Impact (many / a group / one person) × urgency (high / medium / low), DOMAIN.md.
DEFAULT_MATRIX: Mapping[tuple[str, str], str] = {
    ("high", "high"): "P1",
    ("high", "medium"): "P2",
    ("high", "low"): "P3",
    ("medium", "high"): "P2",
    ("medium", "medium"): "P3",
    ("medium", "low"): "P4",
    ("low", "high"): "P3",
    ("low", "medium"): "P4",
    ("low", "low"): "P5",
}


def priority_for(
    impact: str, urgency: str, matrix: Mapping[tuple[str, str], str] | None = None
) -> str:
    """The matrix cell; cells a configured matrix lacks come from the default."""
    if impact not in LEVELS:
        raise ValueError(f"impact {impact!r}")
    if urgency not in LEVELS:
        raise ValueError(f"urgency {urgency!r}")
    if matrix and (impact, urgency) in matrix:
        return matrix[(impact, urgency)]
    return DEFAULT_MATRIX[(impact, urgency)]


def raise_one_step(priority: str) -> str:
    """A VIP's ticket: one step more urgent; P1 stays P1."""
    index = PRIORITIES.index(priority)
    return PRIORITIES[max(index - 1, 0)]


def ticket_priority(
    impact: str,
    urgency: str,
    *,
    vip: bool,
    matrix: Mapping[tuple[str, str], str] | None = None,
) -> str:
    base = priority_for(impact, urgency, matrix)
    return raise_one_step(base) if vip else base


# --- the SLA clock on plain values --------------------------------------------------------------


def used_share(elapsed: dt.timedelta, target: dt.timedelta) -> float:
    """How much of a target has been used (1.0 = due now, above 1 = breached)."""
    if target <= dt.timedelta(0):
        return 1.0
    return elapsed / target


def thresholds_reached(share: float, thresholds: tuple[int, ...]) -> list[int]:
    """The warning thresholds (in percent) a used share has reached, lowest first."""
    return sorted(t for t in thresholds if share * 100 >= t)


def format_reference(year: int, number: int) -> str:
    return f"SD-{year}-{number:06d}"


# --- NIS2: the reporting deadlines of a significant incident (calendar time, not business) ---

NIS2_STEPS = ("early_warning", "notification", "final_report")


def add_month(moment: dt.datetime) -> dt.datetime:
    """The same time one calendar month later; the 31st becomes the last day of a shorter
    month (31 January → 28/29 February)."""
    import calendar

    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def nis2_deadlines(aware_at: dt.datetime) -> dict[str, dt.datetime]:
    """Early warning within 24 hours, incident notification within 72 hours and the final
    report within one month of becoming aware (NIS2 art. 23). Elapsed time: 24 hours across
    a DST change are 24 real hours, so the sum is taken in UTC."""
    utc = aware_at.astimezone(dt.UTC)
    return {
        "early_warning": (utc + dt.timedelta(hours=24)).astimezone(aware_at.tzinfo),
        "notification": (utc + dt.timedelta(hours=72)).astimezone(aware_at.tzinfo),
        # A month is a calendar month in the local zone (the wall-clock date a month on).
        "final_report": add_month(aware_at),
    }


def nis2_next_due(
    aware_at: dt.datetime | None, done: Mapping[str, dt.datetime | None]
) -> dt.datetime | None:
    """The earliest deadline whose report is not yet recorded (None when all are done)."""
    if aware_at is None:
        return None
    open_dues = [due for step, due in nis2_deadlines(aware_at).items() if done.get(step) is None]
    return min(open_dues) if open_dues else None


def nis2_warn_due(due: dt.datetime, now: dt.datetime, warn_before: dt.timedelta) -> int | None:
    """Which warning a NIS2 deadline calls for at `now`: 100 when passed, 75 when within
    `warn_before` of it, else None."""
    if now >= due:
        return 100
    if due - now <= warn_before:
        return 75
    return None


# --- escalation ---------------------------------------------------------------------------------

WARNING = "warning"
RESPONSE_BREACH = "response_breach"
RESOLUTION_BREACH = "resolution_breach"
TRIGGERS = (WARNING, RESPONSE_BREACH, RESOLUTION_BREACH)


@dataclass(frozen=True)
class EscalationSpec:
    """An escalation rule as plain values. Empty `priorities` / `group_ids`: every priority /
    every group (and tickets without a group)."""

    rule_id: int
    trigger: str
    priorities: frozenset[str] = frozenset()
    group_ids: frozenset[int] = frozenset()
    notify: bool = False
    raise_priority: bool = False
    reassign_to: int | None = None


@dataclass(frozen=True)
class EscalationPlan:
    rule_ids: tuple[int, ...]
    notify: bool
    priority: str
    group_id: int | None

    @property
    def changes_ticket(self) -> bool:
        return bool(self.rule_ids)


def sla_trigger(clock: str, threshold: int) -> str | None:
    """The escalation trigger of an SLA warning: below 100 % a warning (either clock), at 100 %
    a breach of that clock. NIS2 deadlines do not escalate by rule."""
    if threshold < 100:
        return WARNING if clock in ("response", "resolution") else None
    return {"response": RESPONSE_BREACH, "resolution": RESOLUTION_BREACH}.get(clock)


def escalation_matches(
    spec: EscalationSpec, *, trigger: str, priority: str, group_id: int | None
) -> bool:
    if spec.trigger != trigger:
        return False
    if spec.priorities and priority not in spec.priorities:
        return False
    return not spec.group_ids or group_id in spec.group_ids


def escalation_plan(
    specs: list[EscalationSpec], *, trigger: str, priority: str, group_id: int | None
) -> EscalationPlan:
    """What one trigger does to one ticket: every matching rule applies together, once. The
    priority is raised one step however many rules ask for it (the escalation happens once);
    the first matching rule (in the given order) with a group decides the reassignment."""
    matching = [
        s
        for s in specs
        if escalation_matches(s, trigger=trigger, priority=priority, group_id=group_id)
    ]
    target = next((s.reassign_to for s in matching if s.reassign_to is not None), None)
    return EscalationPlan(
        rule_ids=tuple(s.rule_id for s in matching),
        notify=any(s.notify for s in matching),
        priority=raise_one_step(priority) if any(s.raise_priority for s in matching) else priority,
        group_id=target if target is not None else group_id,
    )


# --- routing rules ------------------------------------------------------------------------------


def normalise_keywords(text: str) -> list[str]:
    """Keywords as typed (comma or line separated) → distinct, lower-case, in order."""
    out: list[str] = []
    for part in text.replace("\n", ",").split(","):
        word = " ".join(part.split()).casefold()
        if word and word not in out:
            out.append(word)
    return out


def is_training_question(
    title: str,
    service_id: int | None,
    *,
    keywords: list[str],
    service_ids: list[int],
) -> bool:
    """A training or competence question: on one of the training services, or a title that
    holds one of the keywords (case and spacing ignored)."""
    if service_id is not None and service_id in service_ids:
        return True
    folded = " ".join(title.split()).casefold()
    return any(k and k in folded for k in keywords)


def suggests_replacement(incidents: int, threshold: int | None) -> bool:
    """Replace, don't repair: `threshold` incidents (this one included) within the window."""
    return threshold is not None and threshold > 0 and incidents >= threshold
