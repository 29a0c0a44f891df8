"""Creating accounts: by those who grant roles where the person works; refused writes change nothing."""

import pytest

from itfabrik.accounts.models import User
from itfabrik.core.models import AuditEntry


def state():
    return (
        sorted(User.objects.values_list("username", flat=True)),
        AuditEntry.objects.exclude(action="refuse").count(),
    )


def test_admin_creates_an_account_through_the_api(demo, api_as, client):
    unit = demo.node("Elevhälsan", "Åmåls kommun")
    response = api_as("admin").post(
        "/api/v1/users/",
        {
            "username": "kurator.amal",
            "first_name": "Karin",
            "last_name": "Kurator",
            "email": "Karin@Amal.se",
            "home_unit": unit.pk,
            "password": "ett-langt-losenord-2026",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "kurator.amal"
    assert body["email"] == "karin@amal.se"
    assert body["home_unit"] == unit.pk
    person = User.objects.get(username="kurator.amal")
    row = AuditEntry.objects.get(object_type="accounts.user", object_id=str(person.pk))
    assert row.actor == demo.user("admin")
    assert row.scope_path == unit.path
    signed_in = client.post(
        "/konto/logga-in/", {"username": "kurator.amal", "password": "ett-langt-losenord-2026"}
    )
    assert signed_in.status_code == 302


def test_sso_only_account_has_no_usable_password(demo, api_as):
    unit = demo.node("Elevhälsan", "Åmåls kommun")
    response = api_as("admin").post(
        "/api/v1/users/", {"username": "sso.only", "home_unit": unit.pk}, format="json"
    )
    assert response.status_code == 201
    assert not User.objects.get(username="sso.only").has_usable_password()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "admin"}, "username"),  # taken
        ({"username": "har mellanslag"}, "username"),
        ({"username": "ny", "email": "inte-en-adress"}, "email"),
        ({"username": "ny", "password": "123"}, "password"),
        ({"username": "ny", "home_unit": "x"}, "home_unit"),
    ],
)
def test_invalid_input_names_the_field_in_both_languages_and_saves_nothing(
    demo, api_as, payload, field
):
    unit = demo.node("Elevhälsan", "Åmåls kommun")
    before = state()
    response = api_as("admin").post(
        "/api/v1/users/", {"home_unit": unit.pk, **payload}, format="json"
    )
    assert response.status_code == 400, response.content
    messages = response.json()["error"]["fields"][field][0]["messages"]
    assert messages["sv"]
    assert messages["en"]
    assert messages["sv"] != messages["en"]
    assert state() == before


@pytest.mark.parametrize(
    ("actor", "unit_municipality", "status"),
    [
        (None, "Åmåls kommun", 401),
        ("agent", "Åmåls kommun", 403),  # sees the unit, may not create accounts there
        ("anvandare-bengtsfors", "Melleruds kommun", 404),  # cannot see the unit at all
        ("ekonom", "Melleruds kommun", 403),
    ],
)
def test_refused_creation_changes_nothing(demo, api_as, actor, unit_municipality, status):
    unit = demo.node("Hemtjänst norr", unit_municipality)
    before = state()
    response = api_as(actor).post(
        "/api/v1/users/", {"username": "inkraktare", "home_unit": unit.pk}, format="json"
    )
    assert response.status_code == status, response.content
    assert "error" in response.json()
    assert state() == before


def test_web_form_creates_the_account_and_leads_to_its_roles(demo, web_as):
    client = web_as("admin")
    assert "Nytt konto" in client.get("/konto/anvandare/").content.decode()
    unit = demo.node("Gata och park", "Melleruds kommun")
    response = client.post(
        "/konto/anvandare/ny/",
        {"username": "parkarbetare", "first_name": "Per", "home_unit": unit.pk, "password": ""},
    )
    assert response.status_code == 302
    person = User.objects.get(username="parkarbetare")
    # It continues straight into granting the first role, with the form in focus.
    assert response["Location"] == f"/konto/anvandare/{person.pk}/?ny=1"
    page = client.get(response["Location"]).content.decode()
    assert "Personen har ingen roll ännu och kommer inte åt något" in page
    assert 'data-focus="#id_role"' in page
    again = client.post("/konto/anvandare/ny/", {"username": "parkarbetare", "home_unit": unit.pk})
    assert again.status_code == 200
    assert "error-summary" in again.content.decode()


def test_web_form_is_not_for_those_who_cannot_grant(demo, web_as):
    before = state()
    client = web_as("agent")
    assert "Nytt konto" not in client.get("/konto/anvandare/").content.decode()
    assert client.get("/konto/anvandare/ny/").status_code == 404
    unit = demo.node("Gata och park", "Melleruds kommun")
    assert (
        client.post("/konto/anvandare/ny/", {"username": "x", "home_unit": unit.pk}).status_code
        == 404
    )
    assert state() == before
