"""The risk register's pages: the list (ranked, filtered, exported), a risk with its score over
time and its mitigation actions, the 5×5 heat map per scope, and workshops in which each
municipality scores the same risks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itfabrik.accounts.models import User
from itfabrik.catalog.models import Service
from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.registry import current_cooperation
from itfabrik.core.web.charts import bar_chart
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.portfolio.models import Initiative
from itfabrik.risks import exports, rules, selectors, services
from itfabrik.risks import permissions as actions
from itfabrik.risks.choices import Category, ScoreKind, Treatment
from itfabrik.risks.models import Risk
from itfabrik.systems.models import System
from itfabrik.tenancy.models import Cooperation, OrgNode

from .forms import ActionForm, RiskForm, WorkshopForm


def _cooperation(request: HttpRequest, action: str = actions.VIEW_RISKS) -> Cooperation:
    coop = current_cooperation(request)
    if coop is None or not permissions.can_anywhere(request.user, action):
        raise NotFound()
    return coop


def _people(coop: Cooperation) -> Any:
    return (
        User.objects.filter(is_active=True, assignments__node__cooperation=coop)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _filters(request: HttpRequest) -> dict[str, Any]:
    g = request.GET
    filters: dict[str, Any] = {"q": g.get("q", "").strip() or None}
    if g.get("omfattning", "").isdecimal():
        filters["scope"] = int(g["omfattning"])
    if g.get("kategori") in Category.values:
        filters["category"] = g["kategori"]
    if g.get("hantering") in Treatment.values:
        filters["treatment"] = g["hantering"]
    filters["is_open"] = g.get("stangda") != "1"
    return filters


@login_required
@require_GET
def risk_list(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    ordering = request.GET.get("sort") if request.GET.get("sort") in selectors.SORTS else "-score"
    qs = selectors.risk_list(actor=request.user, filters=_filters(request), ordering=ordering)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = list(qs)
        averages = selectors.workshop_average_summary(risk_ids=[r.pk for r in rows])
        file = (
            exports.risks_csv(rows, averages)
            if fmt == "csv"
            else exports.risks_xlsx(rows, averages)
        )
        response = HttpResponse(file.data, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response
    page = paginate(request, qs)
    averages = selectors.workshop_average_summary(risk_ids=[r.pk for r in page])
    for r in page:
        r.workshop = averages.get(r.pk)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "risks/list.html",
        {
            "page": page,
            "qs": querystring_without_page(request),
            "export_qs": params.urlencode(),
            "chosen": request.GET,
            "scopes": selectors.scope_choice_list(actor=request.user, cooperation=coop),
            "categories": Category.choices,
            "treatments": Treatment.choices,
            "may_manage": selectors.may_manage_anywhere(request.user),
        },
    )


def _risk_form(request: HttpRequest, coop: Cooperation, risk: Risk | None) -> RiskForm:
    scopes = OrgNode.objects.filter(
        pk__in=[
            n.pk
            for n in selectors.scope_choice_list(
                actor=request.user, cooperation=coop, action=actions.MANAGE_RISKS
            )
        ]
    ).order_by("path")
    initial: dict[str, Any] = {
        "review_months": 6,
        "is_open": True,
        "treatment": Treatment.UNDECIDED,
    }
    if risk is not None:
        initial = {f: getattr(risk, f) for f in services.RISK_FIELDS}
        initial["systems"] = list(risk.systems.all())
        initial["services"] = list(risk.services.all())
        initial["initiatives"] = list(risk.initiatives.all())
        initial["version"] = risk.version
    return RiskForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        scopes=scopes,
        owners=_people(coop),
        systems=System.objects.filter(cooperation=coop, is_active=True).order_by("name"),
        services=Service.objects.filter(cooperation=coop, is_active=True).order_by("name"),
        initiatives=Initiative.objects.filter(cooperation=coop).order_by("code", "pk"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request, actions.MANAGE_RISKS)
    form = _risk_form(request, coop, None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data.pop("is_open", None)
        try:
            risk = services.risk_create(
                actor=request.user,
                cooperation=coop,
                systems=list(data.pop("systems")),
                services=list(data.pop("services")),
                initiatives=list(data.pop("initiatives")),
                **data,
            )
            messages.success(request, _("Risken är registrerad."))
            return redirect("risks:detail", pk=risk.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request, "risks/form.html", {"form": form, "risk": None}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    risk = selectors.risk_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, risk.scope):
        raise NotFound()
    form = _risk_form(request, coop, risk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.risk_update(
                actor=request.user,
                risk=risk,
                expected_version=version,
                systems=list(data.pop("systems")),
                services=list(data.pop("services")),
                initiatives=list(data.pop("initiatives")),
                **data,
            )
            messages.success(request, _("Risken är sparad."))
            return redirect("risks:detail", pk=risk.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request, "risks/form.html", {"form": form, "risk": risk}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    risk = selectors.risk_get(actor=request.user, pk=pk)
    may_manage = selectors.may_manage(request.user, risk.scope)
    history = list(selectors.history_list(risk=risk))
    chart = bar_chart(
        chart_id="risk-history",
        title=_("Riskvärde över tid"),
        description=_("Inneboende och kvarvarande riskvärde vid varje ändring, skala 1–25."),
        rows=[
            (f"{h.recorded_at:%Y-%m-%d} {h.get_kind_display().lower()}", [h.score]) for h in history
        ],
        top=25,
    )
    averages = selectors.workshop_average_summary(risk_ids=[risk.pk]).get(risk.pk)
    return render(
        request,
        "risks/detail.html",
        {
            "risk": risk,
            "band": rules.band(risk.score),
            "history": history,
            "chart": chart,
            "actions": list(selectors.action_list(risk=risk)),
            "action_form": ActionForm(owners=_people(coop)) if may_manage else None,
            "may_manage": may_manage,
            "workshop": averages,
            "kinds": ScoreKind,
        },
    )


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    risk = selectors.risk_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, risk.scope):
        raise NotFound()
    form = ActionForm(request.POST, owners=_people(coop))
    if form.is_valid():
        try:
            services.action_add(actor=request.user, risk=risk, **form.cleaned_data)
            messages.success(request, _("Åtgärden är tillagd."))
        except ApplicationError as exc:
            messages.error(request, _first_error(exc))
    else:
        messages.error(
            request, " ".join(f"{form[f].label}: {e}" for f, es in form.errors.items() for e in es)
        )
    return redirect("risks:detail", pk=risk.pk)


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, action.risk.scope):
        raise NotFound()
    services.action_done(actor=request.user, action=action)
    messages.success(request, _("Åtgärden är klar."))
    return redirect("risks:detail", pk=action.risk_id)


@login_required
@require_POST
def risk_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, risk.scope):
        raise NotFound()
    try:
        services.risk_reviewed(actor=request.user, risk=risk, expected_version=None)
        messages.success(request, _("Uppföljningen är registrerad."))
    except ApplicationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("risks:detail", pk=risk.pk)


def _first_error(exc: ApplicationError) -> str:
    parts = [str(m) for msgs in exc.fields.values() for m in msgs]
    return " ".join(parts) or str(exc.message)


@login_required
@require_GET
def heat_map(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    scopes = selectors.scope_choice_list(actor=request.user, cooperation=coop)
    wanted = request.GET.get("omfattning", "")
    scope = next((s for s in scopes if str(s.pk) == wanted), None)
    residual = request.GET.get("kvarvarande") == "1"
    grid = selectors.heat_map_report(actor=request.user, scope=scope, residual=residual)
    return render(
        request,
        "risks/heat_map.html",
        {
            "grid": grid,
            "scopes": scopes,
            "scope": scope,
            "residual": residual,
            "probabilities": range(1, 6),
            "total": sum(c.count for row in grid for c in row),
        },
    )


# --- workshops ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def workshops(request: HttpRequest) -> HttpResponse:
    coop = current_cooperation(request)
    if coop is None or not (
        selectors.may_view(request.user)
        or permissions.can_anywhere(request.user, actions.SCORE_WORKSHOP)
    ):
        raise NotFound()
    may_manage = selectors.may_manage(request.user, coop.root)
    risks = selectors.risk_list(actor=request.user, filters={"is_open": True})
    form = WorkshopForm(request.POST if request.method == "POST" else None, risks=risks)
    if request.method == "POST":
        if not may_manage:
            raise NotFound()
        if form.is_valid():
            try:
                workshop = services.workshop_create(
                    actor=request.user,
                    cooperation=coop,
                    title=form.cleaned_data["title"],
                    held_on=form.cleaned_data["held_on"],
                    risks=list(form.cleaned_data["risks"]),
                )
                messages.success(request, _("Workshoppen är skapad."))
                return redirect("risks:workshop", pk=workshop.pk)
            except ApplicationError as exc:
                add_application_error(form, exc)
    return render(
        request,
        "risks/workshops.html",
        {
            "page": paginate(
                request, selectors.workshop_list(actor=request.user, cooperation=coop)
            ),
            "qs": querystring_without_page(request),
            "form": form if may_manage else None,
        },
        status=400 if form.errors else 200,
    )


def _scorable(request: HttpRequest, coop: Cooperation) -> list[OrgNode]:
    return [
        m
        for m in OrgNode.objects.filter(
            cooperation=coop, kind="municipality", is_active=True
        ).order_by("name")
        if permissions.can(request.user, actions.SCORE_WORKSHOP, m)
    ]


def _int_or_raw(value: str | None) -> Any:
    value = (value or "").strip()
    return int(value) if value.lstrip("-").isdecimal() else value


@login_required
@require_http_methods(["GET", "POST"])
def workshop(request: HttpRequest, pk: int) -> HttpResponse:
    ws = selectors.workshop_get(actor=request.user, pk=pk)
    coop = ws.cooperation
    municipalities = list(
        OrgNode.objects.filter(cooperation=coop, kind="municipality", is_active=True).order_by(
            "name"
        )
    )
    scorable = _scorable(request, coop)
    chosen = next((m for m in scorable if str(m.pk) == request.GET.get("kommun", "")), None)
    errors: dict[str, list[Any]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        if chosen is None or not ws.is_open:
            raise NotFound()
        scores = {}
        for risk in ws.risks.all():
            p = request.POST.get(f"probability-{risk.pk}")
            c = request.POST.get(f"consequence-{risk.pk}")
            posted[f"probability-{risk.pk}"] = p or ""
            posted[f"consequence-{risk.pk}"] = c or ""
            if p or c:
                scores[risk.pk] = (_int_or_raw(p), _int_or_raw(c))
        try:
            services.workshop_scores_set(
                actor=request.user, workshop=ws, municipality=chosen, scores=scores
            )
            messages.success(request, _("Poängen för %(m)s är sparade.") % {"m": chosen.name})
            return redirect(f"{request.path}?kommun={chosen.pk}")
        except ApplicationError as exc:
            errors = exc.fields
    rows = selectors.workshop_result_report(workshop=ws, municipalities=municipalities)
    form_rows = []
    if chosen is not None:
        for row in sorted(rows, key=lambda r: r.risk.title):
            mine = row.scores.get(chosen.pk)
            form_rows.append(
                {
                    "risk": row.risk,
                    "p": posted.get(
                        f"probability-{row.risk.pk}", str(mine.probability) if mine else ""
                    ),
                    "c": posted.get(
                        f"consequence-{row.risk.pk}", str(mine.consequence) if mine else ""
                    ),
                    "p_errors": [str(e) for e in errors.get(f"probability-{row.risk.pk}", [])],
                    "c_errors": [str(e) for e in errors.get(f"consequence-{row.risk.pk}", [])],
                }
            )
    table = [
        {
            "risk": r.risk,
            "cells": [r.scores.get(m.pk) for m in municipalities],
            "average": r.average,
            "spread": r.spread,
        }
        for r in rows
    ]
    return render(
        request,
        "risks/workshop.html",
        {
            "workshop": ws,
            "municipalities": municipalities,
            "scorable": scorable,
            "chosen": chosen,
            "table": table,
            "form_rows": form_rows,
            "has_errors": bool(errors),
            "scale": range(1, 6),
            "may_manage": selectors.may_manage(request.user, coop.root),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def workshop_close(request: HttpRequest, pk: int) -> HttpResponse:
    ws = selectors.workshop_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, ws.cooperation.root):
        raise NotFound()
    services.workshop_close(actor=request.user, workshop=ws)
    messages.success(request, _("Workshoppen är stängd."))
    return redirect("risks:workshop", pk=ws.pk)
