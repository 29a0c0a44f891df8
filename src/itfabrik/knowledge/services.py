"""Every change of the knowledge base: typed, keyword-only, atomic, audited, permission-checked.

An article the actor may not read is NotFound (404); one they read but may not write is
Forbidden (403); bad input is ValidationFailed naming the field; an edit of a version someone
else has already changed is Conflict (409). A refused call changes nothing.

Publishing (creating published, editing a published article, publishing a draft) writes the text
as a new `ArticleRevision`, so every text readers have seen is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.catalog.models import ServiceArea
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.services import create_audited, update_audited, update_versioned
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import search as fulltext
from . import selectors
from .choices import ArticleKind, ArticleStatus, Audience
from .models import QUERY_MAX, Article, ArticleFeedback, ArticleRevision, Deflection

TEXT_FIELDS = ("title", "summary", "body")
DEFLECTION_REPEAT_WINDOW = dt.timedelta(minutes=10)
ARTICLE_FIELDS = {"title", "summary", "body", "area", "audience", "municipality", "owner"}


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _scope(article: Article) -> str:
    """The audit scope: the municipality of a municipality article, else the cooperation."""
    if article.municipality_id is not None:
        return article.municipality.path  # type: ignore[union-attr]
    root = article.cooperation.root
    return root.path if root is not None else ""


def _require_manage(actor: Actor, cooperation: Cooperation) -> None:
    """404 when the actor has nothing to do with the cooperation's knowledge base, 403 when they
    read it but may not write it."""
    if permissions.is_superuser(actor):
        return
    grants = permissions.grants(actor)
    if not any(g.cooperation_id == cooperation.pk for g in grants):
        raise NotFound()
    writers = {g.cooperation_id for g in permissions.grants_for(actor, actions.MANAGE_ARTICLES)}
    if cooperation.pk not in writers:
        raise Forbidden()


def _check_relations(
    *,
    cooperation: Cooperation,
    area: ServiceArea | None,
    audience: str,
    municipality: OrgNode | None,
    owner: Any,
) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if area is not None and area.cooperation_id != cooperation.pk:
        errors["area"] = [_("Tjänsteområdet hör till en annan samverkan.")]
    if municipality is not None and (
        municipality.kind != NodeKind.MUNICIPALITY or municipality.cooperation_id != cooperation.pk
    ):
        errors["municipality"] = [_("Välj en kommun i samverkan.")]
    if audience == Audience.MUNICIPALITY and municipality is None:
        errors["municipality"] = [_("Ange vilken kommun artikeln är för.")]
    if audience != Audience.MUNICIPALITY and municipality is not None:
        errors["municipality"] = [_("Kommun anges bara när målgruppen är en kommun.")]
    if owner is not None and not getattr(owner, "is_active", False):
        errors["owner"] = [_("Den ansvariga personen har inget aktivt konto.")]
    return errors


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _publish_revision(actor: Actor, article: Article) -> ArticleRevision:
    revision = ArticleRevision(
        article=article,
        number=article.revision,
        title=article.title,
        summary=article.summary,
        body=article.body,
        published_at=article.published_at or timezone.now(),
        published_by=_user(actor),
    )
    return create_audited(actor=actor, instance=revision, scope_path=_scope(article))


def _index(article: Article) -> None:
    fulltext.index_article(
        pk=article.pk, title=article.title, summary=article.summary, body=article.body
    )


@transaction.atomic
def article_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    area: ServiceArea,
    title: str,
    body: str,
    summary: str = "",
    audience: str = Audience.EVERYONE,
    municipality: OrgNode | None = None,
    owner: User | None = None,
    publish: bool = False,
    kind: str = ArticleKind.ARTICLE,
    source_reference: str = "",
) -> Article:
    """A new article, as a draft or published at once (then as version 1). Known errors are
    created by `known_error_publish`, which passes `kind` and `source_reference`."""
    _require_manage(actor, cooperation)
    errors = _check_relations(
        cooperation=cooperation,
        area=area,
        audience=audience,
        municipality=municipality,
        owner=owner,
    )
    now = timezone.now()
    article = Article(
        cooperation=cooperation,
        area=area,
        title=_clean_text(title),
        summary=_clean_text(summary),
        body=_clean_text(body),
        audience=audience,
        municipality=municipality,
        owner=owner if owner is not None else _user(actor),
        status=ArticleStatus.PUBLISHED if publish else ArticleStatus.DRAFT,
        revision=1 if publish else 0,
        published_at=now if publish else None,
        kind=kind,
        source_reference=source_reference,
    )
    create_audited(actor=actor, instance=article, scope_path=_scope(article), errors=errors)
    if publish:
        _publish_revision(actor, article)
    _index(article)
    return article


@transaction.atomic
def article_update(
    *, actor: Actor, article: Article, expected_version: int | None, **changes: Any
) -> Article:
    """Correct an article. An edit of the text of a published article publishes it as a new
    version; the earlier text stays as the version before."""
    _require_manage(actor, article.cooperation)
    unknown = set(changes) - ARTICLE_FIELDS
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    current = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    cleaned = {k: _clean_text(v) for k, v in changes.items()}
    errors = _check_relations(
        cooperation=article.cooperation,
        area=cleaned.get("area", current.area),
        audience=cleaned.get("audience", current.audience),
        municipality=cleaned.get("municipality", current.municipality),
        owner=cleaned.get("owner"),
    )
    if errors:
        raise ValidationFailed(fields=errors)
    new_text = any(k in cleaned and cleaned[k] != getattr(current, k) for k in TEXT_FIELDS)
    republish = new_text and current.status == ArticleStatus.PUBLISHED
    if republish:
        cleaned["revision"] = current.revision + 1
        cleaned["published_at"] = timezone.now()
    updated = update_versioned(
        actor=actor,
        instance=current,
        expected_version=None,
        changes=cleaned,
        scope_path=_scope(current),
    )
    if republish:
        _publish_revision(actor, updated)
    if new_text:
        _index(updated)
    return updated


@transaction.atomic
def article_publish(*, actor: Actor, article: Article, expected_version: int | None) -> Article:
    """Publish a draft, or an archived article again. Its text becomes a new version unless it
    is the same as the last published one."""
    _require_manage(actor, article.cooperation)
    current = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    if current.status == ArticleStatus.PUBLISHED:
        raise ValidationFailed(fields={"status": [_("Artikeln är redan publicerad.")]})
    last = selectors.current_revision_get(current)
    same_text = last is not None and all(
        getattr(last, f) == getattr(current, f) for f in TEXT_FIELDS
    )
    changes: dict[str, Any] = {"status": ArticleStatus.PUBLISHED}
    if not same_text:
        changes["revision"] = current.revision + 1
        changes["published_at"] = timezone.now()
    updated = update_versioned(
        actor=actor,
        instance=current,
        expected_version=None,
        changes=changes,
        scope_path=_scope(current),
    )
    if not same_text:
        _publish_revision(actor, updated)
    return updated


@transaction.atomic
def article_archive(*, actor: Actor, article: Article, expected_version: int | None) -> Article:
    """Take an article out of the help pages. It is kept, with its versions and feedback, and
    can be published again."""
    _require_manage(actor, article.cooperation)
    if article.status == ArticleStatus.ARCHIVED:
        raise ValidationFailed(fields={"status": [_("Artikeln är redan arkiverad.")]})
    return update_versioned(
        actor=actor,
        instance=article,
        expected_version=expected_version,
        changes={"status": ArticleStatus.ARCHIVED},
        scope_path=_scope(article),
    )


def _readable_published(actor: Actor, article: Article) -> ArticleRevision:
    """The current version of an article the actor reads, or NotFound."""
    article = selectors.article_get(actor=actor, pk=article.pk)
    if article.status != ArticleStatus.PUBLISHED:
        raise NotFound()
    revision = selectors.current_revision_get(article)
    if revision is None:
        raise NotFound()
    return revision


@transaction.atomic
def feedback_give(
    *, actor: Actor, article: Article, helpful: bool, comment: str = ""
) -> ArticleFeedback:
    """ "Hjälpte det här?" for the version the person reads. A second answer to the same version
    replaces the first (one per person and version)."""
    user = _user(actor)
    if user is None:
        raise Forbidden()
    revision = _readable_published(actor, article)
    comment = comment.strip()
    existing = (
        ArticleFeedback.objects.select_for_update().filter(revision=revision, user=user).first()
    )
    if existing is not None:
        return update_audited(
            actor=actor,
            instance=existing,
            changes={"helpful": helpful, "comment": comment},
            scope_path=_scope(article),
        )
    feedback = ArticleFeedback(
        article_id=revision.article_id,
        revision=revision,
        user=user,
        helpful=helpful,
        comment=comment,
    )
    try:
        return create_audited(actor=actor, instance=feedback, scope_path=_scope(article))
    except (IntegrityError, ValidationFailed) as exc:
        # Two submits at once: the other one's answer stands; tell this one nothing was lost.
        if ArticleFeedback.objects.filter(revision=revision, user=user).exists():
            raise Conflict() from exc
        raise


@transaction.atomic
def deflection_record(*, actor: Actor, article: Article, query: str = "") -> Deflection:
    """ "Det här löste mitt problem": the article answered the person without a ticket."""
    user = _user(actor)
    if user is None:
        raise Forbidden()
    revision = _readable_published(actor, article)
    query = " ".join(query.split())[:QUERY_MAX]  # what was typed: context, not a record to refuse
    # A double click or a resubmitted form is the same answer, not a second solved problem.
    recent = (
        Deflection.objects.select_for_update()
        .filter(
            user=user,
            article_id=revision.article_id,
            occurred_at__gte=timezone.now() - DEFLECTION_REPEAT_WINDOW,
        )
        .first()
    )
    if recent is not None:
        return recent
    deflection = Deflection(
        user=user,
        municipality=selectors.actor_municipality_get(user),
        cooperation_id=article.cooperation_id,
        article_id=revision.article_id,
        query=query,
    )
    return create_audited(actor=actor, instance=deflection, scope_path=_scope(article))


# --- known errors (ADR 0039) --------------------------------------------------------------------
# The service desk publishes a problem ticket's workaround here. The knowledge base keeps the
# article (its versions, search, audience); the service desk decides when, and holds the link
# to the article on the ticket. Republishing updates the same article, never a second one.

KNOWN_ERROR_AUDIENCES = (Audience.EVERYONE, Audience.STAFF)


@transaction.atomic
def known_error_publish(
    *,
    actor: Actor,
    cooperation: Cooperation,
    reference: str,
    area: ServiceArea,
    title: str,
    body: str,
    summary: str = "",
    audience: str = Audience.EVERYONE,
    article: Article | None = None,
) -> Article:
    """Publish (or publish again) the known error of the problem `reference`.

    With `article` (the one published before) its text is updated as a new version and an
    archived article is published again; without, the existing known-error article of the
    reference is reused if there is one, else a new one is created published. Either way one
    reference has one article.
    """
    reference = reference.strip().upper()
    errors: dict[str, list[Any]] = {}
    if not reference:
        errors["reference"] = [_("Ange problemets ärendenummer.")]
    if not _clean_text(body):
        errors["workaround"] = [_("Skriv den tillfälliga lösningen innan felet publiceras.")]
    if audience not in KNOWN_ERROR_AUDIENCES:
        errors["audience"] = [_("Ett känt fel publiceras för alla eller för personalen.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if article is None:
        article = (
            Article.objects.select_for_update()
            .filter(
                cooperation=cooperation, kind=ArticleKind.KNOWN_ERROR, source_reference=reference
            )
            .first()
        )
    if article is None:
        return article_create(
            actor=actor,
            cooperation=cooperation,
            area=area,
            title=title,
            body=body,
            summary=summary,
            audience=audience,
            publish=True,
            kind=ArticleKind.KNOWN_ERROR,
            source_reference=reference,
        )
    if article.kind != ArticleKind.KNOWN_ERROR or article.source_reference != reference:
        raise ValidationFailed(fields={"article": [_("Artikeln hör till ett annat känt fel.")]})
    updated = article_update(
        actor=actor,
        article=article,
        expected_version=None,
        title=title,
        summary=summary,
        body=body,
        area=area,
        audience=audience,
    )
    if updated.status != ArticleStatus.PUBLISHED:
        updated = article_publish(actor=actor, article=updated, expected_version=None)
    return updated


@transaction.atomic
def known_error_set_fixed(
    *, actor: Actor, article: Article, fixed_at: dt.datetime | None
) -> Article:
    """Say on the article that the error is fixed (the problem is resolved), or not any more
    (the problem was reopened). The article stays published: ADR 0039."""
    _require_manage(actor, article.cooperation)
    current = Article.objects.select_for_update().get(pk=article.pk)
    if current.kind != ArticleKind.KNOWN_ERROR:
        raise ValidationFailed(fields={"article": [_("Artikeln är inte ett känt fel.")]})
    if (current.fixed_at is None) == (fixed_at is None):
        return current
    return update_versioned(
        actor=actor,
        instance=current,
        expected_version=None,
        changes={"fixed_at": fixed_at},
        scope_path=_scope(current),
    )
