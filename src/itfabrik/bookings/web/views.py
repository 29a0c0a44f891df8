"""The bookings' pages: the portal (my visits, book a visit for a ticket), the technician's week
calendar with its iCalendar feed, and the team lead's blocks (generate, correct, close)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itfabrik.bookings import ical, selectors, services
from itfabrik.bookings import permissions as actions
from itfabrik.bookings.models import Block, Booking
from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.selectors import get_or_not_found
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.servicedesk import selectors as sd_selectors
from itfabrik.servicedesk.models import Ticket
from itfabrik.tenancy.models import OrgNode

from .forms import BlockEditForm, BookForm, CancelForm, GenerateForm, MarkForm

FEED_SESSION_KEY = "bookings_feed_token"
# How far the feed reaches: a month back (what was done) and half a year ahead.
FEED_PAST = dt.timedelta(days=31)
FEED_AHEAD = dt.timedelta(days=183)
FREE_PER_PAGE = 20


# --- the portal -----------------------------------------------------------------------------


@login_required
@require_GET
def portal(request: HttpRequest) -> HttpResponse:
    """Mina besök: coming visits and my open tickets, those marked for a visit first."""
    actor = request.user
    return render(
        request,
        "bookings/portal.html",
        {
            "visits": list(selectors.my_booking_list(actor=actor)),
            "page": paginate(request, selectors.bookable_ticket_list(actor=actor)),
            "qs": querystring_without_page(request),
        },
    )


def _bookable_ticket(request: HttpRequest, pk: int) -> Ticket:
    """The ticket, if the actor sees it and may book for it; 404 otherwise (a form page is not
    revealed to someone who cannot use it)."""
    ticket = sd_selectors.ticket_get(actor=request.user, pk=pk)
    if not services.may_book(request.user, ticket):
        raise NotFound()
    return ticket


@login_required
@require_http_methods(["GET", "POST"])
def ticket_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Book, rebook or see the visit of one ticket: the free blocks of its municipality."""
    actor = request.user
    ticket = _bookable_ticket(request, pk)
    booking = selectors.active_booking_get(ticket=ticket)
    form = BookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            block = selectors.block_get(actor=actor, pk=data["block"])
            if booking is not None and data.get("version"):
                services.booking_rebook(
                    actor=actor, booking=booking, expected_version=data["version"], block=block
                )
                messages.success(request, _("Besöket är ombokat."))
            else:
                services.booking_create(
                    actor=actor, ticket=ticket, block=block, note=data["note"] or ""
                )
                messages.success(request, _("Besöket är bokat."))
            return redirect("bookings:ticket", pk=ticket.pk)
        except NotFound:
            form.add_error("block", _("Okänt pass."))
        except ApplicationError as exc:
            add_application_error(form, exc)
    page = paginate(request, selectors.free_block_list(actor=actor, ticket=ticket), FREE_PER_PAGE)
    is_staff = permissions.can(actor, actions.BOOK_FOR_OTHERS, ticket.unit)
    return render(
        request,
        "bookings/ticket.html",
        {
            "ticket": ticket,
            "booking": booking,
            "form": form,
            "cancel_form": CancelForm(initial={"version": booking.version}) if booking else None,
            "page": page,
            "qs": querystring_without_page(request),
            "visit_request": selectors.open_request_get(ticket=ticket),
            "is_staff": is_staff,
            "mark_form": MarkForm() if is_staff else None,
            "is_open": ticket.status not in ("resolved", "closed"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get(actor=request.user, pk=pk)
    if not services.may_book(request.user, booking.ticket):
        raise NotFound()
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.booking_cancel(
                actor=request.user,
                booking=booking,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"] or "",
            )
            messages.success(request, _("Besöket är avbokat."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message) + _format_fields(exc))
    else:
        messages.error(request, _("Sidan var för gammal. Försök igen."))
    return redirect("bookings:ticket", pk=booking.ticket_id)


def _format_fields(exc: ApplicationError) -> str:
    parts = [str(m) for msgs in exc.fields.values() for m in msgs]
    return (" " + " ".join(parts)) if parts else ""


@login_required
@require_POST
def ticket_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """An agent marks that the ticket needs a visit: the requester is offered the blocks."""
    ticket = _bookable_ticket(request, pk)
    if not permissions.can(request.user, actions.BOOK_FOR_OTHERS, ticket.unit):
        raise NotFound()
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.visit_request_mark(
                actor=request.user, ticket=ticket, note=form.cleaned_data["note"] or ""
            )
            messages.success(request, _("Ärendet är markerat för besök."))
        except ApplicationError as exc:
            messages.error(request, str(exc.message) + _format_fields(exc))
    return redirect("bookings:ticket", pk=ticket.pk)


# --- the technician's calendar ------------------------------------------------------------


def _monday(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def _calendar_technician(request: HttpRequest) -> Any:
    actor = request.user
    if not (
        permissions.can_anywhere(actor, actions.TAKE_VISITS)
        or permissions.can_anywhere(actor, actions.VIEW_BOOKINGS)
    ):
        raise NotFound()
    wanted = request.GET.get("tekniker")
    if wanted and wanted != str(actor.pk):
        if not permissions.can_anywhere(actor, actions.VIEW_BOOKINGS):
            raise NotFound()
        return get_or_not_found(selectors.technician_list(actor=actor), wanted)
    return actor


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """One week of a technician's blocks and booked visits: a table per day, keyboard- and
    phone-friendly (no grid that needs a pointer)."""
    technician = _calendar_technician(request)
    monday = _monday(request.GET.get("vecka"))
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(monday, dt.time(0), tzinfo=zone)
    last = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tzinfo=zone)
    blocks = list(
        selectors.calendar_block_list(
            actor=request.user, technician=technician, first=first, last=last
        )
    )
    days = []
    for i in range(7):
        day = monday + dt.timedelta(days=i)
        days.append({"date": day, "blocks": [b for b in blocks if b.date == day]})
    own = technician.pk == request.user.pk
    token = request.session.pop(FEED_SESSION_KEY, None) if own else None
    feed_url = request.build_absolute_uri(reverse("bookings:feed", args=[token])) if token else None
    return render(
        request,
        "bookings/calendar.html",
        {
            "technician": technician,
            "own": own,
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "days": days,
            "count": sum(len(getattr(b, "active_bookings", [])) for b in blocks),
            "feed_url": feed_url,
            "has_feed": own and selectors.feed_token_get(technician) is not None,
            "may_feed": own and permissions.can_anywhere(request.user, actions.TAKE_VISITS),
            "technicians": list(selectors.technician_list(actor=request.user))
            if permissions.can_anywhere(request.user, actions.VIEW_BOOKINGS)
            else [],
        },
    )


@login_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    try:
        token = services.feed_token_renew(actor=request.user)
    except ApplicationError:
        raise NotFound() from None
    request.session[FEED_SESSION_KEY] = token
    messages.success(
        request, _("En ny kalenderlänk är skapad. En tidigare länk fungerar inte längre.")
    )
    return redirect("bookings:calendar")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: the address is the credential (calendar programs cannot sign in)."""
    owner = selectors.feed_owner_get(token)
    if owner is None:
        raise NotFound()
    now = timezone.now()
    blocks = selectors.calendar_block_list(
        actor=owner, technician=owner, first=now - FEED_PAST, last=now + FEED_AHEAD
    )
    name = _("Besök – %(name)s") % {"name": owner.get_full_name() or owner.get_username()}
    body = ical.render(blocks, name=name, host=request.get_host().split(":")[0], now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="besok.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the team lead's blocks ---------------------------------------------------------------


def _require_manager(request: HttpRequest) -> None:
    if not selectors.may_manage_blocks(request.user):
        raise NotFound()


def _managed_municipalities(request: HttpRequest) -> Any:
    return OrgNode.objects.filter(
        permissions.scope_q(request.user, actions.MANAGE_BLOCKS),
        kind="municipality",
        is_active=True,
    ).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def blocks(request: HttpRequest) -> HttpResponse:
    """Coming blocks (filtered by technician and municipality) and the form that creates them
    for the working days of a period."""
    _require_manager(request)
    actor = request.user
    form = GenerateForm(
        request.POST if request.method == "POST" else None,
        technicians=selectors.technician_list(actor=actor),
        municipalities=_managed_municipalities(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.blocks_generate(
                actor=actor,
                technician=data["technician"],
                municipality=data["municipality"],
                first=data["first"],
                last=data["last"],
                parts=list(data["parts"]),
                capacity=data["capacity"],
            )
            messages.success(request, _("%(count)s pass skapade.") % {"count": len(created)})
            return redirect("bookings:blocks")
        except ApplicationError as exc:
            add_application_error(form, exc)
    filters: dict[str, Any] = {"starts_after": timezone.now() - dt.timedelta(hours=12)}
    for key, param in (("technician", "tekniker"), ("municipality", "kommun")):
        value = request.GET.get(param)
        if value and value.isdecimal():
            filters[key] = int(value)
    qs = selectors.block_list(actor=actor, filters=filters)
    return render(
        request,
        "bookings/blocks.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "technicians": list(selectors.technician_list(actor=actor)),
            "municipalities": list(_managed_municipalities(request)),
            "chosen": {k: str(v) for k, v in filters.items() if k != "starts_after"},
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    block: Block = selectors.block_get(actor=request.user, pk=pk)
    if not permissions.can(request.user, actions.MANAGE_BLOCKS, block.municipality):
        raise NotFound()
    initial = {
        "capacity": block.capacity,
        "note": block.note,
        "is_open": block.is_open,
        "version": block.version,
    }
    form = BlockEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.block_update(actor=request.user, block=block, expected_version=version, **data)
            messages.success(request, _("Passet är sparat."))
            return redirect("bookings:blocks")
        except ApplicationError as exc:
            add_application_error(form, exc)
    bookings: list[Booking] = list(
        selectors.booking_list(actor=request.user, filters={"block": block.pk, "status": "active"})
    )
    return render(
        request,
        "bookings/block_edit.html",
        {"visit_block": block, "form": form, "bookings": bookings},
        status=400 if form.errors else 200,
    )
