"""User administration: find a person, create, correct or deactivate an account, grant and end
roles. For those who may see and grant them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from itfabrik.accounts import permissions as actions
from itfabrik.accounts import rules, selectors, services
from itfabrik.accounts.choices import Role
from itfabrik.accounts.validation import USERNAME_MESSAGE, USERNAME_RE
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import ApplicationError, Forbidden, NotFound, ValidationFailed
from itfabrik.core.permissions import VIEW_AUDIT
from itfabrik.core.registry import actions_for
from itfabrik.core.roles import STAFF_ROLES
from itfabrik.core.web.forms import DateField, add_application_error, add_service_errors
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.tenancy import permissions as tenancy_actions
from itfabrik.tenancy.web.widgets import NodeSearchField

# A role that reaches beyond the holder's own work: granting it asks for a confirmation that
# says what it gives access to.
PRIVILEGED_ROLES = frozenset({Role.COOPERATION_ADMIN, *STAFF_ROLES})
# What the confirmation says a role gives. Actions without a sentence here are left out of it
# (the start-page overviews, and apps added later until they add theirs).
ACTION_LABELS = {
    tenancy_actions.VIEW_NODE: gettext_lazy("se organisationen"),
    tenancy_actions.CHANGE_NODE: gettext_lazy("ändra och avveckla enheter"),
    tenancy_actions.ADD_NODE: gettext_lazy("lägga till enheter"),
    tenancy_actions.MANAGE_MEMBERSHIP: gettext_lazy("hantera kommunernas medlemskap"),
    tenancy_actions.VIEW_POSITION: gettext_lazy("se IT-organisationens tjänster"),
    actions.VIEW_USER: gettext_lazy("se användare"),
    actions.MANAGE_ROLES: gettext_lazy("skapa konton och tilldela roller"),
    VIEW_AUDIT: gettext_lazy("läsa granskningsloggen"),
}


class UserSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Sök namn, användarnamn eller e-post"), required=False)


class RoleAssignmentForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Roll"))
    node = NodeSearchField(label=gettext_lazy("Gäller för"), action=actions.MANAGE_ROLES)
    recursive = forms.BooleanField(
        label=gettext_lazy("Gäller även underliggande enheter"), required=False, initial=False
    )
    valid_from = DateField(
        label=gettext_lazy("Gäller från"),
        required=False,
        help_text=gettext_lazy("ÅÅÅÅ-MM-DD. Lämna tomt för en roll som gäller från i dag."),
    )
    valid_until = DateField(
        label=gettext_lazy("Gäller till"),
        required=False,
        help_text=gettext_lazy("ÅÅÅÅ-MM-DD. Lämna tomt för en roll som gäller tills vidare."),
    )
    # Set when the person granting has seen what a privileged role gives (see user_detail).
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Välj roll")), *Role.choices]  # type: ignore[attr-defined]
        self.fields["node"].actor = actor  # type: ignore[attr-defined]

    def confirm_key(self) -> str:
        d = self.cleaned_data
        return f"{d['role']}:{d['node'].pk}:{int(bool(d['recursive']))}"


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
    home_unit = NodeSearchField(label=gettext_lazy("Arbetsplats"), action=actions.MANAGE_ROLES)
    password = forms.CharField(
        label=gettext_lazy("Lösenord"),
        required=False,
        strip=False,  # used exactly as typed, as at sign-in
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Lämna tomt för konton som bara loggar in via e-legitimation/SSO."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].actor = actor  # type: ignore[attr-defined]


class UserEditForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Efternamn"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("E-post"), required=False)
    home_unit = NodeSearchField(label=gettext_lazy("Arbetsplats"), action=actions.MANAGE_ROLES)
    is_active = forms.BooleanField(
        label=gettext_lazy("Kontot är aktivt"),
        required=False,
        help_text=gettext_lazy(
            "Ett inaktiverat konto kan inte logga in: personen loggas ut direkt och "
            "API-nyckeln slutar gälla. Kontot och dess historik finns kvar och kan aktiveras igen."
        ),
    )

    def __init__(self, *args: Any, actor: Actor, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["home_unit"]
        field.actor = actor  # type: ignore[attr-defined]
        field.set_initial_node(  # type: ignore[attr-defined]
            person.home_unit, getattr(person, "home_unit_administration", None), current=True
        )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not permissions.can_anywhere(actor, actions.MANAGE_ROLES):
        raise NotFound()
    form = UserCreateForm(request.POST or None, actor=actor)
    if request.method == "POST" and not form.is_valid():
        # Every reason at once: the service's rules on the fields that parsed, too.
        add_service_errors(form, lambda **values: services.user_create_check(actor=actor, **values))
    elif request.method == "POST":
        data = dict(form.cleaned_data)
        try:
            person = services.user_create(
                actor=actor,
                home_unit=data.pop("home_unit"),
                password=data.pop("password") or None,
                **data,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.warning(
                request,
                _(
                    "Kontot är skapat. Personen har ingen roll ännu och kommer inte åt något "
                    "förrän du tilldelar en roll nedan."
                ),
            )
            return redirect(reverse("accounts:user_detail", args=[person.pk]) + "?ny=1")
    return render(request, "accounts/user_form.html", {"form": form, "mode": "create"})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    if not permissions.can_anywhere(actor, actions.MANAGE_ROLES):
        raise NotFound()
    person = selectors.user_get(actor=actor, pk=pk)
    if person.home_unit is not None and not permissions.can(
        actor, actions.MANAGE_ROLES, person.home_unit
    ):
        raise NotFound()
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "home_unit": person.home_unit_id,
        "is_active": person.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial, actor=actor, person=person)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        if "home_unit" in changes and changes["home_unit"].pk == person.home_unit_id:
            del changes["home_unit"]
        try:
            services.user_update(actor=actor, user=person, **changes)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            if changes.get("is_active") is False:
                messages.success(request, _("Kontot är inaktiverat. Personen är utloggad."))
            elif changes.get("is_active") is True:
                messages.success(request, _("Kontot är aktiverat igen."))
            else:
                messages.success(request, _("Ändringarna är sparade."))
            return redirect("accounts:user_detail", pk=person.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "mode": "edit", "person": person}
    )


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


def _grantable(actor: Actor, data: dict[str, Any]) -> bool:
    """Whether the grant would pass the granting rule: only then is it worth confirming. One
    that would not goes straight to the service, which refuses it (audited) with the reason."""
    today = timezone.localdate()
    start = data["valid_from"] or today
    wanted = rules.GrantSpec(
        data["role"], data["node"].path, bool(data["recursive"]), data["valid_until"], start
    )
    end = data["valid_until"]
    if start < today or (end is not None and (end < today or end < start)):
        return False  # a date the service refuses with a field message
    return selectors.grant_refusal_get(actor=actor, wanted=wanted) is None


def _privileged_summary(role: str, node: Any, recursive: bool) -> dict[str, Any]:
    """What a privileged grant gives: the node, how many units below it, the actions."""
    from itfabrik.tenancy.models import OrgNode

    below = (
        OrgNode.objects.filter(path__startswith=node.path, is_active=True)
        .exclude(pk=node.pk)
        .count()
        if recursive
        else 0
    )
    return {
        "role": Role(role).label,
        "node": node,
        "below": below,
        "actions": [ACTION_LABELS[a] for a in sorted(actions_for(role) & ACTION_LABELS.keys())],
    }


def _time_group(assignment: Any, today: Any) -> str:
    """Ended, still to come, or current (active today): the person page shows them apart."""
    if assignment.valid_until is not None and assignment.valid_until < today:
        return "ended"
    if assignment.valid_from > today:
        return "future"
    return "current"


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    if not permissions.can_anywhere(actor, actions.VIEW_USER):
        raise NotFound()
    person = selectors.user_get(actor=actor, pk=pk)
    can_grant = permissions.can_anywhere(actor, actions.MANAGE_ROLES)
    form = None
    confirm = None
    if can_grant:
        initial: dict[str, Any] = {}
        if request.GET.get("forslag") and person.home_unit_id:
            initial = {"role": Role.END_USER, "node": person.home_unit_id}
        form = RoleAssignmentForm(request.POST or None, initial=initial, actor=actor)
        if initial:
            form.fields["node"].set_initial_node(  # type: ignore[attr-defined]
                person.home_unit, getattr(person, "home_unit_administration", None)
            )
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            data = form.cleaned_data
            if (
                data["role"] in PRIVILEGED_ROLES
                and data["confirmed"] != form.confirm_key()
                and _grantable(actor, data)
            ):
                confirm = _privileged_summary(data["role"], data["node"], data["recursive"])
                post = request.POST.copy()
                post["confirmed"] = form.confirm_key()
                form = RoleAssignmentForm(post, actor=actor)
                form.is_valid()
            else:
                try:
                    services.role_assign_by_ids(
                        actor=actor,
                        user_id=person.pk,
                        node_id=data["node"].pk,
                        role=data["role"],
                        recursive=data["recursive"],
                        valid_from=data["valid_from"],
                        valid_until=data["valid_until"],
                    )
                except ApplicationError as exc:
                    add_application_error(form, exc)
                else:
                    messages.success(request, _("Rollen är tilldelad."))
                    return redirect("accounts:user_detail", pk=person.pk)
        else:
            # Every message after one submit: the service's rules on the fields that parsed too.
            add_service_errors(
                form,
                lambda **values: services.role_assign_check(actor=actor, user=person, **values),
                drop=("confirmed",),
            )
        if form is not None and form.has_error("node", "none"):
            # An explicit node the actor may not grant on (a tampered or stale id): the search
            # field refuses it, and the attempt is on record as the service's refusals are.
            raw = form["node"].data
            node_id = str((raw[0] if isinstance(raw, tuple) else raw) or "").strip()
            if node_id.isdecimal() and len(node_id) < 19:
                services.role_grant_refused(
                    actor=actor,
                    user_id=person.pk,
                    node_id=int(node_id),
                    role=str(request.POST.get("role", "")),
                    recursive=bool(request.POST.get("recursive")),
                    valid_until=None,
                    valid_from=None,
                )
    today = timezone.localdate()
    assignments = list(
        selectors.assignment_list(actor=actor, user_id=person.pk, include_ended=True)
    )
    # The end button only where the actor could have made the grant (ADR 0017).
    rows = [
        (a, can_grant and selectors.may_end_assignment(actor=actor, assignment=a))
        for a in assignments
    ]
    groups: dict[str, list[tuple[Any, bool]]] = {"current": [], "future": [], "ended": []}
    for row in rows:
        groups[_time_group(row[0], today)].append(row)
    can_edit = can_grant and (
        (person.home_unit is None and permissions.is_superuser(actor))
        or (
            person.home_unit is not None
            and permissions.can(actor, actions.MANAGE_ROLES, person.home_unit)
        )
    )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            **groups,
            "form": form,
            "confirm": confirm,
            "focus_grant": bool(request.GET.get("ny")),
            "can_edit": can_edit,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Ending a role asks first (GET shows what will end), then ends it as of yesterday."""
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    if request.method == "GET" and not selectors.may_end_assignment(
        actor=request.user, assignment=assignment
    ):
        raise Forbidden()  # seen (view_user) but not theirs to end; a POST is refused (audited)
    if request.method == "POST":
        try:
            services.role_revoke(actor=request.user, assignment=assignment)
        except ValidationFailed as exc:
            messages.error(request, str(exc.fields.get("role", [exc.message])[0]))
        else:
            messages.success(request, _("Rollen är avslutad."))
        return redirect("accounts:user_detail", pk=assignment.user_id)
    future = assignment.valid_from > timezone.localdate()
    return render(request, "accounts/role_end.html", {"assignment": assignment, "future": future})
