"""The committed OpenAPI schema (docs/api/openapi.yaml) is the one the code produces, and the
API documentation (Swagger UI at /api/docs/) loads nothing from outside the site.

When the first test fails, regenerate the file with `scripts/openapi` and commit it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.validation import validate_schema

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.yaml"
Generated = tuple[dict[str, Any], bytes, list[str]]
REGENERATE = "Run `scripts/openapi` to regenerate docs/api/openapi.yaml and commit it."


@pytest.fixture(scope="module")
def generated() -> Generated:
    """The schema as `itfabrik spectacular --file ... --validate --fail-on-warn` makes it:
    the schema, its YAML and drf-spectacular's warnings and errors."""
    GENERATOR_STATS.reset()
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    # The command runs with no language activated, i.e. in LANGUAGE_CODE.
    with translation.override(settings.LANGUAGE_CODE), GENERATOR_STATS.silence():
        schema = generator.get_schema(request=None, public=True)
    problems = [f"warning: {m}" for m in GENERATOR_STATS._warn_cache] + [
        f"error: {m}" for m in GENERATOR_STATS._error_cache
    ]
    GENERATOR_STATS.reset()
    rendered = OpenApiYamlRenderer().render(schema, renderer_context={})
    return schema, rendered, problems


def test_schema_has_no_warnings_or_errors(generated: Generated) -> None:
    _schema, _rendered, problems = generated
    assert not problems, "drf-spectacular reports:\n" + "\n".join(problems)


def test_schema_is_valid_openapi(generated: Generated) -> None:
    schema, _rendered, _problems = generated
    validate_schema(schema)


def test_committed_schema_is_up_to_date(generated: Generated) -> None:
    _schema, rendered, _problems = generated
    assert COMMITTED.exists(), f"{COMMITTED} is missing. {REGENERATE}"
    committed = COMMITTED.read_bytes()
    if committed != rendered:
        import difflib

        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.decode().splitlines(keepends=True),
                    rendered.decode().splitlines(keepends=True),
                    "docs/api/openapi.yaml (committed)",
                    "docs/api/openapi.yaml (from the code)",
                )
            )[:80]
        )
        pytest.fail(f"The committed OpenAPI schema is out of date. {REGENERATE}\n\n{diff}")


def test_schema_covers_every_api_route(generated: Generated) -> None:
    schema, _rendered, _problems = generated
    assert schema["paths"], "the schema has no paths"
    assert all(path.startswith("/api/v1/") for path in schema["paths"]), list(schema["paths"])
    assert "/api/v1/auth/token/" in schema["paths"]
    assert "/api/v1/organisations/" in schema["paths"]


class _AssetCollector(HTMLParser):
    """URLs the page makes the browser load: script src, link href, img src and the like."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in {"src", "href", "srcset", "data", "poster", "action"}:
                self.urls.append(value)


def test_swagger_ui_loads_its_assets_from_own_static(client: Any, db: None) -> None:
    response = client.get("/api/docs/", HTTP_HOST="itfabrik.example")
    assert response.status_code == 200
    html = response.content.decode()

    collector = _AssetCollector()
    collector.feed(html)
    assert collector.urls, "no asset URLs found on /api/docs/"
    for url in collector.urls:
        parts = urlsplit(url)
        assert not parts.scheme, f"/api/docs/ loads {url} from elsewhere"
        assert not parts.netloc, f"/api/docs/ loads {url} from elsewhere"
        # Vendored static files, and the split view's own start script (same origin).
        own_script = parts.path == "/api/docs/" and parts.query.startswith("script")
        assert parts.path.startswith(settings.STATIC_URL) or own_script, f"{url} is not ours"
    assert any(u.endswith("swagger-ui-bundle.js") for u in collector.urls), collector.urls

    # Nowhere in the page (inline script included) an absolute URL to another host.
    for url in re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", html):
        host = urlsplit(url if url.startswith("http") else f"http:{url}").hostname
        assert host == "itfabrik.example", f"/api/docs/ refers to {url}"

    # The assets are really served (by WhiteNoise, from drf-spectacular-sidecar).
    for url in collector.urls:
        asset = client.get(url, HTTP_HOST="itfabrik.example")
        assert asset.status_code == 200, f"{url} -> {asset.status_code}"
        asset.close()


def test_swagger_ui_runs_under_the_content_security_policy(client: Any, db: None) -> None:
    response = client.get("/api/docs/")
    csp = response.headers.get("Content-Security-Policy", "")
    script_src = re.search(r"script-src ([^;]*)", csp)
    if script_src and "'unsafe-inline'" not in script_src.group(1):
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
        assert not inline, f"inline <script> blocked by the CSP ({script_src.group(0)})"
