"""The SCIM tokens page (ADR 0038): an administrator lists, creates and revokes the bearer
tokens of SCIM clients. A new token's secret is shown once, in the answer to the POST that made
it; only its hash is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.forms import add_application_error
from itfabrik.identity import permissions as actions
from itfabrik.identity import selectors
from itfabrik.identity.services import provisioning
from itfabrik.tenancy.models import Cooperation


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Namn"),
        max_length=100,
        help_text=gettext_lazy("Vad nyckeln är till för, t.ex. ”Entra ID”."),
    )
    cooperation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Samverkan"), queryset=None, empty_label=None
    )

    def __init__(self, *args: Any, cooperations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cooperation"].queryset = cooperations  # type: ignore[attr-defined]
        if cooperations.count() == 1:
            self.fields["cooperation"].widget = forms.HiddenInput()
            self.fields["cooperation"].initial = cooperations.first()


def _cooperations(request: HttpRequest) -> Any:
    pks = [
        c.pk
        for c in Cooperation.objects.select_related("root").filter(root__isnull=False)
        if permissions.can(request.user, actions.MANAGE_PROVISIONING, c.root)
    ]
    return Cooperation.objects.filter(pk__in=pks).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def scim_tokens(request: HttpRequest) -> HttpResponse:
    if not selectors.may_manage_provisioning(request.user):
        raise NotFound()
    cooperations = _cooperations(request)
    form = TokenForm(request.POST or None, cooperations=cooperations)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = provisioning.scim_token_create(
                actor=request.user,
                cooperation=form.cleaned_data["cooperation"],
                name=form.cleaned_data["name"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            form = TokenForm(cooperations=cooperations)
    response = render(
        request,
        "identity/scim_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": selectors.scim_token_list(actor=request.user),
            "base": request.build_absolute_uri("/scim/v2"),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def scim_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.scim_token_list(actor=request.user).filter(pk=pk).first()
    if token is None:
        raise NotFound()
    provisioning.scim_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Nyckeln är återkallad."))
    return redirect("identity:scim_tokens")
