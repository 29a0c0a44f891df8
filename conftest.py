"""Shared fixtures. The Dalsland demo is loaded once per test database and every test runs in a
transaction rolled back afterwards, so each test starts from the same, realistic data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from itfabrik.demo import dalsland

DEMO_PASSWORD = dalsland.DEMO_PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        dalsland.load()


@pytest.fixture
def demo(db: Any) -> Any:
    """The loaded demo: handy lookups of nodes and users by name."""
    from itfabrik.accounts.models import User
    from itfabrik.tenancy.models import Cooperation, OrgNode

    class Demo:
        cooperation = Cooperation.objects.get(slug=dalsland.SLUG)

        @staticmethod
        def node(name: str, municipality: str | None = None) -> OrgNode:
            qs = OrgNode.objects.filter(name=name)
            if municipality:
                qs = qs.filter(municipality__name=municipality)
            return qs.get()

        @staticmethod
        def user(username: str) -> User:
            return User.objects.get(username=username)

    return Demo()


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
