"""Identity's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture
def ident(demo: Any) -> Any:
    """Shortcuts into the identity demo: `hire()` makes a new person employed in a unit."""
    from django.utils import timezone

    from itfabrik.identity import services
    from itfabrik.identity.models import BusinessRole

    class Ident:
        admin = demo.user("admin")
        mellerud = demo.node("Melleruds kommun")
        bengtsfors = demo.node("Bengtsfors kommun")
        hemtjanst = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
        today = timezone.localdate()

        @classmethod
        def role(cls, name: str = "Undersköterska hemtjänst", municipality: Any = None) -> Any:
            return BusinessRole.objects.get(municipality=municipality or cls.mellerud, name=name)

        @classmethod
        def hire(
            cls,
            first: str = "Åke",
            last: str = "Ström",
            *,
            unit: Any = None,
            role: Any = "default",
            start: dt.date | None = None,
            personal_number: str = "",
            actor: Any = None,
        ) -> Any:
            actor = actor or cls.admin
            unit = unit or cls.hemtjanst
            person = services.person_create(
                actor=actor, home=unit, first_name=first, last_name=last,
                personal_number=personal_number,
            )  # fmt: skip
            return services.employment_create(
                actor=actor,
                person=person,
                unit=unit,
                title="Undersköterska",
                start=start or cls.today,
                business_role=cls.role() if role == "default" else role,
            )

    return Ident()


@pytest.fixture
def scim(demo: Any) -> Any:
    """A SCIM client of the demo cooperation: Django's test client with a fresh bearer token
    (`scim.token`), JSON bodies and the SCIM content type. `scim.as_token(secret)` gives one
    with another token."""
    from django.test import Client

    from itfabrik.core.actors import SYSTEM
    from itfabrik.identity.services import provisioning

    class Scim:
        base = "/scim/v2"

        def __init__(self, secret: str) -> None:
            self.secret = secret
            self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

        def as_token(self, secret: str) -> Any:
            return Scim(secret)

        def _url(self, path: str) -> str:
            return path if path.startswith("/") else f"{self.base}/{path}"

        def get(self, path: str, **params: Any) -> Any:
            return self.client.get(self._url(path), params)

        def _send(self, method: str, path: str, body: Any, headers: Any) -> Any:
            import json

            data = body if isinstance(body, str | bytes) else json.dumps(body)
            return getattr(self.client, method)(
                self._url(path), data, content_type="application/scim+json",
                headers=headers or {},
            )  # fmt: skip

        def post(self, path: str, body: Any, headers: Any = None) -> Any:
            return self._send("post", path, body, headers)

        def put(self, path: str, body: Any, headers: Any = None) -> Any:
            return self._send("put", path, body, headers)

        def patch(self, path: str, body: Any, headers: Any = None) -> Any:
            return self._send("patch", path, body, headers)

        def delete(self, path: str, headers: Any = None) -> Any:
            return self.client.delete(self._url(path), headers=headers or {})

    token, secret = provisioning.scim_token_create(
        actor=SYSTEM, cooperation=demo.cooperation, name="Entra ID"
    )
    client = Scim(secret)
    client.token = token  # type: ignore[attr-defined]
    return client
