"""Every change of the organisation: typed, keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from itfabrik.core import audit, constraints, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Conflict, Forbidden, ValidationFailed, lazy_format
from itfabrik.core.models import AuditAction
from itfabrik.core.services import create_audited, update_audited, update_versioned, validate

from . import permissions as actions
from . import selectors
from .choices import ALLOWED_CHILDREN, NodeKind
from .models import (
    MAX_INHABITANTS,
    Cooperation,
    InhabitantCount,
    Membership,
    OrgNode,
    Position,
    inhabitants_limit_message,
)

TREE_FIELDS = ("path", "depth", "numchild")
EDITABLE_NODE_FIELDS = frozenset(
    {"name", "municipal_code", "organisation_number", "email_domain", "cost_centre"}
)

NO_ORGANISATION = _("Samverkan har ingen organisation ännu.")


def _require_visible_then(actor: Actor, action: str, node: OrgNode) -> None:
    """404 if the actor may not even see the node; 403 if they see it but may not act on it."""
    selectors.node_get(actor=actor, pk=node.pk)
    if not permissions.can(actor, action, node):
        raise Forbidden()


def cooperation_create(
    *, actor: Actor, name: str, slug: str, root_name: str | None = None, currency: str = "SEK"
) -> Cooperation:
    """Create a cooperation and the root node of its organisation tree (superusers only)."""
    if not permissions.is_superuser(actor):
        raise Forbidden()
    name, slug = name.strip(), slug.strip()
    with transaction.atomic():
        coop = Cooperation(name=name, slug=slug, currency=currency.strip().upper())
        validate(coop, exclude=["root", "host"])
        try:
            with transaction.atomic():
                coop.save()
        except IntegrityError as exc:  # a concurrent create won the unique name or slug
            raise Conflict() from exc
        root = OrgNode(name=(root_name or "").strip() or name, kind=NodeKind.COOPERATION)
        root.cooperation = coop
        validate(root, exclude=[*TREE_FIELDS, "cooperation"])
        root = OrgNode.objects.add_root(instance=root)
        coop.root = root
        coop.save(update_fields=["root"])
        audit.record_created(actor=actor, instance=coop, scope_path=root.path)
        audit.record_created(actor=actor, instance=root, scope_path=root.path)
        return coop


def cooperation_set_host(
    *, actor: Actor, cooperation: Cooperation, host: OrgNode, expected_version: int | None = None
) -> Cooperation:
    if cooperation.root is None:
        raise ValidationFailed(fields={"root": [NO_ORGANISATION]})
    _require_visible_then(actor, actions.MANAGE_MEMBERSHIP, cooperation.root)
    if host.kind != NodeKind.MUNICIPALITY or host.cooperation_id != cooperation.pk:
        raise ValidationFailed(
            fields={"host": [_("Värdkommunen ska vara en kommun i samma samverkan.")]}
        )
    with transaction.atomic():
        # Lock the host's row: a membership ending concurrently must not leave a host outside.
        OrgNode.objects.select_for_update().get(pk=host.pk)
        today = timezone.localdate()
        # A member today with no end date: a municipality that is already leaving would leave a
        # host outside the cooperation, which can then no longer be changed the normal way.
        if not (
            Membership.objects.filter(cooperation=cooperation, municipality=host)
            .filter(joined_on__lte=today, left_on__isnull=True)
            .exists()
        ):
            raise ValidationFailed(
                fields={
                    "host": [
                        _(
                            "Värdkommunen måste vara medlem i samverkan, utan slutdatum för "
                            "medlemskapet."
                        )
                    ]
                }
            )
        return update_versioned(
            actor=actor,
            instance=cooperation,
            expected_version=expected_version,
            changes={"host": host},
            scope_path=cooperation.root.path,
        )


def _refuse_sibling_name(*, parent_id: int | None, name: str, exclude_pk: int | None) -> None:
    """Two open nodes with the same name under one parent cannot be told apart: refuse."""
    # Compared in Python: SQLite's case folding is ASCII only ("Å" ≠ "å"); siblings are few.
    wanted = name.strip().casefold()
    siblings = OrgNode.objects.filter(parent_id=parent_id, is_active=True).select_related("parent")
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    other = next((s for s in siblings.only("name", "parent") if s.name.casefold() == wanted), None)
    if other is not None:
        raise ValidationFailed(
            fields={
                "name": [
                    lazy_format(
                        _("Det finns redan %(name)s under %(parent)s. Välj ett annat namn."),
                        name=other.name,
                        parent=other.parent.name if other.parent else "",
                    )
                ]
            }
        )


def _kind_errors(parent: OrgNode, kind: str) -> dict[str, list[Any]]:
    if kind in ALLOWED_CHILDREN.get(parent.kind, frozenset()):
        return {}
    return {
        "kind": [
            lazy_format(
                _("Typen %(kind)s kan inte läggas under typen %(parent)s."),
                kind=NodeKind(kind).label if kind in NodeKind.values else kind,
                parent=NodeKind(parent.kind).label,
            )
        ]
    }


def _node_build(
    *,
    parent: OrgNode,
    kind: str,
    name: str,
    municipal_code: str,
    organisation_number: str,
    email_domain: str,
    cost_centre: str,
) -> OrgNode:
    municipality_id = (
        None
        if kind == NodeKind.MUNICIPALITY
        else (parent.pk if parent.kind == NodeKind.MUNICIPALITY else parent.municipality_id)
    )
    return OrgNode(
        name=name.strip(),
        kind=kind,
        cooperation_id=parent.cooperation_id,
        parent=parent,
        municipality_id=municipality_id,
        municipal_code=municipal_code.strip(),
        organisation_number=organisation_number.strip(),
        email_domain=email_domain.strip().lower(),
        cost_centre=cost_centre.strip(),
    )


def _validate_node(actor: Actor, node: OrgNode, errors: dict[str, list[Any]]) -> None:
    if "kind" not in errors:
        validate(node, exclude=TREE_FIELDS, actor=actor)
        return
    # A kind that cannot go here: the rules that depend on the kind would only add noise.
    try:
        validate(node, exclude=(*TREE_FIELDS, "kind"), actor=actor, errors=errors)
    except ValidationFailed as exc:
        raise ValidationFailed(
            fields={k: v for k, v in exc.fields.items() if k in ("kind", "name")}
        ) from exc


def node_create_check(
    *,
    actor: Actor,
    parent: OrgNode,
    kind: str = "",
    name: str = "",
    municipal_code: str = "",
    organisation_number: str = "",
    email_domain: str = "",
    cost_centre: str = "",
) -> None:
    """Every reason node_create would refuse these values, in one ValidationFailed. Writes nothing.

    For a form or request that has errors of its own: the person gets all messages at once.
    """
    _require_visible_then(actor, actions.ADD_NODE, parent)
    node = _node_build(
        parent=parent,
        kind=kind,
        name=name,
        municipal_code=municipal_code,
        organisation_number=organisation_number,
        email_domain=email_domain,
        cost_centre=cost_centre,
    )
    _validate_node(actor, node, _kind_errors(parent, kind) if kind else {})


def node_create(
    *,
    actor: Actor,
    parent: OrgNode,
    kind: str,
    name: str,
    municipal_code: str = "",
    organisation_number: str = "",
    email_domain: str = "",
    cost_centre: str = "",
) -> OrgNode:
    _require_visible_then(actor, actions.ADD_NODE, parent)
    with transaction.atomic():
        parent = OrgNode.objects.select_for_update().get(pk=parent.pk)
        node = _node_build(
            parent=parent,
            kind=kind,
            name=name,
            municipal_code=municipal_code,
            organisation_number=organisation_number,
            email_domain=email_domain,
            cost_centre=cost_centre,
        )
        _refuse_sibling_name(parent_id=parent.pk, name=node.name, exclude_pk=None)
        _validate_node(actor, node, _kind_errors(parent, kind))
        try:
            with transaction.atomic():
                node = OrgNode.objects.add_child(parent, instance=node)
        except IntegrityError as exc:  # a concurrent insert won a unique constraint
            mapped = constraints.from_integrity_error(exc, node)
            raise (mapped or Conflict()) from exc
        audit.record_created(actor=actor, instance=node, scope_path=node.path)
        return node


def _node_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - EDITABLE_NODE_FIELDS
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    if "email_domain" in cleaned:
        cleaned["email_domain"] = cleaned["email_domain"].lower()
    return cleaned


def node_update_check(*, actor: Actor, node: OrgNode, **changes: Any) -> None:
    """Every reason node_update would refuse these changes, at once. Writes nothing."""
    _require_visible_then(actor, actions.CHANGE_NODE, node)
    current = OrgNode.objects.get(pk=node.pk)
    for key, value in _node_changes(changes).items():
        setattr(current, key, value)
    _validate_node(actor, current, {})


def node_update(
    *, actor: Actor, node: OrgNode, expected_version: int | None, **changes: Any
) -> OrgNode:
    _require_visible_then(actor, actions.CHANGE_NODE, node)
    cleaned = _node_changes(changes)
    if "name" in cleaned and node.is_active and node.parent_id is not None:
        _refuse_sibling_name(parent_id=node.parent_id, name=cleaned["name"], exclude_pk=node.pk)
    return update_versioned(
        actor=actor,
        instance=node,
        expected_version=expected_version,
        changes=cleaned,
        scope_path=node.path,
        exclude=TREE_FIELDS,
    )


def _open_children_message(n: int) -> Any:
    """Translated when shown (lazy), so the API gets it in every language."""
    return lazy(
        lambda: (
            ngettext(
                "Avveckla först den %(n)s underliggande enhet som är öppen.",
                "Avveckla först de %(n)s underliggande enheter som är öppna.",
                n,
            )
            % {"n": n}
        ),
        str,
    )()


CLOSABLE_KINDS = frozenset({NodeKind.ADMINISTRATION, NodeKind.UNIT, NodeKind.TEAM})


def node_close(
    *, actor: Actor, node: OrgNode, closed_on: dt.date, expected_version: int | None
) -> OrgNode:
    """Close a unit or administration. Nothing is deleted: records are public documents."""
    _require_visible_then(actor, actions.CHANGE_NODE, node)
    if node.kind in (NodeKind.COOPERATION, NodeKind.MUNICIPALITY):
        raise ValidationFailed(
            fields={"kind": [_("En kommun lämnar samverkan genom att medlemskapet avslutas.")]}
        )
    if not node.is_active:
        raise ValidationFailed(fields={"closed_on": [_("Enheten är redan avvecklad.")]})
    open_children = OrgNode.objects.filter(parent=node, is_active=True).count()
    if open_children:
        raise ValidationFailed(fields={"children": [_open_children_message(open_children)]})
    return update_versioned(
        actor=actor,
        instance=node,
        expected_version=expected_version,
        changes={"is_active": False, "closed_on": closed_on},
        scope_path=node.path,
        exclude=TREE_FIELDS,
    )


def _overlapping(cooperation: Cooperation, municipality: OrgNode, start: dt.date) -> bool:
    return (
        Membership.objects.filter(cooperation=cooperation, municipality=municipality)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .exists()
    )


ALREADY_MEMBER = _("Kommunen är redan medlem under perioden. Avsluta det medlemskapet först.")
NOT_A_MUNICIPALITY = _("Välj en kommun som finns i samverkans organisation.")


def _require_membership_admin(actor: Actor, cooperation: Cooperation) -> OrgNode:
    if cooperation.root is None:
        raise ValidationFailed(fields={"cooperation": [NO_ORGANISATION]})
    _require_visible_then(actor, actions.MANAGE_MEMBERSHIP, cooperation.root)
    return cooperation.root


def _join_errors(
    cooperation: Cooperation, municipality: OrgNode | None, joined_on: dt.date | None
) -> dict[str, list[Any]]:
    if municipality is None:
        return {}
    if municipality.kind != NodeKind.MUNICIPALITY or municipality.cooperation_id != cooperation.pk:
        return {"municipality": [NOT_A_MUNICIPALITY]}
    if joined_on is not None and _overlapping(cooperation, municipality, joined_on):
        return {"joined_on": [ALREADY_MEMBER]}
    return {}


def _membership_build(cooperation: Cooperation, **values: Any) -> tuple[Membership, list[str]]:
    """A membership of the values that were given, and the fields that were not (not checked)."""
    given = {k: v for k, v in values.items() if v is not None}
    if "decision_reference" in given:
        given["decision_reference"] = given["decision_reference"].strip()
    membership = Membership(cooperation=cooperation, **given)
    return membership, [k for k in values if k not in given]


def municipality_join_check(
    *,
    actor: Actor,
    cooperation: Cooperation,
    municipality: OrgNode | None = None,
    joined_on: dt.date | None = None,
    decision_reference: str | None = None,
) -> None:
    """Every reason municipality_join would refuse these values, in one ValidationFailed. Writes
    nothing. For a form or request that has errors of its own: all messages come at once."""
    _require_membership_admin(actor, cooperation)
    membership, missing = _membership_build(
        cooperation,
        municipality=municipality,
        joined_on=joined_on,
        decision_reference=decision_reference,
    )
    validate(
        membership,
        exclude=missing,
        actor=actor,
        errors=_join_errors(cooperation, municipality, joined_on),
    )


def municipality_join(
    *,
    actor: Actor,
    cooperation: Cooperation,
    municipality: OrgNode,
    joined_on: dt.date,
    decision_reference: str = "",
) -> Membership:
    """A municipality joins the cooperation from a date (R1: members can join and leave)."""
    _require_membership_admin(actor, cooperation)
    with transaction.atomic():
        # Lock the municipality row so two joins cannot both pass the overlap check.
        OrgNode.objects.select_for_update().get(pk=municipality.pk)
        membership, _missing = _membership_build(
            cooperation,
            municipality=municipality,
            joined_on=joined_on,
            decision_reference=decision_reference,
        )
        return create_audited(
            actor=actor,
            instance=membership,
            scope_path=municipality.path,
            errors=_join_errors(cooperation, municipality, joined_on),
        )


def _leave_errors(membership: Membership, left_on: dt.date | None) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if membership.left_on is not None:
        errors["left_on"] = [_("Medlemskapet är redan avslutat.")]
    elif left_on is not None and left_on < membership.joined_on:
        errors["left_on"] = [_("Slutdatum kan inte vara före startdatum.")]
    host_id = Cooperation.objects.values_list("host_id", flat=True).get(
        pk=membership.cooperation_id
    )
    if host_id == membership.municipality_id:
        errors["municipality"] = [_("Värdkommunen kan inte lämna samverkan. Byt värdkommun först.")]
    return errors


def municipality_leave_check(
    *,
    actor: Actor,
    membership: Membership,
    left_on: dt.date | None = None,
    decision_reference: str | None = None,
    **_ignored: Any,
) -> None:
    """Every reason municipality_leave would refuse these values, at once. Writes nothing."""
    _require_membership_admin(actor, membership.cooperation)
    errors = _leave_errors(membership, left_on)
    if decision_reference is not None:
        probe = Membership(
            cooperation_id=membership.cooperation_id,
            municipality_id=membership.municipality_id,
            joined_on=membership.joined_on,
            decision_reference=decision_reference.strip(),
        )
        validate(probe, exclude=["left_on"], actor=actor, errors=errors)
    elif errors:
        raise ValidationFailed(fields=errors)


def municipality_leave(
    *,
    actor: Actor,
    membership: Membership,
    left_on: dt.date,
    expected_version: int | None,
    decision_reference: str = "",
) -> Membership:
    _require_membership_admin(actor, membership.cooperation)
    changes: dict[str, Any] = {"left_on": left_on}
    if decision_reference:
        changes["decision_reference"] = decision_reference.strip()
    with transaction.atomic():
        # Same lock as cooperation_set_host takes, so the host check cannot go stale.
        OrgNode.objects.select_for_update().get(pk=membership.municipality_id)
        return update_versioned(
            actor=actor,
            instance=membership,
            expected_version=expected_version,
            changes=changes,
            scope_path=membership.municipality.path,
            errors=_leave_errors(membership, left_on),
        )


def inhabitants_errors(*, year: Any = None, inhabitants: Any = None) -> dict[str, list[Any]]:
    """The rules of an inhabitant count beyond its type: no future year, a plausible number.

    A count for a year that has not begun would become the current population and change every
    member's share, so it is refused.
    """
    errors: dict[str, list[Any]] = {}
    this_year = timezone.localdate().year
    if isinstance(year, int) and year > this_year:
        errors["year"] = [
            lazy_format(
                _("Invånarantal kan inte anges för ett kommande år (senast %(year)s)."),
                year=this_year,
            )
        ]
    if isinstance(inhabitants, int) and not 0 <= inhabitants <= MAX_INHABITANTS:
        errors["inhabitants"] = [inhabitants_limit_message()]
    return errors


def inhabitants_check(*, year: Any = None, inhabitants: Any = None, **_ignored: Any) -> None:
    """inhabitants_errors as a ValidationFailed, for a form or request with errors of its own."""
    errors = inhabitants_errors(year=year, inhabitants=inhabitants)
    if errors:
        raise ValidationFailed(fields=errors)


def inhabitants_set(
    *, actor: Actor, municipality: OrgNode, year: int, inhabitants: int, source: str = "SCB"
) -> InhabitantCount:
    _require_visible_then(actor, actions.CHANGE_NODE, municipality)
    if municipality.kind != NodeKind.MUNICIPALITY:
        raise ValidationFailed(fields={"municipality": [_("Invånarantal gäller kommuner.")]})
    errors = inhabitants_errors(year=year, inhabitants=inhabitants)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        existing = (
            InhabitantCount.objects.select_for_update()
            .filter(municipality=municipality, year=year)
            .first()
        )
        if existing is None:
            try:
                with transaction.atomic():
                    return create_audited(
                        actor=actor,
                        instance=InhabitantCount(
                            municipality=municipality,
                            year=year,
                            inhabitants=inhabitants,
                            source=source,
                        ),
                        scope_path=municipality.path,
                    )
            except IntegrityError as exc:
                # A concurrent first write of the same year won: correct that row instead.
                existing = (
                    InhabitantCount.objects.select_for_update()
                    .filter(municipality=municipality, year=year)
                    .first()
                )
                if existing is None:
                    raise Conflict() from exc
        return update_audited(
            actor=actor,
            instance=existing,
            changes={"inhabitants": inhabitants, "source": source},
            scope_path=municipality.path,
        )


def inhabitants_remove(*, actor: Actor, count: InhabitantCount) -> None:
    """Remove a year's count that was entered by mistake (say, the year 2099).

    A wrong number is corrected by setting the year again (`inhabitants_set`). A year that should
    not be there at all has no right number, so it is removed; the count is a copy of SCB's
    published statistic, and the record of our handling is the audit entry, which keeps every
    value of the removed row, who removed it and when.
    """
    municipality = count.municipality
    _require_visible_then(actor, actions.CHANGE_NODE, municipality)
    with transaction.atomic():
        current = InhabitantCount.objects.select_for_update().filter(pk=count.pk).first()
        if current is None:
            raise ValidationFailed(fields={"year": [_("Året är redan borttaget.")]})
        before = audit.snapshot(current)
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=current,
            before=before,
            after=None,
            scope_path=municipality.path,
        )
        current.delete()


POSITION_KINDS = (NodeKind.TEAM, NodeKind.IT_ORGANISATION)
EDITABLE_POSITION_FIELDS = frozenset({"title", "line", "specialisation", "holder", "team"})


NOT_A_TEAM = _("Tjänster placeras i den gemensamma IT-organisationen.")
OTHER_COOPERATION = _("Tjänsten kan bara flyttas inom samma samverkan.")
HOLDER_INACTIVE = _("Innehavaren har inget aktivt konto.")


def _require_team(actor: Actor, team: OrgNode) -> None:
    """Positions are managed by whoever may change the team node they are placed in."""
    _require_visible_then(actor, actions.CHANGE_NODE, team)
    if team.kind not in POSITION_KINDS:
        raise ValidationFailed(fields={"team": [NOT_A_TEAM]})


def _position_errors(
    actor: Actor,
    *,
    team: OrgNode | None,
    holder: Any,
    moved_from: OrgNode | None = None,
    errors: dict[str, list[Any]] | None = None,
) -> dict[str, list[Any]]:
    """The rules of a position beyond its model, every one at once. `errors` are findings the
    caller made already (a holder id that is no choice): they are kept, not checked again."""
    out: dict[str, list[Any]] = {k: list(v) for k, v in (errors or {}).items()}
    if team is not None and "team" not in out:
        _require_visible_then(actor, actions.CHANGE_NODE, team)
        if team.kind not in POSITION_KINDS:
            out["team"] = [NOT_A_TEAM]
        elif moved_from is not None and team.cooperation_id != moved_from.cooperation_id:
            out["team"] = [OTHER_COOPERATION]
    if holder is not None and "holder" not in out and not holder.is_active:
        out["holder"] = [HOLDER_INACTIVE]
    return out


POSITION_FIELDS = ("team", "title", "line", "specialisation", "holder")


def position_create_check(
    *, actor: Actor, errors: dict[str, list[Any]] | None = None, **values: Any
) -> None:
    """Every reason position_create would refuse these values, in one ValidationFailed. Writes
    nothing. Fields that are not given (they failed to parse) are not checked."""
    given = {k: v for k, v in values.items() if k in POSITION_FIELDS and v is not None}
    found = _position_errors(
        actor, team=given.get("team"), holder=given.get("holder"), errors=errors
    )
    given = {k: v for k, v in given.items() if k not in found}
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in given.items()}
    missing = [k for k in POSITION_FIELDS if k not in cleaned]
    validate(Position(**cleaned), exclude=missing, actor=actor, errors=found)


def position_create(
    *,
    actor: Actor,
    team: OrgNode,
    title: str,
    line: str,
    specialisation: str = "",
    holder: Any = None,
) -> Position:
    _require_visible_then(actor, actions.CHANGE_NODE, team)
    return create_audited(
        actor=actor,
        instance=Position(
            team=team,
            title=title.strip(),
            line=line,
            specialisation=specialisation.strip(),
            holder=holder,
        ),
        scope_path=team.path,
        errors=_position_errors(actor, team=team, holder=holder),
    )


def _position_changes(position: Position, changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - EDITABLE_POSITION_FIELDS
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    if position.closed_on is not None:
        raise ValidationFailed(fields={"closed_on": [_("Tjänsten är avslutad.")]})
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}


def _moved_to(position: Position, cleaned: dict[str, Any]) -> OrgNode | None:
    team: OrgNode | None = cleaned.get("team")
    return team if team is not None and team.pk != position.team_id else None


def position_update_check(
    *,
    actor: Actor,
    position: Position,
    errors: dict[str, list[Any]] | None = None,
    **changes: Any,
) -> None:
    """Every reason position_update would refuse these changes, at once. Writes nothing."""
    _require_team(actor, position.team)
    cleaned = _position_changes(
        position, {k: v for k, v in changes.items() if k in POSITION_FIELDS}
    )
    found = _position_errors(
        actor,
        team=_moved_to(position, cleaned),
        holder=cleaned.get("holder"),
        moved_from=position.team,
        errors=errors,
    )
    probe = Position.objects.get(pk=position.pk)
    for key, value in cleaned.items():
        if key not in found:
            setattr(probe, key, value)
    validate(probe, actor=actor, errors=found)


def position_update(
    *, actor: Actor, position: Position, expected_version: int | None, **changes: Any
) -> Position:
    """Change title, line, specialisation, holder (None: vacant) or team of an open position."""
    _require_team(actor, position.team)
    cleaned = _position_changes(position, changes)
    team = _moved_to(position, cleaned)
    return update_versioned(
        actor=actor,
        instance=position,
        expected_version=expected_version,
        changes=cleaned,
        scope_path=(team or position.team).path,
        errors=_position_errors(
            actor, team=team, holder=cleaned.get("holder"), moved_from=position.team
        ),
    )


def position_close(
    *, actor: Actor, position: Position, closed_on: dt.date, expected_version: int | None
) -> Position:
    """Close a position from a date; its holder leaves it. Nothing is deleted."""
    _require_team(actor, position.team)
    if position.closed_on is not None:
        raise ValidationFailed(fields={"closed_on": [_("Tjänsten är redan avslutad.")]})
    return update_versioned(
        actor=actor,
        instance=position,
        expected_version=expected_version,
        changes={"closed_on": closed_on, "holder": None},
        scope_path=position.team.path,
    )


def position_set_holder(
    *, actor: Actor, position: Position, holder: Any, expected_version: int | None = None
) -> Position:
    return position_update(
        actor=actor, position=position, expected_version=expected_version, holder=holder
    )
