"""The SCIM tokens page (ADR 0038): the administrator creates a token (shown once), sees it
listed and revokes it; nobody else finds the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from itfabrik.identity.models import ScimToken

pytestmark = pytest.mark.django_db
URL = "/identitet/scim-nycklar/"


def test_admin_creates_lists_and_revokes_a_token(web_as: Any, demo: Any) -> None:
    client = web_as("admin")
    page = client.get(URL)
    assert page.status_code == 200
    assert "SCIM" in page.content.decode()
    r = client.post(URL, {"name": "Entra ID", "cooperation": demo.cooperation.pk})
    assert r.status_code == 200
    assert r["Cache-Control"] == "no-store"
    found = re.search(r'id="token-secret">(scim_[^<]+)<', r.content.decode())
    assert found is not None
    secret = found.group(1)
    token = ScimToken.objects.get(name="Entra ID")
    assert token.created_by == demo.user("admin")
    assert token.cooperation_id == demo.cooperation.pk
    assert secret not in token.token_hash
    scim = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert scim.get("/scim/v2/Users", {"count": 1}).status_code == 200
    listed = client.get(URL).content.decode()
    assert "Entra ID" in listed
    assert secret not in listed  # shown once only
    r = client.post(f"{URL}{token.pk}/aterkalla/")
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert scim.get("/scim/v2/Users").status_code == 401


def test_empty_name_is_refused(web_as: Any, demo: Any) -> None:
    r = web_as("admin").post(URL, {"name": " ", "cooperation": demo.cooperation.pk})
    assert r.status_code == 200
    assert 'id="token-secret"' not in r.content.decode()
    assert not ScimToken.objects.exists()


@pytest.mark.parametrize("username", ["agent", "tekniker", "ekonom", "sakerhet"])
def test_others_do_not_find_the_page_and_change_nothing(
    web_as: Any, demo: Any, scim: Any, username: str
) -> None:
    client = web_as(username)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"name": "x", "cooperation": demo.cooperation.pk}).status_code == 404
    assert client.post(f"{URL}{scim.token.pk}/aterkalla/").status_code == 404
    scim.token.refresh_from_db()
    assert scim.token.revoked_at is None
    assert ScimToken.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(client: Any) -> None:
    r = client.get(URL)
    assert r.status_code == 302
    assert "logga-in" in r["Location"]
