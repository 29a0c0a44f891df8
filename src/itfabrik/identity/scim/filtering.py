"""SCIM filters (RFC 7644 §3.4.2.2) as Django Q objects, so a filtered list is one query.

scim2-models parses the filter and checks it against the published schema (unknown attribute,
wrong operator or value type: invalidFilter); this visitor maps each attribute onto its column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, NullIf
from django.db.models.query import QuerySet
from django.utils import timezone
from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
    coerce_value,
)

from ..choices import LIVE_GRANT, AccountStatus, EntitlementKind
from ..models import Employment, Grant, MailAddress
from ..selectors import active_employment_q
from ..services.provisioning import NO_TITLE
from .resources import group_pk, user_pk

# (attribute, sub-attribute) in the models' python names → how to filter on it.
# A spec: ("field", column, case_exact) | ("active",) | ("exists", builder).
Spec = tuple[Any, ...]

_STRING_LOOKUPS = {
    CompareOperator.eq: "exact",
    CompareOperator.co: "contains",
    CompareOperator.sw: "startswith",
    CompareOperator.ew: "endswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}


def _lookup(column: str, op: CompareOperator, value: Any, case_exact: bool) -> Q:
    if op == CompareOperator.ne:
        return ~_lookup(column, CompareOperator.eq, value, case_exact)
    name = _STRING_LOOKUPS[op]
    if (
        isinstance(value, str)
        and not case_exact
        and name in {"exact", "contains", "startswith", "endswith"}
    ):
        name = "i" + name
    return Q(**{f"{column}__{name}": value})


def _address_exists(op: CompareOperator, value: Any) -> Q:
    inner = MailAddress.objects.filter(_lookup("address", op, value, False), account=OuterRef("pk"))
    return Q(Exists(inner))


def _group_grants() -> QuerySet[Grant]:
    return Grant.objects.filter(
        status__in=LIVE_GRANT, entitlement__kind=EntitlementKind.GROUP, entitlement__is_active=True
    )


def _group_member_exists(op: CompareOperator, value: Any) -> Q:
    inner = _group_grants().filter(
        _lookup("entitlement_id", op, _number(group_pk(value)), True), account=OuterRef("pk")
    )
    return Q(Exists(inner))


def _addresses_present() -> Q:
    return Q(Exists(MailAddress.objects.filter(account=OuterRef("pk"))))


def _groups_present() -> Q:
    return Q(Exists(_group_grants().filter(account=OuterRef("pk"))))


def _members_present() -> Q:
    return Q(Exists(Grant.objects.filter(entitlement=OuterRef("pk"), status__in=LIVE_GRANT)))


def _members_exists(op: CompareOperator, value: Any) -> Q:
    inner = Grant.objects.filter(
        _lookup("account_id", op, _int(value), True),
        entitlement=OuterRef("pk"),
        status__in=LIVE_GRANT,
    )
    return Q(Exists(inner))


def _int(value: Any) -> int:
    return _number(user_pk(value))


def _number(value: int | None) -> int:
    return -1 if value is None else value  # an id that is not ours matches nothing


USER_FIELDS: dict[tuple[str, str | None], Spec] = {
    ("id", None): ("id", user_pk),
    ("external_id", None): ("field", "external_id", True),
    ("user_name", None): ("field", "username", False),
    ("name", "given_name"): ("field", "person__first_name", False),
    ("name", "family_name"): ("field", "person__last_name", False),
    ("display_name", None): ("field", "scim_display_name", False),
    ("active", None): ("active",),
    ("title", None): ("field", "scim_title", False),
    ("phone_numbers", "value"): ("field", "work_phone", False),
    ("phone_numbers", None): ("field", "work_phone", False),
    ("emails", "value"): ("exists", _address_exists, _addresses_present),
    ("emails", None): ("exists", _address_exists, _addresses_present),
    ("groups", "value"): ("exists", _group_member_exists, _groups_present),
    ("groups", None): ("exists", _group_member_exists, _groups_present),
    ("meta", "created"): ("field", "created_at", True),
    ("meta", "last_modified"): ("field", "updated_at", True),
}

GROUP_FIELDS: dict[tuple[str, str | None], Spec] = {
    ("id", None): ("id", group_pk),
    ("external_id", None): ("field", "external_id", True),
    ("display_name", None): ("field", "name", False),
    ("members", "value"): ("exists", _members_exists, _members_present),
    ("members", None): ("exists", _members_exists, _members_present),
    ("meta", "created"): ("field", "created_at", True),
    ("meta", "last_modified"): ("field", "updated_at", True),
}


def annotate_users(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The columns a user filter may name that are not plain columns."""
    current = (
        Employment.objects.filter(
            active_employment_q(timezone.localdate()), person_id=OuterRef("person_id")
        )
        .order_by("-start", "-pk")
        .values("title")[:1]
    )
    return qs.annotate(
        scim_display_name=Concat("person__first_name", Value(" "), "person__last_name"),
        scim_title=NullIf(Subquery(current), Value(NO_TITLE)),
    )


class _ToQ(FilterVisitor[Q]):
    def __init__(self, scim_filter: ScimFilter[Any], fields: dict[tuple[str, str | None], Spec]):
        self.filter = scim_filter
        self.fields = fields

    def _spec(self, attr_path: AttrPath, *, comparison: bool) -> tuple[Spec, Any]:
        binding = (
            self.filter.resolve_comparison(attr_path)
            if comparison
            else self.filter.resolve(attr_path)
        )
        assert binding is not None  # strict resolution raises for an unknown attribute
        key = (binding.field_name, binding.sub_field_name)
        spec = self.fields.get(key)
        if spec is None:
            raise InvalidFilterException(detail=f"Filtering on {attr_path} is not supported")
        return spec, binding

    def visit_comparison(self, node: Comparison) -> Q:
        spec, binding = self._spec(node.attr_path, comparison=True)
        value = coerce_value(binding, node.value, node.op)
        return self._compare(spec, node.op, value)

    def _compare(self, spec: Spec, op: CompareOperator, value: Any) -> Q:
        kind = spec[0]
        if value is None:
            # `x eq null` is the same as "not present" (RFC 7644 §3.4.2.2)
            if op == CompareOperator.eq:
                return ~self._present(spec)
            if op == CompareOperator.ne:
                return self._present(spec)
            return Q(pk__in=[])
        if kind == "id":
            return _lookup("pk", op, _number(spec[1](value)), True)
        if kind == "active":
            if not isinstance(value, bool) or op not in (CompareOperator.eq, CompareOperator.ne):
                raise InvalidFilterException(detail="active takes eq or ne with true or false")
            wanted = value if op == CompareOperator.eq else not value
            q = Q(status=AccountStatus.ACTIVE)
            return q if wanted else ~q
        if kind == "exists":
            builder: Callable[[CompareOperator, Any], Q] = spec[1]
            if op == CompareOperator.ne:
                return ~builder(CompareOperator.eq, value)
            return builder(op, value)
        _kind, column, case_exact = spec
        if not isinstance(value, str):
            case_exact = True
        return _lookup(column, op, value, case_exact)

    def _present(self, spec: Spec) -> Q:
        kind = spec[0]
        if kind in ("id", "active"):
            return Q()
        if kind == "exists":
            present: Callable[[], Q] = spec[2]
            return present()
        column = spec[1]
        if column.endswith("_at"):
            return Q(**{f"{column}__isnull": False})
        return Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})

    def visit_present(self, node: Present) -> Q:
        spec, _binding = self._spec(node.attr_path, comparison=False)
        return self._present(spec)

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        terms = [self.visit(term) for term in node.terms]
        out = terms[0]
        for term in terms[1:]:
            out = out & term if node.op == LogicalOperator.and_ else out | term
        return out

    def visit_value_path(self, node: ValuePath) -> Q:
        """`emails[value co "x"]`, `members[value eq "12"]`: the inner filter on the `value`
        sub-attribute (the only one stored; `type eq "work"` holds for every address)."""
        return _ValueFilter(self, node.attr_path).visit(node.val_filter)


class _ValueFilter(FilterVisitor[Q]):
    def __init__(self, outer: _ToQ, attr_path: AttrPath) -> None:
        self.outer = outer
        self.attr_path = attr_path

    def _sub(self, sub: AttrPath) -> AttrPath:
        return AttrPath(attr=self.attr_path.attr, sub_attr=sub.attr, uri=self.attr_path.uri)

    def visit_comparison(self, node: Comparison) -> Q:
        path = self._sub(node.attr_path)
        if path.attr.lower() == "emails" and node.attr_path.attr.lower() == "type":
            return Q() if node.op == CompareOperator.eq and node.value == "work" else Q(pk__in=[])
        return self.outer.visit_comparison(Comparison(path, node.op, node.value))

    def visit_present(self, node: Present) -> Q:
        return self.outer.visit_present(Present(self._sub(node.attr_path)))

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        terms = [self.visit(term) for term in node.terms]
        out = terms[0]
        for term in terms[1:]:
            out = out & term if node.op == LogicalOperator.and_ else out | term
        return out

    def visit_value_path(self, node: ValuePath) -> Q:
        raise InvalidFilterException(detail="Nested value filters are not supported")


def to_q(scim_filter: ScimFilter[Any], fields: dict[tuple[str, str | None], Spec]) -> Q:
    """The filter as a Q over the resource's rows; InvalidFilterException if it cannot be."""
    return _ToQ(scim_filter, fields).visit(scim_filter.ast)
