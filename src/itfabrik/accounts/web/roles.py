"""Users and their role assignments, for those who may see and grant them."""

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

from itfabrik.accounts import permissions as actions
from itfabrik.accounts import selectors, services
from itfabrik.accounts.choices import Role
from itfabrik.accounts.validation import USERNAME_MESSAGE, USERNAME_RE
from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.forms import DateField, add_application_error, add_service_errors
from itfabrik.core.web.pagination import paginate, querystring_without_page


def node_choices(nodes: list[Any]) -> list[tuple[int, str]]:
    """Select options in tree order, indented by depth (an em space per level)."""
    return [(n.pk, ("\u2003" * max(n.depth - 1, 0)) + n.name) for n in nodes]


class UserSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Sök namn, användarnamn eller e-post"), required=False)


class RoleAssignmentForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Roll"), choices=Role.choices)
    node = forms.TypedChoiceField(label=gettext_lazy("Gäller för"), coerce=int)
    recursive = forms.BooleanField(
        label=gettext_lazy("Gäller även underliggande"), required=False, initial=True
    )
    valid_until = DateField(label=gettext_lazy("Gäller till"), required=False)

    def __init__(self, *args: Any, nodes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = node_choices(nodes)  # type: ignore[attr-defined]


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("Användarnamn"),
        regex=USERNAME_RE,
        max_length=150,
        help_text=gettext_lazy("Bokstäver, siffror och @ . + - _"),
        error_messages={"invalid": USERNAME_MESSAGE},
    )
    first_name = forms.CharField(label=gettext_lazy("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Efternamn"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("E-post"), required=False)
    home_unit = forms.TypedChoiceField(label=gettext_lazy("Arbetsplats"), coerce=int)
    password = forms.CharField(
        label=gettext_lazy("Lösenord"),
        required=False,
        strip=False,  # used exactly as typed, as at sign-in
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Lämna tomt för konton som bara loggar in via e-legitimation/SSO."),
    )

    def __init__(self, *args: Any, nodes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].choices = node_choices(nodes)  # type: ignore[attr-defined]


def _user_create_check(actor: Any, *, home_unit: int | None = None, **values: Any) -> None:
    from itfabrik.tenancy.selectors import node_get

    unit = node_get(actor=actor, pk=home_unit) if home_unit is not None else None
    services.user_create_check(actor=actor, home_unit=unit, **values)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not permissions.can_anywhere(actor, actions.MANAGE_ROLES):
        raise NotFound()
    form = UserCreateForm(request.POST or None, nodes=list(selectors.assignable_nodes(actor=actor)))
    if request.method == "POST" and not form.is_valid():
        add_service_errors(form, lambda **values: _user_create_check(actor, **values))
    elif request.method == "POST":
        data = dict(form.cleaned_data)
        try:
            from itfabrik.tenancy.selectors import node_get

            home_unit = node_get(actor=actor, pk=data.pop("home_unit"))
            person = services.user_create(
                actor=actor, home_unit=home_unit, password=data.pop("password") or None, **data
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Kontot är skapat. Tilldela roller nedan."))
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_anywhere(request.user, actions.VIEW_USER):
        raise NotFound()
    form = UserSearchForm(request.GET or None)
    search = form.cleaned_data.get("q") if form.is_valid() else None
    page = paginate(request, selectors.user_list(actor=request.user, search=search or None))
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "page": page,
            "qs": querystring_without_page(request),
            "can_create": permissions.can_anywhere(request.user, actions.MANAGE_ROLES),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    if not permissions.can_anywhere(actor, actions.VIEW_USER):
        raise NotFound()
    person = selectors.user_get(actor=actor, pk=pk)
    can_grant = permissions.can_anywhere(actor, actions.MANAGE_ROLES)
    nodes = list(selectors.assignable_nodes(actor=actor)) if can_grant else []
    form = RoleAssignmentForm(request.POST or None, nodes=nodes) if can_grant else None
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.role_assign_by_ids(
                    actor=actor,
                    user_id=person.pk,
                    node_id=data["node"],
                    role=data["role"],
                    recursive=data["recursive"],
                    valid_until=data["valid_until"],
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Rollen är tilldelad."))
                return redirect("accounts:user_detail", pk=person.pk)
    assignments = selectors.assignment_list(actor=actor, user_id=person.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "assignments": [
                # The end button only where the actor could have made the grant (ADR 0017).
                (a, selectors.can_end(actor=actor, assignment=a))
                for a in assignments
            ],
            "form": form,
        },
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    user_pk = assignment.user_id
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("Rollen är borttagen."))
    return redirect("accounts:user_detail", pk=user_pk)
