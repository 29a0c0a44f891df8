"""Reads of governance: every one takes the actor and applies scope.

A forum is seen by those holding `view_governance` on its node (a local council: its
municipality). The cooperation-wide forums (Samverkansrådet, KDG, IT-råd) are seen by anyone who
holds `view_governance` anywhere in their cooperation: a local council follows what IT-råd decides
for all. Meetings, matters and decisions are seen with their forum. Anything else is NotFound.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import Cooperation

from . import permissions as actions
from .choices import MatterStatus, MeetingStatus
from .filters import DecisionFilter, MatterFilter, MeetingFilter
from .governed import GovernedKind
from .models import (
    AgendaItem,
    Agreement,
    Decision,
    Evaluation,
    Forum,
    ForumMember,
    GovernedLink,
    Matter,
    Meeting,
)


def _coops_with(actor: Actor, action: str) -> set[int]:
    return {g.cooperation_id for g in permissions.grants_for(actor, action)}


def forum_visible_q(actor: Actor, *, prefix: str = "") -> Q:
    if permissions.is_superuser(actor):
        return Q()
    q = permissions.scope_q(actor, actions.VIEW_GOVERNANCE, path_field=f"{prefix}node__path")
    coops = _coops_with(actor, actions.VIEW_GOVERNANCE)
    if coops:
        q |= Q(**{f"{prefix}municipality__isnull": True, f"{prefix}cooperation_id__in": coops})
    return q


def may_view_governance(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_GOVERNANCE)


def may_manage_meetings(actor: Actor, forum: Forum) -> bool:
    return permissions.can(actor, actions.MANAGE_MEETINGS, forum.node)


def may_decide(actor: Actor, forum: Forum) -> bool:
    return permissions.can(actor, actions.DECIDE, forum.node)


def may_manage_forum(actor: Actor, forum: Forum) -> bool:
    return permissions.can(actor, actions.MANAGE_FORUMS, forum.node)


def may_manage_agreement(actor: Actor, agreement: Agreement) -> bool:
    root = agreement.cooperation.root
    return permissions.can(actor, actions.MANAGE_AGREEMENT, root)


def may_view_agreement(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_AGREEMENT)


# --- forums ---------------------------------------------------------------------------------


def forum_list(*, actor: Actor) -> QuerySet[Forum]:
    today = timezone.localdate()
    return (
        Forum.objects.filter(forum_visible_q(actor))
        .select_related("municipality", "node", "cooperation")
        .annotate(
            member_count=Count(
                "members",
                filter=Q(members__valid_from__lte=today)
                & (Q(members__valid_to__isnull=True) | Q(members__valid_to__gte=today)),
                distinct=True,
            )
        )
        .order_by("kind", "name")
    )


def forum_get(*, actor: Actor, pk: Any) -> Forum:
    qs = Forum.objects.filter(forum_visible_q(actor)).select_related(
        "municipality", "node", "cooperation", "cooperation__root"
    )
    return get_or_not_found(qs, pk)


def member_list(*, forum: Forum, on: dt.date | None = None) -> QuerySet[ForumMember]:
    """The forum's members on a day (today by default)."""
    day = on or timezone.localdate()
    return (
        ForumMember.objects.filter(forum=forum, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )


def member_get(*, actor: Actor, pk: Any) -> ForumMember:
    qs = ForumMember.objects.filter(forum_visible_q(actor, prefix="forum__")).select_related(
        "forum", "forum__node", "user"
    )
    return get_or_not_found(qs, pk)


def forum_choice_list(*, actor: Actor, cooperation_wide: bool | None = None) -> QuerySet[Forum]:
    qs = Forum.objects.filter(forum_visible_q(actor), is_active=True).order_by("kind", "name")
    if cooperation_wide is not None:
        qs = qs.filter(municipality__isnull=cooperation_wide)
    return qs


# --- meetings -------------------------------------------------------------------------------


def meeting_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.filter(forum_visible_q(actor, prefix="forum__")).select_related("forum")
    qs = MeetingFilter.apply(qs, **(filters or {}))
    return qs.order_by("-held_on", "-pk")


def meeting_get(*, actor: Actor, pk: Any) -> Meeting:
    qs = (
        Meeting.objects.filter(forum_visible_q(actor, prefix="forum__"))
        .select_related("forum", "forum__node", "forum__municipality", "approved_by")
        .prefetch_related(
            Prefetch(
                "items", queryset=AgendaItem.objects.select_related("matter").order_by("position")
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("municipality").order_by("sequence"),
            ),
        )
    )
    return get_or_not_found(qs, pk)


def open_meeting_list(*, actor: Actor, forum: Forum) -> QuerySet[Meeting]:
    """Meetings of the forum whose minutes are still open: where a decision can be recorded."""
    return (
        Meeting.objects.filter(forum_visible_q(actor, prefix="forum__"), forum=forum)
        .filter(status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD])
        .order_by("held_on", "pk")
    )


def agenda_item_get(*, actor: Actor, pk: Any) -> AgendaItem:
    qs = AgendaItem.objects.filter(forum_visible_q(actor, prefix="meeting__forum__"))
    return get_or_not_found(qs.select_related("meeting", "meeting__forum"), pk)


# --- matters --------------------------------------------------------------------------------


def matter_visible_q(actor: Actor) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    return forum_visible_q(actor, prefix="forum__") | forum_visible_q(
        actor, prefix="target_forum__"
    )


def matter_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Matter]:
    qs = Matter.objects.filter(matter_visible_q(actor)).select_related(
        "forum", "target_forum", "registered_by"
    )
    qs = MatterFilter.apply(qs, **(filters or {}))
    return qs.order_by("-created_at", "-pk")


def matter_get(*, actor: Actor, pk: Any) -> Matter:
    qs = (
        Matter.objects.filter(matter_visible_q(actor))
        .select_related(
            "forum", "forum__node", "forum__municipality", "target_forum", "registered_by"
        )
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("forum", "meeting"))
        )
    )
    return get_or_not_found(qs.distinct(), pk)


def matter_waiting_list(*, actor: Actor, forum: Forum) -> QuerySet[Matter]:
    """Matters prepared for a decision in the forum, not decided yet."""
    return (
        Matter.objects.filter(matter_visible_q(actor))
        .filter(target_forum=forum, status=MatterStatus.PREPARED)
        .select_related("forum")
        .order_by("prepared_on", "pk")
    )


# --- decisions ------------------------------------------------------------------------------

DECISION_ORDERINGS = {
    "-decided_on": ("-decided_on", "-pk"),
    "decided_on": ("decided_on", "pk"),
    "number": ("forum__prefix", "year", "sequence"),
    "-number": ("-forum__prefix", "-year", "-sequence"),
}


def decision_list(
    *, actor: Actor, filters: dict[str, Any] | None = None, ordering: str | None = None
) -> QuerySet[Decision]:
    qs = Decision.objects.filter(forum_visible_q(actor, prefix="forum__")).select_related(
        "forum", "municipality", "meeting"
    )
    qs = DecisionFilter.apply(qs, **(filters or {}))
    return qs.order_by(*DECISION_ORDERINGS.get(ordering or "", DECISION_ORDERINGS["-decided_on"]))


def decision_get(*, actor: Actor, pk: Any) -> Decision:
    qs = (
        Decision.objects.filter(forum_visible_q(actor, prefix="forum__"))
        .select_related(
            "forum",
            "forum__node",
            "forum__cooperation",
            "meeting",
            "municipality",
            "matter",
            "matter__forum",
            "corrects",
            "decided_by",
        )
        .prefetch_related(
            Prefetch("links", queryset=GovernedLink.objects.order_by("kind", "label")),
            Prefetch("corrections", queryset=Decision.objects.order_by("pk")),
        )
    )
    return get_or_not_found(qs, pk)


def decision_by_number_get(*, actor: Actor, number: str) -> Decision:
    qs = Decision.objects.filter(forum_visible_q(actor, prefix="forum__"), number=number)
    found = qs.order_by("pk").first()
    if found is None:
        raise NotFound()
    return found


def is_decision_locked(decision: Decision) -> bool:
    return decision.meeting.is_locked


def link_candidate_list(*, kind: GovernedKind, cooperation: Cooperation) -> QuerySet[Any]:
    return kind.candidates(cooperation)


def governing_decision_list(*, actor: Actor, instance: Any) -> QuerySet[Decision]:
    """The decisions that link to an object (for the object's own page)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(type(instance))
    return (
        Decision.objects.filter(forum_visible_q(actor, prefix="forum__"))
        .filter(links__content_type=ct, links__object_id=instance.pk)
        .select_related("forum")
        .order_by("-decided_on", "-pk")
    )


# --- the agreement --------------------------------------------------------------------------


def agreement_get(*, actor: Actor, cooperation: Cooperation | None = None) -> Agreement:
    coops = None if permissions.is_superuser(actor) else _coops_with(actor, actions.VIEW_AGREEMENT)
    qs = Agreement.objects.select_related("cooperation", "cooperation__root")
    if coops is not None:
        qs = qs.filter(cooperation_id__in=coops)
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    found = qs.order_by("pk").first()
    if found is None:
        raise NotFound()
    return found


def agreement_detail_get(agreement: Agreement) -> dict[str, Any]:
    """The parties, amendments, evaluations and allocation keys of an agreement (one query each)."""
    return {
        "parties": list(
            agreement.parties.select_related("municipality").order_by(
                "left_on", "-role", "municipality__name"
            )
        ),
        "amendments": list(
            agreement.amendments.select_related("municipality", "decision").order_by("number")
        ),
        "evaluations": list(agreement.evaluations.order_by("due_on")),
        "keys": list(
            agreement.allocation_keys.select_related("pool").order_by("pool__name", "valid_from")
        ),
    }


def evaluation_due_list(*, actor: Actor, within_days: int = 60) -> list[Evaluation]:
    """Evaluations not done that fall within the coming days (or are overdue)."""
    if not may_view_agreement(actor):
        return []
    coops = None if permissions.is_superuser(actor) else _coops_with(actor, actions.VIEW_AGREEMENT)
    limit = timezone.localdate() + dt.timedelta(days=within_days)
    qs = Evaluation.objects.filter(done_on__isnull=True, due_on__lte=limit)
    if coops is not None:
        qs = qs.filter(agreement__cooperation_id__in=coops)
    return list(qs.select_related("agreement").order_by("due_on")[:5])
