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
