"""The SCIM 2.0 endpoints (RFC 7644) under /scim/v2/ (ADR 0038).

Plain Django views, not DRF: the protocol, its content type and its error format are SCIM's,
not the /api/v1/ conventions, and OpenAPI does not describe them. Each request authenticates
with a bearer token of one cooperation (no session, no CSRF), sees only that cooperation's
accounts and groups, and writes through identity's services as the token's `ScimActor`.
A refused request changes nothing: every write runs in one transaction.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    InvalidFilterException,
    ListResponse,
    Meta,
    PatchOp,
    Resource,
    ResourceType,
    ResponseParameters,
    Schema,
    SCIMException,
    ScimFilter,
    SearchRequest,
)

from itfabrik.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed

from .. import selectors
from ..choices import AccountStatus
from ..models import Account, Entitlement, ScimToken
from ..services import provisioning
from . import filtering
from .resources import (
    CONFIG,
    DEFAULT_COUNT,
    MAX_RESULTS,
    PROVIDER,
    EnterpriseUser,
    Group,
    User,
    group_id,
    group_of,
    group_pk,
    user_of,
    user_pk,
)

CONTENT_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def scim_response(
    payload: dict[str, Any] | None, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    body = "" if payload is None else json.dumps(payload, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE, headers=headers)
    return response


def error_response(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    payload: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        payload["scimType"] = scim_type
    headers = {"WWW-Authenticate": 'Bearer realm="scim"'} if status == 401 else None
    return scim_response(payload, status=status, headers=headers)


def _from_error(error: Error) -> HttpResponse:
    return error_response(int(error.status or 400), error.detail or "", error.scim_type)


def _field_detail(exc: ValidationFailed) -> str:
    parts = [f"{name}: {'; '.join(str(m) for m in msgs)}" for name, msgs in exc.fields.items()]
    return "; ".join(parts) or str(exc.message)


def _token(request: HttpRequest) -> ScimToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return selectors.scim_token_get(secret=secret.strip())


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Refused(400, "The body is not JSON.", "invalidSyntax") from exc
    if not isinstance(data, dict):
        raise _Refused(400, "The body must be a JSON object.", "invalidSyntax")
    return data


_MANAGER_PATH = f"{provisioning.ENTERPRISE}:manager".lower()


def _manager_value(value: Any) -> Any:
    """Entra ID sends a manager as its bare id ("…"), sometimes as a list of one reference;
    RFC 7643 has an object with a value."""
    if isinstance(value, str):
        return {"value": value}
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        return value[0]
    return value


def _entra_manager(body: dict[str, Any]) -> dict[str, Any]:
    """The manager in a User or a PatchOp as RFC 7643 has it (see _manager_value); an empty
    id in a PATCH is Entra ID's way of removing the manager."""

    def in_resource(data: Any) -> None:
        if not isinstance(data, dict):
            return
        for key in list(data):
            if key.lower() == _MANAGER_PATH:  # the attribute in full, as a key
                data[key] = _manager_value(data[key])
            elif key.lower() == provisioning.ENTERPRISE.lower() and isinstance(data[key], dict):
                extension = data[key]
                for name in list(extension):
                    if name.lower() == "manager":
                        extension[name] = _manager_value(extension[name])

    in_resource(body)
    operations = body.get("Operations")
    for op in operations if isinstance(operations, list) else []:
        if not isinstance(op, dict):
            continue
        path = op.get("path")
        if isinstance(path, str) and path.strip().lower() == _MANAGER_PATH:
            if op.get("value") in ("", [], None) and str(op.get("op", "")).lower() != "remove":
                op["op"] = "remove"
                op.pop("value", None)
            elif "value" in op:
                op["value"] = _manager_value(op["value"])
        elif path is None:
            in_resource(op.get("value"))
    return body


class _Refused(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


@method_decorator(csrf_exempt, name="dispatch")
class ScimView(View):
    """Authentication, the provider and the mapping of every error onto a SCIM Error."""

    token: ScimToken
    actor: provisioning.ScimActor

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        token = _token(request)
        if token is None:
            return error_response(401, "A valid bearer token is required.")
        provisioning.scim_token_touch(token)
        self.token = token
        self.actor = provisioning.ScimActor(token)
        try:
            with PROVIDER:
                return super().dispatch(request, *args, **kwargs)
        except _Refused as exc:
            return error_response(exc.status, exc.detail, exc.scim_type)
        except SCIMException as exc:
            return _from_error(exc.to_error())
        except ValidationError as exc:
            return _from_error(Error.from_validation_errors(exc)[0])
        except provisioning.Taken as exc:
            return error_response(409, _field_detail(exc), "uniqueness")
        except ValidationFailed as exc:
            return error_response(400, _field_detail(exc), "invalidValue")
        except NotFound:
            return error_response(404, "Resource not found.")
        except Conflict as exc:
            return error_response(409, str(exc.message))
        except ApplicationError as exc:  # any other refusal of a service, as a SCIM error
            return error_response(exc.status, str(exc.message))

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return error_response(405, f"{request.method} is not supported here.")


# --- discovery ----------------------------------------------------------------------------------


def _list(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def _resource_types(base: str) -> list[ResourceType]:
    out = []
    for resource_type in PROVIDER.resource_types:
        copy = resource_type.model_copy()
        copy.meta = Meta(resource_type="ResourceType", location=f"{base}/ResourceTypes/{copy.id}")
        out.append(copy)
    return out


def _schemas(base: str, cooperation_id: int) -> list[Schema]:
    out = []
    for schema in PROVIDER.schemas:
        copy = schema.model_copy(deep=True)
        copy.name = str(schema.id).rsplit(":", 1)[-1]
        copy.description = f"{copy.name} (itfabrik)"
        if str(schema.id) == provisioning.ENTERPRISE:
            # The organizations a user may be placed in: the cooperation's municipalities.
            for attribute in copy.attributes or []:
                if attribute.name == "organization":
                    attribute.canonical_values = selectors.municipality_name_list(
                        cooperation_id=cooperation_id
                    )
        copy.meta = Meta(resource_type="Schema", location=f"{base}/Schemas/{schema.id}")
        out.append(copy)
    return out


class ServiceProviderConfigView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        config = CONFIG.model_copy()
        base = _base(request)
        config.meta = Meta(
            resource_type="ServiceProviderConfig", location=f"{base}/ServiceProviderConfig"
        )
        return scim_response(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


class ResourceTypesView(ScimView):
    def get(self, request: HttpRequest, name: str | None = None) -> HttpResponse:
        found = _resource_types(_base(request))
        if name is None:
            return scim_response(
                _list([r.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for r in found])
            )
        for resource_type in found:
            if str(resource_type.id) == name:
                return scim_response(
                    resource_type.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
                )
        return error_response(404, f"No resource type {name}.")


class SchemasView(ScimView):
    def get(self, request: HttpRequest, urn: str | None = None) -> HttpResponse:
        found = _schemas(_base(request), self.token.cooperation_id)
        if urn is None:
            return scim_response(
                _list([s.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for s in found])
            )
        for schema in found:
            if str(schema.id) == urn:
                return scim_response(schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
        return error_response(404, f"No schema {urn}.")


# --- resources ----------------------------------------------------------------------------------


class _Kind(ABC):
    """What differs between Users and Groups (_Users and _Groups implement each abstract step)."""

    model: type[Resource[Any]]
    fields: dict[tuple[str, str | None], filtering.Spec]

    def __init__(self, view: ScimView) -> None:
        self.view = view
        self.cooperation_id = view.token.cooperation_id

    @abstractmethod
    def queryset(self) -> Any:
        """See _Users and _Groups."""

    @abstractmethod
    def build(self, row: Any, base: str) -> Resource[Any]:
        """See _Users and _Groups."""

    @abstractmethod
    def create(self, resource: Any) -> Any:
        """See _Users and _Groups."""

    @abstractmethod
    def replace(self, row: Any, resource: Any) -> Any:
        """See _Users and _Groups."""

    @abstractmethod
    def remove(self, row: Any) -> None:
        """See _Users and _Groups."""

    def defaults(self, body: dict[str, Any], row: Any) -> dict[str, Any]:
        """The body with what a client may leave out filled in."""
        return body

    def normalise(self, body: dict[str, Any]) -> dict[str, Any]:
        """A body (resource or PatchOp) with known client dialects read as RFC 7643."""
        return body

    def number(self, value: str) -> int | None:
        return user_pk(value)

    def ident(self, pk: int) -> str:
        return str(pk)

    def get(self, pk: str) -> Any:
        number = self.number(pk)
        if number is None:
            raise NotFound()
        row = self.queryset().filter(pk=number).first()
        if row is None:
            raise NotFound()
        return row


class _Users(_Kind):
    model = User
    fields = filtering.USER_FIELDS

    def queryset(self) -> Any:
        return filtering.annotate_users(
            selectors.provisioned_account_list(cooperation_id=self.cooperation_id)
        )

    def build(self, row: Account, base: str) -> Resource[Any]:
        return user_of(row, base)

    def defaults(self, body: dict[str, Any], row: Account | None) -> dict[str, Any]:
        if not any(key.lower() == "active" for key in body):
            body["active"] = row is None or row.status == AccountStatus.ACTIVE
        return body

    @staticmethod
    def _work_phone(resource: User) -> str:
        numbers = resource.phone_numbers or []
        if len(numbers) > 1 or any(n.type not in (None, "work") for n in numbers):
            raise _Refused(400, "phoneNumbers: only one number, of type work, is kept.",
                           "invalidValue")  # fmt: skip
        return (numbers[0].value or "") if numbers else ""

    @staticmethod
    def _reporting(resource: User) -> dict[str, str]:
        """The enterprise extension's employeeNumber and manager (its id; "" for none)."""
        extension = resource[EnterpriseUser]
        if extension is None:
            return {"employee_number": "", "manager": ""}
        manager = extension.manager
        value = (manager.value or "") if manager else ""
        return {"employee_number": extension.employee_number or "", "manager": value}

    def normalise(self, body: dict[str, Any]) -> dict[str, Any]:
        return _entra_manager(body)

    @staticmethod
    def _placement(resource: User) -> provisioning.Placement:
        """The enterprise extension's organization and department and the title. A resource
        with neither says nothing of the employment (it stays as it is, whoever made it);
        otherwise it says all of it (a missing title is "no title")."""
        extension = resource[EnterpriseUser]
        organization = extension.organization if extension else None
        department = extension.department if extension else None
        if not (organization or department or resource.title):
            return provisioning.Placement()
        return provisioning.Placement(
            organization=organization, department=department, title=resource.title or ""
        )

    def create(self, resource: User) -> Account:
        name = resource.name
        return provisioning.provisioned_user_create(
            actor=self.view.actor,
            cooperation=self.view.token.cooperation,
            user_name=resource.user_name or "",
            given_name=(name.given_name if name else "") or "",
            family_name=(name.family_name if name else "") or "",
            external_id=resource.external_id or "",
            active=resource.active is not False,
            work_phone=self._work_phone(resource),
            placement=self._placement(resource),
            **self._reporting(resource),
        )

    def replace(self, row: Account, resource: User) -> Account:
        name = resource.name
        return provisioning.provisioned_user_update(
            actor=self.view.actor,
            account=row,
            user_name=resource.user_name or "",
            given_name=(name.given_name if name else "") or "",
            family_name=(name.family_name if name else "") or "",
            external_id=resource.external_id or "",
            active=resource.active is not False,
            work_phone=self._work_phone(resource),
            placement=self._placement(resource),
            **self._reporting(resource),
        )

    def remove(self, row: Account) -> None:
        provisioning.provisioned_user_remove(actor=self.view.actor, account=row)


class _Groups(_Kind):
    model = Group
    fields = filtering.GROUP_FIELDS

    def queryset(self) -> Any:
        return selectors.provisioned_group_list(cooperation_id=self.cooperation_id)

    def number(self, value: str) -> int | None:
        return group_pk(value)

    def ident(self, pk: int) -> str:
        return group_id(pk)

    def build(self, row: Entitlement, base: str) -> Resource[Any]:
        return group_of(row, base)

    def _members(self, resource: Group) -> list[Account]:
        ids: list[str] = []
        for member in resource.members or []:
            value = member.value or ""
            if not value and member.ref:
                value = str(member.ref).rstrip("/").rsplit("/", 1)[-1]
            if member.type not in (None, "User"):
                raise _Refused(400, f"Only users can be members ({member.type}).", "invalidValue")
            ids.append(value)
        wanted = {int(v) for v in ids if v.isdecimal()}
        found = list(
            Account.objects.filter(
                selectors.provisioned_account_q(self.cooperation_id), pk__in=wanted
            ).select_related("municipality")
        )
        if len(found) != len(set(ids)):
            missing = sorted(set(ids) - {str(a.pk) for a in found})
            raise _Refused(400, f"No such user: {', '.join(missing)}.", "invalidValue")
        return found

    def create(self, resource: Group) -> Entitlement:
        return provisioning.provisioned_group_create(
            actor=self.view.actor,
            cooperation=self.view.token.cooperation,
            display_name=resource.display_name or "",
            external_id=resource.external_id or "",
            members=self._members(resource),
        )

    def replace(self, row: Entitlement, resource: Group) -> Entitlement:
        return provisioning.provisioned_group_update(
            actor=self.view.actor,
            group=row,
            display_name=resource.display_name or "",
            external_id=resource.external_id or "",
            members=self._members(resource),
        )

    def remove(self, row: Entitlement) -> None:
        provisioning.provisioned_group_remove(actor=self.view.actor, group=row)


def _int_param(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _ResourceView(ScimView):
    kind_class: type[_Kind]

    @property
    def kind(self) -> _Kind:
        return self.kind_class(self)

    def _dump(self, resource: Resource[Any], params: ResponseParameters[Any] | None) -> Any:
        return resource.model_dump(
            scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=params
        )

    def _one(
        self, request: HttpRequest, row: Any, status: int = 200, params: Any = None
    ) -> HttpResponse:
        resource = self.kind.build(row, _base(request))
        assert resource.meta is not None
        headers = {"ETag": str(resource.meta.version), "Location": str(resource.meta.location)}
        return scim_response(self._dump(resource, params), status=status, headers=headers)

    def _search(self, request: HttpRequest, search: SearchRequest[Any]) -> HttpResponse:
        kind = self.kind
        qs = kind.queryset()
        if search.filter is not None:
            qs = qs.filter(filtering.to_q(search.filter, kind.fields))
        total = qs.count()
        start = max(search.start_index or 1, 1)
        count = search.count if search.count is not None else DEFAULT_COUNT
        count = max(min(count, MAX_RESULTS), 0)
        rows = list(qs[start - 1 : start - 1 + count]) if count else []
        base = _base(request)
        resources = [kind.build(row, base) for row in rows]
        listed = ListResponse[kind.model](  # type: ignore[name-defined]
            total_results=total,
            start_index=start,
            items_per_page=len(resources),
            resources=resources,
        )
        return scim_response(
            listed.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=search)
        )


def _search_request(model: type[Resource[Any]], data: dict[str, Any]) -> SearchRequest[Any]:
    return SearchRequest[model].model_validate(  # type: ignore[valid-type]
        data, scim_ctx=Context.SEARCH_REQUEST
    )


class _CollectionView(_ResourceView):
    def get(self, request: HttpRequest) -> HttpResponse:
        data: dict[str, Any] = {k: v for k, v in request.GET.items()}
        for key in ("startIndex", "count"):
            if key in data:
                data[key] = _int_param(data[key], 1 if key == "startIndex" else DEFAULT_COUNT)
        return self._search(request, _search_request(self.kind.model, data))

    def post(self, request: HttpRequest) -> HttpResponse:
        kind = self.kind
        resource = kind.model.model_validate(
            kind.defaults(kind.normalise(_body(request)), None),
            scim_ctx=Context.RESOURCE_CREATION_REQUEST,
        )
        with transaction.atomic():
            row = kind.create(resource)
        return self._one(request, kind.get(kind.ident(row.pk)), status=201)


class _SearchView(_ResourceView):
    def post(self, request: HttpRequest) -> HttpResponse:
        return self._search(request, _search_request(self.kind.model, _body(request)))


class _ItemView(_ResourceView):
    def _params(self, request: HttpRequest) -> ResponseParameters[Any]:
        return ResponseParameters[self.kind.model].model_validate(  # type: ignore[name-defined]
            {k: v for k, v in request.GET.items() if k in ("attributes", "excludedAttributes")}
        )

    def _check_match(self, request: HttpRequest, current: Resource[Any]) -> None:
        wanted = request.headers.get("If-Match")
        assert current.meta is not None
        if (
            wanted
            and wanted.strip() != "*"
            and current.meta.version not in {v.strip() for v in wanted.split(",")}
        ):
            raise _Refused(412, "The resource has changed (ETag does not match).")

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        kind = self.kind
        row = kind.get(pk)
        resource = kind.build(row, _base(request))
        assert resource.meta is not None
        if request.headers.get("If-None-Match") == resource.meta.version:
            return HttpResponse(status=304, headers={"ETag": str(resource.meta.version)})
        return self._one(request, row, params=self._params(request))

    def put(self, request: HttpRequest, pk: str) -> HttpResponse:
        kind = self.kind
        body = kind.normalise(_body(request))
        with transaction.atomic():
            row = kind.get(pk)
            resource = kind.model.model_validate(
                kind.defaults(body, row), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
            )
            current = kind.build(row, _base(request))
            self._check_match(request, current)
            resource.replace(current)
            kind.replace(row, resource)
        return self._one(request, kind.get(pk))

    def patch(self, request: HttpRequest, pk: str) -> HttpResponse:
        kind = self.kind
        patch_op = PatchOp[kind.model].model_validate(  # type: ignore[name-defined]
            kind.normalise(_body(request)), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        with transaction.atomic():
            row = kind.get(pk)
            current = kind.build(row, _base(request))
            self._check_match(request, current)
            if patch_op.patch(current):
                # The patched resource is checked like a replacement (required attributes).
                patched = kind.model.model_validate(
                    current.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST),
                    scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST,
                )
                kind.replace(row, patched)
        return self._one(request, kind.get(pk))

    def delete(self, request: HttpRequest, pk: str) -> HttpResponse:
        kind = self.kind
        with transaction.atomic():
            row = kind.get(pk)
            self._check_match(request, kind.build(row, _base(request)))
            kind.remove(row)
        return HttpResponse(status=204)


class UsersView(_CollectionView):
    kind_class = _Users


class UserSearchView(_SearchView):
    kind_class = _Users


class UserView(_ItemView):
    kind_class = _Users


class GroupsView(_CollectionView):
    kind_class = _Groups


class GroupSearchView(_SearchView):
    kind_class = _Groups


class GroupView(_ItemView):
    kind_class = _Groups


class RootSearchView(ScimView):
    """POST /.search: Users, then Groups (RFC 7644 §3.4.3). A filter naming an attribute one of
    them does not have matches none of that type (§3.4.2.1); one naming an attribute neither
    has is an invalidFilter."""

    def post(self, request: HttpRequest) -> HttpResponse:
        search: SearchRequest[Any] = SearchRequest.model_validate(
            _body(request), scim_ctx=Context.SEARCH_REQUEST
        )
        querysets: list[tuple[_Kind, Any]] = []
        last_error: InvalidFilterException | None = None
        kinds: list[_Kind] = [_Users(self), _Groups(self)]
        for kind in kinds:
            qs = kind.queryset()
            if search.filter is not None:
                try:
                    bound = ScimFilter[kind.model](str(search.filter))  # type: ignore[name-defined]
                    bound._validate_semantics(strict=True)
                    qs = qs.filter(filtering.to_q(bound, kind.fields))
                except InvalidFilterException as exc:
                    last_error = exc
                    continue
            querysets.append((kind, qs))
        if not querysets and last_error is not None:
            raise last_error
        start = max(search.start_index or 1, 1)
        count = search.count if search.count is not None else DEFAULT_COUNT
        count = max(min(count, MAX_RESULTS), 0)
        base = _base(request)
        params = ResponseParameters(
            attributes=search.attributes, excluded_attributes=search.excluded_attributes
        )
        total = 0
        skip, left = start - 1, count
        payloads: list[dict[str, Any]] = []
        for each, qs in querysets:
            n = qs.count()
            total += n
            if left and skip < n:
                rows = list(qs[skip : skip + left])
                payloads += [
                    each.build(row, base).model_dump(
                        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=params
                    )
                    for row in rows
                ]
                left -= len(rows)
            skip = max(skip - n, 0)
        return scim_response(
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": total,
                "startIndex": start,
                "itemsPerPage": len(payloads),
                "Resources": payloads,
            }
        )


class NotFoundView(ScimView):
    """Any other path under /scim/v2/: a SCIM 404 (after authentication)."""

    def get(self, request: HttpRequest, rest: str = "") -> HttpResponse:
        return error_response(404, "No such endpoint.")

    post = put = patch = delete = get
