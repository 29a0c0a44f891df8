"""The help pages (search, suggestions while typing, articles, feedback, "this solved it") and
the staff screens (list with CSV, create, edit, publish, archive, feedback). Thin: parse, call
one selector or service, render."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from itfabrik.core.actors import Actor
from itfabrik.core.errors import ApplicationError, NotFound
from itfabrik.core.web.forms import add_application_error
from itfabrik.core.web.pagination import paginate, querystring_without_page
from itfabrik.knowledge import hooks, selectors, services
from itfabrik.knowledge.choices import ArticleStatus
from itfabrik.knowledge.models import Article
from itfabrik.knowledge.text import render_markdown

from .forms import (
    ArticleFilterForm,
    ArticleForm,
    DeflectionForm,
    FeedbackForm,
    HelpSearchForm,
    VersionForm,
)

HELP_PAGE_SIZE = 20


def _query(request: HttpRequest) -> str:
    form = HelpSearchForm(request.GET or None)
    if form.is_valid():
        return str(form.cleaned_data.get("q") or "").strip()
    return ""


# --- the help pages -----------------------------------------------------------------------------


@login_required
def help_page(request: HttpRequest) -> HttpResponse:
    """One search box; without JavaScript a plain GET search with a page of results."""
    actor = request.user
    form = HelpSearchForm(request.GET or None)
    query = _query(request)
    kind = form.cleaned_data.get("kind") or None if form.is_valid() else None
    qs = selectors.article_list(
        actor=actor, q=query or None, status=ArticleStatus.PUBLISHED, kind=kind
    )
    return render(
        request,
        "knowledge/help.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "page": paginate(request, qs, HELP_PAGE_SIZE),
            "qs": querystring_without_page(request),
            "report_problem_url": hooks.report_problem_url(request, None, query),
            "may_manage": selectors.may_manage(actor),
        },
    )


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    """The suggestions under the search box (an HTMX fragment); without HTMX, the search page."""
    query = _query(request)
    if not request.headers.get("HX-Request"):
        return redirect(f"{request.path.rsplit('forslag/', 1)[0]}?{request.GET.urlencode()}")
    articles = selectors.article_suggestion_list(actor=request.user, q=query) if query else []
    return render(
        request,
        "knowledge/_suggestions.html",
        {"articles": articles, "query": query},
    )


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    article = selectors.article_get(actor=actor, pk=pk)
    query = _query(request)
    revision = selectors.current_revision_get(article)
    context: dict[str, Any] = {
        "article": article,
        "body_html": render_markdown(article.body),
        "revision": revision,
        "query": query,
        "own_feedback": selectors.own_feedback_get(actor=actor, revision=revision),
        "feedback_form": FeedbackForm(),
        "deflection_form": DeflectionForm(initial={"q": query}),
        "report_problem_url": hooks.report_problem_url(request, article, query),
        "may_manage": _may_change(actor, article),
        "source_link": hooks.article_source_link(request, article),
    }
    return render(request, "knowledge/article.html", context)


def _may_change(actor: Actor, article: Article) -> bool:
    if not selectors.may_manage(actor):
        return False
    try:
        selectors.article_for_change_get(actor=actor, pk=article.pk)
    except NotFound:
        return False
    return True


@login_required
def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_get(actor=request.user, pk=pk)
    revisions = selectors.revision_list(actor=request.user, article=article)
    return render(
        request,
        "knowledge/revisions.html",
        {"article": article, "page": paginate(request, revisions), "qs": ""},
    )


@login_required
def revision_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    article = selectors.article_get(actor=request.user, pk=pk)
    revision = selectors.revision_get(actor=request.user, article=article, number=number)
    return render(
        request,
        "knowledge/revision.html",
        {"article": article, "revision": revision, "body_html": render_markdown(revision.body)},
    )


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_get(actor=request.user, pk=pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_give(
                actor=request.user,
                article=article,
                helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Tack för din återkoppling!"))
            return redirect("knowledge:article", pk=article.pk)
    revision = selectors.current_revision_get(article)
    return render(
        request,
        "knowledge/article.html",
        {
            "article": article,
            "body_html": render_markdown(article.body),
            "revision": revision,
            "feedback_form": form,
            "deflection_form": DeflectionForm(),
            "own_feedback": None,
            "report_problem_url": hooks.report_problem_url(request, article, ""),
        },
        status=400,
    )


@login_required
@require_POST
def deflect(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Det här löste mitt problem"."""
    article = selectors.article_get(actor=request.user, pk=pk)
    form = DeflectionForm(request.POST)
    query = str(form.cleaned_data.get("q") or "") if form.is_valid() else ""
    services.deflection_record(actor=request.user, article=article, query=query)
    messages.success(request, _("Skönt att det löste sig! Tack för att du berättade."))
    return redirect("knowledge:article", pk=article.pk)


# --- the staff screens --------------------------------------------------------------------------


def _require_manager(request: HttpRequest) -> None:
    if not selectors.may_manage(request.user):
        raise NotFound()


def _staff_filters(request: HttpRequest) -> tuple[ArticleFilterForm, dict[str, Any]]:
    areas = list(selectors.area_choice_list(actor=request.user))
    form = ArticleFilterForm(request.GET or None, areas=areas)
    values: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        values = {
            "q": data.get("q") or None,
            "status": data.get("status") or None,
            "audience": data.get("audience") or None,
            "area": data.get("area"),
            "kind": data.get("kind") or None,
            "ordering": data.get("ordering") or "-updated_at",
        }
    else:
        values = {"ordering": "-updated_at"}
    return form, values


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form, values = _staff_filters(request)
    qs = selectors.article_list(actor=request.user, **values)
    if request.GET.get("format") == "csv":
        return _csv(qs)
    return render(
        request,
        "knowledge/staff_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
        },
    )


def _csv(qs: Any) -> HttpResponse:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(
        [
            _("Id"),
            _("Rubrik"),
            _("Tjänsteområde"),
            _("Målgrupp"),
            _("Kommun"),
            _("Status"),
            _("Publicerad version"),
            _("Publicerad"),
            _("Ändrad"),
            _("Ansvarig"),
        ]
    )
    for a in qs.iterator(chunk_size=500):
        writer.writerow(
            [
                a.pk,
                a.title,
                a.area.name,
                a.get_audience_display(),
                a.municipality.name if a.municipality_id else "",
                a.get_status_display(),
                a.revision,
                timezone.localtime(a.published_at).strftime("%Y-%m-%d %H:%M")
                if a.published_at
                else "",
                timezone.localtime(a.updated_at).strftime("%Y-%m-%d %H:%M"),
                a.owner.get_full_name() if a.owner_id else "",
            ]
        )
    response = HttpResponse(
        buf.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="kunskapsbank.csv"'
    return response


def _article_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> ArticleForm:
    return ArticleForm(
        data,
        areas=list(selectors.area_choice_list(actor=request.user)),
        municipalities=list(selectors.municipality_choice_list(actor=request.user)),
        **kwargs,
    )


def _relations(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The chosen area and municipality as objects, from the ones offered to the actor."""
    from itfabrik.core.errors import ValidationFailed

    area = selectors.area_choice_list(actor=request.user).filter(pk=data["area"]).first()
    if area is None:
        raise ValidationFailed(fields={"area": [_("Välj ett tjänsteområde i listan.")]})
    municipality = None
    if data.get("municipality"):
        municipality = (
            selectors.municipality_choice_list(actor=request.user)
            .filter(pk=data["municipality"])
            .first()
        )
        if municipality is None:
            raise ValidationFailed(fields={"municipality": [_("Välj en kommun i listan.")]})
    return {"area": area, "municipality": municipality}


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = _article_form(request, request.POST or None)
    form.fields["version"].required = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            related = _relations(request, data)
            article = services.article_create(
                actor=request.user,
                cooperation=related["area"].cooperation,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                audience=data["audience"],
                publish="publish" in request.POST,
                **related,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Artikeln är publicerad.")
                if article.status == ArticleStatus.PUBLISHED
                else _("Artikeln är sparad som utkast."),
            )
            return redirect("knowledge:article", pk=article.pk)
    return render(request, "knowledge/article_form.html", {"form": form, "article": None})


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_change_get(actor=request.user, pk=pk)
    initial = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "area": article.area_id,
        "audience": article.audience,
        "municipality": article.municipality_id,
        "version": article.version,
    }
    form = _article_form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            related = _relations(request, data)
            article = services.article_update(
                actor=request.user,
                article=article,
                expected_version=data["version"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                audience=data["audience"],
                **related,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("Ändringen är publicerad som version %(n)s.") % {"n": article.revision}
                if article.status == ArticleStatus.PUBLISHED
                else _("Ändringen är sparad."),
            )
            return redirect("knowledge:article", pk=article.pk)
    return render(request, "knowledge/article_form.html", {"form": form, "article": article})


def _status_change(request: HttpRequest, pk: int, change: Any, done: str) -> HttpResponse:
    article = selectors.article_for_change_get(actor=request.user, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ladda om sidan och försök igen."))
        return redirect("knowledge:article", pk=article.pk)
    try:
        change(actor=request.user, article=article, expected_version=form.cleaned_data["version"])
    except ApplicationError as exc:
        fields = [str(m) for msgs in exc.fields.values() for m in msgs]
        messages.error(request, " ".join(fields) or str(exc.message))
    else:
        messages.success(request, done)
    return redirect("knowledge:article", pk=article.pk)


@login_required
@require_POST
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(request, pk, services.article_publish, _("Artikeln är publicerad."))


@login_required
@require_POST
def article_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request,
        pk,
        services.article_archive,
        _("Artikeln är arkiverad. Den syns inte längre på hjälpsidan men finns kvar."),
    )


@login_required
def article_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    article: Article = selectors.article_for_change_get(actor=request.user, pk=pk)
    return render(
        request,
        "knowledge/feedback_list.html",
        {
            "article": article,
            "summary": selectors.feedback_summary(actor=request.user, article=article),
            "page": paginate(request, selectors.feedback_list(actor=request.user, article=article)),
            "qs": "",
        },
    )
