"""Provisioning from an identity provider over SCIM 2.0 (ADR 0038): the bearer tokens of SCIM
clients, and the writes a SCIM client makes — a provisioned user is a person with a standard
account, a provisioned group is an entitlement of the kind "group" whose members hold a grant
of it.

Every write is audited like any other identity change. The SCIM layer (`identity.scim`) acts as
a `ScimActor`: it passes the permission checks of the services (a token is an administrator's
grant to a machine), is recorded in the audit trail under the token's name, and only ever hands
the services objects of the token's own cooperation.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.core import permissions
from itfabrik.core.actors import Actor, SystemActor
from itfabrik.core.errors import NotFound, ValidationFailed, lazy_format
from itfabrik.core.services import create_audited, update_versioned
from itfabrik.tenancy.models import Cooperation, OrgNode

from .. import permissions as actions
from .. import rules
from ..choices import (
    LIVE_GRANT,
    AccountKind,
    AccountStatus,
    EntitlementKind,
    GrantSource,
    GrantStatus,
)
from ..models import Account, Employment, Entitlement, Grant, ScimToken
from . import (
    _ACCOUNT_KEYS,
    _GRANT_KEYS,
    _grant_end,
    _today,
    account_disable,
    account_enable,
    person_create,
    person_update,
)
from .lifecycle import employment_create, employment_end, employment_update

TOKEN_PREFIX = "scim_"
# last_used is a hint for the administrator, not a record: written at most this often.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ScimActor(SystemActor):
    """The SCIM client of one token, as the actor of the writes it makes."""

    def __init__(self, token: ScimToken) -> None:
        self.token = token

    def get_username(self) -> str:
        return f"scim:{self.token.name}"[:200]

    def __str__(self) -> str:
        return self.get_username()


# --- tokens -------------------------------------------------------------------------------------


def _require_provisioning(actor: Actor, cooperation: Cooperation) -> None:
    assert cooperation.root is not None
    if not permissions.can(actor, actions.MANAGE_PROVISIONING, cooperation.root):
        raise NotFound()


def scim_token_create(
    *, actor: Actor, cooperation: Cooperation, name: str
) -> tuple[ScimToken, str]:
    """A new token for a SCIM client; returns the token and the secret, shown this once."""
    _require_provisioning(actor, cooperation)
    assert cooperation.root is not None
    errors: dict[str, list[Any]] = {}
    if not name.strip():
        errors["name"] = [_("Ange ett namn.")]
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = create_audited(
            actor=actor,
            instance=ScimToken(
                cooperation=cooperation,
                name=name.strip(),
                token_hash=rules.scim_token_hash(raw),
                prefix=raw[: len(TOKEN_PREFIX) + 4],
                created_by=actor if isinstance(actor, User) else None,
            ),
            scope_path=cooperation.root.path,
            exclude=["cooperation", "created_by"],
            errors=errors,
        )
    return token, raw


def scim_token_revoke(*, actor: Actor, token: ScimToken) -> ScimToken:
    _require_provisioning(actor, token.cooperation)
    assert token.cooperation.root is not None
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        return _update_plain(actor, token, {"revoked_at": timezone.now()}, token.cooperation.root)


def _update_plain(actor: Actor, instance: Any, changes: dict[str, Any], root: OrgNode) -> Any:
    """An audited change of a row without a version column."""
    from itfabrik.core.services import update_audited

    return update_audited(
        actor=actor,
        instance=instance,
        changes=changes,
        scope_path=root.path,
        exclude=["cooperation", "created_by"],
    )


def scim_token_touch(token: ScimToken) -> None:
    """Note that the token was used (not audited: a usage hint, at most once a minute)."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ScimToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


# --- users --------------------------------------------------------------------------------------

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
# The title of a provisioned employment whose provider sent none (an employment has a title);
# SCIM shows it as no title.
NO_TITLE = "Befattning ej angiven"


@dataclass(frozen=True)
class Placement:
    """What SCIM says of a user's employment: the enterprise extension's organization and
    department and the core title. None is "not sent" (that part of the employment stays as
    it is); a title of "" is "no title"."""

    organization: str | None = None
    department: str | None = None
    title: str | None = None

    @property
    def named(self) -> bool:
        """Whether it names a place or a title (enough for a first employment)."""
        return any((v or "").strip() for v in (self.organization, self.department, self.title))

    @property
    def given(self) -> bool:
        """Whether it says anything about an employment (a title of "" removes a title)."""
        return self.named or self.title is not None


def _municipality_named(cooperation_id: int, organization: str) -> OrgNode | None:
    """The municipality an organization names: its name, its e-mail domain or its organisation
    number (compared case-insensitively, the number without its hyphen)."""
    value = organization.strip()
    municipalities = OrgNode.objects.filter(
        cooperation_id=cooperation_id, kind="municipality"
    ).order_by("path")
    digits = value.replace("-", "")
    q = Q(name__iexact=value) | Q(email_domain__iexact=value)
    if digits.isdecimal():
        q |= Q(organisation_number__in=[digits, f"{digits[:6]}-{digits[6:]}"])
    return municipalities.filter(q).first()


def _unit_named(municipality: OrgNode, department: str) -> OrgNode:
    """The unit (or administration) below the municipality with that name; the municipality
    itself when none has it."""
    value = department.strip()
    if not value:
        return municipality
    found = (
        OrgNode.objects.filter(
            municipality_id=municipality.pk,
            kind__in=["administration", "unit"],
            is_active=True,
            name__iexact=value,
        )
        .order_by("path")
        .first()
    )
    return found or municipality


def current_employment(person_id: int) -> Employment | None:
    """The employment SCIM shows and moves: the person's current one that started last."""
    from .. import selectors

    return (
        Employment.objects.filter(selectors.active_employment_q(_today()), person_id=person_id)
        .select_related("municipality", "unit")
        .order_by("-start", "-pk")
        .first()
    )


def _place(actor: Actor, account: Account, placement: Placement) -> None:
    """The person's employment as SCIM says (joiner and mover through identity's services):
    the current employment where it is already there (its title corrected), else a new one
    starting today, the previous current one ending (yesterday, or today when it started
    today)."""
    municipality = _check_placement_of(account.cooperation_id, placement)
    person = account.person
    assert person is not None
    current = current_employment(person.pk)
    if current is None and not placement.named:
        return
    if municipality is None:
        municipality = current.municipality if current is not None else account.municipality
    if placement.department is not None or current is None:
        unit = _unit_named(municipality, placement.department or "")
    elif current.municipality_id == municipality.pk:
        unit = current.unit
    else:
        unit = municipality
    title = (placement.title or "").strip()
    if not title:
        title = current.title if current is not None and placement.title is None else NO_TITLE
    if current is not None and current.unit_id == unit.pk:
        if current.title != title:
            employment_update(actor=actor, employment=current, expected_version=None, title=title)
        return
    employment_create(
        actor=actor, person=person, unit=unit, title=title, start=_today(), user_kind=None
    )
    if current is not None:
        end = max(_today() - dt.timedelta(days=1), current.start)
        employment_end(actor=actor, employment=current, end=end, expected_version=None)


def _home_for(cooperation: Cooperation, user_name: str) -> OrgNode:
    """The municipality a new provisioned person belongs to: the one whose e-mail domain the
    userName ends with (anna.berg@mellerud.se), else the host municipality, else the first."""
    municipalities = OrgNode.objects.filter(
        cooperation_id=cooperation.pk, kind="municipality"
    ).order_by("path")
    domain = user_name.rsplit("@", 1)[1].lower() if "@" in user_name else ""
    if domain:
        found = municipalities.filter(email_domain__iexact=domain).first()
        if found is not None:
            return found
    if cooperation.host_id is not None:
        host = municipalities.filter(pk=cooperation.host_id).first()
        if host is not None:
            return host
    first = municipalities.first()
    if first is None:
        raise ValidationFailed(fields={"userName": [_("Samverkan har ingen kommun.")]})
    return first


def _check_user_name(user_name: str, errors: dict[str, list[Any]]) -> str:
    value = user_name.strip()
    if not value:
        errors["userName"] = [_("Ange ett användarnamn.")]
    elif len(value) > Account._meta.get_field("username").max_length:  # type: ignore[operator]
        errors["userName"] = [_("Användarnamnet är för långt.")]
    return value


def user_name_taken(cooperation_id: int, user_name: str, exclude_pk: int | None = None) -> bool:
    """userName is unique per cooperation, compared case-insensitively (RFC 7643: caseExact
    false)."""
    qs = Account.objects.filter(cooperation_id=cooperation_id, username__iexact=user_name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


class Taken(ValidationFailed):
    """A name that must be unique is in use (SCIM answers 409 with scimType uniqueness)."""

    status = 409
    code = "uniqueness"


def provisioned_user_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    user_name: str,
    given_name: str,
    family_name: str,
    external_id: str = "",
    active: bool = True,
    work_phone: str = "",
    placement: Placement | None = None,
    employee_number: str = "",
    manager: str = "",
) -> Account:
    """A person with a standard account named `user_name` (the identity provider's name, e.g.
    the UPN), in the municipality `_home_for` finds; with a placement (organization, department,
    title) also their employment, starting today (the joiner path).

    When the name is held by an account the provider removed before, that account comes back
    (the same person and id, enabled, the new values applied): a provider that deletes a user and
    creates it again finds it, and the name is never held twice."""
    placement = placement or Placement()
    errors: dict[str, list[Any]] = {}
    user_name = _check_user_name(user_name, errors)
    work_phone = _check_phone(work_phone, errors)
    _check_placement_length(placement, errors)
    employee_number = _check_employee_number(employee_number, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        holders = list(
            Account.objects.select_for_update(of=("self",))
            .select_related("person", "municipality")
            .filter(cooperation_id=cooperation.pk, username__iexact=user_name)
        )
        if len(holders) == 1 and holders[0].removed_on is not None and holders[0].person_id:
            return provisioned_user_update(
                actor=actor,
                account=_restore(actor, holders[0]),
                user_name=user_name,
                given_name=given_name,
                family_name=family_name,
                external_id=external_id,
                active=active,
                work_phone=work_phone,
                placement=placement,
                employee_number=employee_number,
                manager=manager,
            )
        if holders:
            raise Taken(fields={"userName": [_("Användarnamnet är upptaget.")]})
        home = _home_for(cooperation, user_name)
        _check_placement_of(cooperation.pk, placement)
        manager_account = _manager_named(cooperation.pk, manager, None)
        person = person_create(
            actor=actor, home=home, first_name=given_name or "", last_name=family_name or ""
        )
        account = create_audited(
            actor=actor,
            instance=Account(
                cooperation_id=cooperation.pk,
                kind=AccountKind.STANDARD,
                username=user_name,
                person=person,
                municipality=home,
                mfa_required=True,
                external_id=external_id or "",
                work_phone=work_phone,
                provider_organization=(placement.organization or "").strip(),
                provider_department=(placement.department or "").strip(),
                provider_employee_number=employee_number,
                provider_manager=manager_account,
            ),
            scope_path=home.path,
            exclude=_ACCOUNT_KEYS,
        )
        if placement.given:
            _place(actor, account, placement)
            account = _reload(account)
        if not active:
            account = account_disable(actor=actor, account=account)
        return account


def _restore(actor: Actor, account: Account) -> Account:
    return update_versioned(
        actor=actor,
        instance=account,
        expected_version=None,
        changes={"removed_on": None},
        scope_path=account.municipality.path,
        exclude=_ACCOUNT_KEYS,
    )


def _reload(account: Account) -> Account:
    return Account.objects.select_related("person", "municipality").get(pk=account.pk)


def _check_phone(value: str, errors: dict[str, list[Any]]) -> str:
    value = (value or "").strip()
    if len(value) > Account._meta.get_field("work_phone").max_length:  # type: ignore[operator]
        errors["phoneNumbers"] = [_("Telefonnumret är för långt.")]
    return value


def _check_placement_length(placement: Placement, errors: dict[str, list[Any]]) -> None:
    for name, value in (
        ("organization", placement.organization),
        ("department", placement.department),
    ):
        if len((value or "").strip()) > 200:
            errors[f"{ENTERPRISE}:{name}"] = [_("Värdet är för långt.")]


def _check_employee_number(value: str, errors: dict[str, list[Any]]) -> str:
    value = (value or "").strip()
    field = Account._meta.get_field("provider_employee_number")
    if len(value) > field.max_length:  # type: ignore[operator]
        errors[f"{ENTERPRISE}:employeeNumber"] = [_("Värdet är för långt.")]
    return value


def _manager_named(cooperation_id: int, value: str, account_pk: int | None) -> Account | None:
    """The account a manager reference names: a user of the same cooperation that SCIM sees
    (by its id), not the user itself; "" is no manager."""
    from .. import selectors

    text = (value or "").strip()
    if not text:
        return None
    found = None
    if text.isascii() and text.isdecimal() and int(text) != account_pk:
        found = Account.objects.filter(
            selectors.provisioned_account_q(cooperation_id), pk=int(text)
        ).first()
    if found is None:
        raise ValidationFailed(
            fields={
                f"{ENTERPRISE}:manager": [
                    _("Ingen annan användare har id %(id)s.") % {"id": text[:40]}
                ]
            }
        )
    return found


def _check_placement_of(cooperation_id: int, placement: Placement) -> OrgNode | None:
    organization = (placement.organization or "").strip()
    if not organization:
        return None
    found = _municipality_named(cooperation_id, organization)
    if found is None:
        raise ValidationFailed(
            fields={
                f"{ENTERPRISE}:organization": [
                    lazy_format(_("Ingen kommun i samverkan heter %(name)s."), name=organization)
                ]
            }
        )
    return found


def provisioned_user_update(
    *,
    actor: Actor,
    account: Account,
    user_name: str,
    given_name: str,
    family_name: str,
    external_id: str,
    active: bool,
    work_phone: str = "",
    placement: Placement | None = None,
    employee_number: str = "",
    manager: str = "",
) -> Account:
    """Replace what SCIM owns of an account and its person (PUT, and PATCH after applying the
    operations to the current resource). What did not change writes nothing. A placement that
    differs from the current employment moves the person (a new employment from today, the
    previous one ending); without one the employments stay as they are."""
    placement = placement or Placement()
    errors: dict[str, list[Any]] = {}
    user_name = _check_user_name(user_name, errors)
    work_phone = _check_phone(work_phone, errors)
    _check_placement_length(placement, errors)
    employee_number = _check_employee_number(employee_number, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    _check_placement_of(account.cooperation_id, placement)
    manager_account = _manager_named(account.cooperation_id, manager, account.pk)
    with transaction.atomic():
        if user_name != account.username and user_name_taken(
            account.cooperation_id, user_name, exclude_pk=account.pk
        ):
            raise Taken(fields={"userName": [_("Användarnamnet är upptaget.")]})
        person = account.person
        assert person is not None
        if (given_name, family_name) != (person.first_name, person.last_name):
            account.person = person_update(
                actor=actor,
                person=person,
                expected_version=None,
                first_name=given_name or "",
                last_name=family_name or "",
            )
        account = update_versioned(
            actor=actor,
            instance=account,
            expected_version=None,
            changes={
                "username": user_name,
                "external_id": external_id or "",
                "work_phone": work_phone,
                "provider_organization": (placement.organization or "").strip(),
                "provider_department": (placement.department or "").strip(),
                "provider_employee_number": employee_number,
                "provider_manager_id": manager_account.pk if manager_account else None,
            },
            scope_path=account.municipality.path,
            exclude=_ACCOUNT_KEYS,
        )
        if placement.given:
            _place(actor, account, placement)
            account = _reload(account)
        is_active = account.status == AccountStatus.ACTIVE
        if active and not is_active:
            account = account_enable(actor=actor, account=account, expected_version=None)
        elif not active and is_active:
            account = account_disable(actor=actor, account=account)
        return account


def provisioned_user_remove(*, actor: Actor, account: Account) -> Account:
    """SCIM DELETE: the account is disabled (its grants revoked) and marked removed; nothing is
    deleted (records are public documents)."""
    with transaction.atomic():
        if account.status == AccountStatus.ACTIVE:
            account = account_disable(actor=actor, account=account)
        return update_versioned(
            actor=actor,
            instance=account,
            expected_version=None,
            changes={"removed_on": _today()},
            scope_path=account.municipality.path,
            exclude=_ACCOUNT_KEYS,
        )


# --- groups -------------------------------------------------------------------------------------


def _check_group_name(
    cooperation_id: int, name: str, errors: dict[str, list[Any]], exclude_pk: int | None
) -> str:
    value = name.strip()
    if not value:
        errors["displayName"] = [_("Ange ett namn.")]
        return value
    if len(value) > Entitlement._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["displayName"] = [_("Namnet är för långt.")]
        return value
    qs = Entitlement.objects.filter(cooperation_id=cooperation_id, name__iexact=value)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise Taken(fields={"displayName": [_("Det finns redan en behörighet med det namnet.")]})
    return value


def _set_members(
    actor: Actor, group: Entitlement, members: Iterable[Account], scope_path: str
) -> None:
    wanted = {a.pk: a for a in members}
    live = {
        g.account_id: g
        for g in Grant.objects.filter(entitlement=group, status__in=LIVE_GRANT).select_for_update()
    }
    for account_id, grant in live.items():
        if account_id not in wanted:
            _grant_end(actor, grant, scope_path)
    for account_id, account in wanted.items():
        if account_id in live:
            continue
        if account.cooperation_id != group.cooperation_id:
            raise ValidationFailed(fields={"members": [_("Kontot hör till en annan samverkan.")]})
        create_audited(
            actor=actor,
            instance=Grant(
                account=account,
                entitlement=group,
                source=GrantSource.PROVISIONED,
                status=GrantStatus.ACTIVE,
                decided_at=timezone.now(),
            ),
            scope_path=account.municipality.path,
            exclude=_GRANT_KEYS,
        )


def provisioned_group_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    display_name: str,
    external_id: str = "",
    members: Iterable[Account] = (),
) -> Entitlement:
    """A group of the identity provider: an entitlement of the kind "group", its members the
    accounts holding an active grant of it (source "scim", no approval in itfabrik: the
    provider's own owners decided)."""
    assert cooperation.root is not None
    errors: dict[str, list[Any]] = {}
    with transaction.atomic():
        name = _check_group_name(cooperation.pk, display_name, errors, None)
        if errors:
            raise ValidationFailed(fields=errors)
        group = create_audited(
            actor=actor,
            instance=Entitlement(
                cooperation=cooperation,
                name=name,
                kind=EntitlementKind.GROUP,
                system="SCIM",
                external_id=external_id or "",
            ),
            scope_path=cooperation.root.path,
            exclude=["cooperation", "licence_pool"],
        )
        _set_members(actor, group, members, cooperation.root.path)
        return group


def provisioned_group_update(
    *,
    actor: Actor,
    group: Entitlement,
    display_name: str,
    external_id: str,
    members: Iterable[Account],
) -> Entitlement:
    root = group.cooperation.root
    assert root is not None
    errors: dict[str, list[Any]] = {}
    with transaction.atomic():
        name = _check_group_name(group.cooperation_id, display_name, errors, group.pk)
        if errors:
            raise ValidationFailed(fields=errors)
        group = update_versioned(
            actor=actor,
            instance=group,
            expected_version=None,
            changes={"name": name, "external_id": external_id or ""},
            scope_path=root.path,
            exclude=["cooperation", "licence_pool"],
        )
        _set_members(actor, group, members, root.path)
        return group


def provisioned_group_remove(*, actor: Actor, group: Entitlement) -> Entitlement:
    """SCIM DELETE of a group: its grants end and the entitlement is made inactive; its name
    is freed with a suffix so the provider may create a group of that name again."""
    root = group.cooperation.root
    assert root is not None
    with transaction.atomic():
        _set_members(actor, group, [], root.path)
        suffix = f" (borttagen {group.pk})"
        return update_versioned(
            actor=actor,
            instance=group,
            expected_version=None,
            changes={"is_active": False, "name": group.name[: 150 - len(suffix)] + suffix},
            scope_path=root.path,
            exclude=["cooperation", "licence_pool"],
        )


__all__ = [
    "ENTERPRISE",
    "NO_TITLE",
    "Placement",
    "ScimActor",
    "Taken",
    "current_employment",
    "provisioned_group_create",
    "provisioned_group_remove",
    "provisioned_group_update",
    "provisioned_user_create",
    "provisioned_user_remove",
    "provisioned_user_update",
    "scim_token_create",
    "scim_token_revoke",
    "scim_token_touch",
]
