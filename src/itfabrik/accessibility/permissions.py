"""The accessibility statement and its report form are open to everyone, also anonymous: the
app holds no action. It says so here explicitly (an empty table), which is what the registry's
start-up check (itfabrik.E003) asks of every app; the reports are read by superusers in the
admin (admin.py)."""

from __future__ import annotations

from itfabrik.core.registry import register_actions

register_actions("accessibility", {})
