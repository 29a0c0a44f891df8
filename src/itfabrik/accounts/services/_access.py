"""What the account services share: who may manage an account or grant on a node, and the
small helpers every aggregate uses. Private to the package."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone, translation

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Forbidden, NotFound, Translated
from itfabrik.tenancy.selectors import node_get

from .. import permissions as actions
from .. import selectors
from ..models import ActiveAssignmentQ, RoleAssignment, User


def require_manage_roles(actor: Actor, node: Any) -> None:
    """404 where the actor cannot see the node at all; 403 where they see it but may not grant."""
    if permissions.can(actor, actions.MANAGE_ROLES, node):
        return
    node_get(actor=actor, pk=node.pk)  # raises NotFound when the node is invisible
    raise Forbidden()


def require_may_manage_account(actor: Actor, user: User) -> None:
    """Who may reset, deactivate or switch off two-factor for an account other than their own.

    A superuser; otherwise someone who could have granted every role the person holds (the
    granting rule, ADR 0017) and may grant roles where the person works. Taking over a wider
    account would raise the actor's own rights through it, so that is refused; a role still to
    come counts as much as one held today.
    """
    if permissions.is_superuser(actor):
        return
    if user.is_superuser or user.home_unit is None:
        raise NotFound()
    require_manage_roles(actor, user.home_unit)
    for assignment in (
        RoleAssignment.objects.filter(user_id=user.pk)
        .filter(ActiveAssignmentQ.not_ended(timezone.localdate()))
        .select_related("node")
    ):
        if not selectors.may_end_assignment(actor=actor, assignment=assignment):
            raise Forbidden()


def password_messages(password: str, user: User) -> list[Any]:
    """Django's password validators translate when they raise; ask once per language."""
    by_lang: dict[str, list[str]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                validate_password(password, user)
            except DjangoValidationError as exc:
                by_lang[code] = list(exc.messages)
    first = by_lang[settings.LANGUAGE_CODE]
    return [
        Translated({code: msgs[i] for code, msgs in by_lang.items()}) for i in range(len(first))
    ]


def scope_path_of(user: User) -> str:
    return user.home_unit.path if user.home_unit_id and user.home_unit else ""
