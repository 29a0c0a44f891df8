from __future__ import annotations

from typing import Any

from rest_framework import authentication
from rest_framework.authtoken.models import Token


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`; the user is fetched in the same query as the token."""

    model = Token

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from rest_framework import exceptions

        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed() from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed()
        return (token.user, token)
