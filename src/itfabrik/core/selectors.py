from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from . import permissions
from .models import AuditEntry
from .permissions import VIEW_AUDIT


def audit_list(
    *,
    actor: Any,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    search: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(permissions.scope_q(actor, VIEW_AUDIT, path_field="scope_path"))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    if search:
        qs = qs.filter(Q(object_repr__icontains=search) | Q(actor_repr__icontains=search))
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lt=until)
    return qs.order_by("-occurred_at", "-id")


def object_history(*, actor: Any, instance: Any) -> QuerySet[AuditEntry]:
    return audit_list(
        actor=actor,
        object_type=f"{instance._meta.app_label}.{instance._meta.model_name}",
        object_id=str(instance.pk),
    )
