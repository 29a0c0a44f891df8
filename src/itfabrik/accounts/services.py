"""Changes of users and role assignments: typed, atomic, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework.authtoken.models import Token

from itfabrik.core import audit, permissions
from itfabrik.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Translated,
    ValidationFailed,
    lazy_format,
)
from itfabrik.core.models import AuditAction
from itfabrik.core.registry import actions_for
from itfabrik.core.roles import STAFF_ROLES
from itfabrik.core.services import create_audited, update_audited, validate

from . import permissions as actions
from .choices import Role
from .models import RoleAssignment, User

GRANT_OUTLASTS_OWN = _("Rollen kan inte gälla längre än din egen behörighet (%(date)s).")


def _require_manage_roles(actor: Any, node: Any) -> None:
    """404 where the actor cannot see the node at all; 403 where they see it but may not grant."""
    if permissions.can(actor, actions.MANAGE_ROLES, node):
        return
    from itfabrik.tenancy.selectors import node_get

    node_get(actor=actor, pk=node.pk)  # raises NotFound when the node is invisible
    raise Forbidden()


def _password_messages(password: str, user: User) -> list[Any]:
    """Django's password validators translate when they raise; ask once per language."""
    from django.conf import settings
    from django.utils import translation

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


def _scope_path_of(user: User) -> str:
    return user.home_unit.path if user.home_unit_id and user.home_unit else ""


def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    home_unit: Any = None,
    is_vip: bool = False,
    check_password_strength: bool = True,
) -> User:
    """Create an account. The actor needs MANAGE_ROLES where the user works (or superuser)."""
    if home_unit is not None:
        _require_manage_roles(actor, home_unit)
    elif not permissions.is_superuser(actor):
        raise Forbidden()
    user = User(
        username=username.strip(),
        first_name=first_name,
        last_name=last_name,
        email=email.strip().lower(),
        home_unit=home_unit,
        is_vip=is_vip,
    )
    if password:
        if check_password_strength:
            try:
                validate_password(password, user)
            except DjangoValidationError as exc:
                raise ValidationFailed(
                    fields={"password": _password_messages(password, user)}
                ) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            return create_audited(
                actor=actor, instance=user, scope_path=_scope_path_of(user), exclude=["password"]
            )
    except IntegrityError as exc:  # the same username submitted twice at the same moment
        raise ValidationFailed(fields={"username": [_("Användarnamnet är upptaget.")]}) from exc


def role_assign(
    *,
    actor: Any,
    user: User,
    role: str,
    node: Any,
    recursive: bool = True,
    valid_until: dt.date | None = None,
) -> RoleAssignment:
    _require_manage_roles(actor, node)
    if role not in Role.values:
        raise ValidationFailed(fields={"role": [_("Okänd roll.")]})
    superuser = permissions.is_superuser(actor)
    # The widest role is granted only by a superuser or a cooperation admin above the node.
    if (
        role == Role.COOPERATION_ADMIN
        and not superuser
        and not any(
            g.role == Role.COOPERATION_ADMIN and g.recursive and node.path.startswith(g.path)
            for g in permissions.grants(actor)
        )
    ):
        raise Forbidden()
    # Nobody hands out more than they hold: a role over a whole subtree needs the right to
    # grant roles over that whole subtree.
    if (
        recursive
        and not superuser
        and not any(
            actions.MANAGE_ROLES in actions_for(g.role)
            and g.recursive
            and node.path.startswith(g.path)
            for g in permissions.grants(actor)
        )
    ):
        raise Forbidden()
    if not superuser:
        # Nor for longer than they hold it: a temporary admin's grants end with their own.
        covering = [
            g
            for g in permissions.grants(actor)
            if actions.MANAGE_ROLES in actions_for(g.role) and g.covers(node.path)
        ]
        ends = [g.valid_until for g in covering]
        if ends and None not in ends:
            last = max(e for e in ends if e is not None)
            if valid_until is None or valid_until > last:
                raise ValidationFailed(
                    fields={
                        "valid_until": [
                            lazy_format(
                                GRANT_OUTLASTS_OWN,
                                date=last.isoformat(),
                            )
                        ]
                    }
                )
    duplicate = ValidationFailed(
        fields={"role": [_("Användaren har redan den rollen på den noden.")]}
    )
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
            assignment = update_audited(
                actor=actor,
                instance=existing,
                changes={"recursive": recursive, "valid_until": valid_until},
                scope_path=node.path,
            )
            permissions.forget_grants(user)
            if requires_two_factor(user):
                Token.objects.filter(user=user).delete()
            return assignment
        try:
            with transaction.atomic():
                assignment = create_audited(
                    actor=actor,
                    instance=RoleAssignment(
                        user=user,
                        role=role,
                        node=node,
                        recursive=recursive,
                        valid_until=valid_until,
                    ),
                    scope_path=node.path,
                )
        except IntegrityError as exc:  # a double submit that passed the check at the same time
            raise duplicate from exc
        permissions.forget_grants(user)
        if requires_two_factor(user):
            # A token issued while the user needed no code must not outlive the new duty to
            # give one: the next token comes from the token endpoint, with a code.
            Token.objects.filter(user=user).delete()
    return assignment


def role_revoke(*, actor: Any, assignment: RoleAssignment) -> RoleAssignment:
    """End an assignment as of yesterday. It stays on record: who held what, and until when."""
    _require_manage_roles(actor, assignment.node)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with transaction.atomic():
        current = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if current.valid_until is not None and current.valid_until <= yesterday:
            raise ValidationFailed(fields={"role": [_("Rollen är redan avslutad.")]})
        ended = update_audited(
            actor=actor,
            instance=current,
            changes={"valid_until": yesterday},
            scope_path=assignment.node.path,
        )
    permissions.forget_grants(assignment.user)
    return ended


def user_set_language(*, actor: Any, user: User, language: str) -> User:
    if actor.pk != user.pk:
        raise NotFound()
    if language not in {
        code for code, _name in User._meta.get_field("preferred_language").choices or []
    }:
        raise ValidationFailed(fields={"language": [_("Språket finns inte.")]})
    return update_audited(
        actor=actor,
        instance=user,
        changes={"preferred_language": language},
        scope_path=_scope_path_of(user),
        exclude=["password"],
    )


def credential_event(*, user: User, what: str, before: str, after: str) -> None:
    """Audit a change of a sign-in credential on the user's record.

    `what` needs a label in `User.AUDIT_LABELS`; `before`/`after` are Swedish words marked with
    gettext_noop, so that the audit display can show them translated.

    The credential itself (a token key, a TOTP secret) never goes into the audit trail: the
    token's primary key *is* its secret, so it is recorded as an event of the user instead.
    """
    audit.record(
        actor=user,
        action=AuditAction.UPDATE,
        instance=user,
        before={what: before},
        after={what: after},
        scope_path=_scope_path_of(user),
    )


def user_link_oidc(*, user: User, issuer: str, subject: str) -> User:
    """Tie the account to the identity provider's stable identity of the person (first sign-in).

    Refused once the account is tied to another identity: a changed e-mail address at the
    provider must never hand an account to someone else.
    """
    if not issuer or not subject:
        raise ValidationFailed(fields={"oidc_subject": [_("Identiteten saknas.")]})
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        if (current.oidc_issuer, current.oidc_subject) == (issuer, subject):
            return current
        if current.oidc_subject:
            raise Conflict()
        if User.objects.filter(oidc_issuer=issuer, oidc_subject=subject).exists():
            raise Conflict()
        current.oidc_issuer, current.oidc_subject = issuer, subject
        current.save(update_fields=["oidc_issuer", "oidc_subject"])
        credential_event(user=current, what="oidc_subject", before="", after=f"{issuer} {subject}")
        return current


def token_issue(*, user: User) -> Token:
    """The user's API token, created on first use. Idempotent: a second call returns the same."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        if created:
            credential_event(user=user, what="api_token", before="", after=gettext_noop("utfärdad"))
    return token


def token_rotate(*, user: User) -> Token:
    with transaction.atomic():
        had = Token.objects.filter(user=user).delete()[0] > 0
        token = Token.objects.create(user=user)
        credential_event(
            user=user,
            what="api_token",
            before=gettext_noop("utfärdad") if had else "",
            after=gettext_noop("förnyad"),
        )
        return token


def requires_two_factor(user: User) -> bool:
    """Staff roles must use TOTP where the installation requires it."""
    from django.conf import settings

    if not getattr(settings, "REQUIRE_STAFF_2FA", False):
        return False
    if user.is_superuser:
        return True
    return any(g.role in STAFF_ROLES for g in permissions.grants(user))


def user_validate(user: User) -> None:
    validate(user, exclude=["password"])
