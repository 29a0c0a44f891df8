"""Changes of accounts and role assignments: typed, atomic, audited.

One module per aggregate (users, their credentials, their role assignments); everything a
caller uses is re-exported here, so `from itfabrik.accounts import services` stays the way in.
"""

from .assignments import (
    END_IN_THE_PAST,
    END_REFUSED,
    GRANT_OUTLASTS_OWN,
    GRANT_REFUSED,
    role_assign,
    role_assign_by_ids,
    role_assign_check,
    role_grant_refused,
    role_revoke,
)
from .credentials import (
    WITHDRAWN_DEACTIVATED,
    WITHDRAWN_FOR_STAFF_ROLE,
    WITHDRAWN_PASSWORD,
    WITHDRAWN_TWO_FACTOR_OFF,
    WITHDRAWN_TWO_FACTOR_ON,
    credential_event,
    requires_two_factor,
    token_issue,
    token_rotate,
    tokens_withdraw,
    two_factor_disable,
    two_factor_enabled,
    user_link_oidc,
    user_set_password,
)
from .users import (
    RESERVED_USERNAMES,
    USER_EDITABLE_FIELDS,
    USERNAME_TAKEN,
    USERNAME_UNAVAILABLE,
    user_create,
    user_create_check,
    user_deactivate,
    user_set_language,
    user_update,
)

__all__ = [
    "END_IN_THE_PAST",
    "END_REFUSED",
    "GRANT_OUTLASTS_OWN",
    "GRANT_REFUSED",
    "RESERVED_USERNAMES",
    "USERNAME_TAKEN",
    "USERNAME_UNAVAILABLE",
    "USER_EDITABLE_FIELDS",
    "WITHDRAWN_DEACTIVATED",
    "WITHDRAWN_FOR_STAFF_ROLE",
    "WITHDRAWN_PASSWORD",
    "WITHDRAWN_TWO_FACTOR_OFF",
    "WITHDRAWN_TWO_FACTOR_ON",
    "credential_event",
    "requires_two_factor",
    "role_assign",
    "role_assign_by_ids",
    "role_assign_check",
    "role_grant_refused",
    "role_revoke",
    "token_issue",
    "token_rotate",
    "tokens_withdraw",
    "two_factor_disable",
    "two_factor_enabled",
    "user_create",
    "user_create_check",
    "user_deactivate",
    "user_link_oidc",
    "user_set_language",
    "user_set_password",
    "user_update",
]
