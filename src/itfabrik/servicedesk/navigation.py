"""The service desk's menu entries and start-page panels."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel
from itfabrik.knowledge.hooks import register_article_source, register_report_problem

from . import permissions as actions
from . import selectors

register_menu(
    "servicedesk",
    MenuItem("servicedesk:queue", _("Ärendekö"), actions.WORK_TICKET, order=30, area="desk"),
    MenuItem(
        "servicedesk:phone_ticket", _("Nytt ärende"), actions.WORK_TICKET, order=31, area="desk"
    ),
    MenuItem(
        "servicedesk:portal_tickets", _("Mina ärenden"), actions.REPORT, order=32, area="self"
    ),
    MenuItem(
        "servicedesk:manage",
        _("Servicedeskens inställningar"),
        actions.MANAGE,
        order=33,
        area="desk",
    ),
)


@register_panel(
    "servicedesk",
    "queue",
    template="servicedesk/panels/queue.html",
    action=actions.WORK_TICKET,
    zone="card",
    order=30,
)
def queue_panel(request: Any) -> dict[str, Any] | None:
    actor = request.user
    groups = list(selectors.my_group_list(actor=actor))
    if not groups:
        return None
    qs = selectors.ticket_queue_list(actor=actor, groups=groups)
    return qs.aggregate(
        open=Count("pk"), late=Count("pk", filter=Q(resolution_due__lte=timezone.now()))
    )


@register_panel(
    "servicedesk",
    "my_tickets",
    template="servicedesk/panels/my_tickets.html",
    action=actions.REPORT,
    zone="card",
    order=31,
)
def my_tickets_panel(request: Any) -> dict[str, Any]:
    actor = request.user
    return {"tickets": list(selectors.my_ticket_list(actor=actor, open_only=True)[:5])}


def _report_problem_url(request: Any, article: Any, query: str) -> str | None:
    """The help pages' "Anmäl ett problem": the portal's form, with the search as title."""
    url = reverse("servicedesk:portal_report")
    return f"{url}?{urlencode({'q': query})}" if query else url


register_report_problem(_report_problem_url)


def _problem_of_article(request: Any, article: Any) -> tuple[str, str] | None:
    """Staff reading a known-error article get a link to the problem it was published from."""
    if getattr(article, "kind", "") != "known_error" or not selectors.is_agent(request.user):
        return None
    problem = selectors.known_error_problem_get(actor=request.user, article_id=article.pk)
    if problem is None:
        return None
    label = _("Problemärende %(reference)s") % {"reference": problem.reference}
    return str(label), reverse("servicedesk:ticket_detail", args=[problem.pk])


register_article_source(_problem_of_article)
