"""Reads of the knowledge base: every one takes the actor and applies the audience.

Who reads what (`article_visibility_q`):
- published articles for everyone: whoever holds a role in the article's cooperation;
- published articles for one municipality: whoever holds a role in that municipality (a grant
  at or below it, or a recursive grant above it);
- staff of the joint organisation (`VIEW_INTERNAL`): every published article of their
  cooperation, staff-only ones too;
- writers (`MANAGE_ARTICLES`): every article of their cooperation, drafts and archived too.

An article outside this answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet

from itfabrik.catalog.models import ServiceArea
from itfabrik.catalog.selectors import catalogue_q
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import OrgNode

from . import permissions as actions
from . import search as fulltext
from .choices import ArticleOrdering, ArticleStatus, Audience
from .filters import ArticleFilter
from .models import Article, ArticleFeedback, ArticleRevision, Deflection

# Municipalities are the children of a cooperation's root: their path is two steps long.
MUNICIPALITY_PATH_LEN = 2 * OrgNode.steplen

SUGGESTION_LIMIT = 8


def _cooperations(actor: Actor, action: str) -> list[int]:
    return sorted({g.cooperation_id for g in permissions.grants_for(actor, action)})


def _municipality_q(actor: Actor) -> Q:
    """Municipality articles of the municipalities the actor holds a role in."""
    parts: list[Q] = []
    own: set[str] = set()
    for g in permissions.grants_for(actor, actions.VIEW_ARTICLES):
        if len(g.path) >= MUNICIPALITY_PATH_LEN:
            own.add(g.path[:MUNICIPALITY_PATH_LEN])
        elif g.recursive:
            parts.append(Q(municipality__path__startswith=g.path))
    if own:
        parts.append(Q(municipality__path__in=sorted(own)))
    if not parts:
        return Q(pk__in=[])
    return Q(audience=Audience.MUNICIPALITY) & reduce(or_, parts)


def article_visibility_q(actor: Actor) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    published = Q(status=ArticleStatus.PUBLISHED)
    readers = _cooperations(actor, actions.VIEW_ARTICLES)
    staff = _cooperations(actor, actions.VIEW_INTERNAL)
    writers = _cooperations(actor, actions.MANAGE_ARTICLES)
    q = published & (
        (Q(audience=Audience.EVERYONE) & Q(cooperation_id__in=readers))
        | (Q(cooperation_id__in=readers) & _municipality_q(actor))
        | Q(cooperation_id__in=staff)
    )
    if writers:
        q |= Q(cooperation_id__in=writers)
    return q


def may_manage(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_ARTICLES)


def _manage_q(actor: Actor) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    return Q(cooperation_id__in=_cooperations(actor, actions.MANAGE_ARTICLES))


def article_list(
    *,
    actor: Actor,
    q: str | None = None,
    area: int | None = None,
    audience: str | None = None,
    municipality: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    ordering: str | None = None,
) -> QuerySet[Article]:
    """The articles the actor may read, filtered; with `q`, the Swedish full-text search,
    best match first (the one search the help page, the staff list and the API all use).

    Without `status` a reader sees published articles only; writers may ask for drafts and
    archived ones (others get nothing for those).
    """
    qs = Article.objects.filter(article_visibility_q(actor)).select_related(
        "area", "municipality", "owner"
    )
    qs = ArticleFilter.apply(
        qs, area=area, audience=audience, municipality=municipality, status=status, kind=kind
    )
    if status is None and not may_manage(actor):
        qs = qs.filter(status=ArticleStatus.PUBLISHED)
    order = ordering if ordering in ArticleOrdering.values else None
    if q and q.strip():
        found = fulltext.search(qs, q)
        if found is None:
            return qs.none()
        tail = [order] if order else []
        return found.order_by("-rank", *tail, "title", "pk")
    return qs.order_by(*([order] if order else []), "title", "pk")


def article_suggestion_list(*, actor: Actor, q: str) -> list[Article]:
    """At most SUGGESTION_LIMIT published articles for the search box, best first."""
    if not q.strip():
        return []
    qs = article_list(actor=actor, q=q, status=ArticleStatus.PUBLISHED)
    return list(qs[:SUGGESTION_LIMIT])


def article_get(*, actor: Actor, pk: Any) -> Article:
    return get_or_not_found(
        Article.objects.filter(article_visibility_q(actor)).select_related(
            "area", "municipality", "owner", "cooperation__root"
        ),
        pk,
    )


def article_for_change_get(*, actor: Actor, pk: Any) -> Article:
    """An article the actor may write: 404 otherwise (also when they may read it)."""
    return get_or_not_found(
        Article.objects.filter(_manage_q(actor)).select_related(
            "area", "municipality", "owner", "cooperation__root"
        ),
        pk,
    )


def revision_list(*, actor: Actor, article: Article) -> QuerySet[ArticleRevision]:
    """The published versions of an article the actor may read, newest first."""
    article_get(actor=actor, pk=article.pk)
    return (
        ArticleRevision.objects.filter(article=article)
        .select_related("published_by")
        .order_by("-number")
    )


def revision_get(*, actor: Actor, article: Article, number: Any) -> ArticleRevision:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise NotFound() from None
    revision = revision_list(actor=actor, article=article).filter(number=number).first()
    if revision is None:
        raise NotFound()
    return revision


def current_revision_get(article: Article) -> ArticleRevision | None:
    """The revision the article's readers see now (None for a never published draft)."""
    if article.revision == 0:
        return None
    return ArticleRevision.objects.filter(article=article, number=article.revision).first()


def feedback_list(*, actor: Actor, article: Article | None = None) -> QuerySet[ArticleFeedback]:
    """Feedback on the articles the actor writes, newest first."""
    qs = ArticleFeedback.objects.filter(
        article__in=Article.objects.filter(_manage_q(actor)).values("pk")
    ).select_related("revision", "user", "article")
    if article is not None:
        qs = qs.filter(article=article)
    return qs.order_by("-created_at", "-pk")


def feedback_summary(*, actor: Actor, article: Article) -> dict[str, int]:
    """Yes and no answers to the article's current version, for its writers."""
    counts = (
        feedback_list(actor=actor, article=article)
        .filter(revision__number=article.revision)
        .aggregate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
    )
    return {"yes": counts["yes"] or 0, "no": counts["no"] or 0}


def own_feedback_get(*, actor: Actor, revision: ArticleRevision | None) -> ArticleFeedback | None:
    if revision is None or not getattr(actor, "is_authenticated", False):
        return None
    return ArticleFeedback.objects.filter(revision=revision, user_id=actor.pk).first()


def deflection_list(*, actor: Actor) -> QuerySet[Deflection]:
    """Deflections: a person's own, and all of the cooperations where the actor writes articles
    (the service desk's deflection rate counts them)."""
    own = Q(user_id=getattr(actor, "pk", None))
    if permissions.is_superuser(actor):
        scope = Q()
    else:
        scope = own | Q(cooperation_id__in=_cooperations(actor, actions.MANAGE_ARTICLES))
    return (
        Deflection.objects.filter(scope)
        .select_related("article", "municipality", "user")
        .order_by("-occurred_at", "-pk")
    )


def area_choice_list(*, actor: Actor) -> QuerySet[ServiceArea]:
    """The catalogue's service areas the actor may file articles under."""
    return ServiceArea.objects.filter(catalogue_q(actor), is_active=True).order_by(
        "sort_order", "name"
    )


def municipality_choice_list(*, actor: Actor) -> QuerySet[OrgNode]:
    """Member municipalities of the cooperations where the actor writes articles."""
    from itfabrik.tenancy.choices import NodeKind

    qs = OrgNode.objects.filter(kind=NodeKind.MUNICIPALITY, is_active=True)
    if not permissions.is_superuser(actor):
        qs = qs.filter(cooperation_id__in=_cooperations(actor, actions.MANAGE_ARTICLES))
    return qs.order_by("name")


def actor_municipality_get(actor: Actor) -> OrgNode | None:
    """The municipality the person works in (their workplace's), for deflection counts."""
    unit = getattr(actor, "home_unit", None)
    if unit is None:
        return None
    if unit.municipality_id is not None:
        return unit.municipality
    from itfabrik.tenancy.choices import NodeKind

    return unit if unit.kind == NodeKind.MUNICIPALITY else None
