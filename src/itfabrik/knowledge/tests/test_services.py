"""Articles, versions, feedback and deflections through the services: audited, versioned,
refused writes change nothing, bad input names the field."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.knowledge import selectors, services
from itfabrik.knowledge.choices import ArticleStatus, Audience
from itfabrik.knowledge.models import ArticleFeedback, ArticleRevision, Deflection


def _new(kb: Any, actor: Any = SYSTEM, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "cooperation": kb.cooperation,
        "area": kb.areas["IT-arbetsplats"],
        "title": "Skärmen flimrar",
        "summary": "Vad du gör när skärmen flimrar.",
        "body": "Byt skärmkabel.",
    }
    values.update(kwargs)
    return services.article_create(actor=actor, **values)


def test_create_draft_then_publish_keeps_version_one(kb: Any) -> None:
    agent = kb.user("agent")
    article = _new(kb, agent)
    assert article.status == ArticleStatus.DRAFT
    assert article.revision == 0
    assert article.owner == agent
    assert not ArticleRevision.objects.filter(article=article).exists()
    assert AuditEntry.objects.filter(
        object_type="knowledge.article", object_id=str(article.pk), action="create", actor=agent
    ).exists()

    published = services.article_publish(
        actor=agent, article=article, expected_version=article.version
    )
    assert published.status == ArticleStatus.PUBLISHED
    assert published.revision == 1
    rev = ArticleRevision.objects.get(article=article)
    assert (rev.number, rev.title, rev.body, rev.published_by) == (
        1,
        "Skärmen flimrar",
        "Byt skärmkabel.",
        agent,
    )


def test_an_edit_of_a_published_article_is_a_new_version_and_keeps_the_old_text(kb: Any) -> None:
    article = kb.article("Byta lösenord")
    old_body = article.body
    updated = services.article_update(
        actor=kb.user("agent"),
        article=article,
        expected_version=article.version,
        body=old_body + "\n\nLösenordet får inte vara ett du använt förut.",
    )
    assert updated.revision == 2
    assert updated.version == article.version + 1
    revisions = list(
        selectors.revision_list(actor=kb.user("anvandare-fargelanda"), article=updated)
    )
    assert [r.number for r in revisions] == [2, 1]
    assert revisions[1].body == old_body
    assert revisions[0].body.endswith("använt förut.")
    entry = AuditEntry.objects.filter(
        object_type="knowledge.article", object_id=str(article.pk), action="update"
    ).latest("occurred_at")
    assert entry.before["body"] == old_body
    assert "body" in entry.changed_fields


def test_an_edit_that_changes_no_text_is_no_new_version(kb: Any) -> None:
    article = kb.article("Byta lösenord")
    updated = services.article_update(
        actor=kb.user("agent"),
        article=article,
        expected_version=article.version,
        area=kb.areas["IT-arbetsplats"],
    )
    assert updated.revision == 1
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_a_stale_edit_is_refused_and_changes_nothing(kb: Any) -> None:
    article = kb.article("Byta lösenord")
    services.article_update(
        actor=kb.user("agent"), article=article, expected_version=article.version, title="Nytt"
    )
    before = db_state()
    with pytest.raises(Conflict):
        services.article_update(
            actor=kb.user("tekniker"),
            article=article,
            expected_version=article.version,
            title="Annat",
        )
    assert_unchanged(before)


def test_archive_hides_the_article_from_readers_but_keeps_it(kb: Any) -> None:
    article = kb.article("Byta lösenord")
    services.article_archive(
        actor=kb.user("agent"), article=article, expected_version=article.version
    )
    with pytest.raises(NotFound):
        selectors.article_get(actor=kb.user("anvandare-fargelanda"), pk=article.pk)
    kept = selectors.article_get(actor=kb.user("agent"), pk=article.pk)
    assert kept.status == ArticleStatus.ARCHIVED
    with pytest.raises(ValidationFailed) as exc:
        services.article_archive(
            actor=kb.user("agent"), article=kept, expected_version=kept.version
        )
    assert "status" in exc.value.fields
    again = services.article_publish(
        actor=kb.user("agent"), article=kept, expected_version=kept.version
    )
    # The same text as the last published version: no new version.
    assert again.status == ArticleStatus.PUBLISHED
    assert again.revision == 1


@pytest.mark.parametrize(
    ("username", "error"),
    [
        ("anvandare-fargelanda", Forbidden),
        ("ekonom", Forbidden),
        ("bestallare-mellerud", Forbidden),
    ],
)
def test_readers_may_not_write(kb: Any, username: str, error: type[Exception]) -> None:
    actor = kb.user(username)
    article = kb.article("Byta lösenord")
    before = db_state()
    with pytest.raises(error):
        _new(kb, actor)
    with pytest.raises(error):
        services.article_update(
            actor=actor, article=article, expected_version=article.version, title="X"
        )
    with pytest.raises(error):
        services.article_archive(actor=actor, article=article, expected_version=article.version)
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"title": "x" * 201}, "title"),
        ({"audience": Audience.MUNICIPALITY}, "municipality"),
        ({"audience": "alla"}, "audience"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    kb: Any, changes: dict[str, Any], field: str
) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        _new(kb, kb.user("agent"), **changes)
    assert field in exc.value.fields, exc.value.fields
    assert_unchanged(before)


def test_municipality_must_be_a_municipality_and_only_for_that_audience(kb: Any) -> None:
    agent = kb.user("agent")
    unit = kb.node("Hemtjänst norr", "Melleruds kommun")
    with pytest.raises(ValidationFailed) as exc:
        _new(kb, agent, audience=Audience.MUNICIPALITY, municipality=unit)
    assert "municipality" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        _new(kb, agent, audience=Audience.EVERYONE, municipality=kb.node("Melleruds kommun"))
    assert "municipality" in exc.value.fields


def test_feedback_once_per_person_and_version(kb: Any) -> None:
    user = kb.user("anvandare-fargelanda")
    article = kb.article("Teams-möte utan ljud")
    first = services.feedback_give(actor=user, article=article, helpful=False, comment=" Nej ")
    assert (first.helpful, first.comment, first.revision.number) == (False, "Nej", 1)
    again = services.feedback_give(actor=user, article=article, helpful=True)
    assert again.pk == first.pk
    assert again.helpful is True
    assert ArticleFeedback.objects.filter(article=article, user=user).count() == 1
    # A new version asks again.
    services.article_update(
        actor=SYSTEM, article=article, expected_version=article.version, body="Ny text."
    )
    services.feedback_give(actor=user, article=article, helpful=True)
    assert ArticleFeedback.objects.filter(article=article, user=user).count() == 2
    summary = selectors.feedback_summary(actor=kb.user("agent"), article=kb.article(article.title))
    assert summary == {"yes": 1, "no": 0}


def test_feedback_and_deflection_need_an_article_the_person_reads(kb: Any) -> None:
    user = kb.user("anvandare-fargelanda")
    before = db_state()
    for title in ("Hemtjänstens mobiler i Mellerud", "Återställa MFA åt en användare",
                  "Skärmen är svart efter dockning", "Faxa från kontoret"):  # fmt: skip
        with pytest.raises(NotFound):
            services.feedback_give(actor=user, article=kb.article(title), helpful=True)
        with pytest.raises(NotFound):
            services.deflection_record(actor=user, article=kb.article(title), query="x")
    assert_unchanged(before)


def test_deflection_records_person_municipality_query_and_article(kb: Any) -> None:
    user = kb.user("anvandare-fargelanda")
    article = kb.article("Skrivaren skriver inte ut")
    d = services.deflection_record(actor=user, article=article, query="  skrivare   skriver ")
    d = Deflection.objects.select_related("municipality").get(pk=d.pk)
    assert d.user == user
    assert d.municipality is not None
    assert d.municipality.name == "Färgelanda kommun"
    assert d.query == "skrivare skriver"
    assert d.article == article
    assert d.occurred_at is not None
    assert list(selectors.deflection_list(actor=user)) == [d]
    # Clicked twice: still one solved problem.
    assert services.deflection_record(actor=user, article=article, query="skrivare").pk == d.pk
    assert Deflection.objects.filter(user=user).count() == 1
    assert d in selectors.deflection_list(actor=kb.user("agent"))
    assert not selectors.deflection_list(actor=kb.user("anvandare-bengtsfors")).exists()
