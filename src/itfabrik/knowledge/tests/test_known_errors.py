"""Known errors in the knowledge base (docs/adr/0039): one article per problem reference,
republishing updates it, "fixed" is shown on the article, readers find it in the help search."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from itfabrik.core.errors import Forbidden, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.knowledge import hooks, selectors, services
from itfabrik.knowledge.choices import ArticleKind, ArticleStatus, Audience
from itfabrik.knowledge.models import Article, ArticleRevision

pytestmark = pytest.mark.django_db


def _publish(kb: Any, actor: Any = None, **kwargs: Any) -> Article:
    values: dict[str, Any] = {
        "cooperation": kb.cooperation,
        "reference": "SD-2026-09999",
        "area": kb.areas["IT-arbetsplats"],
        "title": "Skrivarna i Mellerud tappar jobb",
        "summary": "Utskrifter försvinner ur kön.",
        "body": "Skriv ut via den gemensamma kön **Follow-me** tills felet är åtgärdat.",
    }
    values.update(kwargs)
    return services.known_error_publish(actor=actor or kb.user("tekniker"), **values)


def test_publish_creates_one_known_error_article_and_republish_updates_it(kb: Any) -> None:
    article = _publish(kb)
    assert article.kind == ArticleKind.KNOWN_ERROR
    assert article.source_reference == "SD-2026-09999"
    assert article.status == ArticleStatus.PUBLISHED
    assert article.revision == 1
    assert AuditEntry.objects.filter(
        object_type="knowledge.article", object_id=str(article.pk), action="create"
    ).exists()

    again = _publish(kb, body="Använd Follow-me-kön. Skrivardrivrutinen 4.2 rättar felet.")
    assert again.pk == article.pk
    assert again.revision == 2
    # Without the article in hand the reference finds it: still one article.
    third = _publish(kb, reference="sd-2026-09999", body=again.body)
    assert third.pk == article.pk
    assert third.revision == 2  # same text: no new version
    assert Article.objects.filter(source_reference="SD-2026-09999").count() == 1
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_republishing_an_archived_known_error_publishes_it_again(kb: Any) -> None:
    article = _publish(kb)
    services.article_archive(actor=kb.user("tekniker"), article=article, expected_version=None)
    again = _publish(kb, article=Article.objects.get(pk=article.pk))
    assert again.pk == article.pk
    assert again.status == ArticleStatus.PUBLISHED


def test_publish_without_workaround_names_the_field_and_changes_nothing(kb: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        _publish(kb, body="   ", audience=Audience.MUNICIPALITY)
    assert set(exc.value.fields) == {"workaround", "audience"}
    assert str(exc.value.fields["workaround"][0]).startswith("Skriv den tillfälliga lösningen")
    assert_unchanged(before)


def test_an_ordinary_article_is_not_a_known_error(kb: Any) -> None:
    article = next(iter(kb.articles.values()))
    with pytest.raises(ValidationFailed):
        _publish(kb, article=article)
    with pytest.raises(ValidationFailed):
        services.known_error_set_fixed(
            actor=kb.user("tekniker"), article=article, fixed_at=timezone.now()
        )


def test_set_fixed_marks_and_unmarks_once(kb: Any) -> None:
    article = _publish(kb)
    now = timezone.now()
    fixed = services.known_error_set_fixed(actor=kb.user("tekniker"), article=article, fixed_at=now)
    assert fixed.fixed_at == now
    assert fixed.status == ArticleStatus.PUBLISHED  # kept readable: ADR 0039
    same = services.known_error_set_fixed(actor=kb.user("tekniker"), article=fixed, fixed_at=now)
    assert same.version == fixed.version
    reopened = services.known_error_set_fixed(
        actor=kb.user("tekniker"), article=fixed, fixed_at=None
    )
    assert reopened.fixed_at is None


def test_a_reader_cannot_publish(kb: Any) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        _publish(kb, actor=kb.user("anvandare-bengtsfors"))
    assert_unchanged(before)


def test_readers_find_the_known_error_in_the_help_search(kb: Any, web_as: Any) -> None:
    article = _publish(kb, title="Utskrifter försvinner ur skrivarkön")
    reader = kb.user("anvandare-fargelanda")
    found = selectors.article_list(actor=reader, q="skrivarkön", status=ArticleStatus.PUBLISHED)
    assert article in list(found)
    assert list(selectors.article_list(actor=reader, kind=ArticleKind.KNOWN_ERROR)) != []
    assert all(
        a.kind == ArticleKind.KNOWN_ERROR
        for a in selectors.article_list(actor=reader, kind=ArticleKind.KNOWN_ERROR)
    )

    client = web_as("anvandare-fargelanda")
    page = client.get("/hjalp/", {"q": "skrivarkön"}).content.decode()
    assert "Utskrifter försvinner ur skrivarkön" in page
    assert "Känt fel" in page
    only = client.get("/hjalp/", {"kind": "known_error"}).content.decode()
    assert "Utskrifter försvinner ur skrivarkön" in only
    assert "Alla hjälpartiklar" in only


def test_article_page_names_the_problem_and_shows_workaround_and_status(
    kb: Any, web_as: Any
) -> None:
    article = _publish(kb)
    client = web_as("anvandare-fargelanda")
    page = client.get(f"/hjalp/artiklar/{article.pk}/").content.decode()
    assert "Känt fel SD-2026-09999" in page
    assert "Follow-me" in page
    assert "Felet är känt och utreds" in page
    services.known_error_set_fixed(
        actor=kb.user("tekniker"), article=article, fixed_at=timezone.now()
    )
    page = client.get(f"/hjalp/artiklar/{article.pk}/").content.decode()
    assert "Åtgärdat" in page
    assert "Felet är åtgärdat sedan" in page


def test_article_source_hook(kb: Any) -> None:
    article = _publish(kb)
    saved = list(hooks._article_source)
    try:
        hooks.register_article_source(lambda request, a: ("Problem", f"/p/{a.source_reference}/"))
        assert hooks.article_source_link(None, article) == ("Problem", "/p/SD-2026-09999/")
        hooks._article_source.clear()
        assert hooks.article_source_link(None, article) is None
    finally:
        hooks._article_source[:] = saved


def test_english_page(kb: Any, web_as: Any) -> None:
    article = _publish(kb)
    client = web_as("anvandare-fargelanda")
    page = client.get(f"/hjalp/artiklar/{article.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Known error SD-2026-09999" in page
    assert "The error is known and being investigated" in page
