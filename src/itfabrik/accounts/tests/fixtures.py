"""The accounts app's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_as(db: Any) -> Callable[[str | None], APIClient]:
    """An API client authenticated with a real token of a demo user (None: anonymous)."""
    from rest_framework.authtoken.models import Token

    from itfabrik.accounts.models import User

    def make(username: str | None) -> APIClient:
        client = APIClient()
        if username is not None:
            # Set-up, not the behaviour under test: no audit row for the token.
            token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def web_as(db: Any, client: Any) -> Callable[[str | None], Any]:
    """A Django test client logged in as a demo user (None: anonymous)."""
    from itfabrik.accounts.models import User

    def make(username: str | None) -> Any:
        if username is not None:
            client.force_login(User.objects.get(username=username))
        return client

    return make
