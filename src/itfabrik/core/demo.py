"""Runs the apps' demo steps (core.registry.demo_step) in dependency order, in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from .registry import demo_steps_in_order


def _steps() -> list[Any]:
    autodiscover_modules("demo")
    return demo_steps_in_order()


def is_loaded() -> bool:
    """The demo is there when the first step (the one every other waits for) says so."""
    steps = _steps()
    return bool(steps) and steps[0].loaded is not None and steps[0].loaded()


@transaction.atomic
def load() -> bool:
    """Load the demo once. Returns False (and changes nothing) when it is already there."""
    if is_loaded():
        return False
    ctx: dict[str, Any] = {}
    for step in _steps():
        step.run(ctx)
    return True


def describe() -> list[str]:
    """What the steps want a person starting the demo to know (the demo accounts)."""
    return [line for step in _steps() if step.describe for line in step.describe()]
