from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from itfabrik.core import audit_display, permissions, selectors, services
from itfabrik.core.client_ip import client_ip
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.permissions import VIEW_AUDIT

from .contributions import panels_for
from .forms import AccessibilityReportForm, AuditFilterForm, add_application_error
from .pagination import paginate, querystring_without_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": panels_for(request)})


@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    form = AccessibilityReportForm(
        request.POST or None, initial={"page_url": request.GET.get("sida", "")}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.accessibility_report_create(
                    actor=request.user, client_address=client_ip(request), **form.cleaned_data
                )
        except ApplicationError as exc:
            add_application_error(form, exc)
            status = exc.status
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
        status=status,
    )


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_anywhere(request.user, VIEW_AUDIT):
        raise NotFound()
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        if "q" in filters:
            filters["search"] = filters.pop("q")
    page = paginate(request, selectors.audit_list(actor=request.user, **filters))
    page.object_list = audit_display.attach(page.object_list)
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
        return JsonResponse({"error": NotFound().as_dict()}, status=404)
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
