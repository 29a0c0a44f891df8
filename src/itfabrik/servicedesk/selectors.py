"""Reads of the service desk: every one takes the actor and applies scope.

A ticket is visible to staff holding `view_ticket` on its unit (internal notes included), to
orderers holding `view_unit_tickets` on it, and to its requester. Anything else is NotFound.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from itfabrik.accounts.models import User
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import OPEN_STATUSES, EntryKind, GroupKind, TicketStatus, TicketType
from .filters import TicketFilter
from .models import (
    AssignmentGroup,
    BusinessCalendar,
    CalendarDay,
    DeskSettingsToken,
    GroupMember,
    PriorityRule,
    SlaPolicy,
    Ticket,
    TicketEntry,
    VipPerson,
)


def _whole_cooperations(actor: Actor, action: str) -> set[int]:
    """The cooperations where the actor holds `action` on every unit: a recursive grant at the
    cooperation's root."""
    return {
        g.cooperation_id
        for g in permissions.grants_for(actor, action)
        if g.recursive and len(g.path) == OrgNode.steplen
    }


def _scoped(actor: Actor, action: str, by_cooperation: bool) -> Q:
    """The tickets of the units where the actor holds `action`.

    A ticket belongs to its unit's cooperation (the services refuse a unit or group of another),
    so a grant over a whole cooperation is the ticket's own `cooperation_id`, without joining the
    country's units to compare paths (the queue's count hashed every node of the country).

    `by_cooperation`: name the other grants' cooperations too. That narrows nothing; it lets
    the database start from one cooperation's open tickets (servicedesk_coop_open_idx) rather
    than from every open ticket of the country joined to its unit."""
    whole = _whole_cooperations(actor, action)
    parts = [Q(cooperation_id__in=sorted(whole))] if whole else []
    rest = [g for g in permissions.grants_for(actor, action) if g.cooperation_id not in whole]
    if rest:
        q = permissions.scope_q_of(rest, path_field="unit__path")
        if by_cooperation:
            q &= Q(cooperation_id__in=sorted({g.cooperation_id for g in rest}))
        parts.append(q)
    return reduce(or_, parts) if parts else Q(pk__in=[])


def visible_q(actor: Actor, *, by_cooperation: bool = True) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    q = _scoped(actor, actions.VIEW_TICKET, by_cooperation)
    q |= _scoped(actor, actions.VIEW_UNIT_TICKETS, by_cooperation)
    if getattr(actor, "is_authenticated", False) and actor.pk is not None:
        q |= Q(requester_id=actor.pk)
    return q


def is_staff_on(actor: Actor, ticket: Ticket) -> bool:
    """May the actor see internal notes and work the ticket?"""
    return permissions.can(actor, actions.VIEW_TICKET, ticket.unit)


def may_work(actor: Actor, ticket: Ticket) -> bool:
    return permissions.can(actor, actions.WORK_TICKET, ticket.unit)


def may_manage_problem(actor: Actor, ticket: Ticket) -> bool:
    """May the actor record the problem's root cause and workaround and publish it?"""
    return permissions.can(actor, actions.MANAGE_PROBLEMS, ticket.unit)


def problem_choice_list(*, actor: Actor, ticket: Ticket) -> QuerySet[Ticket]:
    """The problems an incident may be linked to: the visible, open and resolved problems of its
    cooperation, known errors first."""
    return (
        Ticket.objects.filter(
            visible_q(actor), cooperation_id=ticket.cooperation_id, type=TicketType.PROBLEM
        )
        .exclude(status=TicketStatus.CLOSED)
        .only("pk", "reference", "title", "known_error_at", "status")
        .order_by(F("known_error_at").desc(nulls_last=True), "-reported_at", "-pk")
    )


def known_error_problem_get(*, actor: Actor, article_id: int) -> Ticket | None:
    """The visible problem a known-error article was published from (None: none visible)."""
    return (
        Ticket.objects.filter(visible_q(actor), knowledge_article_id=article_id)
        .only("pk", "reference")
        .first()
    )


def is_agent(actor: Actor) -> bool:
    """Does the actor work tickets anywhere (the queue, the phone form)?"""
    return permissions.can_anywhere(actor, actions.WORK_TICKET)


def ticket_list(
    *,
    actor: Actor,
    filters: dict[str, Any] | None = None,
    ordering: str | None = None,
) -> QuerySet[Ticket]:
    return _tickets(visible_q(actor), filters, ordering).select_related(
        "requester", "unit", "municipality", "group", "assignee", "service"
    )


def _tickets(scope: Q, filters: dict[str, Any] | None, ordering: str | None) -> QuerySet[Ticket]:
    qs = TicketFilter.apply(Ticket.objects.filter(scope), **(filters or {}))
    if ordering == "due":
        return qs.order_by(F("resolution_due").asc(nulls_last=True), "pk")
    return qs.order_by("-reported_at", "-pk")


def ticket_get(*, actor: Actor, pk: Any) -> Ticket:
    # What nearly every use reads is joined; the rest comes by primary key (no query where the
    # key is null). Joining all fifteen relations took PostgreSQL 18 ms to plan for a query it
    # ran in 1 ms (ADR 0049).
    qs = (
        Ticket.objects.filter(visible_q(actor))
        .select_related(
            "requester", "unit", "municipality", "group", "assignee", "service", "policy__calendar"
        )
        .prefetch_related(
            "group__lead",
            "problem__knowledge_article",
            "created_by",
            "cooperation",
            "knowledge_article",
        )
    )
    return get_or_not_found(qs, pk)


def ticket_by_reference_get(*, actor: Actor, reference: str) -> Ticket:
    found = Ticket.objects.filter(visible_q(actor), reference=reference.strip().upper()).first()
    if found is None:
        from itfabrik.core.errors import NotFound

        raise NotFound()
    return ticket_get(actor=actor, pk=found.pk)


def my_ticket_list(*, actor: Actor, open_only: bool = False) -> QuerySet[Ticket]:
    """The tickets the actor reported (the portal's "Mina ärenden")."""
    qs = Ticket.objects.filter(requester_id=actor.pk).select_related("unit", "group")
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("-reported_at", "-pk")


def unit_ticket_list(*, actor: Actor) -> QuerySet[Ticket]:
    """Tickets of the units an orderer sees (not their own)."""
    q = permissions.scope_q(actor, actions.VIEW_UNIT_TICKETS, path_field="unit__path")
    return (
        Ticket.objects.filter(q)
        .select_related("unit", "requester", "group")
        .order_by("-reported_at", "-pk")
    )


def entry_list(*, actor: Actor, ticket: Ticket) -> QuerySet[TicketEntry]:
    """A visible ticket's replies, and its internal notes for staff only."""
    qs = TicketEntry.objects.filter(ticket=ticket).select_related("author")
    if not is_staff_on(actor, ticket):
        qs = qs.filter(kind=EntryKind.PUBLIC)
    return qs.order_by("created_at", "pk")


def related_ticket_list(*, actor: Actor, ticket: Ticket) -> QuerySet[Ticket]:
    return ticket.related.filter(visible_q(actor)).order_by("reported_at", "pk")


def problem_incident_list(*, actor: Actor, ticket: Ticket) -> QuerySet[Ticket]:
    return ticket.incidents.filter(visible_q(actor)).order_by("reported_at", "pk")


def my_group_list(*, actor: Actor) -> QuerySet[AssignmentGroup]:
    return AssignmentGroup.objects.filter(
        Q(memberships__user_id=actor.pk) | Q(lead_id=actor.pk), is_active=True
    ).distinct()


def _staff_cooperations(actor: Actor) -> list[int]:
    return sorted({g.cooperation_id for g in permissions.grants_for(actor, actions.VIEW_TICKET)})


def group_list(*, actor: Actor, include_inactive: bool = False) -> QuerySet[AssignmentGroup]:
    qs = AssignmentGroup.objects.select_related("lead", "team")
    if not permissions.is_superuser(actor):
        qs = qs.filter(cooperation_id__in=_staff_cooperations(actor))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.prefetch_related(
        Prefetch("memberships", queryset=GroupMember.objects.select_related("user"))
    ).order_by("name", "pk")


def group_get(*, actor: Actor, pk: Any) -> AssignmentGroup:
    return get_or_not_found(group_list(actor=actor, include_inactive=True), pk)


def first_line_group_get(cooperation: Cooperation) -> AssignmentGroup | None:
    return (
        AssignmentGroup.objects.filter(
            cooperation=cooperation, kind=GroupKind.FIRST_LINE, is_active=True
        )
        .order_by("pk")
        .first()
    )


def group_member_list(*, actor: Actor, group: AssignmentGroup) -> QuerySet[User]:
    return User.objects.filter(servicedesk_groups__group=group, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def assignable_user_list(*, actor: Actor) -> QuerySet[User]:
    """Members of any active group of the actor's cooperations (the assignee choices)."""
    groups = group_list(actor=actor)
    return (
        User.objects.filter(servicedesk_groups__group__in=groups, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def matrix_get(cooperation_id: int) -> dict[tuple[str, str], str]:
    """The cooperation's configured cells (the rest is the default, rules.priority_for)."""
    rows = PriorityRule.objects.filter(cooperation_id=cooperation_id).values_list(
        "impact", "urgency", "priority"
    )
    return {(i, u): p for i, u, p in rows}


def _best_policy(
    policies: Iterable[SlaPolicy], priority: str, tier: str | None
) -> SlaPolicy | None:
    """Of active policies, the one of the priority for the service tier, else the one for every
    tier."""
    best = None
    for policy in policies:
        if policy.priority != priority or policy.service_tier not in ("", tier or ""):
            continue
        if policy.service_tier and policy.service_tier == tier:
            return policy
        best = best or policy
    return best


def policy_get(*, cooperation_id: int, priority: str, tier: str | None) -> SlaPolicy | None:
    """The active policy of the priority for the service tier, else the one for every tier."""
    qs = (
        SlaPolicy.objects.filter(cooperation_id=cooperation_id, priority=priority, is_active=True)
        .filter(Q(service_tier="") | Q(service_tier=tier or ""))
        .select_related("calendar")
        .prefetch_related("calendar__days")
    )
    return _best_policy(qs, priority, tier)


@dataclass(frozen=True)
class DeskSettings:
    """What registering a ticket reads of its cooperation's settings, read at one token."""

    matrix: dict[tuple[str, str], str]
    vip_ids: frozenset[int]
    first_line: AssignmentGroup | None
    policies: tuple[SlaPolicy, ...]
    routing: Any

    def is_vip(self, user_id: Any) -> bool:
        return user_id in self.vip_ids

    def first_line_group(self) -> AssignmentGroup | None:
        # A copy: a caller that sets it on a ticket must not share the instance (and whatever
        # is later cached on it) with the next request.
        return copy.copy(self.first_line)

    def policy(self, priority: str, tier: str | None) -> SlaPolicy | None:
        return copy.copy(_best_policy(self.policies, priority, tier))


# cooperation id -> (token, settings). Each entry keeps the token it was read at: an entry read
# by one thread at an old token cannot pass for the new one (ADR 0050).
_DESK_SETTINGS: dict[int, tuple[int, DeskSettings]] = {}


def _desk_settings_token() -> int | None:
    """The token of the settings in force; None without the row (`flush` removes it), and then
    nothing is kept."""
    return DeskSettingsToken.objects.filter(pk=1).values_list("token", flat=True).first()


def _desk_settings_read(cooperation_id: int) -> DeskSettings:
    policies = (
        SlaPolicy.objects.filter(cooperation_id=cooperation_id, is_active=True)
        .select_related("calendar")
        .prefetch_related("calendar__days")
        .order_by("pk")
    )
    return DeskSettings(
        matrix=matrix_get(cooperation_id),
        vip_ids=frozenset(
            VipPerson.objects.filter(cooperation_id=cooperation_id, is_active=True).values_list(
                "user_id", flat=True
            )
        ),
        first_line=first_line_group_get(Cooperation(pk=cooperation_id)),
        policies=tuple(policies),
        routing=routing_settings_get(cooperation_id=cooperation_id),
    )


def desk_settings_get(cooperation_id: int) -> DeskSettings:
    """The cooperation's desk settings as they are now: one query for the token while the
    settings this process has read still hold, the settings' six queries when they changed."""
    token = _desk_settings_token()
    kept = _DESK_SETTINGS.get(cooperation_id)
    if token is not None and kept is not None and kept[0] == token:
        return kept[1]
    found = _desk_settings_read(cooperation_id)
    if token is not None:
        _DESK_SETTINGS[cooperation_id] = (token, found)
    return found


def calendar_list(*, actor: Actor) -> QuerySet[BusinessCalendar]:
    qs = BusinessCalendar.objects.prefetch_related("days")
    if not permissions.is_superuser(actor):
        qs = qs.filter(cooperation_id__in=_staff_cooperations(actor))
    return qs.order_by("name", "pk")


def policy_list(*, actor: Actor) -> QuerySet[SlaPolicy]:
    qs = SlaPolicy.objects.select_related("calendar").filter(is_active=True)
    if not permissions.is_superuser(actor):
        qs = qs.filter(cooperation_id__in=_staff_cooperations(actor))
    return qs.order_by("priority", "service_tier", "pk")


def _name_words(qs: QuerySet[User], query: str) -> QuerySet[User]:
    """The people of `qs` matched on every word (at most five) in username, first or last name,
    in name order."""
    for w in query.split()[:5]:
        qs = qs.filter(
            Q(username__icontains=w) | Q(first_name__icontains=w) | Q(last_name__icontains=w)
        )
    return qs.order_by("first_name", "last_name", "username")


def _person_search(qs: QuerySet[User], query: str, limit: int) -> list[User]:
    """At most `limit` matches of a search field's text; nothing typed, nothing found. The
    database filters, sorts and cuts."""
    if not query.split():
        return []
    return list(_name_words(qs, query)[:limit])


def _person_get(qs: QuerySet[User], value: Any) -> User:
    """One person of `qs` by id or username; NotFound otherwise."""
    text = str(value).strip()
    # ASCII decimal digits only: "²" passes str.isdigit() and int() refuses it (schemathesis).
    if text.isascii() and text.isdecimal():
        return get_or_not_found(qs, int(text))
    found = qs.filter(username=text).first()
    if found is None:
        from itfabrik.core.errors import NotFound

        raise NotFound()
    return found


def _requesters(actor: Actor) -> QuerySet[User]:
    """Active users whose workplace the agent works on."""
    return User.objects.filter(
        permissions.scope_q(actor, actions.WORK_TICKET, path_field="home_unit__path"),
        is_active=True,
    ).select_related("home_unit", "home_unit__municipality")


def requester_search_list(*, actor: Actor, query: str, limit: int = 20) -> list[User]:
    """People an agent may register a ticket for: active users whose workplace the agent works
    on, matched on every word in username, first or last name."""
    return _person_search(_requesters(actor), query, limit)


def requester_get(*, actor: Actor, value: Any) -> User:
    """A requester by id or username, among the people the actor may register tickets for."""
    return _person_get(_requesters(actor), value)


def ticket_queue_list(
    *,
    actor: Actor,
    groups: Sequence[AssignmentGroup] | None,
    filters: dict[str, Any] | None = None,
) -> QuerySet[Ticket]:
    """The agent queue: open tickets (unless a status is asked for) of the given groups
    (None: every group), by resolution due, with what the breach marks need."""
    values = dict(filters or {})
    if not values.get("status"):
        values["open"] = True
    if groups is None:
        qs = _tickets(visible_q(actor), values, "due")
    else:
        # A group's tickets belong to the group's cooperation (the services refuse a group of
        # another). Where the actor sees the whole of each group's cooperation, the group alone
        # is the filter, and the first page and the count come straight off
        # servicedesk_group_open_idx. Any scope condition beside it (a cooperation, a unit's
        # path) makes the planner take the two as independent, expect a hundredth of the rows
        # and sort them all.
        seen = permissions.is_superuser(actor) or {
            g.cooperation_id for g in groups
        } <= _whole_cooperations(actor, actions.VIEW_TICKET)
        scope = Q() if seen else visible_q(actor, by_cooperation=False)
        qs = _tickets(scope, values, "due").filter(group_id__in=[g.pk for g in groups])
    # Joined: what a row shows (municipality, group, assignee); the policy and its calendar for
    # the SLA mark come by prefetch. Every join more multiplies the planner's work: at a million
    # tickets the list's nine relations took 10 ms to plan and 1 ms to run, these four under 1 ms.
    return qs.select_related("municipality", "group", "assignee").prefetch_related(
        "policy__calendar__days"
    )


# --- attachments, saved views, management -------------------------------------------------------


def attachment_list(*, actor: Actor, ticket: Ticket) -> QuerySet[Any]:
    """A visible ticket's attachments; internal ones only for staff."""
    from .models import TicketAttachment

    qs = TicketAttachment.objects.filter(ticket=ticket, is_active=True).select_related(
        "uploaded_by"
    )
    if not is_staff_on(actor, ticket):
        qs = qs.filter(internal=False)
    return qs.order_by("created_at", "pk")


def attachment_get(*, actor: Actor, pk: Any) -> Any:
    """An attachment the actor may download (NotFound otherwise, also for internal files the
    requester may not see)."""
    from itfabrik.core.errors import NotFound

    from .models import TicketAttachment

    found = get_or_not_found(
        TicketAttachment.objects.filter(is_active=True).select_related("ticket", "ticket__unit"),
        pk,
    )
    ticket = ticket_get(actor=actor, pk=found.ticket_id)
    if found.internal and not is_staff_on(actor, ticket):
        raise NotFound()
    return found


def saved_view_list(*, actor: Actor) -> QuerySet[Any]:
    """The actor's own saved views and those shared with a group they are in."""
    from .models import SavedView

    groups = my_group_list(actor=actor).values("pk")
    return (
        SavedView.objects.filter(Q(owner_id=actor.pk) | Q(shared_with__in=groups), is_active=True)
        .select_related("owner", "shared_with")
        .order_by("name", "pk")
    )


def saved_view_get(*, actor: Actor, pk: Any) -> Any:
    return get_or_not_found(saved_view_list(actor=actor), pk)


def managed_cooperation_list(*, actor: Actor) -> list[Cooperation]:
    """The cooperations whose service desk the actor configures."""
    from itfabrik.tenancy.models import Cooperation as Coop

    if permissions.is_superuser(actor):
        return list(Coop.objects.order_by("pk"))
    ids = sorted({g.cooperation_id for g in permissions.grants_for(actor, actions.MANAGE)})
    return list(Coop.objects.filter(pk__in=ids).order_by("pk"))


def _manage_ids(actor: Actor) -> list[int]:
    return [c.pk for c in managed_cooperation_list(actor=actor)]


def managed_group_list(*, actor: Actor) -> QuerySet[AssignmentGroup]:
    return (
        AssignmentGroup.objects.filter(cooperation_id__in=_manage_ids(actor))
        .select_related("lead", "team", "cooperation")
        .annotate(member_count=Count("memberships"))
    )


def manage_group_get(*, actor: Actor, pk: Any) -> AssignmentGroup:
    return get_or_not_found(managed_group_list(actor=actor), pk)


def managed_calendar_list(*, actor: Actor) -> QuerySet[BusinessCalendar]:
    return BusinessCalendar.objects.filter(cooperation_id__in=_manage_ids(actor)).select_related(
        "cooperation"
    )


def manage_calendar_get(*, actor: Actor, pk: Any) -> BusinessCalendar:
    return get_or_not_found(managed_calendar_list(actor=actor).prefetch_related("days"), pk)


def calendar_day_list(*, actor: Actor, calendar: BusinessCalendar) -> QuerySet[CalendarDay]:
    """The extra closed and shortened days of a calendar the actor manages, by date."""
    get_or_not_found(managed_calendar_list(actor=actor), calendar.pk)
    return CalendarDay.objects.filter(calendar=calendar).order_by("date", "pk")


def managed_policy_list(*, actor: Actor) -> QuerySet[SlaPolicy]:
    return SlaPolicy.objects.filter(cooperation_id__in=_manage_ids(actor)).select_related(
        "calendar", "cooperation"
    )


def manage_policy_get(*, actor: Actor, pk: Any) -> SlaPolicy:
    return get_or_not_found(managed_policy_list(actor=actor), pk)


def managed_vip_list(*, actor: Actor) -> QuerySet[VipPerson]:
    return VipPerson.objects.filter(cooperation_id__in=_manage_ids(actor)).select_related(
        "user", "cooperation"
    )


def manage_vip_get(*, actor: Actor, pk: Any) -> VipPerson:
    return get_or_not_found(managed_vip_list(actor=actor), pk)


def managed_escalation_rule_list(*, actor: Actor) -> QuerySet[Any]:
    from .models import EscalationRule

    return EscalationRule.objects.filter(cooperation_id__in=_manage_ids(actor)).select_related(
        "reassign_to", "cooperation"
    )


def managed_escalation_rule_get(*, actor: Actor, pk: Any) -> Any:
    return get_or_not_found(managed_escalation_rule_list(actor=actor), pk)


def escalation_spec_list(*, cooperation_id: int) -> list[rules.EscalationSpec]:
    """The cooperation's active escalation rules as plain values, in name order (the first
    matching rule with a group decides a reassignment)."""
    from .models import EscalationRule

    return [
        rules.EscalationSpec(
            rule_id=r.pk,
            trigger=r.trigger,
            priorities=frozenset(r.priorities or ()),
            group_ids=frozenset(int(g) for g in (r.group_ids or ())),
            notify=r.notify,
            raise_priority=r.raise_priority,
            reassign_to=r.reassign_to_id,
        )
        for r in EscalationRule.objects.filter(
            cooperation_id=cooperation_id, is_active=True
        ).order_by("name", "pk")
    ]


def routing_settings_get(*, cooperation_id: int) -> Any:
    """The cooperation's routing rules, or None when none are set."""
    from .models import RoutingSettings

    return RoutingSettings.objects.filter(cooperation_id=cooperation_id).first()


def device_incident_count(*, ticket: Ticket, days: int) -> int:
    """Incidents registered on the ticket's device within `days` days before now (the
    ticket itself included when it is one)."""
    import datetime as dt

    from django.utils import timezone

    from .choices import TicketType

    if not ticket.device_reference:
        return 0
    return Ticket.objects.filter(
        cooperation_id=ticket.cooperation_id,
        device_reference=ticket.device_reference,
        type=TicketType.INCIDENT,
        reported_at__gte=timezone.now() - dt.timedelta(days=days),
    ).count()


def replacement_suggestion_get(*, ticket: Ticket) -> dict[str, int] | None:
    """Replace, don't repair (R23): {"incidents": n, "days": m} when the ticket's device has
    reached the cooperation's threshold; None otherwise. No query without a device."""
    if not ticket.device_reference:
        return None
    routing = routing_settings_get(cooperation_id=ticket.cooperation_id)
    if routing is None or routing.replace_incidents is None:
        return None
    n = device_incident_count(ticket=ticket, days=routing.replace_days)
    if not rules.suggests_replacement(n, routing.replace_incidents):
        return None
    return {"incidents": n, "days": routing.replace_days}


def recompute_job_list(*, policy: SlaPolicy) -> QuerySet[Any]:
    from .models import RecomputeJob

    return RecomputeJob.objects.filter(policy=policy).order_by("-created_at", "-pk")


def _manageable_users(actor: Actor) -> QuerySet[User]:
    """Active users whose workplace lies where the actor configures the service desk."""
    return User.objects.filter(
        permissions.scope_q(actor, actions.MANAGE, path_field="home_unit__path"),
        is_active=True,
    )


def manageable_user_list(*, actor: Actor, query: str = "") -> QuerySet[User]:
    """People of the managed cooperations (members, leads and VIPs are chosen among them)."""
    return _name_words(_manageable_users(actor), query)


def manageable_user_search_list(*, actor: Actor, query: str, limit: int = 20) -> list[User]:
    """The people search of the configuration pages: manageable people matched on every word
    in username, first or last name, with their workplace for the option's label."""
    qs = _manageable_users(actor).select_related("home_unit", "home_unit__municipality")
    return _person_search(qs, query, limit)


def manageable_user_get(*, actor: Actor, value: Any) -> User:
    """A manageable person by id or username; NotFound for anyone else."""
    return _person_get(_manageable_users(actor), value)
