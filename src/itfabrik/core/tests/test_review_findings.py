"""Defects found in review, each pinned by a test (they failed before the fixes).

Each test names in its comments what was wrong; all of them guard against a regression now.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import ApplicationError

PASSWORD = "itfabrik-demo"


def _code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


# 1. Open redirect after the second factor ---------------------------------------------------


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/phish"])
def test_otp_verify_does_not_redirect_off_site(demo, client, settings, target):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=demo.user("agent"), name="app", confirmed=True)
    assert (
        client.post("/konto/logga-in/", {"username": "agent", "password": PASSWORD}).status_code
        == 302
    )
    response = client.post(f"/konto/tvafaktor/?next={target}", {"code": _code(device)})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# 2. Privilege escalation: a non-recursive admin grants recursive roles ------------------------


def test_non_recursive_admin_cannot_grant_recursive_roles(demo, api_as):
    from itfabrik.accounts import services
    from itfabrik.accounts.choices import Role
    from itfabrik.accounts.models import RoleAssignment

    mellerud = demo.node("Melleruds kommun")
    local_admin = services.user_create(
        actor=SYSTEM,
        username="lokal-admin",
        password=None,
        home_unit=demo.node("Hemtjänst norr", "Melleruds kommun"),
    )
    services.role_assign(
        actor=SYSTEM, user=local_admin, role=Role.COOPERATION_ADMIN, node=mellerud, recursive=False
    )
    response = api_as("lokal-admin").post(
        "/api/v1/role-assignments/",
        {"user": local_admin.pk, "role": Role.SECURITY_OFFICER, "node": mellerud.pk},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert not RoleAssignment.objects.filter(user=local_admin, role=Role.SECURITY_OFFICER).exists()


# 3. 2FA bypass with an API token issued before the user needed a code ------------------------


def test_token_of_user_who_became_staff_is_refused_without_code(demo, api_as, settings):
    from itfabrik.accounts import services
    from itfabrik.accounts.choices import Role

    settings.REQUIRE_STAFF_2FA = True
    orderer = api_as("bestallare-mellerud")  # token issued as a portal user: no code needed
    assert orderer.get("/api/v1/me/").status_code == 200
    services.role_assign(
        actor=demo.user("admin"),
        user=demo.user("bestallare-mellerud"),
        role=Role.AGENT,
        node=demo.cooperation.root,
    )
    # The password-only token is withdrawn; a new one needs the code (token endpoint).
    from rest_framework.authtoken.models import Token

    assert not Token.objects.filter(user__username="bestallare-mellerud").exists()
    response = orderer.get("/api/v1/users/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


# 4. Double submit / concurrent insert gives a 500 ---------------------------------------------


def _insert_competitor_first(model, duplicate_of):
    """Make the next save() of `model` lose a race: a concurrent transaction inserted the same
    unique key between the service's existence check/validation and its INSERT."""
    original_save = model.save

    def save(self, *args, **kwargs):
        if self.pk is None:
            model.objects.bulk_create([duplicate_of(self)])
        return original_save(self, *args, **kwargs)

    return mock.patch.object(model, "save", save)


def test_role_assign_race_is_an_application_error(demo):
    from itfabrik.accounts import services
    from itfabrik.accounts.models import RoleAssignment

    def twin(ra):
        return RoleAssignment(user=ra.user, role=ra.role, node=ra.node, recursive=ra.recursive)

    with _insert_competitor_first(RoleAssignment, twin):
        try:
            services.role_assign(
                actor=demo.user("admin"),
                user=demo.user("anvandare-bengtsfors"),
                role="it_contact",
                node=demo.node("Bengtsfors kommun"),
            )
        except ApplicationError:
            pass
        except IntegrityError as exc:
            raise AssertionError(f"500 instead of a 400/409: {exc}") from exc


def test_inhabitants_set_race_is_not_a_500(demo):
    from itfabrik.tenancy import services
    from itfabrik.tenancy.models import InhabitantCount

    def twin(ic):
        return InhabitantCount(municipality=ic.municipality, year=ic.year, inhabitants=1)

    with _insert_competitor_first(InhabitantCount, twin):
        try:
            services.inhabitants_set(
                actor=demo.user("admin"),
                municipality=demo.node("Melleruds kommun"),
                year=2031,
                inhabitants=9000,
            )
        except ApplicationError:
            pass
        except IntegrityError as exc:
            raise AssertionError(f"500 instead of an upsert or 409: {exc}") from exc


# 6. i18n: password errors fixed in one language -----------------------------------------------


def test_user_create_password_errors_in_both_languages(demo):
    from django.utils import translation

    from itfabrik.accounts import services
    from itfabrik.core.errors import ValidationFailed

    with translation.override("sv"), pytest.raises(ValidationFailed) as info:
        services.user_create(
            actor=SYSTEM,
            username="kort-losen",
            password="abc",
            home_unit=demo.node("Hemtjänst norr", "Melleruds kommun"),
        )
    first = info.value.as_dict()["fields"]["password"][0]["messages"]
    assert first["sv"] != first["en"], first


# 7. Host municipality that is not a member ----------------------------------------------------


def test_host_must_be_a_member(demo):
    from itfabrik.core.errors import ValidationFailed
    from itfabrik.tenancy import services

    coop = demo.cooperation
    with pytest.raises(ValidationFailed):
        services.cooperation_set_host(
            actor=demo.user("admin"), cooperation=coop, host=demo.node("Dals-Eds kommun")
        )
