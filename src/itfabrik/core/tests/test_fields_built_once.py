"""`FieldsBuiltOnce` hands each serializer instance fields of its own, and answers as DRF does."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.core.api.serializers import FieldsBuiltOnce
from itfabrik.core.models import AuditEntry


class _Plain(serializers.ModelSerializer[AuditEntry]):
    tags = serializers.ListField(child=serializers.CharField(), source="changed_fields")
    shout = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["id", "action", "object_repr", "before", "tags", "shout"]

    def get_shout(self, entry: AuditEntry) -> str:
        return f"{entry.object_repr.upper()}{self.context.get('mark', '')}"


class _Once(FieldsBuiltOnce, _Plain):
    pass


def _entry(pk: int, name: str, changed: list[str]) -> AuditEntry:
    return AuditEntry(
        pk=pk, action="update", object_repr=name, before={"n": pk}, changed_fields=changed
    )


def test_answers_as_drf_does_for_each_instance_and_context() -> None:
    entries = [_entry(1, "första", ["a"]), _entry(2, "andra", ["b", "c"])]
    for i, entry in enumerate(entries):
        context: dict[str, Any] = {"mark": "!" * i}
        assert _Once(entry, context=context).data == _Plain(entry, context=context).data
    assert _Once(entries, many=True).data == _Plain(entries, many=True).data


def test_each_instance_has_fields_of_its_own() -> None:
    one, two = _Once(_entry(1, "a", [])), _Once(_entry(2, "b", []))
    for name in ("action", "tags", "shout"):
        assert one.fields[name] is not two.fields[name]
        assert one.fields[name].parent is one
        assert two.fields[name].parent is two
    # The list's child is bound to the instance's own list field, not to a shared one.
    assert one.fields["tags"].child is not two.fields["tags"].child
    assert one.fields["tags"].child.parent is one.fields["tags"]
