"""Signing in to itfabrik with OpenID Connect, matched to the provisioned account (issue 10,
point 9): the token names an account of the shared tenant (Entra ID's object id, which SCIM
provisioning stores as the account's externalId, or the sign-in name, which is its userName);
the person using that account signs in with their itfabrik login. A disabled or removed account
stops the sign-in even where the login's e-mail address would match."""

from __future__ import annotations

from typing import Any

from itfabrik.accounts.oidc import REFUSE
from itfabrik.identity import selectors
from itfabrik.identity.choices import AccountStatus


def match_provisioned_account(claims: dict[str, Any]) -> Any:
    account = selectors.sign_in_account_get(
        object_id=str(claims.get("oid") or "").strip(),
        names=[str(claims.get(k) or "") for k in ("upn", "preferred_username", "email")],
    )
    if account is None:
        return None
    if account.status != AccountStatus.ACTIVE or account.removed_on is not None:
        return REFUSE
    person = account.person
    return person.user if person is not None and person.user_id is not None else None
