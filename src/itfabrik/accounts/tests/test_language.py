from django.conf import settings

from itfabrik.core.models import AuditEntry


def test_saved_language_follows_the_user_to_the_next_sign_in(demo, client):
    client.post("/konto/logga-in/", {"username": "ekonom", "password": "itfabrik-demo"})
    response = client.post("/konto/sprak/", {"language": "en"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user = demo.user("ekonom")
    assert user.preferred_language == "en"
    row = AuditEntry.objects.get(
        object_type="accounts.user", object_id=str(user.pk), action="update"
    )
    assert row.changed_fields == ["preferred_language"]
    client.post("/konto/logga-ut/")
    client.cookies.clear()
    login = client.post("/konto/logga-in/", {"username": "ekonom", "password": "itfabrik-demo"})
    assert login.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_no_saved_choice_leaves_the_language_alone_and_bad_input_saves_nothing(demo, client):
    login = client.post("/konto/logga-in/", {"username": "agent", "password": "itfabrik-demo"})
    assert settings.LANGUAGE_COOKIE_NAME not in login.cookies
    before = AuditEntry.objects.count()
    client.post("/konto/sprak/", {"language": "klingon"})
    assert demo.user("agent").preferred_language == ""
    assert AuditEntry.objects.count() == before
