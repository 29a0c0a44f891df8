"""Optional OpenID Connect sign-in: configured by environment, matches existing accounts only,
by e-mail at the first sign-in and by the stable identity (oid/sub) after it."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.test import override_settings

OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "itfabrik",
    "OIDC_RP_CLIENT_SECRET": "hemligt",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example/keys",
    "OIDC_PROVIDER_NAME": "Entra ID",
}


@pytest.mark.own_sqlite_database
def test_configuring_a_client_id_turns_oidc_on(tmp_path):
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.conf import settings
        from django.test import Client
        from django.test.utils import setup_test_environment
        setup_test_environment()
        assert settings.OIDC_ENABLED
        assert "itfabrik.accounts.oidc.OIDCBackend" in settings.AUTHENTICATION_BACKENDS
        assert settings.OIDC_CREATE_USER is False
        # The sign-in page reads no table: no migration is needed (it took 40 s of the suite).
        page = Client().get("/konto/logga-in/")
        html = page.content.decode()
        assert "Logga in med Entra ID" in html, html
        assert "/oidc/authenticate/" in html
        # The identity provider must be allowed as a form target by the CSP.
        assert "https://login.example/authorize" in page.headers["Content-Security-Policy"]
        print("ok")
        """
    )
    env = {
        **os.environ,
        **OIDC_ENV,
        "DJANGO_SETTINGS_MODULE": "itfabrik.config.settings.test",
        "ITFABRIK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_without_configuration_there_is_no_oidc_link(client, db):
    assert "Logga in med" not in client.get("/konto/logga-in/").content.decode()


@pytest.mark.django_db
def test_backend_matches_existing_accounts_by_email_and_never_creates(demo):
    from itfabrik.accounts.models import User
    from itfabrik.accounts.oidc import OIDCBackend

    # No OIDC_OP_ISSUER configured: the token's own `iss` names the provider.
    iss = {"iss": "https://login.example/tenant/v2.0", "sub": "s-1"}
    with override_settings(**OIDC_ENV, OIDC_RP_SIGN_ALGO="RS256", OIDC_CREATE_USER=False):
        backend = OIDCBackend()
        found = backend.filter_users_by_claims({**iss, "email": "Agent@itfabrik.example"})
        assert [u.username for u in found] == ["agent"]
        assert list(backend.filter_users_by_claims({**iss, "email": "okand@kommun.se"})) == []
        assert list(backend.filter_users_by_claims({})) == []
        User.objects.filter(username="agent").update(is_active=False)
        assert (
            list(backend.filter_users_by_claims({**iss, "email": "agent@itfabrik.example"})) == []
        )


# --- the stable identity: oid (Entra ID) or sub, stored on the account at the first sign-in ----

ISSUER = "https://login.example/tenant/v2.0"


def _backend():
    from itfabrik.accounts.oidc import OIDCBackend

    return OIDCBackend()


def _sign_in(backend, claims):
    """What mozilla-django-oidc's get_or_create_user does with the claims, without an IdP."""
    users = list(backend.filter_users_by_claims(claims))
    if len(users) != 1:
        return None
    return backend.update_user(users[0], claims)


@pytest.fixture
def oidc_settings():
    with override_settings(
        **OIDC_ENV, OIDC_RP_SIGN_ALGO="RS256", OIDC_CREATE_USER=False, OIDC_OP_ISSUER=ISSUER
    ):
        yield


@pytest.mark.django_db
def test_first_sign_in_finds_by_email_and_ties_the_account_to_the_oid(demo, oidc_settings):
    from itfabrik.accounts.models import User
    from itfabrik.core.models import AuditEntry

    backend = _backend()
    claims = {"email": "agent@itfabrik.example", "oid": "obj-1", "sub": "pairwise-9"}
    user = _sign_in(backend, claims)
    assert user is not None
    assert user.username == "agent"
    stored = User.objects.get(username="agent")
    assert (stored.oidc_issuer, stored.oidc_subject) == (ISSUER, "obj-1")
    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk)).latest(
        "pk"
    )
    assert entry.after == {"oidc_subject": f"{ISSUER} obj-1"}


@pytest.mark.django_db
def test_after_the_first_link_the_address_no_longer_decides(demo, oidc_settings):
    from itfabrik.accounts.models import User

    backend = _backend()
    _sign_in(backend, {"email": "agent@itfabrik.example", "oid": "obj-1"})
    # The provider now reports another address: still the same person, found by oid.
    assert _sign_in(backend, {"email": "ny.adress@kommun.se", "oid": "obj-1"}).username == "agent"
    # Someone else now holds the old address at the provider: not signed in as agent.
    assert _sign_in(backend, {"email": "agent@itfabrik.example", "oid": "obj-2"}) is None
    assert User.objects.get(username="agent").oidc_subject == "obj-1"
    assert not User.objects.filter(oidc_subject="obj-2").exists()


@pytest.mark.django_db
def test_sub_is_used_when_there_is_no_oid(demo, oidc_settings):
    from itfabrik.accounts.models import User

    backend = _backend()
    assert _sign_in(backend, {"email": "ekonom@itfabrik.example", "sub": "s-42"}) is not None
    assert User.objects.get(username="ekonom").oidc_subject == "s-42"
    assert _sign_in(backend, {"sub": "s-42"}).username == "ekonom"


@pytest.mark.django_db
def test_without_a_stable_claim_nobody_is_signed_in(demo, oidc_settings):
    backend = _backend()
    assert list(backend.filter_users_by_claims({"email": "agent@itfabrik.example"})) == []


@pytest.mark.django_db
def test_a_deactivated_linked_account_is_refused(demo, oidc_settings):
    from itfabrik.accounts.models import User

    backend = _backend()
    _sign_in(backend, {"email": "agent@itfabrik.example", "oid": "obj-1"})
    User.objects.filter(username="agent").update(is_active=False)
    assert _sign_in(backend, {"email": "agent@itfabrik.example", "oid": "obj-1"}) is None


@pytest.mark.django_db
def test_the_same_identity_cannot_be_tied_to_two_accounts(demo):
    from django.db import IntegrityError, transaction

    from itfabrik.accounts import services
    from itfabrik.accounts.models import User
    from itfabrik.core.errors import Conflict

    agent, ekonom = User.objects.get(username="agent"), User.objects.get(username="ekonom")
    services.user_link_oidc(user=agent, issuer=ISSUER, subject="obj-1")
    with pytest.raises(Conflict):
        services.user_link_oidc(user=ekonom, issuer=ISSUER, subject="obj-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=ekonom.pk).update(oidc_issuer=ISSUER, oidc_subject="obj-1")
    # Another provider may use the same subject for someone else; and empty is not unique.
    services.user_link_oidc(user=ekonom, issuer="https://annan.example", subject="obj-1")
    assert User.objects.filter(oidc_subject="").count() >= 2


@pytest.mark.django_db
def test_userinfo_includes_the_id_token_claims(demo, oidc_settings, monkeypatch):
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    # The provider's HTTP answer is the only thing replaced: it is not our system.
    monkeypatch.setattr(
        OIDCAuthenticationBackend,
        "get_userinfo",
        lambda self, access_token, id_token, payload: {"email": "agent@itfabrik.example"},
    )
    claims = _backend().get_userinfo("at", "it", {"oid": "obj-1", "iss": ISSUER})
    assert claims == {"oid": "obj-1", "iss": ISSUER, "email": "agent@itfabrik.example"}


@pytest.mark.django_db
@pytest.mark.parametrize(("saved", "cookie"), [("en", "en"), ("", None)])
def test_oidc_sign_in_applies_the_saved_language(demo, oidc_settings, rf, saved, cookie):
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.middleware import SessionMiddleware

    from itfabrik.accounts.models import User
    from itfabrik.accounts.oidc import OIDCCallbackView

    User.objects.filter(username="agent").update(preferred_language=saved)
    request = rf.get("/oidc/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    view = OIDCCallbackView()
    view.request = request
    view.user = User.objects.get(username="agent")
    view.user.backend = "itfabrik.accounts.oidc.OIDCBackend"
    response = view.login_success()
    assert response.status_code == 302
    got = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    assert (got.value if got else None) == cookie
