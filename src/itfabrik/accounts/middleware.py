from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from itfabrik.core.errors import Forbidden

from . import twofactor

# Only what a half-signed-in user needs: the code pages, signing out, assets, the language switch
# and the accessibility statement. Everything else (the profile with its API key included) waits.
EXEMPT_PREFIXES = (
    "/konto/logga-in/",
    "/konto/logga-ut/",
    "/konto/tvafaktor/",
    "/static/",
    "/i18n/",
)
# Pages of other apps, by URL name (accounts does not import them; an app that is not installed
# is simply not exempted).
EXEMPT_URL_NAMES = ("accessibility:report",)


@functools.cache
def exempt_prefixes() -> tuple[str, ...]:
    from django.urls import NoReverseMatch, reverse

    found = []
    for name in EXEMPT_URL_NAMES:
        try:
            found.append(reverse(name))
        except NoReverseMatch:
            continue
    return EXEMPT_PREFIXES + tuple(found)


class TwoFactorMiddleware:
    """A signed-in user who must give a TOTP code is held at the code page until they do."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(exempt_prefixes())
            and not getattr(user, "is_verified", lambda: False)()
            and twofactor.needs_code(user)
        ):
            if request.path.startswith("/api/"):
                err = Forbidden(twofactor.CODE_REQUIRED, code="two_factor_required")
                return JsonResponse({"error": err.as_dict()}, status=403)
            from urllib.parse import urlencode

            from django.urls import reverse

            name = "accounts:otp_verify" if twofactor.has_device(user) else "accounts:otp_setup"
            # Keep where the user was going; otp_verify only follows it within this site.
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
