"""The reports' filter: one parser for the pages, the exports and the API, so that a filter
cannot mean one thing on a page and another in the API.

A municipality the actor may not see answers 404 (as a forbidden object does everywhere else):
an empty table would suggest that the municipality simply had no tickets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.catalog.models import Service
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.servicedesk.choices import Channel, Priority
from itfabrik.servicedesk.models import AssignmentGroup
from itfabrik.tenancy.models import OrgNode

from .permissions import VIEW_REPORTS

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
FIELDS = ("from", "to", "municipality", "group", "priority", "service", "channel")
# A report over more than ten years is a mistake, not a question (and a slow query).
MAX_MONTHS = 120


@dataclass(frozen=True)
class ReportFilter:
    start: dt.datetime  # first moment of the first month (Swedish time)
    end: dt.datetime  # first moment after the last month
    first_month: str
    last_month: str
    municipality: OrgNode | None = None
    group: AssignmentGroup | None = None
    priority: str = ""
    service: Service | None = None
    channel: str = ""
    querystring: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    """The choices the filter form offers this actor."""

    municipalities: list[OrgNode]
    groups: list[AssignmentGroup]
    services: list[Service]


def month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=timezone.get_current_timezone())


def _next_month(moment: dt.datetime) -> dt.datetime:
    return month_start(moment.year + moment.month // 12, moment.month % 12 + 1)


def default_months(now: dt.datetime | None = None) -> tuple[str, str]:
    """The last twelve months up to and including the current one."""
    local = timezone.localtime(now or timezone.now())
    first = month_start(local.year - 1, local.month)
    first = _next_month(first)
    return f"{first:%Y-%m}", f"{local:%Y-%m}"


def municipalities_q(actor: Actor) -> Q:
    return Q(kind="municipality") & permissions.scope_q(actor, VIEW_REPORTS, path_field="path")


def options(actor: Actor) -> Options:
    coops = permissions.cooperation_ids(actor)
    everything = permissions.is_superuser(actor)
    munis = OrgNode.objects.filter(municipalities_q(actor)).order_by("name")
    groups = AssignmentGroup.objects.order_by("name")
    services = Service.objects.order_by("name")
    if not everything:
        groups = groups.filter(cooperation_id__in=coops)
        services = services.filter(cooperation_id__in=coops)
    return Options(list(munis), list(groups), list(services))


def _month(value: str, name: str, errors: dict[str, list[Any]]) -> dt.datetime | None:
    m = MONTH_RE.match(value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        errors[name] = [_("Ange en månad som ÅÅÅÅ-MM, till exempel 2026-03.")]
        return None
    return month_start(int(m.group(1)), int(m.group(2)))


def _pick(value: str, items: list[Any], name: str, errors: dict[str, list[Any]]) -> Any:
    if not value:
        return None
    if not value.isdecimal():
        errors[name] = [_("Välj ett av alternativen.")]
        return None
    for item in items:
        if item.pk == int(value):
            return item
    return False  # not among the actor's choices


def parse(actor: Actor, data: Any, opts: Options) -> ReportFilter:
    """The filter from a query string; ValidationFailed naming each bad field, NotFound for a
    municipality (or group, service) outside the actor's scope."""
    raw = {name: str(data.get(name, "") or "").strip() for name in FIELDS}
    errors: dict[str, list[Any]] = {}
    default_from, default_to = default_months()
    start = _month(raw["from"] or default_from, "from", errors)
    last = _month(raw["to"] or default_to, "to", errors)
    if start and last and last < start:
        errors["to"] = [_("Till-månaden ligger före från-månaden.")]
    if start and last and (last.year - start.year) * 12 + last.month - start.month >= MAX_MONTHS:
        errors["to"] = [_("Välj högst tio år åt gången.")]
    municipality = _pick(raw["municipality"], opts.municipalities, "municipality", errors)
    group = _pick(raw["group"], opts.groups, "group", errors)
    service = _pick(raw["service"], opts.services, "service", errors)
    if raw["priority"] and raw["priority"] not in Priority.values:
        errors["priority"] = [_("Välj ett av alternativen.")]
    if raw["channel"] and raw["channel"] not in Channel.values:
        errors["channel"] = [_("Välj ett av alternativen.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if municipality is False or group is False or service is False:
        raise NotFound()
    assert start is not None
    assert last is not None
    return ReportFilter(
        start=start,
        end=_next_month(last),
        first_month=f"{start:%Y-%m}",
        last_month=f"{last:%Y-%m}",
        municipality=municipality,
        group=group,
        priority=raw["priority"],
        service=service,
        channel=raw["channel"],
        querystring={k: v for k, v in raw.items() if v},
    )
