"""Optional OpenID Connect sign-in: configured by environment, matches existing accounts only."""

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
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
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

    with override_settings(**OIDC_ENV, OIDC_RP_SIGN_ALGO="RS256", OIDC_CREATE_USER=False):
        backend = OIDCBackend()
        found = backend.filter_users_by_claims({"email": "Agent@itfabrik.example"})
        assert [u.username for u in found] == ["agent"]
        assert list(backend.filter_users_by_claims({"email": "okand@kommun.se"})) == []
        assert list(backend.filter_users_by_claims({})) == []
        User.objects.filter(username="agent").update(is_active=False)
        assert list(backend.filter_users_by_claims({"email": "agent@itfabrik.example"})) == []
