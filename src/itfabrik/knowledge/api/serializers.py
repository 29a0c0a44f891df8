from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.knowledge.choices import Audience
from itfabrik.knowledge.models import (
    BODY_MAX,
    COMMENT_MAX,
    QUERY_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Article,
    ArticleFeedback,
    ArticleRevision,
    Deflection,
)
from itfabrik.knowledge.text import render_markdown

MAX_ID = 2**63 - 1


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class ArticleSerializer(serializers.ModelSerializer[Article]):
    area_name = serializers.CharField(source="area.name", read_only=True)
    municipality_name = serializers.CharField(
        source="municipality.name", read_only=True, allow_null=True, default=None
    )
    rank = serializers.SerializerMethodField(
        help_text="Search rank (higher is better); null without q."
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "cooperation",
            "area",
            "area_name",
            "title",
            "summary",
            "audience",
            "municipality",
            "municipality_name",
            "status",
            "kind",
            "source_reference",
            "fixed_at",
            "owner",
            "revision",
            "published_at",
            "updated_at",
            "version",
            "rank",
        ]
        read_only_fields = fields

    def get_rank(self, obj: Article) -> float | None:
        rank = getattr(obj, "rank", None)
        return round(float(rank), 6) if rank is not None else None


class ArticleDetailSerializer(ArticleSerializer):
    body_html = serializers.SerializerMethodField(help_text="The body rendered as safe HTML.")

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "body_html"]
        read_only_fields = fields

    def get_body_html(self, obj: Article) -> str:
        return render_markdown(obj.body)


class ArticleCreateSerializer(serializers.Serializer[Any]):
    area = _id()
    title = serializers.CharField(max_length=TITLE_MAX)
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False, allow_blank=True)
    body = serializers.CharField(max_length=BODY_MAX)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.EVERYONE)
    municipality = _id(required=False, allow_null=True)
    publish = serializers.BooleanField(default=False)


class ArticleUpdateSerializer(serializers.Serializer[Any]):
    version = _id()
    area = _id(required=False)
    title = serializers.CharField(max_length=TITLE_MAX, required=False)
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False, allow_blank=True)
    body = serializers.CharField(max_length=BODY_MAX, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    municipality = _id(required=False, allow_null=True)


class VersionSerializer(serializers.Serializer[Any]):
    version = _id()


class RevisionSerializer(serializers.ModelSerializer[ArticleRevision]):
    class Meta:
        model = ArticleRevision
        fields = ["number", "title", "summary", "body", "published_at", "published_by"]
        read_only_fields = fields


class FeedbackSerializer(serializers.ModelSerializer[ArticleFeedback]):
    revision_number = serializers.IntegerField(source="revision.number", read_only=True)

    class Meta:
        model = ArticleFeedback
        fields = ["id", "article", "revision_number", "user", "helpful", "comment", "created_at"]
        read_only_fields = fields


class FeedbackCreateSerializer(serializers.Serializer[Any]):
    article = _id()
    helpful = serializers.BooleanField()
    comment = serializers.CharField(max_length=COMMENT_MAX, required=False, allow_blank=True)


class DeflectionSerializer(serializers.ModelSerializer[Deflection]):
    class Meta:
        model = Deflection
        fields = ["id", "article", "user", "municipality", "query", "occurred_at"]
        read_only_fields = fields


class DeflectionCreateSerializer(serializers.Serializer[Any]):
    article = _id()
    query = serializers.CharField(max_length=QUERY_MAX, required=False, allow_blank=True)
