"""Problem management (docs/adr/0039): root cause and workaround on a problem, the known-error
mark, "Publicera som känt fel" to the knowledge base (one article, updated on republish, fixed
when the problem is resolved), incidents linked to a problem showing its workaround; audited,
scoped, refused writes change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)
from itfabrik.knowledge.choices import ArticleKind, ArticleStatus
from itfabrik.knowledge.models import Article
from itfabrik.servicedesk import services
from itfabrik.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db

WORKAROUND = "Skriv ut via kön Follow-me tills skrivarservern är uppgraderad."


@pytest.fixture
def problem(desk: Any) -> Ticket:
    return desk.ticket(
        type="problem",
        title="Skrivarservern tappar utskriftsjobb",
        group=desk.groups["2:a linjen identitet"],
    )


def _record(desk: Any, problem: Ticket, **kwargs: Any) -> Ticket:
    actor = kwargs.pop("actor", desk.tekniker)
    values: dict[str, Any] = {
        "root_cause": "Skrivarserverns kö fylls när drivrutin 4.1 används.",
        "workaround": WORKAROUND,
        "is_known_error": True,
    }
    values.update(kwargs)
    return services.problem_record(actor=actor, ticket=problem, expected_version=None, **values)


def _publish(desk: Any, problem: Ticket, **kwargs: Any) -> Ticket:
    return services.known_error_publish(actor=desk.tekniker, ticket=problem, **kwargs)


# --- services ------------------------------------------------------------------------------------


def test_record_root_cause_and_workaround_and_mark_known_error(desk: Any, problem: Any) -> None:
    ticket = _record(desk, problem)
    assert ticket.is_known_error
    assert ticket.workaround == WORKAROUND
    entry = AuditEntry.objects.filter(
        object_type="servicedesk.ticket", object_id=str(problem.pk), action="update"
    ).latest("pk")
    assert entry.actor == desk.tekniker
    assert entry.after["workaround"] == WORKAROUND
    assert entry.before["known_error_at"] is None


def test_known_error_needs_root_cause_or_workaround(desk: Any, problem: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        _record(desk, problem, root_cause=" ", workaround="")
    assert "is_known_error" in exc.value.fields
    assert_unchanged(before)


def test_only_problems_have_known_errors(desk: Any) -> None:
    incident = desk.ticket()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        _record(desk, incident)
    assert "type" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        _publish(desk, incident)
    assert str(exc.value.fields["type"][0]).startswith("Bara ärenden av typen problem")
    assert_unchanged(before)


def test_the_first_line_agent_may_not_manage_problems(desk: Any, problem: Any) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        _record(desk, problem, actor=desk.agent)
    assert_unchanged(before)


def test_another_municipalitys_problem_is_not_found(desk: Any, problem: Any) -> None:
    """A technician working Bengtsfors only does not see Färgelanda's problem."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.actors import SYSTEM
    from itfabrik.tenancy.models import OrgNode

    bengtsfors = OrgNode.objects.get(name__startswith="Bengtsfors", kind="municipality")
    local = account_services.user_create(
        actor=SYSTEM,
        username="tekniker-bengtsfors",
        password="itfabrik-demo",
        first_name="Tea",
        last_name="Tekniker",
        home_unit=bengtsfors,
        check_password_strength=False,
    )
    account_services.role_assign(
        actor=SYSTEM, user=local, role=Role.TECHNICIAN, node=bengtsfors, recursive=True
    )
    before = db_state()
    with pytest.raises(NotFound):
        services.problem_record(
            actor=local,
            ticket=problem,
            expected_version=None,
            root_cause="x",
            workaround="y",
            is_known_error=True,
        )
    with pytest.raises(NotFound):
        services.known_error_publish(actor=local, ticket=problem)
    assert_unchanged(before)


def test_publish_needs_the_mark_and_a_workaround(desk: Any, problem: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        _publish(desk, problem)
    assert {"is_known_error", "workaround", "area"} <= set(exc.value.fields)
    assert_unchanged(before)
    ticket = _record(desk, problem, workaround="")  # a known error by its root cause alone
    with pytest.raises(ValidationFailed) as exc:
        _publish(desk, ticket)
    assert set(exc.value.fields) == {"workaround", "area"}


def test_publish_links_both_ways_and_republish_updates_the_same_article(
    desk: Any, problem: Any
) -> None:
    from itfabrik.catalog.models import Service

    service = Service.objects.get(cooperation=desk.cooperation, name="Microsoft 365-licens")
    problem = services.ticket_update(
        actor=desk.tekniker, ticket=problem, expected_version=None, service=service
    )
    _record(desk, problem)
    ticket = _publish(desk, problem, summary="Utskrifter försvinner.")
    article = Article.objects.get(pk=ticket.knowledge_article_id)
    assert article.kind == ArticleKind.KNOWN_ERROR
    assert article.source_reference == ticket.reference
    assert article.area_id == service.area_id
    assert article.title == ticket.title
    assert article.body == WORKAROUND
    assert article.status == ArticleStatus.PUBLISHED

    # A double submit, and a later republish: still the one article.
    again = _publish(desk, ticket, summary="Utskrifter försvinner.")
    assert again.knowledge_article_id == article.pk
    _publish(desk, ticket, title="Utskrifter försvinner ur kön")
    assert Article.objects.filter(source_reference=ticket.reference).count() == 1
    article.refresh_from_db()
    assert article.title == "Utskrifter försvinner ur kön"
    assert article.revision == 2

    # A new workaround is published with the problem; taking the mark away archives it.
    _record(desk, Ticket.objects.get(pk=ticket.pk), workaround="Använd Follow-me-kön.")
    article.refresh_from_db()
    assert article.body == "Använd Follow-me-kön."
    assert article.revision == 3
    _record(desk, Ticket.objects.get(pk=ticket.pk), is_known_error=False)
    article.refresh_from_db()
    assert article.status == ArticleStatus.ARCHIVED


def test_resolving_the_problem_marks_the_article_fixed(desk: Any, problem: Any) -> None:
    from itfabrik.catalog.models import ServiceArea

    ticket = _record(desk, problem)
    area = ServiceArea.objects.filter(cooperation=desk.cooperation).order_by("pk").first()
    ticket = _publish(desk, ticket, area=area)
    ticket = services.ticket_transition(
        actor=desk.tekniker, ticket=ticket, expected_version=None, status="resolved"
    )
    article = Article.objects.get(pk=ticket.knowledge_article_id)
    assert article.fixed_at == ticket.resolved_at
    assert article.status == ArticleStatus.PUBLISHED
    ticket = services.ticket_transition(
        actor=desk.tekniker, ticket=ticket, expected_version=None, status="in_progress"
    )
    article.refresh_from_db()
    assert article.fixed_at is None


def test_a_known_error_keeps_its_type(desk: Any, problem: Any) -> None:
    ticket = _record(desk, problem)
    with pytest.raises(ValidationFailed) as exc:
        services.ticket_update(
            actor=desk.tekniker, ticket=ticket, expected_version=None, type="incident"
        )
    assert "type" in exc.value.fields


# --- pages -----------------------------------------------------------------------------------------


def _area_id(desk: Any) -> int:
    from itfabrik.catalog.models import ServiceArea

    return ServiceArea.objects.filter(cooperation=desk.cooperation).order_by("pk").first().pk  # type: ignore[union-attr]


def test_technician_marks_and_publishes_on_the_ticket_page(
    desk: Any, problem: Any, web_as: Any
) -> None:
    client = web_as("tekniker")
    page = client.get(f"/servicedesk/arenden/{problem.pk}/").content.decode()
    assert "Problemhantering" in page
    assert "Markera problemet som känt fel" in page
    r = client.post(
        f"/servicedesk/arenden/{problem.pk}/problem/",
        {"version": problem.version, "root_cause": "", "workaround": "", "is_known_error": "on"},
    )
    assert r.status_code == 200
    assert "Ett känt fel behöver en grundorsak eller en tillfällig lösning." in r.content.decode()
    r = client.post(
        f"/servicedesk/arenden/{problem.pk}/problem/",
        {
            "version": problem.version,
            "root_cause": "Kön fylls.",
            "workaround": WORKAROUND,
            "is_known_error": "on",
        },
    )
    assert r.status_code == 302
    problem.refresh_from_db()
    assert problem.is_known_error
    page = client.get(f"/servicedesk/arenden/{problem.pk}/").content.decode()
    assert "Publicera som känt fel" in page
    post = {
        "title": "Utskrifter försvinner",
        "summary": "",
        "audience": "everyone",
        "area": _area_id(desk),
    }
    r = client.post(f"/servicedesk/arenden/{problem.pk}/kant-fel/", post)
    assert r.status_code == 302
    client.post(f"/servicedesk/arenden/{problem.pk}/kant-fel/", post)  # a double submit
    problem.refresh_from_db()
    assert Article.objects.filter(source_reference=problem.reference).count() == 1
    page = client.get(f"/servicedesk/arenden/{problem.pk}/").content.decode()
    assert "Publicera som känt fel igen" in page
    assert f"/hjalp/artiklar/{problem.knowledge_article_id}/" in page
    # The article links back to the problem for staff, not for end users.
    article_page = client.get(f"/hjalp/artiklar/{problem.knowledge_article_id}/").content.decode()
    assert f"Problemärende {problem.reference}" in article_page
    assert f"/servicedesk/arenden/{problem.pk}/" in article_page
    reader = web_as("anvandare-fargelanda")
    found = reader.get("/hjalp/", {"q": "utskrifter"}).content.decode()
    assert "Utskrifter försvinner" in found
    article_page = reader.get(f"/hjalp/artiklar/{problem.knowledge_article_id}/").content.decode()
    assert f"Känt fel {problem.reference}" in article_page
    assert "/servicedesk/arenden/" not in article_page


def test_publish_errors_in_english(desk: Any, problem: Any, web_as: Any) -> None:
    client = web_as("tekniker")
    r = client.post(
        f"/servicedesk/arenden/{problem.pk}/kant-fel/",
        {"title": "X", "audience": "everyone"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = r.content.decode()
    assert "Mark the problem as a known error before it is published." in page
    assert "Write the workaround before the error is published." in page


def test_agent_links_an_incident_and_sees_the_workaround(
    desk: Any, problem: Any, web_as: Any
) -> None:
    _record(desk, problem)
    incident = desk.ticket(title="Kan inte skriva ut")
    client = web_as("agent")
    page = client.get(f"/servicedesk/arenden/{incident.pk}/").content.decode()
    assert "Koppla till ett problem" in page
    assert f"{problem.reference} {problem.title} – känt fel" in page
    preview = client.get(
        f"/servicedesk/arenden/{incident.pk}/koppla-problem/forhandsvisning/",
        {"problem": problem.pk},
    ).content.decode()
    assert WORKAROUND in preview
    r = client.post(
        f"/servicedesk/arenden/{incident.pk}/koppla-problem/",
        {"version": incident.version, "problem": problem.pk},
    )
    assert r.status_code == 302
    incident.refresh_from_db()
    assert incident.problem_id == problem.pk
    page = client.get(f"/servicedesk/arenden/{incident.pk}/").content.decode()
    assert "Tillfällig lösning (känt fel)" in page
    assert WORKAROUND in page


def test_the_requester_of_a_linked_incident_is_pointed_to_the_article(
    desk: Any, problem: Any, web_as: Any
) -> None:
    from itfabrik.catalog.models import ServiceArea

    ticket = _record(desk, problem)
    area = ServiceArea.objects.filter(cooperation=desk.cooperation).order_by("pk").first()
    ticket = _publish(desk, ticket, area=area)
    incident = desk.ticket(title="Kan inte skriva ut")  # reported by Fia
    client = web_as("anvandare-fargelanda")
    page = client.get(f"/servicedesk/mina-arenden/{incident.pk}/").content.decode()
    assert "Ett känt fel" not in page
    services.ticket_set_problem(
        actor=desk.agent, ticket=incident, expected_version=None, problem=ticket
    )
    page = client.get(f"/servicedesk/mina-arenden/{incident.pk}/").content.decode()
    assert "Felet bakom ditt ärende är känt och utreds." in page
    assert f"/hjalp/artiklar/{ticket.knowledge_article_id}/" in page
    assert WORKAROUND not in page  # the article, not the ticket's internal fields
    assert "Skrivarserverns kö" not in page


# --- the permission matrix ---------------------------------------------------------------------


@pytest.fixture
def mellerud_problem(demo: Any, desk: Any) -> Any:
    return desk.ticket(ensure_same_unit_user(demo), type="problem", title="Nätet i Mellerud")


WRITES = {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 404, ADMIN: 302}


@pytest.mark.parametrize(("actor", "expected"), actor_params(WRITES))
def test_record_matrix(web_as: Any, mellerud_problem: Any, actor: Any, expected: int) -> None:
    before = db_state()
    r = web_as(actor).post(
        f"/servicedesk/arenden/{mellerud_problem.pk}/problem/",
        {"version": mellerud_problem.version, "workaround": "Starta om.", "is_known_error": "on"},
    )
    assert r.status_code == expected
    if expected != 302 or actor is None:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(WRITES))
def test_publish_matrix(
    web_as: Any, desk: Any, mellerud_problem: Any, actor: Any, expected: int
) -> None:
    _record(desk, mellerud_problem)
    before = db_state()
    r = web_as(actor).post(
        f"/servicedesk/arenden/{mellerud_problem.pk}/kant-fel/",
        {"title": "Nätet", "audience": "everyone", "area": _area_id(desk)},
    )
    assert r.status_code == expected
    if expected != 302 or actor is None:
        assert_unchanged(before)
    else:
        assert Ticket.objects.get(pk=mellerud_problem.pk).knowledge_article_id is not None


def test_api_shows_the_problem_fields(desk: Any, problem: Any, api_as: Any) -> None:
    _record(desk, problem)
    data = api_as("tekniker").get(f"/api/v1/tickets/{problem.pk}/").json()
    assert data["is_known_error"] is True
    assert data["workaround"] == WORKAROUND
    assert data["root_cause"].startswith("Skrivarserverns kö")
    assert data["knowledge_article"] is None


def test_api_records_and_publishes(desk: Any, problem: Any, api_as: Any) -> None:
    from itfabrik.catalog.models import ServiceArea

    api = api_as("tekniker")
    r = api.post(
        f"/api/v1/tickets/{problem.pk}/problem/",
        {
            "version": problem.version,
            "root_cause": "",
            "workaround": WORKAROUND,
            "is_known_error": True,
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["is_known_error"] is True
    r = api.post(f"/api/v1/tickets/{problem.pk}/known-error/", {"area": 2**40}, format="json")
    assert r.status_code == 400
    assert "area" in r.json()["error"]["fields"]
    area = ServiceArea.objects.filter(cooperation=desk.cooperation).order_by("pk").first()
    assert area is not None
    r = api.post(
        f"/api/v1/tickets/{problem.pk}/known-error/",
        {"area": area.pk, "summary": "Utskrifter försvinner."},
        format="json",
    )
    assert r.status_code == 200, r.content
    article_id = r.json()["knowledge_article"]
    assert Article.objects.get(pk=article_id).source_reference == problem.reference
    again = api.post(f"/api/v1/tickets/{problem.pk}/known-error/", {"area": area.pk}, format="json")
    assert again.json()["knowledge_article"] == article_id


def test_api_refusals_change_nothing(desk: Any, problem: Any, api_as: Any) -> None:
    incident = desk.ticket()
    agent, other, tekniker = api_as("agent"), api_as("anvandare-bengtsfors"), api_as("tekniker")
    before = db_state()
    body = {
        "version": problem.version,
        "root_cause": "x",
        "workaround": "y",
        "is_known_error": True,
    }
    url = f"/api/v1/tickets/{problem.pk}/problem/"
    assert agent.post(url, body, format="json").status_code == 403
    assert other.post(url, body, format="json").status_code == 404
    r = tekniker.post(f"/api/v1/tickets/{incident.pk}/known-error/", {}, format="json")
    assert r.status_code == 400
    [message] = r.json()["error"]["fields"]["type"]
    assert message["messages"] == {
        "sv": "Bara ärenden av typen problem har grundorsak, tillfällig lösning och kända fel.",
        "en": "Only tickets of the type problem have a root cause, a workaround and known errors.",
    }
    assert_unchanged(before)


def test_demo_has_a_published_known_error(demo: Any) -> None:
    known = Ticket.objects.filter(type="problem", knowledge_article__isnull=False)
    assert known.count() == 1
    problem = known.get()
    assert problem.is_known_error
    assert problem.incidents.exists()
    article = Article.objects.get(pk=problem.knowledge_article_id)
    assert article.source_reference == problem.reference
    assert article.status == ArticleStatus.PUBLISHED


@pytest.mark.django_db
def test_the_known_error_check_names_its_field_unless_a_field_of_it_is_left_out() -> None:
    """`core.constraints.errors_for` skips a check that reads a field the caller leaves out, as
    Django's own check would, without building Django's query of every field first."""
    from django.utils import timezone

    from itfabrik.core.constraints import errors_for

    incident = Ticket(type="incident", title="x", known_error_at=timezone.now())
    assert list(errors_for(incident, exclude=set())) == ["non_field_errors"]
    assert errors_for(incident, exclude={"knowledge_article"}) == {}
    assert errors_for(Ticket(type="problem", known_error_at=timezone.now()), exclude=set()) == {}
