"""Reads of identity: every one takes the actor and applies scope.

Persons are seen by whoever holds `view_identity` on the person's home municipality or on the
municipality of one of their employments; accounts, grants and roles by the municipality they
belong to. Anything else is NotFound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import FirstValue, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import OrgNode

from . import permissions as actions
from . import rules
from .choices import (
    LIVE_GRANT,
    AccountKind,
    AccountStatus,
    EntitlementKind,
    GrantStatus,
    ReviewDecision,
    ViolationKind,
)
from .filters import AccountFilter, GrantFilter, PersonFilter
from .models import (
    Account,
    BusinessRole,
    Employment,
    Entitlement,
    Grant,
    LicencePool,
    MailAddress,
    Person,
    ReviewCampaign,
    ReviewItem,
    RoleChange,
    ScimToken,
)


def _today() -> dt.date:
    return timezone.localdate()


def person_visible_q(actor: Actor) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    employed = Employment.objects.filter(
        permissions.scope_q(actor, actions.VIEW_IDENTITY, path_field="municipality__path")
    ).values("person_id")
    return permissions.scope_q(actor, actions.VIEW_IDENTITY, path_field="home__path") | Q(
        pk__in=employed
    )


def account_visible_q(actor: Actor, prefix: str = "") -> Q:
    return permissions.scope_q(
        actor, actions.VIEW_IDENTITY, path_field=f"{prefix}municipality__path"
    )


def may_view(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_IDENTITY)


def may_manage(actor: Actor, node: OrgNode | None = None) -> bool:
    if node is None:
        return permissions.can_anywhere(actor, actions.MANAGE_IDENTITY)
    return permissions.can(actor, actions.MANAGE_IDENTITY, node)


def may_see_personal_number(actor: Actor, person: Person) -> bool:
    return permissions.can(actor, actions.VIEW_PERSONAL_NUMBER, person.home)


def may_review(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.REVIEW_ACCESS)


def shown_personal_number_get(actor: Actor, person: Person) -> str:
    """The number in clear for those who need it, masked for everyone else."""
    if may_see_personal_number(actor, person):
        return rules.format_personal_number(person.personal_number)
    return person.masked_personal_number


def active_employment_q(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": today}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": today})
    )


def person_list(
    *, actor: Actor, filters: dict[str, Any] | None = None, ordering: str | None = None
) -> QuerySet[Person]:
    today = _today()
    current = (
        Employment.objects.filter(active_employment_q(today))
        .select_related("municipality", "unit")
        .order_by("start", "pk")
    )
    qs = (
        Person.objects.filter(person_visible_q(actor))
        .select_related("home")
        .prefetch_related(Prefetch("employments", queryset=current, to_attr="current_employments"))
    )
    qs = PersonFilter.apply(qs, **(filters or {}))
    if ordering == "-last_name":
        return qs.order_by("-last_name", "-first_name", "-pk")
    return qs.order_by("last_name", "first_name", "pk")


def person_get(*, actor: Actor, pk: Any) -> Person:
    qs = Person.objects.filter(person_visible_q(actor)).select_related("home", "cooperation")
    return get_or_not_found(qs, pk)


def employment_list(*, actor: Actor, person: Person) -> QuerySet[Employment]:
    return (
        Employment.objects.filter(person=person)
        .filter(account_visible_q(actor))
        .select_related("municipality", "unit", "business_role", "order")
        .order_by("-start", "-pk")
    )


def employment_get(*, actor: Actor, pk: Any) -> Employment:
    qs = Employment.objects.filter(account_visible_q(actor)).select_related(
        "person", "person__home", "municipality", "unit", "business_role"
    )
    return get_or_not_found(qs, pk)


def account_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Account]:
    qs = (
        Account.objects.filter(account_visible_q(actor))
        .select_related("person", "owner", "sponsor", "municipality", "provider_manager")
        .prefetch_related(Prefetch("addresses", queryset=MailAddress.objects.order_by("address")))
    )
    qs = AccountFilter.apply(qs, **(filters or {}))
    return qs.order_by("username", "pk")


def account_get(*, actor: Actor, pk: Any) -> Account:
    qs = Account.objects.filter(account_visible_q(actor)).select_related(
        "person", "owner", "sponsor", "municipality"
    )
    return get_or_not_found(qs, pk)


def grant_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Grant]:
    qs = Grant.objects.filter(account_visible_q(actor, "account__")).select_related(
        "account", "account__person", "account__municipality", "entitlement", "employment"
    )
    qs = GrantFilter.apply(qs, **(filters or {}))
    return qs.order_by("-created_at", "-pk")


def grant_get(*, actor: Actor, pk: Any) -> Grant:
    qs = Grant.objects.filter(account_visible_q(actor, "account__")).select_related(
        "account", "account__municipality", "entitlement"
    )
    return get_or_not_found(qs, pk)


def pending_grant_list(*, actor: Actor) -> QuerySet[Grant]:
    """Direct grants waiting for a decision the actor may take."""
    return (
        Grant.objects.filter(
            permissions.scope_q(
                actor, actions.APPROVE_ACCESS, path_field="account__municipality__path"
            ),
            status=GrantStatus.PENDING,
        )
        .select_related("account", "account__person", "account__municipality", "entitlement")
        .order_by("created_at", "pk")
    )


def pending_change_list(*, actor: Actor) -> QuerySet[RoleChange]:
    q = permissions.scope_q(
        actor, actions.APPROVE_ACCESS, path_field="employment__municipality__path"
    )
    if getattr(actor, "pk", None) is not None and not permissions.is_superuser(actor):
        q |= Q(to_role__owner_id=actor.pk)
    return (
        RoleChange.objects.filter(q, status="pending")
        .select_related(
            "employment", "employment__person", "employment__municipality", "from_role", "to_role"
        )
        .order_by("created_at", "pk")
    )


def role_change_get(*, actor: Actor, pk: Any) -> RoleChange:
    qs = RoleChange.objects.filter(account_visible_q(actor, "employment__")).select_related(
        "employment", "employment__person", "employment__municipality", "from_role", "to_role"
    )
    return get_or_not_found(qs, pk)


def business_role_list(
    *, actor: Actor, municipality: OrgNode | None = None
) -> QuerySet[BusinessRole]:
    qs = BusinessRole.objects.filter(account_visible_q(actor), is_active=True)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return (
        qs.select_related("municipality", "unit", "owner")
        .prefetch_related(Prefetch("entitlements", queryset=Entitlement.objects.order_by("name")))
        .order_by("municipality__name", "name", "pk")
    )


def entitlement_list(*, actor: Actor) -> QuerySet[Entitlement]:
    coops = None if permissions.is_superuser(actor) else permissions.cooperation_ids(actor)
    qs = Entitlement.objects.filter(is_active=True)
    if coops is not None:
        qs = qs.filter(cooperation_id__in=coops)
    return qs.order_by("name", "pk")


def licence_pool_list(*, actor: Actor) -> QuerySet[LicencePool]:
    """Pools with `used` (live grants of their licences), purchased against used."""
    coops = None if permissions.is_superuser(actor) else permissions.cooperation_ids(actor)
    qs = LicencePool.objects.all()
    if coops is not None:
        qs = qs.filter(cooperation_id__in=coops)
    return qs.annotate(
        used=Count(
            "entitlements__grants",
            filter=Q(entitlements__grants__status=GrantStatus.ACTIVE),
        )
    ).order_by("product", "pk")


# --- access reviews -----------------------------------------------------------------------------


def review_campaign_list(*, actor: Actor) -> QuerySet[ReviewCampaign]:
    q = account_visible_q(actor) | permissions.scope_q(
        actor, actions.REVIEW_ACCESS, path_field="municipality__path"
    )
    if not permissions.is_superuser(actor):
        reviewable = ReviewItem.objects.filter(
            permissions.scope_q(actor, actions.REVIEW_ACCESS, path_field="unit__path")
        ).values("campaign_id")
        q |= Q(pk__in=reviewable)
    return (
        ReviewCampaign.objects.filter(q)
        .select_related("municipality")
        .annotate(
            total=Count("items"),
            open_items=Count("items", filter=Q(items__decision=ReviewDecision.PENDING)),
        )
        .order_by("-created_at", "-pk")
    )


def review_campaign_get(*, actor: Actor, pk: Any) -> ReviewCampaign:
    return get_or_not_found(review_campaign_list(actor=actor), pk)


def review_item_list(*, actor: Actor, campaign: ReviewCampaign) -> QuerySet[ReviewItem]:
    """The items the actor may decide (their staff's), undecided first."""
    return (
        ReviewItem.objects.filter(
            permissions.scope_q(actor, actions.REVIEW_ACCESS, path_field="unit__path"),
            campaign=campaign,
        )
        .select_related(
            "unit", "grant", "grant__entitlement", "grant__account", "grant__account__person"
        )
        .order_by("decision", "grant__account__username", "pk")
    )


def review_item_get(*, actor: Actor, pk: Any) -> ReviewItem:
    qs = ReviewItem.objects.filter(
        permissions.scope_q(actor, actions.REVIEW_ACCESS, path_field="unit__path")
    ).select_related("campaign", "unit", "grant")
    return get_or_not_found(qs, pk)


# --- policy violations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    kind: str
    detail: str
    person_id: int | None = None
    person_name: str = ""
    account_id: int | None = None
    account_username: str = ""
    municipality: str = ""

    @property
    def kind_label(self) -> str:
        return str(ViolationKind(self.kind).label)


def _acc(kind: str, account: Account, detail: str) -> Violation:
    person = account.person or account.owner
    return Violation(
        kind=kind,
        detail=detail,
        person_id=person.pk if person else None,
        person_name=str(person) if person else "",
        account_id=account.pk,
        account_username=account.username,
        municipality=account.municipality.name,
    )


def violation_list(
    *, actor: Actor, kind: str | None = None, today: dt.date | None = None
) -> list[Violation]:
    """Every breach of the identity policy the actor may see: one query per kind."""
    today = today or _today()
    out: list[Violation] = []
    accounts = Account.objects.filter(account_visible_q(actor)).select_related(
        "person", "owner", "municipality"
    )
    wanted = [kind] if kind else list(ViolationKind.values)
    if ViolationKind.PRIVILEGED_ON_STANDARD in wanted:
        # From the few privileged entitlements' grants (index on entitlement), not a subquery
        # per account over all its grants (SQLite ran that for every standard account).
        privileged = Grant.objects.filter(
            status=GrantStatus.ACTIVE,
            entitlement__in=Entitlement.objects.filter(is_privileged=True).values("pk"),
        ).values("account_id")
        for a in accounts.filter(
            pk__in=privileged, kind=AccountKind.STANDARD, status=AccountStatus.ACTIVE
        ).order_by("username", "pk"):
            out.append(
                _acc(
                    ViolationKind.PRIVILEGED_ON_STANDARD,
                    a,
                    _(
                        "Standardkontot har en privilegierad behörighet. "
                        "Flytta den till ett privilegierat konto."
                    ),
                )
            )
    if ViolationKind.MISSING_MFA in wanted:
        for a in accounts.filter(
            kind=AccountKind.PRIVILEGED, status=AccountStatus.ACTIVE, mfa_enrolled=False
        ).order_by("username", "pk"):
            out.append(
                _acc(ViolationKind.MISSING_MFA, a, _("Kontot har ingen andra faktor registrerad."))
            )
    if ViolationKind.NO_EMPLOYMENT in wanted:
        employed = Employment.objects.filter(
            active_employment_q(today), person_id=OuterRef("person_id")
        )
        for a in accounts.filter(
            ~Exists(employed),
            kind__in=[AccountKind.STANDARD, AccountKind.PRIVILEGED],
            status=AccountStatus.ACTIVE,
        ).order_by("username", "pk"):
            out.append(
                _acc(
                    ViolationKind.NO_EMPLOYMENT,
                    a,
                    _("Kontot är aktivt men personen har ingen pågående anställning."),
                )
            )
    if ViolationKind.EXTERNAL_EXPIRED in wanted:
        for a in accounts.filter(
            kind=AccountKind.EXTERNAL, status=AccountStatus.ACTIVE, expires_on__lt=today
        ).order_by("username", "pk"):
            detail = _("Kontot skulle ha upphört %(date)s.") % {"date": a.expires_on}
            out.append(_acc(ViolationKind.EXTERNAL_EXPIRED, a, detail))
    if ViolationKind.SHARED_ACCOUNT in wanted:
        for a in accounts.filter(is_shared=True, status=AccountStatus.ACTIVE).order_by(
            "username", "pk"
        ):
            out.append(
                _acc(
                    ViolationKind.SHARED_ACCOUNT,
                    a,
                    _("Kontot används av flera personer. Ge var och en ett eget konto."),
                )
            )
    if ViolationKind.DUPLICATE_PERSON in wanted:
        out.extend(_duplicates(actor))
    return out


def _duplicates(actor: Actor) -> list[Violation]:
    """Persons with the same name (case-insensitive) as the first registered (lowest id) of that
    name, and the same birth date, or where either birth date is missing.

    One query with window functions over the visible persons: no name group is loaded into
    Python (at 100,000 persons nearly every common name is shared by someone)."""
    name = [Lower("first_name"), Lower("last_name")]
    rows = (
        Person.objects.filter(person_visible_q(actor))
        .annotate(
            same_name=Window(Count("pk"), partition_by=name),
            first_pk=Window(Min("pk"), partition_by=name),
            first_birth=Window(FirstValue("birth_date"), partition_by=name, order_by="pk"),
            first_first=Window(FirstValue("first_name"), partition_by=name, order_by="pk"),
            first_last=Window(FirstValue("last_name"), partition_by=name, order_by="pk"),
        )
        .filter(same_name__gt=1)
        .exclude(pk=F("first_pk"))
        .filter(
            Q(birth_date__isnull=True)
            | Q(first_birth__isnull=True)
            | Q(birth_date=F("first_birth"))
        )
        .select_related("home")
        .order_by("pk")
    )
    out = []
    for p in rows:
        same = {"name": f"{p.first_first} {p.first_last}", "pk": p.first_pk}
        if p.birth_date is None or p.first_birth is None:
            detail = _("Samma namn som %(name)s (nr %(pk)s); födelsedatum saknas.") % same
        else:
            detail = _("Samma namn och födelsedatum som %(name)s (nr %(pk)s).") % same
        out.append(
            Violation(
                kind=ViolationKind.DUPLICATE_PERSON,
                detail=detail,
                person_id=p.pk,
                person_name=str(p),
                municipality=p.home.name,
            )
        )
    return out


# --- SCIM provisioning (ADR 0038) ---------------------------------------------------------------


def scim_token_get(*, secret: str) -> ScimToken | None:
    """The live token whose secret this is, else None."""
    if not secret:
        return None
    return (
        ScimToken.objects.select_related("cooperation")
        .filter(token_hash=rules.scim_token_hash(secret), revoked_at__isnull=True)
        .first()
    )


def scim_token_list(*, actor: Actor) -> QuerySet[ScimToken]:
    """The tokens of the cooperations where the actor manages provisioning (at the root)."""
    roots = [
        node
        for node in OrgNode.objects.filter(cooperation_root_of__isnull=False)
        if permissions.can(actor, actions.MANAGE_PROVISIONING, node)
    ]
    return (
        ScimToken.objects.filter(cooperation__root__in=roots)
        .select_related("cooperation", "created_by")
        .order_by("revoked_at", "name", "pk")
    )


def may_manage_provisioning(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_PROVISIONING)


def provisioned_account_q(cooperation_id: int) -> Q:
    """The accounts a SCIM client of the cooperation sees as Users: those with a person, not
    removed by the identity provider."""
    return Q(cooperation_id=cooperation_id, person__isnull=False, removed_on__isnull=True)


def provisioned_group_q(cooperation_id: int) -> Q:
    """The entitlements a SCIM client of the cooperation sees as Groups."""
    return Q(cooperation_id=cooperation_id, kind=EntitlementKind.GROUP, is_active=True)


def municipality_name_list(*, cooperation_id: int) -> list[str]:
    """The names of the cooperation's municipalities (SCIM's organizations), by name."""
    return list(
        OrgNode.objects.filter(cooperation_id=cooperation_id, kind="municipality")
        .order_by("name")
        .values_list("name", flat=True)
    )


def provisioned_account_list(*, cooperation_id: int) -> QuerySet[Account]:
    return (
        Account.objects.filter(provisioned_account_q(cooperation_id))
        .select_related("person", "municipality", "provider_manager")
        .prefetch_related(
            "addresses",
            Prefetch(
                "person__employments",
                queryset=Employment.objects.filter(active_employment_q(timezone.localdate())),
                to_attr="scim_current_employments",
            ),
            Prefetch(
                "grants",
                queryset=Grant.objects.filter(
                    entitlement__kind=EntitlementKind.GROUP,
                    entitlement__is_active=True,
                    status__in=LIVE_GRANT,
                ).select_related("entitlement"),
                to_attr="scim_group_grants",
            ),
        )
        .order_by("pk")
    )


def provisioned_group_list(*, cooperation_id: int) -> QuerySet[Entitlement]:
    return (
        Entitlement.objects.filter(provisioned_group_q(cooperation_id))
        .select_related("cooperation__root")
        .prefetch_related(
            Prefetch(
                "grants",
                queryset=Grant.objects.filter(status__in=LIVE_GRANT).select_related("account"),
                to_attr="scim_member_grants",
            )
        )
        .order_by("pk")
    )


def sign_in_account_get(*, object_id: str, names: list[str]) -> Account | None:
    """The account an OpenID Connect token names, for matching a sign-in (identity.oidc): by the
    identity provider's object id (SCIM's externalId), else by the sign-in name as userName
    (compared without case, as SCIM does). None when nothing answers, or more than one account
    does: an ambiguous match signs nobody in."""
    by_name = Q()
    for name in {n.strip() for n in names if n and n.strip()}:
        by_name |= Q(username__iexact=name)
    tries = [Q(external_id=object_id)] if object_id else []
    if by_name:
        tries.append(by_name)
    for q in tries:
        found = list(
            Account.objects.filter(q, person__isnull=False)
            .exclude(kind=AccountKind.SERVICE)
            .select_related("person")[:2]
        )
        if found:
            return found[0] if len(found) == 1 else None
    return None
