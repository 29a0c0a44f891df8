"""The audit trail in the reader's language: field labels, related objects by name, no internals.

An audit row stores column values (`parent_id: 17`, `line: "second"`). People read field labels
(the model field's verbose_name in the active language), names of related objects and the labels
of choices. `describe()` turns a page of entries into such rows, resolving every related object
shown on the page with one query per related model, however many entries the page holds.

Pure apart from that batched lookup; the model comes from the entry's `object_type`, so no app
needs to register anything. A model whose services record events that are not columns names
their labels in an `AUDIT_LABELS` class attribute (see `accounts.User`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from .audit import AUDIT_SKIP_FIELDS
from .models import AuditAction, AuditEntry

# Bookkeeping of the tree and of concurrency control: true, but not what changed for a person.
INTERNAL_FIELDS = frozenset({"path", "depth", "numchild", "version"}) | AUDIT_SKIP_FIELDS
EMPTY = "–"


@dataclass(frozen=True, slots=True)
class ChangeRow:
    field: str  # the model field's name, stable for programs (the API)
    label: str  # its verbose name, in the active language
    before: str
    after: str


def model_for(object_type: str) -> type[models.Model] | None:
    """The model class of an `app_label.model_name` object type, or None if it is gone."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    model = model_for(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def is_internal(field: models.Field[Any, Any]) -> bool:
    if field.primary_key or field.name in INTERNAL_FIELDS:
        return True
    # auto_now / auto_now_add timestamps are bookkeeping; a date someone sets is not.
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _fields_by_attname(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _shown_keys(entry: AuditEntry) -> list[str]:
    if entry.action == AuditAction.UPDATE:
        return list(entry.changed_fields or [])
    values = entry.after if entry.after is not None else entry.before
    return list(values or {})


def _visible(entry: AuditEntry, fields: Mapping[str, models.Field[Any, Any]]) -> list[str]:
    out = []
    values = entry.after if entry.after is not None else entry.before
    for key in _shown_keys(entry):
        if entry.action != AuditAction.UPDATE and (values or {}).get(key) in (None, ""):
            continue  # a new (or removed) object: its empty fields say nothing
        field = fields.get(key)
        if field is not None and is_internal(field):
            continue
        if field is None and key.removesuffix("_id") in INTERNAL_FIELDS | {"id"}:
            continue
        out.append(key)
    return out


def _format(field: models.Field[Any, Any] | None, value: Any, names: Mapping[Any, str]) -> str:
    if value is None or value == "":
        return EMPTY
    if field is None:
        # Not a column but an event a service recorded (e.g. a credential on a user); its
        # Swedish words are marked for translation where they are written.
        return _(value) if isinstance(value, str) else str(value)
    if field.is_relation:
        return names.get(value, f"#{value}")
    if field.choices:
        labels = {str(k): v for k, v in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, list | dict):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def describe(entries: Iterable[AuditEntry]) -> dict[int, list[ChangeRow]]:
    """Readable change rows per entry id, for one page of entries.

    Related objects are looked up with one query per related model for the whole page.
    """
    entries = list(entries)
    plan: list[tuple[AuditEntry, dict[str, models.Field[Any, Any]], list[str]]] = []
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        model = model_for(entry.object_type)
        fields = _fields_by_attname(model) if model is not None else {}
        keys = _visible(entry, fields)
        plan.append((entry, fields, keys))
        for key in keys:
            field = fields.get(key)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            related: type[models.Model] = field.related_model
            for values in (entry.before, entry.after):
                if values and values.get(key) is not None:
                    wanted[related].add(values[key])
    names: dict[type[models.Model], dict[Any, str]] = {}
    for related, ids in wanted.items():
        names[related] = {
            obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=sorted(ids))
        }
    out: dict[int, list[ChangeRow]] = {}
    for entry, fields, keys in plan:
        model = model_for(entry.object_type)
        event_labels: Mapping[str, Any] = getattr(model, "AUDIT_LABELS", {}) if model else {}
        rows = []
        for key in keys:
            field = fields.get(key)
            related_names = (
                names.get(field.related_model, {})  # type: ignore[arg-type]
                if field is not None and field.is_relation
                else {}
            )
            before = (entry.before or {}).get(key) if entry.before is not None else None
            after = (entry.after or {}).get(key) if entry.after is not None else None
            rows.append(
                ChangeRow(
                    field=field.name if field is not None else key,
                    label=str(field.verbose_name)
                    if field is not None
                    else str(event_labels.get(key, key)),
                    before=EMPTY if entry.before is None else _format(field, before, related_names),
                    after=EMPTY if entry.after is None else _format(field, after, related_names),
                )
            )
        out[entry.pk] = rows
    return out


def attach(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The entries, each with `.changes` (its readable rows) and `.type_label` set."""
    entries = list(entries)
    described = describe(entries)
    for entry in entries:
        entry.changes = described.get(entry.pk, [])  # type: ignore[attr-defined]
        entry.type_label = type_label(entry.object_type)  # type: ignore[attr-defined]
    return entries
