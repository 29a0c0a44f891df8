"""The service-desk reports, computed in the database: each table is one aggregate query
(GROUP BY with conditional counts), whatever the number of tickets. Python only turns counts
into shares and pivots the few grouped rows into table rows.

Every report is scoped like the tickets themselves (`scope_q` on the affected unit's path with
`deskreports.view_reports`) and filtered by `params.ReportFilter`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.models import AuditAction, AuditEntry
from itfabrik.knowledge.models import Deflection
from itfabrik.satisfaction import rules as satisfaction_rules
from itfabrik.satisfaction import services as satisfaction_services
from itfabrik.servicedesk.choices import (
    PAUSED_STATUSES,
    Channel,
    GroupKind,
    Priority,
)
from itfabrik.servicedesk.models import Ticket

from .params import ReportFilter
from .permissions import VIEW_REPORTS

# A score is a mean of 1–5 answers with two decimals (satisfaction.rules.average).
TEXT, COUNT, PERCENT, SCORE = "text", "count", "percent", "score"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    kind: str = COUNT


@dataclass
class Table:
    key: str
    title: Any
    columns: list[Column]
    rows: list[dict[str, Any]]
    # The columns the chart draws, and whether they are shares (0–100 %) or counts.
    chart: list[str] = field(default_factory=list)

    @property
    def chart_kind(self) -> str:
        kinds = {c.kind for c in self.columns if c.key in self.chart}
        return PERCENT if kinds == {PERCENT} else COUNT


@dataclass
class Report:
    key: str
    title: Any
    definition: Any
    tables: list[Table]
    note: Any = ""

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


def _share(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal (half up), None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _month_label(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%Y-%m}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return str(value)


NO_MUNICIPALITY = _("Ingen kommun")
NO_GROUP = _("Ingen grupp")
NO_SERVICE = _("Ingen tjänst")


# --- scope and filters -----------------------------------------------------------------------


def _tickets(actor: Actor, f: ReportFilter, *, channel: bool = True) -> QuerySet[Ticket]:
    """The tickets the actor may see in reports, narrowed by every filter but the period."""
    qs = Ticket.objects.filter(permissions.scope_q(actor, VIEW_REPORTS, path_field="unit__path"))
    if f.municipality is not None:
        qs = qs.filter(municipality=f.municipality)
    if f.group is not None:
        qs = qs.filter(group=f.group)
    if f.priority:
        qs = qs.filter(priority=f.priority)
    if f.service is not None:
        qs = qs.filter(service=f.service)
    if channel and f.channel:
        qs = qs.filter(channel=f.channel)
    return qs


def _deflection_q(actor: Actor, f: ReportFilter) -> QuerySet[Deflection]:
    """Deflections in scope: by the municipality's path; one without a municipality only for
    those who see the whole cooperation (they hold the action on its root)."""
    qs = Deflection.objects.all()
    if not permissions.is_superuser(actor):
        grants = permissions.grants_for(actor, VIEW_REPORTS)
        qs = qs.filter(
            permissions.scope_q(actor, VIEW_REPORTS, path_field="municipality__path")
            | Q(municipality__isnull=True, cooperation__root_id__in=[g.node_id for g in grants])
        )
    if f.municipality is not None:
        qs = qs.filter(municipality=f.municipality)
    return qs.filter(occurred_at__gte=f.start, occurred_at__lt=f.end)


# --- SLA compliance --------------------------------------------------------------------------

# Responded in time: the first response (or, with none, the resolution) by the response due.
RESPONSE_MET = Q(first_response_at__lte=F("response_due")) | Q(
    first_response_at__isnull=True, resolved_at__lte=F("response_due")
)
RESOLUTION_MET = Q(resolved_at__lte=F("resolution_due"))


def _sla_counts() -> dict[str, Any]:
    return {
        "total": Count("pk"),
        "response_met": Count("pk", filter=RESPONSE_MET),
        "resolution_met": Count("pk", filter=RESOLUTION_MET),
        "both_met": Count("pk", filter=RESPONSE_MET & RESOLUTION_MET),
    }


SLA_COLUMNS = [
    Column("total", _("Lösta ärenden")),
    Column("response_met", _("Svar i tid")),
    Column("resolution_met", _("Löst i tid")),
    Column("both_met", _("Båda i tid")),
    Column("response_share", _("Svar i tid (%)"), PERCENT),
    Column("resolution_share", _("Löst i tid (%)"), PERCENT),
    Column("share", _("SLA uppfyllt (%)"), PERCENT),
]


def _sla_row(label: str, r: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "label": label,
        "total": r["total"],
        "response_met": r["response_met"],
        "resolution_met": r["resolution_met"],
        "both_met": r["both_met"],
        "response_share": _share(r["response_met"], r["total"]),
        "resolution_share": _share(r["resolution_met"], r["total"]),
        "share": _share(r["both_met"], r["total"]),
    }


def _resolved_with_sla(actor: Actor, f: ReportFilter) -> QuerySet[Ticket]:
    return _tickets(actor, f).filter(
        resolved_at__gte=f.start,
        resolved_at__lt=f.end,
        response_due__isnull=False,
        resolution_due__isnull=False,
    )


def sla_summary(actor: Actor, f: ReportFilter) -> dict[str, Any]:
    return _sla_row("", _resolved_with_sla(actor, f).aggregate(**_sla_counts()))


def _grouped(
    qs: QuerySet[Any],
    keys: Iterable[str],
    label: Callable[[dict[str, Any]], str],
    counts: dict[str, Any],
    order: Iterable[str],
) -> list[tuple[str, dict[str, Any]]]:
    rows = qs.values(*keys).annotate(**counts).order_by(*order)
    return [(label(r), r) for r in rows]


def _priority_label(r: dict[str, Any]) -> str:
    return str(Priority(r["priority"]).label)


def _group_label(r: dict[str, Any]) -> str:
    return r["group__name"] or str(NO_GROUP)


def _municipality_label(r: dict[str, Any]) -> str:
    return r["municipality__name"] or str(NO_MUNICIPALITY)


def sla_report(actor: Actor, f: ReportFilter) -> Report:
    qs = _resolved_with_sla(actor, f)
    counts = _sla_counts()
    dims = [
        (
            "municipality",
            _("SLA per kommun"),
            ["municipality_id", "municipality__name"],
            _municipality_label,
            ["municipality__name"],
        ),
        ("priority", _("SLA per prioritet"), ["priority"], _priority_label, ["priority"]),
        ("group", _("SLA per grupp"), ["group_id", "group__name"], _group_label, ["group__name"]),
    ]
    tables = []
    for key, title, keys, label, order in dims:
        rows = [_sla_row(lbl, r) for lbl, r in _grouped(qs, keys, label, counts, order)]
        tables.append(Table(key, title, [*_label_col(key), *SLA_COLUMNS], rows, ["share"]))
    months = qs.annotate(month=TruncMonth("resolved_at")).values("month").annotate(**counts)
    tables.append(
        Table(
            "month",
            _("SLA per månad"),
            [Column("label", _("Månad"), TEXT), *SLA_COLUMNS],
            [_sla_row(_month_label(r["month"]), r) for r in months.order_by("month")],
            ["response_share", "resolution_share"],
        )
    )
    return Report(
        "sla",
        _("SLA-uppfyllelse"),
        _(
            "Ärenden lösta under perioden som hade SLA-tider. Svar i tid: första svaret (eller, "
            "utan svar, lösningen) senast vid svarstiden. Löst i tid: löst senast vid "
            "lösningstiden, som flyttas fram medan ärendet väntar på anmälaren eller en "
            "leverantör. SLA uppfyllt: båda i tid. Månad = månaden då ärendet löstes."
        ),
        tables,
    )


def _label_col(key: str) -> list[Column]:
    labels = {
        "municipality": _("Kommun"),
        "priority": _("Prioritet"),
        "group": _("Grupp"),
        "service": _("Tjänst"),
        "month": _("Månad"),
    }
    return [Column("label", labels[key], TEXT)]


# --- backlog ageing --------------------------------------------------------------------------

BUCKETS = (
    ("age_0_1", _("0–1 dagar"), 0, 2),
    ("age_2_7", _("2–7 dagar"), 2, 8),
    ("age_8_30", _("8–30 dagar"), 8, 31),
    ("age_over_30", _("Över 30 dagar"), 31, None),
)


def _backlog_moment(f: ReportFilter, now: dt.datetime | None = None) -> dt.datetime:
    """The backlog is counted at the end of the period, or now when the period runs on."""
    return min(f.end, now or timezone.now())


def backlog_report(actor: Actor, f: ReportFilter, *, now: dt.datetime | None = None) -> Report:
    at = _backlog_moment(f, now)
    open_then = (
        _tickets(actor, f)
        .filter(reported_at__lt=at)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=at))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=at))
    )
    counts: dict[str, Any] = {"total": Count("pk")}
    for key, _label, low, high in BUCKETS:
        q = Q(reported_at__lte=at - dt.timedelta(days=low))
        if high is not None:
            q &= Q(reported_at__gt=at - dt.timedelta(days=high))
        counts[key] = Count("pk", filter=q)
    columns = [Column(key, label) for key, label, _l, _h in BUCKETS] + [
        Column("total", _("Totalt"))
    ]
    chart = [key for key, *_rest in BUCKETS]

    def rows(keys: list[str], label: Callable[[dict[str, Any]], str], order: list[str]) -> list:
        return [
            {"label": lbl, **{c.key: r[c.key] for c in columns}}
            for lbl, r in _grouped(open_then, keys, label, counts, order)
        ]

    return Report(
        "backlog",
        _("Ärendebalans efter ålder"),
        _(
            "Öppna ärenden vid periodens slut (eller nu, om perioden pågår): anmälda före "
            "tidpunkten och varken lösta eller stängda då. Ålder = hela dygn sedan ärendet "
            "anmäldes."
        ),
        [
            Table(
                "group",
                _("Öppna ärenden per grupp och ålder"),
                [*_label_col("group"), *columns],
                rows(["group_id", "group__name"], _group_label, ["group__name"]),
                chart,
            ),
            Table(
                "priority",
                _("Öppna ärenden per prioritet och ålder"),
                [*_label_col("priority"), *columns],
                rows(["priority"], _priority_label, ["priority"]),
                chart,
            ),
        ],
        note=at,
    )


# --- first-contact resolution ----------------------------------------------------------------


def _ticket_audit() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type="servicedesk.ticket",
        object_id=Cast(OuterRef("pk"), CharField()),
        action=AuditAction.UPDATE,
    )


def fcr_q() -> Q:
    """Resolved at first contact: the ticket is with a 1st-line group, its audit trail shows no
    change of group and never a waiting status."""
    reassigned = (
        _ticket_audit()
        .annotate(
            before_group=Cast(KT("before__group_id"), CharField()),
            after_group=Cast(KT("after__group_id"), CharField()),
        )
        .exclude(before_group=F("after_group"))
    )
    # Cast: a JSON key's text compared as plain text (an `in` on the JSON key itself would
    # read the listed values as JSON on SQLite).
    waited = (
        _ticket_audit()
        .annotate(status=Cast(KT("after__status"), CharField()))
        .filter(status__in=[str(s) for s in PAUSED_STATUSES])
    )
    return Q(group__kind=GroupKind.FIRST_LINE) & ~Exists(reassigned) & ~Exists(waited)


FCR_COLUMNS = [
    Column("resolved", _("Lösta ärenden")),
    Column("first_contact", _("Lösta vid första kontakt")),
    Column("share", _("Första kontakt (%)"), PERCENT),
]


def fcr_report(actor: Actor, f: ReportFilter) -> Report:
    qs = _tickets(actor, f).filter(resolved_at__gte=f.start, resolved_at__lt=f.end)
    counts = {"resolved": Count("pk"), "first_contact": Count("pk", filter=fcr_q())}

    def row(label: str, r: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "label": label,
            "resolved": r["resolved"],
            "first_contact": r["first_contact"],
            "share": _share(r["first_contact"], r["resolved"]),
        }

    months = qs.annotate(month=TruncMonth("resolved_at")).values("month").annotate(**counts)
    return Report(
        "fcr",
        _("Lösta vid första kontakt"),
        _(
            "Ett ärende räknas som löst vid första kontakt när det löstes under perioden av en "
            "grupp för 1:a linjen, aldrig bytte grupp och aldrig stod i status väntar på "
            "anmälaren eller väntar på leverantör. Gruppbyten och statusar läses ur ärendets "
            "granskningslogg. Andelen räknas på alla ärenden lösta under perioden."
        ),
        [
            Table(
                "month",
                _("Första kontakt per månad"),
                [*_label_col("month"), *FCR_COLUMNS],
                [row(_month_label(r["month"]), r) for r in months.order_by("month")],
                ["share"],
            ),
            Table(
                "municipality",
                _("Första kontakt per kommun"),
                [*_label_col("municipality"), *FCR_COLUMNS],
                [
                    row(lbl, r)
                    for lbl, r in _grouped(
                        qs,
                        ["municipality_id", "municipality__name"],
                        _municipality_label,
                        counts,
                        ["municipality__name"],
                    )
                ],
                ["share"],
            ),
        ],
    )


# --- volume per channel ----------------------------------------------------------------------


def volume_report(actor: Actor, f: ReportFilter) -> Report:
    qs = (
        _tickets(actor, f)
        .filter(reported_at__gte=f.start, reported_at__lt=f.end)
        .annotate(month=TruncMonth("reported_at"))
        .values("month", "channel")
        .annotate(n=Count("pk"))
        .order_by("month", "channel")
    )
    channels = [c for c in Channel if not f.channel or c.value == f.channel]
    by_month: dict[str, dict[str, Any]] = {}
    for r in qs:
        label = _month_label(r["month"])
        row = by_month.setdefault(
            label, {"label": label, **{c.value: 0 for c in channels}, "total": 0}
        )
        row[r["channel"]] = row.get(r["channel"], 0) + r["n"]
        row["total"] += r["n"]
    columns = [
        *_label_col("month"),
        *[Column(c.value, c.label) for c in channels],
        Column("total", _("Totalt")),
    ]
    return Report(
        "volume",
        _("Ärenden per kanal"),
        _("Ärenden anmälda under perioden, per månad (då de anmäldes) och kanal."),
        [
            Table(
                "month",
                _("Ärenden per månad och kanal"),
                columns,
                list(by_month.values()),
                [c.value for c in channels],
            )
        ],
    )


# --- deflection rate -------------------------------------------------------------------------

DEFLECTION_COLUMNS = [
    Column("deflections", _("Lösta med kunskapsbasen")),
    Column("portal_tickets", _("Ärenden via portalen")),
    Column("rate", _("Avledningsgrad (%)"), PERCENT),
]


def deflection_report(actor: Actor, f: ReportFilter) -> Report:
    # Only the period and the municipality apply: a deflection has no group, priority,
    # service or channel. Portal tickets are counted with the same two filters.
    portal = Ticket.objects.filter(
        permissions.scope_q(actor, VIEW_REPORTS, path_field="unit__path"),
        channel=Channel.PORTAL,
        reported_at__gte=f.start,
        reported_at__lt=f.end,
    )
    if f.municipality is not None:
        portal = portal.filter(municipality=f.municipality)
    defl = _deflection_q(actor, f)

    def merge(
        keyed_d: Iterable[tuple[Any, str, int]], keyed_t: Iterable[tuple[Any, str, int]]
    ) -> list[dict[str, Any]]:
        rows: dict[Any, dict[str, Any]] = {}
        for k, label, n in keyed_d:
            rows.setdefault(k, {"label": label, "deflections": 0, "portal_tickets": 0})
            rows[k]["deflections"] += n
        for k, label, n in keyed_t:
            rows.setdefault(k, {"label": label, "deflections": 0, "portal_tickets": 0})
            rows[k]["portal_tickets"] += n
        out = []
        for k in sorted(rows, key=lambda key: rows[key]["label"]):
            r = rows[k]
            r["rate"] = _share(r["deflections"], r["deflections"] + r["portal_tickets"])
            out.append(r)
        return out

    def by_month(qs: QuerySet[Any], moment: str) -> list[tuple[Any, str, int]]:
        rows = qs.annotate(month=TruncMonth(moment)).values("month").annotate(n=Count("pk"))
        return [(_month_label(r["month"]),) * 2 + (r["n"],) for r in rows.order_by("month")]

    def by_municipality(qs: QuerySet[Any]) -> list[tuple[Any, str, int]]:
        rows = qs.values("municipality_id", "municipality__name").annotate(n=Count("pk"))
        return [
            (r["municipality_id"], _municipality_label(r), r["n"])
            for r in rows.order_by("municipality__name")
        ]

    return Report(
        "deflection",
        _("Avledningsgrad"),
        _(
            "Avledningsgrad = lösta med kunskapsbasen / (lösta med kunskapsbasen + ärenden "
            "anmälda via portalen), per månad och kommun. ”Löst med kunskapsbasen” är "
            "när någon i portalen svarat ”Det här löste mitt problem” på en artikel. "
            "Bara period- och kommunfiltret gäller här."
        ),
        [
            Table(
                "month",
                _("Avledningsgrad per månad"),
                [*_label_col("month"), *DEFLECTION_COLUMNS],
                merge(by_month(defl, "occurred_at"), by_month(portal, "reported_at")),
                ["rate"],
            ),
            Table(
                "municipality",
                _("Avledningsgrad per kommun"),
                [*_label_col("municipality"), *DEFLECTION_COLUMNS],
                merge(by_municipality(defl), by_municipality(portal)),
                ["rate"],
            ),
        ],
    )


# --- training questions (R24) ----------------------------------------------------------------

TRAINING_COLUMNS = [
    Column("tickets", _("Ärenden")),
    Column("training", _("Utbildningsfrågor")),
    Column("share", _("Andel utbildningsfrågor (%)"), PERCENT),
]


def training_report(actor: Actor, f: ReportFilter) -> Report:
    """Tickets that the routing rule recognised as training or competence questions (and
    answered with the learning platform's address), apart from the rest."""
    base = _tickets(actor, f).filter(reported_at__gte=f.start, reported_at__lt=f.end)
    counts = {"tickets": Count("pk"), "training": Count("pk", filter=Q(is_training=True))}

    def rows(qs: Any, label: Callable[[dict[str, Any]], str]) -> list[dict[str, Any]]:
        out = []
        for r in qs:
            out.append(
                {
                    "label": label(r),
                    "tickets": r["tickets"],
                    "training": r["training"],
                    "share": _share(r["training"], r["tickets"]),
                }
            )
        return out

    by_month = (
        base.annotate(month=TruncMonth("reported_at"))
        .values("month")
        .annotate(**counts)
        .order_by("month")
    )
    by_municipality = (
        base.values("municipality_id", "municipality__name")
        .annotate(**counts)
        .order_by("municipality__name")
    )
    return Report(
        "training",
        _("Utbildningsfrågor"),
        _(
            "Ärenden anmälda under perioden som routningsregeln kände igen som utbildnings- "
            "eller kompetensfrågor (en utbildningstjänst eller ett nyckelord i rubriken) och "
            "besvarade med lärplattformens adress, mot alla ärenden, per månad och kommun."
        ),
        [
            Table(
                "month",
                _("Utbildningsfrågor per månad"),
                [*_label_col("month"), *TRAINING_COLUMNS],
                rows(by_month, lambda r: _month_label(r["month"])),
                ["training"],
            ),
            Table(
                "municipality",
                _("Utbildningsfrågor per kommun"),
                [*_label_col("municipality"), *TRAINING_COLUMNS],
                rows(by_municipality, _municipality_label),
                ["training"],
            ),
        ],
    )


# --- satisfaction ----------------------------------------------------------------------------

SATISFACTION_COLUMNS = [
    Column("resolved", _("Lösta ärenden")),
    Column("rated", _("Betygsatta")),
    Column("response_rate", _("Svarsfrekvens (%)"), PERCENT),
    Column("average", _("Medelbetyg (1–5)"), SCORE),
    Column("low", _("Låga betyg")),
]


def satisfaction_report(actor: Actor, f: ReportFilter) -> Report:
    """The answers of the one-click rating (satisfaction) per municipality, group, service and
    month, on the tickets resolved in the period, with every filter of the other reports."""
    threshold = satisfaction_services.low_score()
    qs = _tickets(actor, f).filter(resolved_at__gte=f.start, resolved_at__lt=f.end)
    counts = {
        "resolved": Count("pk"),
        "rated": Count("satisfaction_rating"),
        "score_sum": Sum("satisfaction_rating__score"),
        "low": Count("satisfaction_rating", filter=Q(satisfaction_rating__score__lte=threshold)),
    }

    def row(label: str, r: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "label": label,
            "resolved": r["resolved"],
            "rated": r["rated"],
            "response_rate": satisfaction_rules.response_rate(r["rated"], r["resolved"]),
            "average": satisfaction_rules.average(r["score_sum"] or 0, r["rated"]),
            "low": r["low"],
        }

    def by(key: str, title: Any, keys: list[str], label: Callable[..., str]) -> Table:
        rows = [row(lbl, r) for lbl, r in _grouped(qs, keys, label, counts, [keys[1], keys[0]])]
        return Table(key, title, [*_label_col(key), *SATISFACTION_COLUMNS], rows, ["response_rate"])

    months = qs.annotate(month=TruncMonth("resolved_at")).values("month").annotate(**counts)
    return Report(
        "satisfaction",
        _("Nöjdhet"),
        _(
            "Ärenden lösta under perioden och anmälarnas betyg på dem (1–5, ett svar per ärende). "
            "Svarsfrekvens: betygsatta av lösta. Medelbetyg: medelvärdet av betygen. Låga betyg: "
            "%(low)s eller lägre, som larmar gruppens teamledare. Månad = månaden då ärendet "
            "löstes."
        )
        % {"low": threshold},
        [
            by(
                "municipality",
                _("Nöjdhet per kommun"),
                ["municipality_id", "municipality__name"],
                _municipality_label,
            ),
            by("group", _("Nöjdhet per grupp"), ["group_id", "group__name"], _group_label),
            by("service", _("Nöjdhet per tjänst"), ["service_id", "service__name"], _service_label),
            Table(
                "month",
                _("Nöjdhet per månad"),
                [*_label_col("month"), *SATISFACTION_COLUMNS],
                [row(_month_label(r["month"]), r) for r in months.order_by("month")],
                ["response_rate"],
            ),
        ],
    )


def _service_label(r: dict[str, Any]) -> str:
    return r["service__name"] or str(NO_SERVICE)


REPORTS: dict[str, Callable[..., Report]] = {
    "sla": sla_report,
    "backlog": backlog_report,
    "fcr": fcr_report,
    "volume": volume_report,
    "deflection": deflection_report,
    "training": training_report,
    "satisfaction": satisfaction_report,
}
REPORT_TITLES = {
    "sla": _("SLA-uppfyllelse"),
    "backlog": _("Ärendebalans efter ålder"),
    "fcr": _("Lösta vid första kontakt"),
    "volume": _("Ärenden per kanal"),
    "deflection": _("Avledningsgrad"),
    "training": _("Utbildningsfrågor"),
    "satisfaction": _("Nöjdhet"),
}
