"""The report pages: a filter form, and per table its chart, the table and its exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from itfabrik.core import permissions
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.web.charts import bar_chart, count, percent
from itfabrik.servicedesk.choices import Channel, Priority

from .. import exports, params, selectors
from ..permissions import VIEW_REPORTS
from ..selectors import PERCENT, Report, Table


def _require(request: HttpRequest, key: str | None = None) -> None:
    if not permissions.can_anywhere(request.user, VIEW_REPORTS):
        raise NotFound()
    if key is not None and key not in selectors.REPORTS:
        raise NotFound()


def _nav() -> list[tuple[str, Any]]:
    return list(selectors.REPORT_TITLES.items())


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require(request)
    return render(request, "deskreports/index.html", {"reports": _nav()})


def _chart(report: Report, table: Table, f: params.ReportFilter) -> Any:
    if not table.rows or not table.chart:
        return None
    cols = {c.key: c for c in table.columns}
    shares = table.chart_kind == PERCENT
    return bar_chart(
        chart_id=f"{report.key}-{table.key}",
        title=f"{table.title}, {f.first_month} – {f.last_month}",
        description=_("%(what)s per rad i tabellen nedan: %(series)s.")
        % {
            "what": _("Andel i procent") if shares else _("Antal"),
            "series": ", ".join(str(cols[k].label) for k in table.chart),
        },
        rows=[(str(r["label"]), [r.get(k) for k in table.chart]) for r in table.rows],
        series=[str(cols[k].label) for k in table.chart],
        fmt=percent if shares else count,
        top=100 if shares else None,
    )


@login_required
def report(request: HttpRequest, key: str) -> HttpResponse:
    _require(request, key)
    opts = params.options(request.user)
    context: dict[str, Any] = {
        "reports": _nav(),
        "key": key,
        "title": selectors.REPORT_TITLES[key],
        "options": opts,
        "values": {name: request.GET.get(name, "") for name in params.FIELDS},
        "defaults": params.default_months(),
        "priorities": Priority.choices,
        "channels": Channel.choices,
    }
    try:
        f = params.parse(request.user, request.GET, opts)
    except ValidationFailed as exc:
        context["errors"] = exc.fields
        return render(request, "deskreports/report.html", context, status=400)
    rep = selectors.REPORTS[key](request.user, f)
    query = urlencode(f.querystring)
    context.update(
        report=rep,
        filter=f,
        query=query,
        tables=[{"table": t, "chart": _chart(rep, t, f), "cells": _cells(t)} for t in rep.tables],
    )
    return render(request, "deskreports/report.html", context)


def _cells(table: Table) -> list[tuple[str, list[str]]]:
    """Each row as its label and its other cells written out (shares and scores with a decimal
    comma)."""
    out = []
    for row in table.rows:
        cells = []
        for c in table.columns[1:]:
            v = row.get(c.key)
            cells.append("–" if v is None else exports.written(v, c.kind))
        out.append((str(row["label"]), cells))
    return out


@login_required
def export(request: HttpRequest, key: str, table: str, fmt: str) -> HttpResponse:
    _require(request, key)
    if fmt not in exports.FORMATS:
        raise NotFound()
    f = params.parse(request.user, request.GET, params.options(request.user))
    rep = selectors.REPORTS[key](request.user, f)
    try:
        tbl = rep.table(table)
    except KeyError:
        raise NotFound() from None
    file = exports.render(rep, tbl, f, fmt)
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
