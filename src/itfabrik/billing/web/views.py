from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from itfabrik.billing import permissions as actions
from itfabrik.billing import selectors, services
from itfabrik.billing.choices import LineKind, RunStatus
from itfabrik.billing.sources import Period
from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.money import format_sek
from itfabrik.core.registry import current_cooperation
from itfabrik.core.web.charts import Value, bar_chart
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page

from . import access
from .forms import ApproveForm, PeriodForm, SimulationForm


def _sek(value: Value) -> str:
    return "–" if value is None else format_sek(Decimal(value))


def _cooperation(request: HttpRequest) -> Any:
    coop = current_cooperation(request)
    if coop is None or not permissions.can_anywhere(request.user, actions.VIEW_INVOICE):
        raise NotFound()
    return coop


def _period(request: HttpRequest) -> Period:
    raw = request.GET.get("period")
    if raw:
        try:
            return Period.parse(raw)
        except ApplicationError:
            pass
    return Period.of(timezone.localdate())


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Transparency: every visible municipality this month and year to date, base share
    against consumption, cost per inhabitant; each figure links to its invoice and lines."""
    coop = _cooperation(request)
    period = _period(request)
    figures = selectors.municipality_figure_list(
        actor=request.user, cooperation=coop, period=period
    )
    chart = bar_chart(
        chart_id="ytd",
        title=_("Kostnad hittills i år per kommun, %(year)s") % {"year": period.year},
        description=_("Gemensam kostnad (Bas-IT och fond) och förbrukning per kommun."),
        rows=[(f.municipality.name, [f.shared + f.fund, f.consumption]) for f in figures],
        series=[_("Gemensamt"), _("Förbrukning")],
        fmt=_sek,
    )
    per_inhabitant = bar_chart(
        chart_id="inh",
        title=_("Kostnad per invånare hittills i år"),
        description=_("Kronor per invånare per kommun."),
        rows=[(f.municipality.name, [f.per_inhabitant or Decimal(0)]) for f in figures],
        series=[_("Per invånare")],
        fmt=_sek,
    )
    total = {
        "month": sum((f.month for f in figures), Decimal(0)),
        "ytd": sum((f.year_to_date for f in figures), Decimal(0)),
    }
    return render(
        request,
        "billing/overview.html",
        {
            "period": period,
            "previous": period.previous(),
            "next": period.next(),
            "figures": figures,
            "chart": chart,
            "per_inhabitant_chart": per_inhabitant,
            "total": total,
            "can_run": permissions.can(request.user, actions.RUN_BILLING, coop.root),
        },
    )


@login_required
def municipality(request: HttpRequest, pk: int) -> HttpResponse:
    """One municipality: year to date per unit, and its invoices of the year."""
    coop = _cooperation(request)
    period = _period(request)
    from itfabrik.tenancy.selectors import node_get

    node = node_get(actor=request.user, pk=pk)
    units = selectors.unit_figure_list(actor=request.user, municipality=node, period=period)
    invoices = selectors.invoice_list(
        actor=request.user, year=period.year, municipality_id=node.pk, with_lines=False
    ).filter(cooperation=coop)
    return render(
        request,
        "billing/municipality.html",
        {"node": node, "period": period, "units": units, "invoices": invoices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    invoice = selectors.invoice_get(actor=actor, pk=pk)
    form = ApproveForm(request.POST or None, initial={"version": invoice.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.invoice_approve(
                actor=actor, invoice=invoice, expected_version=form.cleaned_data["version"]
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Fakturaunderlaget är godkänt och låst."))
        return redirect("billing:invoice_detail", pk=invoice.pk)
    kind = request.GET.get("kind") or None
    if kind not in LineKind.values:
        kind = None
    unit = request.GET.get("unit")
    lines = selectors.invoice_line_list(
        actor=actor,
        invoice=invoice,
        kind=kind,
        unit_id=int(unit) if unit and unit.isdecimal() else None,
    )
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            # A municipality's month has hundreds of lines at national scale: a page at a time.
            "lines": paginate(request, lines, per_page=100),
            "qs": querystring_without_page(request),
            "filtered": bool(kind or unit),
            "units": selectors.invoice_unit_total_list(invoice=invoice),
            "form": form,
            "can_approve": invoice.status == "draft"
            and permissions.can(actor, actions.APPROVE_INVOICE, invoice.municipality),
            "formats": [("pdf", "PDF"), ("xlsx", "Excel (XLSX)"), ("csv", "CSV"), ("sie", "SIE 4")],
        },
    )


@login_required
def invoice_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    invoice = selectors.invoice_get(actor=request.user, pk=pk)
    try:
        file = services.invoice_export(actor=request.user, invoice=invoice, file_format=fmt)
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("billing:invoice_detail", pk=invoice.pk)
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not access.may_run_billing(request):
        raise NotFound()
    coop = _cooperation(request)
    form = PeriodForm(request.POST or None, initial={"period": _period(request).code})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.billing_run_start(
                actor=actor, cooperation=coop, period=form.cleaned_data["period"]
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return redirect("billing:run_detail", pk=run.pk)
    return render(
        request,
        "billing/runs.html",
        {"form": form, "page": paginate(request, selectors.run_list(actor=actor))},
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(actor=request.user, pk=pk)
    invoices = (
        selectors.invoice_list(actor=request.user, period=run.period, with_lines=False)
        if run.status == RunStatus.DONE
        else []
    )
    context = {"run": run, "invoices": invoices, "polling": run.status in ("queued", "running")}
    template = "billing/_run_status.html" if request.htmx else "billing/run_detail.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def simulation(request: HttpRequest) -> HttpResponse:
    """Simulate a new allocation key for Bas-IT before anyone adopts it."""
    actor = request.user
    coop = current_cooperation(request)
    # The same action as the menu entry (SIMULATE_KEY); the rows are then scoped.
    if coop is None:
        raise NotFound()
    pool = selectors.simulation_pool_get(actor=actor, cooperation=coop)
    members = services.member_municipalities(cooperation=coop)
    form = SimulationForm(
        request.GET if "method" in request.GET else None,
        initial={"year": timezone.localdate().year, "method": "inhabitants"},
        municipalities=members,
    )
    rows: list[Any] = []
    chart = None
    if form.is_bound and form.is_valid():
        try:
            rows = selectors.key_simulation_report(
                actor=actor,
                pool=pool,
                year=form.cleaned_data["year"],
                method=form.cleaned_data["method"],
                percentages=form.percentages(),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            chart = bar_chart(
                chart_id="sim",
                title=_("%(pool)s per kommun och år: nuvarande och simulerad nyckel")
                % {"pool": pool.name},
                description=_("Nuvarande och simulerat belopp för året per kommun."),
                rows=[(r.name, [r.current, r.simulated]) for r in rows],
                series=[_("Nuvarande"), _("Simulerad")],
                fmt=_sek,
            )
    keys = list(pool.keys.all())
    return render(
        request,
        "billing/simulation.html",
        {"form": form, "rows": rows, "chart": chart, "pool": pool, "keys": keys},
    )
