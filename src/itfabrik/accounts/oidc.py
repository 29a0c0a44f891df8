"""Optional OpenID Connect sign-in (e.g. Entra ID). Only matches existing accounts by e-mail.

Accounts are created by the identity lifecycle (later: SCIM), never by a first sign-in: a person
who has no account in itfabrik is refused instead of getting one with no roles.
"""

from __future__ import annotations

from typing import Any

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class OIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = (claims.get("email") or claims.get("upn") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)
