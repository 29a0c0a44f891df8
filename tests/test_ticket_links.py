"""The apps above the service desk reach its ticket pages and the help pages through hooks
(servicedesk.hooks, knowledge.hooks), not through imports the other way: each link shows where
it applies, and leads to a page that answers for that person."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from itfabrik.servicedesk.choices import TicketStatus
from itfabrik.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


def _links(response: Any) -> dict[str, str]:
    return {str(link.label): link.url for link in response.context["ticket_links"]}


def test_requester_of_an_open_ticket_is_offered_a_visit_not_a_rating(
    web_as: Any, desk: Any
) -> None:
    ticket = desk.ticket()
    client = web_as("anvandare-fargelanda")
    r = client.get(reverse("servicedesk:portal_ticket", args=[ticket.pk]))
    links = _links(r)
    assert links.get("Boka besök på plats") == reverse("bookings:ticket", args=[ticket.pk])
    assert "Betygsätt lösningen" not in links
    assert "E-post för ärendet" not in links  # staff only
    assert client.get(links["Boka besök på plats"]).status_code == 200


def test_requester_of_a_resolved_ticket_is_offered_the_rating(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.RESOLVED)
    client = web_as("anvandare-fargelanda")
    links = _links(client.get(reverse("servicedesk:portal_ticket", args=[ticket.pk])))
    assert links.get("Betygsätt lösningen") == reverse("satisfaction:rate", args=[ticket.pk])
    assert "Boka besök på plats" not in links
    assert client.get(links["Betygsätt lösningen"]).status_code == 200


def test_agent_page_links_the_tickets_mail(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    client = web_as("agent")
    links = _links(client.get(reverse("servicedesk:ticket_detail", args=[ticket.pk])))
    assert links.get("E-post för ärendet") == reverse("mailchannel:ticket_mail", args=[ticket.pk])
    assert "Betygsätt lösningen" not in links  # the agent is not the requester
    assert client.get(links["E-post för ärendet"]).status_code == 200


def test_help_page_reports_a_problem_through_the_portal_with_the_search(web_as: Any) -> None:
    client = web_as("anvandare-fargelanda")
    r = client.get(reverse("knowledge:help"), {"q": "skrivaren krånglar"})
    url = r.context["report_problem_url"]
    assert url.startswith(reverse("servicedesk:portal_report"))
    form = client.get(url).context["form"]
    assert form.initial["title"] == "skrivaren krånglar"
