"""Every change of the network standard and register: keyword-only, atomic, audited.

Names: `name_check` says part by part what is wrong with a name; `name_next` proposes the next
free one; `device_create` without a name takes the next free one itself, with the site locked
and the database's unique name as the last word, so that two people naming a device at the same
moment never both get the same name (ADR 0036).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Forbidden, Message, NotFound, ValidationFailed, lazy_format
from itfabrik.core.services import create_audited, update_versioned
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import DeviceStatus, SsidSecurity, VlanStatus
from .models import (
    DEFAULT_PATTERN,
    Device,
    DeviceType,
    MunicipalityCode,
    NamingStandard,
    Site,
    Ssid,
    StandardVlan,
    Vlan,
)

PART_LABELS: dict[str, Any] = {
    rules.MUNICIPALITY: _("Kommunkod"),
    rules.SITE: _("Platskod"),
    rules.TYPE: _("Typkod"),
    rules.NUMBER: _("Löpnummer"),
    "name": _("Namnet"),
}

NAME_MESSAGES: dict[str, Any] = {
    rules.PART_MISSING: _("saknas."),
    rules.PART_UNKNOWN: _("finns inte i standarden."),
    rules.PART_NOT_A_NUMBER: _("ska vara ett nummer."),
    rules.PART_NUMBER_WIDTH: _("har fel antal siffror (fyll ut med nollor enligt mönstret)."),
    rules.PART_NUMBER_ZERO: _("ska vara 1 eller större."),
    rules.PART_MISMATCH: _("stämmer inte med enhetens egen plats eller typ."),
    rules.NAME_EMPTY: _("är tomt."),
    rules.NAME_TOO_LONG: _("är längre än 63 tecken."),
    rules.NAME_PREFIX: _("börjar inte som mönstret."),
    rules.NAME_SEPARATOR: _("saknar en avgränsare som mönstret kräver."),
    rules.NAME_TRAILING: _("har tecken efter sista delen."),
}

PATTERN_MESSAGES: dict[str, Any] = {
    rules.PATTERN_EMPTY: _("Ange ett mönster."),
    rules.PATTERN_UNKNOWN_FIELD: _(
        "Okänd del i mönstret. Använd {municipality}, {site}, {type} och {number}."
    ),
    rules.PATTERN_REPEATED_FIELD: _("Varje del får bara förekomma en gång i mönstret."),
    rules.PATTERN_NO_NUMBER: _("Mönstret måste innehålla {number}."),
    rules.PATTERN_ADJACENT_FIELDS: _(
        "Två delar måste skiljas åt med bindestreck, understreck eller punkt."
    ),
    rules.PATTERN_BAD_LITERAL: _(
        "Mellan delarna får bara bokstäver a–z, siffror, bindestreck, understreck och punkt stå."
    ),
    rules.PATTERN_BAD_WIDTH: _("Bara {number} kan fyllas ut med nollor, t.ex. {number:02}."),
    rules.PATTERN_BRACES: _("En klammer i mönstret saknar sin motsvarighet."),
}


def name_message(part: str, code: str) -> Message:
    return lazy_format(
        _("%(part)s %(problem)s"),
        part=PART_LABELS.get(part, part),
        problem=NAME_MESSAGES.get(code, code),
    )


def _root(cooperation: Cooperation) -> OrgNode:
    assert cooperation.root is not None
    return cooperation.root


def _require(actor: Actor, action: str, node: OrgNode) -> None:
    """404 when the actor may not even see the network at the node; 403 when they see it but
    may not do this."""
    if not permissions.can(actor, action, node):
        if permissions.can(actor, actions.VIEW_NETWORK, node):
            raise Forbidden()
        raise NotFound()


def _code(value: str, field_name: str, errors: dict[str, list[Any]]) -> str:
    value = (value or "").strip().upper()
    if not rules.is_code(value):
        errors.setdefault(field_name, []).append(
            _("Koden ska vara 1–12 bokstäver A–Z eller siffror, utan mellanslag eller tecken.")
        )
    return value


# --- the naming standard ----------------------------------------------------------------------


def pattern_of(cooperation: Cooperation) -> rules.Pattern:
    standard = NamingStandard.objects.filter(cooperation=cooperation).first()
    return rules.parse_pattern(standard.pattern if standard else DEFAULT_PATTERN)


def parse_pattern_or_fail(text: str) -> rules.Pattern:
    try:
        return rules.parse_pattern(text)
    except rules.PatternError as exc:
        raise ValidationFailed(fields={"pattern": [PATTERN_MESSAGES[exc.code]]}) from None


def naming_pattern_set(
    *, actor: Actor, cooperation: Cooperation, pattern: str, expected_version: int | None
) -> NamingStandard:
    """Change the cooperation's pattern; every device's conformance is judged anew."""
    root = _root(cooperation)
    _require(actor, actions.MANAGE_STANDARD, root)
    pattern = (pattern or "").strip()
    parse_pattern_or_fail(pattern)
    with transaction.atomic():
        standard = NamingStandard.objects.filter(cooperation=cooperation).first()
        if standard is None:
            standard = create_audited(
                actor=actor,
                instance=NamingStandard(cooperation=cooperation, pattern=pattern),
                scope_path=root.path,
            )
        else:
            standard = update_versioned(
                actor=actor,
                instance=standard,
                expected_version=expected_version,
                changes={"pattern": pattern},
                scope_path=root.path,
            )
        conformance_refresh(cooperation=cooperation)
        return standard


def municipality_code_set(*, actor: Actor, municipality: OrgNode, code: str) -> MunicipalityCode:
    """Set (or change) the municipality's code in network names."""
    root = _root(municipality.cooperation)
    _require(actor, actions.MANAGE_STANDARD, root)
    errors: dict[str, list[Any]] = {}
    if municipality.kind != NodeKind.MUNICIPALITY:
        errors["municipality"] = [_("Välj en kommun.")]
    value = _code(code, "code", errors)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        current = MunicipalityCode.objects.filter(municipality=municipality).first()
        if current is None:
            result = create_audited(
                actor=actor,
                instance=MunicipalityCode(
                    cooperation=municipality.cooperation, municipality=municipality, code=value
                ),
                scope_path=municipality.path,
            )
        else:
            result = update_versioned(
                actor=actor,
                instance=current,
                expected_version=None,
                changes={"code": value},
                scope_path=municipality.path,
            )
        conformance_refresh(cooperation=municipality.cooperation, municipality=municipality)
        return result


def device_type_create(
    *, actor: Actor, cooperation: Cooperation, code: str, name: str
) -> DeviceType:
    root = _root(cooperation)
    _require(actor, actions.MANAGE_STANDARD, root)
    errors: dict[str, list[Any]] = {}
    value = _code(code, "code", errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=DeviceType(cooperation=cooperation, code=value, name=(name or "").strip()),
            scope_path=root.path,
            errors=errors,
        )


def device_type_update(
    *, actor: Actor, device_type: DeviceType, expected_version: int | None, **changes: Any
) -> DeviceType:
    root = _root(device_type.cooperation)
    _require(actor, actions.MANAGE_STANDARD, root)
    errors: dict[str, list[Any]] = {}
    if "code" in changes:
        changes["code"] = _code(changes["code"], "code", errors)
    with transaction.atomic():
        result = update_versioned(
            actor=actor,
            instance=device_type,
            expected_version=expected_version,
            changes=changes,
            scope_path=root.path,
            errors=errors,
        )
        conformance_refresh(cooperation=device_type.cooperation)
        return result


def _vid(value: Any, errors: dict[str, list[Any]]) -> int:
    try:
        vid = int(str(value).strip())
    except (TypeError, ValueError):
        vid = 0
    if not rules.is_vlan_id(vid):
        errors.setdefault("vid", []).append(_("VLAN-ID ska vara ett heltal mellan 1 och 4094."))
    return vid


def standard_vlan_create(
    *, actor: Actor, cooperation: Cooperation, vid: Any, name: str, purpose: str
) -> StandardVlan:
    root = _root(cooperation)
    _require(actor, actions.MANAGE_STANDARD, root)
    errors: dict[str, list[Any]] = {}
    number = _vid(vid, errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=StandardVlan(
                cooperation=cooperation,
                vid=number,
                name=(name or "").strip(),
                purpose=(purpose or "").strip(),
            ),
            scope_path=root.path,
            errors=errors,
            exclude=["vid"] if errors else (),
        )


def standard_vlan_update(
    *, actor: Actor, vlan: StandardVlan, expected_version: int | None, **changes: Any
) -> StandardVlan:
    root = _root(vlan.cooperation)
    _require(actor, actions.MANAGE_STANDARD, root)
    errors: dict[str, list[Any]] = {}
    if "vid" in changes:
        changes["vid"] = _vid(changes["vid"], errors)
        if errors:
            raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return update_versioned(
            actor=actor,
            instance=vlan,
            expected_version=expected_version,
            changes=changes,
            scope_path=root.path,
        )


def _ssid_errors(name: str, security: str) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if not rules.ssid_ok(name):
        errors["name"] = [_("Ett SSID är 1–32 byte långt, utan styrtecken.")]
    if security not in SsidSecurity.values:
        errors["security"] = [_("Välj en säkerhetsnivå.")]
    return errors


def ssid_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    purpose: str,
    security: str,
    vlan: StandardVlan | None = None,
) -> Ssid:
    root = _root(cooperation)
    _require(actor, actions.MANAGE_STANDARD, root)
    errors = _ssid_errors(name, security)
    if vlan is not None and vlan.cooperation_id != cooperation.pk:
        errors["vlan"] = [_("Okänt VLAN.")]
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Ssid(
                cooperation=cooperation,
                name=name,
                purpose=(purpose or "").strip(),
                security=security,
                vlan=vlan,
            ),
            scope_path=root.path,
            errors=errors,
        )


def ssid_update(*, actor: Actor, ssid: Ssid, expected_version: int | None, **changes: Any) -> Ssid:
    root = _root(ssid.cooperation)
    _require(actor, actions.MANAGE_STANDARD, root)
    errors = _ssid_errors(changes.get("name", ssid.name), changes.get("security", ssid.security))
    with transaction.atomic():
        return update_versioned(
            actor=actor,
            instance=ssid,
            expected_version=expected_version,
            changes=changes,
            scope_path=root.path,
            errors=errors,
        )


# --- sites ------------------------------------------------------------------------------------


def site_create(
    *, actor: Actor, municipality: OrgNode, code: str, name: str, address: str = ""
) -> Site:
    _require(actor, actions.MANAGE_NETWORK, municipality)
    errors: dict[str, list[Any]] = {}
    if municipality.kind != NodeKind.MUNICIPALITY:
        errors["municipality"] = [_("Välj en kommun.")]
    value = _code(code, "code", errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Site(
                cooperation=municipality.cooperation,
                municipality=municipality,
                code=value,
                name=(name or "").strip(),
                address=(address or "").strip(),
            ),
            scope_path=municipality.path,
            errors=errors,
        )


def site_update(*, actor: Actor, site: Site, expected_version: int | None, **changes: Any) -> Site:
    """Correct a site (code, name, address) or close it (`is_active=False`)."""
    _require(actor, actions.MANAGE_NETWORK, site.municipality)
    errors: dict[str, list[Any]] = {}
    if "code" in changes:
        changes["code"] = _code(changes["code"], "code", errors)
    changes.pop("municipality", None)  # a site does not move between municipalities
    with transaction.atomic():
        result = update_versioned(
            actor=actor,
            instance=site,
            expected_version=expected_version,
            changes=changes,
            scope_path=site.municipality.path,
            errors=errors,
        )
        conformance_refresh(cooperation=site.cooperation, site=result)
        return result


# --- names ------------------------------------------------------------------------------------


@dataclass
class Naming:
    """What a name is checked against: the pattern and the codes that exist (a few queries,
    once per request or import)."""

    pattern: rules.Pattern
    known: rules.Known
    muni_code: dict[int, str]  # municipality id -> network code

    @classmethod
    def load(cls, cooperation: Cooperation) -> Naming:
        codes = {
            m.municipality_id: m.code
            for m in MunicipalityCode.objects.filter(cooperation=cooperation)
        }
        sites: dict[str, set[str]] = {}
        for muni_id, code in Site.objects.filter(
            cooperation=cooperation, is_active=True
        ).values_list("municipality_id", "code"):
            if muni_id in codes:
                sites.setdefault(codes[muni_id], set()).add(code)
        types = DeviceType.objects.filter(cooperation=cooperation, is_active=True).values_list(
            "code", flat=True
        )
        return cls(
            pattern=pattern_of(cooperation),
            known=rules.Known.of(codes.values(), sites, types),
            muni_code=codes,
        )

    def expected_parts(self, site: Site, device_type: DeviceType) -> dict[str, str]:
        return {
            rules.MUNICIPALITY: self.muni_code.get(site.municipality_id, ""),
            rules.SITE: site.code,
            rules.TYPE: device_type.code,
        }

    def check(
        self, name: str, site: Site | None = None, device_type: DeviceType | None = None
    ) -> rules.Checked:
        """The name against the pattern, and (given a site and type) against the device's own
        municipality, site and type."""
        checked = rules.check_name(self.pattern, name, self.known)
        if checked.valid and site is not None and device_type is not None:
            expected = {
                k: v
                for k, v in self.expected_parts(site, device_type).items()
                if k in self.pattern.fields
            }
            for part in rules.matches_parts(checked, expected):
                checked.add(part, rules.PART_MISMATCH)
        return checked


def checked_messages(checked: rules.Checked) -> dict[str, list[Message]]:
    return {
        part: [name_message(part, code) for code in codes] for part, codes in checked.errors.items()
    }


def name_check(
    *,
    cooperation: Cooperation,
    name: str,
    site: Site | None = None,
    device_type: DeviceType | None = None,
) -> rules.Checked:
    return Naming.load(cooperation).check(name.strip(), site, device_type)


def _numbers_taken(naming: Naming, cooperation: Cooperation, parts: Mapping[str, str]) -> set[int]:
    pattern = naming.pattern
    before: list[str] = []
    after: list[str] = []
    target = before
    for seg in pattern.segments:
        if isinstance(seg, rules.Field) and seg.name == rules.NUMBER:
            target = after
            continue
        target.append(seg if isinstance(seg, str) else parts[seg.name])
    qs = Device.objects.filter(
        cooperation=cooperation,
        name__istartswith="".join(before),
        name__iendswith="".join(after),
    ).values_list("name", flat=True)
    key = rules.prefix_key(pattern, parts)
    taken: set[int] = set()
    for existing in qs:
        split = rules.split_name(pattern, existing)
        number = split.number
        if number is not None and rules.prefix_key(pattern, split.parts) == key:
            taken.add(number)
    return taken


def name_next(*, actor: Actor, site: Site, device_type: DeviceType) -> str:
    """The next free name for a device of this type at this site (a proposal: `device_create`
    without a name takes it for good)."""
    _require(actor, actions.MANAGE_NETWORK, site.municipality)
    naming = Naming.load(site.cooperation)
    return _next_name(naming, site, device_type)


def _next_name(naming: Naming, site: Site, device_type: DeviceType) -> str:
    errors: dict[str, list[Any]] = {}
    parts = naming.expected_parts(site, device_type)
    if rules.MUNICIPALITY in naming.pattern.fields and not parts[rules.MUNICIPALITY]:
        errors["municipality"] = [_("Kommunen har ingen kod för nätverksnamn. Ange den först.")]
    if not site.is_active:
        errors["site"] = [_("Platsen är stängd.")]
    if not device_type.is_active:
        errors["device_type"] = [_("Enhetstypen används inte längre.")]
    if errors:
        raise ValidationFailed(fields=errors)
    taken = _numbers_taken(naming, site.cooperation, parts)
    return rules.render(naming.pattern, {**parts, rules.NUMBER: rules.next_number(taken)})


# --- devices ----------------------------------------------------------------------------------

DEVICE_TEXT_FIELDS = ("manufacturer", "model", "serial", "asset_tag", "description", "comments")
NAME_ATTEMPTS = 5


def device_create(
    *,
    actor: Actor,
    site: Site,
    device_type: DeviceType,
    name: str = "",
    status: str = DeviceStatus.ACTIVE,
    allow_nonconforming: bool = False,
    **details: str,
) -> Device:
    """Register a device. Without a name it gets the next free one; a given name must follow
    the standard unless `allow_nonconforming` (recording a device that already exists under
    an old name: the conformance report lists it)."""
    _require(actor, actions.MANAGE_NETWORK, site.municipality)
    unknown = set(details) - set(DEVICE_TEXT_FIELDS)
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in sorted(unknown)})
    errors: dict[str, list[Any]] = {}
    if device_type.cooperation_id != site.cooperation_id:
        errors["device_type"] = [_("Okänd enhetstyp.")]
    if status not in DeviceStatus.values:
        errors["status"] = [_("Okänd status.")]
    if errors:
        raise ValidationFailed(fields=errors)
    name = (name or "").strip()
    naming = Naming.load(site.cooperation)
    if name:
        checked = naming.check(name, site, device_type)
        if not checked.valid and not allow_nonconforming:
            raise ValidationFailed(
                lazy_format(_("Namnet %(name)s följer inte standarden."), name=name),
                fields={"name": [m for msgs in checked_messages(checked).values() for m in msgs]},
            )
        return _device_insert(actor, site, device_type, name, checked.valid, status, details)
    for attempt in range(NAME_ATTEMPTS):
        try:
            with transaction.atomic():
                # One namer per site at a time; the unique name is the last word regardless.
                Site.objects.select_for_update().filter(pk=site.pk).first()
                proposal = _next_name(naming, site, device_type)
                return _device_insert(actor, site, device_type, proposal, True, status, details)
        except ValidationFailed as exc:
            if "name" not in exc.fields or attempt == NAME_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _device_insert(
    actor: Actor,
    site: Site,
    device_type: DeviceType,
    name: str,
    conforms: bool,
    status: str,
    details: Mapping[str, str],
) -> Device:
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Device(
                cooperation=site.cooperation,
                municipality=site.municipality,
                site=site,
                device_type=device_type,
                name=name,
                status=status,
                name_conforms=conforms,
                **{k: (v or "").strip() for k, v in details.items()},
            ),
            scope_path=site.municipality.path,
        )


def device_update(
    *,
    actor: Actor,
    device: Device,
    expected_version: int | None,
    allow_nonconforming: bool = True,
    **changes: Any,
) -> Device:
    """Correct a device, move it to another site of the same municipality, or end it (status
    offline/decommissioning)."""
    _require(actor, actions.MANAGE_NETWORK, device.municipality)
    errors: dict[str, list[Any]] = {}
    site = changes.get("site", device.site)
    device_type = changes.get("device_type", device.device_type)
    if site.municipality_id != device.municipality_id:
        errors["site"] = [_("Platsen hör till en annan kommun.")]
    if device_type.cooperation_id != device.cooperation_id:
        errors["device_type"] = [_("Okänd enhetstyp.")]
    if "status" in changes and changes["status"] not in DeviceStatus.values:
        errors["status"] = [_("Okänd status.")]
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    checked = Naming.load(device.cooperation).check(
        changes.get("name", device.name), site, device_type
    )
    if "name" in changes and not checked.valid and not allow_nonconforming:
        errors["name"] = [m for msgs in checked_messages(checked).values() for m in msgs]
    if errors:
        raise ValidationFailed(fields=errors)
    changes["name_conforms"] = checked.valid
    with transaction.atomic():
        return update_versioned(
            actor=actor,
            instance=device,
            expected_version=expected_version,
            changes=changes,
            scope_path=device.municipality.path,
        )


def conformance_refresh(
    *,
    cooperation: Cooperation,
    municipality: OrgNode | None = None,
    site: Site | None = None,
) -> int:
    """Judge the devices' names anew after the standard changed (derived data: not audited).
    Returns how many changed."""
    naming = Naming.load(cooperation)
    qs = Device.objects.filter(cooperation=cooperation).select_related("site", "device_type")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if site is not None:
        qs = qs.filter(site=site)
    changed: list[Device] = []
    for device in qs:
        ok = naming.check(device.name, device.site, device.device_type).valid
        if ok != device.name_conforms:
            device.name_conforms = ok
            changed.append(device)
    Device.objects.bulk_update(changed, ["name_conforms"], batch_size=500)
    return len(changed)


# --- VLANs at sites ---------------------------------------------------------------------------

VLAN_TEXT_FIELDS = ("group", "role", "description", "comments")


def vlan_create(
    *,
    actor: Actor,
    site: Site,
    vid: Any,
    name: str,
    status: str = VlanStatus.ACTIVE,
    **details: str,
) -> Vlan:
    _require(actor, actions.MANAGE_NETWORK, site.municipality)
    errors: dict[str, list[Any]] = {}
    number = _vid(vid, errors)
    if status not in VlanStatus.values:
        errors["status"] = [_("Okänd status.")]
    unknown = set(details) - set(VLAN_TEXT_FIELDS)
    for k in sorted(unknown):
        errors[k] = [_("Okänt fält.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Vlan(
                cooperation=site.cooperation,
                municipality=site.municipality,
                site=site,
                vid=number,
                name=(name or "").strip(),
                status=status,
                **{k: (v or "").strip() for k, v in details.items()},
            ),
            scope_path=site.municipality.path,
        )


def vlan_update(*, actor: Actor, vlan: Vlan, expected_version: int | None, **changes: Any) -> Vlan:
    """Correct a VLAN, or end it (status deprecated)."""
    _require(actor, actions.MANAGE_NETWORK, vlan.municipality)
    errors: dict[str, list[Any]] = {}
    if "vid" in changes:
        changes["vid"] = _vid(changes["vid"], errors)
    if "status" in changes and changes["status"] not in VlanStatus.values:
        errors["status"] = [_("Okänd status.")]
    if "site" in changes and changes["site"].municipality_id != vlan.municipality_id:
        errors["site"] = [_("Platsen hör till en annan kommun.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return update_versioned(
            actor=actor,
            instance=vlan,
            expected_version=expected_version,
            changes=changes,
            scope_path=vlan.municipality.path,
        )


# --- CSV import in NetBox's bulk-import layout ------------------------------------------------

# NetBox's column names (dcim DeviceImportForm, ipam VLANImportForm); the ones we keep.
DEVICE_COLUMNS = (
    "name",
    "role",
    "manufacturer",
    "device_type",
    "status",
    "site",
    "serial",
    "asset_tag",
    "description",
    "comments",
)
DEVICE_REQUIRED = ("name", "role", "site")
VLAN_COLUMNS = ("vid", "name", "site", "group", "status", "role", "description", "comments")
VLAN_REQUIRED = ("vid", "name", "site")


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = True
    errors: list[dict[str, Any]] = field(default_factory=list)


def _decode(data: bytes | str) -> str:
    try:
        return data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    except UnicodeDecodeError:
        raise ValidationFailed(fields={"file": [_("Filen ska vara en CSV-fil i UTF-8.")]}) from None


def _rows(
    text: str, columns: Iterable[str], required: Iterable[str]
) -> list[tuple[int, dict[str, str]]]:
    if not text.strip():
        raise ValidationFailed(fields={"file": [_("Filen är tom.")]})
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    unknown = [h for h in header if h and h not in columns]
    problems: list[Message] = []
    if missing:
        problems.append(lazy_format(_("Kolumner saknas: %(columns)s."), columns=", ".join(missing)))
    if unknown:
        problems.append(lazy_format(_("Okända kolumner: %(columns)s."), columns=", ".join(unknown)))
    if problems:
        raise ValidationFailed(fields={"file": problems})
    out: list[tuple[int, dict[str, str]]] = []
    try:
        for raw in reader:
            row = {
                (k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else ""
                for k, v in raw.items()
                if isinstance(k, str)
            }
            if None in raw:
                row["__extra__"] = "1"
            if not any(v for k, v in row.items() if k != "__extra__"):
                continue
            out.append((reader.line_num, row))
    except csv.Error as exc:
        raise ValidationFailed(
            fields={"file": [lazy_format(_("Filen kunde inte läsas: %(reason)s"), reason=str(exc))]}
        ) from None
    return out


def _sites_by_name(actor: Actor, cooperation: Cooperation) -> dict[str, Site]:
    """The sites the actor may register things at, by lower-case name."""
    qs = Site.objects.filter(
        permissions.scope_q(actor, actions.MANAGE_NETWORK, path_field="municipality__path"),
        cooperation=cooperation,
    ).select_related("municipality", "cooperation")
    return {s.name.lower(): s for s in qs}


def _choice(value: str, allowed: Iterable[str], default: str) -> str | None:
    value = (value or "").strip().lower()
    if not value:
        return default
    return value if value in allowed else None


def _text_limits(model: type[Any], row: Mapping[str, str], names: Iterable[str]) -> list[str]:
    problems: list[str] = []
    for name in names:
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and len(row.get(name, "")) > limit:
            problems.append(
                str(
                    lazy_format(
                        _("%(column)s är längre än %(limit)s tecken."), column=name, limit=limit
                    )
                )
            )
    return problems


def _parse_devices(
    actor: Actor, cooperation: Cooperation, text: str
) -> tuple[ImportResult, list[dict[str, Any]]]:
    result = ImportResult(kind="devices")
    sites = _sites_by_name(actor, cooperation)
    types: dict[str, DeviceType] = {}
    for t in DeviceType.objects.filter(cooperation=cooperation, is_active=True):
        types[t.name.lower()] = t
        types[t.code.lower()] = t
    existing = {
        d.name.lower(): d
        for d in Device.objects.filter(cooperation=cooperation).select_related(
            "site", "device_type", "municipality"
        )
    }
    naming = Naming.load(cooperation)
    seen: dict[str, int] = {}
    good: list[dict[str, Any]] = []
    for line, row in _rows(text, DEVICE_COLUMNS, DEVICE_REQUIRED):
        result.rows += 1
        problems: list[str] = []
        if row.get("__extra__"):
            problems.append(str(_("Raden har fler fält än rubrikraden.")))
        name = row.get("name", "")
        if not name:
            problems.append(str(_("name: ange enhetens namn.")))
        elif name.lower() in seen:
            problems.append(
                str(
                    lazy_format(
                        _("name: %(name)s står redan på rad %(line)s."),
                        name=name,
                        line=seen[name.lower()],
                    )
                )
            )
        else:
            seen[name.lower()] = line
        site = sites.get(row.get("site", "").lower())
        if site is None:
            problems.append(
                str(lazy_format(_("site: okänd plats %(site)s."), site=row.get("site", "")))
            )
        device_type = types.get(row.get("role", "").lower())
        if device_type is None:
            problems.append(
                str(lazy_format(_("role: okänd enhetstyp %(role)s."), role=row.get("role", "")))
            )
        status = _choice(row.get("status", ""), DeviceStatus.values, DeviceStatus.ACTIVE)
        if status is None:
            problems.append(
                str(
                    lazy_format(_("status: okänd status %(status)s."), status=row.get("status", ""))
                )
            )
        problems += _text_limits(
            Device,
            {**row, "model": row.get("device_type", "")},
            ("name", "manufacturer", "model", "serial", "asset_tag", "description"),
        )
        current = existing.get(name.lower()) if name else None
        if (
            current is not None
            and site is not None
            and current.municipality_id != site.municipality_id
        ):
            problems.append(str(_("name: namnet används redan av en enhet i en annan kommun.")))
        if problems:
            result.errors.append({"row": line, "messages": problems})
            continue
        assert site is not None
        assert device_type is not None
        values = {
            "site": site,
            "device_type": device_type,
            "status": status,
            "manufacturer": row.get("manufacturer", ""),
            "model": row.get("device_type", ""),
            "serial": row.get("serial", ""),
            "asset_tag": row.get("asset_tag", ""),
            "description": row.get("description", ""),
            "comments": row.get("comments", ""),
        }
        good.append({"name": name, "current": current, "values": values})
    _classify(result, good, naming)
    return result, good


def _classify(result: ImportResult, good: list[dict[str, Any]], naming: Naming | None) -> None:
    for g in good:
        current = g["current"]
        if current is None:
            g["action"] = "create"
            result.created += 1
            continue
        differs = {
            k: v
            for k, v in g["values"].items()
            if (getattr(current, k + "_id") if hasattr(current, k + "_id") else getattr(current, k))
            != (v.pk if hasattr(v, "pk") else v)
        }
        if "name" in g and current.name != g["name"]:
            differs["name"] = g["name"]
        g["changes"] = differs
        if differs:
            g["action"] = "update"
            result.updated += 1
        else:
            g["action"] = "none"
            result.unchanged += 1


def _parse_vlans(
    actor: Actor, cooperation: Cooperation, text: str
) -> tuple[ImportResult, list[dict[str, Any]]]:
    result = ImportResult(kind="vlans")
    sites = _sites_by_name(actor, cooperation)
    existing = {
        (v.site_id, v.vid): v
        for v in Vlan.objects.filter(cooperation=cooperation, site__in=list(sites.values()))
    }
    seen: dict[tuple[int, int], int] = {}
    good: list[dict[str, Any]] = []
    for line, row in _rows(text, VLAN_COLUMNS, VLAN_REQUIRED):
        result.rows += 1
        problems: list[str] = []
        if row.get("__extra__"):
            problems.append(str(_("Raden har fler fält än rubrikraden.")))
        errors: dict[str, list[Any]] = {}
        vid = _vid(row.get("vid", ""), errors)
        if errors:
            problems.append(
                str(
                    lazy_format(
                        _("vid: %(value)s är inget VLAN-ID mellan 1 och 4094."),
                        value=row.get("vid", ""),
                    )
                )
            )
        if not row.get("name"):
            problems.append(str(_("name: ange VLAN:ets namn.")))
        site = sites.get(row.get("site", "").lower())
        if site is None:
            problems.append(
                str(lazy_format(_("site: okänd plats %(site)s."), site=row.get("site", "")))
            )
        status = _choice(row.get("status", ""), VlanStatus.values, VlanStatus.ACTIVE)
        if status is None:
            problems.append(
                str(
                    lazy_format(_("status: okänd status %(status)s."), status=row.get("status", ""))
                )
            )
        problems += _text_limits(Vlan, row, ("name", "group", "role", "description"))
        if site is not None and not errors:
            key = (site.pk, vid)
            if key in seen:
                problems.append(
                    str(
                        lazy_format(
                            _("vid: VLAN %(vid)s för platsen står redan på rad %(line)s."),
                            vid=vid,
                            line=seen[key],
                        )
                    )
                )
            else:
                seen[key] = line
        if problems:
            result.errors.append({"row": line, "messages": problems})
            continue
        assert site is not None
        values = {
            "name": row.get("name", ""),
            "status": status,
            "group": row.get("group", ""),
            "role": row.get("role", ""),
            "description": row.get("description", ""),
            "comments": row.get("comments", ""),
        }
        good.append(
            {"site": site, "vid": vid, "current": existing.get((site.pk, vid)), "values": values}
        )
    _classify(result, good, None)
    return result, good


def network_import_csv(
    *, actor: Actor, cooperation: Cooperation, kind: str, data: bytes | str, dry_run: bool
) -> ImportResult:
    """Import devices or VLANs from a CSV file in NetBox's bulk-import layout (`,` or `;`,
    UTF-8, a header row with NetBox's column names). Rows are matched by device name, or by
    site and VLAN ID: a new one is created, a changed one corrected, an equal one left alone,
    so running the same file again changes nothing. A dry run lists every bad row with its
    line; a real run writes every row or, if any row is bad, none."""
    if not permissions.can_anywhere(actor, actions.MANAGE_NETWORK) or not (
        permissions.is_superuser(actor) or cooperation.pk in permissions.cooperation_ids(actor)
    ):
        raise NotFound()
    text = _decode(data)
    if kind == "devices":
        result, good = _parse_devices(actor, cooperation, text)
    elif kind == "vlans":
        result, good = _parse_vlans(actor, cooperation, text)
    else:
        raise ValidationFailed(fields={"kind": [_("Välj enheter eller VLAN.")]})
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
    with transaction.atomic():
        for g in good:
            if g["action"] == "none":
                continue
            if kind == "devices":
                _write_device(actor, g)
            else:
                _write_vlan(actor, g)
    return result


def _write_device(actor: Actor, g: dict[str, Any]) -> None:
    values = dict(g["values"])
    if g["action"] == "create":
        site = values.pop("site")
        device_type = values.pop("device_type")
        status = values.pop("status")
        device_create(
            actor=actor,
            site=site,
            device_type=device_type,
            name=g["name"],
            status=status,
            allow_nonconforming=True,
            **values,
        )
    else:
        device_update(actor=actor, device=g["current"], expected_version=None, **g["changes"])


def _write_vlan(actor: Actor, g: dict[str, Any]) -> None:
    values = dict(g["values"])
    if g["action"] == "create":
        name = values.pop("name")
        status = values.pop("status")
        vlan_create(actor=actor, site=g["site"], vid=g["vid"], name=name, status=status, **values)
    else:
        vlan_update(actor=actor, vlan=g["current"], expected_version=None, **g["changes"])
