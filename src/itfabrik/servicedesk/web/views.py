"""The service desk's pages: the agent queue, the ticket page, the phone form, and the portal
(report a problem, my tickets, a ticket with its public replies)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from itfabrik.accounts.web.widgets import person_options
from itfabrik.catalog import selectors as catalog_selectors
from itfabrik.core import permissions
from itfabrik.core.errors import ApplicationError, Forbidden, NotFound
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.knowledge import selectors as knowledge_selectors
from itfabrik.servicedesk import hooks, rules, selectors, services
from itfabrik.servicedesk import permissions as actions
from itfabrik.servicedesk.choices import (
    PAUSED_STATUSES,
    EntryKind,
    Nis2Step,
    TicketStatus,
    TicketType,
)
from itfabrik.servicedesk.models import AssignmentGroup, Ticket

from .forms import (
    DATETIME_FORMAT,
    AttachmentForm,
    BulkForm,
    EntryForm,
    KnownErrorPublishForm,
    Nis2MarkForm,
    Nis2RecordForm,
    PhoneTicketForm,
    PortalReplyForm,
    PortalReportForm,
    ProblemForm,
    ProblemLinkForm,
    QueueFilterForm,
    SavedViewForm,
    TicketEditForm,
)


def _require_agent(request: HttpRequest) -> None:
    if not selectors.is_agent(request.user):
        raise NotFound()


def sla_state(ticket: Ticket, now: dt.datetime) -> dict[str, Any]:
    """How the resolution clock stands, for the breach mark: a word, not a colour alone."""
    if ticket.status not in rules.OPEN:
        return {"key": "done", "label": _("Avslutad")}
    if ticket.status in PAUSED_STATUSES or ticket.paused_since is not None:
        return {"key": "paused", "label": _("Pausad")}
    if ticket.policy is None or ticket.resolution_due is None:
        return {"key": "none", "label": _("Ingen SLA")}
    if ticket.resolution_due <= now:
        return {"key": "breached", "label": _("Försenad")}
    share = rules.used_share(services.sla_elapsed(ticket, now), ticket.policy.resolution_target)
    if share * 100 >= services.warn_thresholds()[0]:
        return {"key": "warning", "label": _("Snart försenad")}
    return {"key": "ok", "label": _("I tid")}


def _ticket_url_template() -> tuple[str, str]:
    """The ticket page's address around its id: one `reverse` for a page of rows, not one each."""
    marker = "2147483647"
    before, after = reverse("servicedesk:ticket_detail", args=[int(marker)]).rsplit(marker, 1)
    return before, after


def _local(value: dt.datetime | None) -> dict[str, str] | None:
    if value is None:
        return None
    local = timezone.localtime(value)
    return {"iso": local.isoformat(), "text": local.strftime(DATETIME_FORMAT)}


def _queue_row(
    ticket: Ticket, now: dt.datetime, detail: tuple[str, str], statuses: dict[str, str]
) -> dict[str, Any]:
    """What a queue row shows, as text: fifty rows of template tags, filters and includes cost
    more than the rest of the page (bench/README.md)."""
    nis2 = _local(ticket.nis2_next_due)
    return {
        "pk": ticket.pk,
        "url": f"{detail[0]}{ticket.pk}{detail[1]}",
        "reference": ticket.reference,
        "pick_label": _("Markera %(ref)s") % {"ref": ticket.reference},
        "title": ticket.title,
        "is_vip": ticket.is_vip,
        "priority": ticket.priority,
        "status": statuses.get(ticket.status, ticket.status),
        "due": _local(ticket.resolution_due),
        "sla": sla_state(ticket, now),
        "nis2": nis2,
        "nis2_late": ticket.nis2_next_due is not None and ticket.nis2_next_due <= now,
        "nis2_done": ticket.nis2_next_due is None and ticket.nis2_aware_at is not None,
        "municipality": ticket.municipality.name if ticket.municipality else "",
        "group": ticket.group.name if ticket.group else "",
        "assignee": str(ticket.assignee) if ticket.assignee else "",
    }


def nis2_state(ticket: Ticket, now: dt.datetime) -> list[dict[str, Any]]:
    """The three NIS2 reports of a significant incident: due, done, and a word for the state."""
    if ticket.nis2_aware_at is None:
        return []
    labels = dict(Nis2Step.choices)
    out = []
    for step, due in rules.nis2_deadlines(timezone.localtime(ticket.nis2_aware_at)).items():
        done = getattr(ticket, f"nis2_{step}_at")
        if done is not None:
            key, word = "done", _("Lämnad")
        elif due <= now:
            key, word = "breached", _("Försenad")
        elif due - now <= services.nis2_warn_before():
            key, word = "warning", _("Snart")
        else:
            key, word = "ok", _("I tid")
        out.append(
            {
                "step": step,
                "label": labels[step],
                "due": due,
                "done": done,
                "key": key,
                "word": word,
            }
        )
    return out


QUEUE_FILTERS = ("status", "priority", "q", "nis2")
# What `_queue_row` and `sla_state` read. Fifty tickets with every column of the ticket and its
# three joined relations cost more to turn into objects than the query took; a field missing
# here costs a query per row, which `test_queue_query_count_does_not_grow_with_rows` notices.
QUEUE_ROW_FIELDS = (
    "reference",
    "title",
    "is_vip",
    "priority",
    "status",
    "reported_at",
    "resolution_due",
    "accrued_seconds",
    "clock_started_at",
    "paused_since",
    "paused_seconds",
    "nis2_aware_at",
    "nis2_next_due",
    "policy",
    "municipality__name",
    "group__name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """My groups' open tickets, the one due first on top (with "NIS2-frister": the NIS2
    deadline due first on top)."""
    _require_agent(request)
    actor = request.user
    mine = list(selectors.my_group_list(actor=actor))
    groups = list(selectors.group_list(actor=actor).prefetch_related(None))
    form = QueueFilterForm(request.GET or None, groups=groups)
    filters: dict[str, Any] = {}
    chosen: list[AssignmentGroup] | None = mine
    if form.is_valid():
        data = form.cleaned_data
        if data["group"] == "all":
            chosen = None
        elif data["group"]:
            chosen = [g for g in groups if g.pk == int(data["group"])]
        filters = {k: data[k] for k in QUEUE_FILTERS if data.get(k)}
    qs = selectors.ticket_queue_list(actor=actor, groups=chosen, filters=filters).only(
        *QUEUE_ROW_FIELDS
    )
    if filters.get("nis2"):
        qs = qs.order_by("nis2_next_due", "pk")
    page = paginate(request, qs)
    now = timezone.now()
    detail = _ticket_url_template()
    statuses = {value: str(label) for value, label in TicketStatus.choices}
    rows = [_queue_row(t, now, detail, statuses) for t in page]
    return render(
        request,
        "servicedesk/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "now": now,
            "qs": querystring_without_page(request),
            "my_groups": mine,
            "views": list(selectors.saved_view_list(actor=actor)),
            "view_form": SavedViewForm(groups=mine),
            "bulk": BulkForm(
                groups=groups, people=list(selectors.assignable_user_list(actor=actor))
            ),
        },
    )


@login_required
@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Assign or move the chosen tickets: all or nothing, with the refused ones named."""
    _require_agent(request)
    actor = request.user
    groups = list(selectors.group_list(actor=actor).prefetch_related(None))
    people = list(selectors.assignable_user_list(actor=actor))
    form = BulkForm(request.POST, groups=groups, people=people)
    back = request.POST.get("next", "")
    target = f"{reverse('servicedesk:queue')}?{back}" if back else reverse("servicedesk:queue")
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(
                f"{form.fields[k].label}: {' '.join(str(m) for m in v)}"
                for k, v in form.errors.items()
                if k in form.fields
            )
            or _("Välj ärenden och en åtgärd."),
        )
        return redirect(target)
    data = form.cleaned_data
    group = next((g for g in groups if g.pk == data["group"]), None)
    assignee = next((p for p in people if p.pk == data["assignee"]), None)
    try:
        done, refused = services.ticket_bulk(
            actor=actor,
            ticket_ids=data["tickets"],
            action=data["action"],
            group=group,
            assignee=assignee,
            status=data["status"],
        )
    except ApplicationError as exc:
        messages.error(request, services._reason(exc))
        return redirect(target)
    if refused:
        refs = dict(Ticket.objects.filter(pk__in=refused).values_list("pk", "reference"))
        messages.error(
            request,
            _("Inget ändrades: %(n)s ärenden kunde inte ändras. %(list)s")
            % {
                "n": len(refused),
                "list": " ".join(
                    f"{refs.get(pk, pk)}: {reason}." for pk, reason in sorted(refused.items())
                ),
            },
        )
    else:
        messages.success(request, _("%(n)s ärenden är ändrade.") % {"n": len(done)})
    return redirect(target)


@login_required
@require_POST
def view_save(request: HttpRequest) -> HttpResponse:
    """Save the queue's current filters (sent along as `filters`, a query string) by name."""
    from django.http import QueryDict

    _require_agent(request)
    actor = request.user
    mine = list(selectors.my_group_list(actor=actor))
    form = SavedViewForm(request.POST, groups=mine)
    filters = QueryDict(request.POST.get("filters", "")[:1000])
    if not form.is_valid():
        messages.error(request, _("Ange ett namn på vyn."))
    else:
        try:
            services.view_save(
                actor=actor,
                name=form.cleaned_data["name"],
                filters={k: filters.get(k) for k in services.VIEW_FILTER_KEYS},
                shared_with=next(
                    (g for g in mine if g.pk == form.cleaned_data["shared_with"]), None
                ),
            )
        except ApplicationError as exc:
            messages.error(request, services._reason(exc))
        else:
            messages.success(request, _("Vyn är sparad."))
    return redirect(f"{reverse('servicedesk:queue')}?{filters.urlencode()}")


@login_required
@require_POST
def view_close(request: HttpRequest, pk: int) -> HttpResponse:
    _require_agent(request)
    view = selectors.saved_view_get(actor=request.user, pk=pk)
    try:
        services.view_close(actor=request.user, view=view, expected_version=None)
    except ApplicationError as exc:
        messages.error(request, services._reason(exc))
    else:
        messages.success(request, _("Vyn är borttagen."))
    return redirect("servicedesk:queue")


@login_required
def requester_search(request: HttpRequest) -> HttpResponse:
    """Options for the requester search field: at most 20 people the agent serves."""
    _require_agent(request)
    return person_options(request, selectors.requester_search_list)


@login_required
@require_http_methods(["GET", "POST"])
def phone_ticket(request: HttpRequest) -> HttpResponse:
    """Register a call (or a visit) from the keyboard alone, with when the caller reported it."""
    _require_agent(request)
    actor = request.user
    service_list = list(catalog_selectors.service_list(actor=actor))
    form = PhoneTicketForm(
        request.POST or None,
        actor=actor,
        services=service_list,
        initial={
            "reported_at": timezone.now().replace(second=0, microsecond=0),
            # The assets app links here with ?device=<asset tag>.
            "device_reference": request.GET.get("device", "")[:100],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service = (
                catalog_selectors.service_get(actor=actor, pk=data["service"])
                if data["service"]
                else None
            )
            ticket = services.ticket_create(
                actor=actor,
                requester=data["requester"],
                title=data["title"],
                description=data["description"],
                impact=data["impact"],
                urgency=data["urgency"],
                type=data["type"],
                channel=data["channel"],
                service=service,
                reported_at=data["reported_at"],
                device_reference=data["device_reference"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Ärendet %(reference)s är registrerat.") % {"reference": ticket.reference},
            )
            return redirect("servicedesk:ticket_detail", pk=ticket.pk)
    return render(request, "servicedesk/phone_ticket.html", {"form": form})


def _edit_form(request: HttpRequest, ticket: Ticket, data: Any = None) -> TicketEditForm:
    actor = request.user
    return TicketEditForm(
        data,
        initial={
            "version": ticket.version,
            "title": ticket.title,
            "description": ticket.description,
            "type": ticket.type,
            "impact": ticket.impact,
            "urgency": ticket.urgency,
            "service": ticket.service_id,
            "group": ticket.group_id,
            "assignee": ticket.assignee_id,
            "device_reference": ticket.device_reference,
        },
        services=list(catalog_selectors.service_list(actor=actor)),
        groups=list(selectors.group_list(actor=actor).prefetch_related(None)),
        people=list(selectors.assignable_user_list(actor=actor)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent's ticket page; the requester and orderers get the portal page."""
    actor = request.user
    ticket = selectors.ticket_get(actor=actor, pk=pk)
    if not selectors.may_work(actor, ticket):
        return redirect("servicedesk:portal_ticket", pk=ticket.pk)
    edit = _edit_form(request, ticket, request.POST if request.method == "POST" else None)
    if request.method == "POST" and edit.is_valid():
        data = edit.cleaned_data
        try:
            changes: dict[str, Any] = {
                k: data[k]
                for k in ("title", "description", "type", "impact", "urgency", "device_reference")
            }
            changes["service"] = (
                catalog_selectors.service_get(actor=actor, pk=data["service"])
                if data["service"]
                else None
            )
            changes["group"] = (
                selectors.group_get(actor=actor, pk=data["group"]) if data["group"] else None
            )
            changes["assignee"] = (
                selectors.assignable_user_list(actor=actor).filter(pk=data["assignee"]).first()
                if data["assignee"]
                else None
            )
            changes = {
                k: v
                for k, v in changes.items()
                if getattr(ticket, f"{k}_id" if k in ("service", "group", "assignee") else k)
                != (getattr(v, "pk", v))
            }
            services.ticket_update(
                actor=actor, ticket=ticket, expected_version=data["version"], **changes
            )
        except ApplicationError as exc:
            add_application_error(edit, exc)
        else:
            messages.success(request, _("Ärendet är sparat."))
            return redirect("servicedesk:ticket_detail", pk=ticket.pk)
    return _render_detail(request, ticket, edit=edit)


def _problem_form(ticket: Ticket, data: Any = None) -> ProblemForm:
    return ProblemForm(
        data,
        initial={
            "version": ticket.version,
            "root_cause": ticket.root_cause,
            "workaround": ticket.workaround,
            "is_known_error": ticket.is_known_error,
        },
        auto_id="problem_%s",
    )


def _publish_form(request: HttpRequest, ticket: Ticket, data: Any = None) -> KnownErrorPublishForm:
    article = ticket.knowledge_article
    return KnownErrorPublishForm(
        data,
        initial={
            "title": article.title if article is not None else ticket.title,
            "summary": article.summary if article is not None else "",
            "audience": article.audience if article is not None else "everyone",
            "area": article.area_id if article is not None else None,
        },
        areas=list(knowledge_selectors.area_choice_list(actor=request.user)),
        auto_id="publish_%s",
    )


def _link_form(request: HttpRequest, ticket: Ticket, data: Any = None) -> ProblemLinkForm:
    form = ProblemLinkForm(
        data,
        initial={"version": ticket.version, "problem": ticket.problem_id},
        problems=list(selectors.problem_choice_list(actor=request.user, ticket=ticket)),
        auto_id="link_%s",
    )
    # Choosing a problem shows its known error's workaround before the link is saved.
    form.fields["problem"].widget.attrs.update(
        {
            "hx-get": reverse("servicedesk:problem_preview", args=[ticket.pk]),
            "hx-trigger": "change",
            "hx-target": "#problem-preview",
        }
    )
    return form


def _render_detail(
    request: HttpRequest,
    ticket: Ticket,
    *,
    edit: TicketEditForm | None = None,
    problem_form: ProblemForm | None = None,
    publish_form: KnownErrorPublishForm | None = None,
    link_form: ProblemLinkForm | None = None,
) -> HttpResponse:
    actor = request.user
    now = timezone.now()
    targets = rules.allowed_targets(
        ticket.status, resolved_at=ticket.resolved_at, now=now, reopen_days=services.reopen_days()
    )
    replacement = selectors.replacement_suggestion_get(ticket=ticket)
    is_problem = ticket.type == TicketType.PROBLEM
    may_manage_problem = is_problem and selectors.may_manage_problem(actor, ticket)
    return render(
        request,
        "servicedesk/ticket_detail.html",
        {
            "ticket": ticket,
            "ticket_links": hooks.ticket_links(request, ticket, staff=True),
            "replacement": replacement,
            "replacement_link": hooks.device_replacement(request, ticket) if replacement else None,
            "edit": edit or _edit_form(request, ticket),
            "entries": list(selectors.entry_list(actor=actor, ticket=ticket)),
            "entry_form": EntryForm(),
            "targets": [(t, TicketStatus(t).label) for t in targets],
            "sla": sla_state(ticket, now),
            "related": list(selectors.related_ticket_list(actor=actor, ticket=ticket)),
            "incidents": list(selectors.problem_incident_list(actor=actor, ticket=ticket)),
            "attachments": list(selectors.attachment_list(actor=actor, ticket=ticket)),
            "attach_form": AttachmentForm(),
            "limit_mb": f"{services.attachment_max_bytes() / (1024 * 1024):g}",
            "nis2": nis2_state(ticket, now),
            "nis2_mark": Nis2MarkForm(
                initial={"version": ticket.version, "aware_at": ticket.nis2_aware_at or now},
                auto_id="nis2mark_%s",
            ),
            "nis2_record": Nis2RecordForm(
                initial={"version": ticket.version, "at": now}, auto_id="nis2rec_%s"
            ),
            "may_manage_problem": may_manage_problem,
            "problem_form": (problem_form or _problem_form(ticket)) if may_manage_problem else None,
            # A refused publish shows its errors even before the problem is a known error.
            "publish_form": publish_form
            or (
                _publish_form(request, ticket)
                if may_manage_problem and ticket.is_known_error
                else None
            ),
            "link_form": (link_form or _link_form(request, ticket))
            if ticket.type == TicketType.INCIDENT
            else None,
        },
    )


# --- problem management (docs/adr/0039) ----------------------------------------------------------


def _staff_ticket(request: HttpRequest, pk: int, *, problem_work: bool = False) -> Ticket:
    """The ticket for its staff: 404 for everyone else; with `problem_work`, 403 for staff
    without problem management."""
    ticket = selectors.ticket_get(actor=request.user, pk=pk)
    if not selectors.may_work(request.user, ticket):
        raise NotFound()
    if problem_work and not selectors.may_manage_problem(request.user, ticket):
        raise Forbidden()
    return ticket


@login_required
@require_POST
def ticket_problem(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a problem's root cause, workaround and known-error mark."""
    ticket = _staff_ticket(request, pk, problem_work=True)
    form = _problem_form(ticket, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.problem_record(
                actor=request.user,
                ticket=ticket,
                expected_version=data["version"],
                root_cause=data["root_cause"],
                workaround=data["workaround"],
                is_known_error=data["is_known_error"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Problemet är sparat."))
            return redirect(f"{reverse('servicedesk:ticket_detail', args=[ticket.pk])}#problem")
    return _render_detail(request, ticket, problem_form=form)


@login_required
@require_POST
def ticket_known_error(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Publicera som känt fel" (again)."""
    ticket = _staff_ticket(request, pk, problem_work=True)
    form = _publish_form(request, ticket, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            area = (
                knowledge_selectors.area_choice_list(actor=request.user)
                .filter(pk=data["area"])
                .first()
                if data["area"]
                else None
            )
            republish = ticket.knowledge_article_id is not None
            services.known_error_publish(
                actor=request.user,
                ticket=ticket,
                title=data["title"],
                summary=data["summary"],
                audience=data["audience"],
                area=area,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Artikeln om det kända felet är uppdaterad.")
                if republish
                else _("Problemet är publicerat som känt fel i kunskapsbanken."),
            )
            return redirect(f"{reverse('servicedesk:ticket_detail', args=[ticket.pk])}#problem")
    return _render_detail(request, ticket, publish_form=form)


@login_required
@require_POST
def ticket_set_problem(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an incident to a problem (or take the link away)."""
    ticket = _staff_ticket(request, pk)
    form = _link_form(request, ticket, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            problem = (
                selectors.ticket_get(actor=request.user, pk=data["problem"])
                if data["problem"]
                else None
            )
            services.ticket_set_problem(
                actor=request.user,
                ticket=ticket,
                expected_version=data["version"],
                problem=problem,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Incidenten är kopplad till problemet.")
                if problem is not None
                else _("Kopplingen till problemet är borttagen."),
            )
            return redirect(f"{reverse('servicedesk:ticket_detail', args=[ticket.pk])}#problem")
    return _render_detail(request, ticket, link_form=form)


@login_required
def problem_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The chosen problem's known error and workaround, shown while an agent links an incident."""
    ticket = _staff_ticket(request, pk)
    problem = None
    raw = request.GET.get("problem", "")
    if raw.isdecimal():
        problem = (
            selectors.problem_choice_list(actor=request.user, ticket=ticket)
            .only("pk", "reference", "title", "known_error_at", "status", "workaround")
            .filter(pk=int(raw))
            .first()
        )
    return render(request, "servicedesk/_problem_preview.html", {"problem": problem})


@login_required
@require_POST
def ticket_transition(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    ticket = selectors.ticket_get(actor=actor, pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.ticket_transition(
            actor=actor,
            ticket=ticket,
            expected_version=version,
            status=request.POST.get("status", ""),
        )
    except ApplicationError as exc:
        text = "; ".join(str(m) for msgs in exc.fields.values() for m in msgs) or str(exc.message)
        messages.error(request, text)
    else:
        messages.success(request, _("Statusen är ändrad."))
    return redirect("servicedesk:ticket_detail", pk=ticket.pk)


@login_required
@require_POST
def ticket_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply or an internal note from the ticket page (staff) or the portal page."""
    actor = request.user
    ticket = selectors.ticket_get(actor=actor, pk=pk)
    staff = selectors.may_work(actor, ticket)
    form: Any = EntryForm(request.POST) if staff else PortalReplyForm(request.POST)
    target = "servicedesk:ticket_detail" if staff else "servicedesk:portal_ticket"
    if form.is_valid():
        kind = form.cleaned_data.get("kind", EntryKind.PUBLIC) if staff else EntryKind.PUBLIC
        try:
            services.entry_add(
                actor=actor, ticket=ticket, kind=kind, body=form.cleaned_data["body"]
            )
        except ApplicationError as exc:
            text = "; ".join(str(m) for msgs in exc.fields.values() for m in msgs)
            messages.error(request, text or str(exc.message))
        else:
            messages.success(
                request,
                _("Anteckningen är sparad.")
                if kind == EntryKind.INTERNAL
                else _("Svaret är skickat."),
            )
    else:
        messages.error(request, _("Skriv något."))
    return redirect(target, pk=ticket.pk)


# --- the portal -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def portal_report(request: HttpRequest) -> HttpResponse:
    """Report a problem: for oneself, on one's own workplace."""
    actor = request.user
    home = getattr(actor, "home_unit", None)
    if home is None or not permissions.can(actor, actions.REPORT, home):
        raise NotFound()
    # Coming from the help pages: what the person searched for starts the title.
    # The assets app ("my devices") links here with ?device=<asset tag>.
    initial = (
        {
            "title": request.GET.get("q", "")[:200],
            "device_reference": request.GET.get("device", "")[:100],
        }
        if request.method == "GET"
        else None
    )
    form = PortalReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_create(
                actor=actor,
                requester=actor,  # type: ignore[arg-type]
                title=data["title"],
                description=data["description"],
                impact=data["impact"],
                urgency=data["urgency"],
                device_reference=data["device_reference"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Tack! Ditt ärende har nummer %(reference)s.") % {"reference": ticket.reference},
            )
            return redirect("servicedesk:portal_ticket", pk=ticket.pk)
    return render(request, "servicedesk/portal_report.html", {"form": form})


@login_required
def portal_tickets(request: HttpRequest) -> HttpResponse:
    """Mina ärenden (and, for orderers, the tickets of their units)."""
    actor = request.user
    show_units = request.GET.get("visa") == "enheter" and permissions.can_anywhere(
        actor, actions.VIEW_UNIT_TICKETS
    )
    qs = (
        selectors.unit_ticket_list(actor=actor)
        if show_units
        else selectors.my_ticket_list(actor=actor)
    )
    return render(
        request,
        "servicedesk/portal_tickets.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "show_units": show_units,
            "can_units": permissions.can_anywhere(actor, actions.VIEW_UNIT_TICKETS),
        },
    )


@login_required
def portal_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """A ticket as the requester sees it: public replies only, never internal notes."""
    actor = request.user
    ticket = selectors.ticket_get(actor=actor, pk=pk)
    rows = selectors.entry_list(actor=actor, ticket=ticket).filter(kind=EntryKind.PUBLIC)
    return render(
        request,
        "servicedesk/portal_ticket.html",
        {
            "ticket": ticket,
            "ticket_links": hooks.ticket_links(request, ticket, staff=False),
            "entries": list(rows),
            "form": PortalReplyForm(),
            "can_reply": ticket.status != TicketStatus.CLOSED,
            "attachments": list(
                selectors.attachment_list(actor=actor, ticket=ticket).filter(internal=False)
            ),
            "attach_form": AttachmentForm(),
            "limit_mb": f"{services.attachment_max_bytes() / (1024 * 1024):g}",
        },
    )


# --- attachments and NIS2 -----------------------------------------------------------------------


@login_required
@require_POST
def ticket_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file (staff: optionally internal; the requester: public)."""
    actor = request.user
    ticket = selectors.ticket_get(actor=actor, pk=pk)
    staff = selectors.may_work(actor, ticket)
    target = "servicedesk:ticket_detail" if staff else "servicedesk:portal_ticket"
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Välj en fil."))
        return redirect(target, pk=ticket.pk)
    try:
        services.attachment_add(
            actor=actor,
            ticket=ticket,
            upload=form.cleaned_data["file"],
            internal=staff and form.cleaned_data["internal"],
        )
    except ApplicationError as exc:
        messages.error(request, services._reason(exc))
    else:
        messages.success(request, _("Filen är bifogad."))
    return redirect(target, pk=ticket.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file, for those who may see it (404 otherwise); always as a download, with the
    type we found in its content, so a browser never renders it as a page of ours."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    attachment = selectors.attachment_get(actor=request.user, pk=pk)
    response = FileResponse(
        default_storage.open(attachment.path, "rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(actor=request.user, pk=pk)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ApplicationError as exc:
        messages.error(request, services._reason(exc))
    else:
        messages.success(request, _("Bilagan är borttagen."))
    return redirect("servicedesk:ticket_detail", pk=attachment.ticket_id)


@login_required
@require_POST
def ticket_nis2(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark significant under NIS2 (or correct/remove the mark), or record a report sent."""
    actor = request.user
    ticket = selectors.ticket_get(actor=actor, pk=pk)
    if not selectors.may_work(actor, ticket):
        raise NotFound()
    form: Any
    try:
        if "step" in request.POST:
            form = Nis2RecordForm(request.POST)
            if form.is_valid():
                services.nis2_record(
                    actor=actor,
                    ticket=ticket,
                    expected_version=form.cleaned_data["version"],
                    step=form.cleaned_data["step"],
                    at=form.cleaned_data["at"],
                )
                messages.success(request, _("Rapporten är registrerad."))
        else:
            form = Nis2MarkForm(request.POST)
            if form.is_valid():
                aware = None if "unmark" in request.POST else form.cleaned_data["aware_at"]
                if aware is None and "unmark" not in request.POST:
                    form.add_error("aware_at", _("Ange när incidenten blev känd."))
                else:
                    services.nis2_mark(
                        actor=actor,
                        ticket=ticket,
                        expected_version=form.cleaned_data["version"],
                        aware_at=aware,
                    )
                    messages.success(
                        request,
                        _("NIS2-markeringen är borttagen.")
                        if aware is None
                        else _("Incidenten är markerad som betydande enligt NIS2."),
                    )
        if form.errors:
            messages.error(
                request,
                "; ".join(
                    f"{form.fields[k].label if k in form.fields else ''}: "
                    f"{' '.join(str(m) for m in v)}"
                    for k, v in form.errors.items()
                ),
            )
    except ApplicationError as exc:
        messages.error(request, services._reason(exc))
    return redirect(f"{reverse('servicedesk:ticket_detail', args=[ticket.pk])}#nis2")
