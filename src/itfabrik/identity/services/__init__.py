"""Every change of identity: typed, keyword-only, atomic, audited, permission-checked.

Errors: something the actor may not see is NotFound (404); something they see but may not
change is Forbidden (403); bad input is ValidationFailed (400) naming the field; a stale version
is Conflict (409). A refused call changes nothing.

The personal identity number never reaches the audit trail in clear: a person's snapshot
carries it masked (`_person_snapshot`), so before/after shows that it changed, not what it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.core import audit, permissions
from itfabrik.core.actors import SYSTEM, Actor
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditAction
from itfabrik.core.services import (
    create_audited,
    save_checked,
    update_versioned,
    validate,
)
from itfabrik.tenancy.models import Cooperation, OrgNode

from .. import permissions as actions
from .. import rules
from ..choices import (
    LIVE_GRANT,
    AccountKind,
    AccountStatus,
    GrantSource,
    GrantStatus,
)
from ..models import (
    Account,
    BusinessRole,
    Employment,
    Entitlement,
    Grant,
    MailAddress,
    NamingPolicy,
    Person,
)

_PERSON_KEYS = ["cooperation", "home", "user"]
_EMPLOYMENT_KEYS = ["person", "municipality", "unit", "business_role", "order"]
_ACCOUNT_KEYS = ["cooperation", "person", "owner", "sponsor", "municipality"]
_GRANT_KEYS = ["account", "entitlement", "employment", "requested_by", "decided_by"]


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _today() -> dt.date:
    return timezone.localdate()


def municipality_of(node: OrgNode) -> OrgNode:
    if node.kind == "municipality":
        return node
    if node.municipality_id is None:
        raise ValidationFailed(fields={"unit": [_("Välj en enhet i en kommun.")]})
    return OrgNode.objects.get(pk=node.municipality_id)


def _require(actor: Actor, action: str, node: OrgNode) -> None:
    """404 when the actor cannot see identity in the municipality at all, 403 when they see it
    but may not do this."""
    if permissions.can(actor, action, node):
        return
    if permissions.can(actor, actions.VIEW_IDENTITY, node):
        raise Forbidden()
    raise NotFound()


def naming_policy(cooperation_id: int) -> NamingPolicy:
    found = NamingPolicy.objects.filter(cooperation_id=cooperation_id).first()
    return found or NamingPolicy(cooperation_id=cooperation_id)


def naming_policy_set(
    *, actor: Actor, cooperation: Cooperation, email_pattern: str, privileged_prefix: str
) -> NamingPolicy:
    assert cooperation.root is not None
    _require(actor, actions.MANAGE_ROLES, cooperation.root)
    errors: dict[str, list[Any]] = {}
    try:
        rules.check_pattern(email_pattern)
    except rules.PatternError:
        errors["email_pattern"] = [
            _(
                "Mönstret får bara innehålla {first}, {last}, {f}, {l}, "
                "a–z, 0–9, punkt och bindestreck."
            )
        ]
    if privileged_prefix != rules.transliterate(privileged_prefix).rstrip("-") + (
        "-" if privileged_prefix.endswith("-") else ""
    ):
        errors["privileged_prefix"] = [_("Prefixet får bara innehålla a–z, 0–9 och bindestreck.")]
    with transaction.atomic():
        current = NamingPolicy.objects.filter(cooperation=cooperation).first()
        if current is None:
            if errors:
                raise ValidationFailed(fields=errors)
            return create_audited(
                actor=actor,
                instance=NamingPolicy(
                    cooperation=cooperation,
                    email_pattern=email_pattern,
                    privileged_prefix=privileged_prefix,
                ),
                scope_path=cooperation.root.path,
                exclude=["cooperation"],
            )
        return update_versioned(
            actor=actor,
            instance=current,
            expected_version=None,
            changes={"email_pattern": email_pattern, "privileged_prefix": privileged_prefix},
            scope_path=cooperation.root.path,
            exclude=["cooperation"],
            errors=errors,
        )


# --- persons ------------------------------------------------------------------------------------


def _person_snapshot(person: Person) -> dict[str, Any]:
    data = audit.snapshot(person)
    data["personal_number"] = rules.mask_personal_number(person.personal_number)
    return data


def _personal_number(value: str | None, errors: dict[str, list[Any]]) -> str:
    if not value or not value.strip():
        return ""
    try:
        return rules.normalise_personal_number(value, today=_today())
    except rules.PersonalNumberError:
        # The message never repeats the number (it would land in logs of form errors).
        errors["personal_number"] = [
            _("Personnumret är inte giltigt. Ange ÅÅÅÅMMDD-NNNN med rätt kontrollsiffra.")
        ]
        return ""


def _check_names(first_name: str, last_name: str, errors: dict[str, list[Any]]) -> None:
    if not first_name.strip():
        errors["first_name"] = [_("Ange förnamn.")]
    if not last_name.strip():
        errors["last_name"] = [_("Ange efternamn.")]


def person_create(
    *,
    actor: Actor,
    home: OrgNode,
    first_name: str,
    last_name: str,
    personal_number: str = "",
    user: User | None = None,
) -> Person:
    home = municipality_of(home)
    _require(actor, actions.MANAGE_IDENTITY, home)
    errors: dict[str, list[Any]] = {}
    _check_names(first_name, last_name, errors)
    digits = _personal_number(personal_number, errors)
    person = Person(
        cooperation_id=home.cooperation_id,
        home=home,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        personal_number=digits,
        birth_date=rules.birth_date(digits),
        user=user,
    )
    with transaction.atomic():
        validate(person, exclude=_PERSON_KEYS, actor=actor, errors=errors)
        save_checked(person)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=person,
            before=None,
            after=_person_snapshot(person),
            scope_path=home.path,
        )
        return person


def person_update(
    *,
    actor: Actor,
    person: Person,
    expected_version: int | None,
    first_name: str | None = None,
    last_name: str | None = None,
    personal_number: str | None = None,
) -> Person:
    """Correct a person's names or personal identity number (`None` leaves a field as it is;
    an empty number removes it)."""
    _require(actor, actions.MANAGE_IDENTITY, person.home)
    errors: dict[str, list[Any]] = {}
    changes: dict[str, Any] = {}
    if first_name is not None:
        changes["first_name"] = first_name.strip()
    if last_name is not None:
        changes["last_name"] = last_name.strip()
    _check_names(
        changes.get("first_name", person.first_name),
        changes.get("last_name", person.last_name),
        errors,
    )
    if personal_number is not None:
        digits = _personal_number(personal_number, errors)
        changes["personal_number"] = digits
        changes["birth_date"] = rules.birth_date(digits)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if expected_version is not None and current.version != expected_version:
            raise Conflict()
        before = _person_snapshot(current)
        raw_before = audit.snapshot(current)
        for key, value in changes.items():
            setattr(current, key, value)
        validate(current, exclude=_PERSON_KEYS, actor=actor, errors=errors)
        if audit.snapshot(current) == raw_before:
            return current
        current.version = F("version") + 1
        save_checked(current)
        current.refresh_from_db()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            before=before,
            after=_person_snapshot(current),
            scope_path=current.home.path,
        )
        return current


# --- accounts and addresses --------------------------------------------------------------------


def _taken_usernames(cooperation_id: int, base: str) -> set[str]:
    return set(
        Account.objects.filter(
            cooperation_id=cooperation_id, username__startswith=base
        ).values_list("username", flat=True)
    )


def _taken_addresses(base: str, domain: str) -> set[str]:
    return set(
        MailAddress.objects.filter(
            address__startswith=base, address__endswith=f"@{domain}"
        ).values_list("address", flat=True)
    )


def _domain(municipality: OrgNode) -> str:
    return municipality.email_domain or f"{rules.transliterate(municipality.name)}.invalid"


def address_ensure(*, actor: Actor, account: Account, municipality: OrgNode) -> MailAddress:
    """The account's address in the municipality, created from the naming policy if missing.
    The same local part as the account's other addresses where it is free."""
    existing = MailAddress.objects.filter(account=account, municipality=municipality).first()
    if existing is not None:
        return existing
    person = account.person
    assert person is not None
    policy = naming_policy(account.cooperation_id)
    domain = _domain(municipality)
    own = [a.split("@", 1)[0] for a in account.addresses.values_list("address", flat=True)]
    wanted = (
        own[0]
        if own
        else rules.local_part(policy.email_pattern, person.first_name, person.last_name)
    )
    base = rules.local_part(policy.email_pattern, person.first_name, person.last_name)
    taken = _taken_addresses(base, domain)
    if f"{wanted}@{domain}" in taken:
        value = rules.address(
            policy.email_pattern, person.first_name, person.last_name, domain, taken
        )
    else:
        value = f"{wanted}@{domain}"
    return create_audited(
        actor=actor,
        instance=MailAddress(account=account, municipality=municipality, address=value),
        scope_path=municipality.path,
        exclude=["account", "municipality"],
    )


def standard_account_ensure(*, actor: Actor, person: Person, municipality: OrgNode) -> Account:
    """The person's one standard account (created on the first employment; its username is the
    local part of the first address)."""
    found = Account.objects.filter(person=person, kind=AccountKind.STANDARD).first()
    if found is not None:
        if found.status == AccountStatus.DISABLED:
            found = update_versioned(
                actor=actor,
                instance=found,
                expected_version=None,
                changes={"status": AccountStatus.ACTIVE, "disabled_on": None},
                scope_path=found.municipality.path,
                exclude=_ACCOUNT_KEYS,
            )
        return found
    policy = naming_policy(person.cooperation_id)
    base = rules.local_part(policy.email_pattern, person.first_name, person.last_name)
    taken = _taken_addresses(base, _domain(municipality))
    local = rules.address(
        policy.email_pattern, person.first_name, person.last_name, _domain(municipality), taken
    ).split("@", 1)[0]
    username = rules.first_free(local, _taken_usernames(person.cooperation_id, local))
    return create_audited(
        actor=actor,
        instance=Account(
            cooperation_id=person.cooperation_id,
            kind=AccountKind.STANDARD,
            username=username,
            person=person,
            municipality=municipality,
            mfa_required=True,
        ),
        scope_path=municipality.path,
        exclude=_ACCOUNT_KEYS,
    )


def privileged_account_create(*, actor: Actor, person: Person, note: str = "") -> Account:
    """A separate account for elevated rights: the policy's prefix on the standard username,
    MFA required."""
    _require(actor, actions.MANAGE_IDENTITY, person.home)
    standard = Account.objects.filter(person=person, kind=AccountKind.STANDARD).first()
    if standard is None:
        raise ValidationFailed(
            fields={"person": [_("Personen behöver ett standardkonto (en anställning) först.")]}
        )
    policy = naming_policy(person.cooperation_id)
    base = f"{policy.privileged_prefix}{standard.username}"
    username = rules.first_free(base, _taken_usernames(person.cooperation_id, base))
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Account(
                cooperation_id=person.cooperation_id,
                kind=AccountKind.PRIVILEGED,
                username=username,
                person=person,
                municipality=standard.municipality,
                mfa_required=True,
                note=note.strip(),
            ),
            scope_path=standard.municipality.path,
            exclude=_ACCOUNT_KEYS,
        )


def external_account_create(
    *,
    actor: Actor,
    person: Person,
    sponsor: Person | None,
    expires_on: dt.date | None,
    municipality: OrgNode,
    note: str = "",
) -> Account:
    """An account for someone outside the municipalities (a consultant): a sponsor inside
    answers for it, and it ends on a date."""
    _require(actor, actions.MANAGE_IDENTITY, municipality)
    errors: dict[str, list[Any]] = {}
    if sponsor is None:
        errors["sponsor"] = [_("Välj en sponsor.")]
    elif sponsor.pk == person.pk:
        errors["sponsor"] = [_("Sponsorn kan inte vara personen själv.")]
    if expires_on is None:
        errors["expires_on"] = [_("Ange ett slutdatum.")]
    elif expires_on < _today():
        errors["expires_on"] = [_("Slutdatumet har redan varit.")]
    if errors:
        raise ValidationFailed(fields=errors)
    policy = naming_policy(person.cooperation_id)
    base = "ext-" + rules.local_part(policy.email_pattern, person.first_name, person.last_name)
    username = rules.first_free(base, _taken_usernames(person.cooperation_id, base))
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Account(
                cooperation_id=person.cooperation_id,
                kind=AccountKind.EXTERNAL,
                username=username,
                person=person,
                sponsor=sponsor,
                expires_on=expires_on,
                municipality=municipality,
                note=note.strip(),
            ),
            scope_path=municipality.path,
            exclude=_ACCOUNT_KEYS,
        )


def service_account_create(
    *, actor: Actor, username: str, owner: Person | None, municipality: OrgNode, note: str = ""
) -> Account:
    _require(actor, actions.MANAGE_IDENTITY, municipality)
    errors: dict[str, list[Any]] = {}
    name = rules.transliterate(username)
    if not name or name != username.strip():
        errors["username"] = [_("Användarnamnet får bara innehålla a–z, 0–9 och bindestreck.")]
    if owner is None:
        errors["owner"] = [_("Ett tjänstekonto måste ha en ägare.")]
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Account(
                cooperation_id=municipality.cooperation_id,
                kind=AccountKind.SERVICE,
                username=name or username,
                owner=owner,
                municipality=municipality,
                mfa_required=False,
                note=note.strip(),
            ),
            scope_path=municipality.path,
            exclude=_ACCOUNT_KEYS,
            errors=errors,
        )


def account_update(
    *, actor: Actor, account: Account, expected_version: int | None, **changes: Any
) -> Account:
    """Correct an account: MFA, shared flag, end date (external), note."""
    _require(actor, actions.MANAGE_IDENTITY, account.municipality)
    allowed = {"mfa_required", "mfa_enrolled", "is_shared", "expires_on", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(fields={k: [_("Fältet kan inte ändras.")] for k in unknown})
    errors: dict[str, list[Any]] = {}
    if account.kind == AccountKind.PRIVILEGED and changes.get("mfa_required") is False:
        errors["mfa_required"] = [_("Ett privilegierat konto kräver alltid tvåfaktorsinloggning.")]
    return update_versioned(
        actor=actor,
        instance=account,
        expected_version=expected_version,
        changes=changes,
        scope_path=account.municipality.path,
        exclude=_ACCOUNT_KEYS,
        errors=errors,
    )


def account_disable(
    *,
    actor: Actor,
    account: Account,
    expected_version: int | None = None,
    on: dt.date | None = None,
) -> Account:
    """Disable the account and take back its entitlements (licences go back to the pool)."""
    _require(actor, actions.MANAGE_IDENTITY, account.municipality)
    with transaction.atomic():
        account = update_versioned(
            actor=actor,
            instance=account,
            expected_version=expected_version,
            changes={"status": AccountStatus.DISABLED, "disabled_on": on or _today()},
            scope_path=account.municipality.path,
            exclude=_ACCOUNT_KEYS,
        )
        for grant in Grant.objects.filter(account=account, status__in=LIVE_GRANT):
            _grant_end(actor, grant, account.municipality.path)
        return account


def account_enable(*, actor: Actor, account: Account, expected_version: int | None) -> Account:
    _require(actor, actions.MANAGE_IDENTITY, account.municipality)
    return update_versioned(
        actor=actor,
        instance=account,
        expected_version=expected_version,
        changes={"status": AccountStatus.ACTIVE, "disabled_on": None},
        scope_path=account.municipality.path,
        exclude=_ACCOUNT_KEYS,
    )


# --- grants -------------------------------------------------------------------------------------


def _grant_end(actor: Actor, grant: Grant, scope: str, status: str = GrantStatus.REVOKED) -> Grant:
    if grant.status == GrantStatus.PENDING:
        status = GrantStatus.REJECTED if status == GrantStatus.REVOKED else status
    return update_versioned(
        actor=actor,
        instance=grant,
        expected_version=None,
        changes={"status": status, "ended_on": _today()},
        scope_path=scope,
        exclude=_GRANT_KEYS,
    )


def _role_grants(
    actor: Actor, employment: Employment, account: Account, role: BusinessRole
) -> list[Grant]:
    """Active grants of the role's entitlements (the role's owner approved the role itself)."""
    have = set(
        Grant.objects.filter(account=account, status__in=LIVE_GRANT).values_list(
            "entitlement_id", flat=True
        )
    )
    out = []
    for ent in role.entitlements.filter(is_active=True).order_by("pk"):
        if ent.pk in have:
            continue
        out.append(
            create_audited(
                actor=actor,
                instance=Grant(
                    account=account,
                    entitlement=ent,
                    source=GrantSource.ROLE,
                    employment=employment,
                    status=GrantStatus.ACTIVE,
                    requested_by=_user(actor),
                    decided_at=timezone.now(),
                ),
                scope_path=employment.municipality.path,
                exclude=_GRANT_KEYS,
            )
        )
    return out


def may_approve(actor: Actor, municipality: OrgNode, role: BusinessRole | None = None) -> bool:
    if (
        role is not None
        and role.owner_id is not None
        and role.owner_id == getattr(actor, "pk", None)
    ):
        return True
    return permissions.can(actor, actions.APPROVE_ACCESS, municipality)


def grant_request(
    *,
    actor: Actor,
    account: Account,
    entitlement: Entitlement | None,
    valid_until: dt.date | None,
    reason: str = "",
) -> Grant:
    """A direct grant outside any role: it waits for the municipality's approver and ends on
    `valid_until`."""
    _require(actor, actions.MANAGE_IDENTITY, account.municipality)
    errors: dict[str, list[Any]] = {}
    if entitlement is None or entitlement.cooperation_id != account.cooperation_id:
        errors["entitlement"] = [_("Välj en behörighet.")]
    if valid_until is None:
        errors["valid_until"] = [_("En direkt tilldelning måste ha ett slutdatum.")]
    elif valid_until < _today():
        errors["valid_until"] = [_("Slutdatumet har redan varit.")]
    if not reason.strip():
        errors["reason"] = [_("Ange varför behörigheten behövs.")]
    if account.status != AccountStatus.ACTIVE:
        errors["account"] = [_("Kontot är spärrat.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Grant(
                account=account,
                entitlement=entitlement,
                source=GrantSource.DIRECT,
                status=GrantStatus.PENDING,
                valid_until=valid_until,
                reason=reason.strip(),
                requested_by=_user(actor),
            ),
            scope_path=account.municipality.path,
            exclude=_GRANT_KEYS,
        )


def _decide_grant(actor: Actor, grant: Grant, expected_version: int | None, status: str) -> Grant:
    municipality = grant.account.municipality
    if not may_approve(actor, municipality):
        if permissions.can(actor, actions.VIEW_IDENTITY, municipality):
            raise Forbidden()
        raise NotFound()
    if grant.status != GrantStatus.PENDING:
        raise Conflict(_("Tilldelningen är redan beslutad."))
    return update_versioned(
        actor=actor,
        instance=grant,
        expected_version=expected_version,
        changes={"status": status, "decided_by": _user(actor), "decided_at": timezone.now()},
        scope_path=municipality.path,
        exclude=_GRANT_KEYS,
    )


def grant_approve(*, actor: Actor, grant: Grant, expected_version: int | None) -> Grant:
    return _decide_grant(actor, grant, expected_version, GrantStatus.ACTIVE)


def grant_reject(*, actor: Actor, grant: Grant, expected_version: int | None) -> Grant:
    return _decide_grant(actor, grant, expected_version, GrantStatus.REJECTED)


def grant_revoke(*, actor: Actor, grant: Grant, expected_version: int | None) -> Grant:
    municipality = grant.account.municipality
    _require(actor, actions.MANAGE_IDENTITY, municipality)
    if grant.status not in LIVE_GRANT:
        raise Conflict(_("Tilldelningen är redan avslutad."))
    with transaction.atomic():
        current = Grant.objects.select_for_update().get(pk=grant.pk)
        if expected_version is not None and current.version != expected_version:
            raise Conflict()
        return _grant_end(actor, current, municipality.path)


def grants_expire(*, today: dt.date | None = None) -> int:
    """Direct grants past their end date are revoked (idempotent)."""
    today = today or _today()
    n = 0
    for grant in Grant.objects.filter(status__in=LIVE_GRANT, valid_until__lt=today).select_related(
        "account__municipality"
    ):
        with transaction.atomic():
            _grant_end(SYSTEM, grant, grant.account.municipality.path)
        n += 1
    return n


def _active_employments(person_id: int, today: dt.date) -> Any:
    from django.db.models import Q

    return Employment.objects.filter(person_id=person_id, start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )


# Re-exported: the other aggregates' services live in their own modules (ADR 0031).
from .governance import (  # noqa: E402
    business_role_create,
    entitlement_create,
    licence_pool_create,
    licence_pool_update,
    review_campaign_create,
    review_close,
    review_decide,
    violation_remedy,
    violation_ticket_create,
)
from .lifecycle import (  # noqa: E402
    employment_create,
    employment_end,
    employment_update,
    leaver_process,
    leavers_process,
    role_change_decide,
    role_change_diff,
    role_change_request,
)

__all__ = [
    "account_disable",
    "account_enable",
    "account_update",
    "address_ensure",
    "business_role_create",
    "employment_create",
    "employment_end",
    "employment_update",
    "entitlement_create",
    "external_account_create",
    "grant_approve",
    "grant_reject",
    "grant_request",
    "grant_revoke",
    "grants_expire",
    "leaver_process",
    "leavers_process",
    "licence_pool_create",
    "licence_pool_update",
    "may_approve",
    "municipality_of",
    "naming_policy",
    "naming_policy_set",
    "person_create",
    "person_update",
    "privileged_account_create",
    "review_campaign_create",
    "review_close",
    "review_decide",
    "role_change_decide",
    "role_change_diff",
    "role_change_request",
    "service_account_create",
    "standard_account_ensure",
    "violation_remedy",
    "violation_ticket_create",
]
