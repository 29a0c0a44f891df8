"""scim2-tester's compliance checks against /scim/v2/, in process (ADR 0038).

scim2-client's WSGI engine calls Django's WSGI handler directly, inside the test's transaction:
Django's per-request connection clean-up is switched off for the test, as Django's own test
client does, so the requests see (and roll back with) the test's data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_process() -> Iterator[None]:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _client(secret: str) -> Any:
    from django.core.handlers.wsgi import WSGIHandler
    from scim2_client.engines.wsgi import WSGISCIMClient

    return WSGISCIMClient(
        WSGIHandler(),
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_scim2_tester_finds_no_failed_check(scim: Any, in_process: None) -> None:
    from scim2_tester import Status, check_server

    client = _client(scim.secret)
    client.check_response_status_codes = True
    client.check_response_content_type = True
    results = check_server(client)
    assert len(results) > 20
    failed = [
        f"{r.status.name} {r.title} [{r.resource_type}]: {r.reason}"
        for r in results
        if r.status != Status.SUCCESS
    ]
    assert not failed, "\n".join(failed)
