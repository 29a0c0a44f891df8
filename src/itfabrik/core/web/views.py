from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from itfabrik.accounts import roles
from itfabrik.accounts.choices import Role
from itfabrik.accounts.selectors import my_assignments
from itfabrik.core import permissions, selectors, services
from itfabrik.core.errors import ApplicationError
from itfabrik.tenancy import selectors as tenancy_selectors
from itfabrik.tenancy.rules import population_shares

from .forms import AccessibilityReportForm, AuditFilterForm, add_application_error
from .pagination import paginate, querystring_without_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coop = tenancy_selectors.cooperation_list(actor=actor).first()
    request.itfabrik_cooperation = coop  # type: ignore[attr-defined]
    assignments = list(my_assignments(actor=actor))
    held = {a.role for a in assignments}
    context: dict[str, Any] = {"cooperation": coop, "assignments": assignments, "roles": held}
    if coop is not None:
        municipalities = list(tenancy_selectors.members(actor=actor, cooperation=coop))
        members = [m for m in municipalities if m.is_member]
        shares = population_shares({m.pk: m.inhabitants or 0 for m in members})
        for m in municipalities:
            m.population_share = shares.get(m.pk)
        context.update(
            municipalities=municipalities,
            member_count=len(members),
            total_inhabitants=sum(m.inhabitants or 0 for m in members),
            host=coop.host,
            it_organisation=tenancy_selectors.it_organisation(actor=actor, cooperation=coop),
        )
    user_unit = None
    if getattr(actor, "home_unit_id", None):
        try:
            user_unit = tenancy_selectors.node_get(actor=actor, pk=actor.home_unit_id)  # type: ignore[union-attr]
        except ApplicationError:
            user_unit = None
    context["home_unit"] = user_unit
    if user_unit is not None:
        context["home_unit_trail"] = tenancy_selectors.node_ancestors(actor=actor, node=user_unit)
    if permissions.can_anywhere(actor, roles.VIEW_AUDIT):
        context["recent_changes"] = list(selectors.audit_list(actor=actor)[:8])
    if held & {Role.COOPERATION_ADMIN, Role.FINANCE, Role.IT_CONTACT, Role.ORDERER} or (
        permissions.is_superuser(actor)
    ):
        context["unit_summary"] = list(tenancy_selectors.unit_summary(actor=actor))
    if held & {Role.AGENT, Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN} and coop:
        context["teams"] = list(tenancy_selectors.team_summary(actor=actor, cooperation=coop))
    return render(request, "core/home.html", context)


@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    form = AccessibilityReportForm(
        request.POST or None, initial={"page_url": request.GET.get("sida", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.accessibility_report_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Tack! Din rapport är mottagen och skickas vidare.")
                if services.accessibility_address()
                else _("Tack! Din rapport är mottagen."),
            )
            return redirect("core:accessibility")
    return render(
        request,
        "core/accessibility.html",
        {"form": form, "contact_email": services.accessibility_address()},
    )


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_anywhere(request.user, roles.VIEW_AUDIT):
        from itfabrik.core.errors import NotFound

        raise NotFound()
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        if "q" in filters:
            filters["search"] = filters.pop("q")
    page = paginate(request, selectors.audit_list(actor=request.user, **filters))
    template = "core/_audit_table.html" if request.htmx else "core/audit_list.html"  # type: ignore[attr-defined]
    return render(
        request, template, {"form": form, "page": page, "qs": querystring_without_page(request)}
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "400.html", {"error": {"message": _("Anropet kunde inte tolkas.")}}, status=400
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        from itfabrik.core.errors import NotFound

        return JsonResponse({"error": NotFound().as_dict()}, status=404)
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
