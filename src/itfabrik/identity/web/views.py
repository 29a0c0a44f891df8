"""Identity's pages: persons (list, hire, detail with employments, accounts and grants), policy
violations with their remedy tickets, approvals, access reviews, licences and the CSV import.
Thin: every read through the selectors, every write through the services."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.identity import imports, selectors, services
from itfabrik.identity import permissions as actions
from itfabrik.identity.choices import AccountKind, ViolationKind
from itfabrik.identity.models import BusinessRole
from itfabrik.tenancy.models import OrgNode

from .forms import (
    CampaignForm,
    DirectGrantForm,
    EmploymentEndForm,
    HireForm,
    ImportForm,
    RoleChangeForm,
    VersionForm,
)


def _require_view(request: HttpRequest) -> None:
    if not selectors.may_view(request.user):
        raise NotFound()


def _municipalities(request: HttpRequest, action: str = actions.VIEW_IDENTITY) -> Any:
    return OrgNode.objects.filter(
        permissions.scope_q(request.user, action), kind="municipality", is_active=True
    ).order_by("name")


def _flash_error(request: HttpRequest, exc: ApplicationError) -> None:
    parts = [str(m) for msgs in exc.fields.values() for m in msgs]
    messages.error(request, " ".join([str(exc.message), *parts]))


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdecimal() and len(value) < 19 else None


# --- persons ------------------------------------------------------------------------------------


@login_required
@require_GET
def persons(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    filters: dict[str, Any] = {
        "q": request.GET.get("q", "").strip()[:100] or None,
        "municipality": _int_param(request, "kommun"),
    }
    qs = selectors.person_list(actor=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        return _persons_csv(request, qs)
    return render(
        request,
        "identity/persons.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "municipalities": list(_municipalities(request)),
            "chosen": {k: "" if v is None else str(v) for k, v in filters.items()},
            "may_manage": selectors.may_manage(request.user),
        },
    )


def _persons_csv(request: HttpRequest, qs: Any) -> HttpResponse:
    """The list as CSV (semicolon, UTF-8 with BOM for Swedish Excel); numbers masked."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([_("Efternamn"), _("Förnamn"), _("Hemkommun"), _("Anställningar")])
    for p in qs.iterator(chunk_size=500):
        jobs = ", ".join(
            f"{e.title} ({e.municipality.name})" for e in getattr(p, "current_employments", [])
        )
        w.writerow([_safe(p.last_name), _safe(p.first_name), p.home.name, _safe(jobs)])
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personer.csv"'
    return response


def _safe(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _manageable_units(request: HttpRequest) -> Any:
    return (
        OrgNode.objects.filter(
            permissions.scope_q(request.user, actions.MANAGE_IDENTITY),
            kind="unit",
            is_active=True,
            municipality__isnull=False,
        )
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


def _roles(request: HttpRequest) -> Any:
    return (
        BusinessRole.objects.filter(
            permissions.scope_q(
                request.user, actions.MANAGE_IDENTITY, path_field="municipality__path"
            ),
            is_active=True,
        )
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def hire(request: HttpRequest) -> HttpResponse:
    """A joiner: the person, the employment, and from it the account, address, entitlements and
    the package order."""
    if not selectors.may_manage(request.user):
        raise NotFound()
    form = HireForm(
        request.POST if request.method == "POST" else None,
        units=_manageable_units(request),
        roles=_roles(request),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                person = services.person_create(
                    actor=request.user,
                    home=d["unit"],
                    first_name=d["first_name"],
                    last_name=d["last_name"],
                    personal_number=d["personal_number"] or "",
                )
                services.employment_create(
                    actor=request.user,
                    person=person,
                    unit=d["unit"],
                    title=d["title"],
                    start=d["start"],
                    end=d["end"],
                    business_role=d["business_role"],
                )
            messages.success(
                request, _("Personen är anställd och har fått konto och behörigheter.")
            )
            return redirect("identity:person", pk=person.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(request, "identity/hire.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request)
    actor = request.user
    found = selectors.person_get(actor=actor, pk=pk)
    accounts = list(selectors.account_list(actor=actor, filters={"person": found.pk}))
    grants = list(
        selectors.grant_list(actor=actor).filter(account__person=found).order_by("status", "pk")
    )
    employments = list(selectors.employment_list(actor=actor, person=found))
    may_manage = selectors.may_manage(actor, found.home)
    roles = {
        e.pk: RoleChangeForm(
            roles=BusinessRole.objects.filter(municipality_id=e.municipality_id, is_active=True)
            .exclude(pk=e.business_role_id or 0)
            .order_by("name"),
            prefix=f"e{e.pk}",
        )
        for e in employments
        if may_manage and e.end is None
    }
    return render(
        request,
        "identity/person.html",
        {
            "person": found,
            "personal_number": selectors.shown_personal_number_get(actor, found),
            "accounts": accounts,
            "grants": grants,
            "employments": [
                (
                    e,
                    EmploymentEndForm(initial={"version": e.version}, prefix=f"end{e.pk}"),
                    roles.get(e.pk),
                )
                for e in employments
            ],
            "may_manage": may_manage,
            "has_privileged": any(a.kind == AccountKind.PRIVILEGED for a in accounts),
            "grant_form": _grant_form(request, found) if may_manage else None,
        },
    )


def _grant_form(request: HttpRequest, found: Any, data: Any = None) -> DirectGrantForm:
    return DirectGrantForm(
        data,
        accounts=selectors.account_list(actor=request.user, filters={"person": found.pk}).filter(
            status="active"
        ),
        entitlements=selectors.entitlement_list(actor=request.user),
        prefix="grant",
    )


@login_required
@require_POST
def grant_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A direct grant outside any role: it waits for the municipality's approver."""
    found = selectors.person_get(actor=request.user, pk=pk)
    form = _grant_form(request, found, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.grant_request(
                actor=request.user,
                account=d["account"],
                entitlement=d["entitlement"],
                valid_until=d["valid_until"],
                reason=d["reason"],
            )
            messages.success(request, _("Tilldelningen väntar på godkännande."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        parts = [
            f"{form.fields[k].label}: {' '.join(str(m) for m in v)}"
            if k in form.fields
            else " ".join(str(m) for m in v)
            for k, v in form.errors.items()
        ]
        messages.error(request, " ".join(str(p) for p in parts))
    return redirect("identity:person", pk=found.pk)


@login_required
@require_POST
def employment_end(request: HttpRequest, pk: int) -> HttpResponse:
    employment = selectors.employment_get(actor=request.user, pk=pk)
    form = EmploymentEndForm(request.POST, prefix=f"end{pk}")
    if form.is_valid():
        try:
            services.employment_end(
                actor=request.user,
                employment=employment,
                end=form.cleaned_data["end"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(
                request, _("Slutdatumet är sparat. Kontona spärras efter sista dagen.")
            )
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Ange sista anställningsdag som ÅÅÅÅ-MM-DD."))
    return redirect("identity:person", pk=employment.person_id)


@login_required
@require_POST
def role_change_request(request: HttpRequest, pk: int) -> HttpResponse:
    employment = selectors.employment_get(actor=request.user, pk=pk)
    form = RoleChangeForm(
        request.POST,
        roles=BusinessRole.objects.filter(municipality_id=employment.municipality_id),
        prefix=f"e{pk}",
    )
    if form.is_valid():
        try:
            change = services.role_change_request(
                actor=request.user, employment=employment, to_role=form.cleaned_data["to_role"]
            )
            messages.success(request, _("Rollbytet väntar på rollägarens godkännande."))
            return redirect("identity:role_change", pk=change.pk)
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Välj en roll."))
    return redirect("identity:person", pk=employment.person_id)


@login_required
@require_http_methods(["GET", "POST"])
def role_change(request: HttpRequest, pk: int) -> HttpResponse:
    """The difference a role change makes, and the approver's decision."""
    change = selectors.role_change_get(actor=request.user, pk=pk)
    may_decide = services.may_approve(request.user, change.employment.municipality, change.to_role)
    if request.method == "POST":
        if not may_decide:
            raise NotFound()
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                services.role_change_decide(
                    actor=request.user,
                    change=change,
                    approve=request.POST.get("decision") == "approve",
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, _("Beslutet är sparat."))
            except ApplicationError as exc:
                _flash_error(request, exc)
        return redirect("identity:role_change", pk=change.pk)
    added, removed = services.role_change_diff(change)
    return render(
        request,
        "identity/role_change.html",
        {"change": change, "added": added, "removed": removed, "may_decide": may_decide},
    )


@login_required
@require_POST
def privileged_create(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.person_get(actor=request.user, pk=pk)
    try:
        account = services.privileged_account_create(actor=request.user, person=found)
        messages.success(
            request,
            _("Det privilegierade kontot %(name)s är skapat.") % {"name": account.username},
        )
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect("identity:person", pk=found.pk)


@login_required
@require_POST
def account_disable(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(actor=request.user, pk=pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.account_disable(
                actor=request.user, account=account, expected_version=form.cleaned_data["version"]
            )
            messages.success(request, _("Kontot är spärrat och behörigheterna borttagna."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    target = account.person_id or account.owner_id
    return redirect("identity:person", pk=target)


# --- violations ---------------------------------------------------------------------------------


@login_required
@require_GET
def violations(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    kind = request.GET.get("typ") or None
    if kind not in ViolationKind.values:
        kind = None
    rows = selectors.violation_list(actor=request.user, kind=kind)
    return render(
        request,
        "identity/violations.html",
        {
            "page": paginate(request, rows),
            "qs": querystring_without_page(request),
            "kinds": ViolationKind.choices,
            "chosen": kind or "",
        },
    )


@login_required
@require_POST
def violation_ticket(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    kind = request.POST.get("kind", "")
    account = request.POST.get("account", "")
    person_id = request.POST.get("person", "")
    try:
        ticket = services.violation_remedy(
            actor=request.user,
            kind=kind,
            account_id=int(account) if account.isdecimal() and len(account) < 19 else None,
            person_id=int(person_id) if person_id.isdecimal() and len(person_id) < 19 else None,
        )
        messages.success(
            request, _("Ärende %(ref)s är skapat för åtgärden.") % {"ref": ticket.reference}
        )
    except NotFound:
        messages.error(request, _("Avvikelsen finns inte längre."))
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect(reverse("identity:violations"))


# --- approvals ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    if not permissions.can_anywhere(request.user, actions.APPROVE_ACCESS):
        raise NotFound()
    if request.method == "POST":
        grant = selectors.grant_get(actor=request.user, pk=request.POST.get("grant", "0"))
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                decide = (
                    services.grant_approve
                    if request.POST.get("decision") == "approve"
                    else services.grant_reject
                )
                decide(
                    actor=request.user, grant=grant, expected_version=form.cleaned_data["version"]
                )
                messages.success(request, _("Beslutet är sparat."))
            except ApplicationError as exc:
                _flash_error(request, exc)
        return redirect("identity:approvals")
    return render(
        request,
        "identity/approvals.html",
        {
            "grants": paginate(request, selectors.pending_grant_list(actor=request.user)),
            "changes": list(selectors.pending_change_list(actor=request.user)[:100]),
        },
    )


# --- access reviews -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reviews(request: HttpRequest) -> HttpResponse:
    if not (selectors.may_review(request.user) or selectors.may_view(request.user)):
        raise NotFound()
    municipalities = _municipalities(request, actions.MANAGE_ROLES)
    may_create = municipalities.exists()
    form = CampaignForm(
        request.POST if request.method == "POST" else None, municipalities=municipalities
    )
    if request.method == "POST":
        if not may_create:
            raise NotFound()
        if form.is_valid():
            try:
                campaign = services.review_campaign_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Granskningen är startad."))
                return redirect("identity:review", pk=campaign.pk)
            except ApplicationError as exc:
                add_application_error(form, exc)
    return render(
        request,
        "identity/reviews.html",
        {
            "page": paginate(request, selectors.review_campaign_list(actor=request.user)),
            "qs": querystring_without_page(request),
            "form": form if may_create else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager's page: each entitlement of their staff, to confirm or revoke."""
    campaign = selectors.review_campaign_get(actor=request.user, pk=pk)
    if request.method == "POST":
        item = selectors.review_item_get(actor=request.user, pk=request.POST.get("item", "0"))
        if item.campaign_id != campaign.pk:
            raise NotFound()
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                services.review_decide(
                    actor=request.user,
                    item=item,
                    decision=request.POST.get("decision", ""),
                    expected_version=form.cleaned_data["version"],
                )
            except ApplicationError as exc:
                _flash_error(request, exc)
        return redirect(
            f"{reverse('identity:review', args=[campaign.pk])}?{request.GET.urlencode()}"
        )
    return render(
        request,
        "identity/review.html",
        {
            "campaign": campaign,
            "page": paginate(
                request, selectors.review_item_list(actor=request.user, campaign=campaign)
            ),
            "qs": querystring_without_page(request),
        },
    )


# --- licences and import ------------------------------------------------------------------------


@login_required
@require_GET
def licences(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    pools = list(selectors.licence_pool_list(actor=request.user))
    for p in pools:
        p.free = p.purchased - p.used  # type: ignore[attr-defined]
        p.monthly_cost = p.monthly_price * p.used  # type: ignore[attr-defined]
    return render(request, "identity/licences.html", {"pools": pools})


@login_required
@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    if not selectors.may_manage(request.user):
        raise NotFound()
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(imports.MAX_BYTES + 1)
        result = imports.persons_import(
            actor=request.user, content=data, dry_run=form.cleaned_data["dry_run"]
        )
        if result.errors:
            messages.error(request, _("Filen har fel. Inget är sparat."))
        elif result.dry_run:
            messages.info(request, _("Provkörningen gick bra. Inget är sparat ännu."))
        else:
            messages.success(request, _("Importen är klar."))
    return render(
        request,
        "identity/import.html",
        {"form": form, "result": result},
        status=400 if (form.errors or (result and result.errors)) else 200,
    )
