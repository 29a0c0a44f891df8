from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from itfabrik.accessibility import services
from itfabrik.core.client_ip import client_ip
from itfabrik.core.errors import ApplicationError
from itfabrik.core.web.forms import add_application_error

from .forms import ReportForm


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The accessibility statement with its report form: open to everyone, also anonymous."""
    form = ReportForm(request.POST or None, initial={"page_url": request.GET.get("sida", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.report_create(
                    actor=request.user, client_address=client_ip(request), **form.cleaned_data
                )
        except ApplicationError as exc:
            add_application_error(form, exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("Tack! Din rapport är mottagen och skickas vidare.")
                if services.contact_address()
                else _("Tack! Din rapport är mottagen."),
            )
            return redirect("accessibility:report")
    return render(
        request,
        "accessibility/statement.html",
        {"form": form, "contact_email": services.contact_address()},
        status=status,
    )
