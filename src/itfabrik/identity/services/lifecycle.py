"""Joiner, mover, leaver: employments and what follows from them (accounts, addresses,
the role's entitlements, the package order; role changes after approval; the leaver job)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from itfabrik.core import permissions
from itfabrik.core.actors import SYSTEM, Actor
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, lazy_format
from itfabrik.core.services import (
    create_audited,
    update_versioned,
)
from itfabrik.tenancy.models import OrgNode

from .. import permissions as actions
from ..choices import (
    LIVE_GRANT,
    AccountKind,
    AccountStatus,
    ChangeStatus,
)
from ..models import (
    Account,
    BusinessRole,
    Employment,
    Entitlement,
    Grant,
    Person,
    RoleChange,
)
from . import (
    _ACCOUNT_KEYS,
    _EMPLOYMENT_KEYS,
    _active_employments,
    _grant_end,
    _require,
    _role_grants,
    _today,
    _user,
    address_ensure,
    grants_expire,
    may_approve,
    municipality_of,
    standard_account_ensure,
)

# --- joiner, mover, leaver ----------------------------------------------------------------------


def _standard_package(cooperation_id: int, user_kind: str) -> Any:
    from itfabrik.catalog.models import Package

    return (
        Package.objects.filter(cooperation_id=cooperation_id, user_kind=user_kind, is_active=True)
        .order_by("pk")
        .first()
    )


def _order_package(actor: Actor, unit: OrgNode, user_kind: str, person: Person) -> Any:
    """A draft catalogue order for the unit's standard package of that kind of user, where the
    catalogue has one and the actor may order for the unit; else none (the joiner goes on)."""
    from itfabrik.catalog import services as catalog_services

    package = _standard_package(unit.cooperation_id, user_kind)
    if package is None:
        return None
    try:
        with transaction.atomic():
            return catalog_services.order_create(
                actor=actor,
                unit=unit,
                lines=[catalog_services.LineInput(quantity=1, package=package)],
                note=str(lazy_format(_("Ny medarbetare: %(name)s"), name=str(person))),
            )
    except (NotFound, Forbidden, ValidationFailed):
        return None


def employment_create(
    *,
    actor: Actor,
    person: Person,
    unit: OrgNode,
    title: str,
    start: dt.date,
    end: dt.date | None = None,
    business_role: BusinessRole | None = None,
    user_kind: str | None = "office",
) -> Employment:
    """A joiner (or a person's further employment): the employment, the standard account (made
    once per person), its address in this municipality, the role's entitlements and a draft
    order for the standard package of the catalogue."""
    municipality = municipality_of(unit)
    _require(actor, actions.MANAGE_IDENTITY, municipality)
    errors: dict[str, list[Any]] = {}
    if person.cooperation_id != municipality.cooperation_id:
        errors["person"] = [_("Personen hör till en annan samverkan.")]
    if not title.strip():
        errors["title"] = [_("Ange befattning.")]
    if business_role is not None and business_role.municipality_id != municipality.pk:
        errors["business_role"] = [_("Rollen hör till en annan kommun.")]
    elif business_role is not None and business_role.unit_id not in (None, unit.pk):
        errors["business_role"] = [_("Rollen hör till en annan enhet.")]
    with transaction.atomic():
        employment = create_audited(
            actor=actor,
            instance=Employment(
                person=person,
                municipality=municipality,
                unit=unit,
                title=title.strip(),
                start=start,
                end=end,
                business_role=business_role,
            ),
            scope_path=municipality.path,
            exclude=_EMPLOYMENT_KEYS,
            errors=errors,
        )
        account = standard_account_ensure(actor=actor, person=person, municipality=municipality)
        address_ensure(actor=actor, account=account, municipality=municipality)
        if business_role is not None:
            _role_grants(actor, employment, account, business_role)
        if user_kind and unit.kind == "unit":
            order = _order_package(actor, unit, user_kind, person)
            if order is not None:
                employment.order = order
                employment.save(update_fields=["order"])
        return employment


def employment_update(
    *,
    actor: Actor,
    employment: Employment,
    expected_version: int | None,
    title: str | None = None,
    end: dt.date | str | None = "",
) -> Employment:
    """Correct the title or set/move the end date (`end=None` removes it; "" leaves it)."""
    _require(actor, actions.MANAGE_IDENTITY, employment.municipality)
    changes: dict[str, Any] = {}
    errors: dict[str, list[Any]] = {}
    if title is not None:
        if not title.strip():
            errors["title"] = [_("Ange befattning.")]
        changes["title"] = title.strip()
    if end != "":
        changes["end"] = end
        if employment.ended_processed and (
            end is None or (isinstance(end, dt.date) and end >= _today())
        ):
            changes["ended_processed"] = False
    return update_versioned(
        actor=actor,
        instance=employment,
        expected_version=expected_version,
        changes=changes,
        scope_path=employment.municipality.path,
        exclude=_EMPLOYMENT_KEYS,
        errors=errors,
    )


def employment_end(
    *, actor: Actor, employment: Employment, end: dt.date, expected_version: int | None
) -> Employment:
    """A leaver: the employment ends on `end`; the accounts are disabled by the leaver job
    after that day (or now, when the day has passed)."""
    employment = employment_update(
        actor=actor, employment=employment, expected_version=expected_version, end=end
    )
    if end < _today():
        leaver_process(actor=actor, employment=employment)
    return employment


def leaver_process(*, actor: Actor, employment: Employment, today: dt.date | None = None) -> bool:
    """After the last day of an employment: its role grants are revoked; when the person has no
    other current employment, every account of theirs is disabled (which revokes every grant
    and so reclaims licences). Idempotent (`ended_processed`)."""
    today = today or _today()
    with transaction.atomic():
        current = Employment.objects.select_for_update().get(pk=employment.pk)
        if current.ended_processed or current.end is None or current.end >= today:
            return False
        scope = current.municipality.path
        for grant in Grant.objects.filter(employment=current, status__in=LIVE_GRANT):
            _grant_end(actor, grant, scope)
        if not _active_employments(current.person_id, today).exists():
            for account in Account.objects.filter(
                person_id=current.person_id, status=AccountStatus.ACTIVE
            ).select_related("municipality"):
                account = update_versioned(
                    actor=actor,
                    instance=account,
                    expected_version=None,
                    changes={"status": AccountStatus.DISABLED, "disabled_on": today},
                    scope_path=account.municipality.path,
                    exclude=_ACCOUNT_KEYS,
                )
                for grant in Grant.objects.filter(account=account, status__in=LIVE_GRANT):
                    _grant_end(actor, grant, scope)
        update_versioned(
            actor=actor,
            instance=current,
            expected_version=None,
            changes={"ended_processed": True},
            scope_path=scope,
            exclude=_EMPLOYMENT_KEYS,
        )
        return True


def leavers_process(*, today: dt.date | None = None) -> int:
    """The periodic leaver job: every employment whose last day has passed, once."""
    today = today or _today()
    done = 0
    for employment in Employment.objects.filter(ended_processed=False, end__lt=today).order_by(
        "pk"
    ):
        if leaver_process(actor=SYSTEM, employment=employment, today=today):
            done += 1
    grants_expire(today=today)
    return done


def role_change_request(
    *, actor: Actor, employment: Employment, to_role: BusinessRole | None
) -> RoleChange:
    """A mover: the new business role waits for its owner's approval (see `role_change_diff`)."""
    _require(actor, actions.MANAGE_IDENTITY, employment.municipality)
    errors: dict[str, list[Any]] = {}
    if to_role is None:
        errors["to_role"] = [_("Välj en roll.")]
    elif to_role.municipality_id != employment.municipality_id:
        errors["to_role"] = [_("Rollen hör till en annan kommun.")]
    elif to_role.pk == employment.business_role_id:
        errors["to_role"] = [_("Personen har redan den rollen.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=RoleChange(
                employment=employment,
                from_role_id=employment.business_role_id,
                to_role=to_role,
                requested_by=_user(actor),
            ),
            scope_path=employment.municipality.path,
            exclude=["employment", "from_role", "to_role", "requested_by", "decided_by"],
        )


def role_change_diff(change: RoleChange) -> tuple[list[Entitlement], list[Entitlement]]:
    """(added, removed) entitlements if the change is applied."""
    old = (
        set(change.from_role.entitlements.values_list("pk", flat=True))
        if change.from_role
        else set()
    )
    new = set(change.to_role.entitlements.values_list("pk", flat=True))
    added = list(Entitlement.objects.filter(pk__in=new - old).order_by("name"))
    removed = list(Entitlement.objects.filter(pk__in=old - new).order_by("name"))
    return added, removed


def role_change_decide(
    *, actor: Actor, change: RoleChange, approve: bool, expected_version: int | None
) -> RoleChange:
    employment = change.employment
    if not may_approve(actor, employment.municipality, change.to_role):
        if permissions.can(actor, actions.VIEW_IDENTITY, employment.municipality):
            raise Forbidden()
        raise NotFound()
    if change.status != ChangeStatus.PENDING:
        raise Conflict(_("Rollbytet är redan beslutat."))
    scope = employment.municipality.path
    with transaction.atomic():
        change = update_versioned(
            actor=actor,
            instance=change,
            expected_version=expected_version,
            changes={
                "status": ChangeStatus.APPLIED if approve else ChangeStatus.REJECTED,
                "decided_by": _user(actor),
            },
            scope_path=scope,
            exclude=["employment", "from_role", "to_role", "requested_by", "decided_by"],
        )
        if not approve:
            return change
        _added, removed = role_change_diff(change)
        removed_ids = {e.pk for e in removed}
        for grant in Grant.objects.filter(
            employment=employment, status__in=LIVE_GRANT, entitlement_id__in=removed_ids
        ):
            _grant_end(actor, grant, scope)
        employment = update_versioned(
            actor=actor,
            instance=employment,
            expected_version=None,
            changes={"business_role": change.to_role},
            scope_path=scope,
            exclude=_EMPLOYMENT_KEYS,
        )
        account = Account.objects.filter(
            person_id=employment.person_id, kind=AccountKind.STANDARD
        ).first()
        if account is not None:
            _role_grants(actor, employment, account, change.to_role)
        return change
