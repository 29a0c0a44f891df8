"""Optional OpenID Connect sign-in (e.g. Entra ID). Only signs in accounts that already exist.

Logins are created by the administrator or the identity lifecycle, never by a first sign-in: a
person who has no login in itfabrik is refused instead of getting one with no roles.

The person is recognised by a claim that never changes: Entra ID's `oid` (the object id, the
same for every application), else the standard `sub`. At the first sign-in the login is found
through a registered matcher (identity: the provisioned account the token names, by its SCIM
externalId or its userName), else by the e-mail address; from then on the login is tied to that
identity, so a renamed or reused address at the provider can never hand it to someone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from itfabrik.core.errors import ApplicationError


def issuer(claims: dict[str, Any]) -> str:
    """The identity provider, as configured (OIDC_OP_ISSUER), else as the token says (`iss`)."""
    configured = getattr(settings, "OIDC_OP_ISSUER", "")
    return str(configured or claims.get("iss") or "").strip()


def stable_subject(claims: dict[str, Any]) -> str:
    """Entra ID's object id when present, else the subject: the claim that never changes."""
    return str(claims.get("oid") or claims.get("sub") or "").strip()


# An app above this one (identity) may know the person behind the claims better than an address
# does: the provisioned account named by the token. A matcher answers the login to sign in,
# REFUSE to stop the sign-in (the person's account is disabled), or None to leave the choice to
# the next matcher and finally to the e-mail address.
AccountMatcher = Callable[[dict[str, Any]], Any]
REFUSE = object()
_matchers: list[AccountMatcher] = []


def register_account_matcher(matcher: AccountMatcher) -> AccountMatcher:
    if matcher not in _matchers:
        _matchers.append(matcher)
    return matcher


class OIDCBackend(OIDCAuthenticationBackend):
    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        # Entra ID puts `oid` (and `iss`) in the verified ID token, not in the userinfo answer.
        userinfo = super().get_userinfo(access_token, id_token, payload)
        return {**(payload or {}), **(userinfo or {})}

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        active = self.UserModel.objects.filter(is_active=True)
        subject, iss = stable_subject(claims), issuer(claims)
        if subject and iss:
            linked = self.UserModel.objects.filter(oidc_issuer=iss, oidc_subject=subject)
            if linked.exists():
                return linked.filter(is_active=True)
        if not subject or not iss:
            return self.UserModel.objects.none()
        for match in _matchers:
            found = match(claims)
            if found is REFUSE:
                return self.UserModel.objects.none()
            if found is not None:
                # Not yet tied to an identity: one tied to another is not handed over.
                return active.filter(pk=found.pk, oidc_subject="")
        email = (claims.get("email") or claims.get("upn") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        # Only an account not yet tied to any identity is found by its address.
        return active.filter(email__iexact=email, oidc_subject="")

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        from . import services

        try:
            return services.user_link_oidc(
                user=user, issuer=issuer(claims), subject=stable_subject(claims)
            )
        except ApplicationError:
            return None  # the account is tied to someone else: no sign-in


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """After an OIDC sign-in, the user's saved language applies, as after a local sign-in."""

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        from .web.views import set_language_cookie

        language = getattr(self.user, "preferred_language", "")
        if language:
            set_language_cookie(response, language)
        return response
