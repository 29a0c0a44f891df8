"""Billing's management pages for finance and the cooperation administrator: cost pools with
their budgets and keys, usage records (list, export, credit, CSV import through the worker),
the digitalisation fund and the ledger settings of the SIE export.

Thin views: every write goes through billing.services. Whoever may not manage billing gets 404
for every page and every write (the pages of a cooperation are not even acknowledged)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from itfabrik.billing import permissions as actions
from itfabrik.billing import selectors, services
from itfabrik.billing.choices import ImportStatus, PoolKind
from itfabrik.billing.exports import usage_csv, usage_xlsx
from itfabrik.billing.models import AllocationKey, CostPool
from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.registry import current_cooperation
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page

from . import access
from .forms import (
    BudgetForm,
    CreditForm,
    ImportForm,
    KeyEndForm,
    KeyForm,
    LedgerForm,
    PoolCloseForm,
    PoolCreateForm,
    PoolEditForm,
    SpendForm,
    UsageFilterForm,
)

_NAV = (
    ("billing:pools", _lazy("Pooler och nycklar"), actions.MANAGE_POOLS),
    ("billing:usage", _lazy("Förbrukning"), actions.RECORD_USAGE),
    ("billing:usage_import", _lazy("Import av förbrukning"), actions.RECORD_USAGE),
    ("billing:fund", _lazy("Digitaliseringsfond"), actions.MANAGE_FUND),
    ("billing:ledger", _lazy("Bokföring (SIE)"), actions.APPROVE_INVOICE),
)


def _cooperation(request: HttpRequest, action: str) -> Any:
    if not access.holds_at_root(request, action):
        raise NotFound()
    return current_cooperation(request)


def _render(request: HttpRequest, template: str, context: dict[str, Any], current: str) -> Any:
    coop = current_cooperation(request)
    nav = []
    if coop is not None:
        for url_name, label, action in _NAV:
            if permissions.can(request.user, action, coop.root):
                nav.append(
                    {"url": reverse(url_name), "label": label, "current": url_name == current}
                )
    return render(request, template, {**context, "admin_nav": nav})


# --- pools, budgets and keys -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pools(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coop = _cooperation(request, actions.MANAGE_POOLS)
    form = PoolCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.pool_create(actor=actor, cooperation=coop, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Poolen är skapad."))
            return redirect("billing:pool_detail", pk=pool.pk)
    return _render(
        request,
        "billing/manage/pools.html",
        {"pools": selectors.managed_pool_list(actor=actor, cooperation=coop), "form": form},
        "billing:pools",
    )


def _pool_page(request: HttpRequest, pool: CostPool, **forms: Any) -> HttpResponse:
    members = services.member_municipalities(cooperation=pool.cooperation)
    keys = list(pool.keys.all())
    context = {
        "pool": pool,
        "budgets": list(pool.budgets.all()),
        "keys": keys,
        "edit_form": forms.get("edit_form")
        or PoolEditForm(
            initial={"version": pool.version, "name": pool.name, "description": pool.description}
        ),
        "close_form": forms.get("close_form") or PoolCloseForm(initial={"version": pool.version}),
        "budget_form": forms.get("budget_form") or BudgetForm(),
        "key_form": forms.get("key_form") or KeyForm(municipalities=members),
        "end_form": forms.get("end_form") or KeyEndForm(),
        "end_key": forms.get("end_key"),
        "members": members,
    }
    return _render(request, "billing/manage/pool_detail.html", context, "billing:pools")


def _managed_pool(request: HttpRequest, pk: int) -> CostPool:
    return selectors.managed_pool_get(actor=request.user, pk=pk)


@login_required
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _pool_page(request, _managed_pool(request, pk))


@login_required
@require_POST
def pool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _managed_pool(request, pk)
    form = PoolEditForm(request.POST)
    if form.is_valid():
        try:
            services.pool_update(
                actor=request.user,
                pool=pool,
                expected_version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Poolen är sparad."))
            return redirect("billing:pool_detail", pk=pool.pk)
    return _pool_page(request, pool, edit_form=form)


@login_required
@require_POST
def pool_close(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _managed_pool(request, pk)
    form = PoolCloseForm(request.POST)
    if form.is_valid():
        try:
            services.pool_close(
                actor=request.user,
                pool=pool,
                expected_version=form.cleaned_data["version"],
                closed_after=form.cleaned_data["closed_after"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Poolen är stängd."))
            return redirect("billing:pool_detail", pk=pool.pk)
    return _pool_page(request, pool, close_form=form)


@login_required
@require_POST
def budget_set(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _managed_pool(request, pk)
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            services.budget_set(
                actor=request.user,
                pool=pool,
                year=form.cleaned_data["year"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Budgeten är sparad."))
            return redirect("billing:pool_detail", pk=pool.pk)
    return _pool_page(request, pool, budget_form=form)


@login_required
@require_POST
def key_new(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _managed_pool(request, pk)
    form = KeyForm(
        request.POST, municipalities=services.member_municipalities(cooperation=pool.cooperation)
    )
    if form.is_valid():
        try:
            services.key_adopt(
                actor=request.user,
                pool=pool,
                method=form.cleaned_data["method"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
                decision_reference=form.cleaned_data["decision_reference"],
                percentages=form.percentages(),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Den nya nyckelversionen är antagen."))
            return redirect("billing:pool_detail", pk=pool.pk)
    return _pool_page(request, pool, key_form=form)


@login_required
@require_POST
def key_end(request: HttpRequest, pk: int, key_pk: int) -> HttpResponse:
    pool = _managed_pool(request, pk)
    key = AllocationKey.objects.filter(pool=pool, pk=key_pk).select_related("pool").first()
    if key is None:
        raise NotFound()
    form = KeyEndForm(request.POST)
    if form.is_valid():
        try:
            services.key_end(actor=request.user, key=key, valid_to=form.cleaned_data["valid_to"])
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Nyckelversionen är avslutad."))
            return redirect("billing:pool_detail", pk=pool.pk)
    return _pool_page(request, pool, end_form=form, end_key=key)


# --- usage records ---------------------------------------------------------------------------


@login_required
def usage(request: HttpRequest) -> HttpResponse:
    """Usage records the actor may correct, filtered and paginated in the database; the same
    filter exports every matching row as CSV or XLSX."""
    actor = request.user
    coop = _cooperation(request, actions.RECORD_USAGE)
    members = services.member_municipalities(cooperation=coop)
    form = UsageFilterForm(request.GET or None, municipalities=members)
    values: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
    qs = selectors.usage_list(
        actor=actor,
        action=actions.RECORD_USAGE,
        municipality_id=int(values["municipality"]) if values.get("municipality") else None,
        used_from=values.get("used_from"),
        used_to=values.get("used_to"),
        search=values.get("q") or None,
    ).select_related("municipality")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = qs.iterator(chunk_size=2000)
        file = usage_csv(rows) if fmt == "csv" else usage_xlsx(rows)
        response = HttpResponse(file.data, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response
    qs_text = querystring_without_page(request)
    return _render(
        request,
        "billing/manage/usage_list.html",
        {"form": form, "page": paginate(request, qs), "qs": qs_text},
        "billing:usage",
    )


@login_required
@require_http_methods(["GET", "POST"])
def usage_credit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    record = selectors.usage_manage_get(actor=actor, pk=pk)
    form = CreditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.usage_credit(actor=actor, record=record, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Posten är krediterad."))
            return redirect("billing:usage")
    credited = record.corrections.filter(is_credit=True).first()
    return _render(
        request,
        "billing/manage/usage_credit.html",
        {"record": record, "form": form, "credited": credited},
        "billing:usage",
    )


@login_required
@require_http_methods(["GET", "POST"])
def usage_import(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coop = _cooperation(request, actions.RECORD_USAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = services.usage_import_check(
                actor=actor, cooperation=coop, data=upload.read(), file_name=upload.name
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return redirect("billing:usage_import_detail", pk=imp.pk)
    imports = selectors.usage_import_list(actor=actor, cooperation=coop)
    return _render(
        request,
        "billing/manage/usage_import.html",
        {"form": form, "page": paginate(request, imports)},
        "billing:usage_import",
    )


@login_required
@require_http_methods(["GET", "POST"])
def usage_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    imp = selectors.usage_import_get(actor=actor, pk=pk)
    if request.method == "POST":
        raw = request.POST.get("version", "")
        try:
            services.usage_import_commit(
                actor=actor,
                usage_import=imp,
                expected_version=int(raw) if raw.isdecimal() else -1,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        return redirect("billing:usage_import_detail", pk=imp.pk)
    context = {
        "imp": imp,
        "polling": imp.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "can_start": imp.status == ImportStatus.CHECKED,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "billing/manage/_import_status.html", context)
    return _render(request, "billing/manage/usage_import_detail.html", context, "billing:usage")


# --- the digitalisation fund ------------------------------------------------------------------


@login_required
def fund(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request, actions.MANAGE_FUND)
    first = selectors.managed_fund_list(actor=request.user, cooperation=coop).first()
    if first is None:
        raise NotFound()
    return redirect("billing:fund_detail", pk=first.pk)


@login_required
@require_http_methods(["GET", "POST"])
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    pool = selectors.managed_fund_get(actor=actor, pk=pk)
    form = SpendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_spend(actor=actor, pool=pool, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Utgiften är bokförd mot fonden."))
            return redirect("billing:fund_detail", pk=pool.pk)
    status = selectors.fund_summary(actor=actor, pool=pool)
    return _render(
        request,
        "billing/manage/fund.html",
        {
            "pool": pool,
            "status": status,
            "contributions": selectors.fund_contribution_list(pool),
            "keys": list(pool.keys.order_by("-valid_from")),
            "can_manage_pool": permissions.can(actor, actions.MANAGE_POOLS, pool.cooperation.root),
            "form": form,
            "fund_kind": PoolKind.FUND,
        },
        "billing:fund",
    )


# --- ledger settings (SIE) --------------------------------------------------------------------


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request, actions.APPROVE_INVOICE)
    return _render(
        request,
        "billing/manage/ledger.html",
        {"rows": selectors.ledger_row_list(actor=request.user, cooperation=coop)},
        "billing:ledger",
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    municipality = selectors.ledger_municipality_get(actor=actor, pk=pk)
    current = services.ledger_settings_for(municipality)
    initial = {
        "version": current.version if current.pk else 0,
        "voucher_series": current.voucher_series,
        "shared_account": current.shared_account,
        "consumption_account": current.consumption_account,
        "fund_account": current.fund_account,
        "counter_account": current.counter_account,
    }
    form = LedgerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v.strip() for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.ledger_settings_set(
                actor=actor,
                municipality=municipality,
                expected_version=form.cleaned_data["version"] or 0,
                **values,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Bokföringsinställningarna är sparade."))
            return redirect("billing:ledger")
    return _render(
        request,
        "billing/manage/ledger_edit.html",
        {"municipality": municipality, "form": form, "stored": bool(current.pk)},
        "billing:ledger",
    )
