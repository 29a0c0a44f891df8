"""Shared fixtures. The Dalsland demo is loaded once per test database and every test runs in a
transaction rolled back afterwards, so each test starts from the same, realistic data."""

from __future__ import annotations

import importlib
import os
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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        dalsland.load()


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
                dalsland.load()


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
