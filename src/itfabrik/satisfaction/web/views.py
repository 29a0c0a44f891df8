"""Satisfaction's pages: the requester's resolved tickets with one-click ratings, a rating page
per ticket, the signed link of the resolution mail (works without signing in, for that ticket
only; a GET never writes), the figures with charts, tables and exports, and the alerts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.charts import Value, bar_chart
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page

from .. import exports, rules, selectors, services, tokens
from ..choices import Dimension, RatingChannel, Score
from ..selectors import Period
from .forms import AcknowledgeForm, CommentForm, PeriodForm, RatingForm


def _already_rated() -> str:
    return _("Du har redan betygsatt ärendet. Ditt svar står kvar.")


def _thanks() -> str:
    return _("Tack för ditt betyg!")


# --- the requester ------------------------------------------------------------------------------


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """Betygsätt dina lösta ärenden: each unrated one with five buttons, one click each."""
    qs = selectors.my_resolved_ticket_list(actor=request.user)
    return render(
        request,
        "satisfaction/portal.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "scores": Score.choices,
        },
    )


def _editable(rating: Any) -> bool:
    return rating is not None and rules.may_edit_comment(
        rating.rated_at, timezone.now(), services.comment_edit_days()
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """One ticket: the five buttons and a comment, or the answer already given."""
    actor = request.user
    ticket = selectors.my_ticket_get(actor=actor, pk=pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if selectors.ticket_rating_get(ticket) is not None:
            messages.info(request, _already_rated())
            return redirect("satisfaction:rate", pk=ticket.pk)
        if form.is_valid():
            try:
                _rating, created = services.rating_submit(
                    actor=actor,
                    ticket=ticket,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    channel=RatingChannel.PORTAL,
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _thanks() if created else _already_rated())
                return redirect("satisfaction:rate", pk=ticket.pk)
    rating = selectors.ticket_rating_get(ticket)
    return render(
        request,
        "satisfaction/rate.html",
        {
            "ticket": ticket,
            "rating": rating,
            "form": form,
            "scores": Score.choices,
            "editable": _editable(rating),
            "comment_form": CommentForm(
                initial={"comment": rating.comment, "version": rating.version}
            )
            if rating is not None
            else None,
            "edit_days": services.comment_edit_days(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the comment of one's rating (within the configured days)."""
    actor = request.user
    ticket = selectors.my_ticket_get(actor=actor, pk=pk)
    rating = selectors.ticket_rating_get(ticket)
    if rating is None:
        raise NotFound()
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.rating_comment_edit(
                actor=actor,
                rating=rating,
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Kommentaren är sparad."))
            return redirect("satisfaction:rate", pk=ticket.pk)
    return render(
        request,
        "satisfaction/rate.html",
        {
            "ticket": ticket,
            "rating": rating,
            "form": RatingForm(),
            "scores": Score.choices,
            "editable": _editable(rating),
            "comment_form": form,
            "edit_days": services.comment_edit_days(),
        },
        status=400 if form.errors else 409,
    )


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    """The resolution mail's one-click link. A GET shows the five choices as buttons and never
    writes (mail scanners follow links); pressing one posts. The signed token is the only
    credential: it names one ticket and its requester, and expires."""
    try:
        claim = tokens.read_token(token)
    except tokens.LinkExpired:
        return render(
            request,
            "satisfaction/link_invalid.html",
            {"expired": True, "days": tokens.link_days()},
            status=410,
        )
    except tokens.LinkInvalid:
        return render(request, "satisfaction/link_invalid.html", {"expired": False}, status=404)
    ticket = selectors.ticket_for_link_get(
        ticket_id=claim.ticket_id, requester_id=claim.requester_id
    )
    form = RatingForm(request.POST or None)
    created = False
    if request.method == "POST" and selectors.ticket_rating_get(ticket) is None and form.is_valid():
        try:
            _rating, created = services.rating_submit(
                actor=ticket.requester,
                ticket=ticket,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                channel=RatingChannel.LINK,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        ticket = selectors.ticket_for_link_get(
            ticket_id=claim.ticket_id, requester_id=claim.requester_id
        )
    rating = selectors.ticket_rating_get(ticket)
    return render(
        request,
        "satisfaction/link.html",
        {
            "ticket": ticket,
            "rating": rating,
            "created": created,
            "repeat": request.method == "POST" and rating is not None and not created,
            "form": form,
            "scores": Score.choices,
        },
        status=400 if form.errors else 200,
    )


# --- the figures --------------------------------------------------------------------------------


def _pct(value: Value) -> str:
    return "–" if value is None else f"{value} %".replace(".", ",")


def _score(value: Value) -> str:
    return "–" if value is None else str(value).replace(".", ",")


def _require_reports(request: HttpRequest) -> None:
    if not selectors.may_view_reports(request.user):
        raise NotFound()


def _dimension_label(dimension: str) -> str:
    return str(Dimension(dimension).label)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Response rate and average score per municipality, group, service and month, for a
    chosen period: each a chart with its table and exports."""
    _require_reports(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    period = Period(start, end)
    sections = []
    for dimension in Dimension.values:
        rows = selectors.rating_report(actor=request.user, dimension=dimension, period=period)
        label = _dimension_label(dimension)
        sections.append(
            {
                "dimension": dimension,
                "label": label,
                "rows": rows,
                "total": selectors.rating_report_summary(rows),
                "rate_chart": bar_chart(
                    chart_id=f"rate-{dimension}",
                    title=_("Svarsfrekvens per %(what)s") % {"what": label.lower()},
                    description=_("Andel lösta ärenden som fått betyg, i procent."),
                    rows=[(r.label, [r.response_rate]) for r in rows],
                    top=Decimal(100),
                    fmt=_pct,
                ),
                "score_chart": bar_chart(
                    chart_id=f"score-{dimension}",
                    title=_("Medelbetyg per %(what)s") % {"what": label.lower()},
                    description=_("Medelbetyget från 1 till 5 bland de betygsatta ärendena."),
                    rows=[(r.label, [r.average]) for r in rows],
                    top=Decimal(rules.MAX_SCORE),
                    fmt=_score,
                    colours=("#2e7d32",),
                ),
            }
        )
    return render(
        request,
        "satisfaction/report.html",
        {
            "form": form,
            "period": period,
            "sections": sections,
            "period_qs": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
        },
    )


@login_required
def report_export(request: HttpRequest, dimension: str, fmt: str) -> HttpResponse:
    _require_reports(request)
    if dimension not in Dimension.values or fmt not in exports.FORMATS:
        raise NotFound()
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    period = Period(start, end)
    rows = selectors.rating_report(actor=request.user, dimension=dimension, period=period)
    render_file = exports.to_csv if fmt == "csv" else exports.to_xlsx
    file = render_file(
        dimension=dimension,
        dimension_label=_dimension_label(dimension),
        period=period,
        rows=rows,
    )
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


# --- alerts ---------------------------------------------------------------------------------


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """Low scores the actor follows up: as the group's team lead, or handling alerts there."""
    show_all = request.GET.get("visa") == "alla"
    qs = selectors.alert_list(actor=request.user, open_only=not show_all)
    return render(
        request,
        "satisfaction/alerts.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "show_all": show_all,
            "form": AcknowledgeForm(),
        },
    )


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get(actor=request.user, pk=pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.alert_acknowledge(
                actor=request.user, alert=alert, note=form.cleaned_data["note"]
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message) if not exc.fields else _first(exc))
        else:
            messages.success(
                request, _("Larmet för %(ref)s är kvitterat.") % {"ref": alert.ticket.reference}
            )
    else:
        messages.error(request, _first_form(form))
    return redirect("satisfaction:alerts")


def _first(exc: ApplicationError) -> str:
    return next((str(m) for msgs in exc.fields.values() for m in msgs), str(exc.message))


def _first_form(form: Any) -> str:
    return next((str(m) for msgs in form.errors.values() for m in msgs), "")
