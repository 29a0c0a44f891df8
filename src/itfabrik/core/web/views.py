from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from itfabrik.core import audit_display, permissions, selectors
from itfabrik.core.errors import NotFound
from itfabrik.core.permissions import VIEW_AUDIT

from .contributions import panels_for
from .forms import AuditFilterForm
from .pagination import paginate, querystring_without_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": panels_for(request)})


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
