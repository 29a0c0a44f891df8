"""Every change of the device register: typed, keyword-only, atomic, audited, permission-checked.

Errors: something the actor may not see is NotFound (404); something they see but may not change
is Forbidden (403); bad input is ValidationFailed (400) naming the field; a stale version is
Conflict (409). A refused call changes nothing.

The lifecycle is the transition table of `rules.TRANSITIONS`; `device_transition` is the only
way a device's state changes after registration, and it writes the dated history row
(`DeviceEvent`) and the audit record together. Imports live in `imports.py`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.catalog.choices import PriceModel
from itfabrik.catalog.models import Service as CatalogService
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, lazy_format
from itfabrik.core.klassa import is_level
from itfabrik.core.services import create_audited, update_versioned
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import DeviceKind, DeviceState, Ownership, ReturnStatus, Rule
from .models import ChargeMapping, ComplianceException, Device, DeviceEvent, DeviceModel, Lease

_MODEL_KEYS = ["cooperation"]
_DEVICE_KEYS = ["cooperation", "municipality", "owner_unit", "model", "current_user", "lease"]
_LEASE_KEYS = ["cooperation", "municipality"]
_EXCEPTION_KEYS = ["device", "granted_by"]
_MAPPING_KEYS = ["cooperation", "model", "service"]

# What a correction of a device may change; the state only moves through `device_transition`.
DEVICE_FIELDS = (
    "model",
    "owner_unit",
    "serial_number",
    "asset_tag",
    "name",
    "site",
    "current_user",
    "ownership",
    "lease",
    "purchased_on",
    "purchase_price",
    "os",
    "os_version",
    "encrypted",
    "managed",
    "last_check_in",
    "local_admin",
    "security_level",
)


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _root(cooperation: Cooperation) -> OrgNode:
    assert cooperation.root is not None
    return cooperation.root


def municipality_of(node: OrgNode) -> OrgNode | None:
    if node.kind == "municipality":
        return node
    return node.municipality


def _require(actor: Actor, action: str, node: OrgNode) -> None:
    """404 when the actor cannot see the municipality's devices at all, 403 when they see them
    but may not do `action`."""
    if permissions.can(actor, action, node):
        return
    if permissions.can(actor, actions.VIEW_DEVICES, node):
        raise Forbidden()
    raise NotFound()


# --- the model catalogue ------------------------------------------------------------------------


def model_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    manufacturer: str,
    name: str,
    kind: str,
    end_of_support: dt.date | None = None,
    lease_months: int = 36,
    price: Decimal = Decimal(0),
) -> DeviceModel:
    _require(actor, actions.MANAGE_DEVICES, _root(cooperation))
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=DeviceModel(
                cooperation=cooperation,
                manufacturer=manufacturer.strip(),
                name=name.strip(),
                kind=kind,
                end_of_support=end_of_support,
                lease_months=lease_months,
                price=price,
            ),
            scope_path=_root(cooperation).path,
            exclude=_MODEL_KEYS,
        )


def model_update(
    *, actor: Actor, model: DeviceModel, expected_version: int | None, **changes: Any
) -> DeviceModel:
    """Correct a model of the catalogue (or close it: `is_active=False`). A changed kind is
    copied to the model's devices, which keep theirs for the list's index."""
    root = _root(model.cooperation)
    _require(actor, actions.MANAGE_DEVICES, root)
    allowed_keys = {"manufacturer", "name", "kind", "end_of_support", "lease_months", "price"}
    allowed_keys.add("is_active")
    unknown = set(changes) - allowed_keys
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in sorted(unknown)})
    with transaction.atomic():
        updated = update_versioned(
            actor=actor,
            instance=model,
            expected_version=expected_version,
            changes=changes,
            scope_path=root.path,
            exclude=_MODEL_KEYS,
        )
        Device.objects.filter(model=updated).exclude(kind=updated.kind).update(kind=updated.kind)
        if "manufacturer" in changes:
            Device.objects.filter(model=updated).update(manufacturer=updated.manufacturer)
    return updated


# --- leases -------------------------------------------------------------------------------------


def lease_create(
    *,
    actor: Actor,
    municipality: OrgNode,
    lessor: str,
    contract_number: str,
    starts_on: dt.date,
    ends_on: dt.date,
    monthly_cost: Decimal,
    buyout_price: Decimal | None = None,
) -> Lease:
    _require(actor, actions.MANAGE_DEVICES, municipality)
    errors: dict[str, list[Any]] = {}
    if municipality.kind != "municipality":
        errors["municipality"] = [_("Välj en kommun.")]
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Lease(
                cooperation_id=municipality.cooperation_id,
                municipality=municipality,
                lessor=lessor.strip(),
                contract_number=contract_number.strip(),
                starts_on=starts_on,
                ends_on=ends_on,
                monthly_cost=monthly_cost,
                buyout_price=buyout_price,
            ),
            scope_path=municipality.path,
            exclude=_LEASE_KEYS,
            errors=errors,
        )


def lease_update(
    *, actor: Actor, lease: Lease, expected_version: int | None, **changes: Any
) -> Lease:
    """Correct a lease or set its return status. A new end date moves its devices' lease end."""
    _require(actor, actions.MANAGE_DEVICES, lease.municipality)
    allowed_keys = {
        "lessor",
        "contract_number",
        "starts_on",
        "ends_on",
        "monthly_cost",
        "buyout_price",
        "return_status",
    }
    unknown = set(changes) - allowed_keys
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in sorted(unknown)})
    if "return_status" in changes and changes["return_status"] not in ReturnStatus.values:
        raise ValidationFailed(fields={"return_status": [_("Välj en återlämningsstatus.")]})
    with transaction.atomic():
        updated = update_versioned(
            actor=actor,
            instance=lease,
            expected_version=expected_version,
            changes=changes,
            scope_path=lease.municipality.path,
            exclude=_LEASE_KEYS,
        )
        Device.objects.filter(lease=updated).exclude(lease_end=updated.ends_on).update(
            lease_end=updated.ends_on
        )
    return updated


# --- devices ------------------------------------------------------------------------------------


# A device may stay on a unit that has since been closed (its history says so), but none is
# registered on or moved to one: its costs would land on a cost centre nobody answers for.
_INACTIVE_UNIT = _("Enheten är avslutad. Välj en aktiv enhet.")


def _check_refs(
    actor: Actor,
    *,
    cooperation_id: int,
    model: DeviceModel | None,
    owner_unit: OrgNode | None,
    lease: Lease | None,
    ownership: str,
    security_level: Any,
) -> tuple[OrgNode | None, dict[str, list[Any]]]:
    errors: dict[str, list[Any]] = {}
    municipality = municipality_of(owner_unit) if owner_unit is not None else None
    if owner_unit is None or municipality is None:
        errors["owner_unit"] = [_("Välj den ägande enheten.")]
    elif owner_unit.cooperation_id != cooperation_id:
        errors["owner_unit"] = [_("Enheten hör till en annan samverkan.")]
    if model is None or model.cooperation_id != cooperation_id:
        errors["model"] = [_("Välj en modell ur katalogen.")]
    if lease is not None and (municipality is None or lease.municipality_id != municipality.pk):
        errors["lease"] = [_("Leasingavtalet hör till en annan kommun.")]
    if ownership not in Ownership.values:
        errors["ownership"] = [_("Välj leasad eller köpt.")]
    elif ownership == Ownership.PURCHASED and lease is not None:
        errors["lease"] = [_("En köpt enhet har inget leasingavtal.")]
    if security_level is not None and not is_level(security_level):
        errors["security_level"] = [_("Säkerhetsnivån ska vara 0–4 enligt KLASSA.")]
    return municipality, errors


def device_create(
    *,
    actor: Actor,
    model: DeviceModel | None,
    owner_unit: OrgNode | None,
    serial_number: str,
    asset_tag: str = "",
    name: str = "",
    site: str = "",
    current_user: User | None = None,
    state: str = DeviceState.NEEDS_ANALYSIS,
    ownership: str = Ownership.LEASED,
    lease: Lease | None = None,
    purchased_on: dt.date | None = None,
    purchase_price: Decimal | None = None,
    os: str = "",
    os_version: str = "",
    encrypted: bool | None = None,
    managed: bool = False,
    last_check_in: dt.datetime | None = None,
    local_admin: bool = False,
    security_level: int | None = None,
    occurred_on: dt.date | None = None,
    note: str = "",
) -> Device:
    """Register a device. It starts in needs analysis unless it is registered where it already
    is (an existing device: received, deployed or in repair); its history starts here."""
    if owner_unit is None:
        raise ValidationFailed(fields={"owner_unit": [_("Välj den ägande enheten.")]})
    municipality = municipality_of(owner_unit)
    if municipality is None:
        raise ValidationFailed(fields={"owner_unit": [_("Välj den ägande enheten.")]})
    _require(actor, actions.MANAGE_DEVICES, municipality)
    _municipality, errors = _check_refs(
        actor,
        cooperation_id=owner_unit.cooperation_id,
        model=model,
        owner_unit=owner_unit,
        lease=lease,
        ownership=ownership,
        security_level=security_level,
    )
    if not owner_unit.is_active:
        errors["owner_unit"] = [_INACTIVE_UNIT]
    if state not in (rules.NEEDS_ANALYSIS, *rules.PLANNED_STATES):
        errors["state"] = [
            _("En ny enhet registreras i behovsanalys, mottagen, i bruk eller på reparation.")
        ]
    if not serial_number.strip():
        errors["serial_number"] = [_("Ange serienumret.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert model is not None
    day = occurred_on or timezone.localdate()
    with transaction.atomic():
        device = create_audited(
            actor=actor,
            instance=Device(
                cooperation_id=owner_unit.cooperation_id,
                municipality=municipality,
                owner_unit=owner_unit,
                model=model,
                kind=model.kind,
                manufacturer=model.manufacturer,
                serial_number=serial_number.strip(),
                asset_tag=asset_tag.strip(),
                name=name.strip(),
                site=site.strip(),
                current_user=current_user,
                state=state,
                state_since=day,
                ownership=ownership,
                lease=lease,
                lease_end=lease.ends_on if lease is not None else None,
                purchased_on=purchased_on,
                purchase_price=purchase_price,
                os=os.strip(),
                os_version=os_version.strip(),
                encrypted=encrypted,
                managed=managed,
                last_check_in=last_check_in,
                local_admin=local_admin,
                security_level=security_level,
            ),
            scope_path=municipality.path,
            exclude=_DEVICE_KEYS,
        )
        DeviceEvent.objects.create(
            device=device,
            from_state="",
            to_state=state,
            occurred_on=day,
            actor=_user(actor),
            note=note.strip()[:500] or str(_("Registrerad")),
            owner_unit=owner_unit,
            model=model,
        )
    return device


def _latest_step(device: Device) -> dt.date | None:
    """The day of the device's latest history step (or of its state, for a device whose steps
    were not recorded)."""
    latest = DeviceEvent.objects.filter(device=device).aggregate(day=Max("occurred_on"))["day"]
    days = [d for d in (latest, device.state_since) if d is not None]
    return max(days) if days else None


def device_update(
    *,
    actor: Actor,
    device: Device,
    expected_version: int | None,
    moved_on: dt.date | None = None,
    model_changed_on: dt.date | None = None,
    **changes: Any,
) -> Device:
    """Correct a device. A new owning unit must be in a municipality the actor manages; the
    municipality, kind, manufacturer and lease end follow the unit, model and lease. A new
    owning unit and a new model are each a dated step of the history (`moved_on`,
    `model_changed_on`; today when not given, neither in the future nor before the device's
    latest step): charging counts each unit's days, and each model's service, from them."""
    _require(actor, actions.MANAGE_DEVICES, device.municipality)
    unknown = set(changes) - set(DEVICE_FIELDS)
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in sorted(unknown)})
    model = changes.get("model", device.model)
    owner_unit = changes.get("owner_unit", device.owner_unit)
    lease = changes.get("lease", device.lease)
    municipality, errors = _check_refs(
        actor,
        cooperation_id=device.cooperation_id,
        model=model,
        owner_unit=owner_unit,
        lease=lease,
        ownership=changes.get("ownership", device.ownership),
        security_level=changes.get("security_level", device.security_level),
    )
    if "serial_number" in changes and not str(changes["serial_number"]).strip():
        errors["serial_number"] = [_("Ange serienumret.")]
    if municipality is not None and not permissions.can(
        actor, actions.MANAGE_DEVICES, municipality
    ):
        errors["owner_unit"] = [_("Du får inte flytta enheter dit.")]
    moved = owner_unit is not None and owner_unit.pk != device.owner_unit_id
    if moved and owner_unit is not None and not owner_unit.is_active and "owner_unit" not in errors:
        errors["owner_unit"] = [_INACTIVE_UNIT]
    remodelled = model is not None and model.pk != device.model_id
    today = timezone.localdate()
    day = moved_on or today
    model_day = model_changed_on or today
    latest = _latest_step(device) if moved or remodelled else None
    if moved and day > today:
        errors["moved_on"] = [_("Datumet har inte varit än.")]
    if moved and latest is not None and day < latest:
        errors["moved_on"] = [_("Enheten kan inte flyttas före sitt senaste steg.")]
    if remodelled and model_day > today:
        errors["model_changed_on"] = [_("Dagen för modellbytet har inte varit än.")]
    if remodelled and latest is not None and model_day < latest:
        errors["model_changed_on"] = [
            lazy_format(
                _("Modellen kan inte bytas före enhetens senaste steg (%(day)s)."),
                day=latest.isoformat(),
            )
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    assert model is not None
    assert municipality is not None
    assert owner_unit is not None
    derived = {
        "municipality": municipality,
        "kind": model.kind,
        "manufacturer": model.manufacturer,
        "lease_end": lease.ends_on if lease is not None else None,
    }
    # The new steps in the order they happened (a move before a model change of the same day):
    # a move keeps the model of the step before it, a model change is on the unit of its day.
    steps: list[tuple[dt.date, int, dict[str, Any]]] = []
    if moved:
        note = lazy_format(_("Flyttad till %(unit)s"), unit=owner_unit.name)
        steps.append((day, 0, {"owner_unit": owner_unit, "note": str(note)[:500]}))
    if remodelled:
        unit = owner_unit if moved and day <= model_day else device.owner_unit
        note = lazy_format(_("Ny modell: %(model)s"), model=str(model))
        steps.append((model_day, 1, {"owner_unit": unit, "model": model, "note": str(note)[:500]}))
    with transaction.atomic():
        updated = update_versioned(
            actor=actor,
            instance=device,
            expected_version=expected_version,
            changes={**changes, **derived},
            scope_path=municipality.path,
            exclude=_DEVICE_KEYS,
        )
        if (
            remodelled
            and not DeviceEvent.objects.filter(device=device, model__isnull=False).exists()
        ):
            # Steps that recorded no model (written by the import or before models were
            # recorded) have the device's model: said explicitly before it changes, so that
            # they keep it.
            DeviceEvent.objects.filter(device=device).update(model=device.model_id)
        for occurred_on, _order, values in sorted(steps, key=lambda s: (s[0], s[1])):
            DeviceEvent.objects.create(
                device=updated,
                from_state=updated.state,
                to_state=updated.state,
                occurred_on=occurred_on,
                actor=_user(actor),
                **values,
            )
    return updated


def _lower(label: Any) -> Any:
    # Lazy, so that the message is rendered in each language (errors carry both).
    return lazy(lambda: str(label).lower(), str)()


def _transition_message(problem: str, current: str, target: str) -> Any:
    labels = dict(DeviceState.choices)
    if problem == "certificate":
        return _("Ange intyget om dataradering innan enheten skrotas.")
    if problem == "not_leased":
        return _("Bara en leasad enhet kan lämnas tillbaka till leasegivaren.")
    allowed = rules.allowed(current)
    if not allowed:
        return lazy_format(
            _("En enhet som är %(current)s kan inte flyttas vidare."),
            current=_lower(labels.get(current, current)),
        )
    names = [labels[s] for s in allowed]
    return lazy_format(
        _("Från %(current)s kan enheten bara gå till: %(allowed)s."),
        current=_lower(labels.get(current, current)),
        allowed=lazy(lambda: ", ".join(str(n).lower() for n in names), str)(),
    )


def device_transition(
    *,
    actor: Actor,
    device: Device,
    expected_version: int | None,
    target: str,
    occurred_on: dt.date | None = None,
    note: str = "",
    certificate: str = "",
) -> Device:
    """Move a device one step of its lifecycle, as the transition table allows; refused with
    the steps that are allowed. Disposal records the data-erasure certificate."""
    _require(actor, actions.MANAGE_DEVICES, device.municipality)
    day = occurred_on or timezone.localdate()
    with transaction.atomic():
        current = Device.objects.select_for_update().get(pk=device.pk)
        if expected_version is not None and current.version != expected_version:
            raise Conflict()
        problem = rules.transition_problem(
            current=current.state,
            target=target,
            ownership=current.ownership,
            certificate=certificate,
        )
        if problem is not None:
            field = "certificate" if problem == "certificate" else "target"
            raise ValidationFailed(
                fields={field: [_transition_message(problem, current.state, target)]}
            )
        if day > timezone.localdate():
            raise ValidationFailed(fields={"occurred_on": [_("Datumet har inte varit än.")]})
        before = current.state
        changes: dict[str, Any] = {"state": target, "state_since": day}
        if target == rules.DISPOSED:
            changes["erasure_certificate"] = certificate.strip()[:200]
        if target in (rules.RETURNED, rules.DISPOSED):
            changes["current_user"] = None
        updated = update_versioned(
            actor=actor,
            instance=current,
            expected_version=None,
            changes=changes,
            scope_path=device.municipality.path,
            exclude=_DEVICE_KEYS,
        )
        DeviceEvent.objects.create(
            device=updated,
            from_state=before,
            to_state=target,
            occurred_on=day,
            actor=_user(actor),
            note=(note.strip() or certificate.strip())[:500],
            owner_unit_id=updated.owner_unit_id,
        )
    return updated


# --- exceptions ---------------------------------------------------------------------------------


def exception_grant(
    *,
    actor: Actor,
    device: Device,
    rule: str,
    decision: str,
    valid_until: dt.date,
    reference: str = "",
) -> ComplianceException:
    """An exception from one rule of the policy, with the decision that granted it and the day
    it expires."""
    _require(actor, actions.GRANT_EXCEPTIONS, device.municipality)
    errors: dict[str, list[Any]] = {}
    if rule not in Rule.values:
        errors["rule"] = [_("Välj en regel.")]
    if not decision.strip():
        errors["decision"] = [_("Ange beslutet som ger undantaget.")]
    if valid_until < timezone.localdate():
        errors["valid_until"] = [_("Undantaget måste gälla minst till och med i dag.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=ComplianceException(
                device=device,
                rule=rule,
                decision=decision.strip(),
                reference=reference.strip(),
                valid_until=valid_until,
                granted_by=_user(actor),
            ),
            scope_path=device.municipality.path,
            exclude=_EXCEPTION_KEYS,
        )


def exception_withdraw(
    *, actor: Actor, exception: ComplianceException, expected_version: int | None
) -> ComplianceException:
    municipality = exception.device.municipality
    _require(actor, actions.GRANT_EXCEPTIONS, municipality)
    return update_versioned(
        actor=actor,
        instance=exception,
        expected_version=expected_version,
        changes={"is_active": False},
        scope_path=municipality.path,
        exclude=_EXCEPTION_KEYS,
    )


# --- charging: which catalogue service a device kind or model is charged through ---------------


def _require_charging(actor: Actor, cooperation: Cooperation) -> None:
    """Setting charging needs `manage_charging` on the cooperation's root; those who see it (any
    grant of that action or of viewing devices in the cooperation) are refused with 403."""
    root = _root(cooperation)
    if permissions.can(actor, actions.MANAGE_CHARGING, root):
        return
    sees = (
        *permissions.grants_for(actor, actions.MANAGE_CHARGING),
        *permissions.grants_for(actor, actions.VIEW_DEVICES),
    )
    if any(g.cooperation_id == cooperation.pk for g in sees):
        raise Forbidden()
    raise NotFound()


def charge_mapping_set(
    *,
    actor: Actor,
    cooperation: Cooperation,
    kind: str = "",
    model: DeviceModel | None = None,
    service: CatalogService | None,
) -> ChargeMapping:
    """Charge deployed devices of a kind (or of one model, which wins over its kind) through a
    catalogue service; `service=None` says they are not charged at all. Sets the kind's (or the
    model's) mapping, creating it or bringing a removed one back."""
    _require_charging(actor, cooperation)
    errors: dict[str, list[Any]] = {}
    if model is not None:
        if model.cooperation_id != cooperation.pk:
            errors["model"] = [_("Välj en modell ur katalogen.")]
        kind = model.kind
    if kind not in DeviceKind.values:
        errors["kind"] = [_("Välj en enhetstyp.")]
    if service is not None:
        if service.cooperation_id != cooperation.pk:
            errors["service"] = [_("Välj en tjänst ur tjänstekatalogen.")]
        elif service.price_model != PriceModel.PER_UNIT_MONTH:
            errors["service"] = [_("Tjänsten ska ha ett pris per enhet och månad.")]
    if errors:
        raise ValidationFailed(fields=errors)
    root = _root(cooperation)
    with transaction.atomic():
        # Ordered by the key alone: the model's default ordering joins the (nullable) model,
        # which PostgreSQL cannot lock.
        existing = (
            ChargeMapping.objects.select_for_update()
            .filter(cooperation=cooperation)
            .filter(model=model if model is not None else None)
            .filter(**({} if model is not None else {"kind": kind}))
            .order_by("pk")
            .first()
        )
        if existing is None:
            return create_audited(
                actor=actor,
                instance=ChargeMapping(
                    cooperation=cooperation, kind=kind, model=model, service=service
                ),
                scope_path=root.path,
                exclude=_MAPPING_KEYS,
            )
        return update_versioned(
            actor=actor,
            instance=existing,
            expected_version=None,
            changes={"kind": kind, "service": service, "is_active": True},
            scope_path=root.path,
            exclude=_MAPPING_KEYS,
        )


def charge_mapping_remove(
    *, actor: Actor, mapping: ChargeMapping, expected_version: int | None
) -> ChargeMapping:
    """Stop using a mapping (kept, inactive): the model's devices fall back to their kind's
    mapping, a kind's devices are reported by the billing run as having no service."""
    _require_charging(actor, mapping.cooperation)
    return update_versioned(
        actor=actor,
        instance=mapping,
        expected_version=expected_version,
        changes={"is_active": False},
        scope_path=_root(mapping.cooperation).path,
        exclude=_MAPPING_KEYS,
    )
