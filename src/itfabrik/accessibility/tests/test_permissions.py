"""Permission matrix of the accessibility statement: every actor, also anonymous, may read it
and report a problem."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    ensure_same_unit_user,
)

ALL_200 = {ANON: 200, OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_200))
def test_web_accessibility_is_public(
    web_as: Any, demo: Any, actor: str | None, expected: Any
) -> None:
    ensure_same_unit_user(demo)
    r = web_as(actor).get("/tillganglighet/")
    assert r.status_code == expected
    assert r.templates[0].name == "accessibility/statement.html"


def test_the_statement_is_reachable_while_the_second_factor_is_awaited(
    demo: Any, client: Any, settings: Any
) -> None:
    """The two-factor hold (accounts' middleware) lets the statement through by its URL name:
    a person stuck at the code page can still read it and report a problem."""
    settings.REQUIRE_STAFF_2FA = True
    client.post("/konto/logga-in/", {"username": "agent", "password": "itfabrik-demo"})
    assert client.get("/organisation/").status_code == 302  # held at the code page …
    r = client.get("/tillganglighet/")
    assert r.status_code == 200  # … but not here
    assert r.templates[0].name == "accessibility/statement.html"
