from __future__ import annotations

from rest_framework import serializers

from itfabrik.governance.choices import ForumKind
from itfabrik.governance.models import Decision, Forum, GovernedLink


class GovernedLinkSerializer(serializers.ModelSerializer[GovernedLink]):
    content_type = serializers.SerializerMethodField()

    class Meta:
        model = GovernedLink
        fields = ["id", "kind", "content_type", "object_id", "label"]

    def get_content_type(self, obj: GovernedLink) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    # Declared: a model field's integer bounds come from the database (SQLite 64, PostgreSQL 32
    # bits), and the committed schema must not depend on it.
    version = serializers.IntegerField(read_only=True)
    forum_name = serializers.CharField(source="forum.name", read_only=True)
    municipality_name = serializers.CharField(
        source="municipality.name", read_only=True, allow_null=True, default=None
    )
    meeting_date = serializers.DateField(source="meeting.held_on", read_only=True)
    is_final = serializers.BooleanField(read_only=True)
    corrects_number = serializers.CharField(
        source="corrects.number", read_only=True, allow_null=True, default=None
    )
    links = GovernedLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "decided_on",
            "forum",
            "forum_name",
            "meeting",
            "meeting_date",
            "scope",
            "municipality",
            "municipality_name",
            "title",
            "text",
            "status",
            "is_final",
            "matter",
            "corrects",
            "corrects_number",
            "links",
            "version",
        ]


class ForumSerializer(serializers.ModelSerializer[Forum]):
    # Named apart from other apps' `kind` so the schema's enum has a stable name of its own.
    forum_kind = serializers.ChoiceField(source="kind", choices=ForumKind.choices, read_only=True)
    municipality_name = serializers.CharField(
        source="municipality.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Forum
        fields = [
            "id",
            "forum_kind",
            "name",
            "prefix",
            "municipality",
            "municipality_name",
            "is_active",
        ]
