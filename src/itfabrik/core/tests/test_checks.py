"""System check E005: the widest role holds every action, unless an app declares the action a
separated duty (the granting rule of ADR 0017 rests on it)."""

from __future__ import annotations

import pytest

from itfabrik.core.checks import check_registry
from itfabrik.core.registry import register_separated_duty, registry


def _e005() -> list[str]:
    return [e.msg for e in check_registry() if e.id == "itfabrik.E005"]


def test_the_installed_apps_pass() -> None:
    assert _e005() == []


def test_an_action_the_administrator_lacks_fails_until_declared_separate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(registry.action_roles, "billing.peek", frozenset({"finance"}))
    monkeypatch.setitem(registry.action_app, "billing.peek", "billing")
    monkeypatch.setattr(registry, "separated_duties", dict(registry.separated_duties))
    assert _e005() == [
        "The action 'billing.peek' is not held by the widest role 'cooperation_admin'."
    ]
    register_separated_duty("billing", "billing.peek", "test")
    assert _e005() == []
    with pytest.raises(ValueError, match="not an action of this app"):
        register_separated_duty("catalog", "billing.peek", "test")
