"""The chat's pages: the portal entry (open or closed), a conversation (for the user and for
the agent), the agents' queue, and the event stream that carries new messages live.

The stream is a plain streaming response (docs/adr/0026): each connection polls for messages
after the last event id for at most ITFABRIK_CHAT_STREAM_SECONDS, then ends with a `retry:`
hint and the browser's EventSource reconnects with Last-Event-ID, so a gunicorn thread is never
held for long and nothing is lost or repeated across reconnects.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.pagination import paginate

from .. import opening, rules, selectors, services
from .. import permissions as actions
from ..choices import ConversationStatus, MessageKind
from ..models import Conversation, Message


def _stream_seconds() -> float:
    return float(getattr(settings, "ITFABRIK_CHAT_STREAM_SECONDS", 25))


def _poll_seconds() -> float:
    return float(getattr(settings, "ITFABRIK_CHAT_POLL_SECONDS", 1))


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _error_text(exc: ApplicationError) -> str:
    texts = [str(m) for msgs in exc.fields.values() for m in msgs]
    return " ".join(texts) or str(exc.message)


def message_data(message: Message, viewer: Any) -> dict[str, Any]:
    """What the page and the stream show of a message (one shape for both)."""
    author = message.author
    name = (author.get_full_name() or author.get_username()) if author else ""
    return {
        "id": message.pk,
        "kind": message.kind,
        "mine": author is not None and author.pk == viewer.pk,
        "author": name,
        "body": message.body,
        "time": timezone.localtime(message.created_at).strftime("%H:%M"),
        "at": message.created_at.isoformat(),
    }


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """The chat in the portal: a start form while open, the next opening and the report form
    while closed; the user's own conversations below."""
    actor = request.user
    unit = getattr(actor, "home_unit", None)
    if unit is None or not permissions.can(actor, actions.START_CHAT, unit):
        raise NotFound()
    state = opening.opening(unit.cooperation_id)
    return render(
        request,
        "chat/portal.html",
        {
            "open": state.is_open,
            "next": opening.describe(state.next_opening, zone=state.timezone)
            if state.next_opening
            else "",
            "page": paginate(request, selectors.my_conversation_list(actor=actor)),
            "error": request.session.pop("chat_error", ""),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    try:
        conversation = services.conversation_start(
            actor=request.user, body=request.POST.get("body", "")
        )
    except ApplicationError as exc:
        if exc.status >= 403:
            raise
        request.session["chat_error"] = _error_text(exc)
        return redirect("chat:portal")
    return redirect("chat:conversation", pk=conversation.pk)


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    conv = selectors.conversation_get(actor=actor, pk=pk)
    rows = [message_data(m, actor) for m in selectors.message_after_list(conversation=conv)]
    participant = actor.pk in (conv.requester_id, conv.agent_id)
    is_agent_view = actor.pk != conv.requester_id
    return render(
        request,
        "chat/conversation.html",
        {
            "conversation": conv,
            "rows": rows,
            "last_id": rows[-1]["id"] if rows else 0,
            "can_write": participant and conv.status != ConversationStatus.ENDED,
            "can_pick": is_agent_view and conv.status == ConversationStatus.WAITING,
            "is_agent_view": is_agent_view,
            "ticket_url": _ticket_url(conv, is_agent_view),
            "error": request.session.pop("chat_error", ""),
        },
    )


def _ticket_url(conv: Conversation, is_agent_view: bool) -> str:
    from django.urls import reverse

    if conv.ticket_id is None:
        return ""
    name = "servicedesk:ticket_detail" if is_agent_view else "servicedesk:portal_ticket"
    return reverse(name, args=[conv.ticket_id])


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a message. Script: answered 204 (the message arrives by the stream, once). Without
    a script: back to the conversation, which shows it."""
    conv = selectors.conversation_get(actor=request.user, pk=pk)
    try:
        services.message_send(
            actor=request.user, conversation=conv, body=request.POST.get("body", "")
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        if _wants_json(request):
            return JsonResponse({"error": _error_text(exc)}, status=exc.status)
        request.session["chat_error"] = _error_text(exc)
        return redirect("chat:conversation", pk=conv.pk)
    if _wants_json(request):
        return HttpResponse(status=204)
    return redirect("chat:conversation", pk=conv.pk)


@login_required
@require_POST
def pick(request: HttpRequest, pk: int) -> HttpResponse:
    conv = selectors.conversation_get(actor=request.user, pk=pk)
    try:
        services.conversation_pick(actor=request.user, conversation=conv)
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, _error_text(exc))
        return redirect("chat:queue")
    messages.success(request, _("Du har tagit chatten."))
    return redirect("chat:conversation", pk=conv.pk)


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    conv = selectors.conversation_get(actor=request.user, pk=pk)
    try:
        services.conversation_end(actor=request.user, conversation=conv)
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Chatten är avslutad."))
    return redirect("chat:conversation", pk=conv.pk)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Waiting conversations, the longest waiting first, with how long each has waited."""
    actor = request.user
    if not selectors.is_agent(actor):
        raise NotFound()
    now = timezone.now()
    page = paginate(request, selectors.waiting_list(actor=actor))
    rows = [(c, int((now - c.created_at).total_seconds() // 60)) for c in page]
    return render(
        request,
        "chat/queue.html",
        {
            "page": page,
            "rows": rows,
            "active": list(selectors.my_active_conversation_get(actor=actor)[:20]),
        },
    )


@login_required
@require_GET
def stream(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Server-sent events: every message after Last-Event-ID (or `?efter=` on the first
    connection), then new ones as they come, for a bounded time."""
    actor = request.user
    conv = selectors.conversation_get(actor=actor, pk=pk)
    after = rules.parse_last_event_id(
        request.headers.get("Last-Event-ID"), request.GET.get("efter")
    )
    seconds, poll = _stream_seconds(), _poll_seconds()
    # An ended chat gets nothing new: one pass sends what the browser missed, then it closes.
    finished = conv.status == ConversationStatus.ENDED

    def events() -> Iterator[str]:
        last = after
        yield rules.sse_retry()
        deadline = time.monotonic() + seconds
        while True:
            ended = False
            for message in selectors.message_after_list(conversation=conv, after=last)[:200]:
                yield rules.sse_event(
                    event_id=message.pk, event="message", data=message_data(message, actor)
                )
                last = message.pk
                ended = ended or message.kind == MessageKind.ENDED
            if ended or finished or time.monotonic() >= deadline:
                return
            time.sleep(poll)
            # A comment now and then lets a proxy (and the server) notice a closed connection.
            yield rules.sse_comment("")

    response = StreamingHttpResponse(events(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
