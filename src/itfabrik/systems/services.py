"""Every change of the system register: typed, keyword-only, atomic, audited, permission-checked.

Errors: a refused actor gets NotFound (the register is not revealed) or Forbidden when they may
see it but not change it; bad input is ValidationFailed naming each field; a stale version is
Conflict. A refused call changes nothing. Many-to-many changes (capabilities) are audited as a
field of their own, since a row snapshot does not hold them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.core import audit, klassa, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditAction
from itfabrik.core.services import create_audited, update_versioned
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import GAPS, Compliance, ProgrammeStatus
from .models import (
    Assessment,
    Capability,
    InformationAsset,
    Integration,
    Requirement,
    System,
    SystemUse,
)

LEVEL_FIELDS = ("confidentiality", "integrity", "availability", "traceability")
_FIELD_ASPECT = dict(zip(LEVEL_FIELDS, rules.ASPECTS, strict=True))


def _require(actor: Actor, action: str, cooperation: Cooperation) -> None:
    if permissions.can(actor, action, cooperation.root):
        return
    if permissions.can(actor, actions.VIEW_SYSTEMS, cooperation.root):
        raise Forbidden()
    raise NotFound()


def _coop(cooperation_id: int) -> Cooperation:
    return Cooperation.objects.select_related("root").get(pk=cooperation_id)


def _root_path(cooperation: Cooperation) -> str:
    assert cooperation.root is not None
    return cooperation.root.path


def _level_errors(values: dict[str, Any]) -> dict[str, list[Any]]:
    bad = rules.bad_levels({k: v for k, v in values.items() if k in LEVEL_FIELDS})
    return {name: [_("Ange en KLASSA-nivå mellan 0 och 4 (eller lämna tom).")] for name in bad}


def _audit_capabilities(actor: Actor, system: System, before: list[int], after: list[int]) -> None:
    if sorted(before) == sorted(after):
        return
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=system,
        before={"capabilities": sorted(before)},
        after={"capabilities": sorted(after)},
        scope_path=_root_path(_coop(system.cooperation_id)),
    )


def _check_capabilities(
    cooperation: Cooperation, capabilities: list[Capability]
) -> dict[str, list[Any]]:
    if any(c.cooperation_id != cooperation.pk for c in capabilities):
        return {"capabilities": [_("Okänd förmåga.")]}
    return {}


# --- capabilities -------------------------------------------------------------------------------


def capability_create(
    *, actor: Actor, cooperation: Cooperation, name: str, description: str = ""
) -> Capability:
    _require(actor, actions.MANAGE_SYSTEMS, cooperation)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Capability(
                cooperation=cooperation, name=name.strip(), description=description.strip()
            ),
            scope_path=_root_path(cooperation),
            exclude=["cooperation"],
        )


def capability_update(
    *, actor: Actor, capability: Capability, expected_version: int | None, **changes: Any
) -> Capability:
    cooperation = _coop(capability.cooperation_id)
    _require(actor, actions.MANAGE_SYSTEMS, cooperation)
    allowed = {k: v for k, v in changes.items() if k in ("name", "description", "is_active")}
    return update_versioned(
        actor=actor,
        instance=capability,
        expected_version=expected_version,
        changes=allowed,
        scope_path=_root_path(cooperation),
        exclude=["cooperation"],
    )


# --- systems ------------------------------------------------------------------------------------


def system_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    hosting: str,
    supplier: str = "",
    contract_end: dt.date | None = None,
    status: str = ProgrammeStatus.MAPPED,
    description: str = "",
    capabilities: list[Capability] | None = None,
) -> System:
    _require(actor, actions.MANAGE_SYSTEMS, cooperation)
    capabilities = list(capabilities or [])
    errors = _check_capabilities(cooperation, capabilities)
    with transaction.atomic():
        system = create_audited(
            actor=actor,
            instance=System(
                cooperation=cooperation,
                name=name.strip(),
                hosting=hosting,
                supplier=supplier.strip(),
                contract_end=contract_end,
                status=status,
                description=description.strip(),
            ),
            scope_path=_root_path(cooperation),
            exclude=["cooperation"],
            errors=errors,
        )
        if capabilities:
            system.capabilities.set(capabilities)
            _audit_capabilities(actor, system, [], [c.pk for c in capabilities])
        return system


SYSTEM_FIELDS = (
    "name",
    "hosting",
    "supplier",
    "contract_end",
    "status",
    "description",
    "is_active",
)


def system_update(
    *,
    actor: Actor,
    system: System,
    expected_version: int | None,
    capabilities: list[Capability] | None = None,
    **changes: Any,
) -> System:
    """Correct a system; `is_active=False` closes it (kept, as a public record)."""
    cooperation = _coop(system.cooperation_id)
    _require(actor, actions.MANAGE_SYSTEMS, cooperation)
    unknown = [k for k in changes if k not in SYSTEM_FIELDS]
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in unknown})
    errors = _check_capabilities(cooperation, list(capabilities or []))
    with transaction.atomic():
        updated = update_versioned(
            actor=actor,
            instance=system,
            expected_version=expected_version,
            changes=changes,
            scope_path=_root_path(cooperation),
            exclude=["cooperation"],
            errors=errors,
        )
        if capabilities is not None:
            before = list(updated.capabilities.values_list("pk", flat=True))
            updated.capabilities.set(capabilities)
            _audit_capabilities(actor, updated, before, [c.pk for c in capabilities])
        return updated


def system_classify(
    *,
    actor: Actor,
    system: System,
    expected_version: int | None,
    confidentiality: Any,
    integrity: Any,
    availability: Any,
    traceability: Any = None,
    personal_data: bool = False,
) -> System:
    """Set the KLASSA levels of a system: each 0-4 (None: not assessed). Spårbarhet only with
    personal data. A value outside 0-4 is refused by name; nothing changes."""
    cooperation = _coop(system.cooperation_id)
    _require(actor, actions.CLASSIFY, cooperation)
    return _classify(
        actor, system, expected_version, cooperation,
        confidentiality=confidentiality, integrity=integrity, availability=availability,
        traceability=traceability, personal_data=personal_data,
    )  # fmt: skip


def _classify(
    actor: Actor, obj: Any, expected_version: int | None, cooperation: Cooperation, **values: Any
) -> Any:
    errors = _level_errors(values)
    if not values["personal_data"] and values["traceability"] is not None:
        errors.setdefault("traceability", []).append(
            _("Spårbarhet anges bara när personuppgifter behandlas.")
        )
    if errors:
        raise ValidationFailed(fields=errors)
    return update_versioned(
        actor=actor,
        instance=obj,
        expected_version=expected_version,
        changes=values,
        scope_path=_root_path(cooperation),
        exclude=["cooperation", "system"],
    )


# --- uses and integrations ------------------------------------------------------------------


def use_set(
    *,
    actor: Actor,
    system: System,
    municipality: OrgNode,
    owner: str,
    users: Any,
) -> SystemUse:
    """Record (or correct) that a municipality uses the system, with its system owner and
    number of users; a use that was ended is taken up again."""
    cooperation = _coop(system.cooperation_id)
    _require(actor, actions.MANAGE_SYSTEMS, cooperation)
    errors: dict[str, list[Any]] = {}
    if municipality.kind != NodeKind.MUNICIPALITY or municipality.cooperation_id != cooperation.pk:
        errors["municipality"] = [_("Välj en kommun i samverkan.")]
    if not isinstance(users, int) or isinstance(users, bool) or users < 0:
        errors["users"] = [_("Ange antalet användare som ett heltal, 0 eller mer.")]
    if not owner.strip():
        errors["owner"] = [_("Ange systemägaren i kommunen.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        existing = (
            SystemUse.objects.select_for_update()
            .filter(system=system, municipality=municipality)
            .first()
        )
        if existing is not None:
            return update_versioned(
                actor=actor,
                instance=existing,
                expected_version=None,
                changes={"owner": owner.strip(), "users": users, "is_active": True},
                scope_path=municipality.path,
                exclude=["system", "municipality"],
            )
        return create_audited(
            actor=actor,
            instance=SystemUse(
                system=system, municipality=municipality, owner=owner.strip(), users=users
            ),
            scope_path=municipality.path,
            exclude=["system", "municipality"],
        )


def use_end(*, actor: Actor, use: SystemUse) -> SystemUse:
    cooperation = _coop(use.system.cooperation_id)
    _require(actor, actions.MANAGE_SYSTEMS, cooperation)
    return update_versioned(
        actor=actor,
        instance=use,
        expected_version=None,
        changes={"is_active": False},
        scope_path=use.municipality.path,
        exclude=["system", "municipality"],
    )


def integration_add(
    *, actor: Actor, source: System, target: System, description: str = ""
) -> Integration:
    cooperation = _coop(source.cooperation_id)
    _require(actor, actions.MANAGE_SYSTEMS, cooperation)
    errors: dict[str, list[Any]] = {}
    if target.cooperation_id != cooperation.pk:
        errors["target"] = [_("Okänt system.")]
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Integration(source=source, target=target, description=description.strip()),
            scope_path=_root_path(cooperation),
            exclude=["source", "target"],
            errors=errors,
        )


# --- information assets ---------------------------------------------------------------------


def asset_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    description: str = "",
    system: System | None = None,
    confidentiality: Any = None,
    integrity: Any = None,
    availability: Any = None,
    traceability: Any = None,
    personal_data: bool = False,
) -> InformationAsset:
    _require(actor, actions.CLASSIFY, cooperation)
    values = {
        "confidentiality": confidentiality,
        "integrity": integrity,
        "availability": availability,
        "traceability": traceability,
    }
    errors = _level_errors(values)
    if not personal_data and traceability is not None:
        errors.setdefault("traceability", []).append(
            _("Spårbarhet anges bara när personuppgifter behandlas.")
        )
    if system is not None and system.cooperation_id != cooperation.pk:
        errors["system"] = [_("Okänt system.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=InformationAsset(
                cooperation=cooperation,
                name=name.strip(),
                description=description.strip(),
                system=system,
                personal_data=personal_data,
                **values,
            ),
            scope_path=_root_path(cooperation),
            exclude=["cooperation", "system"],
        )


def asset_classify(
    *, actor: Actor, asset: InformationAsset, expected_version: int | None, **values: Any
) -> InformationAsset:
    cooperation = _coop(asset.cooperation_id)
    _require(actor, actions.CLASSIFY, cooperation)
    full = {k: values.get(k) for k in LEVEL_FIELDS}
    full["personal_data"] = bool(values.get("personal_data", False))
    return _classify(actor, asset, expected_version, cooperation, **full)


# --- requirements and self-assessment -------------------------------------------------------


def requirement_create(
    *, actor: Actor, cooperation: Cooperation, code: str, aspect: str, level: Any, text: str
) -> Requirement:
    _require(actor, actions.CLASSIFY, cooperation)
    errors: dict[str, list[Any]] = {}
    if not klassa.is_level(level):
        errors["level"] = [_("Ange en KLASSA-nivå mellan 0 och 4.")]
    if aspect not in klassa.Aspect.values:
        errors["aspect"] = [_("Välj en av KLASSA:s aspekter.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Requirement(
                cooperation=cooperation,
                code=code.strip(),
                aspect=aspect,
                level=level,
                text=text.strip(),
            ),
            scope_path=_root_path(cooperation),
            exclude=["cooperation"],
        )


def requirement_update(
    *, actor: Actor, requirement: Requirement, expected_version: int | None, **changes: Any
) -> Requirement:
    cooperation = _coop(requirement.cooperation_id)
    _require(actor, actions.CLASSIFY, cooperation)
    errors: dict[str, list[Any]] = {}
    if "level" in changes and not klassa.is_level(changes["level"]):
        errors["level"] = [_("Ange en KLASSA-nivå mellan 0 och 4.")]
    if "aspect" in changes and changes["aspect"] not in klassa.Aspect.values:
        errors["aspect"] = [_("Välj en av KLASSA:s aspekter.")]
    if errors:
        raise ValidationFailed(fields=errors)
    allowed = {
        k: v for k, v in changes.items() if k in ("code", "aspect", "level", "text", "is_active")
    }
    return update_versioned(
        actor=actor,
        instance=requirement,
        expected_version=expected_version,
        changes=allowed,
        scope_path=_root_path(cooperation),
        exclude=["cooperation"],
    )


def assessment_record(
    *,
    actor: Actor,
    system: System,
    requirement: Requirement,
    compliance: str,
    comment: str = "",
    action: str = "",
    action_owner: User | None = None,
    action_due: dt.date | None = None,
) -> Assessment:
    """Record (or correct) the self-assessment of one requirement. A gap (partly or not met)
    becomes an action: without a text of its own it is "meet the requirement"."""
    cooperation = _coop(system.cooperation_id)
    _require(actor, actions.CLASSIFY, cooperation)
    errors: dict[str, list[Any]] = {}
    if requirement.cooperation_id != cooperation.pk:
        errors["requirement"] = [_("Okänt krav.")]
    if compliance not in Compliance.values:
        errors["compliance"] = [_("Välj uppfyllt, delvis uppfyllt eller ej uppfyllt.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if compliance in GAPS:
        action = action.strip() or str(
            _("Uppfyll kravet %(code)s: %(text)s")
            % {"code": requirement.code, "text": requirement.text}
        )
    else:
        action, action_owner, action_due = "", None, None
    values = {
        "compliance": compliance,
        "comment": comment.strip(),
        "action": action[:500],
        "action_owner": action_owner,
        "action_due": action_due,
        "action_done": False,
    }
    with transaction.atomic():
        existing = (
            Assessment.objects.select_for_update()
            .filter(system=system, requirement=requirement)
            .first()
        )
        if existing is not None:
            return update_versioned(
                actor=actor,
                instance=existing,
                expected_version=None,
                changes=values,
                scope_path=_root_path(cooperation),
                exclude=["system", "requirement", "action_owner"],
            )
        return create_audited(
            actor=actor,
            instance=Assessment(system=system, requirement=requirement, **values),
            scope_path=_root_path(cooperation),
            exclude=["system", "requirement", "action_owner"],
        )


def assessment_action_done(*, actor: Actor, assessment: Assessment) -> Assessment:
    cooperation = _coop(assessment.system.cooperation_id)
    _require(actor, actions.CLASSIFY, cooperation)
    return update_versioned(
        actor=actor,
        instance=assessment,
        expected_version=None,
        changes={"action_done": True},
        scope_path=_root_path(cooperation),
        exclude=["system", "requirement", "action_owner"],
    )
