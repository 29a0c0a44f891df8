"""Shared fixtures. The Dalsland demo is loaded once per test database and every test runs in a
transaction rolled back afterwards, so each test starts from the same, realistic data."""

from __future__ import annotations

import importlib
import os
import sqlite3
from importlib.util import find_spec
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from itfabrik.demo import dalsland

# The suite runs one worker per core beside the browser and the database, so wall-clock time per
# example says nothing about the code: a per-example deadline only makes properties flaky. Speed is
# measured by bench/ (ADR 0016).
hypothesis_settings.register_profile(
    "itfabrik", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("itfabrik")

DEMO_PASSWORD = dalsland.DEMO_PASSWORD


def _app_fixture_modules() -> list[str]:
    """Each installed itfabrik app's `tests/fixtures.py` (Saleor's per-app pytest plugins): an
    app brings its own fixtures without an edit here."""
    settings = importlib.import_module(
        os.environ.get("DJANGO_SETTINGS_MODULE", "itfabrik.config.settings.test")
    )
    out = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("itfabrik.") or find_spec(f"{app}.tests") is None:
            continue
        if find_spec(f"{app}.tests.fixtures") is not None:
            out.append(f"{app}.tests.fixtures")
    return out


pytest_plugins = _app_fixture_modules()


class DemoSnapshot:
    """The demo as loaded once per test database, to put back after a test that flushed it.

    A test on `transactional_db` (every browser test, through `live_server`) empties every table
    when it ends. Loading the demo again through its services, or `loaddata` of a dump, took 10
    to 25 s per browser test once the demo had grown, about a third of CI's time (ADR 0016). On
    SQLite the whole database is instead copied page by page with SQLite's online backup API,
    which takes milliseconds and gives back exactly the same rows, ids and sequences. On
    PostgreSQL every table is copied once into a schema of its own and copied back with the
    foreign-key triggers off, with the sequences set back to where they were.
    """

    SCHEMA = "itfabrik_demo_snapshot"

    def __init__(self) -> None:
        self._sqlite: sqlite3.Connection | None = None
        self._pg_tables: list[str] = []
        self._pg_sequences: list[tuple[str, int | None]] = []

    def take(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        if connection.vendor == "sqlite":
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            self._sqlite = copy
        elif connection.vendor == "postgresql":
            tables = connection.introspection.table_names()
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE")
                cursor.execute(f"CREATE SCHEMA {self.SCHEMA}")
                for table in tables:
                    cursor.execute(
                        f'CREATE TABLE {self.SCHEMA}."{table}" AS TABLE public."{table}"'
                    )
                cursor.execute(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
                )
                self._pg_sequences = list(cursor.fetchall())
            self._pg_tables = tables

    def restore(self) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        connection.ensure_connection()
        if self._sqlite is not None:
            self._sqlite.backup(connection.connection)
        elif self._pg_tables:
            quoted = ", ".join(f"public.{connection.ops.quote_name(t)}" for t in self._pg_tables)
            with connection.cursor() as cursor:
                # A superuser setting (the test database's owner is one): skips the foreign-key
                # triggers while the tables are filled in an order that ignores dependencies.
                cursor.execute("SET session_replication_role = replica")
                try:
                    cursor.execute(f"TRUNCATE {quoted}")
                    for table in self._pg_tables:
                        name = connection.ops.quote_name(table)
                        # Names from the database's own catalogue, quoted: nothing from input.
                        cursor.execute(
                            f"INSERT INTO public.{name} SELECT * FROM {self.SCHEMA}.{name}"  # noqa: S608
                        )
                    for name, last_value in self._pg_sequences:
                        cursor.execute(
                            "SELECT setval(%s, %s, %s)",
                            [f'public."{name}"', last_value or 1, last_value is not None],
                        )
                finally:
                    cursor.execute("SET session_replication_role = DEFAULT")
        else:
            dalsland.load()
        # Content types were recreated with other ids after the flush; the cache holds those.
        ContentType.objects.clear_cache()
        assert dalsland.is_loaded()


_SNAPSHOT = DemoSnapshot()


# Any of these in a test's fixture closure gives it the test database (pytest-django).
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def _without_the_test_database(item: pytest.Item) -> bool:
    """A test that never gets the test database: pytest-django refuses it every query, so it
    answers the same whichever database the run was given."""
    if item.get_closest_marker("django_db") is not None:
        return False
    return not _DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL run leaves out (deselects, not skips; ADR 0016) what would only repeat the
    SQLite run:
    - a test marked `own_sqlite_database`, which starts a process of its own on a SQLite
      database of its own;
    - a test without the test database (the pure rules and their properties, the settings, the
      architecture), which cannot reach PostgreSQL at all."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    keep, drop = [], []
    for item in items:
        repeat = item.get_closest_marker("own_sqlite_database") or _without_the_test_database(item)
        (drop if repeat else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        dalsland.load()
        _SNAPSHOT.take()
        # The refused-write check counts changes with triggers and a temporary table of this
        # connection; made here, outside any test's transaction, they are made once and kept.
        from itfabrik.core.tests import db_state

        db_state()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup: None) -> DemoSnapshot:
    """The demo as loaded for this test database (see `DemoSnapshot`)."""
    return _SNAPSHOT


@pytest.fixture
def demo_reloaded_afterwards() -> None:
    """For a test on `transactional_db`: its flush empties every table when it ends, and the
    tests after it in this worker expect the demo, so it is loaded again once the test's whole
    teardown is over (`pytest_runtest_teardown` below). A fixture teardown would depend on the
    order fixtures were set up in, and a module's `django_db` mark sets the flushing one up first:
    the reload then ran before the flush and the next test found an empty database."""


def _uses_live_server(item: pytest.Item) -> bool:
    return "live_server" in getattr(item, "fixturenames", ())


def _flushes(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "demo_reloaded_afterwards" in names or "live_server" in names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    try:
        return (yield)
    finally:
        # After the last test the session's teardown has already dropped the test database. A
        # browser test (live_server) flushes too; the next browser test restores the demo itself
        # (tests/browser/conftest.py `site`), any other test needs it back now.
        if nextitem is not None and _flushes(item) and not _uses_live_server(nextitem):
            from pytest_django.plugin import blocking_manager_key

            with item.config.stash[blocking_manager_key].unblock():
                _SNAPSHOT.restore()


@pytest.fixture
def demo(db: Any) -> Any:
    """The loaded demo: handy lookups of nodes and users by name."""
    from itfabrik.accounts.models import User
    from itfabrik.tenancy.models import Cooperation, OrgNode

    class Demo:
        cooperation = Cooperation.objects.get(slug=dalsland.SLUG)

        @staticmethod
        def node(name: str, municipality: str | None = None) -> OrgNode:
            qs = OrgNode.objects.filter(name=name)
            if municipality:
                qs = qs.filter(municipality__name=municipality)
            return qs.get()

        @staticmethod
        def user(username: str) -> User:
            return User.objects.get(username=username)

    return Demo()
