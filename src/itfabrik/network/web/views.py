"""The network pages: the conformance overview and a municipality's report, the device and VLAN
registers (with CSV in NetBox's layout), naming a new device and checking a name, sites, the CSV
import (check first, then import) and the standard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.registry import current_cooperation
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.network import exports, selectors, services
from itfabrik.network import permissions as actions
from itfabrik.network.choices import DeviceStatus
from itfabrik.tenancy.models import Cooperation

from .forms import CheckNameForm, DeviceEditForm, ImportForm, NameDeviceForm, PatternForm, SiteForm


def _coop(request: HttpRequest) -> Cooperation:
    coop = current_cooperation(request)
    if coop is None or not selectors.may_view_network(request.user):
        raise NotFound()
    return coop


def _manager(request: HttpRequest) -> Cooperation:
    coop = _coop(request)
    if not selectors.may_manage_network(request.user):
        raise NotFound()
    return coop


def _int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdecimal() and len(value) < 19 else None


def _csv(name: str, body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Per municipality: devices, names outside the standard, sites and VLAN deviations."""
    coop = _coop(request)
    return render(
        request,
        "network/overview.html",
        {
            "report": selectors.conformance_report(actor=request.user, cooperation=coop),
            "standard": selectors.naming_standard_get(actor=request.user, cooperation=coop),
            "may_manage": selectors.may_manage_network(request.user),
        },
    )


@login_required
@require_GET
def municipality_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One municipality's conformance: every device with a name outside the standard (and what
    is wrong with it) and every site whose VLANs deviate from the plan."""
    coop = _coop(request)
    muni = selectors.municipality_list(actor=request.user, cooperation=coop).filter(pk=pk).first()
    if muni is None:
        raise NotFound()
    report = selectors.conformance_report(actor=request.user, cooperation=coop, municipality=muni)
    naming = services.Naming.load(coop)
    bad = selectors.device_list(
        actor=request.user, cooperation=coop, filters={"municipality": muni.pk, "conforms": False}
    )
    page = paginate(request, bad)
    rows = [
        {
            "device": d,
            "problems": [
                str(m)
                for msgs in services.checked_messages(
                    naming.check(d.name, d.site, d.device_type)
                ).values()
                for m in msgs
            ],
        }
        for d in page
    ]
    return render(
        request,
        "network/municipality.html",
        {"entry": report[0], "page": page, "rows": rows, "qs": querystring_without_page(request)},
    )


def _device_filters(request: HttpRequest) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    for key, param in (("municipality", "kommun"), ("site", "plats")):
        value = _int(request, param)
        if value is not None:
            filters[key] = value
    conforms = request.GET.get("foljer")
    if conforms in ("ja", "nej"):
        filters["conforms"] = conforms == "ja"
    if request.GET.get("status") in DeviceStatus.values:
        filters["status"] = request.GET["status"]
    if request.GET.get("q"):
        filters["q"] = request.GET["q"][:100]
    return filters


@login_required
@require_GET
def devices(request: HttpRequest) -> HttpResponse:
    coop = _coop(request)
    filters = _device_filters(request)
    qs = selectors.device_list(actor=request.user, cooperation=coop, filters=filters)
    return render(
        request,
        "network/devices.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "municipalities": list(
                selectors.municipality_list(actor=request.user, cooperation=coop)
            ),
            "statuses": DeviceStatus.choices,
            "chosen": request.GET,
            "may_manage": selectors.may_manage_network(request.user),
        },
    )


@login_required
@require_GET
def devices_export(request: HttpRequest) -> HttpResponse:
    coop = _coop(request)
    qs = selectors.device_list(
        actor=request.user, cooperation=coop, filters=_device_filters(request)
    )
    return _csv("natverksenheter.csv", exports.devices_csv(qs.iterator(chunk_size=1000)))


def _vlan_filters(request: HttpRequest) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    for key, param in (("municipality", "kommun"), ("site", "plats"), ("vid", "vid")):
        value = _int(request, param)
        if value is not None:
            filters[key] = value
    return filters


@login_required
@require_GET
def vlans(request: HttpRequest) -> HttpResponse:
    coop = _coop(request)
    qs = selectors.vlan_list(actor=request.user, cooperation=coop, filters=_vlan_filters(request))
    return render(
        request,
        "network/vlans.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "sites": list(selectors.site_list(actor=request.user, cooperation=coop)),
            "chosen": request.GET,
        },
    )


@login_required
@require_GET
def vlans_export(request: HttpRequest) -> HttpResponse:
    coop = _coop(request)
    qs = selectors.vlan_list(actor=request.user, cooperation=coop, filters=_vlan_filters(request))
    return _csv("vlan.csv", exports.vlans_csv(qs.iterator(chunk_size=1000)))


@login_required
@require_http_methods(["GET", "POST"])
def device_new(request: HttpRequest) -> HttpResponse:
    """Name a new device (the next free name, taken on save) and check any name."""
    coop = _manager(request)
    actor = request.user
    sites = selectors.site_list(actor=actor, cooperation=coop, filters={"is_active": True}).filter(
        permissions.scope_q(actor, actions.MANAGE_NETWORK, path_field="municipality__path")
    )
    types = selectors.device_type_list(actor=actor, cooperation=coop, active_only=True)
    posted = request.method == "POST"
    form = NameDeviceForm(
        request.POST if posted and "name_device" in request.POST else None,
        sites=sites,
        types=types,
    )
    check = CheckNameForm(request.POST if posted and "check_name" in request.POST else None)
    checked = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                device = services.device_create(
                    actor=actor,
                    site=data["site"],
                    device_type=data["device_type"],
                    manufacturer=data["manufacturer"],
                    model=data["model"],
                    serial=data["serial"],
                    description=data["description"],
                )
                messages.success(
                    request,
                    _("%(name)s är registrerad med nästa lediga namn.") % {"name": device.name},
                )
                return redirect("network:device_edit", pk=device.pk)
            except ApplicationError as exc:
                add_application_error(form, exc)
        status = 400
    if check.is_bound and check.is_valid():
        checked = services.name_check(cooperation=coop, name=check.cleaned_data["name"])
        checked_rows = [
            {"part": services.PART_LABELS.get(k, k), "messages": [str(m) for m in v]}
            for k, v in services.checked_messages(checked).items()
        ]
    else:
        checked_rows = []
    return render(
        request,
        "network/device_new.html",
        {
            "form": form,
            "check": check,
            "checked": checked,
            "checked_rows": checked_rows,
            "standard": selectors.naming_standard_get(actor=actor, cooperation=coop),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A device: its details, corrected here; ended by the status offline or decommissioning."""
    _coop(request)
    device = selectors.device_get(actor=request.user, pk=pk)
    may_edit = permissions.can(request.user, actions.MANAGE_NETWORK, device.municipality)
    initial = {
        f: getattr(device, f)
        for f in ("name", "status", "manufacturer", "model", "serial", "asset_tag", "description")
    }
    initial["version"] = device.version
    form = DeviceEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise NotFound()
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.device_update(
                    actor=request.user, device=device, expected_version=version, **data
                )
                messages.success(request, _("Ändringen är sparad."))
                return redirect("network:device_edit", pk=device.pk)
            except ApplicationError as exc:
                add_application_error(form, exc)
    problems: list[str] = []
    if not device.name_conforms:
        naming = services.Naming.load(device.cooperation)
        checked = naming.check(device.name, device.site, device.device_type)
        problems = [str(m) for msgs in services.checked_messages(checked).values() for m in msgs]
    return render(
        request,
        "network/device_edit.html",
        {"device": device, "form": form, "may_edit": may_edit, "problems": problems},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sites(request: HttpRequest) -> HttpResponse:
    coop = _coop(request)
    actor = request.user
    managed = selectors.managed_municipality_list(actor=actor, cooperation=coop)
    form = SiteForm(request.POST if request.method == "POST" else None, municipalities=managed)
    if request.method == "POST":
        if not selectors.may_manage_network(actor):
            raise NotFound()
        if form.is_valid():
            try:
                site = services.site_create(actor=actor, **form.cleaned_data)
                messages.success(request, _("Platsen %(name)s är skapad.") % {"name": site.name})
                return redirect("network:sites")
            except ApplicationError as exc:
                add_application_error(form, exc)
    filters: dict[str, Any] = {}
    if _int(request, "kommun") is not None:
        filters["municipality"] = _int(request, "kommun")
    qs = selectors.site_list(actor=actor, cooperation=coop, filters=filters)
    return render(
        request,
        "network/sites.html",
        {
            "form": form,
            "may_manage": selectors.may_manage_network(actor),
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    """Check a file (every bad row with its line), then import it: all rows or none."""
    coop = _manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        dry_run = "import" not in request.POST
        data = form.cleaned_data["file"].read()
        kind = form.cleaned_data["kind"]
        try:
            result = services.network_import_csv(
                actor=request.user, cooperation=coop, kind=kind, data=data, dry_run=dry_run
            )
            if not dry_run:
                messages.success(
                    request,
                    _(
                        "Importen är klar: %(created)s nya, %(updated)s ändrade, "
                        "%(unchanged)s oförändrade."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
        except ApplicationError as exc:
            if any(name.startswith("row_") for name in exc.fields):
                # Bad rows: the summary on the form, every row in the table below.
                form.add_error(None, str(exc.message))
                result = services.network_import_csv(
                    actor=request.user, cooperation=coop, kind=kind, data=data, dry_run=True
                )
            else:
                add_application_error(form, exc)
    return render(
        request,
        "network/import.html",
        {"form": form, "result": result},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard(request: HttpRequest) -> HttpResponse:
    """The standard: naming pattern (changed here), municipality codes, device types, the VLAN
    plan and the SSIDs."""
    coop = _coop(request)
    actor = request.user
    current = selectors.naming_standard_get(actor=actor, cooperation=coop)
    may_change = selectors.may_manage_standard(actor, coop)
    form = PatternForm(
        request.POST if request.method == "POST" else None,
        initial={"pattern": current.pattern, "version": current.version},
    )
    if request.method == "POST":
        if not may_change:
            raise NotFound()
        if form.is_valid():
            try:
                services.naming_pattern_set(
                    actor=actor,
                    cooperation=coop,
                    pattern=form.cleaned_data["pattern"],
                    expected_version=form.cleaned_data["version"] or None,
                )
                messages.success(request, _("Namnmönstret är sparat."))
                return redirect("network:standard")
            except ApplicationError as exc:
                add_application_error(form, exc)
    return render(
        request,
        "network/standard.html",
        {
            "form": form,
            "may_change": may_change,
            "standard": current,
            "codes": selectors.municipality_code_list(actor=actor, cooperation=coop),
            "types": list(selectors.device_type_list(actor=actor, cooperation=coop)),
            "plan": list(selectors.standard_vlan_list(actor=actor, cooperation=coop)),
            "ssids": list(selectors.ssid_list(actor=actor, cooperation=coop)),
        },
        status=400 if form.errors else 200,
    )
