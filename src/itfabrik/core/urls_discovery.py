"""Finds each installed app's `web/urls.py` and `api/urls.py`, so that adding an app needs no
edit of a central URL file (see core.registry)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps

from .checks import platform_apps


def app_url_modules(kind: str) -> list[tuple[str, ModuleType]]:
    """(app label, module) of every platform app that has `<app>/<kind>/urls.py`, in the order of
    INSTALLED_APPS."""
    assert apps.ready or apps.apps_ready
    out = []
    for config in platform_apps():
        name = f"{config.name}.{kind}.urls"
        try:
            spec = find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            out.append((config.label, import_module(name)))
    return out
