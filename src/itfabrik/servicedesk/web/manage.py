"""The service desk's configuration pages, for the cooperation admin and team leads
(`servicedesk.manage`): assignment groups and their members, the priority matrix, business
calendars with their extra days, SLA policies (an edit recomputes open tickets in the worker),
and the VIP list. Anyone else gets 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from itfabrik.accounts.web.widgets import person_options
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.servicedesk import rules, selectors, services
from itfabrik.servicedesk.calendars import DAY_NAMES, coming_closed_days
from itfabrik.servicedesk.choices import Level
from itfabrik.servicedesk.models import BusinessCalendar
from itfabrik.servicedesk.tasks import recompute_policy_tickets

from .manage_forms import (
    CalendarDayForm,
    CalendarForm,
    EscalationRuleForm,
    GroupForm,
    ListFilterForm,
    MatrixForm,
    MemberForm,
    PolicyForm,
    RoutingForm,
    VipForm,
)


def _cooperation(request: HttpRequest) -> Any:
    """The cooperation managed (the first the actor manages); none: 404."""
    coops = selectors.managed_cooperation_list(actor=request.user)
    if not coops:
        raise NotFound()
    return coops[0]


def _listing(
    request: HttpRequest,
    qs: QuerySet[Any],
    *,
    sorts: dict[str, str],
    default: str,
    search: tuple[str, ...],
    active_field: str | None = "is_active",
) -> tuple[Any, ListFilterForm, str]:
    """Filter (search words, active or not), sort by a whitelisted column, paginate: all in
    the database."""
    form = ListFilterForm(request.GET or None)
    active = "1"
    if form.is_valid():
        for word in form.cleaned_data["q"].split()[:5]:
            cond = Q()
            for f in search:
                cond |= Q(**{f"{f}__icontains": word})
            qs = qs.filter(cond)
        active = form.cleaned_data["active"] or "1"
    if active_field and active != "all":
        qs = qs.filter(**{active_field: active == "1"})
    sort = request.GET.get("sort", default)
    key = sorts.get(sort.lstrip("-"))
    if key is None:
        sort, key = default, sorts[default.lstrip("-")]
    desc = sort.startswith("-")
    qs = qs.order_by(f"-{key}" if desc else key, "pk")
    return paginate(request, qs), form, sort


def _sort_links(request: HttpRequest, current: str, columns: dict[str, str]) -> list[Any]:
    """Header links: (label, querystring, aria-sort) per sortable column."""
    out = []
    for key, label in columns.items():
        params = request.GET.copy()
        params.pop("page", None)
        state = "none"
        if current == key:
            state, params["sort"] = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, params["sort"] = "descending", key
        else:
            params["sort"] = key
        out.append((label, params.urlencode(), state))
    return out


@login_required
def index(request: HttpRequest) -> HttpResponse:
    coop = _cooperation(request)
    return render(request, "servicedesk/manage/index.html", {"cooperation": coop})


@login_required
def person_search(request: HttpRequest) -> HttpResponse:
    """Options for the person search fields of these pages (group lead, member, VIP): at most
    20 people of the managed cooperations. Refused (404) like the pages themselves."""
    _cooperation(request)
    return person_options(request, selectors.manageable_user_search_list)


# --- groups -------------------------------------------------------------------------------------

GROUP_COLUMNS = {"name": _("Namn"), "kind": _("Typ"), "members": _("Medlemmar")}


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    _cooperation(request)
    page, form, sort = _listing(
        request,
        selectors.managed_group_list(actor=request.user),
        sorts={"name": "name", "kind": "kind", "members": "member_count"},
        default="name",
        search=("name", "email"),
    )
    return render(
        request,
        "servicedesk/manage/groups.html",
        {
            "page": page,
            "form": form,
            "qs": querystring_without_page(request),
            "columns": _sort_links(request, sort, {k: str(v) for k, v in GROUP_COLUMNS.items()}),
        },
    )


def _group_form(request: HttpRequest, group: Any, *, bound: bool) -> GroupForm:
    initial = (
        {
            "version": group.version,
            "name": group.name,
            "kind": group.kind,
            "lead": group.lead_id,
            "email": group.email,
            "is_active": group.is_active,
        }
        if group
        else {"is_active": True}
    )
    return GroupForm(
        request.POST if bound else None,
        initial=initial,
        actor=request.user,
        lead=group.lead if group else None,
    )


def _group_page(
    request: HttpRequest, group: Any, form: GroupForm, member_form: MemberForm | None = None
) -> HttpResponse:
    members = selectors.group_member_list(actor=request.user, group=group) if group else None
    if group and member_form is None:
        member_form = MemberForm(actor=request.user)
    return render(
        request,
        "servicedesk/manage/group_edit.html",
        {
            "group": group,
            "form": form,
            "members": list(members) if members is not None else [],
            "member_form": member_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = request.user
    coop = _cooperation(request)
    group = selectors.manage_group_get(actor=actor, pk=pk) if pk is not None else None
    form = _group_form(request, group, bound=request.method == "POST")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if group is None:
                group = services.group_create(
                    actor=actor,
                    cooperation=coop,
                    name=data["name"],
                    kind=data["kind"],
                    lead=data["lead"],
                    email=data["email"],
                )
            else:
                services.group_update(
                    actor=actor,
                    group=group,
                    expected_version=data["version"],
                    **{k: data[k] for k in ("name", "kind", "lead", "email", "is_active")},
                )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Gruppen är sparad."))
            return redirect("servicedesk:manage_group", pk=group.pk)
    return _group_page(request, group, form)


@login_required
@require_POST
def group_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a member (chosen by search) or remove one. A person who cannot be added shows the
    group's page again with the error at the field."""
    actor = request.user
    group = selectors.manage_group_get(actor=actor, pk=pk)
    remove = request.POST.get("remove")
    try:
        if remove:
            member = group.memberships.filter(user_id=remove).select_related("user").first()
            if member is None:
                raise NotFound()
            services.group_remove_member(actor=actor, group=group, user=member.user)
            messages.success(request, _("Personen är borttagen ur gruppen."))
        else:
            form = MemberForm(request.POST, actor=actor)
            if not form.is_valid():
                return _group_page(request, group, _group_form(request, group, bound=False), form)
            services.group_add_members(actor=actor, group=group, users=[form.cleaned_data["user"]])
            messages.success(request, _("Personen är tillagd i gruppen."))
    except ApplicationError as exc:
        messages.error(request, services._reason(exc))
    return redirect("servicedesk:manage_group", pk=group.pk)


# --- the priority matrix ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def matrix(request: HttpRequest) -> HttpResponse:
    """The 3×3 table. "Förhandsgranska" shows what would change (and what a VIP gets) without
    saving; "Spara" saves every changed cell, refused when someone saved in between."""
    actor = request.user
    coop = _cooperation(request)
    services._require_manage(actor, coop)
    current = {
        (i, u): rules.priority_for(i, u, selectors.matrix_get(coop.pk))
        for i in Level.values
        for u in Level.values
    }
    initial: dict[str, Any] = {f"{i}_{u}": p for (i, u), p in current.items()}
    initial["fingerprint"] = services.matrix_fingerprint(coop.pk)
    form = MatrixForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        cells = form.cells()
        if "preview" in request.POST:
            preview = [
                (
                    Level(i).label,
                    Level(u).label,
                    current[(i, u)],
                    cells[(i, u)],
                    rules.raise_one_step(cells[(i, u)]),
                    current[(i, u)] != cells[(i, u)],
                )
                for i in Level.values
                for u in Level.values
            ]
        else:
            try:
                services.matrix_set_all(
                    actor=actor,
                    cooperation=coop,
                    cells=cells,
                    expected=form.cleaned_data["fingerprint"],
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Prioritetsmatrisen är sparad."))
                return redirect("servicedesk:manage_matrix")
    rows = [(Level(i).label, [form[f"{i}_{u}"] for u in Level.values]) for i in Level.values]
    return render(
        request,
        "servicedesk/manage/matrix.html",
        {
            "form": form,
            "rows": rows,
            "urgencies": [label for _v, label in Level.choices],
            "preview": preview,
        },
    )


# --- calendars ----------------------------------------------------------------------------------


@login_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    _cooperation(request)
    page, form, sort = _listing(
        request,
        selectors.managed_calendar_list(actor=request.user),
        sorts={"name": "name"},
        default="name",
        search=("name",),
    )
    return render(
        request,
        "servicedesk/manage/calendars.html",
        {
            "page": page,
            "form": form,
            "qs": querystring_without_page(request),
            "columns": _sort_links(request, sort, {"name": _("Namn")}),
        },
    )


def _calendar_initial(calendar: BusinessCalendar | None) -> dict[str, Any]:
    if calendar is None:
        week: list[Any] = [[["08:00", "16:30"]]] * 5 + [[], []]
        return {"swedish_holidays": True, "is_active": True, "eves": [], "week": week} | {
            f"day_{n}": week[n] for n in range(7)
        }
    week = (list(calendar.week) + [[]] * 7)[:7]
    out: dict[str, Any] = {
        "version": calendar.version,
        "name": calendar.name,
        "swedish_holidays": calendar.swedish_holidays,
        "eves": list(calendar.eves or []),
        "is_active": calendar.is_active,
    }
    out.update({f"day_{n}": week[n] for n in range(7)})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = request.user
    coop = _cooperation(request)
    calendar = selectors.manage_calendar_get(actor=actor, pk=pk) if pk is not None else None
    form = CalendarForm(
        request.POST if request.method == "POST" and "save_calendar" in request.POST else None,
        initial=_calendar_initial(calendar),
    )
    day_form = CalendarDayForm(
        request.POST if request.method == "POST" and "save_day" in request.POST else None
    )
    if request.method == "POST" and "save_calendar" in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            if calendar is None:
                calendar = services.calendar_create(
                    actor=actor,
                    cooperation=coop,
                    name=data["name"],
                    week=form.week(),
                    swedish_holidays=data["swedish_holidays"],
                    eves=data["eves"],
                )
            else:
                services.calendar_update(
                    actor=actor,
                    calendar=calendar,
                    expected_version=data["version"],
                    name=data["name"],
                    week=form.week(),
                    swedish_holidays=data["swedish_holidays"],
                    eves=data["eves"],
                    is_active=data["is_active"],
                )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Kalendern är sparad."))
            return redirect("servicedesk:manage_calendar", pk=calendar.pk)
    if (
        request.method == "POST"
        and "save_day" in request.POST
        and calendar is not None
        and day_form.is_valid()
    ):
        data = day_form.cleaned_data
        try:
            services.calendar_set_day(
                actor=actor,
                calendar=calendar,
                date=data["date"],
                hours=data["hours"],
                note=data["note"],
            )
        except ApplicationError as exc:
            add_application_error(day_form, exc)
        else:
            messages.success(request, _("Dagen är sparad."))
            return redirect("servicedesk:manage_calendar", pk=calendar.pk)
    coming = coming_closed_days(calendar, timezone.localdate(), 365) if calendar is not None else []
    return render(
        request,
        "servicedesk/manage/calendar_edit.html",
        {
            "calendar": calendar,
            "form": form,
            "day_form": day_form,
            "day_fields": [form[f"day_{n}"] for n in range(len(DAY_NAMES))],
            "coming": coming,
            "extra_days": list(calendar.days.all()) if calendar is not None else [],
        },
    )


@login_required
@require_POST
def calendar_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    calendar = selectors.manage_calendar_get(actor=actor, pk=pk)
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        raise NotFound() from None
    services.calendar_clear_day(actor=actor, calendar=calendar, date=day)
    messages.success(request, _("Dagen är borttagen; veckans öppettider gäller."))
    return redirect("servicedesk:manage_calendar", pk=calendar.pk)


# --- SLA policies -------------------------------------------------------------------------------


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    _cooperation(request)
    page, form, sort = _listing(
        request,
        selectors.managed_policy_list(actor=request.user),
        sorts={
            "priority": "priority",
            "name": "name",
            "response": "response_minutes",
            "resolution": "resolution_minutes",
        },
        default="priority",
        search=("name", "calendar__name"),
    )
    return render(
        request,
        "servicedesk/manage/policies.html",
        {
            "page": page,
            "form": form,
            "qs": querystring_without_page(request),
            "columns": _sort_links(
                request,
                sort,
                {
                    "priority": _("Prioritet"),
                    "name": _("Namn"),
                    "response": _("Första svar"),
                    "resolution": _("Lösning"),
                },
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = request.user
    coop = _cooperation(request)
    policy = selectors.manage_policy_get(actor=actor, pk=pk) if pk is not None else None
    calendars = selectors.managed_calendar_list(actor=actor).filter(is_active=True).order_by("name")
    initial = (
        {
            "version": policy.version,
            "name": policy.name,
            "priority": policy.priority,
            "response_minutes": policy.response_minutes,
            "resolution_minutes": policy.resolution_minutes,
            "calendar": policy.calendar_id,
            "is_active": policy.is_active,
        }
        if policy
        else {"is_active": True}
    )
    form = PolicyForm(
        request.POST or None, initial=initial, calendars=calendars, editing=policy is not None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if policy is None:
                policy = services.policy_create(
                    actor=actor,
                    cooperation=coop,
                    name=data["name"],
                    priority=data["priority"],
                    response_minutes=data["response_minutes"],
                    resolution_minutes=data["resolution_minutes"],
                    calendar=data["calendar"],
                )
                messages.success(request, _("Policyn är sparad."))
            else:
                fields = ("name", "response_minutes", "resolution_minutes", "calendar", "is_active")
                changes = {
                    k: data[k]
                    for k in fields
                    if getattr(policy, "calendar_id" if k == "calendar" else k)
                    != getattr(data[k], "pk", data[k])
                }
                _p, job = services.policy_update(
                    actor=actor, policy=policy, expected_version=data["version"], **changes
                )
                messages.success(
                    request,
                    _("Policyn är sparad. Öppna ärenden räknas om i bakgrunden.")
                    if job
                    else _("Policyn är sparad."),
                )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return redirect("servicedesk:manage_policy", pk=policy.pk)
    return render(
        request,
        "servicedesk/manage/policy_edit.html",
        {
            "policy": policy,
            "form": form,
            "jobs": list(selectors.recompute_job_list(policy=policy)[:5]) if policy else [],
        },
    )


@login_required
def policy_jobs(request: HttpRequest, pk: int) -> HttpResponse:
    """The recomputation progress (a fragment the policy page polls while a job runs)."""
    policy = selectors.manage_policy_get(actor=request.user, pk=pk)
    return render(
        request,
        "servicedesk/manage/_jobs.html",
        {"policy": policy, "jobs": list(selectors.recompute_job_list(policy=policy)[:5])},
    )


@login_required
@require_POST
def policy_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Recompute the policy's open tickets now (after a calendar change, say)."""
    from itfabrik.core import audit

    from ..models import RecomputeJob

    actor = request.user
    policy = selectors.manage_policy_get(actor=actor, pk=pk)
    scope = services._require_manage(actor, policy.cooperation)
    job = RecomputeJob.objects.create(
        policy=policy,
        started_by=services._user(actor),
        old_calendar=None,
        edited_at=timezone.now(),
    )
    audit.record_created(actor=actor, instance=job, scope_path=scope)
    recompute_policy_tickets.enqueue(job.pk)
    messages.success(request, _("Öppna ärenden räknas om i bakgrunden."))
    return redirect("servicedesk:manage_policy", pk=policy.pk)


# --- the VIP list -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def vip_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    coop = _cooperation(request)
    add = VipForm(request.POST or None, actor=actor)
    if request.method == "POST" and add.is_valid():
        try:
            services.vip_add(
                actor=actor,
                cooperation=coop,
                user=add.cleaned_data["user"],
                reason=add.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            add_application_error(add, exc)
        else:
            messages.success(request, _("Personen är tillagd på listan."))
            return redirect("servicedesk:manage_vips")
    page, form, sort = _listing(
        request,
        selectors.managed_vip_list(actor=actor),
        sorts={"name": "user__last_name", "added": "created_at"},
        default="name",
        search=("user__username", "user__first_name", "user__last_name", "reason"),
    )
    return render(
        request,
        "servicedesk/manage/vips.html",
        {
            "page": page,
            "form": form,
            "add": add,
            "qs": querystring_without_page(request),
            "columns": _sort_links(request, sort, {"name": _("Person"), "added": _("Tillagd")}),
        },
    )


@login_required
@require_POST
def vip_remove(request: HttpRequest, pk: int) -> HttpResponse:
    vip = selectors.manage_vip_get(actor=request.user, pk=pk)
    services.vip_remove(actor=request.user, vip=vip)
    messages.success(request, _("Personen är borttagen från listan."))
    return redirect("servicedesk:manage_vips")


# --- escalation rules ---------------------------------------------------------------------------


@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    _cooperation(request)
    page, form, sort = _listing(
        request,
        selectors.managed_escalation_rule_list(actor=request.user),
        sorts={"name": "name", "trigger": "trigger"},
        default="name",
        search=("name",),
    )
    groups = {g.pk: g.name for g in selectors.managed_group_list(actor=request.user)}
    return render(
        request,
        "servicedesk/manage/escalations.html",
        {
            "page": page,
            "rows": [(r, [groups.get(int(g), "?") for g in r.group_ids]) for r in page],
            "form": form,
            "qs": querystring_without_page(request),
            "columns": _sort_links(request, sort, {"name": _("Namn"), "trigger": _("När")}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = request.user
    coop = _cooperation(request)
    rule = selectors.managed_escalation_rule_get(actor=actor, pk=pk) if pk is not None else None
    groups = (
        selectors.managed_group_list(actor=actor)
        .filter(cooperation=rule.cooperation if rule else coop, is_active=True)
        .order_by("name")
    )
    initial = (
        {
            "version": rule.version,
            "name": rule.name,
            "trigger": rule.trigger,
            "priorities": rule.priorities,
            "groups": rule.group_ids,
            "notify": rule.notify,
            "raise_priority": rule.raise_priority,
            "reassign_to": rule.reassign_to_id,
            "is_active": rule.is_active,
        }
        if rule
        else {"is_active": True, "notify": True}
    )
    form = EscalationRuleForm(request.POST or None, initial=initial, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {
            "name": data["name"],
            "trigger": data["trigger"],
            "priorities": list(data["priorities"]),
            "group_ids": sorted(g.pk for g in data["groups"]),
            "notify": data["notify"],
            "raise_priority": data["raise_priority"],
            "reassign_to": data["reassign_to"],
        }
        try:
            if rule is None:
                rule = services.escalation_rule_create(actor=actor, cooperation=coop, **values)
            else:
                values["is_active"] = data["is_active"]
                changes = {
                    k: v
                    for k, v in values.items()
                    if getattr(rule, "reassign_to" if k == "reassign_to" else k) != v
                }
                services.escalation_rule_update(
                    actor=actor, rule=rule, expected_version=data["version"], **changes
                )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Eskaleringsregeln är sparad."))
            return redirect("servicedesk:manage_escalation", pk=rule.pk)
    return render(request, "servicedesk/manage/escalation_edit.html", {"rule": rule, "form": form})


# --- routing rules ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def routing(request: HttpRequest) -> HttpResponse:
    """Training questions (R24) and replace-don't-repair (R23), one form per cooperation."""
    from itfabrik.catalog.models import Service

    actor = request.user
    coop = _cooperation(request)
    current = selectors.routing_settings_get(cooperation_id=coop.pk)
    service_list = list(
        Service.objects.filter(cooperation=coop, is_active=True).only("pk", "name").order_by("name")
    )
    initial = (
        {
            "version": current.version,
            "learning_url": current.learning_url,
            "training_keywords": ", ".join(current.training_keywords),
            "training_services": current.training_service_ids,
            "training_reply": current.training_reply,
            "replace_incidents": current.replace_incidents,
            "replace_days": current.replace_days,
        }
        if current
        else {"version": 0, "replace_days": 90}
    )
    form = RoutingForm(request.POST or None, initial=initial, services=service_list)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.routing_settings_save(
                actor=actor,
                cooperation=coop,
                expected_version=data["version"],
                learning_url=data["learning_url"],
                training_keywords=rules.normalise_keywords(data["training_keywords"]),
                training_service_ids=data["training_services"],
                training_reply=data["training_reply"],
                replace_incidents=data["replace_incidents"],
                replace_days=data["replace_days"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Routningsreglerna är sparade."))
            return redirect("servicedesk:manage_routing")
    return render(request, "servicedesk/manage/routing.html", {"form": form})
