"""The mail log (what became of each inbound message) and the mail conversation of a ticket,
with an agent's reply and resolution by mail. Thin: parse, call one selector or service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from itfabrik.core.errors import ApplicationError
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.mailchannel import selectors, services
from itfabrik.servicedesk import selectors as desk_selectors

from .forms import InboundFilterForm, ReplyForm, ResolveForm


@login_required
@require_GET
def inbound_list(request: HttpRequest) -> HttpResponse:
    form = InboundFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = selectors.inbound_list(actor=request.user, **filters)
    return render(
        request,
        "mailchannel/inbound_list.html",
        {"form": form, "page": paginate(request, qs), "qs": querystring_without_page(request)},
        # A filter that does not parse is named on the page, the list shown unfiltered.
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_GET
def inbound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.inbound_get(actor=request.user, pk=pk)
    return render(
        request,
        "mailchannel/inbound_detail.html",
        {"message": message, "attachments": list(selectors.attachment_list(message=message))},
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    att = selectors.attachment_get(actor=request.user, pk=pk)
    # Never shown inline: the content came from outside and is only as safe as its sender.
    response = HttpResponse(bytes(att.data), content_type="application/octet-stream")
    name = att.filename.replace('"', "").replace("\r", "").replace("\n", "") or "bilaga"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _ticket_page(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    actor = request.user
    ticket = desk_selectors.ticket_get(actor=actor, pk=pk)
    conversation = selectors.ticket_mail_list(actor=actor, ticket=ticket)
    may_work = desk_selectors.may_work(actor, ticket)
    return render(
        request,
        "mailchannel/ticket_mail.html",
        {
            "ticket": ticket,
            "conversation": conversation,
            "may_work": may_work,
            "reply_form": forms.get("reply_form") or ReplyForm(prefix="reply"),
            "resolve_form": forms.get("resolve_form")
            or ResolveForm(initial={"version": ticket.version}, prefix="resolve"),
        },
        status=400 if forms else 200,
    )


@login_required
@require_GET
def ticket_mail(request: HttpRequest, pk: int) -> HttpResponse:
    return _ticket_page(request, pk)


@login_required
@require_POST
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    ticket = desk_selectors.ticket_get(actor=actor, pk=pk)
    form = ReplyForm(request.POST, prefix="reply")
    if form.is_valid():
        try:
            services.reply_by_mail(actor=actor, ticket=ticket, body=form.cleaned_data["body"])
        except ApplicationError as exc:
            if exc.status != 400:
                raise
            add_application_error(form, exc)
        else:
            messages.success(request, _("Svaret är sparat och skickas med e-post."))
            return redirect("mailchannel:ticket_mail", pk=ticket.pk)
    return _ticket_page(request, pk, reply_form=form)


@login_required
@require_POST
def ticket_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    ticket = desk_selectors.ticket_get(actor=actor, pk=pk)
    form = ResolveForm(request.POST, prefix="resolve")
    if form.is_valid():
        try:
            services.resolve_by_mail(
                actor=actor,
                ticket=ticket,
                expected_version=form.cleaned_data["version"],
                body=form.cleaned_data.get("body") or "",
            )
        except ApplicationError as exc:
            if exc.status not in (400, 409):
                raise
            add_application_error(form, exc)
        else:
            messages.success(request, _("Ärendet är löst och anmälaren får ett e-postmeddelande."))
            return redirect("mailchannel:ticket_mail", pk=ticket.pk)
    return _ticket_page(request, pk, resolve_form=form)
