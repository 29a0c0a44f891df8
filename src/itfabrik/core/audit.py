"""Recording changes of business objects. Called from services, never from signals."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from .actors import Actor, SystemActor
from .middleware import current_request_id
from .models import AuditAction, AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


AUDIT_SKIP_FIELDS = {"created_at", "updated_at", "password", "last_login"}


# Values that are JSON-safe as they are: most of a snapshot, so skipped past `_plain` (the import
# takes a snapshot of each of a hundred thousand devices).
_JSON_SAFE = frozenset({str, int, bool, float, type(None)})


@functools.cache
def _audited(model: type[models.Model]) -> tuple[str, ...]:
    """The attribute names a snapshot of the model holds."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.name not in AUDIT_SKIP_FIELDS)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete field values of an instance, as JSON-safe data (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for name in _audited(type(instance)):
        value = getattr(instance, name)
        data[name] = value if type(value) in _JSON_SAFE else _plain(value)
    return data


def object_type(instance: models.Model) -> str:
    return f"{instance._meta.app_label}.{instance._meta.model_name}"


def record(
    *,
    actor: Actor,
    action: AuditAction | str,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    scope_path: str = "",
    object_repr: str | None = None,
) -> AuditEntry:
    changed: list[str] = []
    if before is not None and after is not None:
        changed = sorted(k for k in after if before.get(k) != after.get(k))
    elif after is not None:
        changed = sorted(after)
    user = actor if isinstance(actor, get_user_model()) and actor.is_authenticated else None
    if user is not None:
        actor_repr = user.get_username()
    elif isinstance(actor, SystemActor):
        # "system", or the name a subclass gives (e.g. the SCIM client whose token acted).
        actor_repr = actor.get_username()
    else:  # an anonymous visitor, e.g. a problem report sent without signing in
        actor_repr = "anonym"
    return AuditEntry.objects.create(
        actor=user,
        actor_repr=actor_repr,
        action=action,
        object_type=object_type(instance),
        object_id="" if instance.pk is None else str(instance.pk),
        object_repr=(str(instance) if object_repr is None else object_repr)[:300],
        scope_path=scope_path,
        before=before,
        after=after,
        changed_fields=changed,
        request_id=current_request_id(),
    )


def record_created(*, actor: Actor, instance: models.Model, scope_path: str) -> AuditEntry:
    """The audit row of a new object: nothing before, all its values after."""
    return record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=instance,
        before=None,
        after=snapshot(instance),
        scope_path=scope_path,
    )


def record_refused(
    *,
    actor: Actor,
    instance: models.Model,
    attempted: dict[str, Any],
    reason: str,
    scope_path: str,
    object_repr: str | None = None,
) -> AuditEntry:
    """The audit row of a refused attempt, written in its own transaction.

    Call it after the service's own transaction has been rolled back (outside its atomic block),
    so the row stays although the attempt changed nothing. `object_repr` names an object that
    cannot name itself (e.g. a grant whose person or node the actor may not see).
    """
    from django.db import transaction

    with transaction.atomic():
        return record(
            actor=actor,
            action=AuditAction.REFUSE,
            instance=instance,
            before=None,
            after={**_plain(attempted), "refused": reason},
            scope_path=scope_path,
            object_repr=object_repr,
        )
