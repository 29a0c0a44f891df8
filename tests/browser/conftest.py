"""Fixtures for the browser suite: Playwright driving Debian's Chromium against `live_server`.

* The whole suite is skipped, with a message saying how to install Chromium, when the binary
  (env ITFABRIK_CHROMIUM, default /usr/bin/chromium) does not exist.
* One browser per session (pytest-playwright's `browser`), a fresh context and page per test.
* `live_server` tests run with `transactional_db`: every table is flushed after each test, so the
  Dalsland demo loaded once per session by the root conftest is gone after the first browser
  test. The `site` fixture restores it at the start of every test from the snapshot the root
  conftest takes when it sets up the test database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio loop in the test thread; Django refuses ORM calls from
# such a thread unless told it is fine (the live server itself runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ITFABRIK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright 0.10 defines its `base_url` fallback fixture as a method; pytest 9 warns.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:  # every test here is a browser test, marked or not
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # What a browser test checks is the page, not the database under it: CI runs them in the
        # SQLite phase only, and a test that does depend on the database says so with
        # `@pytest.mark.both_databases` (ADR 0016). Deselected, not skipped: no noise per test.
        keep, drop = [], []
        for item in items:
            on_both = item.get_closest_marker("both_databases") is not None
            browser = BROWSER_DIR in Path(str(item.path)).resolve().parents
            (drop if browser and not on_both else keep).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason=(
            f"Chromium not found at {CHROMIUM}: browser tests skipped. Install it with "
            "`apt-get install -y chromium` or point ITFABRIK_CHROMIUM at a Chromium binary."
        )
    )
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        # Needed only so that check_a11y can inject axe-core: see helpers.check_a11y.
        "bypass_csp": True,
    }


@pytest.fixture
def site(live_server: Any, demo_snapshot: Any) -> str:
    """The live server's base URL, with the Dalsland demo in the (flushed) database: the first
    browser test of a worker finds it still there, later ones get it back from the snapshot
    taken when the test database was set up (root conftest `DemoSnapshot`)."""
    from itfabrik.demo import dalsland

    if not dalsland.is_loaded():
        demo_snapshot.restore()
    return str(live_server.url)


@pytest.fixture
def page(page: Any, site: str) -> Iterator[Any]:
    """pytest-playwright's page, bound to the live server, failing fast, and failing the test
    when a script on the page throws (an uncaught error in app.js or htmx)."""
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    page.site = site
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"
