"""The chat's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest

# Monday 2 March 2026 10:00 in Stockholm: "Servicedesk Dalsland" is open (Mon–Fri 08:00–16:30).
OPEN_NOW = "2026-03-02T10:00:00+01:00"
# Friday 6 March 2026 17:00: closed until Monday 9 March 08:00.
CLOSED_NOW = "2026-03-06T17:00:00+01:00"


@pytest.fixture
def chat(demo: Any, settings: Any) -> Any:
    """The chat with its clock fixed inside opening hours (ITFABRIK_CHAT_NOW), streams that end
    at once, and helpers: clients per user, a started conversation."""
    from django.test import Client

    from itfabrik.chat import services

    settings.ITFABRIK_CHAT_NOW = OPEN_NOW
    settings.ITFABRIK_CHAT_STREAM_SECONDS = 0
    settings.ITFABRIK_CHAT_POLL_SECONDS = 0

    class Chat:
        fia = demo.user("anvandare-fargelanda")
        bjorn = demo.user("anvandare-bengtsfors")
        agent = demo.user("agent")
        admin = demo.user("admin")
        tekniker = demo.user("tekniker")

        @staticmethod
        def client(username: str) -> Any:
            c = Client()
            c.force_login(demo.user(username))
            return c

        @staticmethod
        def start(user: Any = None, body: str = "Outlook startar inte\nDet hänger sig.") -> Any:
            return services.conversation_start(actor=user or Chat.fia, body=body)

        @staticmethod
        def close(at: str = CLOSED_NOW) -> None:
            settings.ITFABRIK_CHAT_NOW = at

    return Chat()
