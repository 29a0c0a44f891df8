"""Reads of the bookings: every one takes the actor and applies scope.

Blocks are seen by staff holding `view_bookings` on the block's municipality, and by anyone
whose grants or workplace are in that municipality (`view_free_blocks`: the portal). Bookings
are seen by staff of the municipality and by the requester of the booked ticket. Anything else
is NotFound.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from itfabrik.accounts.models import User
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.selectors import get_or_not_found
from itfabrik.servicedesk import selectors as sd_selectors
from itfabrik.servicedesk.models import Ticket

from . import permissions as actions
from .choices import BookingStatus
from .filters import BlockFilter, BookingFilter
from .models import Block, Booking, FeedToken, VisitRequest


def _home_municipality_id(actor: Actor) -> int | None:
    unit = getattr(actor, "home_unit", None)
    if unit is None:
        return None
    return unit.pk if unit.kind == "municipality" else unit.municipality_id


def block_visible_q(actor: Actor) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    q = permissions.scope_q(actor, actions.VIEW_BOOKINGS, path_field="municipality__path")
    q |= permissions.scope_q(actor, actions.VIEW_FREE_BLOCKS, path_field="municipality__path")
    home = _home_municipality_id(actor)
    if home is not None:
        q |= Q(municipality_id=home)
    return q


def booking_visible_q(actor: Actor) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    q = permissions.scope_q(actor, actions.VIEW_BOOKINGS, path_field="block__municipality__path")
    if getattr(actor, "is_authenticated", False) and actor.pk is not None:
        q |= Q(ticket__requester_id=actor.pk) | Q(block__technician_id=actor.pk)
    return q


def is_booking_staff(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_BOOKINGS)


def may_manage_blocks(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_BLOCKS)


def block_list(
    *, actor: Actor, filters: dict[str, Any] | None = None, ordering: str | None = None
) -> QuerySet[Block]:
    qs = Block.objects.filter(block_visible_q(actor)).select_related("technician", "municipality")
    qs = BlockFilter.apply(qs, **(filters or {}))
    if ordering == "-starts_at":
        return qs.order_by("-starts_at", "-pk")
    return qs.order_by("starts_at", "pk")


def block_get(*, actor: Actor, pk: Any) -> Block:
    qs = Block.objects.filter(block_visible_q(actor)).select_related(
        "technician", "municipality", "cooperation"
    )
    return get_or_not_found(qs, pk)


def free_block_list(
    *, actor: Actor, ticket: Ticket, now: dt.datetime | None = None
) -> QuerySet[Block]:
    """Blocks a visit for the ticket can be booked in: its municipality's, open, not started,
    with a place left; soonest first."""
    now = now or timezone.now()
    if ticket.municipality_id is None:
        return Block.objects.none()
    return (
        Block.objects.filter(
            block_visible_q(actor),
            municipality_id=ticket.municipality_id,
            is_open=True,
            starts_at__gt=now,
            booked__lt=F("capacity"),
        )
        .select_related("technician", "municipality")
        .order_by("starts_at", "pk")
    )


def booking_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Booking]:
    qs = Booking.objects.filter(booking_visible_q(actor)).select_related(
        "block", "block__technician", "block__municipality", "ticket", "ticket__unit"
    )
    qs = BookingFilter.apply(qs, **(filters or {}))
    return qs.order_by("block__starts_at", "pk")


def booking_get(*, actor: Actor, pk: Any) -> Booking:
    qs = Booking.objects.filter(booking_visible_q(actor)).select_related(
        "block",
        "block__technician",
        "block__municipality",
        "ticket",
        "ticket__unit",
        "booked_by",
    )
    return get_or_not_found(qs, pk)


def active_booking_get(*, ticket: Ticket) -> Booking | None:
    """The ticket's booked visit (the caller has already checked it may see the ticket)."""
    return (
        Booking.objects.filter(ticket=ticket, status=BookingStatus.ACTIVE)
        .select_related("block", "block__technician", "block__municipality")
        .first()
    )


def open_request_get(*, ticket: Ticket) -> VisitRequest | None:
    return VisitRequest.objects.filter(ticket=ticket, is_open=True).first()


def bookable_ticket_list(*, actor: Actor) -> QuerySet[Ticket]:
    """The actor's own open tickets (the portal's "Boka besök"), those marked for a visit
    first."""
    from django.db.models import Exists, OuterRef

    marked = VisitRequest.objects.filter(ticket=OuterRef("pk"), is_open=True)
    booked = Booking.objects.filter(ticket=OuterRef("pk"), status=BookingStatus.ACTIVE)
    return (
        sd_selectors.my_ticket_list(actor=actor, open_only=True)
        .annotate(needs_visit=Exists(marked), has_booking=Exists(booked))
        .order_by("-needs_visit", "-reported_at", "-pk")
    )


def visit_list(*, actor: Actor, limit: int = 5) -> list[Ticket]:
    """The start-page panel in one query: the actor's open tickets that have a coming visit
    (`visit_start`, `visit_end`, `visit_part`) or are marked for one (`needs_visit`), the
    soonest visit first."""
    from django.db.models import Exists, OuterRef, Subquery

    coming = Booking.objects.filter(
        ticket=OuterRef("pk"), status=BookingStatus.ACTIVE, block__ends_at__gt=timezone.now()
    )
    marked = VisitRequest.objects.filter(ticket=OuterRef("pk"), is_open=True)
    qs = (
        sd_selectors.my_ticket_list(actor=actor, open_only=True)
        .annotate(
            visit_start=Subquery(coming.values("block__starts_at")[:1]),
            visit_end=Subquery(coming.values("block__ends_at")[:1]),
            visit_part=Subquery(coming.values("block__part")[:1]),
            needs_visit=Exists(marked),
        )
        .filter(Q(needs_visit=True) | Q(visit_start__isnull=False))
        .order_by(F("visit_start").asc(nulls_last=True), "-reported_at", "-pk")
    )
    return list(qs[:limit])


def my_booking_list(*, actor: Actor) -> QuerySet[Booking]:
    """Visits booked on the actor's own tickets that have not ended yet."""
    return (
        Booking.objects.filter(
            ticket__requester_id=actor.pk,
            status=BookingStatus.ACTIVE,
            block__ends_at__gt=timezone.now(),
        )
        .select_related("block", "block__technician", "block__municipality", "ticket")
        .order_by("block__starts_at", "pk")
    )


def calendar_block_list(
    *, actor: Actor, technician: User, first: dt.datetime, last: dt.datetime
) -> QuerySet[Block]:
    """A technician's blocks starting in [first, last) with their active bookings (two
    queries whatever the number of blocks)."""
    active = (
        Booking.objects.filter(status=BookingStatus.ACTIVE)
        .select_related("ticket", "ticket__unit")
        .order_by("created_at", "pk")
    )
    return (
        Block.objects.filter(
            block_visible_q(actor),
            technician=technician,
            starts_at__gte=first,
            starts_at__lt=last,
        )
        .select_related("municipality")
        .prefetch_related(Prefetch("bookings", queryset=active, to_attr="active_bookings"))
        .order_by("starts_at", "pk")
    )


def technician_list(*, actor: Actor) -> QuerySet[User]:
    """People who hold blocks somewhere the actor manages (choices of the block forms)."""
    from itfabrik.accounts.models import RoleAssignment
    from itfabrik.core.registry import roles_holding

    today = timezone.localdate()
    holders = RoleAssignment.objects.filter(role__in=roles_holding(actions.TAKE_VISITS)).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    if not permissions.is_superuser(actor):
        # Only the actor's own cooperations: another cooperation's staff are not listed.
        holders = holders.filter(node__cooperation_id__in=permissions.cooperation_ids(actor))
    return User.objects.filter(pk__in=holders.values("user_id"), is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def feed_token_get(user: User) -> FeedToken | None:
    return FeedToken.objects.filter(user=user).first()


def feed_owner_get(token: str) -> User | None:
    """The person whose calendar feed the token opens (None for an unknown token)."""
    import hashlib

    if not token or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = FeedToken.objects.filter(digest=digest).select_related("user").first()
    if found is None or not found.user.is_active:
        return None
    return found.user
