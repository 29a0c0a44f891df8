"""Every change of the catalogue and of orders: typed, keyword-only, atomic, audited,
permission-checked.

Errors: an object the actor may not see is NotFound (404); one they see but may not act on is
Forbidden (403); bad input is ValidationFailed (400) naming the field, in Swedish and English; a
status change that lost a race (or no longer applies) is Conflict (409). A refused call changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Conflict, Forbidden, ValidationFailed, lazy_format
from itfabrik.core.models import AuditAction
from itfabrik.core.money import MoneyError, to_money
from itfabrik.core.services import create_audited, update_audited, update_versioned
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules, selectors
from .choices import Approval, LineDecision, OrderableBy, OrderKind, OrderStatus
from .models import (
    Order,
    OrderLine,
    Package,
    PackageItem,
    Price,
    PriceList,
    Service,
    ServiceArea,
    Subscription,
)

# --- the catalogue ----------------------------------------------------------------------------


def _user(actor: Actor) -> User | None:
    """The signed-in person behind the action; None for the system."""
    return actor if isinstance(actor, User) else None


def _root(cooperation: Cooperation) -> OrgNode:
    if cooperation.root is None:
        raise ValidationFailed(fields={"cooperation": [_("Samverkan saknar rotnod.")]})
    return cooperation.root


def _require_manage(actor: Actor, cooperation: Cooperation) -> str:
    """404 if the actor cannot read the cooperation's catalogue, 403 if they read but may not
    manage it. Returns the audit scope (the cooperation root's path)."""
    selectors.catalogue_cooperation_get(actor=actor, cooperation_id=cooperation.pk)
    root = _root(cooperation)
    if not permissions.can(actor, actions.MANAGE_CATALOGUE, root):
        raise Forbidden()
    return root.path


def _same_cooperation(field: str, obj: Any, cooperation: Cooperation) -> None:
    if obj is not None and obj.cooperation_id != cooperation.pk:
        raise ValidationFailed(fields={field: [_("Hör till en annan samverkan.")]})


def _catalogue_update(
    *, actor: Actor, instance: Any, expected_version: int | None, allowed: set[str], changes: Any
) -> Any:
    scope = _require_manage(actor, instance.cooperation)
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    if "name" in cleaned:
        _check_name_free(instance, cleaned["name"])
    try:
        return update_versioned(
            actor=actor,
            instance=instance,
            expected_version=expected_version,
            changes=cleaned,
            scope_path=scope,
        )
    except IntegrityError as exc:
        raise ValidationFailed(fields={"name": [_("Namnet används redan.")]}) from exc


def _check_name_free(instance: Any, name: str) -> None:
    model = instance._meta.model
    taken = model.objects.filter(cooperation_id=instance.cooperation_id, name=name)
    if instance.pk is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise ValidationFailed(fields={"name": [_("Namnet används redan.")]})


def _create(actor: Actor, instance: Any, scope: str, unique_field: str = "name") -> Any:
    _check_name_free(instance, instance.name)
    try:
        with transaction.atomic():
            return create_audited(actor=actor, instance=instance, scope_path=scope)
    except IntegrityError as exc:
        raise ValidationFailed(fields={unique_field: [_("Namnet används redan.")]}) from exc


def area_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    description: str = "",
    sort_order: int = 100,
) -> ServiceArea:
    scope = _require_manage(actor, cooperation)
    area = ServiceArea(
        cooperation=cooperation,
        name=name.strip(),
        description=description.strip(),
        sort_order=sort_order,
    )
    return _create(actor, area, scope)


AREA_FIELDS = {"name", "description", "sort_order", "is_active"}


def area_update(
    *, actor: Actor, area: ServiceArea, expected_version: int | None, **changes: Any
) -> ServiceArea:
    """Correct an area, or retire it with `is_active=False` (it is never deleted). An area with
    active services stays open: its services would vanish from the catalogue unannounced."""
    if changes.get("is_active") is False and area.is_active:
        _require_manage(actor, area.cooperation)
        active = area.services.filter(is_active=True).count()
        if active:
            raise ValidationFailed(
                fields={
                    "is_active": [
                        lazy_format(
                            _(
                                "Området har %(count)s aktiva tjänster. Flytta eller avsluta "
                                "dem först."
                            ),
                            count=active,
                        )
                    ]
                }
            )
    return _catalogue_update(
        actor=actor,
        instance=area,
        expected_version=expected_version,
        allowed=AREA_FIELDS,
        changes=changes,
    )


def service_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    area: ServiceArea,
    name: str,
    price_model: str,
    unit_of_measure: str,
    description: str = "",
    tier: str = "standard",
    orderable_by: str = OrderableBy.ORDERERS,
    approval: str = Approval.NONE,
    is_addon: bool = False,
    owner_node: OrgNode | None = None,
    owner_user: Any = None,
) -> Service:
    scope = _require_manage(actor, cooperation)
    _same_cooperation("area", area, cooperation)
    _same_cooperation("owner_node", owner_node, cooperation)
    _check_addon(is_addon, approval)
    service = Service(
        cooperation=cooperation,
        area=area,
        name=name.strip(),
        description=description.strip(),
        price_model=price_model,
        unit_of_measure=unit_of_measure.strip(),
        tier=tier,
        orderable_by=orderable_by,
        approval=approval,
        is_addon=is_addon,
        owner_node=owner_node,
        owner_user=owner_user,
    )
    return _create(actor, service, scope)


SERVICE_FIELDS = {
    "name",
    "description",
    "area",
    "price_model",
    "unit_of_measure",
    "tier",
    "orderable_by",
    "approval",
    "is_addon",
    "owner_node",
    "owner_user",
    "is_active",
}


def service_update(
    *, actor: Actor, service: Service, expected_version: int | None, **changes: Any
) -> Service:
    """Correct a service, or close it with `is_active=False`: it can no longer be ordered, its
    subscriptions keep running (and keep being charged) until they are cancelled."""
    _same_cooperation("area", changes.get("area"), service.cooperation)
    _same_cooperation("owner_node", changes.get("owner_node"), service.cooperation)
    _check_addon(
        changes.get("is_addon", service.is_addon), changes.get("approval", service.approval)
    )
    if changes.get("is_active") is False and service.is_active:
        _require_manage(actor, service.cooperation)
        _check_not_in_packages(service)
    return _catalogue_update(
        actor=actor,
        instance=service,
        expected_version=expected_version,
        allowed=SERVICE_FIELDS,
        changes=changes,
    )


def _check_addon(is_addon: Any, approval: Any) -> None:
    """An add-on ("tillval") is an extra a unit asks for; someone must say yes to it (R14)."""
    if is_addon and approval == Approval.NONE:
        raise ValidationFailed(
            fields={
                "approval": [
                    _(
                        "Ett tillval kräver godkännande av enhetschef eller IT. Välj vem som "
                        "godkänner."
                    )
                ]
            }
        )


def _check_not_in_packages(service: Service) -> None:
    """A closed service inside an orderable package would still be delivered through it."""
    names = list(
        Package.objects.filter(items__service=service, is_active=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if names:
        raise ValidationFailed(
            fields={
                "is_active": [
                    lazy_format(
                        _("Tjänsten ingår i paketen %(packages)s. Ta bort den ur dem först."),
                        packages=", ".join(names),
                    )
                ]
            }
        )


def package_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    user_kind: str,
    items: Sequence[tuple[Service, Any]],
    description: str = "",
) -> Package:
    """A standard package of services with whole positive quantities, at least one."""
    scope = _require_manage(actor, cooperation)
    if not items:
        raise ValidationFailed(fields={"items": [_("Ett paket måste innehålla minst en tjänst.")]})
    parsed: list[tuple[Service, int]] = []
    seen: set[int] = set()
    for service, quantity in items:
        _same_cooperation("items", service, cooperation)
        if service.pk in seen:
            raise ValidationFailed(fields={"items": [_("En tjänst kan bara finnas en gång.")]})
        seen.add(service.pk)
        parsed.append((service, _quantity(quantity, field="items")))
    with transaction.atomic():
        package = _create(
            actor,
            Package(
                cooperation=cooperation,
                name=name.strip(),
                description=description.strip(),
                user_kind=user_kind,
            ),
            scope,
        )
        for service, quantity in parsed:
            create_audited(
                actor=actor,
                instance=PackageItem(package=package, service=service, quantity=quantity),
                scope_path=scope,
            )
        return package


PACKAGE_FIELDS = {"name", "description", "user_kind", "is_active"}


def package_update(
    *, actor: Actor, package: Package, expected_version: int | None, **changes: Any
) -> Package:
    return _catalogue_update(
        actor=actor,
        instance=package,
        expected_version=expected_version,
        allowed=PACKAGE_FIELDS,
        changes=changes,
    )


def _touch(instance: Any, expected_version: int | None) -> None:
    """Lock an aggregate root (a package, a price list) and move its version on: a change of its
    contents is a change of the whole, so two people editing its rows cannot pass each other."""
    model = instance._meta.model
    current = model.objects.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    model.objects.filter(pk=instance.pk).update(version=F("version") + 1, updated_at=timezone.now())


def package_item_set(
    *,
    actor: Actor,
    package: Package,
    service: Service,
    quantity: Any,
    expected_version: int | None = None,
) -> PackageItem:
    """Put a service in a package in a whole positive quantity, or change its quantity."""
    scope = _require_manage(actor, package.cooperation)
    _same_cooperation("service", service, package.cooperation)
    parsed = _quantity(quantity)
    if not Service.objects.filter(pk=service.pk, is_active=True).exists():
        raise ValidationFailed(
            fields={"service": [_("Tjänsten är avslutad och kan inte ingå i ett paket.")]}
        )
    with transaction.atomic():
        _touch(package, expected_version)
        existing = PackageItem.objects.filter(package=package, service=service).first()
        if existing is None:
            return create_audited(
                actor=actor,
                instance=PackageItem(package=package, service=service, quantity=parsed),
                scope_path=scope,
            )
        return update_audited(
            actor=actor, instance=existing, changes={"quantity": parsed}, scope_path=scope
        )


def package_item_remove(
    *, actor: Actor, package: Package, service: Service, expected_version: int | None = None
) -> None:
    """Take a service out of a package; the last one stays (a package is never empty).
    Subscriptions already delivered through the package are their own rows and are not
    touched."""
    scope = _require_manage(actor, package.cooperation)
    with transaction.atomic():
        _touch(package, expected_version)
        item = PackageItem.objects.select_for_update().filter(package=package, service=service)
        found = item.first()
        if found is None:
            raise ValidationFailed(fields={"service": [_("Tjänsten ingår inte i paketet.")]})
        if PackageItem.objects.filter(package=package).count() == 1:
            raise ValidationFailed(
                fields={"service": [_("Ett paket måste innehålla minst en tjänst.")]}
            )
        # Recorded before the delete: the audit row names the object by its id.
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=found,
            before=audit.snapshot(found),
            after=None,
            scope_path=scope,
        )
        found.delete()


def _overlap_error(clash: PriceList) -> ValidationFailed:
    end = clash.valid_to.isoformat() if clash.valid_to else "…"
    return ValidationFailed(
        fields={
            "valid_from": [
                lazy_format(
                    _(
                        "Giltighetstiden överlappar prislistan %(name)s (%(start)s–%(end)s). "
                        "Avsluta den först eller välj andra datum."
                    ),
                    name=clash.name,
                    start=clash.valid_from.isoformat(),
                    end=end,
                )
            ]
        }
    )


def _check_overlap(
    cooperation: Cooperation,
    valid_from: dt.date,
    valid_to: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(fields={"valid_to": [_("Slutdatum kan inte vara före startdatum.")]})
    others = PriceList.objects.filter(cooperation=cooperation, is_active=True).order_by(
        "valid_from", "pk"
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    by_pk = {p.pk: p for p in others}
    clash = rules.first_overlap(
        ((p.pk, p.valid_from, p.valid_to) for p in by_pk.values()), valid_from, valid_to
    )
    if clash is not None:
        raise _overlap_error(by_pk[clash])


def _amount(value: Any) -> Decimal:
    try:
        amount = to_money(value)
    except (MoneyError, InvalidOperation):  # to_money lets quantize's overflow through
        raise ValidationFailed(fields={"amount": [_("Ange ett belopp i kronor.")]}) from None
    if amount < 0:
        raise ValidationFailed(fields={"amount": [_("Priset kan inte vara negativt.")]})
    return amount


def price_list_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    valid_from: dt.date,
    decision_reference: str,
    valid_to: dt.date | None = None,
    prices: Iterable[tuple[Service, Any]] = (),
) -> PriceList:
    """A new price-list version. Refused when its period overlaps an active version."""
    scope = _require_manage(actor, cooperation)
    if not decision_reference.strip():
        raise ValidationFailed(
            fields={"decision_reference": [_("Ange beslutet som fastställde prislistan.")]}
        )
    parsed = []
    for service, amount in prices:
        _same_cooperation("prices", service, cooperation)
        parsed.append((service, _amount(amount)))
    with transaction.atomic():
        # One writer of a cooperation's price lists at a time: the overlap check cannot go stale.
        Cooperation.objects.select_for_update().get(pk=cooperation.pk)
        _check_overlap(cooperation, valid_from, valid_to)
        price_list = create_audited(
            actor=actor,
            instance=PriceList(
                cooperation=cooperation,
                name=name.strip(),
                valid_from=valid_from,
                valid_to=valid_to,
                decision_reference=decision_reference.strip(),
            ),
            scope_path=scope,
        )
        for service, amount in parsed:
            create_audited(
                actor=actor,
                instance=Price(price_list=price_list, service=service, amount=amount),
                scope_path=scope,
            )
        return price_list


PRICE_LIST_FIELDS = {"name", "valid_from", "valid_to", "decision_reference", "is_active"}


def _started(price_list: PriceList) -> bool:
    return price_list.valid_from <= timezone.localdate()


def _check_started_changes(price_list: PriceList, changes: dict[str, Any]) -> None:
    """A version that has come into force has been charged from: its start and prices stay as
    they were. It may only be ended (from today on) and have its name or decision corrected;
    a new price is a new version."""
    if not _started(price_list):
        return
    today = timezone.localdate()
    fields: dict[str, list[Any]] = {}
    if "valid_from" in changes and changes["valid_from"] != price_list.valid_from:
        fields["valid_from"] = [
            _("Prislistan har börjat gälla: startdatumet kan inte ändras. Skapa en ny version.")
        ]
    if "valid_to" in changes and changes["valid_to"] != price_list.valid_to:
        new_end = changes["valid_to"]
        if price_list.valid_to is not None and price_list.valid_to < today:
            fields["valid_to"] = [_("Prislistan har upphört att gälla och kan inte ändras.")]
        elif new_end is None or new_end < today:
            fields["valid_to"] = [
                lazy_format(
                    _("En prislista som gäller kan avslutas tidigast i dag (%(today)s)."),
                    today=today.isoformat(),
                )
            ]
    if changes.get("is_active") is False and price_list.is_active:
        fields["is_active"] = [
            _("Prislistan har börjat gälla och kan inte dras tillbaka. Avsluta den i stället.")
        ]
    if fields:
        raise ValidationFailed(fields=fields)


def price_list_update(
    *, actor: Actor, price_list: PriceList, expected_version: int | None, **changes: Any
) -> PriceList:
    """Correct a version not yet in force, end one (`valid_to`) or withdraw one not yet in force
    (`is_active=False`); see `_check_started_changes` for what a started version allows."""
    _require_manage(actor, price_list.cooperation)
    with transaction.atomic():
        Cooperation.objects.select_for_update().get(pk=price_list.cooperation_id)
        current = PriceList.objects.get(pk=price_list.pk)
        if expected_version is not None and current.version != expected_version:
            raise Conflict()
        _check_started_changes(current, changes)
        if changes.get("is_active", current.is_active):
            _check_overlap(
                current.cooperation,
                changes.get("valid_from", current.valid_from),
                changes.get("valid_to", current.valid_to),
                exclude_pk=current.pk,
            )
        return _catalogue_update(
            actor=actor,
            instance=current,
            expected_version=expected_version,
            allowed=PRICE_LIST_FIELDS,
            changes=changes,
        )


COPY_START_TOO_EARLY = _(
    "Den nya versionen måste börja efter %(start)s för att %(name)s ska kunna avslutas dagen före."
)


def price_list_copy(
    *,
    actor: Actor,
    source: PriceList,
    name: str,
    valid_from: dt.date,
    decision_reference: str,
    valid_to: dt.date | None = None,
    end_source: bool = False,
) -> PriceList:
    """A new version starting from the prices of `source` (the usual way to make next year's
    list). With `end_source`, the source ends the day before the new version starts, in the same
    transaction, so the versions meet without a gap or an overlap."""
    scope = _require_manage(actor, source.cooperation)
    cooperation = source.cooperation
    with transaction.atomic():
        Cooperation.objects.select_for_update().get(pk=cooperation.pk)
        source = PriceList.objects.get(pk=source.pk)
        if end_source and (source.valid_to is None or source.valid_to >= valid_from):
            if valid_from <= source.valid_from:
                raise ValidationFailed(
                    fields={
                        "valid_from": [
                            lazy_format(
                                COPY_START_TOO_EARLY,
                                start=source.valid_from.isoformat(),
                                name=source.name,
                            )
                        ]
                    }
                )
            changes = {"valid_to": valid_from - dt.timedelta(days=1)}
            _check_started_changes(source, changes)
            update_versioned(
                actor=actor,
                instance=source,
                expected_version=None,
                changes=changes,
                scope_path=scope,
            )
        prices = [(p.service, p.amount) for p in source.prices.select_related("service")]
        return price_list_create(
            actor=actor,
            cooperation=cooperation,
            name=name,
            valid_from=valid_from,
            valid_to=valid_to,
            decision_reference=decision_reference,
            prices=prices,
        )


def _require_editable_prices(price_list: PriceList) -> None:
    if _started(price_list):
        raise ValidationFailed(
            fields={
                "amount": [
                    _(
                        "Prislistan har börjat gälla och dess priser kan inte ändras. Skapa en "
                        "ny version."
                    )
                ]
            }
        )


def price_set(
    *,
    actor: Actor,
    price_list: PriceList,
    service: Service,
    amount: Any,
    expected_version: int | None = None,
) -> Price:
    """Set (or correct) one service's price in a version not yet in force."""
    scope = _require_manage(actor, price_list.cooperation)
    _same_cooperation("service", service, price_list.cooperation)
    value = _amount(amount)
    with transaction.atomic():
        _touch(price_list, expected_version)
        _require_editable_prices(PriceList.objects.get(pk=price_list.pk))
        existing = Price.objects.filter(price_list=price_list, service=service).first()
        if existing is None:
            return create_audited(
                actor=actor,
                instance=Price(price_list=price_list, service=service, amount=value),
                scope_path=scope,
            )
        return update_audited(
            actor=actor, instance=existing, changes={"amount": value}, scope_path=scope
        )


def price_remove(
    *,
    actor: Actor,
    price_list: PriceList,
    service: Service,
    expected_version: int | None = None,
) -> None:
    """Take a service's price out of a version not yet in force (audited)."""
    scope = _require_manage(actor, price_list.cooperation)
    with transaction.atomic():
        _touch(price_list, expected_version)
        _require_editable_prices(PriceList.objects.get(pk=price_list.pk))
        found = Price.objects.filter(price_list=price_list, service=service).first()
        if found is None:
            raise ValidationFailed(fields={"service": [_("Tjänsten har inget pris i listan.")]})
        # Recorded before the delete: the audit row names the object by its id.
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=found,
            before=audit.snapshot(found),
            after=None,
            scope_path=scope,
        )
        found.delete()


# --- ordering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    """One line of a new order: a service or a package, in a whole positive quantity."""

    quantity: Any
    service: Service | None = None
    package: Package | None = None


def _quantity(value: Any, *, field: str = "quantity") -> int:
    try:
        return rules.parse_quantity(value)
    except rules.QuantityError as exc:
        message = (
            _("Antalet får vara högst %(max)s.")
            if str(exc) == "too large"
            else _("Antalet ska vara ett positivt heltal.")
        )
        raise ValidationFailed(
            fields={field: [lazy_format(message, max=rules.MAX_QUANTITY)]}
        ) from None


def _require_order_unit(actor: Actor, unit: OrgNode) -> None:
    """The unit must be one the actor may order for: else 404, as if it did not exist."""
    selectors.orderable_unit_get(actor=actor, pk=unit.pk)


def _line_approval(actor: Actor, cooperation: Cooperation, line: LineInput) -> str:
    if (line.service is None) == (line.package is None):
        raise ValidationFailed(fields={"service": [_("Välj antingen en tjänst eller ett paket.")]})
    if line.service is not None:
        service = line.service
        _same_cooperation("service", service, cooperation)
        if not service.is_active:
            raise ValidationFailed(
                fields={"service": [_("Tjänsten går inte längre att beställa.")]}
            )
        if service.orderable_by == OrderableBy.IT_ONLY and not permissions.can(
            actor, actions.MANAGE_CATALOGUE, cooperation.root
        ):
            raise ValidationFailed(
                fields={"service": [_("Tjänsten beställs bara av IT-organisationen.")]}
            )
        return service.approval
    package = line.package
    assert package is not None
    _same_cooperation("package", package, cooperation)
    if not package.is_active:
        raise ValidationFailed(fields={"package": [_("Paketet går inte längre att beställa.")]})
    levels = list(package.items.values_list("service__approval", flat=True))
    if not levels:
        raise ValidationFailed(fields={"package": [_("Paketet innehåller inga tjänster.")]})
    return rules.strictest_approval(levels)


def order_create(
    *,
    actor: Actor,
    unit: OrgNode,
    lines: Sequence[LineInput],
    note: str = "",
) -> Order:
    """A draft order for a unit the actor may order for, with at least one line."""
    _require_order_unit(actor, unit)
    if not lines:
        raise ValidationFailed(fields={"lines": [_("En beställning måste ha minst en rad.")]})
    cooperation = Cooperation.objects.select_related("root").get(pk=unit.cooperation_id)
    prepared = []
    for line in lines:
        quantity = _quantity(line.quantity)
        prepared.append((line, quantity, _line_approval(actor, cooperation, line)))
    with transaction.atomic():
        order = create_audited(
            actor=actor,
            instance=Order(
                cooperation=cooperation,
                unit=unit,
                kind=OrderKind.NEW,
                note=note.strip(),
                created_by=_user(actor),
            ),
            scope_path=unit.path,
        )
        for line, quantity, approval in prepared:
            create_audited(
                actor=actor,
                instance=OrderLine(
                    order=order,
                    service=line.service,
                    package=line.package,
                    quantity=quantity,
                    approval=approval,
                ),
                scope_path=unit.path,
            )
        return order


def order_add_line(*, actor: Actor, order: Order, line: LineInput) -> OrderLine:
    order = _visible_order(actor, order)
    _require_order_unit(actor, order.unit)
    if order.status != OrderStatus.DRAFT or order.kind != OrderKind.NEW:
        raise Conflict(_("Rader kan bara läggas till i ett utkast."))
    quantity = _quantity(line.quantity)
    approval = _line_approval(
        actor, Cooperation.objects.select_related("root").get(pk=order.cooperation_id), line
    )
    return create_audited(
        actor=actor,
        instance=OrderLine(
            order=order,
            service=line.service,
            package=line.package,
            quantity=quantity,
            approval=approval,
        ),
        scope_path=order.unit.path,
    )


def _subscription_order(
    *, actor: Actor, subscription: Subscription, kind: str, quantity: int, note: str
) -> Order:
    sub = selectors.subscription_get(actor=actor, pk=subscription.pk)
    if not permissions.can(actor, actions.ORDER, sub.unit):
        raise Forbidden()
    _require_order_unit(actor, sub.unit)
    if sub.end_date is not None:
        raise ValidationFailed(fields={"subscription": [_("Prenumerationen är redan avslutad.")]})
    with transaction.atomic():
        order = create_audited(
            actor=actor,
            instance=Order(
                cooperation_id=sub.cooperation_id,
                unit=sub.unit,
                kind=kind,
                note=note.strip(),
                created_by=_user(actor),
            ),
            scope_path=sub.unit.path,
        )
        create_audited(
            actor=actor,
            instance=OrderLine(
                order=order,
                service=sub.service,
                subscription=sub,
                quantity=quantity,
                approval=Approval.NONE,
            ),
            scope_path=sub.unit.path,
        )
        return order


def order_change_subscription(
    *, actor: Actor, subscription: Subscription, quantity: Any, note: str = ""
) -> Order:
    """A draft change order: the subscription's quantity becomes `quantity` on delivery."""
    new_quantity = _quantity(quantity)
    if new_quantity == subscription.quantity:
        raise ValidationFailed(fields={"quantity": [_("Ange ett annat antal än det nuvarande.")]})
    return _subscription_order(
        actor=actor,
        subscription=subscription,
        kind=OrderKind.CHANGE,
        quantity=new_quantity,
        note=note,
    )


def order_cancel_subscription(*, actor: Actor, subscription: Subscription, note: str = "") -> Order:
    """A draft cancel order: the subscription ends the day before delivery."""
    return _subscription_order(
        actor=actor,
        subscription=subscription,
        kind=OrderKind.CANCEL,
        quantity=subscription.quantity,
        note=note,
    )


def _visible_order(actor: Actor, order: Order) -> Order:
    return selectors.order_get(actor=actor, pk=order.pk)


def _transition(
    *,
    actor: Actor,
    order: Order,
    target: str,
    expected_version: int | None,
    **extra: Any,
) -> Order:
    """Move an order to `target` with one conditional UPDATE (status and version as read), so
    of two concurrent changes exactly one succeeds; the loser gets Conflict and nothing else
    changes (the caller's transaction is rolled back)."""
    current = Order.objects.get(pk=order.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    if not rules.can_transition(current.status, target):
        raise Conflict(
            lazy_format(
                _("Beställningen har status ”%(status)s” och kan inte bli ”%(target)s”."),
                status=OrderStatus(current.status).label,
                target=OrderStatus(target).label,
            ),
            code="invalid_transition",
        )
    before = audit.snapshot(current)
    updated = Order.objects.filter(
        pk=current.pk, status=current.status, version=current.version
    ).update(status=target, version=F("version") + 1, updated_at=timezone.now(), **extra)
    if updated != 1:
        raise Conflict()
    current.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=audit.snapshot(current),
        scope_path=order.unit.path,
    )
    return current


def _set_decisions(actor: Actor, order: Order, lines: Iterable[OrderLine], decision: str) -> None:
    for line in lines:
        update_audited(
            actor=actor, instance=line, changes={"decision": decision}, scope_path=order.unit.path
        )


def order_submit(*, actor: Actor, order: Order, expected_version: int | None = None) -> Order:
    """Send a draft. Lines needing no approval are approved at once; when no line needs any,
    the order is approved at once too."""
    order = _visible_order(actor, order)
    if not permissions.can(actor, actions.ORDER, order.unit):
        raise Forbidden()
    lines = list(order.lines.all())
    if not lines:
        raise ValidationFailed(fields={"lines": [_("En beställning måste ha minst en rad.")]})
    for line in lines:
        if line.subscription is not None and line.subscription.end_date is not None:
            raise ValidationFailed(
                fields={"subscription": [_("Prenumerationen är redan avslutad.")]}
            )
    level = rules.strictest_approval(line.approval for line in lines)
    with transaction.atomic():
        order = _transition(
            actor=actor,
            order=order,
            target=OrderStatus.SUBMITTED,
            expected_version=expected_version,
            submitted_at=timezone.now(),
            approval=level,
        )
        _set_decisions(
            actor, order, [ln for ln in lines if ln.approval == Approval.NONE], LineDecision.AUTO
        )
        if level == Approval.NONE:
            order = _transition(
                actor=actor,
                order=order,
                target=OrderStatus.APPROVED,
                expected_version=None,
                decided_at=timezone.now(),
            )
        return order


def _require_approver(actor: Actor, order: Order) -> None:
    action = actions.APPROVE_IT if order.approval == Approval.IT else actions.APPROVE_ORDER
    if not permissions.can(actor, action, order.unit):
        raise Forbidden()


def _decide(
    *,
    actor: Actor,
    order: Order,
    target: str,
    decision: str,
    note: str,
    expected_version: int | None,
) -> Order:
    """Approve or reject: the order's status and every pending line's decision, in one
    transaction, by the approver."""
    with transaction.atomic():
        decided = _transition(
            actor=actor,
            order=order,
            target=target,
            expected_version=expected_version,
            decided_by_id=getattr(actor, "pk", None),
            decided_at=timezone.now(),
            decision_note=note.strip(),
        )
        pending = [ln for ln in order.lines.all() if ln.decision == LineDecision.PENDING]
        _set_decisions(actor, order, pending, decision)
        return decided


def order_approve(
    *, actor: Actor, order: Order, expected_version: int | None = None, note: str = ""
) -> Order:
    order = _visible_order(actor, order)
    _require_approver(actor, order)
    return _decide(
        actor=actor,
        order=order,
        target=OrderStatus.APPROVED,
        decision=LineDecision.APPROVED,
        note=note,
        expected_version=expected_version,
    )


def order_reject(
    *, actor: Actor, order: Order, note: str, expected_version: int | None = None
) -> Order:
    order = _visible_order(actor, order)
    _require_approver(actor, order)
    if not note.strip():
        raise ValidationFailed(fields={"note": [_("Motivera avslaget.")]})
    return _decide(
        actor=actor,
        order=order,
        target=OrderStatus.REJECTED,
        decision=LineDecision.REJECTED,
        note=note,
        expected_version=expected_version,
    )


def order_cancel(*, actor: Actor, order: Order, expected_version: int | None = None) -> Order:
    """Withdraw a draft or a submitted order (the orderer, or the administrator)."""
    order = _visible_order(actor, order)
    if not permissions.can(actor, actions.ORDER, order.unit):
        raise Forbidden()
    with transaction.atomic():
        return _transition(
            actor=actor,
            order=order,
            target=OrderStatus.CANCELLED,
            expected_version=expected_version,
        )


def order_start_delivery(
    *, actor: Actor, order: Order, expected_version: int | None = None
) -> Order:
    order = _visible_order(actor, order)
    if not permissions.can(actor, actions.DELIVER_ORDER, order.unit):
        raise Forbidden()
    with transaction.atomic():
        return _transition(
            actor=actor,
            order=order,
            target=OrderStatus.DELIVERING,
            expected_version=expected_version,
        )


def order_deliver(
    *,
    actor: Actor,
    order: Order,
    delivered_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Order:
    """Mark an order delivered (from approved it passes through "being delivered") and act on
    subscriptions from `delivered_on`: new ones start that day; a changed quantity is a new row
    from that day, the old row ending the day before; a cancelled one ends the day before."""
    order = _visible_order(actor, order)
    if not permissions.can(actor, actions.DELIVER_ORDER, order.unit):
        raise Forbidden()
    day = delivered_on or timezone.localdate()
    with transaction.atomic():
        if order.status == OrderStatus.APPROVED:
            order = _transition(
                actor=actor,
                order=order,
                target=OrderStatus.DELIVERING,
                expected_version=expected_version,
            )
            expected_version = None
        delivered = _transition(
            actor=actor,
            order=order,
            target=OrderStatus.DELIVERED,
            expected_version=expected_version,
            delivered_on=day,
        )
        for line in OrderLine.objects.filter(order=delivered).select_related(
            "service", "package", "subscription"
        ):
            _deliver_line(actor, delivered, line, day)
        return delivered


def _deliver_line(actor: Actor, order: Order, line: OrderLine, day: dt.date) -> None:
    scope = order.unit.path

    def start(service: Service, quantity: int, package: Package | None = None) -> None:
        create_audited(
            actor=actor,
            instance=Subscription(
                cooperation_id=order.cooperation_id,
                unit=order.unit,
                service=service,
                quantity=quantity,
                start_date=day,
                order_line=line,
                package=package,
            ),
            scope_path=scope,
        )

    if order.kind == OrderKind.NEW:
        if line.package is not None:
            for item in line.package.items.select_related("service"):
                start(item.service, item.quantity * line.quantity, line.package)
        else:
            assert line.service is not None
            start(line.service, line.quantity)
        return
    assert line.subscription_id is not None  # change and cancel lines name their subscription
    sub = Subscription.objects.select_for_update().get(pk=line.subscription_id)
    if sub.end_date is not None:
        raise Conflict(_("Prenumerationen är redan avslutad."))
    if day <= sub.start_date:
        raise ValidationFailed(
            fields={
                "delivered_on": [
                    _("Ändringen kan gälla tidigast dagen efter att prenumerationen startade.")
                ]
            }
        )
    update_audited(
        actor=actor,
        instance=sub,
        changes={"end_date": day - dt.timedelta(days=1), "ended_by": line},
        scope_path=scope,
    )
    if order.kind == OrderKind.CHANGE:
        start(sub.service, line.quantity, sub.package)
