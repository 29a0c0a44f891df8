"""Every change in billing: typed, keyword-only, atomic, audited. Bad input changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.bulk import insert_rows
from itfabrik.core.errors import (
    ApplicationError,
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
    lazy_format,
)
from itfabrik.core.models import AuditAction
from itfabrik.core.money import MoneyError, to_money
from itfabrik.core.services import create_audited, update_versioned
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from .choices import (
    CLOSED_STATUSES,
    ImportStatus,
    InvoiceStatus,
    LineKind,
    PoolKind,
    RunStatus,
)
from .models import (
    AllocationKey,
    BillingRun,
    CostPool,
    FundSpending,
    Invoice,
    InvoiceLine,
    LedgerSettings,
    PoolBudget,
    UsageImport,
    UsageRecord,
)
from .selectors import fund_balance_get
from .sources import BillingContext, LineDraft, Period, charge_sources, context_for
from .validation import member_ids, validate_percentages


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _root(cooperation: Cooperation) -> OrgNode:
    assert cooperation.root is not None
    return cooperation.root


def _require(actor: Actor, action: str, node: OrgNode) -> None:
    """404 when the actor may not even see billing at the node; 403 when they see it but may
    not do this."""
    if not permissions.can(actor, action, node):
        if permissions.can(actor, actions.VIEW_INVOICE, node):
            raise Forbidden()
        raise NotFound()


# --- pools, budgets and keys -----------------------------------------------------------------


def pool_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    kind: str,
    code: str,
    name: str,
    description: str = "",
) -> CostPool:
    root = _root(cooperation)
    _require(actor, actions.MANAGE_POOLS, root)
    with transaction.atomic():
        pool = CostPool(
            cooperation=cooperation,
            kind=kind,
            code=code.strip(),
            name=name.strip(),
            description=description.strip(),
        )
        return create_audited(actor=actor, instance=pool, scope_path=root.path)


def pool_update(
    *,
    actor: Actor,
    pool: CostPool,
    expected_version: int | None,
    name: str,
    description: str = "",
) -> CostPool:
    """Rename or describe a pool. Its code and kind stay: lines and exports refer to them."""
    root = _root(pool.cooperation)
    _require(actor, actions.MANAGE_POOLS, root)
    if not name.strip():
        raise ValidationFailed(fields={"name": [_("Ange ett namn.")]})
    return update_versioned(
        actor=actor,
        instance=pool,
        expected_version=expected_version,
        changes={"name": name.strip(), "description": description.strip()},
        scope_path=root.path,
    )


def pool_close(
    *, actor: Actor, pool: CostPool, expected_version: int | None, closed_after: dt.date
) -> CostPool:
    """Close a pool after the last day of a month: it is not charged for later months. A month
    already approved cannot be reopened this way, so the day must not be before the last
    approved month of the pool."""
    root = _root(pool.cooperation)
    _require(actor, actions.MANAGE_POOLS, root)
    if not _is_last_of_month(closed_after):
        raise ValidationFailed(
            fields={"closed_after": [_("En pool stängs efter den sista dagen i en månad.")]}
        )
    if pool.closed_after is not None:
        raise ValidationFailed(fields={"closed_after": [_("Poolen är redan stängd.")]})
    last_approved = (
        InvoiceLine.objects.filter(cost_pool=pool, invoice__status__in=CLOSED_STATUSES)
        .order_by("-invoice__period")
        .values_list("invoice__period", flat=True)
        .first()
    )
    if last_approved and Period.of(closed_after).code < last_approved:
        raise ValidationFailed(
            fields={
                "closed_after": [
                    lazy_format(
                        _("Poolen har godkända fakturaunderlag till och med %(period)s."),
                        period=last_approved,
                    )
                ]
            }
        )
    return update_versioned(
        actor=actor,
        instance=pool,
        expected_version=expected_version,
        changes={"closed_after": closed_after},
        scope_path=root.path,
    )


def budget_set(
    *,
    actor: Actor,
    pool: CostPool,
    year: int,
    amount: Decimal | str,
    note: str = "",
    expected_version: int | None = None,
) -> PoolBudget:
    """Set a pool's yearly budget (insert or change). Months already approved keep their
    amounts; later months are charged from the new budget. `expected_version` is the version
    the editor saw (0: "there was none"); None is an unconditional upsert (API, demo)."""
    root = _root(pool.cooperation)
    _require(actor, actions.MANAGE_POOLS, root)
    value = _money(amount, "amount")
    if value < 0:
        raise ValidationFailed(fields={"amount": [_("Budgeten får inte vara negativ.")]})
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(fields={"year": [_("Ange ett år mellan 2000 och 2100.")]})
    if pool.closed_after is not None and int(year) > pool.closed_after.year:
        raise ValidationFailed(fields={"year": [_("Poolen är stängd för det året.")]})
    with transaction.atomic():
        existing = PoolBudget.objects.select_for_update().filter(pool=pool, year=year).first()
        if existing is None:
            if expected_version:
                raise Conflict()
            budget = PoolBudget(pool=pool, year=year, amount=value, note=note.strip())
            return create_audited(actor=actor, instance=budget, scope_path=root.path)
        if expected_version is not None and expected_version != existing.version:
            raise Conflict(
                _("Budgeten för året har ändrats av någon annan. Ladda om och försök igen.")
            )
        return update_versioned(
            actor=actor,
            instance=existing,
            expected_version=None,
            changes={"amount": value, "note": note.strip()},
            scope_path=root.path,
        )


def _is_last_of_month(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def key_adopt(
    *,
    actor: Actor,
    pool: CostPool,
    method: str,
    valid_from: dt.date,
    decision_reference: str,
    valid_to: dt.date | None = None,
    percentages: dict[str, Any] | None = None,
) -> AllocationKey:
    """Adopt a new version of a pool's allocation key for whole months. Versions never
    overlap: a clash is refused with a message naming the version it clashes with."""
    root = _root(pool.cooperation)
    _require(actor, actions.MANAGE_POOLS, root)
    errors: dict[str, list[Any]] = {}
    if valid_from.day != 1:
        errors["valid_from"] = [_("En nyckel gäller från den första i en månad.")]
    if valid_to is not None and not _is_last_of_month(valid_to):
        errors["valid_to"] = [_("En nyckel gäller till den sista i en månad.")]
    if valid_to is not None and valid_to < valid_from:
        errors.setdefault("valid_to", []).append(_("Slutdatum före startdatum."))
    if not decision_reference.strip():
        errors["decision_reference"] = [_("Ange beslutet som antog nyckeln.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if pool.closed_after is not None and valid_from > pool.closed_after:
        raise ValidationFailed(fields={"valid_from": [_("Poolen är stängd från det datumet.")]})
    clean = validate_percentages(
        cooperation=pool.cooperation, method=method, percentages=percentages
    )
    with transaction.atomic():
        CostPool.objects.select_for_update().get(pk=pool.pk)  # serialise adoptions per pool
        clash_q = Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
        if valid_to is not None:
            clash_q &= Q(valid_from__lte=valid_to)
        clash = AllocationKey.objects.filter(pool=pool).filter(clash_q).first()
        if clash is not None:
            raise ValidationFailed(
                fields={
                    "valid_from": [
                        lazy_format(
                            _(
                                "Perioden överlappar nyckeln %(key)s som gäller "
                                "%(start)s–%(end)s. Avsluta den först."
                            ),
                            key=str(clash),
                            start=clash.valid_from.isoformat(),
                            end=clash.valid_to.isoformat() if clash.valid_to else _("tills vidare"),
                        )
                    ]
                }
            )
        key = AllocationKey(
            pool=pool,
            method=method,
            valid_from=valid_from,
            valid_to=valid_to,
            decision_reference=decision_reference.strip(),
            percentages=clean,
        )
        return create_audited(actor=actor, instance=key, scope_path=root.path)


def key_end(*, actor: Actor, key: AllocationKey, valid_to: dt.date) -> AllocationKey:
    """End an open-ended key at the end of a month, so that a new version can follow."""
    root = _root(key.pool.cooperation)
    _require(actor, actions.MANAGE_POOLS, root)
    if not _is_last_of_month(valid_to) or valid_to < key.valid_from:
        raise ValidationFailed(
            fields={"valid_to": [_("Ange den sista dagen i en månad efter nyckelns start.")]}
        )
    with transaction.atomic():
        current = AllocationKey.objects.select_for_update().get(pk=key.pk)
        if current.valid_to is not None and current.valid_to < valid_to:
            raise ValidationFailed(
                fields={"valid_to": [_("Nyckeln kan bara kortas, inte förlängas.")]}
            )
        before = audit.snapshot(current)
        current.valid_to = valid_to
        current.save(update_fields=["valid_to", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            before=before,
            after=audit.snapshot(current),
            scope_path=root.path,
        )
        return current


# --- usage records ---------------------------------------------------------------------------


def _money(value: Any, name: str) -> Decimal:
    try:
        return to_money(value)
    except MoneyError:
        raise ValidationFailed(fields={name: [_("Ange ett belopp, t.ex. 650,00.")]}) from None


def _quantity(value: Any) -> Decimal:
    try:
        q = Decimal(str(value).strip().replace(",", "."))
        if not q.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValidationFailed(fields={"quantity": [_("Ange ett antal, t.ex. 1,5.")]}) from None
    if q != q.quantize(Decimal("0.01")):
        raise ValidationFailed(fields={"quantity": [_("Antalet får ha högst två decimaler.")]})
    if q <= 0:
        raise ValidationFailed(fields={"quantity": [_("Antalet ska vara större än noll.")]})
    return q


def _check_unit(actor: Actor, unit: OrgNode) -> None:
    _require(actor, actions.RECORD_USAGE, unit)
    if unit.kind != "unit":
        raise ValidationFailed(fields={"unit": [_("Förbrukning registreras på en enhet.")]})
    if not unit.cost_centre:
        raise ValidationFailed(fields={"unit": [_("Enheten saknar kostnadsställe.")]})


def usage_record(
    *,
    actor: Actor,
    unit: OrgNode,
    service: str,
    quantity: Decimal | str,
    unit_price: Decimal | str,
    used_on: dt.date,
    description: str = "",
    import_reference: str = "",
) -> UsageRecord:
    """Record one use of a service, charged to the unit's cost centre."""
    _check_unit(actor, unit)
    q = _quantity(quantity)
    price = _money(unit_price, "unit_price")
    if price < 0:
        raise ValidationFailed(fields={"unit_price": [_("À-priset får inte vara negativt.")]})
    if not service.strip():
        raise ValidationFailed(fields={"service": [_("Ange tjänsten.")]})
    record = UsageRecord(
        unit=unit,
        municipality_id=int(unit.municipality_id or 0),
        cost_centre=unit.cost_centre,
        service=service.strip(),
        description=description.strip(),
        quantity=q,
        unit_price=price,
        amount=to_money(q * price),
        used_on=used_on,
        import_reference=import_reference,
        created_by=_user(actor),
    )
    with transaction.atomic():
        return create_audited(actor=actor, instance=record, scope_path=unit.path)


def usage_credit(*, actor: Actor, record: UsageRecord, reason: str) -> UsageRecord:
    """Credit a record in full (a new record with the negative quantity). A record is credited
    once; if its month is already approved, the credit lands in the next open month."""
    unit = record.unit
    _require(actor, actions.RECORD_USAGE, unit)
    if record.is_credit:
        raise ValidationFailed(_("En kreditering kan inte krediteras."))
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [_("Ange varför posten krediteras.")]})
    with transaction.atomic():
        UsageRecord.objects.select_for_update().get(pk=record.pk)
        if UsageRecord.objects.filter(corrects=record, is_credit=True).exists():
            raise Conflict(_("Posten är redan krediterad."))
        credit = UsageRecord(
            unit=unit,
            municipality_id=record.municipality_id,
            cost_centre=record.cost_centre,
            service=record.service,
            description=f"{_('Kreditering')}: {reason.strip()}"[:300],
            quantity=-record.quantity,
            unit_price=record.unit_price,
            amount=-record.amount,
            used_on=record.used_on,
            corrects=record,
            is_credit=True,
            created_by=_user(actor),
        )
        return create_audited(actor=actor, instance=credit, scope_path=unit.path)


def usage_correct(
    *,
    actor: Actor,
    record: UsageRecord,
    reason: str,
    quantity: Decimal | str,
    unit_price: Decimal | str | None = None,
) -> tuple[UsageRecord, UsageRecord]:
    """Correct a record: credit it and record the right values (same unit, service, date)."""
    _quantity(quantity)
    with transaction.atomic():
        credit = usage_credit(actor=actor, record=record, reason=reason)
        new = usage_record(
            actor=actor,
            unit=record.unit,
            service=record.service,
            description=record.description,
            quantity=quantity,
            unit_price=record.unit_price if unit_price is None else unit_price,
            used_on=record.used_on,
        )
        UsageRecord.objects.filter(pk=new.pk).update(corrects=record)
        new.corrects = record
        return credit, new


CSV_COLUMNS = ("kommunkod", "kostnadsstalle", "tjanst", "beskrivning", "antal", "a_pris", "datum")


@dataclass
class ImportResult:
    rows: int = 0
    written: int = 0
    dry_run: bool = True
    errors: list[dict[str, Any]] = field(default_factory=list)


def _decode(data: bytes | str) -> str:
    try:
        return data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise ValidationFailed(fields={"file": [_("Filen ska vara en CSV-fil i UTF-8.")]}) from None


def _parse_usage_csv(
    *, actor: Actor, cooperation: Cooperation, text: str
) -> tuple[ImportResult, list[dict[str, Any]]]:
    """Every row checked; the good ones ready to write. Writes nothing."""
    lines = text.splitlines()
    if not lines:
        raise ValidationFailed(fields={"file": [_("Filen är tom.")]})
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed(
            fields={
                "file": [
                    lazy_format(_("Kolumner saknas: %(columns)s."), columns=", ".join(missing))
                ]
            }
        )
    units = {
        (u.municipality.municipal_code if u.municipality else "", u.cost_centre): u
        for u in OrgNode.objects.filter(cooperation=cooperation, kind="unit")
        .exclude(cost_centre="")
        .select_related("municipality")
    }
    result = ImportResult()
    good: list[dict[str, Any]] = []
    for number, raw in enumerate(reader, start=2):
        # A row with too many fields has them in a list under the key None: not a column.
        row = {
            k.strip().lower(): v.strip() if isinstance(v, str) else ""
            for k, v in raw.items()
            if isinstance(k, str)
        }
        result.rows += 1
        problems: list[str] = []
        unit = units.get((row["kommunkod"], row["kostnadsstalle"]))
        if unit is None or not permissions.can(actor, actions.RECORD_USAGE, unit):
            problems.append(str(_("Okänt kostnadsställe för kommunkoden.")))
        try:
            used_on = dt.date.fromisoformat(row["datum"])
        except ValueError:
            problems.append(str(_("Datumet ska skrivas ÅÅÅÅ-MM-DD.")))
        for name, check in (("antal", _quantity), ("a_pris", lambda v: _money(v, "unit_price"))):
            try:
                value = check(row[name])
                if name == "a_pris" and value < 0:
                    problems.append(str(_("À-priset får inte vara negativt.")))
            except ValidationFailed as exc:
                problems.extend(str(m) for msgs in exc.fields.values() for m in msgs)
        if not row["tjanst"]:
            problems.append(str(_("Ange tjänsten.")))
        if problems:
            result.errors.append({"row": number, "messages": problems})
        else:
            good.append({"unit": unit, "row": row, "used_on": used_on})
    return result, good


def _write_usage_row(actor: Actor, g: dict[str, Any], reference: str) -> UsageRecord:
    return usage_record(
        actor=actor,
        unit=g["unit"],
        service=g["row"]["tjanst"],
        description=g["row"]["beskrivning"],
        quantity=g["row"]["antal"],
        unit_price=g["row"]["a_pris"],
        used_on=g["used_on"],
        import_reference=reference,
    )


def usage_import_csv(
    *, actor: Actor, cooperation: Cooperation, data: bytes | str, dry_run: bool
) -> ImportResult:
    """Import usage records from CSV (`;` or `,` separated, UTF-8, a header row with
    kommunkod;kostnadsstalle;tjanst;beskrivning;antal;a_pris;datum). A dry run lists every bad
    row; a real run writes every row or, if any row is bad, none. At once, in this process
    (the API); the web page checks the file and leaves the writing to the worker
    (`usage_import_check` / `usage_import_commit`)."""
    _require(actor, actions.RECORD_USAGE, _root(cooperation))
    result, good = _parse_usage_csv(actor=actor, cooperation=cooperation, text=_decode(data))
    result.dry_run = dry_run
    if dry_run:
        return result
    if result.errors:
        raise ValidationFailed(
            lazy_format(
                _("%(count)s rader har fel; inget har importerats."), count=len(result.errors)
            ),
            fields={f"row_{e['row']}": e["messages"] for e in result.errors},
        )
    reference = f"csv {timezone.now():%Y-%m-%d %H:%M}"
    with transaction.atomic():
        for g in good:
            _write_usage_row(actor, g, reference)
            result.written += 1
    return result


IMPORT_CHUNK = 200


def usage_import_check(
    *, actor: Actor, cooperation: Cooperation, data: bytes | str, file_name: str
) -> UsageImport:
    """Check a file (the dry run) and keep it with its result, so that the user can look at
    every bad row and then start the import. A file that cannot be read at all is refused and
    nothing is kept."""
    root = _root(cooperation)
    _require(actor, actions.RECORD_USAGE, root)
    text = _decode(data)
    result, _good = _parse_usage_csv(actor=actor, cooperation=cooperation, text=text)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=UsageImport(
                cooperation=cooperation,
                file_name=(file_name or "import.csv")[:200],
                content=text,
                status=ImportStatus.INVALID if result.errors else ImportStatus.CHECKED,
                rows=result.rows,
                errors=result.errors,
                started_by=_user(actor),
            ),
            scope_path=root.path,
        )


def usage_import_commit(
    *, actor: Actor, usage_import: UsageImport, expected_version: int | None
) -> UsageImport:
    """Hand a checked file to the worker. A conditional update: a double submit, or a file
    with errors, starts nothing."""
    root = _root(usage_import.cooperation)
    _require(actor, actions.RECORD_USAGE, root)
    from .tasks import import_usage

    version = usage_import.version if expected_version is None else expected_version
    with transaction.atomic():
        before = audit.snapshot(usage_import)
        changed = UsageImport.objects.filter(
            pk=usage_import.pk, status=ImportStatus.CHECKED, version=version
        ).update(status=ImportStatus.QUEUED, version=F("version") + 1, started_by=_user(actor))
        if changed != 1:
            raise Conflict(
                _("Importen är redan startad, eller filen har fel. Ladda om sidan."),
                code="import_not_checked",
            )
        usage_import.refresh_from_db()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=usage_import,
            before=before,
            after=audit.snapshot(usage_import),
            scope_path=root.path,
        )
        import_usage.enqueue(import_id=usage_import.pk)
    usage_import.refresh_from_db()
    return usage_import


def _set_import(import_id: int, **values: Any) -> None:
    UsageImport.objects.filter(pk=import_id).update(**values)


def usage_import_execute(*, import_id: int) -> UsageImport:
    """The job: check the file again (the actor's rights may have changed since) and write it
    in chunks of IMPORT_CHUNK rows, each chunk committed together with the count written so
    far. That count is the progress the page shows, and where a retried job resumes: every
    row is written exactly once."""
    imp = UsageImport.objects.select_related("cooperation", "started_by").get(pk=import_id)
    if imp.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return imp
    actor = imp.started_by
    _set_import(import_id, status=ImportStatus.RUNNING)
    bad_rows: list[dict[str, Any]] = []
    try:
        if actor is None:
            raise Forbidden()
        result, good = _parse_usage_csv(actor=actor, cooperation=imp.cooperation, text=imp.content)
        bad_rows = result.errors
        if result.errors:
            raise ValidationFailed(
                lazy_format(
                    _("%(count)s rader har fel; inget har importerats."), count=len(result.errors)
                )
            )
        reference = f"import {imp.pk}"
        done = imp.written
        while done < len(good):
            chunk = good[done : done + IMPORT_CHUNK]
            with transaction.atomic():
                for g in chunk:
                    _write_usage_row(actor, g, reference)
                done += len(chunk)
                _set_import(import_id, written=done, progress=int(100 * done / len(good)))
    except ApplicationError as exc:
        _set_import(
            import_id,
            status=ImportStatus.FAILED,
            message=str(exc.message),
            errors=bad_rows,
            finished_at=timezone.now(),
        )
    else:
        _set_import(import_id, status=ImportStatus.DONE, progress=100, finished_at=timezone.now())
    imp.refresh_from_db()
    return imp


# --- the digitalisation fund ------------------------------------------------------------------


def fund_spend(
    *,
    actor: Actor,
    pool: CostPool,
    initiative: str,
    amount: Decimal | str,
    spent_on: dt.date,
    reference: str = "",
    overdraft_decision: str = "",
) -> FundSpending:
    """Record spending on an initiative; spending beyond the fund's balance is refused unless
    `overdraft_decision` names the decision that lets the fund go below zero (it is kept in the
    spending's reference, and so in the audit trail)."""
    root = _root(pool.cooperation)
    _require(actor, actions.MANAGE_FUND, root)
    if pool.kind != PoolKind.FUND:
        raise ValidationFailed(fields={"pool": [_("Utgifter bokas bara mot en fond.")]})
    value = _money(amount, "amount")
    if value <= 0:
        raise ValidationFailed(fields={"amount": [_("Beloppet ska vara större än noll.")]})
    if not initiative.strip():
        raise ValidationFailed(fields={"initiative": [_("Ange initiativet.")]})
    with transaction.atomic():
        CostPool.objects.select_for_update().get(pk=pool.pk)
        balance = fund_balance_get(pool)
        if value > balance and not overdraft_decision.strip():
            raise ValidationFailed(
                fields={
                    "amount": [
                        lazy_format(
                            _("Beloppet överstiger fondens saldo (%(balance)s kr)."),
                            balance=f"{balance:f}",
                        )
                    ]
                }
            )
        parts = (reference.strip(), overdraft_decision.strip())
        reference_text = " ".join(p for p in parts if p)[:100]
        spending = FundSpending(
            pool=pool,
            initiative=initiative.strip(),
            reference=reference_text,
            amount=value,
            spent_on=spent_on,
            created_by=_user(actor),
        )
        return create_audited(actor=actor, instance=spending, scope_path=root.path)


# --- ledger settings --------------------------------------------------------------------------


def ledger_settings_for(municipality: OrgNode) -> LedgerSettings:
    """The municipality's settings, or the defaults (unsaved) when none are stored."""
    found = LedgerSettings.objects.filter(municipality=municipality).first()
    return found or LedgerSettings(municipality=municipality)


def ledger_settings_set(
    *, actor: Actor, municipality: OrgNode, expected_version: int | None = None, **values: str
) -> LedgerSettings:
    _require(actor, actions.APPROVE_INVOICE, municipality)
    allowed = {
        "voucher_series",
        "shared_account",
        "consumption_account",
        "fund_account",
        "counter_account",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in unknown})
    bad: dict[str, list[Any]] = {
        k: [_("Ett konto är fyra siffror.")]
        for k, v in values.items()
        if k.endswith("_account") and not (v.isdecimal() and len(v) == 4)
    }
    if bad:
        raise ValidationFailed(fields=bad)
    with transaction.atomic():
        current = LedgerSettings.objects.filter(municipality=municipality).first()
        if current is None:
            return create_audited(
                actor=actor,
                instance=LedgerSettings(municipality=municipality, **values),
                scope_path=municipality.path,
            )
        return update_versioned(
            actor=actor,
            instance=current,
            expected_version=expected_version,
            changes=values,
            scope_path=municipality.path,
        )


# --- the monthly billing run ------------------------------------------------------------------


def _refuse_closed(cooperation: Cooperation, period: Period) -> None:
    closed = list(
        Invoice.objects.filter(
            cooperation=cooperation, period=period.code, status__in=CLOSED_STATUSES
        )
        .select_related("municipality")
        .order_by("municipality__name")
    )
    if closed:
        raise Conflict(
            lazy_format(
                _(
                    "Perioden %(period)s har redan godkända fakturaunderlag (%(names)s). "
                    "Rättelser görs som kredit- eller debetrader i en senare period."
                ),
                period=period.code,
                names=", ".join(i.municipality.name for i in closed),
            ),
            code="period_closed",
        )


def billing_run_start(*, actor: Actor, cooperation: Cooperation, period: str) -> BillingRun:
    """Start (or queue) the billing run of a month. Refused, with nothing changed, when the
    month already has an approved invoice."""
    root = _root(cooperation)
    _require(actor, actions.RUN_BILLING, root)
    p = Period.parse(period)
    _refuse_closed(cooperation, p)
    from .tasks import run_billing

    with transaction.atomic():
        run = BillingRun(
            cooperation=cooperation,
            period=p.code,
            started_by=_user(actor),
        )
        run = create_audited(actor=actor, instance=run, scope_path=root.path)
        # Enqueued in the same transaction: the database backend's job row commits with the
        # run; the immediate backend (tests) runs it here and now.
        run_billing.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


def _set_run(run_id: int, **values: Any) -> None:
    BillingRun.objects.filter(pk=run_id).update(**values)


def billing_run_execute(*, run_id: int) -> BillingRun:
    """The job: compute every source's lines for the month and replace the drafts' lines, all
    in one transaction. Idempotent: running it again gives the same invoices and lines."""
    run = BillingRun.objects.select_related("cooperation").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    _set_run(run_id, status=RunStatus.RUNNING, progress=0, message="", warnings=[])
    try:
        with transaction.atomic():
            produce_drafts(cooperation=run.cooperation, period=Period.parse(run.period), run=run)
    except ApplicationError as exc:
        _set_run(run_id, status=RunStatus.FAILED, message=str(exc), finished_at=timezone.now())
    else:
        _set_run(run_id, status=RunStatus.DONE, progress=100, finished_at=timezone.now())
    run.refresh_from_db()
    return run


def _withhold_non_members(ctx: BillingContext, drafts: dict[int, list[LineDraft]]) -> None:
    """A municipality with no member day in the month is not billed for it: leaving is an
    amendment that stops billing from its date (R8), and a municipality that has not joined yet
    is not billed either. Its corrections of months in which it was a member still are. What is
    withheld is a warning on the run, so that a missing membership is found, not hidden."""
    for municipality_id in sorted(m for m in drafts if m not in ctx.member_days):
        lines = drafts[municipality_id]
        kept = [d for d in lines if d.kind == LineKind.CORRECTION]
        withheld = [d for d in lines if d.kind != LineKind.CORRECTION]
        if kept:
            drafts[municipality_id] = kept
        else:
            del drafts[municipality_id]
        if withheld:
            ctx.warn(
                source="billing",
                code="not_a_member",
                message=_(
                    "%(municipality)s är inte medlem någon dag i %(period)s: %(count)s rader "
                    "har inte debiterats (%(amount)s kr)."
                )
                % {
                    "municipality": ctx.names.get(municipality_id, municipality_id),
                    "period": ctx.period.code,
                    "count": len(withheld),
                    "amount": sum((d.amount for d in withheld), Decimal("0")),
                },
                municipality_id=municipality_id,
                references=[d.description for d in withheld],
            )


def produce_drafts(
    *, cooperation: Cooperation, period: Period, run: BillingRun | None = None
) -> list[Invoice]:
    """Every source's lines of the month, grouped per municipality, replacing the drafts whose
    lines changed. A fixed number of queries whatever the number of municipalities and lines
    (bench/: a national month is hundreds of thousands of lines): the existing lines are read
    in one query, the changed drafts' lines deleted in one and the new lines written in one
    COPY (PostgreSQL) or in batches."""
    _refuse_closed(cooperation, period)
    ctx = context_for(cooperation, period)
    drafts: dict[int, list[LineDraft]] = defaultdict(list)
    for _name, source in sorted(charge_sources().items()):
        for line in source(ctx):
            drafts[line.municipality_id].append(line)
    _withhold_non_members(ctx, drafts)
    if run is not None:
        _set_run(run.pk, progress=50, warnings=ctx.warnings)
    existing = {
        i.municipality_id: i
        for i in Invoice.objects.select_for_update().filter(
            cooperation=cooperation, period=period.code
        )
    }
    # Drafts of municipalities that no longer have anything to pay go away.
    stale = [i.pk for m, i in existing.items() if m not in drafts]
    InvoiceLine.objects.filter(invoice_id__in=stale).delete()
    Invoice.objects.filter(pk__in=stale, status=InvoiceStatus.DRAFT).delete()
    current = _contents([i.pk for m, i in existing.items() if m in drafts])
    changed: list[Invoice] = []
    created: list[Invoice] = []
    to_write: list[tuple[Invoice, list[LineDraft]]] = []
    for municipality_id in sorted(drafts):
        lines = drafts[municipality_id]
        ordered = _ordered(lines)
        totals = _kind_totals(lines)
        invoice = existing.get(municipality_id)
        if invoice is None:
            invoice = Invoice(
                cooperation=cooperation,
                municipality_id=municipality_id,
                period=period.code,
                **totals,
            )
            created.append(invoice)
        elif current.get(invoice.pk, []) == [
            _draft_content(n, d) for n, d in enumerate(ordered, 1)
        ]:
            continue  # nothing changed: the same lines, ids and version
        else:
            for name, value in totals.items():
                setattr(invoice, name, value)
            changed.append(invoice)
        to_write.append((invoice, ordered))
    if changed:
        InvoiceLine.objects.filter(invoice__in=changed).delete()
        for invoice in changed:
            Invoice.objects.filter(pk=invoice.pk).update(
                version=F("version") + 1,
                **{name: getattr(invoice, name) for name in _TOTALS},
            )
    Invoice.objects.bulk_create(created)
    _insert_lines(
        InvoiceLine(
            invoice_id=invoice.pk,
            position=n,
            kind=d.kind,
            amount=d.amount,
            unit_id=d.unit_id,
            cost_centre=d.cost_centre,
            cost_pool_id=d.cost_pool_id,
            service=d.service,
            description=d.description,
            quantity=d.quantity,
            unit_price=d.unit_price,
            allocation_key_id=d.allocation_key_id,
            usage_record_id=d.usage_record_id,
            source=d.source,
        )
        for invoice, ordered in to_write
        for n, d in enumerate(ordered, start=1)
    )
    if run is not None:
        _set_run(run.pk, progress=100)
    by_municipality = {
        i.municipality_id: i
        for i in Invoice.objects.filter(cooperation=cooperation, period=period.code)
    }
    return [by_municipality[m] for m in sorted(drafts)]


_TOTALS = ("total", "shared_total", "fund_total", "consumption_total")


def _kind_totals(lines: Iterable[LineDraft]) -> dict[str, Decimal]:
    """An invoice's total and its parts by kind (consumption with the corrections)."""
    out = dict.fromkeys(_TOTALS, Decimal(0))
    for d in lines:
        out["total"] += d.amount
        if d.kind == LineKind.SHARED:
            out["shared_total"] += d.amount
        elif d.kind == LineKind.FUND:
            out["fund_total"] += d.amount
        else:
            out["consumption_total"] += d.amount
    return {k: to_money(v) for k, v in out.items()}


_COPY_COLUMNS = (
    "invoice_id",
    "position",
    "kind",
    "amount",
    "unit_id",
    "cost_centre",
    "cost_pool_id",
    "service",
    "description",
    "quantity",
    "unit_price",
    "allocation_key_id",
    "usage_record_id",
    "source",
)


def _insert_lines(lines: Iterable[InvoiceLine]) -> None:
    """Write invoice lines in bulk (COPY on PostgreSQL: a national month has 200,000)."""
    insert_rows(
        InvoiceLine,
        _COPY_COLUMNS,
        (tuple(getattr(line, c) for c in _COPY_COLUMNS) for line in lines),
    )


_CONTENT = (
    "position",
    "kind",
    "amount",
    "unit_id",
    "cost_centre",
    "cost_pool_id",
    "service",
    "description",
    "quantity",
    "unit_price",
    "allocation_key_id",
    "usage_record_id",
    "source",
)


def _contents(invoice_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    if not invoice_ids:
        return out
    rows = (
        InvoiceLine.objects.filter(invoice_id__in=invoice_ids)
        .order_by("invoice_id", "position")
        .values_list("invoice_id", *_CONTENT)
    )
    for row in rows.iterator(chunk_size=5000):
        out[row[0]].append(row[1:])
    return out


def _draft_content(position: int, d: LineDraft) -> tuple[Any, ...]:
    return (
        position,
        d.kind,
        d.amount,
        d.unit_id,
        d.cost_centre,
        d.cost_pool_id,
        d.service,
        d.description,
        d.quantity,
        d.unit_price,
        d.allocation_key_id,
        d.usage_record_id,
        d.source,
    )


def _ordered(lines: list[LineDraft]) -> list[LineDraft]:
    order = {LineKind.SHARED: 0, LineKind.FUND: 1, LineKind.CONSUMPTION: 2, LineKind.CORRECTION: 3}
    return sorted(
        lines,
        key=lambda d: (
            order.get(d.kind, 9),  # type: ignore[call-overload]
            d.cost_centre,
            str(d.source.get("used_on", "")),
            d.usage_record_id or 0,
            d.cost_pool_id or 0,
        ),
    )


def invoice_approve(
    *, actor: Actor, invoice: Invoice, expected_version: int | None = None
) -> Invoice:
    """Approve (lock) a draft. A conditional update on status and version: of two approvals at
    once exactly one succeeds; the other gets a Conflict."""
    municipality = invoice.municipality
    _require(actor, actions.APPROVE_INVOICE, municipality)
    version = invoice.version if expected_version is None else expected_version
    with transaction.atomic():
        before = audit.snapshot(invoice)
        changed = Invoice.objects.filter(
            pk=invoice.pk, status=InvoiceStatus.DRAFT, version=version
        ).update(
            status=InvoiceStatus.APPROVED,
            version=F("version") + 1,
            approved_by=_user(actor),
            approved_at=timezone.now(),
        )
        if changed != 1:
            raise Conflict(
                _("Fakturaunderlaget har redan godkänts eller ändrats. Ladda om och försök igen."),
                code="not_draft",
            )
        invoice.refresh_from_db()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=invoice,
            before=before,
            after=audit.snapshot(invoice),
            scope_path=municipality.path,
        )
        return invoice


def invoice_mark_exported(*, actor: Actor, invoice: Invoice) -> Invoice:
    """An approved invoice handed to the ledger (SIE) becomes exported."""
    _require(actor, actions.APPROVE_INVOICE, invoice.municipality)
    with transaction.atomic():
        before = audit.snapshot(invoice)
        changed = Invoice.objects.filter(pk=invoice.pk, status=InvoiceStatus.APPROVED).update(
            status=InvoiceStatus.EXPORTED, exported_at=timezone.now(), version=F("version") + 1
        )
        if changed:
            invoice.refresh_from_db()
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=invoice,
                before=before,
                after=audit.snapshot(invoice),
                scope_path=invoice.municipality.path,
            )
        return invoice


def invoice_export(*, actor: Actor, invoice: Invoice, file_format: str) -> Any:
    """The invoice as a file. SIE 4 is for the ledger: only an approved (or already exported)
    invoice, and handing it over marks the invoice exported."""
    from . import exports

    permissions.require(actor, actions.VIEW_INVOICE, invoice.municipality)
    if file_format not in exports.FORMATS:
        raise ValidationFailed(fields={"format": [_("Välj format: csv, xlsx, pdf eller sie.")]})
    lines = list(
        InvoiceLine.objects.filter(invoice=invoice)
        .select_related("unit", "cost_pool")
        .order_by("position")
    )
    if file_format == "csv":
        return exports.to_csv(invoice, lines)
    if file_format == "xlsx":
        return exports.to_xlsx(invoice, lines)
    if file_format == "pdf":
        host = invoice.cooperation.host
        return exports.to_pdf(invoice, lines, host_name=host.name if host else "")
    if invoice.status not in CLOSED_STATUSES:
        raise ValidationFailed(
            _("Bara ett godkänt fakturaunderlag kan exporteras till bokföringen (SIE).")
        )
    file = exports.to_sie(
        invoice,
        lines,
        ledger=ledger_settings_for(invoice.municipality),
        today=timezone.localdate(),
    )
    if permissions.can(actor, actions.APPROVE_INVOICE, invoice.municipality):
        invoice_mark_exported(actor=actor, invoice=invoice)
    return file


def billing_run_now(*, actor: Actor, cooperation: Cooperation, period: str) -> BillingRun:
    """Run a month at once in this process (the demo, and the command line), not in the worker.
    The same checks and the same job as `billing_run_start`."""
    root = _root(cooperation)
    _require(actor, actions.RUN_BILLING, root)
    p = Period.parse(period)
    _refuse_closed(cooperation, p)
    run = create_audited(
        actor=actor,
        instance=BillingRun(
            cooperation=cooperation,
            period=p.code,
            started_by=_user(actor),
        ),
        scope_path=root.path,
    )
    return billing_run_execute(run_id=run.pk)


def member_municipalities(*, cooperation: Cooperation) -> list[OrgNode]:
    """The municipalities that are or have been members (for the demo and forms)."""
    ids = member_ids(cooperation)
    return list(OrgNode.objects.filter(pk__in=ids).order_by("name"))
