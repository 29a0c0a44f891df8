"""Helpers shared by the permission matrices and API tests of every app.

The matrix actors are the ones ARCHITECTURE.md names: anonymous, a portal user of another
municipality, a portal user of the same unit, an orderer, an agent, a finance officer and an
admin. The demo has no plain portal user in Mellerud, so `ensure_same_unit_user()` adds one
(end user at Melleruds kommun, working at Mellerud's Hemtjänst norr) inside the test transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.urls import reverse

ANON = None
OTHER = "anvandare-bengtsfors"  # portal user of another municipality (Bengtsfors)
SAME = "anvandare-mellerud"  # portal user of the same municipality and unit (Mellerud)
ORDERER = "bestallare-mellerud"
AGENT = "agent"
FINANCE = "ekonom"
ADMIN = "admin"
ACTORS = [ANON, OTHER, SAME, ORDERER, AGENT, FINANCE, ADMIN]
ACTOR_IDS = ["anonymous", "other-municipality", "same-unit", "orderer", "agent", "finance", "admin"]

# No table in the demo comes anywhere near this many rows.
MISSING_ID = 987654321

MELLERUD = "Melleruds kommun"
TARGET_UNIT = "Hemtjänst norr"  # in Mellerud's Socialförvaltningen
TARGET_ADMINISTRATION = "Socialförvaltningen"


def actor_params(expected: dict[str | None, Any]) -> list[Any]:
    """pytest parameters (actor, expected) for every matrix actor, with readable ids."""
    import pytest

    assert set(expected) == set(ACTORS), "a matrix must name every actor"
    return [
        pytest.param(actor, expected[actor], id=name)
        for actor, name in zip(ACTORS, ACTOR_IDS, strict=True)
    ]


def ensure_same_unit_user(demo: Any) -> Any:
    """The portal user of Mellerud's Hemtjänst norr (created once per test transaction)."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.accounts.models import User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.demo.dalsland import DEMO_PASSWORD

    existing = User.objects.filter(username=SAME).first()
    if existing is not None:
        return existing
    user = account_services.user_create(
        actor=SYSTEM,
        username=SAME,
        password=DEMO_PASSWORD,
        first_name="Mia",
        last_name="Mellerud",
        home_unit=demo.node(TARGET_UNIT, municipality=MELLERUD),
        check_password_strength=False,
    )
    account_services.role_assign(
        actor=SYSTEM, user=user, role=Role.END_USER, node=demo.node(MELLERUD)
    )
    return user


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is the one API error format with this status and code; returns the error."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "messages", "fields"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str)
    assert error["message"]
    assert set(error["messages"]) == {"sv", "en"}, error
    assert all(isinstance(m, str) and m for m in error["messages"].values()), error
    assert isinstance(error["fields"], dict)
    return error  # type: ignore[no-any-return]


# Columns that change without a business write (a sign-in updates last_login).
_VOLATILE = {"last_login"}


def _state_tables() -> dict[str, tuple[str, list[str]]]:
    """Per model of the installed itfabrik apps (and the API tokens): its table and the columns a
    business write changes. The models come from the app registry, so a new app is covered by
    itself."""
    from rest_framework.authtoken.models import Token

    from itfabrik.core.checks import platform_apps

    tables: dict[str, tuple[str, list[str]]] = {}
    for config in platform_apps():
        for model in config.get_models():
            meta = model._meta
            columns = [f.column for f in meta.concrete_fields if f.attname not in _VOLATILE]
            tables[meta.label] = (meta.db_table, columns)
    tables["tokens"] = (Token._meta.db_table, ["user_id", "key"])
    return tables


# Per model, the rows this connection inserted, deleted, or updated in a column other than the
# volatile ones, counted by triggers (`_counters`): a temporary table, so that the counts take
# part in the connection's transactions (a rolled-back write is not counted) and no other
# connection waits on them.
_COUNTERS = "itfabrik_test_changes"
# PostgreSQL: the rows written by a connection without that table (a live server, a thread).
_OTHER_WRITES = "itfabrik_test_other_writes"


def _counters(cursor: Any, vendor: str, quote: Callable[[str], str]) -> None:
    """Make the counters of this connection, and their triggers, unless they are there.

    Reading every row of every table twice per refused write was half the time of the
    permission matrices; the counters answer the same question in one query. Called once per
    worker database outside any test's transaction (root `conftest.py`), so they are kept; made
    inside a test's transaction, they go with its rollback and come back at the next call.
    Labels, tables and columns come from the model registry, quoted: nothing from input."""
    if vendor == "postgresql":
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"pg_temp.{_COUNTERS}"])
    else:
        cursor.execute("SELECT 1 FROM temp.sqlite_master WHERE name = %s", [_COUNTERS])
    row = cursor.fetchone()
    if row and row[0]:
        return
    tables = _state_tables()
    cursor.execute(f"CREATE TEMP TABLE {_COUNTERS} (label TEXT PRIMARY KEY, n INTEGER)")
    cursor.executemany(f"INSERT INTO {_COUNTERS} VALUES (%s, 0)", [[label] for label in tables])
    if vendor == "postgresql":
        _postgresql_triggers(cursor, tables, quote)
        return
    # SQLite: temporary triggers, which belong to this connection alone.
    for i, (label, (table, columns)) in enumerate(tables.items()):
        count = f"UPDATE {_COUNTERS} SET n = n + 1 WHERE label = '{label}';"
        on = f"main.{quote(table)}"
        changed = " OR ".join(f"OLD.{quote(c)} IS NOT NEW.{quote(c)}" for c in columns)
        cursor.execute(f"CREATE TEMP TRIGGER itf_ins_{i} AFTER INSERT ON {on} BEGIN {count} END")
        cursor.execute(f"CREATE TEMP TRIGGER itf_del_{i} AFTER DELETE ON {on} BEGIN {count} END")
        cursor.execute(
            f"CREATE TEMP TRIGGER itf_upd_{i} AFTER UPDATE ON {on} WHEN {changed} BEGIN {count} END"
        )


def _postgresql_triggers(
    cursor: Any, tables: dict[str, tuple[str, list[str]]], quote: Callable[[str], str]
) -> None:
    """PostgreSQL's triggers belong to the tables, so every connection runs them: one with the
    temporary counters counts there, any other draws from a sequence, which takes no lock that
    a concurrent test could wait on. Restoring the demo snapshot runs as a replica and fires
    none of them; TRUNCATE fires no row trigger."""
    volatile = "{" + ",".join(sorted(_VOLATILE)) + "}"
    cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {_OTHER_WRITES}")
    cursor.execute(
        f"""CREATE OR REPLACE FUNCTION itfabrik_test_count() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - TG_ARGV[1]::text[])
                    IS NOT DISTINCT FROM (to_jsonb(NEW) - TG_ARGV[1]::text[]) THEN
                RETURN NULL;
            END IF;
            IF to_regclass('pg_temp.{_COUNTERS}') IS NULL THEN
                PERFORM nextval('{_OTHER_WRITES}');
            ELSE
                UPDATE pg_temp.{_COUNTERS} SET n = n + 1 WHERE label = TG_ARGV[0];
            END IF;
            RETURN NULL;
        END $$"""
    )
    for i, (label, (table, _columns)) in enumerate(tables.items()):
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER itfabrik_test_{i} AFTER INSERT OR UPDATE OR DELETE "
            f"ON {quote(table)} FOR EACH ROW "
            f"EXECUTE FUNCTION itfabrik_test_count('{label}', '{volatile}')"
        )


def db_state() -> dict[str, Any]:
    """What `assert_unchanged` compares: per model, the number of its rows inserted, deleted, or
    updated in a column other than the volatile ones (`_counters`), and what stands for the
    writes of other connections: PostgreSQL's sequence of them, SQLite's `data_version` (which
    moves when another connection commits). Both over-count rather than miss: a write by
    another connection counts even when it is rolled back."""
    from django.db import connection

    with connection.cursor() as cursor:
        _counters(cursor, connection.vendor, connection.ops.quote_name)
        cursor.execute(f"SELECT label, n FROM {_COUNTERS}")
        state: dict[str, Any] = dict(cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT last_value, is_called FROM {_OTHER_WRITES}")
        else:
            cursor.execute("PRAGMA data_version")
        state["another connection"] = cursor.fetchone()
        return state


def assert_unchanged(before: dict[str, Any]) -> None:
    after = db_state()
    for key in before:
        assert after[key] == before[key], f"a refused write changed {key}"


def login_redirect(url: str) -> str:
    return f"{reverse('accounts:login')}?next={quote(url)}"


def assert_login_redirect(response: Any, url: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"] == login_redirect(url)


def page_without_noise(response: Any) -> str:
    """The page with what differs per request removed: CSRF tokens and its own address."""
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html.replace(response.wsgi_request.get_full_path(), "")


def grow(demo: Any, n: int = 30) -> None:
    """Add n rows to every list: units, municipalities with memberships, positions, users with
    role assignments (and with them, audit entries)."""
    import datetime as dt

    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.actors import SYSTEM
    from itfabrik.tenancy import services
    from itfabrik.tenancy.choices import NodeKind, ServiceLine

    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    team = demo.node("2:a linjen")
    root = demo.cooperation.root
    for i in range(n):
        unit = services.node_create(
            actor=SYSTEM, parent=adm, kind=NodeKind.UNIT, name=f"Extra {i}", cost_centre=f"X-{i}"
        )
        municipality = services.node_create(
            actor=SYSTEM,
            parent=root,
            kind=NodeKind.MUNICIPALITY,
            name=f"Extra kommun {i}",
            municipal_code=f"{9000 + i}",
        )
        services.municipality_join(
            actor=SYSTEM,
            cooperation=demo.cooperation,
            municipality=municipality,
            joined_on=dt.date.fromisoformat("2025-01-01"),
        )
        user = account_services.user_create(
            actor=SYSTEM, username=f"extra{i}", password=None, home_unit=unit
        )
        account_services.role_assign(actor=SYSTEM, user=user, role=Role.AGENT, node=unit)
        services.position_create(
            actor=SYSTEM, team=team, title=f"Tekniker {i}", line=ServiceLine.SECOND_LINE,
            holder=user,
        )  # fmt: skip


def list_query_count(client: Any, url: str, **params: Any) -> tuple[int, int]:
    """(queries, rows) of one API list request with a page big enough for every row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, {"page_size": 200, **params})
    assert r.status_code == 200, r.content[:300]
    return len(ctx.captured_queries), len(r.json()["results"])


def page_query_count(client: Any, url: str, **headers: Any) -> tuple[int, Any]:
    """(queries, response) of one web page request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, **headers)
    assert r.status_code == 200, r.status_code
    return len(ctx.captured_queries), r


def home_panel(response: Any, key: str) -> Any:
    """The context of one start-page panel ("<app>.<key>"), or None when it is not shown."""
    for zone in response.context["panels"].values():
        for panel in zone:
            if panel["key"] == key:
                return panel["data"]
    return None
