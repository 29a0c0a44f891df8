"""The accessibility statement and its report form (DOS-lagen): open to everyone, reports
stored, audited and mailed on only to the configured address, anonymous senders throttled."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from itfabrik.accessibility import services
from itfabrik.accessibility.models import AccessibilityReport
from itfabrik.core.models import AuditEntry


def test_the_public_address_is_unchanged() -> None:
    # Links in printed material and other sites point here: the move to its own app kept it.
    assert reverse("accessibility:report") == "/tillganglighet/"


def test_anonymous_can_report_an_accessibility_problem(
    web_as: Any, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = web_as(None)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/tillganglighet/",
            {"page_url": "/organisation/", "description": "Tabellen läses inte upp."},
            follow=True,
        )
    assert r.redirect_chain == [("/tillganglighet/", 302)]
    report = AccessibilityReport.objects.get()
    assert report.description == "Tabellen läses inte upp."
    assert report.reporter is None
    assert len(mail.outbox) == 1
    assert "/organisation/" in mail.outbox[0].subject


def test_accessibility_report_without_description_is_refused(web_as: Any, demo: Any) -> None:
    r = web_as(None).post("/tillganglighet/", {"description": ""})
    assert r.status_code == 200
    assert "description" in r.context["form"].errors
    assert not AccessibilityReport.objects.exists()
    assert mail.outbox == []


def test_anonymous_accessibility_reports_are_throttled_per_address(
    web_as: Any, demo: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 6, point 7: each report sends a mail, so an anonymous sender gets a few an hour."""
    cache.clear()
    settings.ITFABRIK_REPORT_LIMIT = 2
    client = web_as(None)
    post = {"page_url": "/", "description": "Kontrasten är för låg."}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post("/tillganglighet/", post).status_code == 302
        refused = client.post("/tillganglighet/", post)
        english = client.post("/tillganglighet/", post, HTTP_ACCEPT_LANGUAGE="en")
        # Another address, and a signed-in user, are not held back by this one.
        other = client.post("/tillganglighet/", post, REMOTE_ADDR="198.51.100.9")
        signed_in = web_as("anvandare-bengtsfors").post("/tillganglighet/", post)
    assert refused.status_code == 429
    assert "Du har skickat många rapporter på kort tid" in refused.content.decode()
    assert settings.ACCESSIBILITY_CONTACT_EMAIL in refused.content.decode()
    assert english.status_code == 429
    assert "many reports" in english.content.decode()
    assert other.status_code == 302
    assert signed_in.status_code == 302
    assert AccessibilityReport.objects.count() == 4
    assert len(mail.outbox) == 4


def test_accessibility_report_without_a_configured_address_is_kept_not_mailed(
    client: Any, demo: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    page = client.get("/tillganglighet/").content.decode()
    assert "@localhost" not in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/tillganglighet/", {"description": "Knappen saknar namn"}, follow=True)
    assert "Tack! Din rapport är mottagen." in r.content.decode()
    assert "skickas vidare" not in r.content.decode()
    report = AccessibilityReport.objects.get()
    assert report.forwarded_at is None
    assert mail.outbox == []
    assert services.report_forward(report_id=report.pk) is False
    assert mail.outbox == []


def test_accessibility_report_goes_to_the_configured_address(
    client: Any, demo: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@dalsland.example"
    assert "tillganglighet@dalsland.example" in client.get("/tillganglighet/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tillganglighet/", {"description": "Knappen saknar namn"})
    assert [m.to for m in mail.outbox] == [["tillganglighet@dalsland.example"]]


def test_the_default_address_is_not_made_up() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "ITFABRIK_ACCESSIBILITY_EMAIL"}
    env["DJANGO_SETTINGS_MODULE"] = "itfabrik.config.settings.dev"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(repr(settings.ACCESSIBILITY_CONTACT_EMAIL))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "''"


def test_accessibility_report_with_newline_in_page_url_is_forwarded(
    demo, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tillganglighet/",
            {"description": "Knappen saknar namn", "page_url": "/organisation/\nBcc: x@y"},
        )
    assert response.status_code == 302  # "Tack! ... skickas vidare."
    report = AccessibilityReport.objects.get(description="Knappen saknar namn")
    assert report.forwarded_at is not None
    assert len(mail.outbox) == 1


def test_anonymous_report_is_not_audited_as_system(demo, client):
    client.post("/tillganglighet/", {"description": "Kontrasten är för låg"})
    entry = AuditEntry.objects.get(object_type="accessibility.accessibilityreport")
    assert entry.actor_repr != "system"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_long_field_gets_a_counter_text_in_the_page_language(
    client: Any, demo: Any, lang: str
) -> None:
    page = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'data-maxlength="5000"' in page
    assert ("{n} av {max} tecken" if lang == "sv" else "{n} of {max} characters") in page
