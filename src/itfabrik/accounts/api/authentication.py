from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from itfabrik.core.errors import NotAuthenticated

WRONG_SCHEME = _(
    "Skicka API-nyckeln i huvudet Authorization som ”Token <nyckel>”, inte ”%(scheme)s …”. "
    "En nyckel får du på sidan Mitt konto → API-nyckel eller från POST /api/v1/auth/token/."
)


class WrongScheme(exceptions.AuthenticationFailed):
    """An Authorization header with another scheme than Token (e.g. "Bearer …")."""

    def __init__(self, scheme: str) -> None:
        from itfabrik.core.errors import lazy_format

        super().__init__(code="wrong_scheme")
        # The API's error handler answers with this instead of the generic "log in" message.
        self.application_error = NotAuthenticated(
            lazy_format(WRONG_SCHEME, scheme=scheme[:20]), code="wrong_scheme"
        )


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`; the user is fetched in the same query as the token."""

    model = Token

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        auth = authentication.get_authorization_header(request).split()
        if auth and auth[0].lower() != self.keyword.lower().encode():
            # Another scheme: DRF would ignore the header and answer "not signed in", which
            # does not tell the client what is wrong. (Session sign-in needs no header.)
            raise WrongScheme(auth[0].decode("latin-1", "replace"))
        return super().authenticate(request)

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed() from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed()
        return (token.user, token)
