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
from itfabrik.core.actors import Actor
from itfabrik.core.errors import (
    ApplicationError,
    Conflict,
    Forbidden,
    NotFound,
    Translated,
    ValidationFailed,
    lazy_format,
)
from itfabrik.core.models import AuditAction
from itfabrik.core.roles import STAFF_ROLES
from itfabrik.core.services import create_audited, update_audited, validate

from . import permissions as actions
from . import rules, selectors
from .choices import Role
from .models import ActiveAssignmentQ, RoleAssignment, User

END_IN_THE_PAST = _("Slutdatumet har redan passerat. Ange dagens datum eller ett senare.")
GRANT_OUTLASTS_OWN = _("Rollen kan inte gälla längre än din egen behörighet (%(date)s).")


def _require_manage_roles(actor: Actor, node: Any) -> None:
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
                errors["password"] = _password_messages(password, user)
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
        _require_manage_roles(actor, home_unit)
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
        _require_manage_roles(actor, home_unit)
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
                scope_path=_scope_path_of(user),
                exclude=["password"],
                errors=errors,
            )
    except IntegrityError as exc:  # the same username submitted twice at the same moment
        raise ValidationFailed(fields={"username": [USERNAME_UNAVAILABLE]}) from exc


GRANT_REFUSED = {
    rules.ROLE: _("Bara en samverkansadministratör kan utse samverkansadministratörer."),
    rules.RECURSION: _(
        "Du kan bara ge en roll som gäller underliggande noder om din egen behörighet gör det."
    ),
}
END_REFUSED = _("Du kan bara avsluta roller som du själv hade kunnat ge.")


def _check_granting_rule(*, actor: Actor, wanted: rules.GrantSpec) -> None:
    """Raise unless ONE of the actor's grants covers `wanted` in node, recursion, role and time."""
    refused = selectors.grant_refusal(actor=actor, wanted=wanted)
    if refused is None:
        return
    if refused.reason == rules.TIME and refused.latest_end is not None:
        raise ValidationFailed(
            fields={
                "valid_until": [
                    lazy_format(GRANT_OUTLASTS_OWN, date=refused.latest_end.isoformat())
                ]
            }
        )
    raise Forbidden(GRANT_REFUSED.get(refused.reason))


def _refusal_reason(
    *, actor: Actor, wanted: rules.GrantSpec, error: ApplicationError
) -> str | None:
    """Why a grant or its end was refused on grounds of rights, for the audit trail.

    The respect of the granting rule that failed (node, role, recursion, time), or the error's
    code for any other refusal on rights (404/403). None for a plain input error (an unknown
    role, a duplicate, an assignment already ended): that is no attempt to exceed one's rights.
    """
    refused = selectors.grant_refusal(actor=actor, wanted=wanted)
    if refused is not None:
        return refused.reason
    if isinstance(error, Forbidden | NotFound):
        return error.code
    return None


def _error_text(error: ApplicationError) -> str:
    """The refusal in Swedish (the audit trail's language), field messages included."""
    from django.utils import translation

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
            "valid_until": wanted.valid_until,
            "error": _error_text(error),
        },
        reason=reason,
        scope_path=node.path,
    )


def _after_assignments_changed(user: User) -> None:
    """After a grant: the user's rights count at once, and a password-only token goes."""
    permissions.forget_grants(user)
    if requires_two_factor(user):
        # A token issued while the user needed no code must not outlive the new duty to give
        # one: the next token comes from the token endpoint, with a code.
        tokens_withdraw(user=user, reason=WITHDRAWN_FOR_STAFF_ROLE)


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
        _require_manage_roles(actor, user.home_unit)
    elif not permissions.is_superuser(actor):
        raise Forbidden()
    new_unit = changes.get("home_unit", user.home_unit)
    if "home_unit" in changes:
        if new_unit is None:
            raise ValidationFailed(fields={"home_unit": [_("Välj en arbetsplats.")]})
        _require_manage_roles(actor, new_unit)
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
            scope_path=new_unit.path if new_unit is not None else _scope_path_of(user),
            exclude=["password"],
        )
        if deactivating:
            _end_sessions(updated)
            tokens_withdraw(user=updated, reason=WITHDRAWN_DEACTIVATED, actor=actor)
    return updated


def _refuse_past_end(valid_until: dt.date | None) -> None:
    """A grant that would already have ended is a mistake, not a grant: refuse it."""
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationFailed(fields={"valid_until": [END_IN_THE_PAST]})


def role_assign(
    *,
    actor: Actor,
    user: User,
    role: str,
    node: Any,
    recursive: bool = True,
    valid_until: dt.date | None = None,
) -> RoleAssignment:
    """Grant a role. Refused unless one of the actor's own grants covers it (rules.py); a
    refused attempt is written to the audit trail all the same."""
    wanted = rules.GrantSpec(role, node.path, recursive, valid_until)
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
    reason: str = "not_found",
) -> None:
    """Record a grant attempt on a person or node the actor may not see (or may not grant on)
    that was refused before it reached role_assign: the security officer sees it all the same."""
    from itfabrik.tenancy.models import OrgNode

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
) -> RoleAssignment:
    """role_assign for the ids a form or the API sends.

    A person or node the actor may not see is a 404 as everywhere; the attempt is recorded as a
    refused grant all the same (a try at another municipality's people or units is exactly what
    the security officer must see).
    """
    from itfabrik.tenancy.selectors import node_get

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
        )
        raise
    return role_assign(
        actor=actor,
        user=user,
        role=role,
        node=node,
        recursive=recursive,
        valid_until=valid_until,
    )


def _role_assign(
    *, actor: Actor, user: User, role: str, node: Any, wanted: rules.GrantSpec
) -> RoleAssignment:
    _require_manage_roles(actor, node)
    _refuse_past_end(wanted.valid_until)
    if role not in Role.values:
        raise ValidationFailed(fields={"role": [_("Okänd roll.")]})
    _check_granting_rule(actor=actor, wanted=wanted)
    duplicate = ValidationFailed(fields={"role": [_("Användaren har redan den rollen där.")]})
    changes = {"recursive": wanted.recursive, "valid_until": wanted.valid_until}
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
            wanted=selectors.spec_of(assignment),
            error=exc,
            what="end",
            assignment_pk=assignment.pk,
        )
        raise
    permissions.forget_grants(assignment.user)
    return ended


def _role_revoke(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    _require_manage_roles(actor, assignment.node)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with transaction.atomic():
        current = (
            RoleAssignment.objects.select_for_update().select_related("node").get(pk=assignment.pk)
        )
        if current.valid_until is not None and current.valid_until <= yesterday:
            raise ValidationFailed(fields={"role": [_("Rollen är redan avslutad.")]})
        if not selectors.can_end(actor=actor, assignment=current):
            raise Forbidden(END_REFUSED)
        return update_audited(
            actor=actor,
            instance=current,
            changes={"valid_until": yesterday},
            scope_path=assignment.node.path,
        )


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
        scope_path=_scope_path_of(user),
        exclude=["password"],
    )


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
        scope_path=_scope_path_of(user),
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
        _require_may_manage_account(actor, user)
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
        _require_may_manage_account(actor, user)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(fields={"password": _password_messages(password, user)}) from exc
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


def user_deactivate(*, actor: Actor, user: User) -> User:
    """Deactivate an account: it can no longer sign in, and its API tokens are withdrawn."""
    _require_may_manage_account(actor, user)
    with transaction.atomic():
        updated = update_audited(
            actor=actor,
            instance=user,
            changes={"is_active": False},
            scope_path=_scope_path_of(user),
            exclude=["password"],
        )
        tokens_withdraw(user=updated, reason=WITHDRAWN_DEACTIVATED, actor=actor)
    return updated


def _require_may_manage_account(actor: Actor, user: User) -> None:
    """Who may reset, deactivate or switch off two-factor for an account other than their own.

    A superuser; otherwise someone who could have granted every role the person holds (the
    granting rule, ADR 0017) and may grant roles where the person works. Taking over a wider
    account would raise the actor's own rights through it, so that is refused.
    """
    if permissions.is_superuser(actor):
        return
    if user.is_superuser or user.home_unit is None:
        raise NotFound()
    _require_manage_roles(actor, user.home_unit)
    for assignment in (
        RoleAssignment.objects.filter(user_id=user.pk)
        .filter(ActiveAssignmentQ.on(timezone.localdate()))
        .select_related("node")
    ):
        if not selectors.can_end(actor=actor, assignment=assignment):
            raise Forbidden()


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
