"""The knowledge base's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def kb(demo: Any) -> Any:
    """The demo knowledge base by title, its service areas, and the demo users."""
    from itfabrik.catalog.models import ServiceArea
    from itfabrik.knowledge.models import Article

    class KnowledgeBase:
        cooperation = demo.cooperation
        articles = {a.title: a for a in Article.objects.filter(cooperation=demo.cooperation)}
        areas = {a.name: a for a in ServiceArea.objects.filter(cooperation=demo.cooperation)}

        @staticmethod
        def user(username: str) -> Any:
            return demo.user(username)

        @staticmethod
        def node(name: str, municipality: str | None = None) -> Any:
            return demo.node(name, municipality)

        @classmethod
        def article(cls, title: str) -> Any:
            return Article.objects.get(pk=cls.articles[title].pk)

    return KnowledgeBase()
