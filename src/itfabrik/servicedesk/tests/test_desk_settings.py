"""A process keeps a cooperation's desk settings under the token it read them at (ADR 0050).
A ticket registered right after a change of the settings uses the change, however the change
was made: through a service, by plain SQL as another process would, or in a transaction that
was rolled back (then the settings from before)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from itfabrik.core.actors import SYSTEM
from itfabrik.servicedesk import selectors, services
from itfabrik.servicedesk.choices import GroupKind
from itfabrik.servicedesk.models import (
    SETTINGS_TABLES,
    AssignmentGroup,
    BusinessCalendar,
    CalendarDay,
    DeskSettingsToken,
    PriorityRule,
    RoutingSettings,
    SlaPolicy,
    Ticket,
    VipPerson,
)

pytestmark = pytest.mark.django_db

# Reading the settings: VIPs, matrix, first-line group, policies, their calendars' days, routing.
SETTINGS_QUERIES = 6


@pytest.fixture
def cold() -> Iterator[None]:
    """No settings kept, before and after (the query counts depend on it)."""
    selectors._DESK_SETTINGS.clear()
    yield
    selectors._DESK_SETTINGS.clear()


def _token() -> int | None:
    return DeskSettingsToken.objects.filter(pk=1).values_list("token", flat=True).first()


def test_the_settings_tables_are_the_models_read() -> None:
    models = (
        AssignmentGroup,
        PriorityRule,
        BusinessCalendar,
        CalendarDay,
        SlaPolicy,
        VipPerson,
        RoutingSettings,
    )
    assert set(SETTINGS_TABLES) == {m._meta.db_table for m in models}


def test_every_settings_table_has_its_triggers() -> None:
    """On SQLite a migration that rebuilds a table drops its triggers: this names the table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            found = {
                (table, op)
                for table, sql in cursor.fetchall()
                for op in ("INSERT", "UPDATE", "DELETE")
                if f"AFTER {op} ON {table}" in sql and "servicedesk_desksettingstoken" in sql
            }
        else:
            cursor.execute(
                "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
                "WHERE action_statement LIKE '%servicedesk_settings_changed%'"
            )
            found = set(cursor.fetchall())
    wanted = {(t, op) for t in SETTINGS_TABLES for op in ("INSERT", "UPDATE", "DELETE")}
    assert wanted - found == set()


@pytest.mark.parametrize("table", SETTINGS_TABLES)
def test_any_write_to_a_settings_table_changes_the_token(desk: Any, table: str) -> None:
    quoted = connection.ops.quote_name(table)
    first = f"SELECT id FROM {quoted} ORDER BY id"
    with connection.cursor() as cursor:
        cursor.execute(first)
        if cursor.fetchone() is None:  # the demo has none: an insert, through the service
            before = _token()
            MAKE_ROW[table](desk)
            assert _token() != before
        cursor.execute(first)
        (pk,) = cursor.fetchone()
        before = _token()
        cursor.execute(f"UPDATE {quoted} SET id = id WHERE id = %s", [pk])
    assert _token() != before


def test_a_ticket_write_leaves_the_token(desk: Any) -> None:
    before = _token()
    ticket = desk.ticket()
    services.ticket_update(actor=SYSTEM, ticket=ticket, expected_version=None, title="Ny rubrik")
    assert _token() == before


def _cell(desk: Any) -> None:
    services.matrix_cell_set(
        actor=desk.user("admin"),
        cooperation=desk.cooperation,
        impact="medium",
        urgency="medium",
        priority="P1",
        expected_version=None,
    )


def _vip(desk: Any) -> None:
    services.vip_add(actor=desk.user("admin"), cooperation=desk.cooperation, user=desk.fia)


def _policy_by_sql(desk: Any) -> None:
    """As another process would: no code of ours runs."""
    table = connection.ops.quote_name(SlaPolicy._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET resolution_minutes = resolution_minutes * 2 "
            "WHERE cooperation_id = %s AND priority = %s",
            [desk.cooperation.pk, "P3"],
        )


def _closed_day(desk: Any) -> None:
    policy = SlaPolicy.objects.get(cooperation=desk.cooperation, priority="P3", service_tier="")
    services.calendar_set_day(
        actor=desk.user("admin"), calendar=policy.calendar, date=dt.date(2026, 3, 3), hours=[]
    )


def _no_first_line(desk: Any) -> None:
    for group in AssignmentGroup.objects.filter(
        cooperation=desk.cooperation, kind=GroupKind.FIRST_LINE, is_active=True
    ):
        services.group_update(actor=SYSTEM, group=group, expected_version=None, is_active=False)


def _routing(desk: Any) -> None:
    services.routing_settings_save(
        actor=desk.user("admin"),
        cooperation=desk.cooperation,
        expected_version=None,
        learning_url="https://larande.example.se/",
        training_keywords=["skrivaren"],
    )


def _seen(ticket: Ticket) -> tuple[Any, ...]:
    return (
        ticket.priority,
        ticket.is_vip,
        ticket.response_due,
        ticket.resolution_due,
        ticket.group_id,
        ticket.is_training,
    )


CHANGES: dict[str, tuple[Callable[[Any], None], Callable[[Ticket], bool]]] = {
    "matrix": (_cell, lambda t: t.priority == "P1"),
    "vip": (_vip, lambda t: t.is_vip),
    "policy by SQL": (_policy_by_sql, lambda t: t.priority == "P3"),
    "calendar day": (_closed_day, lambda t: t.priority == "P3"),
    "first-line group": (_no_first_line, lambda t: t.group_id is None),
    "routing": (_routing, lambda t: t.is_training),
}


MAKE_ROW: dict[str, Callable[[Any], None]] = {
    "servicedesk_priorityrule": _cell,
    "servicedesk_calendarday": _closed_day,
    "servicedesk_vipperson": _vip,
    "servicedesk_routingsettings": _routing,
}


@pytest.mark.parametrize("name", CHANGES)
def test_the_next_ticket_uses_a_change(desk: Any, name: str) -> None:
    change, holds = CHANGES[name]
    first = desk.ticket()  # the settings are kept from here on
    change(desk)
    second = desk.ticket()
    assert _seen(second) != _seen(first)
    assert holds(second)
    assert second.pk == Ticket.objects.get(pk=second.pk).pk


def test_a_rolled_back_change_leaves_the_settings_from_before(desk: Any) -> None:
    first = desk.ticket()
    inside = []

    def change_then_fail() -> None:
        with transaction.atomic():
            _cell(desk)
            inside.append(desk.ticket())  # kept under the token of the change
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert inside[0].priority == "P1"
    after = desk.ticket()
    assert after.priority == first.priority != "P1"


def test_without_the_token_row_nothing_is_kept(desk: Any, cold: None) -> None:
    """`flush` empties the table: the settings are then read for every ticket."""
    DeskSettingsToken.objects.all().delete()
    desk.ticket()
    assert selectors._DESK_SETTINGS == {}
    _cell(desk)
    assert desk.ticket().priority == "P1"


def test_the_query_count_of_a_ticket(desk: Any, cold: None) -> None:
    desk.ticket()  # what the fixture's people and units read once
    selectors._DESK_SETTINGS.clear()
    with CaptureQueriesContext(connection) as first:
        desk.ticket()
    with CaptureQueriesContext(connection) as kept:
        desk.ticket()
    assert len(first) - len(kept) == SETTINGS_QUERIES
    reads = [q["sql"] for q in kept]
    assert [t for t in SETTINGS_TABLES if any(t in sql for sql in reads)] == []
    assert sum("servicedesk_desksettingstoken" in sql for sql in reads) == 1
    _vip(desk)
    with CaptureQueriesContext(connection) as changed:
        desk.ticket()
    assert len(changed) == len(first)
