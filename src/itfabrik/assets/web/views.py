"""The device register's pages: the device list (with export), the device card (history,
lease, compliance, tickets, lifecycle step, exceptions), registration and correction, the
compliance page per municipality, the import of a device-management export, leases and the
model catalogue, the refresh plan, and the portal's "Mina enheter"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itfabrik.assets import exports, imports, rules, selectors, services
from itfabrik.assets import permissions as actions
from itfabrik.assets.choices import DeviceKind, DeviceState, ImportStatus, Rule
from itfabrik.assets.links import report_url
from itfabrik.assets.models import Device
from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.money import format_sek
from itfabrik.core.registry import current_cooperation
from itfabrik.core.selectors import get_or_not_found
from itfabrik.core.web.charts import bar_chart
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.tenancy.models import OrgNode

from .forms import (
    NOT_CHARGED,
    ChargeMappingForm,
    DeviceFilterForm,
    DeviceForm,
    ExceptionForm,
    ImportForm,
    LeaseForm,
    ModelEditForm,
    ModelForm,
    TransitionForm,
)


def _staff(request: HttpRequest) -> None:
    if not selectors.may_view_devices(request.user):
        raise NotFound()


def _manager(request: HttpRequest) -> None:
    if not selectors.may_manage_devices(request.user):
        raise NotFound()


def _cooperation(request: HttpRequest) -> Any:
    coop = current_cooperation(request)
    if coop is None:
        raise NotFound()
    return coop


# --- the device list ----------------------------------------------------------------------------


@login_required
@require_GET
def device_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    actor = request.user
    municipalities = list(selectors.municipality_list(actor=actor))
    form = DeviceFilterForm(request.GET or None, municipalities=municipalities)
    filters = form.selector_filters()
    qs = selectors.device_list(actor=actor, filters=filters)
    search = (
        (form.cleaned_data.get("sok") or "").strip() if form.is_bound and form.is_valid() else ""
    )
    if search:
        from django.db.models import Q

        qs = qs.filter(Q(serial_number__iexact=search) | Q(asset_tag__iexact=search))
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        export = exports.devices_file(qs, file_format)
        response = HttpResponse(export.data, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    return render(
        request,
        "assets/device_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "may_manage": selectors.may_manage_devices(actor),
        },
    )


# --- the device card ----------------------------------------------------------------------------


def _card_context(request: HttpRequest, device: Device) -> dict[str, Any]:
    actor = request.user
    may_manage = permissions.can(actor, actions.MANAGE_DEVICES, device.municipality)
    may_grant = permissions.can(actor, actions.GRANT_EXCEPTIONS, device.municipality)
    allowed = rules.allowed(device.state)
    return {
        "device": device,
        "events": list(selectors.device_event_list(actor=actor, device=device)[:50]),
        "findings": [
            (dict(Rule.choices)[rule], exception)
            for rule, exception in selectors.device_finding_list(device=device)
        ],
        "exceptions": list(selectors.exception_list(actor=actor, device=device)),
        "tickets": selectors.device_ticket_list(actor=actor, device=device),
        "may_manage": may_manage,
        "may_grant": may_grant,
        "allowed": [dict(DeviceState.choices)[s] for s in allowed],
        "transition_form": TransitionForm(initial={"version": device.version}, allowed=allowed)
        if may_manage and allowed
        else None,
        "exception_form": ExceptionForm() if may_grant else None,
    }


@login_required
@require_GET
def device_card(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    device = selectors.device_get(actor=request.user, pk=pk)
    return render(request, "assets/device_card.html", _card_context(request, device))


@login_required
@require_POST
def device_transition(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    device = selectors.device_get(actor=request.user, pk=pk)
    form = TransitionForm(request.POST, allowed=rules.allowed(device.state))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.device_transition(
                actor=request.user,
                device=device,
                expected_version=d["version"],
                target=d["target"],
                occurred_on=d["occurred_on"],
                note=d["note"] or "",
                certificate=d["certificate"] or "",
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Enheten har flyttats till nästa steg."))
            return redirect("assets:device", pk=device.pk)
    context = _card_context(request, device)
    context["transition_form"] = form
    return render(request, "assets/device_card.html", context, status=400)


@login_required
@require_POST
def exception_grant(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    device = selectors.device_get(actor=request.user, pk=pk)
    form = ExceptionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.exception_grant(
                actor=request.user,
                device=device,
                rule=d["rule"],
                decision=d["decision"],
                reference=d["reference"] or "",
                valid_until=d["valid_until"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Undantaget är registrerat."))
            return redirect("assets:device", pk=device.pk)
    context = _card_context(request, device)
    context["exception_form"] = form
    return render(request, "assets/device_card.html", context, status=400)


@login_required
@require_POST
def exception_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    exception = selectors.exception_get(actor=request.user, pk=pk)
    try:
        services.exception_withdraw(
            actor=request.user,
            exception=exception,
            expected_version=int(request.POST.get("version") or 0) or None,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Undantaget är återkallat."))
    return redirect("assets:device", pk=exception.device_id)


def _device_form(
    request: HttpRequest, data: Any = None, initial: Any = None, *, editing: bool = False
) -> DeviceForm:
    actor = request.user
    manageable = selectors.municipality_list(actor=actor, action=actions.MANAGE_DEVICES)
    units = (
        OrgNode.objects.filter(municipality__in=manageable, kind__in=["unit", "administration"])
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    return DeviceForm(
        data,
        initial=initial,
        models=selectors.model_list(actor=actor, include_inactive=False),
        units=units,
        leases=selectors.lease_list(actor=actor).filter(municipality__in=manageable),
        editing=editing,
    )


def _refs(request: HttpRequest, form: DeviceForm) -> dict[str, Any] | None:
    actor = request.user
    d = dict(form.cleaned_data)
    try:
        d["model"] = selectors.model_get(actor=actor, pk=d["model"])
        d["owner_unit"] = OrgNode.objects.get(pk=d["owner_unit"])
        d["lease"] = selectors.lease_get(actor=actor, pk=d["lease"]) if d["lease"] else None
    except (NotFound, OrgNode.DoesNotExist):
        form.add_error(None, _("Modellen, enheten eller avtalet finns inte."))
        return None
    d.pop("version", None)
    for key in ("asset_tag", "name", "site", "os", "os_version"):
        d[key] = d.get(key) or ""
    return d


@login_required
@require_http_methods(["GET", "POST"])
def device_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = _device_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = _refs(request, form)
        if values is not None:
            try:
                device = services.device_create(actor=request.user, **values)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Enheten är registrerad."))
                return redirect("assets:device", pk=device.pk)
    return render(
        request,
        "assets/device_form.html",
        {"form": form, "device": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    device = selectors.device_get(actor=request.user, pk=pk)
    if not permissions.can(request.user, actions.MANAGE_DEVICES, device.municipality):
        raise NotFound()
    initial = {f: getattr(device, f) for f in services.DEVICE_FIELDS}
    initial.update(
        model=device.model_id,
        owner_unit=device.owner_unit_id,
        lease=device.lease_id,
        version=device.version,
    )
    form = _device_form(request, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        values = _refs(request, form)
        if values is not None:
            values.pop("current_user", None)
            try:
                services.device_update(
                    actor=request.user, device=device, expected_version=version, **values
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Ändringarna är sparade."))
                return redirect("assets:device", pk=device.pk)
    return render(
        request,
        "assets/device_form.html",
        {"form": form, "device": device},
        status=400 if form.errors else 200,
    )


# --- compliance ---------------------------------------------------------------------------------


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """A municipality's compliance with the device policy: counts per rule, and the devices
    behind the chosen one."""
    _staff(request)
    actor = request.user
    municipalities = list(selectors.municipality_list(actor=actor))
    chosen = request.GET.get("kommun")
    municipality = None
    if chosen:
        municipality = get_or_not_found(selectors.municipality_list(actor=actor), chosen)
    elif municipalities:
        municipality = municipalities[0]
    context: dict[str, Any] = {"municipalities": municipalities, "municipality": municipality}
    if municipality is not None:
        summary = selectors.compliance_summary(actor=actor, municipality=municipality)
        labels = dict(Rule.choices)
        context["rows"] = [
            (rule, labels[rule], summary[rule], summary[f"{rule}__excepted"])
            for rule in rules.RULES
        ]
        context["in_use"] = summary["in_use"]
        rule = request.GET.get("regel")
        if rule in rules.RULES:
            context["rule"] = rule
            context["rule_label"] = labels[rule]
            context["page"] = paginate(
                request,
                selectors.compliance_device_list(actor=actor, municipality=municipality, rule=rule),
            )
            context["qs"] = querystring_without_page(request)
        context["exceptions"] = list(
            selectors.exception_list(actor=actor, municipality=municipality).filter(
                is_active=True, valid_until__gte=timezone.localdate()
            )[:50]
        )
    return render(request, "assets/compliance.html", context)


# --- import -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _manager(request)
    actor = request.user
    coop = _cooperation(request)
    municipalities = list(selectors.municipality_list(actor=actor, action=actions.MANAGE_DEVICES))
    form = ImportForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        municipality = None
        if form.cleaned_data["municipality"]:
            municipality = next(
                (m for m in municipalities if m.pk == form.cleaned_data["municipality"]), None
            )
        upload = form.cleaned_data["file"]
        try:
            checked = imports.import_check(
                actor=actor,
                cooperation=coop,
                data=upload.read(),
                file_name=upload.name,
                municipality=municipality,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return redirect("assets:import_detail", pk=checked.pk)
    return render(
        request,
        "assets/import.html",
        {"form": form, "recent": imports.recent_imports(actor=actor, cooperation=coop)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    device_import = selectors.import_get(actor=request.user, pk=pk)
    if request.method == "POST":
        try:
            imports.import_commit(
                actor=request.user,
                device_import=device_import,
                expected_version=int(request.POST.get("version") or 0) or None,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Importen är startad."))
        return redirect("assets:import_detail", pk=device_import.pk)
    show_all = request.GET.get("visa") == "alla"
    report = device_import.report
    rows = report if show_all else [r for r in report if r["errors"] or r["action"] != "unchanged"]
    counts: dict[str, int] = {}
    for r in report:
        counts[r["action"]] = counts.get(r["action"], 0) + 1
    return render(
        request,
        "assets/import_detail.html",
        {
            "imp": device_import,
            "page": paginate(request, rows, 100),
            "qs": querystring_without_page(request),
            "counts": counts,
            "errors": sum(1 for r in report if r["errors"]),
            "show_all": show_all,
            "running": device_import.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
            "may_start": device_import.status == ImportStatus.CHECKED,
        },
    )


# --- leases and the catalogue -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lease_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    actor = request.user
    manageable = list(selectors.municipality_list(actor=actor, action=actions.MANAGE_DEVICES))
    form = LeaseForm(request.POST or None, municipalities=manageable) if manageable else None
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            d = form.cleaned_data
            try:
                lease = services.lease_create(
                    actor=actor,
                    municipality=get_or_not_found(
                        selectors.municipality_list(actor=actor, action=actions.MANAGE_DEVICES),
                        d["municipality"],
                    ),
                    lessor=d["lessor"],
                    contract_number=d["contract_number"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    monthly_cost=d["monthly_cost"],
                    buyout_price=d["buyout_price"],
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Avtalet är registrerat."))
                return redirect("assets:lease", pk=lease.pk)
    municipality = request.GET.get("kommun") or None
    qs = selectors.lease_list(
        actor=actor, filters={"municipality": municipality} if municipality else None
    )
    return render(
        request,
        "assets/lease_list.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "form": form,
            "municipalities": selectors.municipality_list(actor=actor),
            "chosen": municipality,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lease_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    actor = request.user
    lease = selectors.lease_get(actor=actor, pk=pk)
    may_manage = permissions.can(actor, actions.MANAGE_DEVICES, lease.municipality)
    form = None
    if may_manage:
        initial = {
            f: getattr(lease, f)
            for f in (
                "lessor",
                "contract_number",
                "starts_on",
                "ends_on",
                "monthly_cost",
                "buyout_price",
                "return_status",
            )
        }
        initial.update(municipality=lease.municipality_id, version=lease.version)
        form = LeaseForm(request.POST or None, initial=initial, municipalities=[lease.municipality])
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            d = dict(form.cleaned_data)
            version = d.pop("version")
            d.pop("municipality")
            if not d.get("return_status"):
                d.pop("return_status")
            try:
                services.lease_update(actor=actor, lease=lease, expected_version=version, **d)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Ändringarna är sparade."))
                return redirect("assets:lease", pk=lease.pk)
    return render(
        request,
        "assets/lease_detail.html",
        {
            "lease": lease,
            "summary": selectors.lease_summary(lease=lease),
            "page": paginate(
                request, selectors.device_list(actor=actor, filters={"lease": lease.pk})
            ),
            "qs": querystring_without_page(request),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def model_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    actor = request.user
    coop = _cooperation(request)
    may_manage = permissions.can(actor, actions.MANAGE_DEVICES, coop.root)
    form = ModelForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            try:
                services.model_create(actor=actor, cooperation=coop, **form.cleaned_data)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Modellen är tillagd."))
                return redirect("assets:models")
    return render(
        request,
        "assets/model_list.html",
        {
            "page": paginate(request, selectors.model_list(actor=actor)),
            "qs": querystring_without_page(request),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def model_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a model of the catalogue, or close it for new devices."""
    _manager(request)
    actor = request.user
    model = selectors.model_get(actor=actor, pk=pk)
    root = model.cooperation.root
    if not permissions.can(actor, actions.MANAGE_DEVICES, root):
        raise NotFound()
    fields = ("manufacturer", "name", "kind", "end_of_support", "lease_months", "price")
    initial = {f: getattr(model, f) for f in (*fields, "is_active")}
    initial["version"] = model.version
    form = ModelEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version")
        try:
            services.model_update(actor=actor, model=model, expected_version=version, **d)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("assets:models")
    return render(
        request,
        "assets/model_edit.html",
        {"form": form, "model": model},
        status=400 if form.errors else 200,
    )


# --- refresh planning ---------------------------------------------------------------------------


@login_required
@require_GET
def planning(request: HttpRequest) -> HttpResponse:
    """The refresh plan of a municipality: replacements due per quarter (lease end or end of
    support) and their cost, beside the plan that keeps each quarter within the band."""
    if not selectors.may_view_planning(request.user):
        raise NotFound()
    actor = request.user
    municipalities = list(selectors.municipality_list(actor=actor, action=actions.VIEW_PLANNING))
    chosen = request.GET.get("kommun")
    if chosen:
        municipality = get_or_not_found(
            selectors.municipality_list(actor=actor, action=actions.VIEW_PLANNING), chosen
        )
    elif municipalities:
        municipality = municipalities[0]
    else:
        raise NotFound()
    report = selectors.forecast_report(actor=actor, municipality=municipality)
    year = request.GET.get("ar")
    rows = [r for r in report["rows"] if not year or str(r["year"]) == year]
    years = sorted({r["year"] for r in report["rows"]})
    chart = bar_chart(
        chart_id="refresh",
        title=_("Kostnad för utbyten per kvartal"),
        description=_("Utan plan och med plan inom bandet; siffrorna finns i tabellen."),
        rows=[(r["quarter"], [r["cost"], r["planned_cost"]]) for r in rows],
        series=[_("Utan plan"), _("Med plan")],
        fmt=lambda v: "–" if v is None else format_sek(v),  # type: ignore[arg-type]
    )
    return render(
        request,
        "assets/planning.html",
        {
            "municipalities": municipalities,
            "municipality": municipality,
            "rows": rows,
            "years": years,
            "year": year,
            "cap": report["cap"],
            "chart": chart,
            "totals": {
                "count": sum(r["count"] for r in rows),
                "cost": sum((r["cost"] for r in rows), start=rows[0]["cost"] * 0) if rows else 0,
            },
        },
    )


# --- the portal ---------------------------------------------------------------------------------


@login_required
@require_GET
def my_devices(request: HttpRequest) -> HttpResponse:
    devices = list(selectors.my_device_list(actor=request.user))
    return render(
        request,
        "assets/my_devices.html",
        {"devices": [(d, report_url(d)) for d in devices]},
    )


# --- charging: device kinds and models → catalogue services ------------------------------------


def _active_models(request: HttpRequest, coop: Any) -> Any:
    return selectors.model_list(actor=request.user, include_inactive=False).filter(cooperation=coop)


def _charging_form(request: HttpRequest, coop: Any) -> ChargeMappingForm:
    from itfabrik.catalog.choices import PriceModel
    from itfabrik.catalog.models import Service

    return ChargeMappingForm(
        request.POST or None,
        models=_active_models(request, coop),
        services=Service.objects.filter(
            cooperation=coop, is_active=True, price_model=PriceModel.PER_UNIT_MONTH
        ).order_by("name"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def charging(request: HttpRequest) -> HttpResponse:
    """What deployed devices are charged through each month, per kind or model, and which kinds
    have nothing (the billing run names their devices in its warnings)."""
    actor = request.user
    coop = _cooperation(request)
    mappings = selectors.charge_mapping_list(actor=actor).filter(cooperation=coop)
    if not selectors.may_view_charging(actor, coop.pk):
        raise NotFound()
    may_manage = permissions.can(actor, actions.MANAGE_CHARGING, coop.root)
    form = _charging_form(request, coop) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            from itfabrik.catalog.models import Service

            d = form.cleaned_data
            model = (
                _active_models(request, coop).filter(pk=d["model"]).first() if d["model"] else None
            )
            service = (
                None
                if d["service"] == NOT_CHARGED
                else Service.objects.filter(cooperation=coop, pk=d["service"]).first()
            )
            try:
                services.charge_mapping_set(
                    actor=actor, cooperation=coop, kind=d["kind"], model=model, service=service
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Debiteringen är sparad."))
                return redirect("assets:charging")
    kinds = dict(DeviceKind.choices)
    return render(
        request,
        "assets/charging.html",
        {
            "mappings": mappings,
            "unmapped": [kinds[k] for k in selectors.unmapped_kind_list(cooperation_id=coop.pk)],
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def charging_remove(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = selectors.charge_mapping_get(actor=request.user, pk=pk)
    try:
        services.charge_mapping_remove(
            actor=request.user, mapping=mapping, expected_version=mapping.version
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Debiteringen är borttagen."))
    return redirect("assets:charging")
