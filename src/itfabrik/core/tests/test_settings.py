"""Production settings and the security headers every response carries."""

import os
import subprocess
import sys

import pytest


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itfabrik.config.settings.prod",
        "SECRET_KEY": "x" * 64 + "a-long-random-production-secret",
        "ITFABRIK_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "itfabrik.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    # The test runner's own switches (scripts/test sets DJANGO_ALLOW_ASYNC_UNSAFE for the browser
    # tests) are not part of a deployment.
    for name in ("DEBUG", "ITFABRIK_DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "itfabrik.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itfabrik.config.settings.prod",
        "ITFABRIK_DATA_DIR": str(tmp_path),
    }
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "itfabrik.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_two_factor_is_required_by_default_outside_demo_mode():
    from django.conf import settings

    from itfabrik.config.settings import base

    assert base.env.bool("ITFABRIK_REQUIRE_STAFF_2FA", default=not False) is True
    assert settings.LANGUAGE_CODE == "sv"
    assert settings.TIME_ZONE == "Europe/Stockholm"


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get("/konto/logga-in/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Nothing on the page is loaded from another host.
    html = response.content.decode()
    assert "https://" not in html
    assert "http://" not in html


@pytest.mark.django_db
def test_demo_banner_only_in_demo_mode(client, settings):
    settings.DEMO_MODE = True
    assert "Demoläge" in client.get("/konto/logga-in/").content.decode()
    settings.DEMO_MODE = False
    assert "Demoläge" not in client.get("/konto/logga-in/").content.decode()


@pytest.mark.django_db
def test_error_pages_are_swedish(client, settings):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()
    assert '<html lang="sv">' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_host_gets_a_swedish_400_not_a_server_error(client, settings):
    settings.ALLOWED_HOSTS = ["itfabrik.example.se"]
    response = client.get("/konto/logga-in/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Det gick inte" in response.content.decode()


def test_server_error_page_is_swedish_and_needs_no_database(rf):
    from itfabrik.core.web.views import error_500

    # No db fixture: any database access here would raise, which is the point.
    response = error_500(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Tekniskt fel" in html
    assert '<html lang="sv">' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("abc123-proxy.id_42", True),
        ("x" * 65, False),
        ("kort", True),
        ("", False),
        ("<script>\n", False),
    ],
)
def test_request_id_from_a_proxy_is_kept_only_when_well_formed(client, settings, given, kept):
    settings.ITFABRIK_TRUSTED_PROXY_COUNT = 1
    response = client.get(
        "/konto/logga-in/", HTTP_X_REQUEST_ID=given, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert (response.headers["X-Request-ID"] == given) is kept
    assert len(response.headers["X-Request-ID"]) <= 64


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "forwarded"),
    [
        (0, "198.51.100.7"),  # no trusted proxy: the header came from the client itself
        (2, "198.51.100.7"),  # fewer hops than trusted proxies: not through the proxies
        (1, ""),
    ],
)
def test_request_id_not_from_a_trusted_proxy_is_replaced(client, settings, proxies, forwarded):
    settings.ITFABRIK_TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    response = client.get("/konto/logga-in/", HTTP_X_REQUEST_ID="forged-by-client", **extra)
    rid = response.headers["X-Request-ID"]
    assert rid != "forged-by-client"
    assert len(rid) == 32


def test_the_demo_listens_on_the_loopback_address_and_the_docs_say_it_is_no_server(monkeypatch):
    """Issue 6, point 9: the demo's debug pages reach only this machine, and the README and the
    operations guide say plainly that the demo is not a server configuration."""
    import argparse
    from pathlib import Path

    from itfabrik.core.management.commands.demo import Command

    monkeypatch.delenv("ITFABRIK_HOST", raising=False)
    parser = argparse.ArgumentParser()
    Command().add_arguments(parser)  # type: ignore[arg-type]
    assert parser.parse_args([]).host == "127.0.0.1"
    root = Path(__file__).resolve().parents[4]
    for doc in ("README.md", "docs/operations.md"):
        text = " ".join((root / doc).read_text(encoding="utf-8").split())
        assert "The demo is not a server configuration" in text, doc
