"""The portfolio's pages: the initiatives (list, detail, create, correct, move, milestones,
monthly status, funding), the benefits (list, plan, report realised), the priority criteria,
the overview (roadmap and value/effort, each with its table) and the report for IT-råd
Dalsland (printable page and XLSX). Thin: each parses a form and calls one service or
selector."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itfabrik.billing import permissions as billing_actions
from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.registry import current_cooperation
from itfabrik.core.web.charts import bar_chart
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.portfolio import exports, rules, selectors, services
from itfabrik.portfolio import permissions as actions
from itfabrik.portfolio.choices import InitiativeState, StatusColour
from itfabrik.portfolio.models import Benefit, Initiative
from itfabrik.tenancy.models import Cooperation

from . import charts
from .forms import (
    BenefitFilterForm,
    BenefitForm,
    BenefitReportForm,
    CriteriaForm,
    FundingForm,
    InitiativeFilterForm,
    InitiativeForm,
    MilestoneForm,
    PeriodForm,
    StatusForm,
    TransitionForm,
)


def _cooperation(request: HttpRequest) -> Cooperation:
    if not selectors.may_view(request.user):
        raise NotFound()
    coop = current_cooperation(request)
    if coop is None:
        raise NotFound()
    return coop


def _file(file: exports.ExportFile) -> HttpResponse:
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def _first_error(exc: ApplicationError) -> str:
    parts = [str(m) for msgs in exc.fields.values() for m in msgs]
    return " ".join(parts) or str(exc.message)


# --- initiatives -----------------------------------------------------------------------------


def _list_filters(request: HttpRequest, coop: Cooperation) -> tuple[InitiativeFilterForm, dict]:
    form = InitiativeFilterForm(
        request.GET or None, municipalities=selectors.municipality_list(cooperation=coop)
    )
    return form, form.filters()


@login_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    form, filters = _list_filters(request, coop)
    sort = form.cleaned_data.get("sort") if form.is_bound and form.is_valid() else None
    qs = selectors.initiative_list(actor=request.user, filters=filters, ordering=sort)
    return render(
        request,
        "portfolio/initiative_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "may_manage": selectors.may_manage(request.user, coop),
            "fund": selectors.fund_position_get(cooperation=coop),
        },
    )


@login_required
@require_GET
def initiative_export(request: HttpRequest, fmt: str) -> HttpResponse:
    coop = _cooperation(request)
    if fmt not in exports.FORMATS:
        raise NotFound()
    _form, filters = _list_filters(request, coop)
    qs = selectors.initiative_list(actor=request.user, filters=filters)
    return _file(exports.initiatives_file(fmt, qs))


def _initiative_form(request: HttpRequest, coop: Cooperation, **kwargs: Any) -> InitiativeForm:
    return InitiativeForm(
        request.POST if request.method == "POST" else None,
        owners=selectors.owner_choice_list(cooperation=coop),
        municipalities=selectors.municipality_list(cooperation=coop),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    if not selectors.may_manage(request.user, coop):
        raise NotFound()
    form = _initiative_form(
        request, coop, initial={"owner": request.user.pk, "all_municipalities": True}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data["budget"] = data.get("budget") or 0
        try:
            initiative = services.initiative_create(actor=request.user, cooperation=coop, **data)
            messages.success(request, _("Initiativet är skapat."))
            return redirect("portfolio:detail", pk=initiative.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "portfolio/initiative_form.html",
        {"form": form, "initiative": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_get(actor=request.user, pk=pk)
    coop = initiative.cooperation
    if not selectors.may_manage(request.user, coop):
        raise NotFound()
    initial = {f: getattr(initiative, f) for f in services.INITIATIVE_FIELDS if f != "sponsors"}
    initial["sponsors"] = list(initiative.sponsors.all())
    initial["version"] = initiative.version
    form = _initiative_form(request, coop, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["budget"] = data.get("budget") or 0
        try:
            services.initiative_update(
                actor=request.user, initiative=initiative, expected_version=version, **data
            )
            messages.success(request, _("Initiativet är sparat."))
            return redirect("portfolio:detail", pk=initiative.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "portfolio/initiative_form.html",
        {"form": form, "initiative": initiative},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_get(actor=request.user, pk=pk)
    coop = initiative.cooperation
    manager = selectors.may_manage(request.user, coop)
    benefits = list(selectors.benefit_list(actor=request.user, filters={"initiative": pk}))
    allowed = rules.allowed_next(initiative.state)
    may_spend = permissions.can(request.user, billing_actions.MANAGE_FUND, coop.root)
    return render(
        request,
        "portfolio/initiative_detail.html",
        {
            "initiative": initiative,
            "sponsors": list(initiative.sponsors.all()),
            "milestones": list(selectors.milestone_list(initiative=initiative)),
            "statuses": list(selectors.status_list(initiative=initiative)[:12]),
            "benefits": [(b, selectors.may_report(request.user, b) or manager) for b in benefits],
            "funding": selectors.funding_summary(initiative=initiative),
            "fundings": list(selectors.funding_list(initiative=initiative)),
            "fund": selectors.fund_position_get(cooperation=coop),
            "may_manage": manager,
            "may_spend": may_spend and initiative.state in rules.SPENDING_STATES,
            "transitions": [(s, InitiativeState(s).label) for s in allowed],
            "transition_form": TransitionForm(initial={"version": initiative.version}),
            "milestone_form": MilestoneForm(prefix="m"),
            "status_form": StatusForm(prefix="s"),
            "funding_form": FundingForm(prefix="f"),
            "criteria": selectors.criteria_get(coop),
        },
    )


def _managed(request: HttpRequest, pk: int) -> Initiative:
    initiative = selectors.initiative_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, initiative.cooperation):
        raise NotFound()
    return initiative


@login_required
@require_POST
def initiative_transition(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _managed(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj ett nytt läge."))
        return redirect("portfolio:detail", pk=pk)
    try:
        moved = services.initiative_transition(
            actor=request.user,
            initiative=initiative,
            expected_version=form.cleaned_data["version"],
            state=form.cleaned_data["state"],
            decision_reference=form.cleaned_data["decision_reference"] or "",
        )
        messages.success(
            request,
            _("Initiativet är nu %(state)s.") % {"state": moved.get_state_display().lower()},
        )
    except ApplicationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("portfolio:detail", pk=pk)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _managed(request, pk)
    form = MilestoneForm(request.POST, prefix="m")
    if form.is_valid():
        try:
            services.milestone_add(
                actor=request.user,
                initiative=initiative,
                title=form.cleaned_data["title"],
                due=form.cleaned_data["due"],
                done=form.cleaned_data["done"],
            )
            messages.success(request, _("Delmålet är tillagt."))
        except ApplicationError as exc:
            messages.error(request, _first_error(exc))
    else:
        messages.error(
            request,
            _("Delmålet sparades inte: %(errors)s")
            % {
                "errors": " ".join(
                    f"{form.fields[k].label}: {v[0]}" for k, v in form.errors.items()
                )
            },
        )
    return redirect("portfolio:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(actor=request.user, pk=pk)
    initiative = milestone.initiative
    if not selectors.may_manage(request.user, initiative.cooperation):
        raise NotFound()
    form = MilestoneForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": milestone.title,
            "due": milestone.due,
            "done": milestone.done,
            "version": milestone.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.milestone_update(
                actor=request.user, milestone=milestone, expected_version=version, **data
            )
            messages.success(request, _("Delmålet är sparat."))
            return redirect("portfolio:detail", pk=initiative.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "portfolio/simple_form.html",
        {
            "form": form,
            "initiative": initiative,
            "heading": _("Ändra delmål"),
            "submit": _("Spara"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_report(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _managed(request, pk)
    form = StatusForm(request.POST if request.method == "POST" else None, prefix="s")
    if request.method == "POST" and form.is_valid():
        try:
            services.status_set(
                actor=request.user,
                initiative=initiative,
                period=form.cleaned_data["period"],
                colour=form.cleaned_data["colour"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Månadsstatusen är sparad."))
            return redirect("portfolio:detail", pk=pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "portfolio/simple_form.html",
        {
            "form": form,
            "initiative": initiative,
            "heading": _("Rapportera månadsstatus"),
            "submit": _("Spara status"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def funding(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Allocate from the fund (the portfolio manager) or spend (finance, through billing)."""
    initiative = selectors.initiative_get(actor=request.user, pk=pk)
    coop = initiative.cooperation
    if kind == "tilldela":
        if not selectors.may_manage(request.user, coop):
            raise NotFound()
        write, heading = services.funding_allocate, _("Tilldela ur digitaliseringsfonden")
    elif kind == "betala":
        if not permissions.can(request.user, billing_actions.MANAGE_FUND, coop.root):
            raise NotFound()
        write, heading = services.funding_spend, _("Betala ut ur digitaliseringsfonden")
    else:
        raise NotFound()
    form = FundingForm(request.POST if request.method == "POST" else None, prefix="f")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            write(
                actor=request.user,
                initiative=initiative,
                amount=data["amount"],
                date=data["date"],
                decision_reference=data["decision_reference"] or "",
                note=data["note"] or "",
            )
            messages.success(request, _("Finansieringen är sparad."))
            return redirect("portfolio:detail", pk=pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "portfolio/simple_form.html",
        {
            "form": form,
            "initiative": initiative,
            "heading": heading,
            "submit": _("Spara"),
            "fund": selectors.fund_position_get(cooperation=coop),
        },
        status=400 if form.errors else 200,
    )


# --- benefits -----------------------------------------------------------------------------


def _benefit_form(request: HttpRequest, initiative: Initiative, **kwargs: Any) -> BenefitForm:
    munis = selectors.municipality_list(cooperation=initiative.cooperation)
    if not initiative.all_municipalities:
        munis = munis.filter(pk__in=initiative.sponsors.values("pk"))
    return BenefitForm(
        request.POST if request.method == "POST" else None,
        owners=selectors.owner_choice_list(cooperation=initiative.cooperation),
        municipalities=munis,
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def benefit_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _managed(request, pk)
    form = _benefit_form(request, initiative, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            services.benefit_create(actor=request.user, initiative=initiative, **data)
            messages.success(request, _("Nyttan är tillagd."))
            return redirect("portfolio:detail", pk=pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "portfolio/simple_form.html",
        {
            "form": form,
            "initiative": initiative,
            "heading": _("Planera nytta"),
            "submit": _("Lägg till"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def benefit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager corrects a benefit; its owner (or the municipality's reporter) reports the
    realised value."""
    benefit: Benefit = selectors.benefit_get(actor=request.user, pk=pk)
    initiative = benefit.initiative
    manager = selectors.may_manage(request.user, initiative.cooperation)
    if not manager and not selectors.may_report(request.user, benefit):
        raise NotFound()
    initial = {
        "municipality": benefit.municipality_id,
        "period": benefit.period,
        "kind": benefit.kind,
        "measure": benefit.measure,
        "unit": benefit.unit,
        "planned": benefit.planned,
        "realised": benefit.realised,
        "owner": benefit.owner_id,
        "comment": benefit.comment,
        "version": benefit.version,
    }
    form: Any
    if manager:
        form = _benefit_form(request, initiative, initial=initial)
    else:
        form = BenefitReportForm(
            request.POST if request.method == "POST" else None, initial=initial
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.benefit_update(
                actor=request.user, benefit=benefit, expected_version=version, **data
            )
            messages.success(request, _("Nyttan är sparad."))
            back = request.POST.get("next")
            if back == "list":
                return redirect("portfolio:benefits")
            return redirect("portfolio:detail", pk=initiative.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "portfolio/benefit_form.html",
        {
            "form": form,
            "benefit": benefit,
            "initiative": initiative,
            "next": request.GET.get("next") or request.POST.get("next") or "",
        },
        status=400 if form.errors else 200,
    )


def _benefit_filters(request: HttpRequest, coop: Cooperation) -> tuple[BenefitFilterForm, dict]:
    form = BenefitFilterForm(
        request.GET or None, municipalities=selectors.municipality_list(cooperation=coop)
    )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {k: data.get(k) or None for k in ("municipality", "kind", "period_from")}
        if data.get("period_to"):
            filters["period_to"] = data["period_to"]
        if data.get("mine"):
            filters["owner"] = request.user.pk
        if data.get("missing"):
            filters["missing"] = True
    return form, filters


@login_required
@require_GET
def benefit_list(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    form, filters = _benefit_filters(request, coop)
    qs = selectors.benefit_list(actor=request.user, filters=filters)
    return render(
        request,
        "portfolio/benefit_list.html",
        {"form": form, "page": paginate(request, qs), "qs": querystring_without_page(request)},
    )


@login_required
@require_GET
def benefit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    coop = _cooperation(request)
    if fmt not in exports.FORMATS:
        raise NotFound()
    _form, filters = _benefit_filters(request, coop)
    return _file(
        exports.benefits_file(fmt, selectors.benefit_list(actor=request.user, filters=filters))
    )


# --- criteria ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    if not permissions.can(request.user, actions.SET_CRITERIA, coop.root):
        raise NotFound()
    current = selectors.criteria_get(coop)
    initial: dict[str, Any] = {f"weight_{c}": w for c, w in current.weights().items()}
    initial["version"] = current.version if current.pk else None
    form = CriteriaForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.criteria_set(
                actor=request.user,
                cooperation=coop,
                expected_version=data.get("version"),
                weights={c: data[f"weight_{c}"] for c in rules.CRITERIA},
            )
            messages.success(request, _("Vikterna är sparade och prioriteterna omräknade."))
            return redirect("portfolio:list")
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "portfolio/simple_form.html",
        {
            "form": form,
            "initiative": None,
            "heading": _("Prioriteringskriterier"),
            "intro": _(
                "Prioriteten räknas ut från initiativets betyg 1–5 för nytta, angelägenhet, "
                "insats och risk, vägda med vikterna 0–10. Hög insats och hög risk sänker "
                "prioriteten. Resultatet är 0–100."
            ),
            "submit": _("Spara och räkna om"),
        },
        status=400 if form.errors else 200,
    )


# --- overview and report --------------------------------------------------------------


def _money(value: Any) -> str:
    return "–" if value is None else f"{value:,.0f} kr".replace(",", " ")


STATE_SERIES = [
    InitiativeState.IDEA,
    InitiativeState.ASSESSMENT,
    InitiativeState.APPROVED,
    InitiativeState.IN_PROGRESS,
    InitiativeState.DELIVERED,
    InitiativeState.STOPPED,
]
# The roadmap colours by phase: planned (idea, assessment), decided, running, finished.
PHASE = {"idea": 0, "assessment": 0, "approved": 1, "in_progress": 2, "delivered": 3, "stopped": 3}


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _cooperation(request)
    initiatives = list(selectors.initiative_list(actor=request.user, ordering="start"))
    dated = [i for i in initiatives if i.end is not None]
    first = min((i.start for i in initiatives), default=dt.date.today())
    last = max((i.end or i.start for i in initiatives), default=dt.date.today())
    first = dt.date(first.year, 1, 1)
    last = dt.date(last.year, 12, 31)
    phases = [_("Planerat"), _("Beslutat"), _("Pågår"), _("Avslutat")]
    roadmap = charts.roadmap(
        chart_id="roadmap",
        title=_("Färdplan"),
        description=_(
            "Varje initiativ som en stapel från start till slut, färgad efter läge. "
            "Samma uppgifter finns i tabellen."
        ),
        bars=[
            charts.RoadmapBar(f"{i.code} {i.title}"[:34], i.start, i.end or last, PHASE[i.state])
            for i in initiatives
        ],
        series=phases,
        first=first,
        last=last,
    )
    active = [i for i in initiatives if i.state not in rules.FINAL_STATES]
    matrix = charts.value_effort(
        chart_id="value-effort",
        title=_("Nytta och insats"),
        description=_(
            "Ej avslutade initiativ efter nytta (uppåt) och insats (åt höger), 1–5. Snabba "
            "vinster ligger uppe till vänster. Samma uppgifter finns i tabellen."
        ),
        points=[charts.Point(i.code, i.value, i.effort) for i in active],
        value_label=_("Nytta"),
        effort_label=_("Insats"),
    )
    priority = bar_chart(
        chart_id="priority",
        title=_("Prioritet"),
        description=_("Ej avslutade initiativ med sin uträknade prioritet 0–100."),
        rows=[
            (f"{i.code} {i.title}"[:30], [i.priority_score])
            for i in sorted(active, key=lambda i: -i.priority_score)
        ],
        top=100,
        fmt=lambda v: "–" if v is None else str(v).replace(".", ","),
    )
    return render(
        request,
        "portfolio/overview.html",
        {
            "initiatives": initiatives,
            "active": sorted(active, key=lambda i: (-i.value, i.effort, i.code)),
            "roadmap": roadmap,
            "matrix": matrix,
            "priority": priority,
            "undated": len(initiatives) - len(dated),
            "phases": phases,
        },
    )


def _report_data(request: HttpRequest) -> dict[str, Any]:
    coop = _cooperation(request)
    form = PeriodForm(request.GET or None)
    first, last = form.period()
    rows = selectors.portfolio_report(actor=request.user, first=first, last=last)
    munis = selectors.benefit_by_municipality_report(actor=request.user, first=first, last=last)
    return {
        "cooperation": coop,
        "form": form,
        "first": first,
        "last": last,
        "rows": rows,
        "municipalities": munis,
        "totals": {
            key: sum((getattr(r, key) for r in rows), start=0)
            for key in (
                "planned_money",
                "realised_money",
                "planned_hours",
                "realised_hours",
                "allocated",
                "spent",
            )
        },
        "fund": selectors.fund_position_get(cooperation=coop),
        "colours": dict(StatusColour.choices),
        "period_qs": f"first={first:%Y-%m}&last={last:%Y-%m}",
    }


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    data = _report_data(request)
    rows = data["rows"]
    data["benefit_chart"] = bar_chart(
        chart_id="benefits",
        title=_("Planerad och realiserad nytta i kronor"),
        description=_("Per initiativ under perioden: planerad och realiserad nytta i kronor."),
        rows=[
            (f"{r.initiative.code}"[:30], [r.planned_money, r.realised_money])
            for r in rows
            if r.planned_money or r.realised_money
        ],
        series=[_("Planerat"), _("Realiserat")],
        fmt=_money,
    )
    return render(request, "portfolio/report.html", data)


@login_required
@require_GET
def report_export(request: HttpRequest) -> HttpResponse:
    data = _report_data(request)
    return _file(
        exports.report_file(
            first=data["first"],
            last=data["last"],
            rows=data["rows"],
            municipalities=data["municipalities"],
        )
    )
