"""Reads of the organisation: every one takes the actor and applies scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import ValidationFailed
from itfabrik.core.registry import memo
from itfabrik.core.selectors import get_or_not_found

from . import permissions as actions
from .choices import COOPERATION_PUBLIC_KINDS, NodeKind
from .filters import MembershipFilter, NodeFilter
from .models import Cooperation, InhabitantCount, Membership, OrgNode, Position


def node_visibility_q(actor: Actor) -> Q:
    """Nodes the actor may see: those in scope of a role, plus what is public in their cooperation.

    Members, the joint organisation and its teams are public within a cooperation; the
    administrations and units (with their cost centres) of a municipality are not.
    """
    q = permissions.scope_q(actor, actions.VIEW_NODE)
    if permissions.is_superuser(actor):
        return q
    # The public part is a prefix match on the cooperation's root path, not "cooperation_id IN",
    # so that the whole condition stays on the path index; roots already covered are left out.
    steplen = OrgNode.steplen
    roots: set[str] = set()
    covered: set[str] = set()
    for g in permissions.grants(actor):
        roots.add(g.path[:steplen])
    for g in permissions.grants_for(actor, actions.VIEW_NODE):
        if g.recursive and g.path == g.path[:steplen]:
            covered.add(g.path)
    for root in sorted(roots - covered):
        q |= Q(path__startswith=root, kind__in=sorted(COOPERATION_PUBLIC_KINDS))
    return q


def _with_municipal_facts(qs: QuerySet[OrgNode], day: dt.date) -> QuerySet[OrgNode]:
    latest = InhabitantCount.objects.filter(municipality_id=OuterRef("pk")).order_by("-year")
    active = Membership.objects.filter(
        municipality_id=OuterRef("pk"),
        cooperation_id=OuterRef("cooperation_id"),
        joined_on__lte=day,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
    return qs.annotate(
        inhabitants=Subquery(latest.values("inhabitants")[:1]),
        inhabitants_year=Subquery(latest.values("year")[:1]),
        is_member=Exists(active),
        is_host=Exists(Cooperation.objects.filter(host_id=OuterRef("pk"))),
    )


def node_list(
    *,
    actor: Actor,
    kind: str | None = None,
    cooperation_id: int | None = None,
    parent_id: int | None = None,
    municipality_id: int | None = None,
    search: str | None = None,
    include_inactive: bool = False,
    with_facts: bool = True,
) -> QuerySet[OrgNode]:
    """Visible nodes, filtered. `with_facts=False` gives the lean query that lists paginate on;
    `node_facts_list` then completes only the rows of one page."""
    qs = NodeFilter.apply(
        OrgNode.objects.filter(node_visibility_q(actor)),
        kind=kind,
        cooperation=cooperation_id,
        parent=parent_id,
        municipality=municipality_id,
        q=search,
        is_active=None if include_inactive else True,
    )
    if not with_facts:
        return qs
    qs = qs.select_related("parent", "municipality", "cooperation")
    return _with_municipal_facts(qs, timezone.localdate())


def node_facts_list(pks: list[int]) -> list[OrgNode]:
    """The given nodes (already scoped by the caller) with joins and facts, in the given order.

    Paginating the lean query first and completing one page after keeps a deep page as cheap as
    the first: the per-row subqueries run for the 50 rows shown, not for every row skipped.
    """
    qs = OrgNode.objects.filter(pk__in=pks).select_related("parent", "municipality", "cooperation")
    by_pk = {n.pk: n for n in _with_municipal_facts(qs, timezone.localdate())}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def node_get(*, actor: Actor, pk: Any) -> OrgNode:
    return get_or_not_found(node_list(actor=actor, include_inactive=True), pk)


def node_child_list(*, actor: Actor, node: OrgNode) -> QuerySet[OrgNode]:
    return node_list(actor=actor, parent_id=node.pk, include_inactive=True).order_by("name")


def node_ancestor_list(*, actor: Actor, node: OrgNode) -> list[OrgNode]:
    """Breadcrumb: the visible ancestors, root first (one query)."""
    steplen = OrgNode.steplen
    paths = [node.path[:i] for i in range(steplen, len(node.path), steplen)]
    if not paths:
        return []
    return list(OrgNode.objects.filter(node_visibility_q(actor), path__in=paths).order_by("depth"))


def cooperation_list(*, actor: Actor) -> QuerySet[Cooperation]:
    qs = Cooperation.objects.select_related("host", "root")
    if permissions.is_superuser(actor):
        return qs
    return qs.filter(pk__in=sorted(permissions.cooperation_ids(actor)))


def current_cooperation_get(request: Any) -> Cooperation | None:
    """The cooperation the request works in: the first the actor belongs to (an installation
    with several cooperations lets a person with roles in two of them see the first by name).
    Read once per request."""
    user = getattr(request, "user", None)  # absent when a request fails before auth middleware
    if user is None or not user.is_authenticated:
        return None
    return memo(request, "tenancy.cooperation", lambda: cooperation_list(actor=user).first())


def cooperation_get(*, actor: Actor, pk: Any) -> Cooperation:
    return get_or_not_found(cooperation_list(actor=actor), pk)


def municipality_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[OrgNode]:
    """Municipalities of a cooperation, members and not, with their current facts."""
    return node_list(
        actor=actor, kind=NodeKind.MUNICIPALITY, cooperation_id=cooperation.pk
    ).order_by("name")


def membership_list(
    *, actor: Actor, cooperation_id: int | None = None, municipality_id: int | None = None
) -> QuerySet[Membership]:
    visible = node_list(actor=actor, kind=NodeKind.MUNICIPALITY, include_inactive=True)
    qs = Membership.objects.filter(municipality__in=visible.values("pk")).select_related(
        "municipality", "cooperation"
    )
    return MembershipFilter.apply(qs, cooperation=cooperation_id, municipality=municipality_id)


def membership_get(*, actor: Actor, pk: Any) -> Membership:
    return get_or_not_found(membership_list(actor=actor), pk)


def inhabitant_count_list(*, actor: Actor, municipality: OrgNode) -> QuerySet[InhabitantCount]:
    node_get(actor=actor, pk=municipality.pk)
    return InhabitantCount.objects.filter(municipality=municipality).order_by("-year")


def position_list(
    *, actor: Actor, cooperation_id: int | None = None, include_closed: bool = True
) -> QuerySet[Position]:
    qs = Position.objects.filter(
        permissions.scope_q(actor, actions.VIEW_POSITION, path_field="team__path")
    ).select_related("team", "team__parent", "holder")
    if cooperation_id:
        qs = qs.filter(team__cooperation_id=cooperation_id)
    if not include_closed:
        qs = qs.filter(closed_on__isnull=True)
    return qs.order_by("team__path", "line", "title", "pk")


def position_get(*, actor: Actor, pk: Any) -> Position:
    return get_or_not_found(position_list(actor=actor), pk)


POSITION_KINDS = (NodeKind.IT_ORGANISATION, NodeKind.TEAM)


def _holder_candidates(actor: Actor) -> QuerySet[Any]:
    return get_user_model()._default_manager.filter(
        permissions.scope_q(actor, actions.CHANGE_NODE, path_field="home_unit__path"),
        is_active=True,
        home_unit__kind__in=POSITION_KINDS,
    )


def position_holder_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[Any]:
    """People the actor may place in a position: active staff whose workplace is in the joint
    IT organisation, in the part of it the actor may change."""
    return (
        _holder_candidates(actor)
        .filter(home_unit__cooperation_id=cooperation.pk)
        .order_by("last_name", "first_name", "username")
    )


def position_holder_get(*, actor: Actor, pk: Any) -> Any:
    """One such person. Any other id is a wrong choice in the input (400), not a missing page."""
    try:
        return _holder_candidates(actor).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise ValidationFailed(
            fields={"holder": [_("Välj en person som arbetar i den gemensamma IT-organisationen.")]}
        ) from None


def position_refs_get(
    *, actor: Actor, values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The team and holder ids of a position's input as objects, and the holder's error if the id
    is no choice (so that it comes with the other fields' messages, not alone). A team the actor
    may not see is a 404, as everywhere."""
    out = dict(values)
    errors: dict[str, list[Any]] = {}
    if out.get("team") is not None:
        out["team"] = node_get(actor=actor, pk=out["team"])
    if out.get("holder") is not None:
        try:
            out["holder"] = position_holder_get(actor=actor, pk=out["holder"])
        except ValidationFailed as exc:
            errors.update(exc.fields)
            del out["holder"]
    return out, errors


def position_team_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[OrgNode]:
    """Nodes a position can be placed in: the joint IT organisation and its teams."""
    return (
        node_list(actor=actor, cooperation_id=cooperation.pk, with_facts=False)
        .filter(kind__in=POSITION_KINDS)
        .order_by("path")
    )


def it_organisation_get(*, actor: Actor, cooperation: Cooperation) -> OrgNode | None:
    return (
        node_list(actor=actor, kind=NodeKind.IT_ORGANISATION, cooperation_id=cooperation.pk)
        .order_by("path")
        .first()
    )


def unit_summary_list(*, actor: Actor) -> QuerySet[Any]:
    """Per municipality the actor can see into: administrations, active units, cost centres."""
    return (
        OrgNode.objects.filter(node_visibility_q(actor))
        .filter(kind__in=[NodeKind.ADMINISTRATION, NodeKind.UNIT], is_active=True)
        .values("municipality_id", "municipality__name")
        .annotate(
            administrations=Count("pk", filter=Q(kind=NodeKind.ADMINISTRATION)),
            units=Count("pk", filter=Q(kind=NodeKind.UNIT)),
            cost_centres=Count("pk", filter=Q(kind=NodeKind.UNIT) & ~Q(cost_centre="")),
        )
        .order_by("municipality__name")
    )


def team_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[OrgNode]:
    counts = (
        Position.objects.filter(team_id=OuterRef("pk"), closed_on__isnull=True)
        .values("team_id")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return (
        node_list(actor=actor, kind=NodeKind.TEAM, cooperation_id=cooperation.pk)
        .annotate(position_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
        .order_by("path")
    )


ADMINISTRATION_DEPTH = 3  # cooperation 1, municipality 2, administration 3
SEARCH_LIMIT = 20


def administration_name_q(path_ref: str = "path") -> Subquery:
    """The name of the administration a node lies in (for units and sub-units), as a subquery.

    The administration's path is the first three steps of the node's path: one indexed lookup.
    """
    from django.db.models import CharField
    from django.db.models.functions import Substr

    prefix = Substr(OuterRef(path_ref), 1, OrgNode.steplen * ADMINISTRATION_DEPTH)
    return Subquery(
        OrgNode.objects.filter(path=prefix, kind=NodeKind.ADMINISTRATION).values("name")[:1],
        output_field=CharField(),
    )


def node_choice_list(
    *, actor: Actor, action: str = actions.VIEW_NODE, query: str = "", limit: int = SEARCH_LIMIT
) -> list[OrgNode]:
    """Active nodes the actor may do `action` on whose name (or exact cost centre) matches.

    For the search fields that replace node selects: at most `limit` rows, names starting with
    the query first, each with its municipality and administration (`administration_name`) so
    that five units called "Hemtjänst norr" can be told apart.
    """
    from django.db.models import Case, IntegerField, Value, When

    query = (query or "").strip()
    qs = OrgNode.objects.filter(permissions.scope_q(actor, action), is_active=True)
    if action == actions.VIEW_NODE:
        qs = OrgNode.objects.filter(node_visibility_q(actor), is_active=True)
    # Every word must match the name, the municipality's name or a cost centre, so that
    # "hemtjänst mellerud" finds Mellerud's Hemtjänst norr among its namesakes.
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(municipality__name__icontains=word)
            | Q(cost_centre__iexact=word)
        )
    qs = (
        qs.select_related("municipality", "parent")
        .annotate(
            administration_name=administration_name_q(),
            starts=Case(
                When(name__istartswith=query, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("starts", "name", "path")
    )
    return list(qs[:limit])
