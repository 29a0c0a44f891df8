"""The system register's pages: the list (filtered, sorted, exported), a system with its uses,
integrations, KLASSA levels and self-assessment; duplicates, before buying, data-centre
phase-out; the capability vocabulary, the requirement set, information assets and open actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itfabrik.accounts.models import User
from itfabrik.core import klassa
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.registry import current_cooperation
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.systems import exports, selectors, services
from itfabrik.systems.choices import GAPS, Hosting, ProgrammeStatus
from itfabrik.systems.models import System
from itfabrik.systems.navigation import may_view_register
from itfabrik.tenancy.models import Cooperation, OrgNode

from .forms import (
    AssessmentForm,
    AssetForm,
    CapabilityForm,
    ClassifyForm,
    IntegrationForm,
    PlannedForm,
    RequirementForm,
    SystemForm,
    UseForm,
)


def _cooperation(request: HttpRequest) -> Cooperation:
    coop = current_cooperation(request)
    if coop is None or not selectors.may_view(request.user):
        raise NotFound()
    return coop


def _whole(request: HttpRequest) -> Cooperation:
    coop = _cooperation(request)
    if not may_view_register(request):
        raise NotFound()
    return coop


def _municipalities(coop: Cooperation) -> Any:
    return OrgNode.objects.filter(cooperation=coop, kind="municipality", is_active=True).order_by(
        "name"
    )


def _filters(request: HttpRequest) -> dict[str, Any]:
    g = request.GET
    filters: dict[str, Any] = {"q": g.get("q", "").strip() or None}
    if g.get("drift") in Hosting.values:
        filters["hosting"] = g["drift"]
    if g.get("status") in ProgrammeStatus.values:
        filters["status"] = g["status"]
    for key, param in (("capability", "formaga"), ("municipality", "kommun")):
        if g.get(param, "").isdecimal():
            filters[key] = int(g[param])
    filters["is_active"] = g.get("avslutade") != "1"
    return filters


@login_required
@require_GET
def system_list(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    filters = _filters(request)
    ordering = request.GET.get("sort") if request.GET.get("sort") in selectors.SORTS else "name"
    qs = selectors.system_list(actor=request.user, filters=filters, ordering=ordering)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        file = exports.systems_csv(qs) if fmt == "csv" else exports.systems_xlsx(qs)
        response = HttpResponse(file.data, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "systems/list.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "export_qs": params.urlencode(),
            "chosen": request.GET,
            "hostings": Hosting.choices,
            "statuses": ProgrammeStatus.choices,
            "capabilities": list(selectors.capability_list(actor=request.user, cooperation=coop)),
            "municipalities": list(_municipalities(coop)),
            "may_manage": selectors.may_manage(request.user, coop),
            "may_classify": selectors.may_classify(request.user, coop),
            "whole": may_view_register(request),
        },
    )


def _system_form(request: HttpRequest, coop: Cooperation, system: System | None) -> SystemForm:
    initial: dict[str, Any] = {"is_active": True, "status": ProgrammeStatus.MAPPED}
    if system is not None:
        initial = {
            "name": system.name,
            "supplier": system.supplier,
            "hosting": system.hosting,
            "status": system.status,
            "contract_end": system.contract_end,
            "capabilities": list(system.capabilities.all()),
            "description": system.description,
            "is_active": system.is_active,
            "version": system.version,
        }
    return SystemForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        capabilities=selectors.capability_list(actor=request.user, cooperation=coop),
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_create(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    if not selectors.may_manage(request.user, coop):
        raise NotFound()
    form = _system_form(request, coop, None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data.pop("is_active", None)
        try:
            system = services.system_create(
                actor=request.user,
                cooperation=coop,
                name=data["name"],
                supplier=data["supplier"],
                hosting=data["hosting"],
                status=data["status"],
                contract_end=data["contract_end"],
                description=data["description"],
                capabilities=list(data["capabilities"]),
            )
            messages.success(request, _("Systemet är registrerat."))
            return redirect("systems:detail", pk=system.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "systems/form.html",
        {"form": form, "system": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    system = selectors.system_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, coop):
        raise NotFound()
    form = _system_form(request, coop, system)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        caps = list(data.pop("capabilities"))
        try:
            services.system_update(
                actor=request.user,
                system=system,
                expected_version=version,
                capabilities=caps,
                **data,
            )
            messages.success(request, _("Systemet är sparat."))
            return redirect("systems:detail", pk=system.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "systems/form.html",
        {"form": form, "system": system},
        status=400 if form.errors else 200,
    )


def _aspects(obj: Any) -> list[tuple[Any, Any]]:
    levels = obj.levels()
    out = []
    for aspect, label in klassa.Aspect.choices:
        value = levels[aspect]
        if aspect == klassa.Aspect.TRACEABILITY and not obj.personal_data:
            continue
        out.append((label, klassa.Level(value).label if value is not None else None))
    return out


@login_required
@require_GET
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    system = selectors.system_get(actor=request.user, pk=pk)
    may_manage = selectors.may_manage(request.user, coop)
    may_classify = selectors.may_classify(request.user, coop)
    requirements = selectors.applicable_requirement_list(system=system)
    summary = system.klassa_summary
    return render(
        request,
        "systems/detail.html",
        {
            "system": system,
            "aspects": _aspects(system),
            "summary": summary.label if summary is not None else None,
            "integrations": list(selectors.integration_list(actor=request.user, system=system)),
            "requirements": requirements,
            "gaps": sum(1 for _r, a in requirements if a is not None and a.compliance in GAPS),
            "unassessed": sum(1 for _r, a in requirements if a is None),
            "may_manage": may_manage,
            "may_classify": may_classify,
            "use_form": UseForm(municipalities=_municipalities(coop)) if may_manage else None,
            "integration_form": IntegrationForm(
                systems=System.objects.filter(cooperation=coop, is_active=True).exclude(
                    pk=system.pk
                )
            )
            if may_manage
            else None,
            "whole": may_view_register(request),
            "compliance_choices": AssessmentForm.base_fields["compliance"].choices,  # type: ignore[attr-defined]
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def system_classify(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    system = selectors.system_get(actor=request.user, pk=pk)
    if not selectors.may_classify(request.user, coop):
        raise NotFound()
    return _classify(
        request,
        system,
        save=lambda **data: services.system_classify(actor=request.user, system=system, **data),
        done_url=reverse("systems:detail", args=[system.pk]),
        back_label=_("Tillbaka till systemet"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def asset_classify(request: HttpRequest, pk: int) -> HttpResponse:
    """Reclassify an information asset: the same KLASSA form as a system's, for whoever may
    classify (others, and another cooperation's assets: not found)."""
    coop = _whole(request)
    asset = selectors.asset_get(actor=request.user, pk=pk)
    if asset.cooperation_id != coop.pk or not selectors.may_classify(request.user, coop):
        raise NotFound()
    return _classify(
        request,
        asset,
        save=lambda **data: services.asset_classify(actor=request.user, asset=asset, **data),
        done_url=reverse("systems:assets"),
        back_label=_("Tillbaka till informationstillgångarna"),
    )


def _classify(
    request: HttpRequest,
    obj: Any,
    *,
    save: Callable[..., Any],
    done_url: str,
    back_label: str,
) -> HttpResponse:
    """The KLASSA form of a system or an information asset: the levels as they are, saved with the
    version the form was read at, back to where it came from once saved."""
    form = ClassifyForm(
        request.POST if request.method == "POST" else None,
        initial={
            "confidentiality": obj.confidentiality,
            "integrity": obj.integrity,
            "availability": obj.availability,
            "traceability": obj.traceability,
            "personal_data": obj.personal_data,
            "version": obj.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            save(expected_version=version, **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Klassningen är sparad."))
            return redirect(done_url)
    return render(
        request,
        "systems/classify.html",
        {"form": form, "object": obj, "back_url": done_url, "back_label": back_label},
        status=400 if form.errors else 200,
    )


def _first_error(exc: ApplicationError) -> str:
    parts = [str(m) for msgs in exc.fields.values() for m in msgs]
    return " ".join(parts) or str(exc.message)


@login_required
@require_POST
def use_set(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    system = selectors.system_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, coop):
        raise NotFound()
    form = UseForm(request.POST, municipalities=_municipalities(coop))
    if form.is_valid():
        try:
            services.use_set(actor=request.user, system=system, **form.cleaned_data)
            messages.success(request, _("Användningen är sparad."))
        except ApplicationError as exc:
            messages.error(request, _first_error(exc))
    else:
        messages.error(
            request, " ".join(f"{form[f].label}: {e}" for f, es in form.errors.items() for e in es)
        )
    return redirect("systems:detail", pk=system.pk)


@login_required
@require_POST
def use_end(request: HttpRequest, pk: int, use_pk: int) -> HttpResponse:
    coop = _cooperation(request)
    system = selectors.system_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, coop):
        raise NotFound()
    use = next((u for u in system.active_uses if u.pk == use_pk), None)  # type: ignore[attr-defined]
    if use is None:
        raise NotFound()
    services.use_end(actor=request.user, use=use)
    messages.success(request, _("Användningen är avslutad."))
    return redirect("systems:detail", pk=system.pk)


@login_required
@require_POST
def integration_add(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    system = selectors.system_get(actor=request.user, pk=pk)
    if not selectors.may_manage(request.user, coop):
        raise NotFound()
    form = IntegrationForm(
        request.POST,
        systems=System.objects.filter(cooperation=coop, is_active=True).exclude(pk=system.pk),
    )
    if form.is_valid():
        try:
            services.integration_add(actor=request.user, source=system, **form.cleaned_data)
            messages.success(request, _("Integrationen är registrerad."))
        except ApplicationError as exc:
            messages.error(request, _first_error(exc))
    else:
        messages.error(request, _("Välj ett system att integrera med."))
    return redirect("systems:detail", pk=system.pk)


@login_required
@require_POST
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _cooperation(request)
    system = selectors.system_get(actor=request.user, pk=pk)
    if not selectors.may_classify(request.user, coop):
        raise NotFound()
    form = AssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            requirement = selectors.requirement_get(actor=request.user, pk=data["requirement"])
            services.assessment_record(
                actor=request.user,
                system=system,
                requirement=requirement,
                compliance=data["compliance"],
                comment=data["comment"],
                action=data["action"],
                action_owner=request.user
                if data["compliance"] in GAPS and isinstance(request.user, User)
                else None,
                action_due=data["action_due"],
            )
            messages.success(
                request, _("Bedömningen av %(code)s är sparad.") % {"code": requirement.code}
            )
        except ApplicationError as exc:
            messages.error(request, _first_error(exc))
    else:
        messages.error(request, _("Välj en bedömning."))
    return redirect(reverse("systems:detail", args=[system.pk]) + "#krav")


# --- cooperation-wide reports ---------------------------------------------------------------


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    coop = _whole(request)
    rows = selectors.duplicate_report(actor=request.user, cooperation=coop)
    return render(request, "systems/duplicates.html", {"rows": rows})


@login_required
@require_GET
def before_buying(request: HttpRequest) -> HttpResponse:
    coop = _whole(request)
    caps = selectors.capability_list(actor=request.user, cooperation=coop)
    searched = "capabilities" in request.GET or "sok" in request.GET
    form = PlannedForm(request.GET if searched else None, capabilities=caps)
    rows = None
    if form.is_bound and form.is_valid():
        rows = selectors.coverage_report(
            actor=request.user,
            cooperation=coop,
            capabilities=list(form.cleaned_data["capabilities"]),
        )
    return render(
        request,
        "systems/before_buying.html",
        {"form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def data_centres(request: HttpRequest) -> HttpResponse:
    coop = _whole(request)
    groups = selectors.data_centre_report(actor=request.user, cooperation=coop)
    return render(request, "systems/data_centres.html", {"groups": groups})


# --- vocabulary, requirements, assets, actions -----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def capabilities(request: HttpRequest) -> HttpResponse:
    coop = _whole(request)
    may_manage = selectors.may_manage(request.user, coop)
    form = CapabilityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_manage:
            raise NotFound()
        if form.is_valid():
            try:
                services.capability_create(
                    actor=request.user, cooperation=coop, **form.cleaned_data
                )
                messages.success(request, _("Förmågan är tillagd."))
                return redirect("systems:capabilities")
            except ApplicationError as exc:
                add_application_error(form, exc)
    return render(
        request,
        "systems/capabilities.html",
        {
            "rows": selectors.capability_list(
                actor=request.user, cooperation=coop, active_only=False
            ),
            "form": form if may_manage else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def capability_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _whole(request)
    if not selectors.may_manage(request.user, coop):
        raise NotFound()
    cap = selectors.capability_get(actor=request.user, pk=pk)
    services.capability_update(
        actor=request.user, capability=cap, expected_version=None, is_active=not cap.is_active
    )
    messages.success(request, _("Förmågan är ändrad."))
    return redirect("systems:capabilities")


@login_required
@require_http_methods(["GET", "POST"])
def requirements(request: HttpRequest) -> HttpResponse:
    coop = _whole(request)
    may_classify = selectors.may_classify(request.user, coop)
    form = RequirementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_classify:
            raise NotFound()
        if form.is_valid():
            try:
                services.requirement_create(
                    actor=request.user, cooperation=coop, **form.cleaned_data
                )
                messages.success(request, _("Kravet är tillagt."))
                return redirect("systems:requirements")
            except ApplicationError as exc:
                add_application_error(form, exc)
    return render(
        request,
        "systems/requirements.html",
        {
            "rows": selectors.requirement_list(
                actor=request.user, cooperation=coop, active_only=False
            ),
            "form": form if may_classify else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def requirement_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _whole(request)
    if not selectors.may_classify(request.user, coop):
        raise NotFound()
    req = selectors.requirement_get(actor=request.user, pk=pk)
    services.requirement_update(
        actor=request.user, requirement=req, expected_version=None, is_active=not req.is_active
    )
    messages.success(request, _("Kravet är ändrat."))
    return redirect("systems:requirements")


@login_required
@require_http_methods(["GET", "POST"])
def assets(request: HttpRequest) -> HttpResponse:
    coop = _whole(request)
    may_classify = selectors.may_classify(request.user, coop)
    systems = System.objects.filter(cooperation=coop, is_active=True).order_by("name")
    form = AssetForm(request.POST if request.method == "POST" else None, systems=systems)
    if request.method == "POST":
        if not may_classify:
            raise NotFound()
        if form.is_valid():
            try:
                services.asset_create(actor=request.user, cooperation=coop, **form.cleaned_data)
                messages.success(request, _("Informationstillgången är klassad."))
                return redirect("systems:assets")
            except ApplicationError as exc:
                add_application_error(form, exc)
    rows = [
        (a, _aspects(a), a.klassa_summary)
        for a in selectors.asset_list(actor=request.user, cooperation=coop)
    ]
    return render(
        request,
        "systems/assets.html",
        {"rows": rows, "form": form if may_classify else None, "may_classify": may_classify},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    qs = selectors.gap_list(actor=request.user, cooperation=coop)
    return render(
        request,
        "systems/gaps.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "whole": may_view_register(request),
        },
    )
