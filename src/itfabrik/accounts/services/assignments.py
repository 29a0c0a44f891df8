"""Role assignments: grant and end roles under the granting rule (rules.py, ADR 0017).

A refused grant or end is written to the audit trail all the same, in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import (
    ApplicationError,
    Forbidden,
    NotFound,
    ValidationFailed,
    lazy_format,
)
from itfabrik.core.services import create_audited, update_audited
from itfabrik.tenancy.models import OrgNode
from itfabrik.tenancy.selectors import node_get

from .. import rules, selectors
from ..choices import Role
from ..models import ActiveAssignmentQ, RoleAssignment, User
from ._access import require_manage_roles
from .credentials import WITHDRAWN_FOR_STAFF_ROLE, requires_two_factor, tokens_withdraw

END_IN_THE_PAST = _("Slutdatumet har redan passerat. Ange dagens datum eller ett senare.")
START_IN_THE_PAST = _("Startdatumet har redan passerat. Ange dagens datum eller ett senare.")
START_AFTER_END = _("Startdatumet ligger efter slutdatumet. Ange ett startdatum före slutdatumet.")
GRANT_OUTLASTS_OWN = _("Rollen kan inte gälla längre än din egen behörighet (%(date)s).")
GRANT_STARTS_BEFORE_OWN = _("Rollen kan inte börja före din egen behörighet (%(date)s).")
UNKNOWN_ROLE = _("Okänd roll.")
ALREADY_HELD = _("Användaren har redan den rollen där.")

GRANT_REFUSED = {
    rules.ROLE: _("Bara en samverkansadministratör kan utse samverkansadministratörer."),
    rules.RECURSION: _(
        "Du kan bara ge en roll som gäller underliggande noder om din egen behörighet gör det."
    ),
}
END_REFUSED = _("Du kan bara avsluta roller som du själv hade kunnat ge.")


def _date_errors(valid_from: dt.date | None, valid_until: dt.date | None) -> dict[str, list[Any]]:
    """A grant that would already have started or ended is a mistake, not a grant; nor is one
    that ends before it starts."""
    today = timezone.localdate()
    errors: dict[str, list[Any]] = {}
    if valid_from is not None and valid_from < today:
        errors["valid_from"] = [START_IN_THE_PAST]
    if valid_until is not None and valid_until < today:
        errors["valid_until"] = [END_IN_THE_PAST]
    elif valid_from is not None and valid_until is not None and valid_from > valid_until:
        errors.setdefault("valid_from", []).append(START_AFTER_END)
    return errors


def _time_errors(refused: rules.Refusal) -> dict[str, list[Any]]:
    """The granting rule's refusal in time, on the date field that would have to change."""
    if refused.earliest_start is not None:
        date = refused.earliest_start.isoformat()
        return {"valid_from": [lazy_format(GRANT_STARTS_BEFORE_OWN, date=date)]}
    if refused.latest_end is not None:
        date = refused.latest_end.isoformat()
        return {"valid_until": [lazy_format(GRANT_OUTLASTS_OWN, date=date)]}
    return {}


def _already_held(*, user: User, role: str, node: Any) -> bool:
    return (
        RoleAssignment.objects.filter(user=user, role=role, node=node)
        .filter(ActiveAssignmentQ.not_ended(timezone.localdate()))
        .exists()
    )


def _grant_problems(
    *,
    actor: Actor,
    user: User | None,
    role: str,
    node: Any,
    wanted: rules.GrantSpec | None,
) -> tuple[dict[str, list[Any]], rules.Refusal | None]:
    """Every input error of a grant at once (role, dates, the granting rule's time, a role the
    person already holds there), and the granting rule's refusal on rights (node, role,
    recursion), if any. `node`, `user` and `wanted` are None where the input had none."""
    errors: dict[str, list[Any]] = {}
    if role not in Role.values:
        errors["role"] = [UNKNOWN_ROLE]
    if wanted is not None:
        errors.update(_date_errors(wanted.valid_from, wanted.valid_until))
    refused = None
    if wanted is not None and "role" not in errors:
        refused = selectors.grant_refusal_get(actor=actor, wanted=wanted)
        if refused is not None and refused.reason == rules.TIME:
            time_errors = _time_errors(refused)
            for name, messages in time_errors.items():
                errors.setdefault(name, messages)
            refused = None if time_errors else refused
    if (
        "role" not in errors
        and user is not None
        and node is not None
        and _already_held(user=user, role=role, node=node)
    ):
        errors["role"] = [ALREADY_HELD]
    return errors, refused


def role_assign_check(
    *,
    actor: Actor,
    user: User | None = None,
    role: str = "",
    node: Any = None,
    recursive: bool = False,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> None:
    """Every reason role_assign would refuse these values on their input, at once, for a form
    or request with errors of its own. Writes nothing; a refusal on rights is left to
    role_assign (which puts it on the audit trail)."""
    wanted = None
    if node is not None:
        try:
            require_manage_roles(actor, node)
        except (Forbidden, NotFound):
            node = None
    if node is not None:
        start = valid_from or timezone.localdate()
        wanted = rules.GrantSpec(role, node.path, recursive, valid_until, start)
    errors, _refused = _grant_problems(
        actor=actor, user=user, role=role or "", node=node, wanted=wanted
    )
    if wanted is None:  # the dates can be checked without a node
        for name, messages in _date_errors(valid_from, valid_until).items():
            errors.setdefault(name, messages)
    if not role:
        errors.pop("role", None)  # a missing role is the form's own message
    if errors:
        raise ValidationFailed(fields=errors)


def _refusal_reason(
    *, actor: Actor, wanted: rules.GrantSpec, error: ApplicationError
) -> str | None:
    """Why a grant or its end was refused on grounds of rights, for the audit trail.

    The respect of the granting rule that failed (node, role, recursion, time), or the error's
    code for any other refusal on rights (404/403). None for a plain input error (an unknown
    role, a duplicate, an assignment already ended): that is no attempt to exceed one's rights.
    """
    refused = selectors.grant_refusal_get(actor=actor, wanted=wanted)
    if refused is not None:
        return refused.reason
    if isinstance(error, Forbidden | NotFound):
        return error.code
    return None


def _error_text(error: ApplicationError) -> str:
    """The refusal in Swedish (the audit trail's language), field messages included."""
    with translation.override("sv"):
        parts = [str(error.message)]
        parts += [f"{name}: {m}" for name, msgs in error.fields.items() for m in msgs]
    return " ".join(parts)


def _audit_refused_assignment(
    *,
    actor: Actor,
    user: User,
    role: str,
    node: Any,
    wanted: rules.GrantSpec,
    error: ApplicationError,
    what: str,
    assignment_pk: int | None = None,
) -> None:
    reason = _refusal_reason(actor=actor, wanted=wanted, error=error)
    if reason is None:
        return
    attempt = RoleAssignment(
        pk=assignment_pk,
        user=user,
        role=role,
        node=node,
        recursive=wanted.recursive,
        valid_until=wanted.valid_until,
        valid_from=wanted.valid_from or timezone.localdate(),
    )
    audit.record_refused(
        actor=actor,
        instance=attempt,
        attempted={
            "attempt": what,
            "user_id": user.pk,
            "role": role,
            "node_id": node.pk,
            "recursive": wanted.recursive,
            "valid_from": wanted.valid_from,
            "valid_until": wanted.valid_until,
            "error": _error_text(error),
        },
        reason=reason,
        scope_path=node.path,
    )


def _after_assignments_changed(user: User) -> None:
    """After a grant: the user's rights count at once, and a password-only token goes (also for
    a staff role that starts later: the token would outlive its start)."""
    permissions.forget_grants(user)
    if requires_two_factor(user, counting_roles_to_come=True):
        # A token issued while the user needed no code must not outlive the new duty to give
        # one: the next token comes from the token endpoint, with a code.
        tokens_withdraw(user=user, reason=WITHDRAWN_FOR_STAFF_ROLE)


def role_assign(
    *,
    actor: Actor,
    user: User,
    role: str,
    node: Any,
    recursive: bool = True,
    valid_until: dt.date | None = None,
    valid_from: dt.date | None = None,
) -> RoleAssignment:
    """Grant a role from `valid_from` (default today) until `valid_until` (default: until
    further notice). Refused unless one of the actor's own grants covers it (rules.py); a
    refused attempt is written to the audit trail all the same. Every input error comes in one
    answer."""
    start = valid_from or timezone.localdate()
    wanted = rules.GrantSpec(role, node.path, recursive, valid_until, start)
    try:
        assignment = _role_assign(actor=actor, user=user, role=role, node=node, wanted=wanted)
    except ApplicationError as exc:
        # The attempt's own transaction is rolled back by now; this row has its own.
        _audit_refused_assignment(
            actor=actor, user=user, role=role, node=node, wanted=wanted, error=exc, what="grant"
        )
        raise
    _after_assignments_changed(user)
    return assignment


def role_grant_refused(
    *,
    actor: Actor,
    user_id: Any,
    node_id: Any,
    role: str,
    recursive: bool,
    valid_until: dt.date | None,
    valid_from: dt.date | None = None,
    reason: str = "not_found",
) -> None:
    """Record a grant attempt on a person or node the actor may not see (or may not grant on)
    that was refused before it reached role_assign: the security officer sees it all the same."""
    path = OrgNode.objects.filter(pk=node_id).values_list("path", flat=True).first()
    audit.record_refused(
        actor=actor,
        instance=RoleAssignment(),
        attempted={
            "attempt": "grant",
            "user_id": user_id,
            "role": role,
            "node_id": node_id,
            "recursive": recursive,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        reason=reason,
        scope_path=path or "",
        object_repr=f"user {user_id} – {role} @ node {node_id}",
    )


def role_assign_by_ids(
    *,
    actor: Actor,
    user_id: Any,
    node_id: Any,
    role: str,
    recursive: bool = True,
    valid_until: dt.date | None = None,
    valid_from: dt.date | None = None,
) -> RoleAssignment:
    """role_assign for the ids a form or the API sends.

    A person or node the actor may not see is a 404 as everywhere; the attempt is recorded as a
    refused grant all the same (a try at another municipality's people or units is exactly what
    the security officer must see).
    """
    try:
        user = selectors.user_get(actor=actor, pk=user_id)
        node = node_get(actor=actor, pk=node_id)
    except NotFound:
        role_grant_refused(
            actor=actor,
            user_id=user_id,
            node_id=node_id,
            role=role,
            recursive=recursive,
            valid_until=valid_until,
            valid_from=valid_from,
        )
        raise
    return role_assign(
        actor=actor,
        user=user,
        role=role,
        node=node,
        recursive=recursive,
        valid_until=valid_until,
        valid_from=valid_from,
    )


def _role_assign(
    *, actor: Actor, user: User, role: str, node: Any, wanted: rules.GrantSpec
) -> RoleAssignment:
    require_manage_roles(actor, node)
    errors, refused = _grant_problems(actor=actor, user=user, role=role, node=node, wanted=wanted)
    if errors:
        raise ValidationFailed(fields=errors)
    if refused is not None:
        raise Forbidden(GRANT_REFUSED.get(refused.reason))
    duplicate = ValidationFailed(fields={"role": [ALREADY_HELD]})
    changes = {
        "recursive": wanted.recursive,
        "valid_from": wanted.valid_from,
        "valid_until": wanted.valid_until,
    }
    with transaction.atomic():
        existing = (
            RoleAssignment.objects.select_for_update()
            .filter(user=user, role=role, node=node)
            .first()
        )
        if existing is not None:
            if existing.valid_until is None or existing.valid_until >= timezone.localdate():
                raise duplicate
            # An ended assignment is taken up again, so its history stays one record.
            return update_audited(
                actor=actor, instance=existing, changes=changes, scope_path=node.path
            )
        try:
            with transaction.atomic():
                return create_audited(
                    actor=actor,
                    instance=RoleAssignment(user=user, role=role, node=node, **changes),
                    scope_path=node.path,
                )
        except IntegrityError as exc:  # a double submit that passed the check at the same time
            raise duplicate from exc


def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    """End an assignment as of yesterday. It stays on record: who held what, and until when.

    Ending needs at least the right to have made the grant (the same rule as role_assign).
    """
    try:
        ended = _role_revoke(actor=actor, assignment=assignment)
    except ApplicationError as exc:
        _audit_refused_assignment(
            actor=actor,
            user=assignment.user,
            role=assignment.role,
            node=assignment.node,
            wanted=selectors.end_spec_get(assignment=assignment),
            error=exc,
            what="end",
            assignment_pk=assignment.pk,
        )
        raise
    permissions.forget_grants(assignment.user)
    return ended


def _role_revoke(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    require_manage_roles(actor, assignment.node)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with transaction.atomic():
        current = (
            RoleAssignment.objects.select_for_update().select_related("node").get(pk=assignment.pk)
        )
        if current.valid_until is not None and current.valid_until <= yesterday:
            raise ValidationFailed(fields={"role": [_("Rollen är redan avslutad.")]})
        if not selectors.may_end_assignment(actor=actor, assignment=current):
            raise Forbidden(END_REFUSED)
        return update_audited(
            actor=actor,
            instance=current,
            changes={"valid_until": yesterday},
            scope_path=assignment.node.path,
        )
