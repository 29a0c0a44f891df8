"""Signing in with OpenID Connect is matched to the provisioned account (issue 10, point 9): the
token's object id (SCIM's externalId) or sign-in name (the account's userName) finds the person,
and the person's itfabrik login signs in; a disabled account stops the sign-in even where the
login's e-mail address matches."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from itfabrik.accounts.tests.test_oidc import ISSUER, OIDC_ENV

pytestmark = pytest.mark.django_db


@pytest.fixture
def provisioned(demo: Any) -> Any:
    """A standard account in Färgelanda whose person uses the login `anvandare-fargelanda`."""
    from itfabrik.identity.choices import AccountKind, AccountStatus
    from itfabrik.identity.models import Account, Person

    user = demo.user("anvandare-fargelanda")
    account = (
        Account.objects.filter(
            kind=AccountKind.STANDARD,
            status=AccountStatus.ACTIVE,
            municipality__name="Färgelanda kommun",
            person__isnull=False,
        )
        .select_related("person")
        .order_by("pk")
        .first()
    )
    assert account is not None
    assert account.username.lower() != user.email.lower()
    Person.objects.filter(pk=account.person_id).update(user=user)
    Account.objects.filter(pk=account.pk).update(external_id="entra-obj-42")
    account.refresh_from_db()
    return account


def _signed_in(claims: dict[str, Any]) -> Any:
    from itfabrik.accounts.oidc import OIDCBackend

    with override_settings(
        **OIDC_ENV, OIDC_RP_SIGN_ALGO="RS256", OIDC_CREATE_USER=False, OIDC_OP_ISSUER=ISSUER
    ):
        backend = OIDCBackend()
        users = list(backend.filter_users_by_claims(claims))
        if len(users) != 1:
            return None
        return backend.update_user(users[0], claims)


def test_the_sign_in_name_finds_the_person_behind_the_provisioned_account(provisioned: Any):
    from itfabrik.accounts.models import User

    user = _signed_in({"oid": "obj-new", "upn": provisioned.username.upper()})
    assert user is not None
    assert user.username == "anvandare-fargelanda"
    stored = User.objects.get(pk=user.pk)
    assert (stored.oidc_issuer, stored.oidc_subject) == (ISSUER, "obj-new")


def test_the_object_id_provisioned_as_external_id_finds_the_person(provisioned: Any):
    user = _signed_in({"oid": "entra-obj-42", "upn": "someone.else@example.se"})
    assert user is not None
    assert user.username == "anvandare-fargelanda"


def test_a_disabled_account_stops_the_sign_in_even_by_the_address(provisioned: Any):
    from itfabrik.identity.choices import AccountStatus
    from itfabrik.identity.models import Account

    Account.objects.filter(pk=provisioned.pk).update(status=AccountStatus.DISABLED)
    email = provisioned.person.user.email
    assert _signed_in({"oid": "entra-obj-42", "email": email}) is None
    assert _signed_in({"oid": "obj-x", "upn": provisioned.username, "email": email}) is None


def test_a_person_without_a_login_falls_back_to_the_address(provisioned: Any):
    from itfabrik.identity.models import Person

    Person.objects.filter(pk=provisioned.person_id).update(user=None)
    assert _signed_in({"oid": "entra-obj-42"}) is None
    user = _signed_in({"oid": "entra-obj-42", "email": "agent@itfabrik.example"})
    assert user is not None
    assert user.username == "agent"


def test_a_login_tied_to_another_identity_is_not_handed_over(provisioned: Any):
    from itfabrik.accounts.models import User

    User.objects.filter(pk=provisioned.person.user_id).update(
        oidc_issuer=ISSUER, oidc_subject="the-real-one"
    )
    assert _signed_in({"oid": "intruder", "upn": provisioned.username}) is None


def test_an_ambiguous_name_signs_nobody_in(provisioned: Any):
    from itfabrik.identity.selectors import sign_in_account_get

    assert sign_in_account_get(object_id="", names=[]) is None
    assert sign_in_account_get(object_id="", names=[provisioned.username]) == provisioned
    other = (
        type(provisioned)
        .objects.exclude(pk=provisioned.pk)
        .filter(person__isnull=False, kind="standard")
        .first()
    )
    assert sign_in_account_get(object_id="", names=[provisioned.username, other.username]) is None
