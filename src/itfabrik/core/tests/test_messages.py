"""Issue 13, the shared parts: every constraint has a message, the API docs explain the token,
accessibility reports go only to a configured address, long fields count their characters."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import models

from itfabrik.core import constraints

OUR_APPS = ("core", "tenancy", "accounts")


def test_every_constraint_of_our_models_has_a_readable_message() -> None:
    names = {
        c.name
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint | models.CheckConstraint)
    }
    assert names, "no constraints found"
    registered = constraints.registered()
    assert names - set(registered) == set(), "constraints without a message"
    for name in names:
        model = next(
            m
            for app in OUR_APPS
            for m in apps.get_app_config(app).get_models()
            if any(c.name == name for c in m._meta.constraints)
        )
        field = registered[name].field
        model._meta.get_field(field)  # attached to a real field of the model


def test_api_description_says_how_to_get_and_send_a_token(client: Any) -> None:
    schema = client.get("/api/schema/?format=json").json()
    text = schema["info"]["description"]
    assert "/konto/api-nyckel/" in text
    assert "POST /api/v1/auth/token/" in text
    assert "Authorization: Token" in text
    assert "Bearer" in text  # … and that Bearer is not it
    # Only the token under "Authorize": the session is explained in the text, not offered.
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth"}


def test_accessibility_report_without_a_configured_address_is_kept_not_mailed(
    client: Any, demo: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from itfabrik.core import services
    from itfabrik.core.models import AccessibilityReport

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
    assert services.accessibility_report_forward(report_id=report.pk) is False
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


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_long_field_gets_a_counter_text_in_the_page_language(
    client: Any, demo: Any, lang: str
) -> None:
    page = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'data-maxlength="5000"' in page
    assert ("{n} av {max} tecken" if lang == "sv" else "{n} of {max} characters") in page
