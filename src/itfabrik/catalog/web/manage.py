"""The catalogue manager's pages: service areas, services, packages and price-list versions.

Only for those holding the catalogue-management action; everyone else gets 404, as for an object
of a catalogue they do not manage. Every write goes through catalog.services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from itfabrik.catalog import exports, selectors, services
from itfabrik.catalog.models import Package, PriceList, Service, ServiceArea
from itfabrik.core import audit_display
from itfabrik.core import selectors as core_selectors
from itfabrik.core.actors import Actor
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.tenancy import selectors as tenancy_selectors
from itfabrik.tenancy.models import Cooperation

from .manage_forms import (
    AreaForm,
    CloseForm,
    PackageCreateForm,
    PackageForm,
    PackageItemForm,
    PriceForm,
    PriceListCopyForm,
    PriceListEditForm,
    PriceListNewForm,
    RemoveForm,
    ServiceFilterForm,
    ServiceForm,
)


def _cooperations(request: HttpRequest) -> list[Cooperation]:
    """The catalogues the actor manages; none: the page does not exist for them."""
    coops = selectors.managed_cooperation_list(actor=request.user)
    if not coops:
        raise NotFound()
    return coops


def _chosen(coops: list[Cooperation], data: dict[str, Any]) -> Cooperation:
    wanted = data.pop("cooperation", None)
    return next((c for c in coops if c.pk == wanted), coops[0])


def _history(actor: Actor, instance: Any) -> list[Any]:
    return list(
        audit_display.attach(core_selectors.object_audit_list(actor=actor, instance=instance)[:20])
    )


def _version(data: dict[str, Any]) -> int | None:
    version: int | None = data.pop("version", None)
    return version


# --- service areas ------------------------------------------------------------------------------


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    _cooperations(request)
    areas = selectors.area_admin_list(actor=request.user)
    return render(
        request,
        "catalog/manage/area_list.html",
        {"page": paginate(request, areas), "qs": querystring_without_page(request), "tab": "areas"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coops = _cooperations(request)
    form = AreaForm(request.POST or None)
    form.set_cooperations(coops)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        _version(data)
        try:
            area = services.area_create(actor=actor, cooperation=_chosen(coops, data), **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Tjänsteområdet %(name)s är skapat.") % {"name": area})
            return redirect("catalog:manage_area_list")
    return render(
        request, "catalog/manage/form.html", _form_context(form, _("Nytt tjänsteområde"), "areas")
    )


def _form_context(form: Any, title: str, tab: str, **extra: Any) -> dict[str, Any]:
    cancel = {
        "areas": "catalog:manage_area_list",
        "services": "catalog:manage_service_list",
        "packages": "catalog:manage_package_list",
        "price_lists": "catalog:manage_price_list_list",
    }[tab]
    return {"form": form, "title": title, "tab": tab, "cancel": cancel, **extra}


@login_required
@require_http_methods(["GET", "POST"])
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    _cooperations(request)
    area = selectors.area_admin_get(actor=actor, pk=pk)
    initial = {k: getattr(area, k) for k in ("name", "description", "sort_order", "version")}
    form = AreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = _version(data)
        try:
            services.area_update(actor=actor, area=area, expected_version=version, **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("catalog:manage_area_list")
    context = _form_context(
        form,
        _("Ändra %(name)s") % {"name": area.name},
        "areas",
        obj=area,
        close_url="catalog:manage_area_close",
        history=_history(actor, area),
    )
    return render(request, "catalog/manage/form.html", context)


# --- closing and reopening ----------------------------------------------------------------------

CLOSE_TEXT = {
    "area": (
        "catalog:manage_area_list",
        lambda: _(
            "Ett stängt tjänsteområde visas inte i katalogen och kan inte få nya tjänster. Inget "
            "tas bort. Flytta eller avsluta områdets tjänster först."
        ),
    ),
    "service": (
        "catalog:manage_service_list",
        lambda: _(
            "En avslutad tjänst kan inte längre beställas. Befintliga prenumerationer löper "
            "vidare med sin historik tills de sägs upp. Inget tas bort."
        ),
    ),
    "package": (
        "catalog:manage_package_list",
        lambda: _("Ett stängt paket kan inte längre beställas. Inget tas bort."),
    ),
}


def _close(request: HttpRequest, kind: str, obj: Any, update: Any) -> HttpResponse:
    """Confirm, then close an open object or reopen a closed one (both audited)."""
    back, text = CLOSE_TEXT[kind]
    form = CloseForm(request.POST or None, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            update(expected_version=form.cleaned_data["version"], is_active=not obj.is_active)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            done = _("%(name)s är stängd.") if obj.is_active else _("%(name)s är öppnad igen.")
            messages.success(request, done % {"name": obj.name})
            return redirect(back)
    return render(
        request,
        "catalog/manage/close.html",
        {"form": form, "obj": obj, "text": text(), "back": back, "kind": kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_close(request: HttpRequest, pk: int) -> HttpResponse:
    _cooperations(request)
    area: ServiceArea = selectors.area_admin_get(actor=request.user, pk=pk)

    def update(**kw: Any) -> Any:
        return services.area_update(actor=request.user, area=area, **kw)

    return _close(request, "area", area, update)


@login_required
@require_http_methods(["GET", "POST"])
def service_close(request: HttpRequest, pk: int) -> HttpResponse:
    _cooperations(request)
    service: Service = selectors.service_admin_get(actor=request.user, pk=pk)

    def update(**kw: Any) -> Any:
        return services.service_update(actor=request.user, service=service, **kw)

    return _close(request, "service", service, update)


@login_required
@require_http_methods(["GET", "POST"])
def package_close(request: HttpRequest, pk: int) -> HttpResponse:
    _cooperations(request)
    package: Package = selectors.package_admin_get(actor=request.user, pk=pk)

    def update(**kw: Any) -> Any:
        return services.package_update(actor=request.user, package=package, **kw)

    return _close(request, "package", package, update)


# --- services -----------------------------------------------------------------------------------


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    """Every service of the catalogue, filtered and paginated in the database; `?format=csv` or
    `xlsx` gives the whole filtered list as a file."""
    actor = request.user
    _cooperations(request)
    areas = list(selectors.area_admin_list(actor=actor))
    form = ServiceFilterForm(request.GET or None, areas=areas)
    filters: dict[str, Any] = {"is_active": True}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "area_id": data.get("area"),
            "is_active": form.is_active(),
            "search": data.get("q") or None,
            "tier": data.get("tier") or None,
        }
    qs = selectors.service_admin_list(actor=actor, **filters)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        file = exports.services_csv(qs) if fmt == "csv" else exports.services_xlsx(qs)
        response = HttpResponse(file.data, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "catalog/manage/service_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": params.urlencode(),
            "tab": "services",
        },
    )


def _service_form(request: HttpRequest, coop: Cooperation, **kwargs: Any) -> ServiceForm:
    actor = request.user
    areas = [a for a in selectors.area_admin_list(actor=actor) if a.cooperation_id == coop.pk]
    current = kwargs.get("initial", {}).get("area")
    areas = [a for a in areas if a.is_active or a.pk == current]
    return ServiceForm(
        request.POST or None,
        areas=areas,
        teams=list(tenancy_selectors.position_team_list(actor=actor, cooperation=coop)),
        owners=list(tenancy_selectors.position_holder_list(actor=actor, cooperation=coop)),
        **kwargs,
    )


def _service_values(request: HttpRequest, coop: Cooperation, data: dict[str, Any]) -> None:
    """Turn the chosen ids into objects, each looked up within the actor's scope."""
    actor = request.user
    data["area"] = selectors.area_admin_get(actor=actor, pk=data["area"])
    if data.get("owner_node"):
        data["owner_node"] = tenancy_selectors.node_get(actor=actor, pk=data["owner_node"])
    if data.get("owner_user"):
        data["owner_user"] = (
            tenancy_selectors.position_holder_list(actor=actor, cooperation=coop)
            .filter(pk=data["owner_user"])
            .first()
        )


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coops = _cooperations(request)
    # Areas, teams and owners belong to one cooperation: the one sent (or asked for with
    # ?cooperation=), else the first the actor manages.
    wanted = request.POST.get("cooperation") or request.GET.get("cooperation")
    coop = next((c for c in coops if str(c.pk) == wanted), coops[0])
    form = _service_form(request, coop, initial={"cooperation": coop.pk})
    form.set_cooperations(coops)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        _version(data)
        data.pop("cooperation", None)
        try:
            _service_values(request, coop, data)
            service = services.service_create(actor=actor, cooperation=coop, **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, _("Tjänsten %(name)s är skapad. Ge den ett pris i en prislista.")
                % {"name": service.name},
            )  # fmt: skip
            return redirect("catalog:manage_service_edit", pk=service.pk)
    return render(
        request, "catalog/manage/form.html", _form_context(form, _("Ny tjänst"), "services")
    )


SERVICE_FORM_FIELDS = (
    "name",
    "description",
    "tier",
    "price_model",
    "unit_of_measure",
    "orderable_by",
    "approval",
    "is_addon",
    "version",
)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    _cooperations(request)
    service = selectors.service_admin_get(actor=actor, pk=pk)
    coop = service.cooperation
    initial = {k: getattr(service, k) for k in SERVICE_FORM_FIELDS}
    initial |= {
        "area": service.area_id,
        "owner_node": service.owner_node_id,
        "owner_user": service.owner_user_id,
    }
    form = _service_form(request, coop, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = _version(data)
        try:
            _service_values(request, coop, data)
            services.service_update(actor=actor, service=service, expected_version=version, **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("catalog:manage_service_edit", pk=service.pk)
    context = _form_context(
        form,
        _("Ändra %(name)s") % {"name": service.name},
        "services",
        obj=service,
        close_url="catalog:manage_service_close",
        history=_history(actor, service),
    )
    return render(request, "catalog/manage/form.html", context)


# --- packages -----------------------------------------------------------------------------------


def _active_services(actor: Actor, coop_id: int) -> list[Service]:
    return [
        s
        for s in selectors.service_admin_list(actor=actor, is_active=True)
        if s.cooperation_id == coop_id
    ]


@login_required
def package_list(request: HttpRequest) -> HttpResponse:
    _cooperations(request)
    packages = selectors.package_admin_list(actor=request.user)
    return render(
        request,
        "catalog/manage/package_list.html",
        {"page": paginate(request, packages), "tab": "packages", "qs": ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def package_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coops = _cooperations(request)
    coop = coops[0]
    form = PackageCreateForm(request.POST or None, services=_active_services(actor, coop.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        _version(data)
        try:
            first = selectors.service_admin_get(actor=actor, pk=data.pop("service"))
            package = services.package_create(
                actor=actor,
                cooperation=coop,
                items=[(first, data.pop("quantity"))],
                **data,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Paketet %(name)s är skapat.") % {"name": package.name})
            return redirect("catalog:manage_package_detail", pk=package.pk)
    return render(
        request, "catalog/manage/form.html", _form_context(form, _("Nytt paket"), "packages")
    )


@login_required
@require_http_methods(["GET", "POST"])
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The package: its details (editable) and its contents (add, change quantity, remove)."""
    actor = request.user
    _cooperations(request)
    package = selectors.package_admin_get(actor=actor, pk=pk)
    initial = {k: getattr(package, k) for k in ("name", "user_kind", "description", "version")}
    form = PackageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = _version(data)
        try:
            services.package_update(actor=actor, package=package, expected_version=version, **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("catalog:manage_package_detail", pk=package.pk)
    return _package_page(request, package, form=form)


def _package_page(
    request: HttpRequest, package: Package, *, form: Any = None, item_form: Any = None
) -> HttpResponse:
    actor = request.user
    if form is None:
        initial = {k: getattr(package, k) for k in ("name", "user_kind", "description", "version")}
        form = PackageForm(initial=initial)
    if item_form is None:
        item_form = PackageItemForm(
            initial={"version": package.version},
            services=_active_services(actor, package.cooperation_id),
        )
    return render(
        request,
        "catalog/manage/package_detail.html",
        {
            "package": package,
            "form": form,
            "item_form": item_form,
            "items": list(package.items.all()),
            "tab": "packages",
            "history": _history(actor, package),
        },
    )


@login_required
@require_POST
def package_item_set(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    _cooperations(request)
    package = selectors.package_admin_get(actor=actor, pk=pk)
    form = PackageItemForm(request.POST, services=_active_services(actor, package.cooperation_id))
    if form.is_valid():
        data = form.cleaned_data
        try:
            service = selectors.service_admin_get(actor=actor, pk=data["service"])
            services.package_item_set(
                actor=actor,
                package=package,
                service=service,
                quantity=data["quantity"],
                expected_version=data["version"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("%(service)s ingår nu i paketet med antal %(quantity)s.")
                % {"service": service.name, "quantity": data["quantity"]},
            )
            return redirect("catalog:manage_package_detail", pk=package.pk)
    return _package_page(request, package, item_form=form)


@login_required
@require_POST
def package_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    _cooperations(request)
    package = selectors.package_admin_get(actor=actor, pk=pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        raise NotFound()
    service = selectors.service_admin_get(actor=actor, pk=form.cleaned_data["service"])
    try:
        services.package_item_remove(
            actor=actor,
            package=package,
            service=service,
            expected_version=form.cleaned_data["version"],
        )
    except ApplicationError as exc:
        for text in [exc.message, *[m for ms in exc.fields.values() for m in ms]]:
            messages.error(request, str(text))
    else:
        messages.success(
            request, _("%(service)s är borttagen ur paketet.") % {"service": service.name}
        )
    return redirect("catalog:manage_package_detail", pk=package.pk)


# --- price lists --------------------------------------------------------------------------------


@login_required
def price_list_list(request: HttpRequest) -> HttpResponse:
    _cooperations(request)
    versions = selectors.price_list_admin_list(actor=request.user)
    return render(
        request,
        "catalog/manage/price_list_list.html",
        {
            "page": paginate(request, versions),
            "qs": "",
            "tab": "price_lists",
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def price_list_create(request: HttpRequest) -> HttpResponse:
    """A new version, copied from an existing one (the one in force today, by default)."""
    actor = request.user
    coops = _cooperations(request)
    sources = list(selectors.price_list_admin_list(actor=actor).filter(is_active=True))
    if not sources:
        return _first_price_list(request, coops)
    today = timezone.localdate()
    current = next(
        (
            p
            for p in sources
            if p.valid_from <= today and (p.valid_to is None or p.valid_to >= today)
        ),
        sources[0],
    )
    form = PriceListCopyForm(
        request.POST or None,
        sources=sources,
        initial={"source": current.pk, "valid_from": today + dt.timedelta(days=1)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            source = selectors.price_list_admin_get(actor=actor, pk=data.pop("source"))
            price_list = services.price_list_copy(actor=actor, source=source, **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, _("Prislistan %(name)s är skapad.") % {"name": price_list.name}
            )
            return redirect("catalog:manage_price_list_detail", pk=price_list.pk)
    return render(
        request,
        "catalog/manage/form.html",
        _form_context(form, _("Ny version av prislistan"), "price_lists"),
    )


def _first_price_list(request: HttpRequest, coops: list[Cooperation]) -> HttpResponse:
    """A catalogue without any price list starts with an empty one; its prices are then set on
    its page, like those of any version not yet in force."""
    form = PriceListNewForm(
        request.POST or None, initial={"valid_from": timezone.localdate() + dt.timedelta(days=1)}
    )
    form.set_cooperations(coops)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            price_list = services.price_list_create(
                actor=request.user, cooperation=_chosen(coops, data), **data
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Prislistan %(name)s är skapad. Sätt priserna på tjänsterna nedan.")
                % {"name": price_list.name},
            )
            return redirect("catalog:manage_price_list_detail", pk=price_list.pk)
    return render(
        request,
        "catalog/manage/form.html",
        _form_context(form, _("Första prislistan"), "price_lists"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def price_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A version: its period and decision (editable within the rules), and its prices (editable
    until it comes into force)."""
    actor = request.user
    _cooperations(request)
    price_list = selectors.price_list_admin_get(actor=actor, pk=pk)
    started = price_list.valid_from <= timezone.localdate()
    fields = ("name", "valid_from", "valid_to", "decision_reference", "version")
    form = PriceListEditForm(
        request.POST or None,
        initial={k: getattr(price_list, k) for k in fields},
        started=started,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = _version(data)
        if started:
            data.pop("valid_from", None)
        try:
            services.price_list_update(
                actor=actor, price_list=price_list, expected_version=version, **data
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("catalog:manage_price_list_detail", pk=price_list.pk)
    return _price_list_page(request, price_list, started=started, form=form)


def _price_list_page(
    request: HttpRequest,
    price_list: PriceList,
    *,
    started: bool,
    form: Any,
    price_form: Any = None,
) -> HttpResponse:
    actor = request.user
    if price_form is None and not started:
        price_form = PriceForm(
            initial={"version": price_list.version},
            services=_active_services(actor, price_list.cooperation_id),
        )
    return render(
        request,
        "catalog/manage/price_list_detail.html",
        {
            "price_list": price_list,
            "form": form,
            "price_form": price_form,
            "prices": list(price_list.prices.all()),
            "started": started,
            "tab": "price_lists",
            "history": _history(actor, price_list),
        },
    )


@login_required
@require_POST
def price_list_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a version not yet in force, or bring a withdrawn one back (overlap-checked)."""
    actor = request.user
    _cooperations(request)
    price_list = selectors.price_list_admin_get(actor=actor, pk=pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        raise NotFound()
    try:
        services.price_list_update(
            actor=actor,
            price_list=price_list,
            expected_version=form.cleaned_data["version"],
            is_active=not price_list.is_active,
        )
    except ApplicationError as exc:
        for text in [exc.message, *[m for ms in exc.fields.values() for m in ms]]:
            messages.error(request, str(text))
    else:
        done = (
            _("%(name)s är tillbakadragen.")
            if price_list.is_active
            else _("%(name)s gäller igen enligt sina datum.")
        )
        messages.success(request, done % {"name": price_list.name})
    return redirect("catalog:manage_price_list_detail", pk=price_list.pk)


@login_required
@require_POST
def price_set(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    _cooperations(request)
    price_list = selectors.price_list_admin_get(actor=actor, pk=pk)
    started = price_list.valid_from <= timezone.localdate()
    form = PriceForm(request.POST, services=_active_services(actor, price_list.cooperation_id))
    if form.is_valid():
        data = form.cleaned_data
        try:
            service = selectors.service_admin_get(actor=actor, pk=data["service"])
            services.price_set(
                actor=actor,
                price_list=price_list,
                service=service,
                amount=data["amount"],
                expected_version=data["version"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Priset för %(service)s är sparat.") % {"service": service})
            return redirect("catalog:manage_price_list_detail", pk=price_list.pk)
    edit = PriceListEditForm(
        initial={
            k: getattr(price_list, k)
            for k in ("name", "valid_from", "valid_to", "decision_reference", "version")
        },
        started=started,
    )
    return _price_list_page(request, price_list, started=started, form=edit, price_form=form)


@login_required
@require_POST
def price_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    _cooperations(request)
    price_list = selectors.price_list_admin_get(actor=actor, pk=pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        raise NotFound()
    service = selectors.service_admin_get(actor=actor, pk=form.cleaned_data["service"])
    try:
        services.price_remove(
            actor=actor,
            price_list=price_list,
            service=service,
            expected_version=form.cleaned_data["version"],
        )
    except ApplicationError as exc:
        for text in [exc.message, *[m for ms in exc.fields.values() for m in ms]]:
            messages.error(request, str(text))
    else:
        messages.success(request, _("Priset för %(service)s är borttaget.") % {"service": service})
    return redirect("catalog:manage_price_list_detail", pk=price_list.pk)
