from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from . import permissions
from .actors import Actor
from .errors import NotFound
from .filters import AuditFilter
from .models import AuditEntry
from .permissions import VIEW_AUDIT

M = TypeVar("M", bound=Model)


def get_or_not_found(queryset: QuerySet[M], pk: Any) -> M:
    """The row with this key from an already scoped queryset; NotFound (404) when it is not
    there, is not visible to the actor, or the key is not even a valid key."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def audit_list(
    *,
    actor: Actor,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    search: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.filter(permissions.scope_q(actor, VIEW_AUDIT, path_field="scope_path"))
    qs = AuditFilter.apply(
        qs,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        actor=actor_id,
        action=action,
        q=search,
        since=since,
        until=until,
    )
    return qs.order_by("-occurred_at", "-id")


def object_audit_list(*, actor: Actor, instance: Any) -> QuerySet[AuditEntry]:
    return audit_list(
        actor=actor,
        object_type=f"{instance._meta.app_label}.{instance._meta.model_name}",
        object_id=str(instance.pk),
    )
