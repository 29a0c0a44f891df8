"""Property-based API fuzzing with schemathesis, in-process against the WSGI application.

Every operation of /api/schema/ is called with generated input (valid and invalid: schemathesis'
"all" generation mode, fuzzing and coverage phases) as three actors: the admin, an ordinary user
of Bengtsfors and an anonymous client. The calls go through Django's WSGI handler in the test's
own thread and database connection, so they see the Dalsland demo and everything they write is
rolled back with the test; each call also runs in a savepoint of its own, so one call's writes, or
a database error, do not leak into the next example.

Checks on every response:

* ``not_a_server_error``; on a 500 the failure shows the server-side traceback;
* ``response_schema_conformance``: a documented status code's body matches the schema;
* ``content_type_conformance``: the content type is the documented one;
* ``one_error_format``: every 4xx is JSON in the one error format of core.api.errors, also for
  URLs under /api/ that match no route (e.g. /api/v1/memberships/0.5/end/);
* ``status_code_conformance``: every status code answered is documented (core.api.schema adds
  the error answers to every operation).

Bounded and deterministic: fixed seed, derandomized Hypothesis, no example database, at most
MAX_EXAMPLES generated cases per operation and actor (ITFABRIK_FUZZ_EXAMPLES overrides it).

Run:  DJANGO_SETTINGS_MODULE=itfabrik.config.settings.test .venv/bin/python -m pytest \
          tests/test_schemathesis.py -q        (add DATABASE_URL=postgres://... for PostgreSQL)
Only the fuzzing:  pytest -m fuzz;  everything else:  pytest -m "not fuzz".
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import CoverageScenario, TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("ITFABRIK_FUZZ_EXAMPLES", "20"))
SEED = 20250101


def _config(*, max_examples: int, coverage: bool) -> Any:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": coverage}},
        }
    )


# The fixtures are shared by all examples of an operation on purpose: the test transaction, the
# signal wiring and the token need no reset between calls (each call has its own savepoint).
SHARED_FIXTURES = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def one_error_format(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx response is JSON in the one error format: {"error": {code, message, ...}}."""
    if not 400 <= response.status_code < 500:
        return None
    label = f"{case.method.upper()} {urlsplit(response.request.url).path} -> {response.status_code}"
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/json"), (
        f"{label}: error response is {content_type}, not JSON: {response.text[:300]!r}"
    )
    body = response.json()
    assert isinstance(body, dict), f"{label}: {body!r}"
    assert set(body) == {"error"}, f"{label}: {body!r}"
    error = body["error"]
    assert isinstance(error, dict), f"{label}: {body!r}"
    assert set(error) == {"code", "message", "messages", "fields"}, f"{label}: {error!r}"
    assert isinstance(error["code"], str), f"{label}: {error!r}"
    assert error["code"], f"{label}: {error!r}"
    assert isinstance(error["message"], str), f"{label}: {error!r}"
    assert error["message"], f"{label}: {error!r}"
    assert isinstance(error["messages"], dict), f"{label}: {error!r}"
    assert isinstance(error["fields"], dict), f"{label}: {error!r}"
    return True


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    one_error_format,
    status_code_conformance,
]


@pytest.fixture
def in_test_transaction(db: Any) -> Iterator[None]:
    """Keep WSGI requests on the test's connection and transaction.

    Django closes "old" connections when a request starts and finishes; inside the test
    transaction that would drop the connection and the rollback. Django's test client
    disconnects the same handlers.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def server_errors() -> Iterator[list[str]]:
    """Tracebacks of the exceptions views raised (Django turns them into 500 pages)."""
    seen: list[str] = []

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        where = f"{request.method} {request.get_full_path()}" if request is not None else "?"
        seen.append(f"{where}\n{traceback.format_exc()}")

    got_request_exception.connect(record, weak=False)
    try:
        yield seen
    finally:
        got_request_exception.disconnect(record)


@pytest.fixture
def token_for(db: Any) -> Callable[[str], str]:
    from itfabrik.accounts.models import User
    from itfabrik.accounts.services import token_issue

    # Every example of an operation asks again; issuing it each time was a twelfth of the run.
    keys: dict[str, str] = {}

    def make(username: str) -> str:
        if username not in keys:
            keys[username] = token_issue(user=User.objects.get(username=username)).key
        return keys[username]

    return make


def _refused_without_token(case: Any, response: Any, headers: dict[str, str]) -> None:
    """401, or 404 for an address that reaches no operation: one that matches no route, or one
    whose last part reads as a format suffix (`/0.5/`: id 0, format "5"), which Django REST
    framework's content negotiation refuses before authentication. Neither tells anything about
    the operation."""
    if response.status_code == 401:
        return
    if response.status_code == 404:
        try:
            match = resolve(urlsplit(response.request.url).path)
        except Resolver404:
            return
        if "format" in match.kwargs:
            return
    pytest.fail(
        f"{case.method.upper()} {case.formatted_path} without a token answered "
        f"{response.status_code}, not 401.\nReproduce: {case.as_curl_command(headers=headers)}",
        pytrace=False,
    )


# Coverage scenarios whose answer the parsers give before any query: a value of the wrong type,
# a method the path does not have, a body in no accepted content type, a required field or
# parameter left out, a value outside an enum, format or pattern. They run in full on SQLite; the
# PostgreSQL run leaves them out, as the same Python answers them on either database. Boundary
# values, lengths and valid objects, which reach the tables, run on both (ADR 0016).
PARSER_SCENARIOS = frozenset(
    {
        CoverageScenario.INCORRECT_TYPE,
        CoverageScenario.UNSPECIFIED_HTTP_METHOD,
        CoverageScenario.MALFORMED_CONTENT_TYPE,
        CoverageScenario.UNSUPPORTED_CONTENT_TYPE,
        CoverageScenario.MISSING_PARAMETER,
        CoverageScenario.OBJECT_MISSING_REQUIRED_PROPERTY,
        CoverageScenario.INVALID_ENUM_VALUE,
        CoverageScenario.INVALID_FORMAT,
        CoverageScenario.INVALID_PATTERN,
    }
)


def _answered_by_the_parsers(case: Any) -> bool:
    meta = case.meta
    if meta is None or meta.phase.name != TestPhase.COVERAGE:
        return False
    return getattr(meta.phase.data, "scenario", None) in PARSER_SCENARIOS


def _call_and_check(
    case: Any, headers: dict[str, str], server_errors: list[str], *, refused: bool = False
) -> None:
    if connection.vendor == "postgresql" and _answered_by_the_parsers(case):
        return
    server_errors.clear()
    with transaction.atomic():
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    if refused:
        _refused_without_token(case, response, headers)
    if server_errors:
        pytest.fail(
            f"{case.method.upper()} {case.formatted_path} raised on the server:\n"
            f"{server_errors[0]}\nReproduce: {case.as_curl_command(headers=headers)}",
            pytrace=False,
        )
    case.validate_response(response, checks=CHECKS, headers=headers)


# Loaded at import: pytest-django has configured Django by then, and producing the schema
# needs no database. (schemathesis.pytest.from_fixture would load it lazily, but schemathesis
# 4.32 sets the removed Node._nodeid there and fails under pytest 9.)
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), config=_config(max_examples=MAX_EXAMPLES, coverage=True)
)


def _schema_with(*, max_examples: int, coverage: bool) -> Any:
    """The same loaded schema and application, generated with other settings."""
    other = schemathesis.openapi.from_dict(
        schema.raw_schema, config=_config(max_examples=max_examples, coverage=coverage)
    )
    other.app = schema.app
    other.location = schema.location
    return other


def _admits_anonymous(ctx: Any) -> bool:
    """The operation's own security requirements include none at all (`{}`): the sign-in."""
    return {} in (ctx.operation.definition.raw.get("security") or [])


# What each actor adds decides how much is generated for it (ADR 0016):
# - the admin reaches every operation's parser and rules: every phase in full, the coverage
#   phase's boundary values of every field included;
# - the municipal user adds the scoping of what it may see and do, whatever the input: the same
#   number of generated examples, without the coverage phase, whose boundary values go to the
#   same parsers the admin's run has covered;
# - an anonymous caller is refused with 401 before anything is parsed by every operation that
#   requires a token: a few examples each, which must all be that 401 in the one error format;
#   the operations open to anonymous callers are fuzzed in full.
ANONYMOUS_REFUSED_EXAMPLES = 3
as_municipal_user = _schema_with(max_examples=MAX_EXAMPLES, coverage=False)
anonymous_refused = _schema_with(max_examples=ANONYMOUS_REFUSED_EXAMPLES, coverage=False).exclude(
    _admits_anonymous
)


@schema.parametrize()
@SHARED_FIXTURES
def test_api_as_admin(
    case: Any, in_test_transaction: None, token_for: Any, server_errors: list[str]
) -> None:
    headers = {"Authorization": f"Token {token_for('admin')}"}
    _call_and_check(case, headers, server_errors)


@as_municipal_user.parametrize()
@SHARED_FIXTURES
def test_api_as_municipal_user(
    case: Any, in_test_transaction: None, token_for: Any, server_errors: list[str]
) -> None:
    headers = {"Authorization": f"Token {token_for('anvandare-bengtsfors')}"}
    _call_and_check(case, headers, server_errors)


@schema.include(_admits_anonymous).parametrize()
@SHARED_FIXTURES
def test_api_anonymous(case: Any, in_test_transaction: None, server_errors: list[str]) -> None:
    _call_and_check(case, {}, server_errors)


@anonymous_refused.parametrize()
@SHARED_FIXTURES
def test_api_anonymous_refused(
    case: Any, in_test_transaction: None, server_errors: list[str]
) -> None:
    """Every call without a token to an operation that requires one is refused with 401 in the
    one error format, whatever its input."""
    _call_and_check(case, {}, server_errors, refused=True)
