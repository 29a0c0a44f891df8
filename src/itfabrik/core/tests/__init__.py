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


_SQLITE_COUNTERS = "itfabrik_test_changes"


def _sqlite_counters(
    cursor: Any, tables: dict[str, tuple[str, list[str]]], quote: Callable[[str], str]
) -> None:
    """Temporary triggers on this connection that count, per model, the rows inserted, deleted
    and updated in a column other than the volatile ones. Reading every row of every table
    twice per refused write was half the time of the permission matrices on SQLite; the counters
    answer the same question in one query. They live in the connection's temporary schema, so
    they take part in its transactions (a rolled-back write is not counted) and never reach the
    database file or another connection."""
    cursor.execute(
        "SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = %s", [_SQLITE_COUNTERS]
    )
    if cursor.fetchone():
        return
    cursor.execute(f"CREATE TEMP TABLE {_SQLITE_COUNTERS} (label TEXT PRIMARY KEY, n INTEGER)")
    for i, (label, (table, columns)) in enumerate(tables.items()):
        cursor.execute(f"INSERT INTO {_SQLITE_COUNTERS} VALUES (%s, 0)", [label])
        # Labels and names come from the model registry: nothing from input.
        count = f"UPDATE {_SQLITE_COUNTERS} SET n = n + 1 WHERE label = '{label}';"
        on = f"main.{quote(table)}"
        changed = " OR ".join(f"OLD.{quote(c)} IS NOT NEW.{quote(c)}" for c in columns)
        cursor.execute(f"CREATE TEMP TRIGGER itf_ins_{i} AFTER INSERT ON {on} BEGIN {count} END")
        cursor.execute(f"CREATE TEMP TRIGGER itf_del_{i} AFTER DELETE ON {on} BEGIN {count} END")
        cursor.execute(
            f"CREATE TEMP TRIGGER itf_upd_{i} AFTER UPDATE ON {on} WHEN {changed} BEGIN {count} END"
        )


def db_state() -> dict[str, Any]:
    """What `assert_unchanged` compares: per model, something that differs after any insert,
    delete or update of its rows.

    On PostgreSQL each table is reduced, all in one query, to its number of rows and the sum of a
    64-bit hash of each row (order does not matter, so nothing is sorted): only the digests cross
    the connection. On SQLite, which has no digest function, the
    temporary triggers of `_sqlite_counters` count the changes, and `data_version` (which moves
    when another connection commits) stands for the writes the triggers cannot see."""
    from django.db import connection

    quote = connection.ops.quote_name
    tables = _state_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Table and column names from the model registry, quoted: nothing from input.
            digests = ", ".join(
                f"(SELECT count(*) || ':' || coalesce(sum(hashtextextended(r::text, 0)), 0) FROM "
                f"(SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}) AS r)"
                for table, columns in tables.values()
            )
            cursor.execute(f"SELECT {digests}")
            return dict(zip(tables, cursor.fetchone(), strict=True))
        _sqlite_counters(cursor, tables, quote)
        cursor.execute(f"SELECT label, n FROM {_SQLITE_COUNTERS}")
        state: dict[str, Any] = dict(cursor.fetchall())
        cursor.execute("PRAGMA data_version")
        state["another connection"] = cursor.fetchone()[0]
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
