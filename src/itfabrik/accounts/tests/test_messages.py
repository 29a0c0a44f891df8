"""Account messages a person can act on (issue 13): usernames, the API key's scheme, role names
in the audit trail in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from itfabrik.core.tests import assert_error, assert_unchanged, db_state

USERNAME_SV = (
    "Användarnamnet får bara innehålla bokstäver, siffror och @ . + - _ (inga mellanslag)."
)
USERNAME_EN = "A username may contain only letters, digits and @ . + - _ (no spaces)."


def test_username_with_a_space_says_why_in_the_api(demo: Any, api_as: Any) -> None:
    admin = api_as("admin")
    before = db_state()
    r = admin.post(
        "/api/v1/users/",
        {"username": "anna svensson", "home_unit": demo.node("Elevhälsan", "Åmåls kommun").pk},
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert error["fields"]["username"][0]["messages"] == {"sv": USERNAME_SV, "en": USERNAME_EN}
    assert_unchanged(before)


def test_username_with_a_space_says_why_on_the_web_form(demo: Any, web_as: Any) -> None:
    r = web_as("admin").post(
        "/konto/anvandare/ny/",
        {"username": "anna svensson", "home_unit": demo.node("Elevhälsan", "Åmåls kommun").pk},
    )
    assert r.context["form"].errors["username"] == [USERNAME_SV]


def test_a_bearer_token_is_answered_with_the_right_scheme(demo: Any, api_as: Any) -> None:
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=demo.user("admin"))
    client = api_as(None)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    r = client.get("/api/v1/me/")
    error = assert_error(r, 401, "wrong_scheme")
    assert "Token <nyckel>" in error["messages"]["sv"]
    assert "Bearer" in error["messages"]["sv"]
    assert "Token <key>" in error["messages"]["en"]
    assert r["WWW-Authenticate"] == "Token"
    # The right scheme with the same key works.
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/me/").status_code == 200


def test_english_audit_lines_name_the_role_in_english(demo: Any) -> None:
    from itfabrik.accounts import services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.models import AuditEntry

    with translation.override("sv"):
        services.role_assign(
            actor=demo.user("admin"),
            user=demo.user("ekonom"),
            role=Role.ORDERER,
            node=demo.node("Färgelanda kommun"),
        )
    entry = AuditEntry.objects.filter(object_type="accounts.roleassignment").latest("pk")
    assert "Beställare" in entry.object_repr
    with translation.override("en"):
        assert "Orderer" in entry.object_label
        assert "Beställare" not in entry.object_label
    with translation.override("sv"):
        assert entry.object_label == entry.object_repr


def test_new_account_gives_every_error_in_one_submit(demo: Any, web_as: Any, api_as: Any) -> None:
    """A taken username, a bad e-mail address and a weak password: three messages at once."""
    unit = demo.node("Elevhälsan", "Åmåls kommun")
    wrong = {"username": "ekonom", "email": "inte-en-adress", "password": "123"}
    client = web_as("admin")
    admin = api_as("admin")
    before = db_state()
    r = client.post("/konto/anvandare/ny/", {**wrong, "home_unit": unit.pk})
    assert set(r.context["form"].errors) == {"username", "email", "password"}
    api = admin.post("/api/v1/users/", {**wrong, "home_unit": unit.pk}, format="json")
    assert set(assert_error(api, 400, "invalid")["fields"]) == {"username", "email", "password"}
    assert_unchanged(before)
