from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from itfabrik.core import audit_display, permissions
from itfabrik.core import selectors as core_selectors
from itfabrik.core.actors import Actor
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.permissions import VIEW_AUDIT
from itfabrik.core.web.forms import add_application_error, add_service_errors
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.tenancy import permissions as actions
from itfabrik.tenancy import selectors, services
from itfabrik.tenancy.choices import ALLOWED_CHILDREN, NodeKind

from .forms import (
    CloseForm,
    CooperationForm,
    HostForm,
    InhabitantsForm,
    JoinForm,
    LeaveForm,
    NodeCreateForm,
    NodeEditForm,
    NodeFilterForm,
    PositionCloseForm,
    PositionForm,
)


@login_required
def node_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    municipalities = list(
        selectors.node_list(actor=actor, kind=NodeKind.MUNICIPALITY).order_by("name")
    )
    form = NodeFilterForm(request.GET or None, municipalities=municipalities)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "kind": data.get("kind") or None,
            "municipality_id": data.get("municipality"),
            "search": data.get("q") or None,
            "include_inactive": bool(data.get("inactive")),
        }
    qs = selectors.node_list(actor=actor, with_facts=False, **filters).order_by("path")
    page = paginate(request, qs.values_list("pk", flat=True))
    page.object_list = selectors.node_facts_list(list(page.object_list))
    template = "tenancy/_node_table.html" if request.htmx else "tenancy/node_list.html"  # type: ignore[attr-defined]
    return render(
        request, template, {"form": form, "page": page, "qs": querystring_without_page(request)}
    )


@login_required
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    node = selectors.node_get(actor=actor, pk=pk)
    context: dict[str, Any] = {
        "node": node,
        "ancestors": selectors.node_ancestor_list(actor=actor, node=node),
        "children": paginate(request, selectors.node_child_list(actor=actor, node=node)),
        "can_change": permissions.can(actor, actions.CHANGE_NODE, node),
        "can_add": permissions.can(actor, actions.ADD_NODE, node)
        and bool(ALLOWED_CHILDREN.get(node.kind)),
    }
    context["can_close"] = (
        context["can_change"] and node.is_active and node.kind in services.CLOSABLE_KINDS
    )
    if node.kind == NodeKind.MUNICIPALITY:
        context["inhabitants"] = selectors.inhabitant_count_list(actor=actor, municipality=node)[
            :10
        ]
        if context["can_change"]:
            context["inhabitants_form"] = InhabitantsForm(initial={"source": "SCB"})
        context["memberships"] = selectors.membership_list(actor=actor, municipality_id=node.pk)
    if permissions.can(actor, VIEW_AUDIT, node):
        context["history"] = audit_display.attach(
            core_selectors.object_audit_list(actor=actor, instance=node)[:20]
        )
    return render(request, "tenancy/node_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    node = selectors.node_get(actor=actor, pk=pk)
    permissions.require(actor, actions.CHANGE_NODE, node)
    initial = {
        "version": node.version,
        "name": node.name,
        "municipal_code": node.municipal_code,
        "organisation_number": node.organisation_number,
        "email_domain": node.email_domain,
        "cost_centre": node.cost_centre,
    }
    form = NodeEditForm(request.POST or None, initial=initial, kind=node.kind)
    if request.method == "POST" and not form.is_valid():
        add_service_errors(
            form,
            lambda **values: services.node_update_check(actor=actor, node=node, **values),
            drop=("version",),
        )
    elif request.method == "POST":
        values = dict(form.cleaned_data)
        version = values.pop("version")
        try:
            services.node_update(actor=actor, node=node, expected_version=version, **values)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("tenancy:node_detail", pk=node.pk)
    return render(request, "tenancy/node_form.html", {"form": form, "node": node, "mode": "edit"})


@login_required
@require_http_methods(["GET", "POST"])
def node_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a unit or administration, after a confirmation that says what it means."""
    actor = request.user
    node = selectors.node_get(actor=actor, pk=pk)
    if not permissions.can(actor, actions.CHANGE_NODE, node) or node.kind not in (
        services.CLOSABLE_KINDS
    ):
        raise NotFound()
    from django.utils import timezone

    form = CloseForm(
        request.POST or None,
        initial={"version": node.version, "closed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.node_close(
                actor=actor,
                node=node,
                closed_on=form.cleaned_data["closed_on"],
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("%(name)s har avvecklats.") % {"name": node.name})
            return redirect("tenancy:node_detail", pk=node.pk)
    open_children = selectors.node_child_list(actor=actor, node=node).filter(is_active=True)
    return render(
        request,
        "tenancy/node_close.html",
        {"node": node, "form": form, "open_children": open_children[:20]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def inhabitants_remove(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Remove a year's inhabitant count entered by mistake, after a confirmation."""
    actor = request.user
    node = selectors.node_get(actor=actor, pk=pk)
    if node.kind != NodeKind.MUNICIPALITY or not permissions.can(actor, actions.CHANGE_NODE, node):
        raise NotFound()
    count = (
        selectors.inhabitant_count_list(actor=actor, municipality=node).filter(year=year).first()
    )
    if count is None:
        raise NotFound()
    if request.method == "POST":
        try:
            services.inhabitants_remove(actor=actor, count=count)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("Invånarantalet för %(year)s är borttaget.") % {"year": year}
            )
        return redirect("tenancy:node_detail", pk=node.pk)
    return render(request, "tenancy/inhabitants_remove.html", {"node": node, "count": count})


@login_required
@require_http_methods(["POST"])
def node_inhabitants(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    node = selectors.node_get(actor=actor, pk=pk)
    if node.kind != NodeKind.MUNICIPALITY or not permissions.can(actor, actions.CHANGE_NODE, node):
        raise NotFound()
    form = InhabitantsForm(request.POST)
    if not form.is_valid():
        add_service_errors(form, services.inhabitants_check)
    else:
        try:
            services.inhabitants_set(actor=actor, municipality=node, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Invånarantalet är sparat."))
            return redirect("tenancy:node_detail", pk=node.pk)
    return render(request, "tenancy/inhabitants_form.html", {"form": form, "node": node})


@login_required
@require_http_methods(["GET", "POST"])
def node_add_child(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    parent = selectors.node_get(actor=actor, pk=pk)
    allowed = sorted(ALLOWED_CHILDREN.get(parent.kind, frozenset()))
    if not permissions.can(actor, actions.ADD_NODE, parent) or not allowed:
        raise NotFound()
    form = NodeCreateForm(request.POST or None, allowed_kinds=allowed)
    if request.method == "POST" and not form.is_valid():
        add_service_errors(
            form, lambda **values: services.node_create_check(actor=actor, parent=parent, **values)
        )
    elif request.method == "POST":
        try:
            node = services.node_create(actor=actor, parent=parent, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("%(name)s har lagts till.") % {"name": node.name})
            return redirect("tenancy:node_detail", pk=node.pk)
    return render(request, "tenancy/node_form.html", {"form": form, "node": parent, "mode": "add"})


def _membership_cooperation(request: HttpRequest) -> Any:
    actor = request.user
    for coop in selectors.cooperation_list(actor=actor):
        if coop.root is not None and permissions.can(actor, actions.MANAGE_MEMBERSHIP, coop.root):
            return coop
    raise NotFound()


@login_required
@require_http_methods(["GET", "POST"])
def membership_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coop = _membership_cooperation(request)
    memberships = selectors.membership_list(actor=actor, cooperation_id=coop.pk)
    municipalities = list(selectors.municipality_list(actor=actor, cooperation=coop))
    candidates = [m for m in municipalities if not m.is_member]
    form = JoinForm(request.POST or None, candidates=candidates)

    def check(*, municipality: int | None = None, **values: Any) -> None:
        node = None if municipality is None else selectors.node_get(actor=actor, pk=municipality)
        services.municipality_join_check(actor=actor, cooperation=coop, municipality=node, **values)

    if request.method == "POST" and not form.is_valid():
        add_service_errors(form, check)
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            municipality = selectors.node_get(actor=actor, pk=data["municipality"])
            services.municipality_join(
                actor=actor,
                cooperation=coop,
                municipality=municipality,
                joined_on=data["joined_on"],
                decision_reference=data["decision_reference"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s är medlem från %(date)s.")
                % {"name": municipality.name, "date": data["joined_on"].isoformat()},
            )
            return redirect("tenancy:membership_list")
    host_form = HostForm(
        initial={"version": coop.version, "host": coop.host_id},
        members=[m for m in municipalities if m.is_member],
    )
    return render(
        request,
        "tenancy/membership_list.html",
        {
            "cooperation": coop,
            "memberships": memberships,
            "form": form,
            "candidates": candidates,
            "host_form": host_form,
        },
    )


@login_required
@require_http_methods(["POST"])
def cooperation_host(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coop = _membership_cooperation(request)
    members = [m for m in selectors.municipality_list(actor=actor, cooperation=coop) if m.is_member]
    form = HostForm(request.POST, members=members)
    if form.is_valid():
        try:
            host = selectors.node_get(actor=actor, pk=form.cleaned_data["host"])
            services.cooperation_set_host(
                actor=actor,
                cooperation=coop,
                host=host,
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            # The field's message says why (e.g. the municipality is leaving), not just "invalid".
            field_messages = [str(m) for msgs in exc.fields.values() for m in msgs]
            messages.error(request, " ".join(field_messages) or str(exc.message))
        else:
            messages.success(request, _("%(name)s är nu värdkommun.") % {"name": host.name})
    else:
        messages.error(request, _("Välj en medlemskommun."))
    return redirect("tenancy:membership_list")


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    _membership_cooperation(request)
    membership = selectors.membership_get(actor=actor, pk=pk)
    form = LeaveForm(request.POST or None, initial={"version": membership.version})
    if request.method == "POST" and not form.is_valid():
        add_service_errors(
            form,
            lambda **values: services.municipality_leave_check(
                actor=actor, membership=membership, **values
            ),
            drop=("version",),
        )
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            services.municipality_leave(
                actor=actor,
                membership=membership,
                left_on=data["left_on"],
                expected_version=data["version"],
                decision_reference=data["decision_reference"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Medlemskapet är avslutat."))
            return redirect("tenancy:membership_list")
    return render(request, "tenancy/membership_end.html", {"membership": membership, "form": form})


@login_required
def it_organisation(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not permissions.can_anywhere(actor, actions.VIEW_POSITION):
        raise NotFound()
    coop = selectors.current_cooperation_get(request)
    if coop is None:
        raise NotFound()
    positions = list(
        selectors.position_list(actor=actor, cooperation_id=coop.pk, include_closed=False)
    )
    teams: dict[int, dict[str, Any]] = {}
    for p in positions:
        teams.setdefault(
            p.team_id,
            {
                "team": p.team,
                "positions": [],
                # In memory: the grants are read once per request.
                "can_change": permissions.can(actor, actions.CHANGE_NODE, p.team),
            },
        )["positions"].append(p)
    org = selectors.it_organisation_get(actor=actor, cooperation=coop)
    return render(
        request,
        "tenancy/it_organisation.html",
        {
            "cooperation": coop,
            "org": org,
            "teams": list(teams.values()),
            "total": len(positions),
            "can_add": org is not None and permissions.can(actor, actions.CHANGE_NODE, org),
        },
    )


@login_required
def node_search(request: HttpRequest) -> HttpResponse:
    """Options for a node search field (widgets.node_search_widget): at most 20, scoped."""
    from itfabrik.core.web.widgets import search_request

    from .widgets import search_action

    actor = request.user
    action = search_action(request.GET.get("behorighet"))
    query, listbox = search_request(request, "nodes")
    limit = selectors.SEARCH_LIMIT
    nodes = selectors.node_choice_list(actor=actor, action=action, query=query, limit=limit + 1)
    return render(
        request,
        "tenancy/_node_options.html",
        {"nodes": nodes[:limit], "more": len(nodes) > limit, "listbox": listbox, "q": query},
    )


def _position_form_choices(actor: Actor, coop: Any) -> dict[str, list[Any]]:
    teams = [
        t
        for t in selectors.position_team_list(actor=actor, cooperation=coop)
        if permissions.can(actor, actions.CHANGE_NODE, t)
    ]
    people = list(selectors.position_holder_list(actor=actor, cooperation=coop))
    return {"teams": teams, "people": people}


def _position_check(actor: Actor, check: Callable[..., None]) -> Callable[..., None]:
    """The service's `…_check` on the fields that parsed, with their ids as objects."""

    def run(**values: Any) -> None:
        resolved, errors = selectors.position_refs_get(actor=actor, values=values)
        check(errors=errors, **resolved)

    return run


def _position_values(actor: Actor, data: dict[str, Any], check: Callable[..., None]) -> Any:
    """The form's values with ids as objects. A holder id that is no choice is refused together
    with everything else that is wrong (the check raises), not alone."""
    values, errors = selectors.position_refs_get(
        actor=actor, values={k: v for k, v in data.items() if k != "version"}
    )
    if errors:
        check(errors=errors, **values)
    return values


def _position_cooperation(request: HttpRequest) -> Any:
    """The cooperation whose IT organisation the actor may manage positions in (else 404)."""
    coop = selectors.current_cooperation_get(request)
    org = selectors.it_organisation_get(actor=request.user, cooperation=coop) if coop else None
    if org is None or not permissions.can(request.user, actions.CHANGE_NODE, org):
        raise NotFound()
    return coop


@login_required
@require_http_methods(["GET", "POST"])
def position_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coop = _position_cooperation(request)
    form = PositionForm(request.POST or None, **_position_form_choices(actor, coop))

    def check(**values: Any) -> None:
        services.position_create_check(actor=actor, **values)

    if request.method == "POST" and not form.is_valid():
        add_service_errors(form, _position_check(actor, check), drop=("version",))
    elif request.method == "POST":
        try:
            position = services.position_create(
                actor=actor, **_position_values(actor, form.cleaned_data, check)
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Tjänsten %(title)s är skapad.") % {"title": position})
            return redirect("tenancy:it_organisation")
    return render(request, "tenancy/position_form.html", {"form": form, "position": None})


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    position = selectors.position_get(actor=actor, pk=pk)
    if position.closed_on is not None or not permissions.can(
        actor, actions.CHANGE_NODE, position.team
    ):
        raise NotFound()
    initial = {
        "version": position.version,
        "title": position.title,
        "line": position.line,
        "specialisation": position.specialisation,
        "team": position.team_id,
        "holder": position.holder_id,
    }
    form = PositionForm(
        request.POST or None,
        initial=initial,
        **_position_form_choices(actor, position.team.cooperation),
    )

    def check(**values: Any) -> None:
        services.position_update_check(actor=actor, position=position, **values)

    if request.method == "POST" and not form.is_valid():
        add_service_errors(form, _position_check(actor, check), drop=("version",))
    elif request.method == "POST":
        try:
            services.position_update(
                actor=actor,
                position=position,
                expected_version=form.cleaned_data["version"],
                **_position_values(actor, form.cleaned_data, check),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("tenancy:it_organisation")
    close_form = PositionCloseForm(initial={"version": position.version})
    return render(
        request,
        "tenancy/position_form.html",
        {"form": form, "position": position, "close_form": close_form},
    )


@login_required
@require_http_methods(["POST"])
def position_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    position = selectors.position_get(actor=actor, pk=pk)
    if position.closed_on is not None or not permissions.can(
        actor, actions.CHANGE_NODE, position.team
    ):
        raise NotFound()
    close_form = PositionCloseForm(request.POST)
    if close_form.is_valid():
        try:
            services.position_close(
                actor=actor,
                position=position,
                closed_on=close_form.cleaned_data["closed_on"],
                expected_version=close_form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            add_application_error(close_form, exc)
        else:
            messages.success(request, _("Tjänsten %(title)s är avslutad.") % {"title": position})
            return redirect("tenancy:it_organisation")
    form = PositionForm(
        initial={
            "version": position.version,
            "title": position.title,
            "line": position.line,
            "specialisation": position.specialisation,
            "team": position.team_id,
            "holder": position.holder_id,
        },
        **_position_form_choices(actor, position.team.cooperation),
    )
    return render(
        request,
        "tenancy/position_form.html",
        {"form": form, "position": position, "close_form": close_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_create(request: HttpRequest) -> HttpResponse:
    """A new cooperation with the root of its tree. Superusers only: the first administrator
    of a cooperation still comes from a command (see the operations guide)."""
    actor = request.user
    if not permissions.is_superuser(actor):
        raise NotFound()
    form = CooperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            coop = services.cooperation_create(
                actor=actor,
                name=data["name"],
                slug=data["slug"],
                root_name=data["root_name"] or None,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("%(name)s har lagts till.") % {"name": coop.name})
            return redirect("tenancy:node_detail", pk=coop.root_id)
    return render(request, "tenancy/cooperation_form.html", {"form": form})
