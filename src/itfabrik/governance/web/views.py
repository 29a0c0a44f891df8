"""Governance's pages: forums with members and meetings, a meeting's agenda and minutes (PDF),
matters a local council registers and prepares, decisions (list, record, follow up, link), and
the cooperation agreement (PDF)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itfabrik.accounts.models import User
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate
from itfabrik.governance import exports, pdf, selectors, services
from itfabrik.governance.choices import ForumKind
from itfabrik.governance.governed import governed_kinds
from itfabrik.governance.models import Forum
from itfabrik.governance.rules import next_statuses
from itfabrik.tenancy import selectors as tenancy_selectors

from .forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    AgreementForm,
    AmendmentForm,
    DecisionEditForm,
    DecisionFilterForm,
    DecisionForm,
    EvaluationDoneForm,
    EvaluationForm,
    LinkForm,
    MatterForm,
    MeetingCreateForm,
    MeetingEditForm,
    MemberEndForm,
    MemberForm,
    PrepareForm,
    StatusForm,
    VersionForm,
)


def _file(file: Any) -> HttpResponse:
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def _flash_error(request: HttpRequest, exc: ApplicationError) -> None:
    parts = [str(m) for msgs in exc.fields.values() for m in msgs]
    text = " ".join(parts) if parts else str(exc.message)
    messages.error(request, text)


def _require_view(request: HttpRequest) -> None:
    if not selectors.may_view_governance(request.user):
        raise NotFound()


# --- forums ---------------------------------------------------------------------------------


@login_required
@require_GET
def forums(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    return render(
        request, "governance/forum_list.html", {"forums": selectors.forum_list(actor=request.user)}
    )


def _link_groups(forum: Forum) -> list[tuple[Any, list[tuple[str, str]]]]:
    groups = []
    for kind in governed_kinds():
        items = [
            (f"{kind.key}:{obj.pk}", kind.describe(obj))
            for obj in selectors.link_candidate_list(kind=kind, cooperation=forum.cooperation)
        ]
        groups.append((kind.label, items))
    return groups


@login_required
@require_GET
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    forum = selectors.forum_get(actor=actor, pk=pk)
    may_manage = selectors.may_manage_meetings(actor, forum)
    may_manage_forum = selectors.may_manage_forum(actor, forum)
    members = list(selectors.member_list(forum=forum))
    return render(
        request,
        "governance/forum_detail.html",
        {
            "forum": forum,
            "members": members,
            "end_forms": [
                (m, MemberEndForm(initial={"version": m.version}, auto_id=f"end{m.pk}_%s"))
                for m in members
            ],
            "page": paginate(
                request, selectors.meeting_list(actor=actor, filters={"forum": forum.pk}), 20
            ),
            "matters": selectors.matter_list(actor=actor, filters={"forum": forum.pk})[:20],
            "waiting": selectors.matter_waiting_list(actor=actor, forum=forum),
            "decisions": selectors.decision_list(actor=actor, filters={"forum": forum.pk})[:10],
            "may_manage": may_manage,
            "may_decide": selectors.may_decide(actor, forum),
            "may_manage_forum": may_manage_forum,
            "meeting_form": MeetingCreateForm(auto_id="meeting_%s") if may_manage else None,
            "member_form": MemberForm(
                users=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
                auto_id="member_%s",
            )
            if may_manage_forum
            else None,
            "is_local": forum.kind == ForumKind.LOCAL_COUNCIL,
        },
    )


@login_required
@require_POST
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_get(actor=request.user, pk=pk)
    form = MeetingCreateForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, forum=forum, **form.cleaned_data)
            messages.success(request, _("Mötet är skapat."))
            return redirect("governance:meeting", pk=meeting.pk)
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Ange mötets datum som ÅÅÅÅ-MM-DD."))
    return redirect("governance:forum", pk=forum.pk)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_get(actor=request.user, pk=pk)
    if not selectors.may_manage_forum(request.user, forum):
        raise NotFound()
    form = MemberForm(request.POST, users=User.objects.filter(is_active=True))
    if form.is_valid():
        try:
            services.member_add(actor=request.user, forum=forum, **form.cleaned_data)
            messages.success(request, _("Ledamoten är tillagd."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Välj person, roll och datum."))
    return redirect("governance:forum", pk=forum.pk)


@login_required
@require_POST
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(actor=request.user, pk=pk)
    if not selectors.may_manage_forum(request.user, member.forum):
        raise NotFound()
    form = MemberEndForm(request.POST)
    if form.is_valid():
        try:
            services.member_end(
                actor=request.user,
                member=member,
                expected_version=form.cleaned_data["version"],
                valid_to=form.cleaned_data["valid_to"],
            )
            messages.success(request, _("Ledamoten har lämnat forumet."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Ange sista dag som ÅÅÅÅ-MM-DD."))
    return redirect("governance:forum", pk=member.forum_id)


# --- meetings -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    meeting = selectors.meeting_get(actor=actor, pk=pk)
    may_manage = selectors.may_manage_meetings(actor, meeting.forum) and not meeting.is_locked
    initial = {
        "version": meeting.version,
        "held_on": meeting.held_on,
        "location": meeting.location,
        "status": meeting.status,
        "attendees": meeting.attendees,
        "minutes": meeting.minutes,
    }
    form = MeetingEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not selectors.may_manage_meetings(actor, meeting.forum):
            raise NotFound()
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.meeting_update(
                    actor=actor, meeting=meeting, expected_version=version, **data
                )
                messages.success(request, _("Mötet är sparat."))
                return redirect("governance:meeting", pk=meeting.pk)
            except ApplicationError as exc:
                add_application_error(form, exc)
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "form": form if may_manage else None,
            "item_form": AgendaItemForm(auto_id="item_%s") if may_manage else None,
            "approve_form": VersionForm(initial={"version": meeting.version}, auto_id="approve_%s")
            if may_manage
            else None,
            "may_decide": selectors.may_decide(actor, meeting.forum) and not meeting.is_locked,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    if not selectors.may_manage_meetings(request.user, meeting.forum):
        raise NotFound()
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Punkten är tillagd."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Ange en rubrik för punkten."))
    return redirect("governance:meeting", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_get(actor=request.user, pk=pk)
    if not selectors.may_manage_meetings(request.user, item.meeting.forum):
        raise NotFound()
    initial = {
        "version": item.version,
        "title": item.title,
        "description": item.description,
        "minutes": item.minutes,
    }
    form = AgendaItemEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.agenda_item_update(
                actor=request.user, item=item, expected_version=version, **data
            )
            messages.success(request, _("Punkten är sparad."))
            return redirect("governance:meeting", pk=item.meeting_id)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "governance/agenda_item_form.html",
        {"item": item, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    if not selectors.may_manage_meetings(request.user, meeting.forum):
        raise NotFound()
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_approve_minutes(
                actor=request.user, meeting=meeting, expected_version=form.cleaned_data["version"]
            )
            messages.success(request, _("Protokollet är justerat. Besluten är nu slutgiltiga."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Sidan var för gammal. Försök igen."))
    return redirect("governance:meeting", pk=meeting.pk)


@login_required
@require_GET
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    members = list(selectors.member_list(forum=meeting.forum, on=meeting.held_on))
    return _file(pdf.minutes_pdf(meeting, members))


# --- matters --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def matter_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    forum = selectors.forum_get(actor=actor, pk=pk)
    if not selectors.may_manage_meetings(actor, forum):
        raise NotFound()
    form = MatterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_register(actor=actor, forum=forum, **form.cleaned_data)
            messages.success(request, _("Ärendet är registrerat."))
            return redirect("governance:matter", pk=matter.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "governance/matter_form.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    matter = selectors.matter_get(actor=actor, pk=pk)
    may_prepare = selectors.may_manage_meetings(actor, matter.forum) and matter.status in (
        "registered",
        "prepared",
    )
    targets = selectors.forum_choice_list(actor=actor, cooperation_wide=True).filter(
        cooperation_id=matter.forum.cooperation_id
    )
    initial = {
        "version": matter.version,
        "target_forum": matter.target_forum_id
        or targets.filter(kind=ForumKind.IT_COUNCIL).values_list("pk", flat=True).first(),
        "proposal_text": matter.proposal_text,
    }
    form = PrepareForm(
        request.POST if request.method == "POST" else None, initial=initial, forums=targets
    )
    if request.method == "POST":
        if not may_prepare:
            raise NotFound()
        if form.is_valid():
            try:
                services.matter_prepare(
                    actor=actor,
                    matter=matter,
                    expected_version=form.cleaned_data["version"],
                    target_forum=form.cleaned_data["target_forum"],
                    proposal_text=form.cleaned_data["proposal_text"],
                )
                messages.success(request, _("Ärendet är berett och skickat för beslut."))
                return redirect("governance:matter", pk=matter.pk)
            except ApplicationError as exc:
                add_application_error(form, exc)
    target = matter.target_forum
    return render(
        request,
        "governance/matter_detail.html",
        {
            "matter": matter,
            "form": form if may_prepare else None,
            "withdraw_form": VersionForm(initial={"version": matter.version}, auto_id="withdraw_%s")
            if may_prepare
            else None,
            "may_decide_here": matter.status == "registered"
            and matter.forum.kind == ForumKind.LOCAL_COUNCIL
            and selectors.may_decide(actor, matter.forum),
            "may_decide_target": matter.status == "prepared"
            and target is not None
            and selectors.may_decide(actor, target),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def matter_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get(actor=request.user, pk=pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.matter_withdraw(
                actor=request.user, matter=matter, expected_version=form.cleaned_data["version"]
            )
            messages.success(request, _("Ärendet är återtaget."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    return redirect("governance:matter", pk=matter.pk)


# --- decisions ------------------------------------------------------------------------------


@login_required
@require_GET
def decisions(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_view(request)
    form = DecisionFilterForm(request.GET or None, forums=selectors.forum_choice_list(actor=actor))
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "forum": data["forum"].pk if data.get("forum") else None,
            "scope": data.get("scope") or None,
            "status": data.get("status") or None,
            "q": data.get("q") or None,
        }
    qs = selectors.decision_list(actor=actor, filters=filters, ordering=request.GET.get("sort"))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _file(exports.decisions_csv(qs) if fmt == "csv" else exports.decisions_xlsx(qs))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "governance/decision_list.html",
        {"form": form, "page": paginate(request, qs), "qs": params.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a decision of the forum, on a matter (`?arende=`) or correcting an earlier
    decision (`?rattar=`)."""
    actor = request.user
    forum = selectors.forum_get(actor=actor, pk=pk)
    if not selectors.may_decide(actor, forum):
        raise NotFound()
    matter = corrects = None
    if request.GET.get("arende", "").isdecimal():
        matter = selectors.matter_get(actor=actor, pk=request.GET["arende"])
    if request.GET.get("rattar", "").isdecimal():
        corrects = selectors.decision_get(actor=actor, pk=request.GET["rattar"])
    is_local = forum.kind == ForumKind.LOCAL_COUNCIL
    initial: dict[str, Any] = {"scope": "municipality" if is_local else "cooperation"}
    if matter is not None:
        initial.update(title=matter.title, text=matter.proposal_text or matter.description)
    if corrects is not None:
        initial.update(
            title=_("Rättelse av %(number)s: %(title)s")
            % {"number": corrects.number, "title": corrects.title},
            text=corrects.text,
            scope=corrects.scope,
            municipality=corrects.municipality_id,
        )
    municipalities = tenancy_selectors.municipality_list(actor=actor, cooperation=forum.cooperation)
    if is_local:
        municipalities = municipalities.filter(pk=forum.municipality_id or 0)
        initial["municipality"] = forum.municipality_id
    link_groups = _link_groups(forum)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        meetings=selectors.open_meeting_list(actor=actor, forum=forum),
        municipalities=municipalities,
        link_groups=link_groups,
    )
    valid = request.method == "POST" and form.is_valid()
    links = form.link_pairs() if valid else []
    if valid and not form.errors:
        data = form.cleaned_data
        try:
            decision = services.decision_create(
                actor=actor,
                meeting=data["meeting"],
                title=data["title"],
                text=data["text"],
                scope=data["scope"],
                municipality=data.get("municipality"),
                decided_on=data.get("decided_on"),
                matter=matter,
                corrects=corrects,
                links=links,
            )
            messages.success(
                request, _("Beslut %(number)s är registrerat.") % {"number": decision.number}
            )
            return redirect("governance:decision", pk=decision.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "governance/decision_form.html",
        {
            "forum": forum,
            "form": form,
            "matter": matter,
            "corrects": corrects,
            "link_choices": [(label, items) for label, items in link_groups if items],
            "chosen_links": request.POST.getlist("links") if request.method == "POST" else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    decision = selectors.decision_get(actor=actor, pk=pk)
    locked = selectors.is_decision_locked(decision)
    may_decide = selectors.may_decide(actor, decision.forum)
    statuses = next_statuses(decision.status)
    status_form = None
    if may_decide and statuses:
        status_form = StatusForm(
            initial={"version": decision.version, "status": statuses[0]}, auto_id="status_%s"
        )
        field: Any = status_form.fields["status"]
        field.choices = [c for c in field.choices if c[0] in statuses]
    links = []
    for link in decision.links.all():
        kind = next((k for k in governed_kinds() if k.key == link.kind), None)
        url = None
        if kind is not None and kind.url is not None:
            obj = kind.model._default_manager.filter(pk=link.object_id).first()
            url = kind.url(obj) if obj is not None else None
        links.append({"link": link, "label": kind.label if kind else link.kind, "url": url})
    return render(
        request,
        "governance/decision_detail.html",
        {
            "decision": decision,
            "locked": locked,
            "may_decide": may_decide,
            "status_form": status_form,
            "links": links,
            "link_form": LinkForm(link_groups=_link_groups(decision.forum), auto_id="link_%s")
            if may_decide and not locked
            else None,
            "unlink_form": VersionForm() if may_decide and not locked else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    decision = selectors.decision_get(actor=actor, pk=pk)
    if not selectors.may_decide(actor, decision.forum):
        raise NotFound()
    initial = {
        "version": decision.version,
        "title": decision.title,
        "text": decision.text,
        "decided_on": decision.decided_on,
    }
    form = DecisionEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.decision_update(
                actor=actor, decision=decision, expected_version=version, **data
            )
            messages.success(request, _("Beslutet är sparat."))
            return redirect("governance:decision", pk=decision.pk)
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "governance/decision_edit.html",
        {"decision": decision, "form": form, "locked": selectors.is_decision_locked(decision)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def decision_status(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(actor=request.user, pk=pk)
    if not selectors.may_decide(request.user, decision.forum):
        raise NotFound()
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.decision_set_status(
                actor=request.user,
                decision=decision,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
            messages.success(request, _("Statusen är ändrad."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Välj en status."))
    return redirect("governance:decision", pk=decision.pk)


@login_required
@require_POST
def decision_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(actor=request.user, pk=pk)
    if not selectors.may_decide(request.user, decision.forum):
        raise NotFound()
    form = LinkForm(request.POST, link_groups=_link_groups(decision.forum))
    if form.is_valid():
        kind, _sep, object_id = form.cleaned_data["target"].partition(":")
        try:
            services.decision_link_add(
                actor=request.user, decision=decision, kind=kind, object_id=int(object_id)
            )
            messages.success(request, _("Länken är tillagd."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Välj ett objekt."))
    return redirect("governance:decision", pk=decision.pk)


@login_required
@require_POST
def decision_link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    decision = selectors.decision_get(actor=request.user, pk=pk)
    link = decision.links.filter(pk=link_pk).first()
    if link is None:
        raise NotFound()
    try:
        services.decision_link_remove(actor=request.user, link=link)
        messages.success(request, _("Länken är borttagen."))
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect("governance:decision", pk=decision.pk)


# --- the agreement --------------------------------------------------------------------------


def _agreement(request: HttpRequest) -> Any:
    if not selectors.may_view_agreement(request.user):
        raise NotFound()
    from itfabrik.core.registry import current_cooperation

    return selectors.agreement_get(actor=request.user, cooperation=current_cooperation(request))


@login_required
@require_GET
def agreement(request: HttpRequest) -> HttpResponse:
    actor = request.user
    agr = _agreement(request)
    detail = selectors.agreement_detail_get(agr)
    may_manage = selectors.may_manage_agreement(actor, agr)
    municipalities = tenancy_selectors.municipality_list(actor=actor, cooperation=agr.cooperation)
    return render(
        request,
        "governance/agreement.html",
        {
            "agreement": agr,
            "sections": pdf.agreement_sections(agr, detail),
            **detail,
            "may_manage": may_manage,
            "amendment_form": AmendmentForm(municipalities=municipalities, auto_id="am_%s")
            if may_manage
            else None,
            "evaluation_form": EvaluationForm(auto_id="ev_%s") if may_manage else None,
            "done_forms": [
                (
                    e,
                    EvaluationDoneForm(initial={"version": e.version}, auto_id=f"done{e.pk}_%s")
                    if may_manage and e.done_on is None
                    else None,
                )
                for e in detail["evaluations"]
            ],
            "apply_forms": {
                a.pk: VersionForm(initial={"version": a.version}, auto_id=f"apply{a.pk}_%s")
                for a in detail["amendments"]
                if may_manage and a.applied_at is None
            },
        },
    )


@login_required
@require_GET
def agreement_pdf(request: HttpRequest) -> HttpResponse:
    agr = _agreement(request)
    return _file(pdf.agreement_pdf(agr, selectors.agreement_detail_get(agr)))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest) -> HttpResponse:
    actor = request.user
    agr = _agreement(request)
    if not selectors.may_manage_agreement(actor, agr):
        raise NotFound()
    from itfabrik.billing.models import AllocationKey

    keys = AllocationKey.objects.filter(pool__cooperation=agr.cooperation).select_related("pool")
    initial = {
        name: getattr(agr, name) for name in AgreementForm.class_fields if name != "allocation_keys"
    }
    initial["allocation_keys"] = list(agr.allocation_keys.values_list("pk", flat=True))
    initial["version"] = agr.version
    form = AgreementForm(
        request.POST if request.method == "POST" else None, initial=initial, keys=keys
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        chosen = list(data.pop("allocation_keys"))
        try:
            services.agreement_update(
                actor=actor, agreement=agr, expected_version=version, allocation_keys=chosen, **data
            )
            messages.success(request, _("Avtalet är sparat."))
            return redirect("governance:agreement")
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(
        request,
        "governance/agreement_form.html",
        {"agreement": agr, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def amendment_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    agr = _agreement(request)
    if not selectors.may_manage_agreement(actor, agr):
        raise NotFound()
    form = AmendmentForm(
        request.POST,
        municipalities=tenancy_selectors.municipality_list(
            actor=actor, cooperation=agr.cooperation
        ),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = None
            if data["decision_number"]:
                try:
                    decision = selectors.decision_by_number_get(
                        actor=actor, number=data["decision_number"].strip()
                    )
                except NotFound:
                    messages.error(request, _("Beslutsnumret finns inte."))
                    return redirect("governance:agreement")
            services.amendment_register(
                actor=actor,
                agreement=agr,
                kind=data["kind"],
                effective_on=data["effective_on"],
                description=data["description"],
                municipality=data.get("municipality"),
                decision=decision,
                apply=data["apply"],
            )
            messages.success(request, _("Ändringen är registrerad."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Ange typ, datum och beskrivning."))
    return redirect("governance:agreement")


@login_required
@require_POST
def amendment_apply(request: HttpRequest, pk: int) -> HttpResponse:
    agr = _agreement(request)
    amendment = agr.amendments.filter(pk=pk).first()
    if amendment is None or not selectors.may_manage_agreement(request.user, agr):
        raise NotFound()
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.amendment_apply(
                actor=request.user,
                amendment=amendment,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("Ändringen är verkställd."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    return redirect("governance:agreement")


@login_required
@require_POST
def evaluation_create(request: HttpRequest) -> HttpResponse:
    agr = _agreement(request)
    if not selectors.may_manage_agreement(request.user, agr):
        raise NotFound()
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_add(actor=request.user, agreement=agr, **form.cleaned_data)
            messages.success(request, _("Utvärderingen är planerad."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Ange datum och vad som utvärderas."))
    return redirect("governance:agreement")


@login_required
@require_POST
def evaluation_done(request: HttpRequest, pk: int) -> HttpResponse:
    agr = _agreement(request)
    evaluation = agr.evaluations.filter(pk=pk).first()
    if evaluation is None or not selectors.may_manage_agreement(request.user, agr):
        raise NotFound()
    form = EvaluationDoneForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_complete(
                actor=request.user,
                evaluation=evaluation,
                expected_version=form.cleaned_data["version"],
                done_on=form.cleaned_data["done_on"],
                outcome=form.cleaned_data["outcome"],
            )
            messages.success(request, _("Utvärderingen är genomförd."))
        except ApplicationError as exc:
            _flash_error(request, exc)
    else:
        messages.error(request, _("Ange datum och resultat."))
    return redirect("governance:agreement")
