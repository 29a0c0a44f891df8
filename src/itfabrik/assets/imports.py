"""Imports of a device-management export (Intune's device export and the like): CSV or XLSX.

Every row is checked first and gets its line, its action (new, changed, unchanged) and every
error with its reason; a dry run stops there. A real run writes every row or, when any row has
an error, none. A device is known by its manufacturer and serial number, so the same file run
again finds every device unchanged and writes nothing.

Rows are written in bulk, their history and audit rows too: COPY on PostgreSQL, one UPDATE per
chunk for the changed devices, a fixed number of queries whatever the size of the file (ADR
0047), so that an export of a hundred thousand devices is a matter of seconds; the web page
leaves that to the worker (`import_check` / `import_commit` / `import_execute`), the API writes
at once (`import_run`).

Which municipality a row belongs to: the primary user's e-mail domain (the municipalities'
`email_domain`), else the municipality the person importing chose.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL
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
from itfabrik.core.models import AuditAction, AuditEntry
from itfabrik.core.services import create_audited
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import ImportStatus, Ownership, RowAction
from .models import Device, DeviceEvent, DeviceImport, DeviceModel
from .services import _root

# The export's columns, by the names Intune gives them (compared without case).
DEVICE_NAME = "device name"
SERIAL = "serial number"
MANUFACTURER = "manufacturer"
MODEL = "model"
OS = "os"
OS_VERSION = "os version"
UPN = "primary user upn"
CHECK_IN = "last check-in"
COMPLIANCE = "compliance"
OWNERSHIP = "ownership"
ENCRYPTED = "encrypted"
COLUMNS = (
    DEVICE_NAME,
    SERIAL,
    MANUFACTURER,
    MODEL,
    OS,
    OS_VERSION,
    UPN,
    CHECK_IN,
    COMPLIANCE,
    OWNERSHIP,
    ENCRYPTED,
)
REQUIRED = (SERIAL, MANUFACTURER, MODEL)
MAX_ROWS = 200_000
CHUNK = 1000
# Fields an import sets on a device it already knows.
UPDATED_FIELDS = (
    "name",
    "model_id",
    "kind",
    "os",
    "os_version",
    "current_user_id",
    "last_check_in",
    "mdm_compliance",
    "encrypted",
    "managed",
)

YES = {"yes", "true", "ja", "1", "encrypted", "krypterad"}
NO = {"no", "false", "nej", "0", "not encrypted", "notencrypted", "ej krypterad"}
OWNERSHIP_KEEP = {"", "corporate", "company", "företag", "leased", "leasad"}
OWNERSHIP_PURCHASED = {"purchased", "köpt", "kopt"}
OWNERSHIP_PERSONAL = {"personal", "privat"}
UPN_RE = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")
US_DATETIME = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$"
)


@dataclass
class RowResult:
    line: int
    action: str
    serial_number: str = ""
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "action": self.action,
            "serial_number": self.serial_number,
            "errors": self.errors,
        }


@dataclass
class Checked:
    """The rows checked: every row's result, and the writes for the good ones."""

    results: list[RowResult] = field(default_factory=list)
    creates: list[Device] = field(default_factory=list)
    updates: list[tuple[Device, dict[str, Any]]] = field(default_factory=list)

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.results if r.errors]

    def counts(self) -> dict[str, int]:
        out = {a: 0 for a in RowAction.values}
        for r in self.results:
            out[r.action] += 1
        return out


# --- reading the file ---------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_file(data: bytes, file_name: str = "") -> list[list[str]]:
    """The file's rows (header first) as text. XLSX is recognised by its content (a zip)."""
    if not data.strip():
        raise ValidationFailed(fields={"file": [_("Filen är tom.")]})
    rows = _read_xlsx(data) if data[:2] == b"PK" else _read_csv(data)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ValidationFailed(fields={"file": [_("Filen är tom.")]})
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationFailed(
            fields={"file": [lazy_format(_("Filen har fler än %(max)s rader."), max=MAX_ROWS)]}
        )
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            fields={"file": [_("Filen ska vara en CSV-fil i UTF-8 eller en XLSX-fil.")]}
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationFailed(fields={"file": [_("XLSX-filen går inte att läsa.")]}) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _header(rows: list[list[str]]) -> dict[str, int]:
    header = {name.strip().lower(): i for i, name in enumerate(rows[0])}
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationFailed(
            fields={
                "file": [
                    lazy_format(
                        _("Kolumner saknas: %(columns)s."),
                        columns=", ".join(c.title() for c in missing),
                    )
                ]
            }
        )
    return header


# --- parsing values -----------------------------------------------------------------------------


def parse_check_in(text: str) -> dt.datetime | None:
    """Intune writes "2026-05-06 08:12:33.0000000" or "5/6/2026 8:12:33 AM"; both in UTC."""
    text = text.strip()
    if not text:
        return None
    m = US_DATETIME.match(text)
    if m:
        month, day, year, hour, minute = (int(m.group(i)) for i in range(1, 6))
        second = int(m.group(6) or 0)
        ampm = (m.group(7) or "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        value = dt.datetime(year, month, day, hour, minute, second)
    else:
        cleaned = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
        value = dt.datetime.fromisoformat(cleaned)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def parse_encrypted(text: str) -> bool | None:
    low = text.strip().lower()
    if not low:
        return None
    if low in YES:
        return True
    if low in NO:
        return False
    raise ValueError(low)


# --- checking -----------------------------------------------------------------------------------


class _Context:
    """What checking the rows looks up, loaded once for the whole file."""

    def __init__(self, actor: Actor, cooperation: Cooperation, rows: list[list[str]]) -> None:
        self.actor = actor
        self.models = {
            (m.manufacturer.lower(), m.name.lower()): m
            for m in DeviceModel.objects.filter(cooperation=cooperation)
        }
        self.domains = {
            n.email_domain.lower(): n
            for n in OrgNode.objects.filter(
                cooperation=cooperation, kind="municipality", is_active=True
            ).exclude(email_domain="")
        }
        self.may_manage: dict[int, bool] = {}
        self.existing: dict[tuple[str, str], Device] = {}
        self.users: dict[str, User] = {}

    def load(self, serials: set[str], upns: set[str], cooperation: Cooperation) -> None:
        for d in Device.objects.filter(
            _one_of(Device, "serial_number", serials), cooperation=cooperation
        ).select_related("municipality"):
            self.existing[(d.manufacturer.lower(), d.serial_number.lower())] = d
        if upns:
            for u in User.objects.filter(
                _one_of(User, "email", upns), is_active=True
            ).select_related("home_unit"):
                self.users.setdefault(u.email.lower(), u)

    def manages(self, municipality: OrgNode) -> bool:
        if municipality.pk not in self.may_manage:
            self.may_manage[municipality.pk] = permissions.can(
                self.actor, actions.MANAGE_DEVICES, municipality
            )
        return self.may_manage[municipality.pk]


def _one_of(model: type[Any], name: str, values: set[str]) -> Q | RawSQL:
    """The condition "the field is one of these values", for a file's worth of them: on
    PostgreSQL one array parameter (an IN list of a few hundred thousand placeholders takes
    seconds to build and to send), elsewhere IN."""
    if connection.vendor != "postgresql":
        return Q(**{f"{name}__in": values})
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(name).column)}"
    # Only the model's names go into the text; the values are the parameter.
    return RawSQL(f"{column} = ANY(%s)", [list(values)], output_field=BooleanField())  # noqa: S611


def check_rows(
    *,
    actor: Actor,
    cooperation: Cooperation,
    rows: list[list[str]],
    municipality: OrgNode | None = None,
) -> Checked:
    """Check every row; what the good ones would write. Writes nothing."""
    header = _header(rows)
    ctx = _Context(actor, cooperation, rows)

    def get(row: list[str], name: str) -> str:
        i = header.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    body = rows[1:]
    serials = {get(r, SERIAL) for r in body if get(r, SERIAL)}
    # Both spellings: serial numbers are stored as given, compared without case.
    serials |= {s.upper() for s in serials} | {s.lower() for s in serials}
    upns = {get(r, UPN).lower() for r in body if get(r, UPN)}
    ctx.load(serials, upns, cooperation)
    out = Checked()
    fields = [(f.attname, f.get_default()) for f in Device._meta.concrete_fields]
    seen: dict[tuple[str, str], int] = {}
    now = timezone.now()
    today = timezone.localdate()
    for line, row in enumerate(body, start=2):
        result = RowResult(line=line, action=RowAction.ERROR, serial_number=get(row, SERIAL))
        out.results.append(result)
        errors = result.errors
        serial, maker, model_name = get(row, SERIAL), get(row, MANUFACTURER), get(row, MODEL)
        if not serial:
            errors.append(str(_("Serienummer saknas.")))
        if not maker:
            errors.append(str(_("Tillverkare saknas.")))
        model = ctx.models.get((maker.lower(), model_name.lower()))
        if maker and model is None:
            errors.append(
                str(
                    lazy_format(
                        _("Modellen ”%(model)s” från %(maker)s finns inte i modellkatalogen."),
                        model=model_name,
                        maker=maker,
                    )
                )
            )
        key = (maker.lower(), serial.lower())
        if serial and maker:
            if key in seen:
                errors.append(
                    str(
                        lazy_format(
                            _("Samma serienummer finns redan på rad %(line)s."), line=seen[key]
                        )
                    )
                )
            else:
                seen[key] = line
        try:
            check_in = parse_check_in(get(row, CHECK_IN))
        except ValueError:
            check_in = None
            errors.append(
                str(
                    lazy_format(
                        _("Senaste kontakt ”%(value)s” är inget datum och klockslag."),
                        value=get(row, CHECK_IN),
                    )
                )
            )
        if check_in is not None and check_in > now + dt.timedelta(days=1):
            errors.append(str(_("Senaste kontakt ligger i framtiden.")))
        try:
            encrypted = parse_encrypted(get(row, ENCRYPTED))
        except ValueError:
            encrypted = None
            errors.append(
                str(
                    lazy_format(
                        _("Krypterad ska vara Yes eller No, inte ”%(value)s”."),
                        value=get(row, ENCRYPTED),
                    )
                )
            )
        owner_text = get(row, OWNERSHIP).lower()
        if owner_text in OWNERSHIP_PERSONAL:
            errors.append(str(_("Privatägda enheter registreras inte.")))
        elif owner_text not in OWNERSHIP_KEEP | OWNERSHIP_PURCHASED:
            errors.append(
                str(lazy_format(_("Okänd ägandeform ”%(value)s”."), value=get(row, OWNERSHIP)))
            )
        upn = get(row, UPN).lower()
        user = None
        target = municipality
        if upn:
            m = UPN_RE.match(upn)
            if m is None:
                errors.append(
                    str(lazy_format(_("”%(value)s” är ingen e-postadress."), value=get(row, UPN)))
                )
            else:
                target = ctx.domains.get(m.group(1))
                if target is None:
                    errors.append(
                        str(
                            lazy_format(
                                _("E-postdomänen %(domain)s hör inte till någon kommun."),
                                domain=m.group(1),
                            )
                        )
                    )
                user = ctx.users.get(upn)
        existing = ctx.existing.get(key) if serial and maker else None
        if existing is not None:
            target = existing.municipality
        if target is None and not errors:
            errors.append(str(_("Ingen primär användare: välj kommunen som enheten hör till.")))
        if target is not None and not ctx.manages(target):
            errors.append(
                str(
                    lazy_format(
                        _("Du får inte registrera enheter i %(municipality)s."),
                        municipality=target.name,
                    )
                )
            )
        if errors:
            continue
        assert model is not None
        assert target is not None
        values: dict[str, Any] = {
            "name": get(row, DEVICE_NAME)[:100],
            "model_id": model.pk,
            "kind": model.kind,
            "os": get(row, OS)[:60],
            "os_version": get(row, OS_VERSION)[:60],
            "current_user_id": user.pk if user is not None else None,
            "last_check_in": check_in,
            "mdm_compliance": get(row, COMPLIANCE)[:30],
            "encrypted": encrypted,
            "managed": True,
        }
        if existing is not None:
            changed = {k: v for k, v in values.items() if getattr(existing, k) != v}
            if changed:
                result.action = RowAction.UPDATE
                out.updates.append((existing, changed))
            else:
                result.action = RowAction.UNCHANGED
            continue
        result.action = RowAction.CREATE
        unit = target
        if user is not None and user.home_unit is not None:
            home = user.home_unit
            if home.pk == target.pk or home.municipality_id == target.pk:
                unit = home
        ownership = (
            Ownership.PURCHASED
            if owner_text in OWNERSHIP_PURCHASED or model.kind not in rules.LEASED_KINDS
            else Ownership.LEASED
        )
        values.update(
            cooperation_id=cooperation.pk,
            municipality_id=target.pk,
            owner_unit_id=unit.pk,
            manufacturer=model.manufacturer,
            serial_number=serial[:100],
            state=rules.DEPLOYED,
            state_since=today,
            ownership=ownership,
        )
        # By position, every field given: keyword arguments would look up each missing field's
        # default again for each of a hundred thousand rows.
        device = Device(*[values.get(name, default) for name, default in fields])
        device.municipality = target
        device.owner_unit = unit
        out.creates.append(device)
    return out


# --- writing ------------------------------------------------------------------------------------


_CONFLICT = _("En enhet i filen har ändrats sedan filen kontrollerades. Kontrollera filen igen.")
# The columns a new device's history step and audit row are written with.
_EVENT_COLUMNS = (
    "device_id",
    "from_state",
    "to_state",
    "occurred_on",
    "recorded_at",
    "actor_id",
    "note",
    "owner_unit_id",
)
_AUDIT_COLUMNS = (
    "occurred_at",
    "actor_id",
    "actor_repr",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "scope_path",
    "before",
    "after",
    "changed_fields",
    "request_id",
)


def _create_devices(devices: list[Device], now: dt.datetime) -> None:
    """Insert new devices and give them their keys: on PostgreSQL the keys are drawn from the
    table's sequence first and the rows copied in; elsewhere bulk_create returns them."""
    for d in devices:
        d.created_at = d.updated_at = now
    if connection.vendor != "postgresql":
        for start in range(0, len(devices), CHUNK):
            chunk = devices[start : start + CHUNK]
            Device.objects.bulk_create(chunk)
            if any(d.pk is None for d in chunk):  # a backend that returns no keys
                found = {
                    (d.manufacturer, d.serial_number): d.pk
                    for d in Device.objects.filter(
                        cooperation_id=chunk[0].cooperation_id,
                        serial_number__in=[d.serial_number for d in chunk],
                    )
                }
                for d in chunk:
                    d.pk = found[(d.manufacturer, d.serial_number)]
        return
    table = Device._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(devices)],
        )
        for d, (pk,) in zip(devices, cursor.fetchall(), strict=True):
            d.pk = pk
    columns = tuple(f.attname for f in Device._meta.concrete_fields)
    insert_rows(Device, columns, (tuple(getattr(d, c) for c in columns) for d in devices))


def _update_devices(updates: list[tuple[Device, set[str], int]], now: dt.datetime) -> None:
    """Write the changed fields of known devices (each with the names of its changed fields and
    the version the check read), one UPDATE per chunk, each row only where it still has that
    version (else Conflict: someone changed it since)."""
    quote = connection.ops.quote_name
    pg = connection.vendor == "postgresql"
    by_name = {f.attname: f for f in Device._meta.concrete_fields}
    for start in range(0, len(updates), CHUNK):
        chunk = updates[start : start + CHUNK]
        names = sorted({k for _d, changed, _v in chunk for k in changed})
        fields = [by_name[n] for n in names]
        columns = [f.get_attname_column()[1] or n for f, n in zip(fields, names, strict=True)]
        params: list[Any] = []
        for device, _changed, version in chunk:
            params += [device.pk, version]
            params += [f.get_db_prep_save(getattr(device, f.attname), connection) for f in fields]
        row = "(" + ", ".join(["%s"] * (2 + len(fields))) + ")"
        # The VALUES' columns are column1 (the key), column2 (the version read), then the fields;
        # PostgreSQL types them by their text, so the fields' columns say what each one is.
        sets = ", ".join(
            f"{quote(column)} = CAST(v.column{i} AS {f.db_type(connection)})"
            if pg
            else f"{quote(column)} = v.column{i}"
            for i, (f, column) in enumerate(zip(fields, columns, strict=True), start=3)
        )
        t = quote(Device._meta.db_table)
        # Only names from the model and placeholders go into the text; values are parameters.
        # (Not a WITH … UPDATE: Python's sqlite3 gives no rowcount for a statement so begun.)
        sql = (
            f"UPDATE {t} SET {sets}, version = {t}.version + 1, updated_at = %s "  # noqa: S608
            f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v "
            f"WHERE {t}.id = v.column1 AND {t}.version = v.column2"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [by_name["updated_at"].get_db_prep_save(now, connection), *params])
            if cursor.rowcount != len(chunk):
                raise Conflict(_CONFLICT)


def write(*, actor: Actor, checked: Checked, note: str) -> int:
    """Write the checked rows in bulk (the caller holds the transaction): the devices, a dated
    history step for each new one, and an audit row (who, when, before, after) for each.
    Returns how many devices were created or changed."""
    user = actor if isinstance(actor, User) else None
    actor_id = user.pk if user is not None else None
    actor_repr = user.get_username() if user is not None else "system"
    object_type = audit.object_type(Device())
    today = timezone.localdate()
    now = timezone.now()
    note = note[:500]

    def created(d: Device, after: dict[str, Any]) -> tuple[Any, ...]:
        return (
            now,
            actor_id,
            actor_repr,
            AuditAction.CREATE.value,
            object_type,
            str(d.pk),
            str(d)[:300],
            d.municipality.path,
            None,
            after,
            sorted(after),
            "",
        )

    try:
        with transaction.atomic():
            creates = checked.creates
            _create_devices(creates, now)
            insert_rows(
                DeviceEvent,
                _EVENT_COLUMNS,
                ((d.pk, "", d.state, today, now, actor_id, note, d.owner_unit_id) for d in creates),
            )
            insert_rows(
                AuditEntry, _AUDIT_COLUMNS, (created(d, audit.snapshot(d)) for d in creates)
            )
            audit_rows: list[tuple[Any, ...]] = []
            writes: list[tuple[Device, set[str], int]] = []
            for device, changed in checked.updates:
                writes.append((device, set(changed), device.version))
                before = audit.snapshot(device)
                for k, v in changed.items():
                    setattr(device, k, v)
                device.version += 1
                device.updated_at = now
                after = audit.snapshot(device)
                audit_rows.append(
                    (
                        now,
                        actor_id,
                        actor_repr,
                        AuditAction.UPDATE.value,
                        object_type,
                        str(device.pk),
                        str(device)[:300],
                        device.municipality.path,
                        before,
                        after,
                        sorted(k for k in after if before.get(k) != after.get(k)),
                        "",
                    )
                )
            _update_devices(writes, now)
            insert_rows(AuditEntry, _AUDIT_COLUMNS, audit_rows)
    except IntegrityError:
        raise ValidationFailed(
            fields={"file": [_("En annan import skrev samma enheter under tiden. Försök igen.")]}
        ) from None
    return len(checked.creates) + len(checked.updates)


def _refuse_if_bad(checked: Checked) -> None:
    if checked.errors:
        raise ValidationFailed(
            lazy_format(
                _("%(count)s rader har fel; inget har importerats."), count=len(checked.errors)
            ),
            fields={f"line_{r.line}": list(r.errors) for r in checked.errors[:100]},
        )


def _require_import(actor: Actor, cooperation: Cooperation) -> None:
    if not permissions.can_anywhere(actor, actions.MANAGE_DEVICES):
        if permissions.can_anywhere(actor, actions.VIEW_DEVICES):
            raise Forbidden()
        raise NotFound()
    if not permissions.is_superuser(actor) and cooperation.pk not in permissions.cooperation_ids(
        actor
    ):
        raise NotFound()


@dataclass
class RunResult:
    dry_run: bool
    rows: list[RowResult]
    counts: dict[str, int]
    written: int = 0


def import_run(
    *,
    actor: Actor,
    cooperation: Cooperation,
    data: bytes,
    file_name: str = "",
    dry_run: bool,
    municipality: OrgNode | None = None,
) -> RunResult:
    """Check the file and, unless a dry run, write all of it at once (the API). With any bad
    row the real run is refused whole (ValidationFailed naming the lines)."""
    _require_import(actor, cooperation)
    rows = read_file(data, file_name)
    checked = check_rows(actor=actor, cooperation=cooperation, rows=rows, municipality=municipality)
    result = RunResult(dry_run=dry_run, rows=checked.results, counts=checked.counts())
    if dry_run:
        return result
    _refuse_if_bad(checked)
    result.written = write(actor=actor, checked=checked, note=f"Import {file_name}"[:500])
    return result


# --- the worker path (the web page) -------------------------------------------------------------


def import_check(
    *,
    actor: Actor,
    cooperation: Cooperation,
    data: bytes,
    file_name: str,
    municipality: OrgNode | None = None,
) -> DeviceImport:
    """The dry run, kept with the file so that the user can read every row and then start it."""
    _require_import(actor, cooperation)
    rows = read_file(data, file_name)
    checked = check_rows(actor=actor, cooperation=cooperation, rows=rows, municipality=municipality)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=DeviceImport(
                cooperation=cooperation,
                municipality=municipality,
                file_name=(file_name or "import.csv")[:200],
                content=rows,
                status=ImportStatus.INVALID if checked.errors else ImportStatus.CHECKED,
                rows=len(checked.results),
                report=[r.as_dict() for r in checked.results],
                started_by=actor if isinstance(actor, User) else None,
            ),
            scope_path=_root(cooperation).path,
            exclude=["cooperation", "municipality", "started_by"],
        )


def import_commit(
    *, actor: Actor, device_import: DeviceImport, expected_version: int | None
) -> DeviceImport:
    """Hand a checked file to the worker; a double submit or a file with errors starts nothing."""
    _require_import(actor, device_import.cooperation)
    from .tasks import import_devices

    version = device_import.version if expected_version is None else expected_version
    with transaction.atomic():
        before = audit.snapshot(device_import)
        changed = DeviceImport.objects.filter(
            pk=device_import.pk, status=ImportStatus.CHECKED, version=version
        ).update(
            status=ImportStatus.QUEUED,
            version=F("version") + 1,
            started_by=actor if isinstance(actor, User) else None,
        )
        if changed != 1:
            raise Conflict(
                _("Importen är redan startad, eller filen har fel. Ladda om sidan."),
                code="import_not_checked",
            )
        device_import.refresh_from_db()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=device_import,
            before=before,
            after=audit.snapshot(device_import),
            scope_path=_root(device_import.cooperation).path,
        )
        import_devices.enqueue(import_id=device_import.pk)
    device_import.refresh_from_db()
    return device_import


def _set(import_id: int, **values: Any) -> None:
    DeviceImport.objects.filter(pk=import_id).update(**values)


def import_execute(*, import_id: int) -> DeviceImport:
    """The job: check the rows again (rights and devices may have changed since) and write them
    all in one transaction (all or nothing). Run twice, the second run finds every device
    unchanged."""
    imp = DeviceImport.objects.select_related("cooperation", "municipality", "started_by").get(
        pk=import_id
    )
    if imp.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return imp
    actor = imp.started_by
    _set(import_id, status=ImportStatus.RUNNING, progress=1)
    try:
        if actor is None:
            raise Forbidden()
        checked = check_rows(
            actor=actor,
            cooperation=imp.cooperation,
            rows=imp.content,
            municipality=imp.municipality,
        )
        _refuse_if_bad(checked)
        written = write(actor=actor, checked=checked, note=f"Import {imp.file_name}"[:500])
    except ApplicationError as exc:
        _set(
            import_id,
            status=ImportStatus.FAILED,
            message=str(exc.message),
            finished_at=timezone.now(),
        )
    else:
        _set(
            import_id,
            status=ImportStatus.DONE,
            written=written,
            progress=100,
            finished_at=timezone.now(),
        )
    imp.refresh_from_db()
    return imp


def recent_imports(*, actor: Actor, cooperation: Cooperation) -> Any:
    if not permissions.can_anywhere(actor, actions.MANAGE_DEVICES):
        return DeviceImport.objects.none()
    return DeviceImport.objects.filter(cooperation=cooperation).order_by("-created_at", "-id")[:10]
