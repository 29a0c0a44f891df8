"""The SCIM resources itfabrik serves, as scim2-models classes, and their building from the
database (ADR 0038).

The published schemas are the core User and Group schemas of RFC 7643, reduced to the attributes
itfabrik keeps (a service provider publishes what it supports): a client, and scim2-tester, see
exactly what a round trip preserves.

- User = an account (standard, privileged or external: one with a person) and its person:
  userName ↔ username, name.givenName/familyName ↔ the person's names, active ↔ status,
  externalId ↔ external_id, title ↔ the title of the current employment, phoneNumbers (one,
  of type work) ↔ work_phone; displayName, emails (the addresses the naming policy made) and
  groups are read-only. The enterprise extension's organization and department are kept as
  sent (provider_organization/department) and place the person: an employment in that
  municipality and unit (a department no unit has: on the municipality itself). Its
  employeeNumber and manager (another User, by id) are kept as sent, as the provider's view
  (provider_employee_number/manager); Entra ID's bare-string manager is read as its id.
- Group = an entitlement of the kind "group": displayName ↔ name, externalId ↔ external_id,
  members ↔ the accounts holding a live grant of it.
"""

import hashlib
import json
from typing import Annotated, Any

from pydantic import Field
from scim2_models import (
    URN,
    AnyExtension,
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    Context,
    ETag,
    Extension,
    Filter,
    Meta,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)

from ..choices import AccountStatus
from ..models import Account, Entitlement
from ..services.provisioning import NO_TITLE

# A list without `count` answers up to this many (a cooperation's users fit on one page; a
# client that pages asks with startIndex/count).
MAX_RESULTS = 1000
DEFAULT_COUNT = MAX_RESULTS


class Name(ComplexAttribute):
    family_name: Annotated[str | None, Required.true] = None
    given_name: Annotated[str | None, Required.true] = None


class Email(ComplexAttribute):
    value: Annotated[str | None, Mutability.read_only] = None
    type: Annotated[str | None, Mutability.read_only] = None
    primary: Annotated[bool | None, Mutability.read_only] = None


class GroupMembership(ComplexAttribute):
    value: Annotated[str | None, Mutability.read_only, CaseExact.true] = None
    ref: Annotated[Reference["Group"] | None, Mutability.read_only] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    display: Annotated[str | None, Mutability.read_only] = None


class PhoneNumber(ComplexAttribute):
    value: str | None = None
    # Only the work phone is kept.
    type: str | None = Field(None, examples=["work"])


class Manager(ComplexAttribute):
    # RFC 7643 §4.3. displayName is left out: a round trip gives back exactly what was sent.
    value: Annotated[str | None, Required.true, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Required.false] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )


class EnterpriseUser(Extension):
    """The enterprise extension, reduced to what places a person and what Entra ID's default
    mapping sends (ADR 0038)."""

    __schema__ = URN("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")

    employee_number: str | None = None
    organization: str | None = None
    department: str | None = None
    manager: Manager | None = None


class CoreUser(Resource[AnyExtension]):
    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:User")

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: Annotated[Name | None, Required.true] = None
    display_name: Annotated[str | None, Mutability.read_only] = None
    # Required, so that it cannot be removed (an account is active or disabled, never neither);
    # a request that leaves it out keeps the current state, or active for a new user.
    active: Annotated[bool | None, Required.true] = None
    title: str | None = None
    phone_numbers: list[PhoneNumber] | None = None
    emails: Annotated[list[Email] | None, Mutability.read_only] = None
    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None


# The User resource type: the core schema with the enterprise extension (optional).
User = CoreUser[EnterpriseUser]


class GroupMember(ComplexAttribute):
    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])


class Group(Resource[Any]):
    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:Group")

    display_name: Annotated[str | None, Required.true] = None
    members: list[GroupMember] | None = None


CONFIG = ServiceProviderConfig(
    documentation_uri=None,
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=True),
    pagination=None,
    authentication_schemes=[
        AuthenticationScheme(
            type=AuthenticationScheme.Type.oauthbearertoken,
            name="Bearer token",
            description="A token an administrator creates (itfabrik scim-token <name>).",
            primary=True,
        )
    ],
)

# Strict reading of RFC 7644 (an unknown attribute is refused, a filter that matches nothing in an
# add or replace is noTarget), except for one thing Microsoft Entra ID does: it removes a group
# member with a `value` instead of a path filter.
POLICY = ScimPolicy(remove_value_as_filter=ScimPolicy.RemoveValue.apply)
PROVIDER = ScimProvider(
    models=[CoreUser, EnterpriseUser, Group],
    resource_types=[ResourceType.from_resource(User), ResourceType.from_resource(Group)],
    config=CONFIG,
    policy=POLICY,
)


# Ids are unique across all resources (RFC 7643 §3.1): a user's is its account's number, a
# group's its entitlement's number after a "g".
GROUP_ID_PREFIX = "g"


def group_id(pk: int) -> str:
    return f"{GROUP_ID_PREFIX}{pk}"


def group_pk(value: object) -> int | None:
    """The entitlement number of a group id, None for anything else."""
    text = str(value)
    if text.startswith(GROUP_ID_PREFIX) and text[1:].isdecimal():
        return int(text[1:])
    return None


def user_pk(value: object) -> int | None:
    text = str(value)
    return int(text) if text.isdecimal() else None


def etag_of(payload: dict[str, Any]) -> str:
    """A weak ETag of a resource's content (everything but meta): it changes exactly when what
    a client sees changes, including a group's members, which no version column counts."""
    body = {k: v for k, v in payload.items() if k != "meta"}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    return f'W/"{digest[:20]}"'


def _finish(resource: Resource[Any]) -> dict[str, Any]:
    payload = resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    assert resource.meta is not None
    resource.meta.version = etag_of(payload)
    return payload


def user_of(account: Account, base: str) -> User:
    """The SCIM User of an account (person, addresses and group grants prefetched)."""
    person = account.person
    assert person is not None
    addresses = sorted(a.address for a in account.addresses.all())
    groups = [g.entitlement for g in getattr(account, "scim_group_grants", [])]
    employments = sorted(
        getattr(person, "scim_current_employments", []), key=lambda e: (e.start, e.pk)
    )
    title = employments[-1].title if employments else ""
    user = User(
        id=str(account.pk),
        external_id=account.external_id or None,
        user_name=account.username,
        name=Name(given_name=person.first_name, family_name=person.last_name),
        display_name=f"{person.first_name} {person.last_name}",
        active=account.status == AccountStatus.ACTIVE,
        title=title if title and title != NO_TITLE else None,
        phone_numbers=[PhoneNumber(value=account.work_phone, type="work")]
        if account.work_phone
        else None,
        emails=[
            Email(value=address, type="work", primary=i == 0) for i, address in enumerate(addresses)
        ]
        or None,
        groups=[
            GroupMembership(
                value=group_id(g.pk),
                ref=Reference(f"{base}/Groups/{group_id(g.pk)}"),
                display=g.name,
            )
            for g in sorted(groups, key=lambda g: g.pk)
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=account.created_at,
            last_modified=max(account.updated_at, person.updated_at),
            location=f"{base}/Users/{account.pk}",
        ),
    )
    manager = account.provider_manager
    if manager is not None and manager.removed_on is not None:
        manager = None  # the provider removed it: no longer a user SCIM shows
    if (
        account.provider_organization
        or account.provider_department
        or account.provider_employee_number
        or manager is not None
    ):
        user[EnterpriseUser] = EnterpriseUser(
            employee_number=account.provider_employee_number or None,
            organization=account.provider_organization or None,
            department=account.provider_department or None,
            manager=Manager(value=str(manager.pk), ref=Reference(f"{base}/Users/{manager.pk}"))
            if manager is not None
            else None,
        )
    _finish(user)
    return user


def group_of(group: Entitlement, base: str) -> Group:
    """The SCIM Group of an entitlement (its live grants and their accounts prefetched)."""
    grants = sorted(getattr(group, "scim_member_grants", []), key=lambda g: g.account_id)
    last = max([group.updated_at, *(g.updated_at for g in grants)])
    result = Group(
        id=group_id(group.pk),
        external_id=group.external_id or None,
        display_name=group.name,
        members=[
            GroupMember(
                value=str(g.account_id),
                ref=Reference(f"{base}/Users/{g.account_id}"),
                type="User",
            )
            for g in grants
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=last,
            location=f"{base}/Groups/{group_id(group.pk)}",
        ),
    )
    _finish(result)
    return result
