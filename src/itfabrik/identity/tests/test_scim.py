"""SCIM 2.0 service provider (ADR 0038): discovery, users, groups, filters, PATCH, pagination,
ETags, bad input (SCIM errors that change nothing), audit actor and tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.models import AuditEntry
from itfabrik.identity.models import Account, Entitlement, Grant, Person

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def user_body(user_name: str = "anna.berg@mellerud.se", **more: Any) -> dict[str, Any]:
    return {
        "schemas": [USER],
        "userName": user_name,
        "name": {"givenName": "Anna", "familyName": "Berg"},
        "externalId": "e-anna",
        "active": True,
        **more,
    }


def assert_scim_error(r: Any, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/scim+json")
    body = r.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    if scim_type is not None:
        assert body.get("scimType") == scim_type, body
    return body


def counts() -> tuple[int, int, int, int, int]:
    return (
        Account.objects.count(),
        Person.objects.count(),
        Entitlement.objects.count(),
        Grant.objects.count(),
        AuditEntry.objects.count(),
    )


def test_smoke(scim: Any) -> None:
    r = scim.get("ServiceProviderConfig")
    assert r.status_code == 200, r.content
    r = scim.get("Users", count=2)
    assert r.status_code == 200
