"""Deployed devices as a billing charge source (billing.sources, ADR 0018 and 0040).

Every month each device is charged to the unit that owned it, for the days it was deployed
(`daycount`, from its dated history), through the catalogue service its model (of that day: a
change of model is a dated step too) or the model's kind is mapped to (`ChargeMapping`), at the
price of the price-list version in force on each day. One line per unit, service and price-list
version: monthly price × device days ÷ days in the month, to the öre; the line's `source` lists
every device with its days and models. Days on which the unit also holds a
subscription of the same service are left to the subscription (the catalogue's source charges
it), so a device is never paid for twice. A device in use whose kind has no mapping is not
charged and is named in the run's warnings; so are devices whose service has no price.

A history step recorded after a month was approved and dated in it (a retroactive move, change
of model or deployment) is charged as correction lines in the next run (`correction_lines`,
ADR 0044).

Billing imports nothing of this app: `AssetsConfig.ready()` imports this module, which registers
the source.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from itfabrik.billing.choices import CLOSED_STATUSES, LineKind
from itfabrik.billing.models import Invoice, InvoiceLine
from itfabrik.billing.sources import BillingContext, LineDraft, Period, register_charge_source
from itfabrik.catalog.choices import PriceModel
from itfabrik.catalog.models import Price, PriceList, Service, Subscription
from itfabrik.tenancy.models import OrgNode

from . import daycount
from .choices import DeviceKind
from .daycount import Span, Step
from .models import ChargeMapping, Device, DeviceEvent, DeviceModel

SOURCE = "assets"


@dataclass
class _Group:
    """The devices of one unit charged through one service under one price-list version."""

    devices: list[dict[str, Any]] = field(default_factory=list)
    device_days: int = 0


def _iso(spans: Iterable[Span]) -> list[list[str]]:
    return [[a.isoformat(), b.isoformat()] for a, b in spans]


SHOWN = 10


def _summary(list_name: str, lo: dt.date, hi: dt.date, devices: list[dict[str, Any]]) -> str:
    """The line's source in words for the invoice page and exports (the full list is in
    `devices`): the price list, the days and the first devices with their days."""
    shown = ", ".join(f"{d['ref']} ({d['days']} d)" for d in devices[:SHOWN])
    more = len(devices) - SHOWN
    if more > 0:
        shown += " " + _("och %(n)s till") % {"n": more}
    return f"{list_name} {lo.isoformat()}–{hi.isoformat()}: {shown}"


def mappings(cooperation_id: int) -> tuple[dict[str, int | None], dict[int, int | None]]:
    """The active mappings: service (or None: not charged) per kind and per model."""
    by_kind: dict[str, int | None] = {}
    by_model: dict[int, int | None] = {}
    rows = ChargeMapping.objects.filter(cooperation_id=cooperation_id, is_active=True)
    for kind, model_id, service_id in rows.values_list("kind", "model_id", "service_id"):
        if model_id is None:
            by_kind[kind] = service_id
        else:
            by_model[model_id] = service_id
    return by_kind, by_model


def model_kinds(cooperation_id: int) -> dict[int, str]:
    """The kind of every model of the cooperation's catalogue: a model's kind decides its
    service when the model has no mapping of its own."""
    return dict(DeviceModel.objects.filter(cooperation_id=cooperation_id).values_list("pk", "kind"))


def service_of(
    model_id: int, kind: str, by_kind: dict[str, int | None], by_model: dict[int, int | None]
) -> tuple[bool, int | None]:
    """Whether a model (of that kind) is mapped, and the service it is charged through (None:
    not charged): the model's mapping, else its kind's."""
    if model_id in by_model:
        return True, by_model[model_id]
    if kind in by_kind:
        return True, by_kind[kind]
    return False, None


# One step as read: day, state, and the owning unit and model recorded (None: see DeviceEvent).
RawStep = tuple[dt.date, str, int | None, int | None]


def steps_of(
    raw: list[RawStep], unit_id: int, model_id: int, *, undated_change: bool = True
) -> list[Step]:
    """A device's history (its steps in the order they happened) as `daycount` steps, each with
    its owning unit and model (`daycount.resolve_models`; empty units are the device's)."""
    models = daycount.resolve_models([r[3] for r in raw], model_id, undated_change=undated_change)
    return [
        Step(day=day, state=state, unit=unit or unit_id, model=model)
        for (day, state, unit, _m), model in zip(raw, models, strict=True)
    ]


def _models_in(part: list[Span], by_model: dict[int, list[Span]]) -> list[int]:
    """The models whose days are among `part`."""
    if len(by_model) == 1:
        return list(by_model)
    return [m for m, spans in sorted(by_model.items()) if daycount.subtract(part, spans) != part]


def _segments(
    cooperation_id: int, first: dt.date, last: dt.date
) -> list[tuple[PriceList, dt.date, dt.date]]:
    """The price-list versions in force during first..last, each with the days it covers."""
    lists = (
        PriceList.objects.filter(
            cooperation_id=cooperation_id, is_active=True, valid_from__lte=last
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("valid_from", "pk")
    )
    out = []
    for pl in lists:
        lo = max(first, pl.valid_from)
        hi = last if pl.valid_to is None else min(last, pl.valid_to)
        if lo <= hi:
            out.append((pl, lo, hi))
    return out


def device_days(
    cooperation_id: int, first: dt.date, last: dt.date
) -> Iterable[tuple[dict[str, Any], dict[tuple[int, int], list[Span]]]]:
    """Every device of the cooperation with days deployed in first..last: the device's row and
    its spans per owning unit and model. Devices that were not in use at all are not read past
    the query: only those deployed now or whose history moved since `first` can have days. The
    whole history is read (steps after `last` too): a model changed without a date applies
    from the last dated change of model (`daycount.resolve_models`)."""
    since = DeviceEvent.objects.filter(device_id=OuterRef("pk"), occurred_on__gte=first)
    candidates = (
        Device.objects.filter(cooperation_id=cooperation_id)
        .filter(Q(state__in=daycount.CHARGED_STATES) | Exists(since))
        .order_by("pk")
        .values("pk", "owner_unit_id", "model_id", "kind", "asset_tag", "serial_number")
    )
    events = (
        DeviceEvent.objects.filter(device__in=candidates.values("pk"))
        .order_by("device_id", "occurred_on", "pk")
        .values_list("device_id", "occurred_on", "to_state", "owner_unit_id", "model_id")
    )
    history: dict[int, list[RawStep]] = defaultdict(list)
    for device_id, day, state, unit_id, model_id in events.iterator(chunk_size=5000):
        history[device_id].append((day, state, unit_id, model_id))
    for row in candidates.iterator(chunk_size=5000):
        steps = steps_of(history.get(row["pk"], []), row["owner_unit_id"], row["model_id"])
        spans = daycount.charged_spans_by_model(steps, first, last)
        if spans:
            yield dict(row), spans


def _covered(
    cooperation_id: int, services: set[int], first: dt.date, last: dt.date
) -> dict[tuple[int, int], list[Span]]:
    """Days on which a unit holds a monthly subscription of a mapped service: the catalogue's
    source charges those, so the devices are not charged again."""
    out: dict[tuple[int, int], list[Span]] = defaultdict(list)
    rows = (
        Subscription.objects.filter(
            cooperation_id=cooperation_id,
            service_id__in=services,
            service__price_model__in=(PriceModel.PER_UNIT_MONTH, PriceModel.FIXED_FEE),
            start_date__lte=last,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values_list("unit_id", "service_id", "start_date", "end_date")
    )
    for unit_id, service_id, start, end in rows:
        out[(unit_id, service_id)].append((max(first, start), last if end is None else end))
    return out


def device_lines(ctx: BillingContext) -> Iterable[LineDraft]:
    p = ctx.period
    first, last = p.first, p.last
    in_month = (last - first).days + 1
    coop = ctx.cooperation.pk
    by_kind, by_model = mappings(coop)
    kind_of = model_kinds(coop)
    segments = _segments(coop, first, last)
    prices: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for list_id, priced_service, amount in Price.objects.filter(
        price_list__in=[s[0] for s in segments]
    ).values_list("price_list_id", "service_id", "amount"):
        prices[list_id][priced_service] = amount
    mapped = {s for s in (*by_kind.values(), *by_model.values()) if s is not None}
    covered = _covered(coop, mapped, first, last)

    groups: dict[tuple[int, int, int], _Group] = defaultdict(_Group)
    unmapped: dict[tuple[int, str], set[str]] = defaultdict(set)  # (unit, kind) → refs
    unpriced: dict[tuple[int, int | None], list[str]] = defaultdict(list)  # (service, list)
    by_subscription: dict[tuple[int, int], list[str]] = defaultdict(list)  # (unit, service)
    for row, spans in device_days(coop, first, last):
        ref = row["asset_tag"] or row["serial_number"]
        # (unit, service) → the spans of each model charged through it
        through: dict[tuple[int, int], dict[int, list[Span]]] = defaultdict(dict)
        for (unit_id, model_id), model_spans in sorted(spans.items()):
            kind = kind_of.get(model_id, row["kind"])
            is_mapped, service_id = service_of(model_id, kind, by_kind, by_model)
            if not is_mapped:
                unmapped[(unit_id, kind)].add(ref)
            elif service_id is not None:  # None: explicitly not charged
                through[(unit_id, service_id)][model_id] = model_spans
        for (unit_id, service_id), by_m in sorted(through.items()):
            unit_spans = daycount.merge(s for model_spans in by_m.values() for s in model_spans)
            cover = covered.get((unit_id, service_id))
            if cover:
                rest = daycount.subtract(unit_spans, cover)
                if rest != unit_spans:
                    by_subscription[(unit_id, service_id)].append(ref)
                unit_spans = rest
            for pl, lo, hi in segments:
                part = daycount.clip(unit_spans, lo, hi)
                if not part:
                    continue
                if service_id not in prices.get(pl.pk, {}):
                    unpriced[(service_id, pl.pk)].append(ref)
                    continue
                n = daycount.days(part)
                group = groups[(unit_id, service_id, pl.pk)]
                group.devices.append(
                    {
                        "device": row["pk"],
                        "ref": ref,
                        "days": n,
                        "spans": _iso(part),
                        "models": _models_in(part, by_m),
                    }
                )
                group.device_days += n
            if daycount.subtract(unit_spans, [(lo, hi) for _pl, lo, hi in segments]):
                unpriced[(service_id, None)].append(ref)

    unit_ids = {k[0] for k in groups} | {k[0] for k in unmapped} | {k[0] for k in by_subscription}
    units = {
        u["pk"]: u
        for u in OrgNode.objects.filter(pk__in=unit_ids).values(
            "pk", "name", "kind", "municipality_id", "cost_centre"
        )
    }

    def municipality(unit_id: int) -> int:
        u = units[unit_id]
        return int(u["pk"] if u["kind"] == "municipality" else u["municipality_id"] or u["pk"])

    service_names = dict(
        Service.objects.filter(
            pk__in={k[1] for k in groups}
            | {k[0] for k in unpriced}
            | {k[1] for k in by_subscription}
        ).values_list("pk", "name")
    )
    lists = {pl.pk: pl for pl, _lo, _hi in segments}
    order = sorted(
        groups,
        key=lambda k: (
            municipality(k[0]),
            units[k[0]]["cost_centre"],
            k[0],
            service_names[k[1]],
            lists[k[2]].valid_from,
        ),
    )
    for unit_id, service_id, pl_id in order:
        group = groups[(unit_id, service_id, pl_id)]
        pl = lists[pl_id]
        price = prices[pl_id][service_id]
        name = service_names[service_id]
        lo = max(first, pl.valid_from)
        hi = last if pl.valid_to is None else min(last, pl.valid_to)
        count = len(group.devices)
        yield LineDraft(
            municipality_id=municipality(unit_id),
            kind=LineKind.CONSUMPTION,
            amount=daycount.charge(price, group.device_days, in_month),
            description=(
                _("%(service)s: %(count)s enheter i bruk, %(days)s enhetsdagar")
                % {"service": name, "count": count, "days": group.device_days}
            )[:300],
            unit_id=unit_id,
            cost_centre=units[unit_id]["cost_centre"],
            service=name,
            quantity=Decimal(count),
            unit_price=price,
            source={
                "type": "devices",
                "service": service_id,
                "service_name": name,
                "price_list": pl_id,
                "price_list_name": pl.name,
                "from": lo.isoformat(),
                "to": hi.isoformat(),
                "days_in_month": in_month,
                "device_days": group.device_days,
                "devices": group.devices,
                "summary": _summary(pl.name, lo, hi, group.devices),
            },
        )

    kinds = dict(DeviceKind.choices)
    for (unit_id, kind), unmapped_refs in sorted(
        unmapped.items(), key=lambda kv: (municipality(kv[0][0]), units[kv[0][0]]["name"], kv[0][1])
    ):
        ctx.warn(
            source=SOURCE,
            code="unmapped_kind",
            message=_(
                "%(unit)s: %(count)s enheter av typen %(kind)s var i bruk men har ingen tjänst "
                "i katalogen och har inte debiterats."
            )
            % {
                "unit": units[unit_id]["name"],
                "count": len(unmapped_refs),
                "kind": str(kinds.get(kind, kind)).lower(),
            },
            municipality_id=municipality(unit_id),
            references=sorted(unmapped_refs),
        )
    for (unpriced_service, unpriced_list), refs in sorted(
        unpriced.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)
    ):
        name = service_names.get(unpriced_service, str(unpriced_service))
        message = (
            _(
                "Tjänsten %(service)s har inget pris i %(list)s: %(count)s enheter har inte "
                "debiterats."
            )
            % {"service": name, "list": lists[unpriced_list].name, "count": len(refs)}
            if unpriced_list is not None
            else _(
                "Ingen prislista gäller för alla dagar i perioden: %(count)s enheter "
                "(%(service)s) har inte debiterats för de dagarna."
            )
            % {"service": name, "count": len(refs)}
        )
        ctx.warn(source=SOURCE, code="no_price", message=message, references=sorted(set(refs)))
    for (unit_id, service_id), refs in sorted(
        by_subscription.items(),
        key=lambda kv: (municipality(kv[0][0]), units[kv[0][0]]["name"], kv[0][1]),
    ):
        ctx.warn(
            source=SOURCE,
            code="covered_by_subscription",
            message=_(
                "%(unit)s: %(count)s enheter debiteras genom enhetens abonnemang på %(service)s "
                "de dagar abonnemanget gäller, inte per enhet. Avsluta abonnemanget om "
                "enheterna ska debiteras enligt enhetsregistret."
            )
            % {
                "unit": units[unit_id]["name"],
                "count": len(refs),
                "service": service_names.get(service_id, ""),
            },
            municipality_id=municipality(unit_id),
            references=sorted(refs),
        )


# --- corrections of approved months (ADR 0044) -----------------------------------------------

CORRECTION = "devices_correction"


@dataclass
class _Billed:
    """What the approved invoices (and the corrections on approved invoices since) charged one
    group (unit, service, price-list version) of a month: the amount, the price and the days of
    each device."""

    amount: Decimal = Decimal(0)
    unit_price: Decimal | None = None
    days: dict[int, int] = field(default_factory=dict)


def _correction_window(
    coop: int, period: Period
) -> tuple[dict[str, set[int]], dict[str, dt.datetime]]:
    """The approved months whose corrections land in `period`, per month the municipalities
    concerned (as for usage records: the closed months after the last open one before it), and
    when each month was first approved."""
    closed: dict[int, set[str]] = defaultdict(set)
    approved: dict[str, dt.datetime] = {}
    rows = Invoice.objects.filter(
        cooperation_id=coop, period__lt=period.code, status__in=CLOSED_STATUSES
    ).values_list("municipality_id", "period", "approved_at")
    for municipality_id, code, at in rows:
        closed[municipality_id].add(code)
        if at is not None and (code not in approved or at < approved[code]):
            approved[code] = at
    window: dict[str, set[int]] = defaultdict(set)
    for municipality_id, codes in closed.items():
        p = period.previous()
        while p.code in codes:
            window[p.code].add(municipality_id)
            p = p.previous()
    return dict(window), approved


def correction_lines(ctx: BillingContext) -> Iterable[LineDraft]:
    """Correction lines for approved months whose device history changed after approval (a
    device moved, given another model, deployed or taken out of use retroactively): per unit,
    service and price-list version of that month, the charge of the history as it is now less
    what the approved invoices and earlier corrections charged. Only devices with a step
    recorded after the month was approved are counted again (so a changed mapping or price does
    not reopen a month), and only months whose approved invoices charged devices at all. A
    counted device keeps, for each model it was charged under in that month, the service it
    was charged through; only days under a model it was not charged under then (a late change
    of model, or a device not charged then) go through that model's mapping now. A model
    changed without a date (an import) does not reopen a month. The approved invoices stay as
    they are; a rerun gives the same lines, and once this month is approved its corrections
    count as charged."""
    coop = ctx.cooperation.pk
    window, approved = _correction_window(coop, ctx.period)
    months = set(
        InvoiceLine.objects.filter(
            invoice__cooperation_id=coop,
            invoice__status__in=CLOSED_STATUSES,
            invoice__period__in=[c for c in window if c in approved],
            source__type="devices",
        )
        .values_list("invoice__period", flat=True)
        .distinct()
    )
    if not months:
        return
    earliest = min(approved[c] for c in months)
    latest_day = max(Period.parse(c).last for c in months)
    late = DeviceEvent.objects.filter(
        device__cooperation_id=coop, recorded_at__gt=earliest, occurred_on__lte=latest_day
    ).values_list("device_id", "occurred_on", "recorded_at")
    touched: dict[str, set[int]] = defaultdict(set)
    for device_id, day, at in late:
        for c in months:
            if at > approved[c] and day <= Period.parse(c).last:
                touched[c].add(device_id)
    if not touched:
        return
    devices: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in Device.objects.filter(pk__in=set[int]().union(*touched.values())).values(
            "pk", "owner_unit_id", "model_id", "kind", "asset_tag", "serial_number"
        )
    }
    raw: dict[int, list[tuple[RawStep, dt.datetime]]] = defaultdict(list)
    for device_id, day, state, unit_id, model_id, at in (
        DeviceEvent.objects.filter(device_id__in=devices)
        .order_by("device_id", "occurred_on", "pk")
        .values_list(
            "device_id", "occurred_on", "to_state", "owner_unit_id", "model_id", "recorded_at"
        )
    ):
        raw[device_id].append(((day, state, unit_id, model_id), at))
    history = _History(devices, raw)
    by_kind, by_model = mappings(coop)
    kinds = model_kinds(coop)
    drafts: list[tuple[tuple[Any, ...], LineDraft]] = []
    for code in sorted(touched):
        drafts.extend(
            _month_corrections(
                ctx,
                Period.parse(code),
                approved[code],
                window[code],
                touched[code],
                history,
                (by_kind, by_model, kinds),
            )
        )
    for _key, draft in sorted(drafts, key=lambda kd: kd[0]):
        yield draft


class _History:
    """The candidates' rows and histories, read once for all months of a run."""

    def __init__(
        self, devices: dict[int, dict[str, Any]], raw: dict[int, list[tuple[RawStep, dt.datetime]]]
    ) -> None:
        self.devices = devices
        self.raw = raw
        # The history as it is now. A model changed without a date does not count here: it
        # must not reopen an approved month.
        self.steps = {
            pk: steps_of(
                [r for r, _at in raw.get(pk, [])],
                row["owner_unit_id"],
                row["model_id"],
                undated_change=False,
            )
            for pk, row in devices.items()
        }

    def model_then(self, device_id: int, approved: dt.datetime, last: dt.date) -> int:
        """The model a device had at the end of a month by the steps recorded before the month
        was approved: for lines written before they named their models."""
        row = self.devices[device_id]
        known = [r for r, at in self.raw.get(device_id, []) if at <= approved]
        steps = steps_of(known, row["owner_unit_id"], row["model_id"], undated_change=False)
        until = [s for s in steps if s.day <= last]
        return until[-1].model if until else int(row["model_id"])


def _month_corrections(
    ctx: BillingContext,
    month: Period,
    approved_at: dt.datetime,
    municipalities: set[int],
    candidates: set[int],
    history: _History,
    mapped: tuple[dict[str, int | None], dict[int, int | None], dict[int, str]],
) -> list[tuple[tuple[Any, ...], LineDraft]]:
    coop = ctx.cooperation.pk
    by_kind, by_model, kinds = mapped
    devices = history.devices
    first, last = month.first, month.last
    in_month = (last - first).days + 1
    billed: dict[tuple[int, int, int], _Billed] = defaultdict(_Billed)
    # (device, model) → the service the device was charged through under that model
    billed_service: dict[tuple[int, int], int] = {}
    rows = (
        InvoiceLine.objects.filter(
            invoice__cooperation_id=coop,
            invoice__status__in=CLOSED_STATUSES,
            invoice__municipality_id__in=municipalities,
        )
        .filter(
            Q(invoice__period=month.code, source__type="devices")
            | Q(source__type=CORRECTION, source__period=month.code)
        )
        .order_by("invoice__period", "position")
        .values_list("unit_id", "amount", "unit_price", "source")
    )
    for unit_id, amount, unit_price, source in rows:
        group = billed[(unit_id, source["service"], source["price_list"])]
        group.amount += amount
        group.unit_price = unit_price
        for d in source["devices"]:
            group.days[d["device"]] = d["days"]
            if d["days"] and d["device"] in candidates:
                models = d.get("models")
                if models is None:
                    models = [history.model_then(d["device"], approved_at, last)]
                for model_id in models:
                    billed_service[(d["device"], model_id)] = source["service"]
    segments = _segments(coop, first, last)
    prices: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for list_id, priced_service, amount in Price.objects.filter(
        price_list__in=[s[0] for s in segments]
    ).values_list("price_list_id", "service_id", "amount"):
        prices[list_id][priced_service] = amount
    # device → (unit, service) → the spans of each model charged through it
    through: dict[int, dict[tuple[int, int], dict[int, list[Span]]]] = {}
    for device_id in sorted(candidates):
        row = devices[device_id]
        groups: dict[tuple[int, int], dict[int, list[Span]]] = defaultdict(dict)
        spans = daycount.charged_spans_by_model(history.steps[device_id], first, last)
        for (unit_id, model_id), model_spans in sorted(spans.items()):
            service_id = billed_service.get((device_id, model_id))
            if service_id is None:
                kind = kinds.get(model_id, row["kind"])
                _mapped, service_id = service_of(model_id, kind, by_kind, by_model)
            if service_id is not None:
                groups[(unit_id, service_id)][model_id] = model_spans
        through[device_id] = groups
    covered = _covered(coop, {k[1] for g in through.values() for k in g}, first, last)
    now: dict[tuple[int, int, int], dict[int, tuple[int, list[Span], list[int]]]] = defaultdict(
        dict
    )
    for device_id, groups in through.items():
        for (unit_id, service_id), by_m in sorted(groups.items()):
            unit_spans = daycount.merge(s for model_spans in by_m.values() for s in model_spans)
            cover = covered.get((unit_id, service_id))
            if cover:
                unit_spans = daycount.subtract(unit_spans, cover)
            for pl, lo, hi in segments:
                part = daycount.clip(unit_spans, lo, hi)
                if part:
                    now[(unit_id, service_id, pl.pk)][device_id] = (
                        daycount.days(part),
                        part,
                        _models_in(part, by_m),
                    )
    keys = set(now) | {
        k for k, g in billed.items() if any(d in candidates and n for d, n in g.days.items())
    }
    units = {
        u["pk"]: u
        for u in OrgNode.objects.filter(pk__in={k[0] for k in keys}).values(
            "pk", "name", "kind", "municipality_id", "cost_centre"
        )
    }
    names = dict(Service.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "name"))
    lists = {pl.pk: pl for pl, _lo, _hi in segments}
    out: list[tuple[tuple[Any, ...], LineDraft]] = []
    for key in sorted(keys):
        unit_id, service_id, pl_id = key
        u = units[unit_id]
        municipality_id = int(
            u["pk"] if u["kind"] == "municipality" else u["municipality_id"] or u["pk"]
        )
        if municipality_id not in municipalities or pl_id not in lists:
            continue  # its month is not approved for that municipality yet
        before = billed.get(key, _Billed())
        after = now.get(key, {})
        changed = []
        for device_id in sorted(candidates):
            old = before.days.get(device_id, 0)
            new, part, models = after.get(device_id, (0, [], []))
            if old != new:
                row = devices[device_id]
                changed.append(
                    {
                        "device": device_id,
                        "ref": row["asset_tag"] or row["serial_number"],
                        "days_before": old,
                        "days": new,
                        "spans": _iso(part),
                        "models": models,
                    }
                )
        if not changed:
            continue
        price = before.unit_price or prices.get(pl_id, {}).get(service_id)
        if price is None:
            ctx.warn(
                source=SOURCE,
                code="no_price",
                message=_(
                    "Tjänsten %(service)s har inget pris i %(list)s: %(count)s enheter "
                    "har inte debiterats."
                )
                % {"service": names[service_id], "list": lists[pl_id].name, "count": len(changed)},
                references=[d["ref"] for d in changed],
            )
            continue
        days_before = sum(before.days.values())
        days_after = days_before + sum(d["days"] - d["days_before"] for d in changed)
        charge = daycount.charge(price, days_after, in_month)
        pl = lists[pl_id]
        lo = max(first, pl.valid_from)
        hi = last if pl.valid_to is None else min(last, pl.valid_to)
        name = names[service_id]
        summary = ", ".join(
            f"{d['ref']} ({d['days_before']} → {d['days']} d)" for d in changed[:SHOWN]
        )
        draft = LineDraft(
            municipality_id=municipality_id,
            kind=LineKind.CORRECTION,
            amount=charge - before.amount,
            description=(
                _(
                    "Rättelse avseende %(period)s: %(service)s, %(count)s enheter ändrade, "
                    "%(before)s → %(after)s enhetsdagar"
                )
                % {
                    "period": month.code,
                    "service": name,
                    "count": len(changed),
                    "before": days_before,
                    "after": days_after,
                }
            )[:300],
            unit_id=unit_id,
            cost_centre=u["cost_centre"],
            service=name,
            quantity=Decimal(len(changed)),
            unit_price=price,
            source={
                "type": CORRECTION,
                "period": month.code,
                "service": service_id,
                "service_name": name,
                "price_list": pl_id,
                "price_list_name": pl.name,
                "from": lo.isoformat(),
                "to": hi.isoformat(),
                "days_in_month": in_month,
                "device_days_before": days_before,
                "device_days": days_after,
                "charged_before": str(before.amount),
                "charge": str(charge),
                "devices": changed,
                "summary": f"{month.code} {pl.name}: {summary}",
            },
        )
        order = (municipality_id, u["cost_centre"], unit_id, month.code, name, pl.valid_from)
        out.append((order, draft))
    return out


register_charge_source("devices", device_lines)
register_charge_source("device_corrections", correction_lines)
