"""Issue 13, the shared parts: every constraint has a message, the API docs explain the token.
(The accessibility reports and the long-field counter on their form: accessibility/tests.)"""

from __future__ import annotations

from typing import Any

from django.apps import apps
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
