"""Write helpers shared by every app's services: validation, versioned updates, audit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from . import audit, constraints
from .actors import Actor
from .errors import Conflict, ValidationFailed, lazy_format
from .models import AuditAction, VersionedModel

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=VersionedModel)


def lazy_messages(error: DjangoValidationError) -> list[Any]:
    # ValidationError.messages would render the (lazy) messages in the active language only;
    # keep them lazy so the error can be given in every language.
    out: list[Any] = []
    for e in error.error_list:
        out.append(lazy_format(e.message, **e.params) if e.params else e.message)
    return out


def validation_failed_from(exc: DjangoValidationError) -> ValidationFailed:
    if hasattr(exc, "error_dict"):
        fields: dict[str, list[Any]] = {}
        for name, errors in exc.error_dict.items():
            key = "non_field_errors" if name == NON_FIELD_ERRORS else name
            fields[key] = [m for e in errors for m in lazy_messages(e)]
        return ValidationFailed(fields=fields)
    return ValidationFailed(fields={"non_field_errors": lazy_messages(exc)})


def merge_fields(into: dict[str, list[Any]], more: Mapping[str, list[Any]]) -> None:
    for name, messages in more.items():
        into.setdefault(name, []).extend(messages)


def validate(
    instance: models.Model,
    *,
    exclude: Iterable[str] = (),
    actor: Actor | None = None,
    errors: Mapping[str, list[Any]] | None = None,
) -> None:
    """Run every rule of the instance at once; raise ValidationFailed naming every bad field.

    `errors` are the service's own findings so far: they come in the same answer as the model's,
    so a person sees every message after one submit. Unique and check constraints are checked
    here with readable messages (core.constraints), not left to the database.
    """
    fields: dict[str, list[Any]] = {k: list(v) for k, v in (errors or {}).items() if v}
    excluded = set(exclude)
    try:
        # A field the service already found wrong is not checked again: its message wins (and
        # Django's "already exists" must not undo a deliberately vaguer one).
        instance.full_clean(exclude=list(excluded | set(fields)), validate_constraints=False)
    except DjangoValidationError as exc:
        merge_fields(fields, validation_failed_from(exc).fields)
    merge_fields(
        fields, constraints.errors_for(instance, exclude=excluded | set(fields), actor=actor)
    )
    if fields:
        raise ValidationFailed(fields=fields)


def save_checked(instance: M, *, savepoint: bool = True, **kwargs: Any) -> M:
    """Save; a constraint the database enforces anyway (a concurrent writer) becomes its message.

    `savepoint=False` is for a caller whose transaction ends with the error anyway: it saves the
    two statements of a savepoint, and the caller's transaction can take no further query."""
    try:
        with transaction.atomic(savepoint=savepoint):
            instance.save(**kwargs)
    except IntegrityError as exc:
        mapped = constraints.from_integrity_error(exc, instance)
        if mapped is None:
            raise
        raise mapped from exc
    return instance


def create_audited(
    *,
    actor: Actor,
    instance: M,
    scope_path: str,
    exclude: Iterable[str] = (),
    errors: Mapping[str, list[Any]] | None = None,
    savepoint: bool = True,
) -> M:
    validate(instance, exclude=exclude, actor=actor, errors=errors)
    save_checked(instance, savepoint=savepoint)
    audit.record_created(actor=actor, instance=instance, scope_path=scope_path)
    return instance


def update_versioned(
    *,
    actor: Actor,
    instance: V,
    expected_version: int | None,
    changes: Mapping[str, Any],
    scope_path: str,
    exclude: Iterable[str] = (),
    errors: Mapping[str, list[Any]] | None = None,
) -> V:
    """Apply `changes` to `instance` if nobody has changed it since `expected_version`.

    The row is locked for the rest of the transaction, so two writers cannot both pass the
    version check. `expected_version=None` is for internal callers that just read the row in the
    same transaction. `errors` are the service's own findings: refused together with the model's
    (see `validate`).
    """
    with transaction.atomic():
        current = _locked(instance)
        if expected_version is not None and current.version != expected_version:
            raise Conflict()
        return _apply_audited(
            actor=actor,
            current=current,
            changes=changes,
            scope_path=scope_path,
            exclude=exclude,
            errors=errors,
        )


def update_audited(
    *,
    actor: Actor,
    instance: M,
    changes: Mapping[str, Any],
    scope_path: str,
    exclude: Iterable[str] = (),
) -> M:
    """Apply `changes` to a row that has no version column, locked, validated and audited."""
    with transaction.atomic():
        current = _locked(instance)
        return _apply_audited(
            actor=actor, current=current, changes=changes, scope_path=scope_path, exclude=exclude
        )


def _locked(instance: M) -> M:
    # _meta.model, not type(): the instance may be a lazy wrapper such as request.user.
    model: type[M] = instance._meta.model  # type: ignore[assignment]
    return model._default_manager.select_for_update().get(pk=instance.pk)


def _apply_audited(
    *,
    actor: Actor,
    current: M,
    changes: Mapping[str, Any],
    scope_path: str,
    exclude: Iterable[str],
    errors: Mapping[str, list[Any]] | None = None,
) -> M:
    before = audit.snapshot(current)
    unknown = [k for k in changes if not hasattr(current, k)]
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in unknown})
    for key, value in changes.items():
        setattr(current, key, value)
    validate(current, exclude=exclude, actor=actor, errors=errors)
    if audit.snapshot(current) == before:
        return current  # nothing changed: no new version, no audit row
    if isinstance(current, VersionedModel):
        current.version = F("version") + 1
    save_checked(current)
    current.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=audit.snapshot(current),
        scope_path=scope_path,
    )
    return current
