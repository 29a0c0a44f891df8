"""The economy's pages: the baseline of a year (chart with its table, XLSX/CSV), correcting a
municipality's figures, scenarios, the timeline 2024–2030 and the follow-up against billing.
Thin: parse, call one selector or service, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from itfabrik.core import audit_display
from itfabrik.core.errors import ApplicationError, NotFound, ValidationFailed
from itfabrik.core.money import format_sek
from itfabrik.core.registry import current_cooperation
from itfabrik.core.web.charts import bar_chart
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.economy import exports, rules, selectors, services
from itfabrik.economy import permissions as actions
from itfabrik.economy.filters import ScenarioFilter, TimelineFilter, YearFilter
from itfabrik.economy.models import Scenario, TimelineEntry

from .forms import (
    CategoryForm,
    FiguresForm,
    NewFiguresForm,
    ProjectCostForm,
    ScenarioForm,
    TimelineEntryForm,
)


def _cooperation(request: HttpRequest) -> Any:
    coop = current_cooperation(request)
    if not selectors.may_view_cooperation(request.user, coop):
        raise NotFound()
    return coop


def _kr(value: Any) -> str:
    return "–" if value is None else format_sek(value)


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value:.2f} %".replace(".", ",")


def _year(request: HttpRequest, name: str = "year") -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    field = YearFilter().field
    try:
        return int(field.clean(raw))
    except Exception:
        raise ValidationFailed(fields={name: [_("Ange ett år mellan 2000 och 2100.")]}) from None


def _scenario(request: HttpRequest, coop: Any) -> Scenario | None:
    raw = request.GET.get("scenario", "").strip()
    if not raw:
        return None
    try:
        return selectors.scenario_get(actor=request.user, cooperation=coop, pk=int(raw))
    except (ValueError, NotFound):
        raise ValidationFailed(fields={"scenario": [_("Okänt scenario.")]}) from None


def _baseline_context(request: HttpRequest) -> dict[str, Any]:
    coop = _cooperation(request)
    years = selectors.baseline_year_list(actor=request.user, cooperation=coop)
    year = _year(request) or (years[0] if years else rules.DEFAULT_YEAR)
    scenario = _scenario(request, coop)
    report = selectors.baseline_report(
        actor=request.user, cooperation=coop, year=year, scenario=scenario
    )
    return {
        "cooperation": coop,
        "years": years,
        "year": year,
        "report": report,
        "scenarios": selectors.scenario_list(actor=request.user, cooperation=coop, is_active=True),
        "query": urlencode({k: v for k, v in request.GET.items() if k in ("year", "scenario")}),
    }


@login_required
def baseline(request: HttpRequest) -> HttpResponse:
    """The year's baseline: each municipality's IT share against the benchmark, the gap to it
    and the savings potential, with charts and their tables."""
    try:
        context = _baseline_context(request)
    except ValidationFailed as exc:
        return render(request, "economy/baseline.html", {"errors": exc.fields}, status=400)
    report: selectors.BaselineReport = context["report"]
    rows = report.result.rows
    if rows:
        benchmark = report.settings.benchmark_percent
        context["share_chart"] = bar_chart(
            chart_id="it-share",
            title=_("IT-andel av nettokostnaden %(year)s") % {"year": report.year},
            description=_(
                "IT-enhetens kostnad som andel av kommunens nettokostnad, och riktmärket "
                "%(b)s, per kommun. Samma siffror finns i tabellen nedan."
            )
            % {"b": _pct(benchmark)},
            rows=[(r.municipality, [r.it_share_percent, benchmark]) for r in rows],
            series=[_("IT-andel"), _("Riktmärke")],
            fmt=_pct,
        )
        context["cost_chart"] = bar_chart(
            chart_id="it-cost",
            title=_("IT-kostnad, kostnad vid riktmärket och besparingspotential %(year)s")
            % {"year": report.year},
            description=_(
                "Per kommun: IT-enhetens kostnad, kostnaden om kommunen lade riktmärkets andel "
                "och besparingspotentialen, i kronor. Samma siffror finns i tabellen nedan."
            ),
            rows=[
                (r.municipality, [r.it_cost, r.benchmark_cost, r.savings_potential]) for r in rows
            ],
            series=[_("IT-kostnad"), _("Vid riktmärket"), _("Besparingspotential")],
            fmt=_kr,
        )
    context["category_rows"] = [
        (c, [r.categories[i] for r in rows]) for i, c in enumerate(report.result.total.categories)
    ]
    context["may_manage_figures"] = selectors.may_manage_figures(request.user)
    context["may_manage_scenarios"] = selectors.may_manage_scenarios(
        request.user, context["cooperation"]
    )
    return render(request, "economy/baseline.html", context)


@login_required
def baseline_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise NotFound()
    context = _baseline_context(request)
    report = context["report"]
    file = exports.render(exports.baseline_sheets(report), f"baslinje-{report.year}", fmt)
    return _download(file)


def _download(file: exports.ExportFile) -> HttpResponse:
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def figures_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a municipality's figures for a year (audited; a stale form is refused)."""
    coop = _cooperation(request)
    figures = selectors.figures_manage_get(actor=request.user, cooperation=coop, pk=pk)
    categories = list(selectors.category_list(actor=request.user, cooperation=coop))
    costs = {c.category_id: c.amount for c in figures.costs.all()}
    initial: dict[str, Any] = {
        "version": figures.version,
        "net_cost": figures.net_cost,
        "source": figures.source,
        **{f"cost_{c.pk}": costs.get(c.pk, rules.ZERO) for c in categories},
    }
    form = FiguresForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        categories=categories,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.figures_update(
                actor=request.user,
                figures=figures,
                expected_version=form.cleaned_data["version"],
                net_cost=form.cleaned_data["net_cost"],
                costs=form.costs(categories),
                source=form.cleaned_data["source"],
            )
            messages.success(request, _("Siffrorna är rättade."))
            return redirect(f"{_url('economy:baseline')}?year={figures.year}")
        except ApplicationError as exc:
            add_application_error(form, exc)
    page = paginate(
        request, selectors.figures_history_list(actor=request.user, figures=figures), 20
    )
    page.object_list = audit_display.attach(page.object_list)
    return render(
        request,
        "economy/figures_edit.html",
        {"figures": figures, "form": form, "page": page, "qs": ""},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def figures_new(request: HttpRequest) -> HttpResponse:
    """Enter a municipality's figures for a new year."""
    coop = _cooperation(request)
    if not selectors.may_manage_figures(request.user):
        raise NotFound()
    categories = list(selectors.category_list(actor=request.user, cooperation=coop))
    municipalities = list(
        selectors.municipality_choice_list(
            actor=request.user, cooperation=coop, action=actions.MANAGE_FIGURES
        )
    )
    form = NewFiguresForm(
        request.POST if request.method == "POST" else None,
        categories=categories,
        municipalities=municipalities,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = {m.pk: m for m in municipalities}[d["municipality"]]
        try:
            services.figures_create(
                actor=request.user,
                cooperation=coop,
                municipality=chosen,
                year=d["year"],
                net_cost=d["net_cost"],
                costs=form.costs(categories),
                source=d["source"],
            )
            messages.success(request, _("Siffrorna är sparade."))
            return redirect(f"{_url('economy:baseline')}?year={d['year']}")
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request, "economy/figures_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
def scenarios(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    filters = ScenarioFilter(request.GET or None, queryset=Scenario.objects.none())
    if request.GET and not filters.is_valid():
        return render(request, "economy/scenarios.html", {"errors": filters.errors}, status=400)
    data = filters.form.cleaned_data if request.GET else {}
    qs = selectors.scenario_list(
        actor=request.user,
        cooperation=coop,
        q=data.get("q") or None,
        is_active=data.get("is_active"),
    )
    page = paginate(request, qs)
    return render(
        request,
        "economy/scenarios.html",
        {
            "page": page,
            "qs": querystring_without_page(request),
            "q": request.GET.get("q", ""),
            "may_manage": selectors.may_manage_scenarios(request.user, coop),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or adjust a scenario. A share below 0 or above 100 % is refused, each wrong one
    named, and nothing changes."""
    coop = _cooperation(request)
    if not selectors.may_manage_scenarios(request.user, coop):
        raise NotFound()
    categories = list(selectors.category_list(actor=request.user, cooperation=coop))
    scenario = (
        None if pk is None else selectors.scenario_get(actor=request.user, cooperation=coop, pk=pk)
    )
    if scenario is None:
        initial: dict[str, Any] = {
            "benchmark_percent": rules.DEFAULT_BENCHMARK_PERCENT,
            "is_active": True,
            **{f"rate_{c.pk}": c.default_savings_percent for c in categories},
        }
    else:
        rates = {r.category_id: r.savings_percent for r in scenario.rates.all()}
        initial = {
            "version": scenario.version,
            "name": scenario.name,
            "description": scenario.description,
            "benchmark_percent": scenario.benchmark_percent,
            "is_default": scenario.is_default,
            "is_active": scenario.is_active,
            **{f"rate_{c.pk}": rates.get(c.pk, rules.ZERO) for c in categories},
        }
    form = ScenarioForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        categories=categories,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if scenario is None:
                scenario = services.scenario_create(
                    actor=request.user,
                    cooperation=coop,
                    name=d["name"],
                    description=d["description"],
                    benchmark_percent=d["benchmark_percent"],
                    rates=form.rates(categories),
                    is_default=d["is_default"],
                )
            else:
                services.scenario_update(
                    actor=request.user,
                    scenario=scenario,
                    expected_version=d["version"],
                    name=d["name"],
                    description=d["description"],
                    benchmark_percent=d["benchmark_percent"],
                    rates=form.rates(categories),
                    is_default=d["is_default"],
                    is_active=d["is_active"],
                )
            messages.success(request, _("Scenariot är sparat."))
            return redirect(f"{_url('economy:baseline')}?scenario={scenario.pk}")
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "economy/scenario_edit.html",
        {"scenario": scenario, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    """Operating and investment costs 2024–2030 with each municipality's share of the shared
    project costs: the investment hump, per year, chart with its table."""
    coop = _cooperation(request)
    filters = TimelineFilter(request.GET or None, queryset=TimelineEntry.objects.none())
    if request.GET and not filters.is_valid():
        return render(request, "economy/timeline.html", {"errors": filters.errors}, status=400)
    data = filters.form.cleaned_data if request.GET else {}
    report = selectors.timeline_report(
        actor=request.user,
        cooperation=coop,
        municipality=data.get("municipality"),
        year_from=data.get("year_from"),
        year_to=data.get("year_to"),
    )
    by_year = report.by_year()
    chart = None
    if by_year:
        chart = bar_chart(
            chart_id="timeline",
            title=_("Kostnader per år"),
            description=_(
                "Per år, summan för kommunerna: driftkostnad, investering och andel av de "
                "gemensamma projektkostnaderna, i kronor. Samma siffror finns i tabellen nedan."
            ),
            rows=[
                (
                    str(year),
                    [
                        sum((p.operating_cost for p in pts), rules.ZERO),
                        sum((p.investment_cost for p in pts), rules.ZERO),
                        sum((p.project_share for p in pts), rules.ZERO),
                    ],
                )
                for year, pts, _total in by_year
            ],
            series=[_("Drift"), _("Investering"), _("Projektkostnader")],
            fmt=_kr,
        )
    return render(
        request,
        "economy/timeline.html",
        {
            "report": report,
            "by_year": [
                (year, [(p, report.entry(p)) for p in pts], total) for year, pts, total in by_year
            ],
            "chart": chart,
            "municipalities": selectors.municipality_choice_list(
                actor=request.user, cooperation=coop
            ),
            "values": {k: request.GET.get(k, "") for k in ("municipality", "year_from", "year_to")},
            "query": request.GET.urlencode(),
            "may_manage_figures": selectors.may_manage_figures(request.user),
            "may_manage_project": selectors.may_manage_scenarios(request.user, coop),
        },
    )


@login_required
def timeline_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise NotFound()
    coop = _cooperation(request)
    filters = TimelineFilter(request.GET or None, queryset=TimelineEntry.objects.none())
    if request.GET and not filters.is_valid():
        raise ValidationFailed(fields={k: list(v) for k, v in filters.errors.items()})
    data = filters.form.cleaned_data if request.GET else {}
    report = selectors.timeline_report(
        actor=request.user,
        cooperation=coop,
        municipality=data.get("municipality"),
        year_from=data.get("year_from"),
        year_to=data.get("year_to"),
    )
    return _download(exports.render(exports.timeline_sheets(report), "tidslinje", fmt))


@login_required
@require_http_methods(["GET", "POST"])
def timeline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    entry = selectors.timeline_manage_get(actor=request.user, cooperation=coop, pk=pk)
    initial = {
        "version": entry.version,
        "operating_cost": entry.operating_cost,
        "investment_cost": entry.investment_cost,
        "basis": entry.basis,
        "note": entry.note,
    }
    form = TimelineEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.timeline_entry_update(
                actor=request.user,
                entry=entry,
                expected_version=d["version"],
                operating_cost=d["operating_cost"],
                investment_cost=d["investment_cost"],
                basis=d["basis"],
                note=d["note"],
            )
            messages.success(request, _("Posten är rättad."))
            return redirect("economy:timeline")
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "economy/timeline_edit.html",
        {"entry": entry, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_cost_edit(request: HttpRequest) -> HttpResponse:
    """Set or correct a year's shared project costs."""
    coop = _cooperation(request)
    if not selectors.may_manage_scenarios(request.user, coop):
        raise NotFound()
    form = ProjectCostForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.project_cost_set(
                actor=request.user,
                cooperation=coop,
                year=d["year"],
                amount=d["amount"],
                basis=d["basis"],
                note=d["note"],
            )
            messages.success(request, _("Projektkostnaden är sparad."))
            return redirect("economy:timeline")
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "economy/project_cost_edit.html",
        {"form": form, "costs": selectors.project_cost_list(actor=request.user, cooperation=coop)},
        status=400 if form.errors else 200,
    )


def _followup_context(request: HttpRequest) -> dict[str, Any]:
    coop = _cooperation(request)
    from django.utils import timezone

    year = _year(request) or timezone.localdate().year
    report = selectors.followup_report(
        actor=request.user,
        cooperation=coop,
        year=year,
        baseline_year=_year(request, "baseline_year"),
        scenario=_scenario(request, coop),
    )
    return {"report": report, "year": year, "query": request.GET.urlencode()}


@login_required
def followup(request: HttpRequest) -> HttpResponse:
    """The year's invoiced costs against the baseline and its target: is the cooperation
    realising the savings?"""
    try:
        context = _followup_context(request)
    except ValidationFailed as exc:
        return render(request, "economy/followup.html", {"errors": exc.fields}, status=400)
    report: selectors.FollowUpReport = context["report"]
    if report.rows:
        context["chart"] = bar_chart(
            chart_id="followup",
            title=_("Fakturerat %(year)s mot baslinjen %(base)s")
            % {"year": report.year, "base": report.baseline_year},
            description=_(
                "Per kommun: baslinjens IT-kostnad, målet (baslinjen minus "
                "besparingspotentialen) och det som fakturerats under året, i kronor. Samma "
                "siffror finns i tabellen nedan."
            ),
            rows=[
                (r.municipality, [r.baseline_cost, r.target_cost, r.actual_cost])
                for _m, r in report.rows
            ],
            series=[_("Baslinje"), _("Mål"), _("Fakturerat")],
            fmt=_kr,
        )
    return render(request, "economy/followup.html", context)


@login_required
def followup_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise NotFound()
    report = _followup_context(request)["report"]
    return _download(
        exports.render(exports.followup_sheets(report), f"uppfoljning-{report.year}", fmt)
    )


@login_required
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The cost categories: list, add, correct and close (a closed category leaves the
    baseline; its amounts stay)."""
    coop = _cooperation(request)
    if not selectors.may_manage_scenarios(request.user, coop):
        raise NotFound()
    category = (
        None
        if pk is None
        else selectors.category_manage_get(actor=request.user, cooperation=coop, pk=pk)
    )
    initial: dict[str, Any] = {"is_active": True, "default_savings_percent": "0"}
    if category is not None:
        initial = {
            "version": category.version,
            "name": category.name,
            "position": category.position,
            "default_savings_percent": category.default_savings_percent,
            "is_active": category.is_active,
        }
    form = CategoryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if category is None:
                services.category_create(
                    actor=request.user,
                    cooperation=coop,
                    name=d["name"],
                    position=d["position"],
                    default_savings_percent=d["default_savings_percent"],
                )
            else:
                services.category_update(
                    actor=request.user,
                    category=category,
                    expected_version=d["version"],
                    name=d["name"],
                    position=d["position"],
                    default_savings_percent=d["default_savings_percent"],
                    is_active=d["is_active"],
                )
            messages.success(request, _("Kategorin är sparad."))
            return redirect("economy:categories")
        except ApplicationError as exc:
            add_application_error(form, exc)
    page = paginate(request, selectors.category_manage_list(actor=request.user, cooperation=coop))
    return render(
        request,
        "economy/categories.html",
        {"category": category, "form": form, "page": page, "qs": ""},
        status=400 if form.errors else 200,
    )
