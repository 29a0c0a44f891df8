from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from itfabrik.catalog import permissions as actions
from itfabrik.catalog import selectors, services
from itfabrik.catalog.choices import Approval, LineDecision, OrderStatus
from itfabrik.catalog.models import Order
from itfabrik.catalog.services import LineInput
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page

from .forms import (
    CatalogueSearchForm,
    OrderActionForm,
    OrderFilterForm,
    OrderForm,
    SubscriptionChangeForm,
    SubscriptionFilterForm,
)


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue: services per area and packages with their contents, at today's prices."""
    actor = request.user
    form = CatalogueSearchForm(request.GET or None)
    search = form.cleaned_data.get("q") or None if form.is_valid() else None
    services_qs = list(selectors.service_list(actor=actor, search=search))
    areas: dict[int, dict[str, Any]] = {}
    for s in services_qs:
        areas.setdefault(s.area_id, {"area": s.area, "services": []})["services"].append(s)
    packages = list(selectors.package_list(actor=actor, search=search))
    coop_ids = {s.cooperation_id for s in services_qs} | {p.cooperation_id for p in packages}
    price_list = (
        selectors.price_list_in_force_get(cooperation_id=min(coop_ids), day=timezone.localdate())
        if coop_ids
        else None
    )
    return render(
        request,
        "catalog/catalogue.html",
        {
            "form": form,
            "search": search,
            "areas": list(areas.values()),
            "packages": packages,
            "price_list": price_list,
            "count": len(services_qs) + len(packages),
            "can_order": permissions.can_anywhere(actor, actions.ORDER),
        },
    )


def _require_orderer(request: HttpRequest) -> None:
    if not permissions.can_anywhere(request.user, actions.ORDER):
        raise NotFound()


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_orderer(request)
    units = list(selectors.orderable_unit_list(actor=actor))
    packages = list(selectors.package_list(actor=actor))
    services_list = list(selectors.service_list(actor=actor))
    initial: dict[str, Any] = {"quantity": 1}
    if request.GET.get("item"):
        initial["item"] = request.GET["item"]
    home = getattr(actor, "home_unit_id", None)
    if any(u.pk == home for u in units):
        initial["unit"] = home
    form = OrderForm(
        request.POST or None,
        initial=initial,
        units=units,
        packages=packages,
        services=services_list,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _sep, pk = data["item"].partition(":")
        try:
            unit = selectors.orderable_unit_get(actor=actor, pk=data["unit"])
            line = (
                LineInput(data["quantity"], package=selectors.package_get(actor=actor, pk=pk))
                if kind == "package"
                else LineInput(data["quantity"], service=selectors.service_get(actor=actor, pk=pk))
            )
            order = services.order_create(actor=actor, unit=unit, lines=[line], note=data["note"])
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Beställningen %(number)s är sparad som utkast. Skicka den när den är klar.")
                % {"number": str(order)},
            )
            return redirect("catalog:order_detail", pk=order.pk)
    return render(request, "catalog/order_form.html", {"form": form, "units": units})


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """ "Mina beställningar": the actor's own orders, or every order of their units."""
    actor = request.user
    if not permissions.can_anywhere(actor, actions.VIEW_ORDERS):
        raise NotFound()
    form = OrderFilterForm(request.GET or None)
    status = None
    mine = True
    if form.is_valid():
        status = form.cleaned_data.get("status") or None
        mine = form.cleaned_data.get("scope") != "units"
    qs = selectors.order_list(actor=actor, status=status, created_by_id=actor.pk if mine else None)
    return render(
        request,
        "catalog/order_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "mine": mine,
            "pending": list(selectors.pending_approval_list(actor=actor)[:50]),
        },
    )


def _allowed_steps(actor: Actor, order: Order) -> list[str]:
    unit = order.unit
    steps = []
    may_order = permissions.can(actor, actions.ORDER, unit)
    approve_action = actions.APPROVE_IT if order.approval == Approval.IT else actions.APPROVE_ORDER
    if order.status == OrderStatus.DRAFT and may_order:
        steps.append("submit")
    if order.status == OrderStatus.SUBMITTED and permissions.can(actor, approve_action, unit):
        steps += ["approve", "reject"]
    if order.status in (OrderStatus.APPROVED, OrderStatus.DELIVERING) and permissions.can(
        actor, actions.DELIVER_ORDER, unit
    ):
        steps.append("deliver")
    if order.status in (OrderStatus.DRAFT, OrderStatus.SUBMITTED) and may_order:
        steps.append("cancel")
    return steps


def _history(actor: Actor, order: Order) -> list[dict[str, Any]]:
    """The audited steps of the order as lines a person reads."""
    rows = []
    for e in selectors.order_history_list(actor=actor, order=order):
        after = e.after or {}
        if e.object_type == "catalog.order":
            if e.action == "create":
                text = _("Beställningen skapades som utkast.")
            elif "status" in e.changed_fields:
                text = _("Status: %(status)s") % {"status": OrderStatus(after["status"]).label}
                if after.get("decision_note"):
                    text += f" – {after['decision_note']}"
            else:
                text = _("Beställningen ändrades.")
        elif e.action == "create":
            text = _("Rad: %(line)s") % {"line": e.object_repr}
        else:
            text = _("%(line)s: %(decision)s") % {
                "line": e.object_repr,
                "decision": LineDecision(after.get("decision", "pending")).label,
            }
        rows.append({"when": e.occurred_at, "who": e.actor_repr, "text": text})
    return rows


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    order = selectors.order_get(actor=actor, pk=pk)
    return render(
        request,
        "catalog/order_detail.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "history": _history(actor, order),
            "steps": _allowed_steps(actor, order),
            "subscriptions": list(
                selectors.subscription_list(actor=actor).filter(order_line__order=order)
            ),
            "today": timezone.localdate(),
        },
    )


STEP_MESSAGES = {
    "submit": gettext_lazy("Beställningen är skickad."),
    "approve": gettext_lazy("Beställningen är godkänd."),
    "reject": gettext_lazy("Beställningen är avslagen."),
    "deliver": gettext_lazy("Beställningen är levererad."),
    "cancel": gettext_lazy("Beställningen är makulerad."),
}


@login_required
@require_http_methods(["POST"])
def order_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    actor = request.user
    order = selectors.order_get(actor=actor, pk=pk)
    if step not in STEP_MESSAGES:
        raise NotFound()
    form = OrderActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Formuläret kunde inte läsas. Ladda om sidan och försök igen."))
        return redirect("catalog:order_detail", pk=order.pk)
    data = form.cleaned_data
    version = data["version"]
    try:
        if step == "submit":
            services.order_submit(actor=actor, order=order, expected_version=version)
        elif step == "approve":
            services.order_approve(
                actor=actor, order=order, expected_version=version, note=data["note"]
            )
        elif step == "reject":
            services.order_reject(
                actor=actor, order=order, expected_version=version, note=data["note"]
            )
        elif step == "deliver":
            services.order_deliver(
                actor=actor,
                order=order,
                expected_version=version,
                delivered_on=data["delivered_on"],
            )
        else:
            services.order_cancel(actor=actor, order=order, expected_version=version)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        for field_messages in exc.fields.values():
            for m in field_messages:
                messages.error(request, str(m))
    else:
        messages.success(request, str(STEP_MESSAGES[step]))
    return redirect("catalog:order_detail", pk=order.pk)


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    """ "Min enhets prenumerationer": what the actor's units have, from when to when."""
    actor = request.user
    if not permissions.can_anywhere(actor, actions.VIEW_ORDERS):
        raise NotFound()
    units = list(
        {
            s.unit_id: s.unit
            for s in selectors.subscription_list(actor=actor).select_related("unit")
        }.values()
    )
    form = SubscriptionFilterForm(request.GET or None, units=units)
    unit_id: int | None = None
    active: bool | None = True
    if form.is_valid():
        unit_id = form.cleaned_data.get("unit")
        active = None if form.cleaned_data.get("ended") else True
    qs = selectors.subscription_list(actor=actor, unit_id=unit_id, active=active)
    return render(
        request,
        "catalog/subscription_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "can_order": permissions.can_anywhere(actor, actions.ORDER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def subscription_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    sub = selectors.subscription_get(actor=actor, pk=pk)
    if not permissions.can(actor, actions.ORDER, sub.unit) or sub.end_date is not None:
        raise NotFound()
    form = SubscriptionChangeForm(request.POST or None, initial={"quantity": sub.quantity})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "cancel":
                order = services.order_cancel_subscription(
                    actor=actor, subscription=sub, note=data["note"]
                )
            else:
                order = services.order_change_subscription(
                    actor=actor, subscription=sub, quantity=data["quantity"], note=data["note"]
                )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Beställningen %(number)s är sparad som utkast. Skicka den när den är klar.")
                % {"number": str(order)},
            )
            return redirect("catalog:order_detail", pk=order.pk)
    return render(request, "catalog/subscription_change.html", {"form": form, "sub": sub})
