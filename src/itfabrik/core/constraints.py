"""Readable messages for the database's unique and check constraints.

A constraint's name ("tenancy_unique_cost_centre_per_municipality") must never reach a person.
Every constraint of our models registers here which field it belongs to and how to say, in a
sentence, what is wrong — naming the existing object where the actor may see it ("Kostnadsställe
1461-6100 används redan av Biblioteket."). `core.services.validate` checks the constraints before
a write with these messages; `from_integrity_error` maps a violation the database reports anyway
(two writers at the same moment) to the same field.

`core.tests.test_constraints` fails for a constraint without a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models

from itfabrik.core.actors import Actor

from .errors import Message, ValidationFailed, lazy_format


@dataclass(frozen=True)
class ConstraintMessage:
    field: str
    # For a unique constraint: message(instance, existing_or_None); for a check: message(instance).
    # `existing` is None when it is unknown or the actor may not see it.
    message: Callable[..., Message]
    # May the actor be told which object holds the value? Without it: never named.
    visible: Callable[[Any, models.Model], bool] | None = None


_REGISTRY: dict[str, ConstraintMessage] = {}


def register(
    name: str,
    *,
    field: str,
    message: Callable[..., Message],
    visible: Callable[[Any, models.Model], bool] | None = None,
) -> None:
    _REGISTRY[name] = ConstraintMessage(field=field, message=message, visible=visible)


def registered() -> dict[str, ConstraintMessage]:
    return dict(_REGISTRY)


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # constraints name concrete fields
    return field


def _attname(model: type[models.Model], name: str) -> str:
    return _concrete(model, name).attname


def _existing(instance: models.Model, constraint: models.UniqueConstraint) -> models.Model | None:
    model = instance._meta.model
    lookup = {}
    for name in constraint.fields:
        attname = _attname(model, name)
        lookup[attname] = getattr(instance, attname)
    qs = model._default_manager.filter(**lookup)
    if constraint.condition is not None:
        qs = qs.filter(constraint.condition)
    if instance.pk is not None:
        qs = qs.exclude(pk=instance.pk)
    return qs.first()


def errors_for(
    instance: models.Model,
    *,
    exclude: set[str],
    actor: Actor | None = None,
) -> dict[str, list[Message]]:
    """The instance's constraint violations as field messages (nothing is written)."""
    out: dict[str, list[Message]] = {}
    model = instance._meta.model
    for constraint in model._meta.constraints:
        entry = _REGISTRY.get(constraint.name)
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            if set(constraint.fields) & exclude:
                continue
            if any(getattr(instance, _attname(model, f)) is None for f in constraint.fields):
                continue  # NULL never collides
            if constraint.condition is not None:
                # Only rows the condition covers collide; ask the database the same question.
                from django.core.exceptions import ValidationError

                try:
                    constraint.validate(model, instance, exclude=exclude)
                except ValidationError:
                    pass
                else:
                    continue
            existing = _existing(instance, constraint)
            if existing is None:
                continue
            shown = existing if entry and entry.visible and entry.visible(actor, existing) else None
            message = entry.message(instance, shown) if entry else None
            field = entry.field if entry else constraint.fields[-1]
        elif isinstance(constraint, models.CheckConstraint):
            from django.core.exceptions import ValidationError

            condition = constraint.condition
            if isinstance(condition, models.Q) and condition.referenced_base_fields & exclude:
                # Django checks nothing then either, but only after building a query of every
                # field of the instance (0.4 ms of each ticket created).
                continue
            try:
                constraint.validate(model, instance, exclude=exclude)
            except ValidationError:
                message = entry.message(instance) if entry else None
                field = entry.field if entry else "non_field_errors"
            else:
                continue
        else:
            continue
        if message is None:
            message = _fallback(instance)
        out.setdefault(field, []).append(message)
    return out


def _fallback(instance: models.Model) -> Message:
    from django.utils.translation import gettext_lazy as _

    return lazy_format(
        _("Uppgifterna krockar med en annan %(thing)s."), thing=instance._meta.verbose_name
    )


def _mentions(text: str, model: type[models.Model], constraint: Any) -> bool:
    if constraint.name in text:  # PostgreSQL names the constraint, SQLite does for checks
        return True
    if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        # SQLite: "UNIQUE constraint failed: tenancy_orgnode.municipality_id, …cost_centre"
        table = model._meta.db_table
        columns = [_concrete(model, f).column for f in constraint.fields]
        return ", ".join(f"{table}.{c}" for c in columns) in text
    return False


def from_integrity_error(exc: IntegrityError, instance: models.Model) -> ValidationFailed | None:
    """The field message for a constraint the database enforced itself, or None if not ours."""
    text = str(exc)
    model = instance._meta.model
    for constraint in model._meta.constraints:
        if not _mentions(text, model, constraint):
            continue
        entry = _REGISTRY.get(constraint.name)
        if entry is None:
            return ValidationFailed(fields={"non_field_errors": [_fallback(instance)]})
        if isinstance(constraint, models.UniqueConstraint):
            message = entry.message(instance, None)
        else:
            message = entry.message(instance)
        return ValidationFailed(fields={entry.field: [message]})
    return None
