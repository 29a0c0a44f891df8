"""People's accounts: create, correct, deactivate, and the language they read the site in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed
from itfabrik.core.services import create_audited, update_audited, validate

from .. import selectors
from ..models import User
from ._access import (
    password_messages,
    require_manage_roles,
    require_may_manage_account,
    scope_path_of,
)
from .credentials import WITHDRAWN_DEACTIVATED, tokens_withdraw

USERNAME_TAKEN = _("Det finns redan ett konto med det användarnamnet.")
# The same answer for a name that is reserved and for one taken by an account the actor may not
# see, so the form does not tell who has an account elsewhere (ADR 0017).
USERNAME_UNAVAILABLE = _("Användarnamnet kan inte användas. Välj ett annat.")
# Names the audit trail uses for actors that are not accounts, and their like.
RESERVED_USERNAMES = frozenset({"anonym", "system", "root", "administrator", "superuser"})


def _check_username_free(*, actor: Actor, username: str, home_unit: Any) -> None:
    """Refuse a taken or reserved name without revealing accounts outside the actor's scope."""
    existing = User.objects.filter(username=username).first()
    if existing is not None and (
        permissions.is_superuser(actor)
        or selectors.user_list(actor=actor).filter(pk=existing.pk).exists()
    ):
        raise ValidationFailed(fields={"username": [USERNAME_TAKEN]})
    if existing is None and username.lower() not in RESERVED_USERNAMES:
        return
    error = ValidationFailed(fields={"username": [USERNAME_UNAVAILABLE]})
    # Probing for names is visible to the security officer: the refusal is audited.
    audit.record_refused(
        actor=actor,
        instance=User(username=username, home_unit=home_unit),
        attempted={"attempt": "create", "username": username},
        reason="username_unavailable",
        scope_path=home_unit.path if home_unit is not None else "",
    )
    raise error


def _user_build(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    first_name: str,
    last_name: str,
    email: str,
    home_unit: Any,
    is_vip: bool,
    check_password_strength: bool,
) -> tuple[User, dict[str, list[Any]]]:
    """The new account and what is wrong with its name and password (collected, not raised)."""
    username = username.strip()
    errors: dict[str, list[Any]] = {}
    try:
        _check_username_free(actor=actor, username=username, home_unit=home_unit)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    user = User(
        username=username,
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
            except DjangoValidationError:
                errors["password"] = password_messages(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    return user, errors


def user_create_check(
    *,
    actor: Actor,
    username: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    home_unit: Any = None,
    is_vip: bool = False,
) -> None:
    """Every reason user_create would refuse these values, at once (for a form or request with
    errors of its own). Writes nothing but the audit row of a probed unavailable name."""
    if home_unit is not None:
        require_manage_roles(actor, home_unit)
    user, errors = _user_build(
        actor=actor,
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        home_unit=home_unit,
        is_vip=is_vip,
        check_password_strength=True,
    )
    validate(user, exclude=["password"], actor=actor, errors=errors)


def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    home_unit: Any = None,
    is_vip: bool = False,
    check_password_strength: bool = True,
) -> User:
    """Create an account. The actor needs MANAGE_ROLES where the user works (or superuser).

    The password is used exactly as typed (no trimming). Every problem comes in one answer.
    """
    if home_unit is not None:
        require_manage_roles(actor, home_unit)
    elif not permissions.is_superuser(actor):
        raise Forbidden()
    user, errors = _user_build(
        actor=actor,
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        home_unit=home_unit,
        is_vip=is_vip,
        check_password_strength=check_password_strength,
    )
    try:
        with transaction.atomic():
            return create_audited(
                actor=actor,
                instance=user,
                scope_path=scope_path_of(user),
                exclude=["password"],
                errors=errors,
            )
    except IntegrityError as exc:  # the same username submitted twice at the same moment
        raise ValidationFailed(fields={"username": [USERNAME_UNAVAILABLE]}) from exc


USER_EDITABLE_FIELDS = frozenset({"first_name", "last_name", "email", "home_unit", "is_active"})


def _end_sessions(user: User) -> int:
    """Delete the user's sessions (database-backed): every browser they are signed in on."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    ended = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def user_update(*, actor: Actor, user: User, **changes: Any) -> User:
    """Correct a person's name, e-mail or workplace, or deactivate (reactivate) the account.

    The actor needs MANAGE_ROLES where the person works and where the new workplace is.
    Deactivating ends the person's sessions and API token at once; the account stays on record.
    """
    unknown = set(changes) - USER_EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    if user.home_unit_id:
        require_manage_roles(actor, user.home_unit)
    elif not permissions.is_superuser(actor):
        raise Forbidden()
    new_unit = changes.get("home_unit", user.home_unit)
    if "home_unit" in changes:
        if new_unit is None:
            raise ValidationFailed(fields={"home_unit": [_("Välj en arbetsplats.")]})
        require_manage_roles(actor, new_unit)
        if not new_unit.is_active:
            raise ValidationFailed(
                fields={"home_unit": [_("Arbetsplatsen är avvecklad. Välj en annan.")]}
            )
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    if "email" in cleaned:
        cleaned["email"] = cleaned["email"].lower()
    if cleaned.get("is_active") is False and getattr(actor, "pk", None) == user.pk:
        raise ValidationFailed(fields={"is_active": [_("Du kan inte inaktivera ditt eget konto.")]})
    deactivating = user.is_active and cleaned.get("is_active") is False
    with transaction.atomic():
        updated = update_audited(
            actor=actor,
            instance=user,
            changes=cleaned,
            scope_path=new_unit.path if new_unit is not None else scope_path_of(user),
            exclude=["password"],
        )
        if deactivating:
            _end_sessions(updated)
            tokens_withdraw(user=updated, reason=WITHDRAWN_DEACTIVATED, actor=actor)
    return updated


def user_set_language(*, actor: Actor, user: User, language: str) -> User:
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
        scope_path=scope_path_of(user),
        exclude=["password"],
    )


def user_deactivate(*, actor: Actor, user: User) -> User:
    """Deactivate an account: it can no longer sign in, and its API tokens are withdrawn."""
    require_may_manage_account(actor, user)
    with transaction.atomic():
        updated = update_audited(
            actor=actor,
            instance=user,
            changes={"is_active": False},
            scope_path=scope_path_of(user),
            exclude=["password"],
        )
        tokens_withdraw(user=updated, reason=WITHDRAWN_DEACTIVATED, actor=actor)
    return updated
