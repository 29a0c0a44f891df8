"""Reads of satisfaction: every one takes the actor and applies scope.

- The requester's own resolved tickets with their rating (the portal); anyone else's ticket is
  NotFound.
- Ratings with comments: staff holding `view_ratings` on the ticket's unit.
- The figures: tickets resolved in a period, grouped by municipality, group, service or month,
  with how many were rated and their score, counted by the database in one query.
- Alerts: a team lead's own, and every alert under the nodes where the actor handles alerts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import ValidationFailed
from itfabrik.core.selectors import get_or_not_found
from itfabrik.servicedesk.models import Ticket

from . import permissions as actions
from . import rules
from .choices import Dimension
from .filters import RatingFilter
from .models import LowScoreAlert, Rating


def _me(actor: Actor) -> Any:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def resolved_q() -> Q:
    """A resolved ticket: it has a resolution time (resolved, or closed after it)."""
    return Q(resolved_at__isnull=False)


def my_resolved_ticket_list(*, actor: Actor, unrated_only: bool = False) -> QuerySet[Ticket]:
    """The actor's own resolved tickets, newest resolution first, each with its rating (or
    none): the portal's "Betygsätt dina lösta ärenden"."""
    qs = (
        Ticket.objects.filter(resolved_q(), requester_id=_me(actor))
        .select_related("satisfaction_rating", "unit")
        .order_by("-resolved_at", "-pk")
    )
    if unrated_only:
        qs = qs.filter(satisfaction_rating__isnull=True)
    return qs


def my_ticket_get(*, actor: Actor, pk: Any) -> Ticket:
    """One of the actor's own tickets (resolved or not); anyone else's is NotFound."""
    qs = Ticket.objects.filter(requester_id=_me(actor)).select_related(
        "satisfaction_rating", "unit"
    )
    return get_or_not_found(qs, pk)


def ticket_for_link_get(*, ticket_id: int, requester_id: int) -> Ticket:
    """The ticket a signed link names, if its requester is still the one the link was made for."""
    qs = Ticket.objects.filter(requester_id=requester_id).select_related(
        "satisfaction_rating", "unit", "requester"
    )
    return get_or_not_found(qs, ticket_id)


def ticket_rating_get(ticket: Ticket) -> Rating | None:
    try:
        return ticket.satisfaction_rating
    except Rating.DoesNotExist:
        return None


def ratings_q(actor: Actor) -> Q:
    return permissions.scope_q(actor, actions.VIEW_RATINGS, path_field="ticket__unit__path")


def rating_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Rating]:
    qs = Rating.objects.filter(ratings_q(actor)).select_related(
        "ticket", "ticket__municipality", "ticket__group", "ticket__service", "rated_by"
    )
    qs = RatingFilter.apply(qs, **(filters or {}))
    return qs.order_by("-rated_at", "-pk")


def rating_get(*, actor: Actor, pk: Any) -> Rating:
    return get_or_not_found(rating_list(actor=actor), pk)


def may_view_reports(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_REPORTS)


def alerts_q(actor: Actor) -> Q:
    q = permissions.scope_q(actor, actions.HANDLE_ALERTS, path_field="ticket__unit__path")
    me = _me(actor)
    if me is not None:
        q |= Q(lead_id=me)
    return q


def alert_list(*, actor: Actor, open_only: bool = False) -> QuerySet[LowScoreAlert]:
    qs = LowScoreAlert.objects.filter(alerts_q(actor)).select_related(
        "rating", "ticket", "ticket__group", "ticket__municipality", "lead", "acknowledged_by"
    )
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def alert_get(*, actor: Actor, pk: Any) -> LowScoreAlert:
    return get_or_not_found(alert_list(actor=actor).select_related("ticket__unit"), pk)


# --- the figures --------------------------------------------------------------------------------


def _default_period() -> tuple[dt.date, dt.date]:
    """The last twelve months, this one included."""
    today = timezone.localdate()
    months = today.year * 12 + today.month - 1 - 11
    return dt.date(months // 12, months % 12 + 1, 1), today


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = ZoneInfo(settings.TIME_ZONE)
        return (
            dt.datetime.combine(self.start, dt.time(), tzinfo=tz),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
        )


@dataclass(frozen=True)
class ReportRow:
    key: Any
    label: str
    resolved: int
    rated: int
    score_sum: int
    low: int

    @property
    def response_rate(self) -> Decimal | None:
        return rules.response_rate(self.rated, self.resolved)

    @property
    def average(self) -> Decimal | None:
        return rules.average(self.score_sum, self.rated)


_GROUPING: dict[str, tuple[str, str]] = {
    Dimension.MUNICIPALITY: ("municipality_id", "municipality__name"),
    Dimension.GROUP: ("group_id", "group__name"),
    Dimension.SERVICE: ("service_id", "service__name"),
}


def rating_report(
    *, actor: Actor, dimension: str, period: Period, low_score: int | None = None
) -> list[ReportRow]:
    """Resolved tickets in the period (by resolution time, local days) the actor may see the
    figures of, grouped by `dimension`: how many resolved, how many rated, the sum of scores and
    how many low scores. One query, whatever the number of rows."""
    from .services import low_score as configured_low

    if dimension not in Dimension.values:
        raise ValidationFailed(fields={"dimension": [_unknown_dimension()]})
    threshold = configured_low() if low_score is None else low_score
    start, end = period.bounds()
    qs = Ticket.objects.filter(
        permissions.scope_q(actor, actions.VIEW_REPORTS, path_field="unit__path"),
        resolved_at__gte=start,
        resolved_at__lt=end,
    )
    figures = {
        "resolved": Count("pk"),
        "rated": Count("satisfaction_rating"),
        "score_sum": Sum("satisfaction_rating__score"),
        "low": Count("satisfaction_rating", filter=Q(satisfaction_rating__score__lte=threshold)),
    }
    if dimension == Dimension.MONTH:
        months: Any = (
            qs.annotate(month=TruncMonth("resolved_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
            .values("month")
            .annotate(**figures)
            .order_by("month")
        )
        return [
            ReportRow(
                key=_as_date(r["month"]).strftime("%Y-%m"),
                label=_as_date(r["month"]).strftime("%Y-%m"),
                resolved=r["resolved"],
                rated=r["rated"],
                score_sum=r["score_sum"] or 0,
                low=r["low"],
            )
            for r in months
        ]
    key_field, label_field = _GROUPING[dimension]
    rows = qs.values(key_field, label_field).annotate(**figures).order_by(label_field, key_field)
    none_label = _none_label(dimension)
    return [
        ReportRow(
            key=r[key_field],
            label=r[label_field] or none_label,
            resolved=r["resolved"],
            rated=r["rated"],
            score_sum=r["score_sum"] or 0,
            low=r["low"],
        )
        for r in rows
    ]


def rating_report_summary(rows: list[ReportRow]) -> ReportRow:
    return ReportRow(
        key=None,
        label="",
        resolved=sum(r.resolved for r in rows),
        rated=sum(r.rated for r in rows),
        score_sum=sum(r.score_sum for r in rows),
        low=sum(r.low for r in rows),
    )


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _none_label(dimension: str) -> str:
    from django.utils.translation import gettext as _

    labels: dict[str, str] = {
        Dimension.MUNICIPALITY: _("Ingen kommun"),
        Dimension.GROUP: _("Ingen grupp"),
        Dimension.SERVICE: _("Ingen tjänst"),
    }
    return labels.get(dimension, "")


def _unknown_dimension() -> Any:
    from django.utils.translation import gettext_lazy as _

    return _("Okänd indelning: välj kommun, grupp, tjänst eller månad.")
