from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from itfabrik.accounts import selectors, services, twofactor
from itfabrik.core.errors import Throttled

from .forms import CodeForm, LanguageForm, LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            set_language_cookie(response, language)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


@login_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Save the language as the user's own choice, so it follows them to every sign-in."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("accounts:profile")
    code = form.cleaned_data["language"]
    services.user_set_language(actor=request.user, user=request.user, language=code)  # type: ignore[arg-type]
    translation.activate(code)
    messages.success(request, _("Språket är sparat."))
    response = redirect("accounts:profile")
    set_language_cookie(response, code)
    return response


def _safe_next(request: HttpRequest) -> str | None:
    """The `next` address only if it stays on this site (no open redirect after sign-in)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """Shown instead of the login when django-axes has locked the username and address."""
    err = Throttled()
    if request.path.startswith("/api/"):
        return JsonResponse({"error": err.as_dict()}, status=429)
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "locked_out": True}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "is_verified", lambda: False)():
        return redirect("core:home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request) or "core:home")
        form.add_error("code", twofactor.BAD_CODE)
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    if twofactor.has_device(request.user):
        return redirect(
            "accounts:profile"
            if getattr(request.user, "is_verified", lambda: False)()
            else "accounts:otp_verify"
        )
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm(request.user, device, form.cleaned_data["code"]):
            otp_login(request, device)
            messages.success(request, _("Tvåfaktorsinloggning är aktiverad."))
            return redirect("accounts:profile")
        form.add_error("code", twofactor.BAD_CODE)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(device),
            "secret": twofactor.secret_base32(device),
            "required": services.requires_two_factor(request.user),  # type: ignore[arg-type]
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    from rest_framework.authtoken.models import Token

    return render(
        request,
        "accounts/profile.html",
        {
            "assignments": selectors.own_assignment_list(actor=request.user),
            "has_device": twofactor.has_device(request.user),
            "token": Token.objects.filter(user__pk=request.user.pk or 0).first(),
            "language_form": LanguageForm(
                initial={
                    "language": getattr(request.user, "preferred_language", "")
                    or translation.get_language()
                }
            ),
        },
    )


@login_required
@require_POST
def token_rotate(request: HttpRequest) -> HttpResponse:
    services.token_rotate(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("En ny API-nyckel har skapats. Den gamla slutar gälla."))
    return redirect("accounts:profile")
