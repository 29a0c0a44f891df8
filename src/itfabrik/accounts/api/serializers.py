from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.text import capfirst
from rest_framework import serializers

from itfabrik.accounts.models import RoleAssignment, User
from itfabrik.accounts.validation import USERNAME_MESSAGE, USERNAME_RE


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    # Used exactly as typed: a space at either end is part of the password.
    password = serializers.CharField(
        max_length=256, trim_whitespace=False, style={"input_type": "password"}
    )
    otp = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        help_text="Engångskod från appen, om tvåfaktorsinloggning krävs.",
    )


class TokenResponseSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    username = serializers.CharField(source="user.username", read_only=True)
    node_name = serializers.CharField(source="node.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "username",
            "role",
            "node",
            "node_name",
            "recursive",
            "valid_from",
            "valid_until",
        ]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer[User]):
    email = serializers.CharField(read_only=True)  # may be "": not format "email"
    # Declared so that the schema allows "" (no saved language): DRF drops allow_blank from
    # read-only model fields.
    preferred_language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        allow_blank=True,
        read_only=True,
        label=capfirst(User._meta.get_field("preferred_language").verbose_name),
    )
    assignments = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "home_unit",
            "preferred_language",
            "assignments",
        ]
        read_only_fields = fields

    def get_assignments(self, obj: User) -> list[dict[str, Any]]:
        rows = self.context.get("assignments", [])
        return RoleAssignmentSerializer(rows, many=True).data  # type: ignore[return-value]


class RoleAssignmentCreateSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField()
    role = serializers.ChoiceField(choices=RoleAssignment._meta.get_field("role").choices or [])
    node = serializers.IntegerField()
    recursive = serializers.BooleanField(default=True)
    valid_from = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Första dagen rollen gäller (ÅÅÅÅ-MM-DD). Utelämnad: i dag.",
    )
    valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Sista dagen rollen gäller (ÅÅÅÅ-MM-DD). Utelämnad: tills vidare.",
    )


class UserCreateSerializer(serializers.Serializer[Any]):
    username = serializers.RegexField(
        USERNAME_RE,
        max_length=150,
        help_text="Bokstäver, siffror och @ . + - _",
        error_messages={"invalid": USERNAME_MESSAGE},
    )
    first_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    home_unit = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    password = serializers.CharField(
        max_length=256,
        trim_whitespace=False,  # used exactly as typed
        required=False,
        allow_blank=True,
        default="",
        style={"input_type": "password"},
        help_text="Utelämna för konton som bara loggar in med OIDC.",
    )


class UserSerializer(serializers.ModelSerializer[User]):
    # Empty for accounts without an address, so not format "email" in the schema.
    email = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "home_unit", "is_active"]
        read_only_fields = fields


class UserUpdateSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    home_unit = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    is_active = serializers.BooleanField(
        required=False,
        help_text="false inaktiverar kontot: sessioner och API-nyckel upphör direkt.",
    )
