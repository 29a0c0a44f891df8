from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.identity import selectors
from itfabrik.identity.choices import ViolationKind
from itfabrik.identity.models import Account, Employment, Grant, Person

MAX_ID = 2**63 - 1


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class EmploymentSerializer(serializers.ModelSerializer[Employment]):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Employment
        fields = [
            "id",
            "municipality",
            "municipality_name",
            "unit",
            "unit_name",
            "title",
            "start",
            "end",
            "business_role",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer[Person]):
    personal_number = serializers.SerializerMethodField(
        help_text="Masked (ÅÅÅÅMMDD-****) unless the caller may see it in clear."
    )
    home_name = serializers.CharField(source="home.name", read_only=True)
    current_employments = EmploymentSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "personal_number",
            "birth_date",
            "home",
            "home_name",
            "current_employments",
            "version",
        ]
        read_only_fields = fields

    def get_personal_number(self, person: Person) -> str:
        return selectors.shown_personal_number_get(self.context["request"].user, person)


class HireSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    personal_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", write_only=True
    )
    unit = _id()
    title = serializers.CharField(max_length=150)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)
    business_role = _id(required=False, allow_null=True, default=None)


class AccountSerializer(serializers.ModelSerializer[Account]):
    addresses = serializers.SerializerMethodField()
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    employee_number = serializers.CharField(source="provider_employee_number", read_only=True)
    manager: serializers.PrimaryKeyRelatedField[Account] = serializers.PrimaryKeyRelatedField(
        source="provider_manager", read_only=True, allow_null=True
    )

    class Meta:
        model = Account
        fields = [
            "id",
            "kind",
            "username",
            "person",
            "owner",
            "sponsor",
            "expires_on",
            "status",
            "mfa_required",
            "mfa_enrolled",
            "is_shared",
            "municipality",
            "municipality_name",
            "addresses",
            "disabled_on",
            "note",
            "employee_number",
            "manager",
            "version",
        ]
        read_only_fields = fields

    def get_addresses(self, account: Account) -> list[str]:
        return [a.address for a in account.addresses.all()]


class AccountUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    mfa_required = serializers.BooleanField(required=False)
    mfa_enrolled = serializers.BooleanField(required=False)
    is_shared = serializers.BooleanField(required=False)
    expires_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class GrantSerializer(serializers.ModelSerializer[Grant]):
    entitlement_name = serializers.CharField(source="entitlement.name", read_only=True)

    class Meta:
        model = Grant
        fields = [
            "id",
            "account",
            "entitlement",
            "entitlement_name",
            "source",
            "status",
            "valid_until",
            "reason",
            "version",
        ]
        read_only_fields = fields


class ViolationSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ViolationKind.choices)
    kind_label = serializers.CharField()
    person = serializers.IntegerField(source="person_id", allow_null=True)
    person_name = serializers.CharField()
    account = serializers.IntegerField(source="account_id", allow_null=True)
    account_username = serializers.CharField()
    municipality = serializers.CharField()
    detail = serializers.CharField()


class ViolationTicketSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ViolationKind.choices)
    account = _id(required=False, allow_null=True, default=None)
    person = _id(required=False, allow_null=True, default=None)


class TicketRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class GrantRequestSerializer(serializers.Serializer[Any]):
    account = _id()
    entitlement = _id()
    valid_until = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class GrantDecisionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
