"""Business roles, entitlements and licence pools; access reviews; the remedy tickets of
policy violations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, lazy_format
from itfabrik.core.services import (
    create_audited,
    update_versioned,
)
from itfabrik.tenancy.models import Cooperation, OrgNode

from .. import permissions as actions
from ..choices import (
    LIVE_GRANT,
    GrantStatus,
    ReviewDecision,
    ReviewStatus,
    ViolationKind,
)
from ..models import (
    Account,
    BusinessRole,
    Employment,
    Entitlement,
    Grant,
    LicencePool,
    Person,
    ReviewCampaign,
    ReviewItem,
)
from . import (
    _grant_end,
    _require,
    _today,
    _user,
)

# --- business roles, entitlements, licences ----------------------------------------------------


def entitlement_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    kind: str,
    system: str = "",
    is_privileged: bool = False,
    licence_pool: LicencePool | None = None,
) -> Entitlement:
    assert cooperation.root is not None
    _require(actor, actions.MANAGE_ROLES, cooperation.root)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Entitlement(
                cooperation=cooperation,
                name=name.strip(),
                kind=kind,
                system=system.strip(),
                is_privileged=is_privileged,
                licence_pool=licence_pool,
            ),
            scope_path=cooperation.root.path,
            exclude=["cooperation", "licence_pool"],
        )


def licence_pool_create(
    *, actor: Actor, cooperation: Cooperation, product: str, purchased: int, monthly_price: Any = 0
) -> LicencePool:
    assert cooperation.root is not None
    _require(actor, actions.MANAGE_ROLES, cooperation.root)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=LicencePool(
                cooperation=cooperation,
                product=product.strip(),
                purchased=purchased,
                monthly_price=monthly_price,
            ),
            scope_path=cooperation.root.path,
            exclude=["cooperation"],
        )


def licence_pool_update(
    *, actor: Actor, pool: LicencePool, expected_version: int | None, purchased: int
) -> LicencePool:
    root = Cooperation.objects.select_related("root").get(pk=pool.cooperation_id).root
    assert root is not None
    _require(actor, actions.MANAGE_ROLES, root)
    return update_versioned(
        actor=actor,
        instance=pool,
        expected_version=expected_version,
        changes={"purchased": purchased},
        scope_path=root.path,
        exclude=["cooperation"],
    )


def business_role_create(
    *,
    actor: Actor,
    municipality: OrgNode,
    name: str,
    entitlements: Iterable[Entitlement] = (),
    unit: OrgNode | None = None,
    owner: User | None = None,
) -> BusinessRole:
    _require(actor, actions.MANAGE_ROLES, municipality)
    errors: dict[str, list[Any]] = {}
    if unit is not None and unit.municipality_id != municipality.pk:
        errors["unit"] = [_("Enheten hör till en annan kommun.")]
    ents = list(entitlements)
    if any(e.cooperation_id != municipality.cooperation_id for e in ents):
        errors["entitlements"] = [_("En behörighet hör till en annan samverkan.")]
    if any(e.is_privileged for e in ents):
        errors["entitlements"] = [
            _(
                "En verksamhetsroll ger bara standardbehörigheter; "
                "privilegierade ges till privilegierade konton."
            )
        ]
    with transaction.atomic():
        role = create_audited(
            actor=actor,
            instance=BusinessRole(
                municipality=municipality, unit=unit, name=name.strip(), owner=owner
            ),
            scope_path=municipality.path,
            exclude=["municipality", "unit", "owner"],
            errors=errors,
        )
        role.entitlements.set(ents)
        return role


# --- access reviews -----------------------------------------------------------------------------


def review_campaign_create(
    *, actor: Actor, municipality: OrgNode, name: str, due: dt.date
) -> ReviewCampaign:
    """A campaign over every live grant of the municipality's current staff, each to be decided
    by a manager of the person's unit (bulk: one insert for all items)."""
    _require(actor, actions.MANAGE_ROLES, municipality)
    errors: dict[str, list[Any]] = {}
    if not name.strip():
        errors["name"] = [_("Ange ett namn.")]
    if due < _today():
        errors["due"] = [_("Sista dagen har redan varit.")]
    today = _today()
    with transaction.atomic():
        campaign = create_audited(
            actor=actor,
            instance=ReviewCampaign(municipality=municipality, name=name.strip(), due=due),
            scope_path=municipality.path,
            exclude=["municipality"],
            errors=errors,
        )
        units = dict(
            _active_employments_in(municipality.pk, today).values_list("person_id", "unit_id")
        )
        grants = Grant.objects.filter(
            status=GrantStatus.ACTIVE, account__person_id__in=list(units)
        ).values_list("pk", "account__person_id")
        ReviewItem.objects.bulk_create(
            [ReviewItem(campaign=campaign, grant_id=g, unit_id=units[p]) for g, p in grants]
        )
        return campaign


def _active_employments_in(municipality_id: int, today: dt.date) -> Any:
    from django.db.models import Q

    return (
        Employment.objects.filter(municipality_id=municipality_id, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .order_by("start", "pk")
    )


def review_decide(
    *, actor: Actor, item: ReviewItem, decision: str, expected_version: int | None
) -> ReviewItem:
    """A manager confirms or revokes one entitlement of their staff; a revoke ends the grant."""
    if not permissions.can(actor, actions.REVIEW_ACCESS, item.unit):
        raise NotFound()
    if decision not in (ReviewDecision.CONFIRMED, ReviewDecision.REVOKED):
        raise ValidationFailed(fields={"decision": [_("Välj bekräfta eller återkalla.")]})
    if item.campaign.status != ReviewStatus.OPEN:
        raise Conflict(_("Granskningen är avslutad."))
    scope = item.unit.path
    with transaction.atomic():
        item = update_versioned(
            actor=actor,
            instance=item,
            expected_version=expected_version,
            changes={
                "decision": decision,
                "decided_by": _user(actor),
                "decided_at": timezone.now(),
            },
            scope_path=scope,
            exclude=["campaign", "grant", "unit", "decided_by"],
        )
        if decision == ReviewDecision.REVOKED:
            grant = Grant.objects.select_for_update().get(pk=item.grant_id)
            if grant.status in LIVE_GRANT:
                _grant_end(actor, grant, scope)
        return item


def review_close(
    *, actor: Actor, campaign: ReviewCampaign, expected_version: int | None
) -> ReviewCampaign:
    _require(actor, actions.MANAGE_ROLES, campaign.municipality)
    return update_versioned(
        actor=actor,
        instance=campaign,
        expected_version=expected_version,
        changes={"status": ReviewStatus.CLOSED},
        scope_path=campaign.municipality.path,
        exclude=["municipality"],
    )


# --- policy violations → remedy tickets ---------------------------------------------------------


def violation_ticket_create(
    *,
    actor: Actor,
    kind: str,
    detail: str,
    account: Account | None = None,
    person: Person | None = None,
) -> Any:
    """Open the remedy of a policy violation as a service-desk ticket (service request, medium
    impact and urgency) on the municipality of the account or person."""
    from itfabrik.servicedesk import services as sd_services
    from itfabrik.servicedesk.choices import Level, TicketType

    requester = _user(actor)
    if requester is None:
        raise Forbidden()
    node = account.municipality if account is not None else (person.home if person else None)
    if node is None:
        raise ValidationFailed(fields={"account": [_("Ange konto eller person.")]})
    _require(actor, actions.VIEW_IDENTITY, node)
    if kind not in ViolationKind.values:
        raise ValidationFailed(fields={"kind": [_("Okänd typ av avvikelse.")]})
    subject = str(account) if account is not None else str(person)
    title = str(
        lazy_format(
            _("Åtgärda: %(kind)s – %(subject)s"), kind=ViolationKind(kind).label, subject=subject
        )
    )
    return sd_services.ticket_create(
        actor=actor,
        requester=requester,
        title=title[:200],
        impact=Level.MEDIUM,
        urgency=Level.MEDIUM,
        description=detail,
        type=TicketType.SERVICE_REQUEST,
        unit=node,
    )


def violation_remedy(
    *, actor: Actor, kind: str, account_id: int | None = None, person_id: int | None = None
) -> Any:
    """Open the remedy ticket of a violation the actor sees now (found again, so the ticket
    describes a real, current violation); NotFound when there is no such violation."""
    from .. import selectors

    if kind not in ViolationKind.values:
        raise ValidationFailed(fields={"kind": [_("Okänd typ av avvikelse.")]})
    for v in selectors.violation_list(actor=actor, kind=kind):
        if (account_id is not None and v.account_id == account_id) or (
            account_id is None
            and person_id is not None
            and v.person_id == person_id
            and v.account_id is None
        ):
            account = (
                Account.objects.select_related("municipality").get(pk=v.account_id)
                if v.account_id
                else None
            )
            person = (
                Person.objects.select_related("home").get(pk=v.person_id)
                if account is None and v.person_id
                else None
            )
            return violation_ticket_create(
                actor=actor, kind=kind, detail=v.detail, account=account, person=person
            )
    raise NotFound()
