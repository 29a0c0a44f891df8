"""Defects found in review, each pinned by a test that fails today (xfail, strict).

When a defect is fixed its test starts to pass, strict xfail turns that into a failure, and the
fixer removes the marker. Every reason names the file, the function, what is wrong and the fix.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail
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


@pytest.mark.xfail(
    strict=True,
    reason=(
        "BUG: accounts/web/views.py:otp_verify: redirect(request.GET.get('next')) follows any "
        "absolute URL (https://evil.example/, //evil.example) right after a successful sign-in: "
        "an open redirect for phishing. Fix: accept next only if "
        "url_has_allowed_host_and_scheme(next, allowed_hosts={request.get_host()}, "
        "require_https=request.is_secure()), else core:home (and let TwoFactorMiddleware pass "
        "?next=<request.get_full_path()> so the login's next survives the code page)."
    ),
)
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


@pytest.mark.xfail(
    strict=True,
    reason=(
        "BUG: accounts/services.py:role_assign: only COOPERATION_ADMIN is capped; an actor whose "
        "MANAGE_ROLES covers node N only non-recursively can grant any role with recursive=True "
        "at N (even to themself) and so gain VIEW_AUDIT/VIEW_USER over the whole subtree they "
        "cannot manage. Fix: when recursive=True require a recursive MANAGE_ROLES grant covering "
        "N (same test as for COOPERATION_ADMIN: any(g.recursive and N.path.startswith(g.path) "
        "and MANAGE_ROLES in actions_for(g.role))), else Forbidden."
    ),
)
def test_non_recursive_admin_cannot_grant_recursive_roles(demo, api_as):
    from itfabrik.accounts import services
    from itfabrik.accounts.choices import Role
    from itfabrik.accounts.models import RoleAssignment

    mellerud = demo.node("Mellerud kommun")
    local_admin = services.user_create(
        actor=SYSTEM,
        username="lokal-admin",
        password=None,
        home_unit=demo.node("Hemtjänst norr", "Mellerud kommun"),
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


@pytest.mark.xfail(
    strict=True,
    reason=(
        "BUG: accounts/api/authentication.py:TokenAuthentication.authenticate_credentials (and "
        "accounts/middleware.py:TwoFactorMiddleware, which only sees session users): a token "
        "issued while the user needed no code (end user, or REQUIRE_STAFF_2FA off) keeps working "
        "after a staff role is granted, so the staff member uses the API with a password-only "
        "credential. Fix: in TokenAuthentication refuse (403 two_factor_required) when "
        "twofactor.needs_code(user) and the token was not issued with a verified code (e.g. "
        "store that on issue), or delete the user's tokens in role_assign when the new role "
        "makes requires_two_factor() true."
    ),
)
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
    response = orderer.get("/api/v1/users/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"


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


@pytest.mark.xfail(
    strict=True,
    raises=(AssertionError,),
    reason=(
        "BUG: accounts/services.py:role_assign: the duplicate check is exists() then INSERT with "
        "no lock and no IntegrityError handling; two concurrent submits of the same grant (a "
        "double click on PostgreSQL) end in IntegrityError → 500. Fix: wrap create_audited in "
        "an inner transaction.atomic() and map IntegrityError on accounts_unique_assignment to "
        "the same ValidationFailed('already has the role') (as tenancy.node_create does)."
    ),
)
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


@pytest.mark.xfail(
    strict=True,
    raises=(AssertionError,),
    reason=(
        "BUG: tenancy/services.py:inhabitants_set: the upsert selects FOR UPDATE a row that does "
        "not exist yet (locks nothing), so two concurrent first writes of a year both INSERT and "
        "the loser gets IntegrityError (tenancy_one_count_per_year) → 500. Fix: lock the "
        "municipality row (OrgNode select_for_update) before the lookup, or insert in an inner "
        "atomic and on IntegrityError re-read and update (or raise Conflict)."
    ),
)
def test_inhabitants_set_race_is_not_a_500(demo):
    from itfabrik.tenancy import services
    from itfabrik.tenancy.models import InhabitantCount

    def twin(ic):
        return InhabitantCount(municipality=ic.municipality, year=ic.year, inhabitants=1)

    with _insert_competitor_first(InhabitantCount, twin):
        try:
            services.inhabitants_set(
                actor=demo.user("admin"),
                municipality=demo.node("Mellerud kommun"),
                year=2031,
                inhabitants=9000,
            )
        except ApplicationError:
            pass
        except IntegrityError as exc:
            raise AssertionError(f"500 instead of an upsert or 409: {exc}") from exc


# 5. Accessibility reports: lost forwarding and wrong actor in the audit trail ----------------


@pytest.mark.xfail(
    strict=True,
    reason=(
        "BUG: core/services.py:accessibility_report_forward: page_url goes into the mail Subject; "
        "a newline in it (any POST can send one, forms.CharField keeps inner newlines) makes "
        "send_mail raise BadHeaderError, so the job fails for good and the report is never "
        "forwarded although the user was told it would be. Fix: never put user input raw in a "
        "header: subject from ' '.join(page_url.split())[:100] (or a fixed subject with the URL "
        "only in the body); optionally reject control characters in AccessibilityReportForm."
    ),
)
def test_accessibility_report_with_newline_in_page_url_is_forwarded(
    demo, client, django_capture_on_commit_callbacks
):
    from itfabrik.core.models import AccessibilityReport

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tillganglighet/",
            {"description": "Knappen saknar namn", "page_url": "/organisation/\nBcc: x@y"},
        )
    assert response.status_code == 302  # "Tack! ... skickas vidare."
    report = AccessibilityReport.objects.get(description="Knappen saknar namn")
    assert report.forwarded_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.xfail(
    strict=True,
    reason=(
        "BUG: core/audit.py:record: every actor that is not a saved User model (AnonymousUser as "
        "well as SYSTEM) is written as actor_repr='system', so an anonymous accessibility report "
        "is attributed to the system in the audit trail. Fix: actor_repr='system' only for "
        "SystemActor; for an unauthenticated actor write 'anonym' (and keep actor=None)."
    ),
)
def test_anonymous_report_is_not_audited_as_system(demo, client):
    from itfabrik.core.models import AuditEntry

    client.post("/tillganglighet/", {"description": "Kontrasten är för låg"})
    entry = AuditEntry.objects.get(object_type="core.accessibilityreport")
    assert entry.actor_repr != "system"


# 6. i18n: password errors fixed in one language -----------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason=(
        "BUG: accounts/services.py:user_create: ValidationFailed(fields={'password': "
        "list(exc.messages)}) renders Django's password-validator messages in the active "
        "language at raise time, so the error's 'messages' carry the same Swedish text under "
        "'en' (the one error format promises both). Fix: keep them lazy as core.services does: "
        "validation_failed_from(exc) / _lazy_messages, re-keyed to the 'password' field."
    ),
)
def test_user_create_password_errors_in_both_languages(demo):
    from django.utils import translation

    from itfabrik.accounts import services
    from itfabrik.core.errors import ValidationFailed

    with translation.override("sv"), pytest.raises(ValidationFailed) as info:
        services.user_create(
            actor=SYSTEM,
            username="kort-losen",
            password="abc",
            home_unit=demo.node("Hemtjänst norr", "Mellerud kommun"),
        )
    first = info.value.as_dict()["fields"]["password"][0]["messages"]
    assert first["sv"] != first["en"], first


# 7. Host municipality that is not a member ----------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason=(
        "BUG: tenancy/services.py:cooperation_set_host: checks only kind and cooperation, so a "
        "municipality that is not (or no longer) a member becomes the host (värdkommun), which "
        "municipality_leave otherwise protects. Fix: require an active Membership on today's "
        "date (lock the cooperation row) and raise ValidationFailed on 'host' otherwise."
    ),
)
def test_host_must_be_a_member(demo):
    from itfabrik.core.errors import ValidationFailed
    from itfabrik.tenancy import services

    coop = demo.cooperation
    with pytest.raises(ValidationFailed):
        services.cooperation_set_host(
            actor=demo.user("admin"), cooperation=coop, host=demo.node("Dals-Ed kommun")
        )
