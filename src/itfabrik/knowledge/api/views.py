from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import Forbidden, ValidationFailed
from itfabrik.knowledge import selectors, services
from itfabrik.knowledge.filters import ArticleFilter
from itfabrik.knowledge.models import QUERY_MAX, Article, ArticleFeedback, Deflection

from .serializers import (
    ArticleCreateSerializer,
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleUpdateSerializer,
    DeflectionCreateSerializer,
    DeflectionSerializer,
    FeedbackCreateSerializer,
    FeedbackSerializer,
    RevisionSerializer,
    VersionSerializer,
)

Q_PARAMETER = OpenApiParameter(
    "q",
    str,
    description="Swedish full-text search (every word as a prefix, stemmed: "
    "'skrivare' finds 'skrivaren'); results best match first. At most 200 characters.",
)


def _relations(request: Request, values: dict[str, Any]) -> None:
    """Replace area and municipality ids by the objects the actor may choose (400 otherwise)."""
    if "area" in values:
        area = selectors.area_choice_list(actor=request.user).filter(pk=values["area"]).first()
        if area is None:
            raise ValidationFailed(fields={"area": [_unknown()]})
        values["area"] = area
    if values.get("municipality") is not None:
        municipality = (
            selectors.municipality_choice_list(actor=request.user)
            .filter(pk=values["municipality"])
            .first()
        )
        if municipality is None:
            raise ValidationFailed(fields={"municipality": [_unknown()]})
        values["municipality"] = municipality


def _unknown() -> Any:
    return _("Finns inte, eller så får du inte välja den.")


@extend_schema(tags=["knowledge"])
@extend_schema_view(
    list=extend_schema(parameters=[Q_PARAMETER]),
    create=extend_schema(request=ArticleCreateSerializer, responses={201: ArticleDetailSerializer}),
    partial_update=extend_schema(
        request=ArticleUpdateSerializer, responses={200: ArticleDetailSerializer}
    ),
    publish=extend_schema(request=VersionSerializer, responses={200: ArticleDetailSerializer}),
    archive=extend_schema(request=VersionSerializer, responses={200: ArticleDetailSerializer}),
    revisions=extend_schema(responses={200: RevisionSerializer(many=True)}),
)
class ArticleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Article]
):
    """Knowledge-base articles the caller may read (audience: everyone in the cooperation, the
    caller's municipality, staff). Writers (service desk staff) also see drafts and archived
    articles, and create, correct, publish and archive them. Articles are never deleted."""

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    ordering_fields = ["title", "updated_at", "published_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return ArticleSerializer
        return ArticleDetailSerializer

    def get_queryset(self) -> Any:
        q = self.request.query_params.get("q", "")
        if len(q) > QUERY_MAX:
            raise ValidationFailed(fields={"q": [_("Sökningen är för lång: högst 200 tecken.")]})
        return selectors.article_list(actor=self.request.user, q=q or None)

    def get_object(self) -> Article:
        return selectors.article_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not selectors.may_manage(request.user):
            raise Forbidden()
        v = parse_input(ArticleCreateSerializer, request.data)
        _relations(request, v)
        article = services.article_create(
            actor=request.user, cooperation=v["area"].cooperation, **v
        )
        out = selectors.article_get(actor=request.user, pk=article.pk)
        return Response(ArticleDetailSerializer(out).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = self.get_object()
        v = parse_input(ArticleUpdateSerializer, request.data)
        version = v.pop("version")
        _relations(request, v)
        services.article_update(actor=request.user, article=article, expected_version=version, **v)
        out = selectors.article_get(actor=request.user, pk=article.pk)
        return Response(ArticleDetailSerializer(out).data)

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        article = self.get_object()
        v = parse_input(VersionSerializer, request.data)
        services.article_publish(actor=request.user, article=article, expected_version=v["version"])
        out = selectors.article_get(actor=request.user, pk=article.pk)
        return Response(ArticleDetailSerializer(out).data)

    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        article = self.get_object()
        v = parse_input(VersionSerializer, request.data)
        services.article_archive(actor=request.user, article=article, expected_version=v["version"])
        out = selectors.article_get(actor=request.user, pk=article.pk)
        return Response(ArticleDetailSerializer(out).data)

    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def revisions(self, request: Request, pk: str | None = None) -> Response:
        """Every published version of the article, newest first ("version N of date")."""
        article = self.get_object()
        rows = selectors.revision_list(actor=request.user, article=article)
        return Response(RevisionSerializer(rows, many=True).data)


@extend_schema(tags=["knowledge"])
@extend_schema_view(
    create=extend_schema(request=FeedbackCreateSerializer, responses={201: FeedbackSerializer}),
)
class FeedbackViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[ArticleFeedback]):
    """ "Hjälpte det här?": POST answers for the current version of an article the caller reads
    (a second answer to the same version replaces the first). GET lists the feedback on the
    articles the caller writes."""

    serializer_class = FeedbackSerializer
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.feedback_list(actor=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(FeedbackCreateSerializer, request.data)
        article = selectors.article_get(actor=request.user, pk=v.pop("article"))
        feedback = services.feedback_give(actor=request.user, article=article, **v)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["knowledge"])
@extend_schema_view(
    create=extend_schema(request=DeflectionCreateSerializer, responses={201: DeflectionSerializer}),
)
class DeflectionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Deflection]):
    """ "Det här löste mitt problem": POST records that an article solved the caller's problem
    (with what they searched for). GET lists the caller's own, and for writers every one of
    their cooperation (the service desk's deflection rate)."""

    serializer_class = DeflectionSerializer
    ordering_fields = ["occurred_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.deflection_list(actor=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(DeflectionCreateSerializer, request.data)
        article = selectors.article_get(actor=request.user, pk=v.pop("article"))
        deflection = services.deflection_record(actor=request.user, article=article, **v)
        return Response(DeflectionSerializer(deflection).data, status=status.HTTP_201_CREATED)
