"""Sign-in credentials of an account: password, API token, two-factor device, OIDC identity.

Each change is audited as an event of the user (the credential itself never goes into the
audit trail), and a change of what a token was issued under withdraws the token.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework.authtoken.models import Token

from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Conflict, ValidationFailed
from itfabrik.core.models import AuditAction
from itfabrik.core.roles import STAFF_ROLES

from ..models import ActiveAssignmentQ, RoleAssignment, User
from ._access import password_messages, require_may_manage_account, scope_path_of


def credential_event(
    *, user: User, what: str, before: str, after: str, actor: Actor | None = None
) -> None:
    """Audit a change of a sign-in credential on the user's record.

    `what` needs a label in `User.AUDIT_LABELS`; `before`/`after` are Swedish words marked with
    gettext_noop, so that the audit display can show them translated.

    The credential itself (a token key, a TOTP secret) never goes into the audit trail: the
    token's primary key *is* its secret, so it is recorded as an event of the user instead.
    `actor` is the user themselves unless someone else (an administrator) made the change.
    """
    audit.record(
        actor=actor if actor is not None else user,
        action=AuditAction.UPDATE,
        instance=user,
        before={what: before},
        after={what: after},
        scope_path=scope_path_of(user),
    )


# Why a token was withdrawn, as recorded (marked for the audit display's translation).
WITHDRAWN_FOR_STAFF_ROLE = gettext_noop("återkallad: rollen kräver tvåfaktorsinloggning")
WITHDRAWN_TWO_FACTOR_ON = gettext_noop("återkallad: tvåfaktorsinloggning aktiverad")
WITHDRAWN_TWO_FACTOR_OFF = gettext_noop("återkallad: tvåfaktorsinloggning avstängd")
WITHDRAWN_PASSWORD = gettext_noop("återkallad: nytt lösenord")
WITHDRAWN_DEACTIVATED = gettext_noop("återkallad: kontot inaktiverat")


def tokens_withdraw(*, user: User, reason: str, actor: Actor | None = None) -> bool:
    """Delete the user's API tokens; audited when there was one. True if a token went.

    `reason` is one of the WITHDRAWN_* texts: it is what the audit trail shows after "utfärdad".

    Called whenever the credentials a token was issued under change (two-factor switched on or
    off, a new password, a deactivated account, a role that requires two-factor): the next token
    comes from the token endpoint, which checks the credentials as they are now.
    """
    with transaction.atomic():
        had = Token.objects.filter(user_id=user.pk).delete()[0] > 0
        if had:
            credential_event(
                user=user,
                what="api_token",
                before=gettext_noop("utfärdad"),
                after=reason,
                actor=actor,
            )
    return had


def two_factor_enabled(*, user: User) -> None:
    """The user confirmed a TOTP device: audit it and withdraw tokens issued without a code."""
    with transaction.atomic():
        credential_event(
            user=user, what="two_factor", before="", after=gettext_noop("aktiverad (TOTP)")
        )
        tokens_withdraw(user=user, reason=WITHDRAWN_TWO_FACTOR_ON)


def two_factor_disable(*, actor: Actor, user: User) -> None:
    """Remove the user's TOTP devices (the user, or whoever may manage the account).

    Refused while the user's roles require two-factor. Tokens issued under the second factor are
    withdrawn too: what they were issued under no longer holds.
    """
    if getattr(actor, "pk", None) != user.pk:
        require_may_manage_account(actor, user)
    if requires_two_factor(user):
        raise ValidationFailed(
            fields={"two_factor": [_("Kontots roller kräver tvåfaktorsinloggning.")]}
        )
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user_id=user.pk).delete()[0]
        if removed:
            credential_event(
                user=user,
                what="two_factor",
                before=gettext_noop("aktiverad (TOTP)"),
                after=gettext_noop("avstängd"),
                actor=actor,
            )
        tokens_withdraw(user=user, reason=WITHDRAWN_TWO_FACTOR_OFF, actor=actor)


def user_set_password(
    *, actor: Actor, user: User, password: str, current_password: str | None = None
) -> User:
    """Change (the user, giving the current password) or reset (an administrator) a password.

    The password is used exactly as typed. Every API token of the user is withdrawn.
    """
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        if current_password is None or not user.check_password(current_password):
            raise ValidationFailed(
                fields={"current_password": [_("Det nuvarande lösenordet stämmer inte.")]}
            )
    else:
        require_may_manage_account(actor, user)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(fields={"password": password_messages(password, user)}) from exc
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        credential_event(
            user=locked,
            what="password",
            before="",
            after=gettext_noop("ändrat")
            if actor is not None and actor.pk == user.pk
            else gettext_noop("återställt"),
            actor=actor,
        )
        tokens_withdraw(user=locked, reason=WITHDRAWN_PASSWORD, actor=actor)
    user.password = locked.password
    return user


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


def requires_two_factor(user: User, *, counting_roles_to_come: bool = False) -> bool:
    """Staff roles must use TOTP where the installation requires it.

    `counting_roles_to_come` also counts a staff role that starts later: an API token lives on
    past that day, so it must not be issued (or kept) without a code once such a role is given.
    """
    if not getattr(settings, "REQUIRE_STAFF_2FA", False):
        return False
    if user.is_superuser:
        return True
    if any(g.role in STAFF_ROLES for g in permissions.grants(user)):
        return True
    return counting_roles_to_come and (
        RoleAssignment.objects.filter(user_id=user.pk, role__in=STAFF_ROLES)
        .filter(ActiveAssignmentQ.not_ended(timezone.localdate()))
        .exists()
    )
