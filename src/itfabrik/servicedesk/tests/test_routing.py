"""Routing rules (issue 8 point 10): training questions answered with the learning platform's
address and marked; replace-don't-repair after N incidents in M days on one device, with the
hook for the assets app; the settings page (admin only, audited, stale edit refused)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.core.errors import Conflict, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.servicedesk import hooks, rules, services
from itfabrik.servicedesk.choices import EntryKind
from itfabrik.servicedesk.models import RoutingSettings, TicketEntry

URL = "https://lar.dalsland.example/kurser"

words = st.text(alphabet="abcdeåäö ", min_size=1, max_size=12)


@given(st.lists(words, max_size=4), words, words)
def test_a_title_holding_a_keyword_is_a_training_question(
    keywords: list[str], before: str, after: str
) -> None:
    normal = rules.normalise_keywords(",".join(keywords))
    for k in normal:
        title = f"{before} {k.upper()} {after}"
        assert rules.is_training_question(title, None, keywords=normal, service_ids=[])
    assert not rules.is_training_question("Skrivaren", None, keywords=[], service_ids=[])


@given(st.integers(1, 50), st.lists(st.integers(1, 50), max_size=5))
def test_a_training_service_makes_a_training_question(service: int, ids: list[int]) -> None:
    assert rules.is_training_question("x", service, keywords=[], service_ids=ids) == (
        service in ids
    )


@given(st.integers(0, 30), st.one_of(st.none(), st.integers(2, 20)))
def test_replacement_from_the_threshold_on(incidents: int, threshold: int | None) -> None:
    assert rules.suggests_replacement(incidents, threshold) == (
        threshold is not None and incidents >= threshold
    )


def _settings(desk: Any, **kwargs: Any) -> RoutingSettings:
    values: dict[str, Any] = {
        "learning_url": URL,
        "training_keywords": ["Hur gör jag", "utbildning"],
    }
    values.update(kwargs)
    return services.routing_settings_save(
        actor=desk.user("admin"), cooperation=desk.cooperation, expected_version=None, **values
    )


def test_a_training_question_is_answered_with_the_learning_platform(
    desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _settings(desk)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = desk.ticket(title="Hur  gör jag en pivottabell i Excel?")
    assert ticket.is_training
    reply = TicketEntry.objects.get(ticket=ticket, kind=EntryKind.PUBLIC)
    assert reply.author is None
    assert URL in reply.body
    assert AuditEntry.objects.filter(
        object_type="servicedesk.ticketentry", object_id=str(reply.pk)
    ).exists()
    other = desk.ticket(title="Skrivaren skriver inte ut")
    assert not other.is_training
    assert not TicketEntry.objects.filter(ticket=other).exists()
    problem = desk.ticket(title="Utbildning: problem med kursportalen", type="problem")
    assert not problem.is_training


def test_a_training_service_with_an_own_reply(desk: Any) -> None:
    from itfabrik.catalog.models import Service

    service = Service.objects.filter(cooperation=desk.cooperation, is_active=True).first()
    assert service is not None
    _settings(
        desk, training_keywords=[], training_service_ids=[service.pk], training_reply="Se kursen."
    )
    ticket = desk.ticket(title="Fråga", service=service)
    assert ticket.is_training
    body = TicketEntry.objects.get(ticket=ticket).body
    assert body == f"Se kursen.\n\n{URL}"


def test_without_a_learning_platform_nothing_is_recognised(desk: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        _settings(desk, learning_url="")
    assert "learning_url" in exc.value.fields
    assert_unchanged(before)
    _settings(desk, learning_url="", training_keywords=[])
    assert not desk.ticket(title="Hur gör jag?").is_training


def test_the_demo_has_routing_rules(desk: Any) -> None:
    row = RoutingSettings.objects.get(cooperation=desk.cooperation)
    assert row.learning_url
    assert row.replace_incidents == 3
    assert desk.ticket(title="Kurs i Excel för nyanställda?").is_training


def test_bad_settings_and_a_stale_edit_change_nothing(desk: Any) -> None:
    first = _settings(desk)
    before = db_state()
    with pytest.raises(ValidationFailed):
        _settings(desk, replace_incidents=1)
    with pytest.raises(ValidationFailed):
        _settings(desk, training_service_ids=[999999])
    with pytest.raises(Conflict):
        services.routing_settings_save(
            actor=desk.user("admin"),
            cooperation=desk.cooperation,
            expected_version=first.version + 3,
            learning_url=URL,
        )
    assert_unchanged(before)


def test_device_with_n_incidents_in_m_days_gets_a_replacement_suggestion(
    web_as: Any, desk: Any
) -> None:
    _settings(desk, replace_incidents=3, replace_days=30)
    now = timezone.now()
    old = desk.ticket(device_reference="AML-1001", reported_at=now - dt.timedelta(days=40))
    desk.ticket(device_reference="AML-1001", reported_at=now - dt.timedelta(days=10))
    second = desk.ticket(device_reference=" AML-1001 ", reported_at=now - dt.timedelta(days=1))
    assert second.device_reference == "AML-1001"
    desk.ticket(device_reference="AML-2002", reported_at=now - dt.timedelta(days=1))
    client = web_as("agent")
    html = client.get(f"/servicedesk/arenden/{second.pk}/").content.decode()
    assert 'id="replace-device"' not in html  # two in 30 days (the third is older)
    third = desk.ticket(device_reference="AML-1001", reported_at=now)
    r = client.get(f"/servicedesk/arenden/{third.pk}/")
    html = r.content.decode()
    assert 'id="replace-device"' in html
    assert "3 incidenter de senaste 30 dagarna" in html
    assert "kan inte göras härifrån" in html
    assert r.context["replacement_link"] is None
    assert old.pk  # older than the window: not counted

    # The assets app plugs in the order.
    def order(request: Any, ticket: Any) -> hooks.TicketLink:
        return hooks.TicketLink("Beställ ersättare", f"/tillgangar/byt/{ticket.device_reference}/")

    saved = list(hooks._device_replacement)
    try:
        hooks.register_device_replacement(order)
        html = client.get(f"/servicedesk/arenden/{third.pk}/").content.decode()
        assert 'href="/tillgangar/byt/AML-1001/"' in html
    finally:
        hooks._device_replacement[:] = saved


def test_device_query_parameter_fills_the_forms(web_as: Any, desk: Any) -> None:
    r = web_as("agent").get("/servicedesk/nytt/?device=AML-7")
    assert r.context["form"].initial["device_reference"] == "AML-7"
    client = web_as("anvandare-fargelanda")
    r = client.get("/servicedesk/anmal/?device=AML-7")
    assert r.context["form"].initial["device_reference"] == "AML-7"
    r = client.post(
        "/servicedesk/anmal/",
        {
            "title": "Datorn startar inte",
            "description": "Svart skärm",
            "impact": "low",
            "urgency": "medium",
            "device_reference": "AML-7",
        },
    )
    assert r.status_code == 302
    from itfabrik.servicedesk.models import Ticket

    assert Ticket.objects.filter(requester=desk.fia, device_reference="AML-7").exists()


def test_settings_page(web_as: Any, desk: Any) -> None:
    assert web_as("agent").get("/servicedesk/installningar/routning/").status_code == 404
    client = web_as("admin")
    version = RoutingSettings.objects.get(cooperation=desk.cooperation).version
    r = client.post(
        "/servicedesk/installningar/routning/",
        {
            "version": str(version),
            "learning_url": URL,
            "training_keywords": "Hur gör jag,\nutbildning, hur gör jag",
            "replace_incidents": "3",
            "replace_days": "60",
        },
    )
    assert r.status_code == 302
    row = RoutingSettings.objects.get(cooperation=desk.cooperation)
    assert row.training_keywords == ["hur gör jag", "utbildning"]
    assert row.replace_incidents == 3
    assert row.replace_days == 60
    r = client.post(
        "/servicedesk/installningar/routning/",
        {"version": str(version), "learning_url": "", "replace_days": "60"},
    )
    assert r.status_code == 200  # stale: the row has moved on
    row.refresh_from_db()
    assert row.learning_url == URL
    assert row.version == version + 1
    assert (
        AuditEntry.objects.filter(
            object_type="servicedesk.routingsettings", object_id=str(row.pk)
        ).count()
        == 2  # the demo's and this one
    )


def test_the_api_takes_and_shows_the_device(api_as: Any, desk: Any) -> None:
    client = api_as("agent")
    r = client.post(
        "/api/v1/tickets/",
        {
            "title": "Dockan laddar inte",
            "requester": desk.fia.username,
            "impact": "low",
            "urgency": "medium",
            "device_reference": "AML-42",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["device_reference"] == "AML-42"
    assert body["is_training"] is False
    r = client.patch(
        f"/api/v1/tickets/{body['id']}/",
        {"version": body["version"], "device_reference": "AML-43"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["device_reference"] == "AML-43"
