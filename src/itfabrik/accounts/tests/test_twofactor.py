"""Two-factor sign-in (TOTP) and login throttling, through the real login form and API."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "itfabrik-demo"


def code_for(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_STAFF_2FA = True
    # django-otp delays the next try exponentially after a wrong code (tested below); here the
    # tests give a wrong code and then the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_a_wrong_code_throttles_the_next_attempt_by_default(demo):
    from itfabrik.accounts import twofactor

    device = TOTPDevice.objects.create(user=demo.user("agent"), name="app", confirmed=True)
    assert twofactor.verify(demo.user("agent"), "000000") is None
    assert twofactor.verify(demo.user("agent"), code_for(device)) is None  # still throttled


def login(client, username, password=PASSWORD):
    return client.post("/konto/logga-in/", {"username": username, "password": password})


def test_staff_must_set_up_totp_before_anything_else(demo, client, require_2fa):
    response = login(client, "agent")
    assert response.status_code == 302
    # Every page now leads to the set-up page, and the API refuses the session.
    response = client.get("/organisation/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/tvafaktor/aktivera/?next=%2Forganisation%2F"
    api = client.get("/api/v1/organisations/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "two_factor_required"
    # Not even the profile (with the API key) or creating a key is reachable before the code.
    assert client.get("/konto/").status_code == 302
    assert client.post("/konto/api-nyckel/").status_code == 302
    from rest_framework.authtoken.models import Token

    assert not Token.objects.filter(user__username="agent").exists()
    page = client.get("/konto/tvafaktor/aktivera/")
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user__username="agent", confirmed=False)
    wrong = client.post("/konto/tvafaktor/aktivera/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Engångskoden stämmer inte" in wrong.content.decode()
    ok = client.post("/konto/tvafaktor/aktivera/", {"code": code_for(device)})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/organisation/").status_code == 200


def test_a_user_with_a_device_gives_a_code_at_each_login(demo, client, require_2fa):
    user = demo.user("tekniker")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    login(client, "tekniker")
    assert client.get("/").headers["Location"] == "/konto/tvafaktor/?next=%2F"
    bad = client.post("/konto/tvafaktor/", {"code": "12345a"})
    assert bad.status_code == 200
    assert client.get("/").status_code == 302
    good = client.post("/konto/tvafaktor/", {"code": code_for(device)})
    assert good.status_code == 302
    assert client.get("/").status_code == 200


def test_end_users_are_not_asked_for_a_code(demo, client, require_2fa):
    login(client, "anvandare-bengtsfors")
    assert client.get("/").status_code == 200


def test_api_token_requires_the_code_where_two_factor_applies(demo, client, require_2fa):
    user = demo.user("agent")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    url = "/api/v1/auth/token/"
    missing = client.post(url, {"username": "agent", "password": PASSWORD})
    assert missing.status_code == 400
    body = missing.json()["error"]
    assert "otp" in body["fields"]
    assert body["fields"]["otp"][0]["messages"]["en"]
    wrong = client.post(url, {"username": "agent", "password": PASSWORD, "otp": "000000"})
    assert wrong.status_code == 401
    good = client.post(url, {"username": "agent", "password": PASSWORD, "otp": code_for(device)})
    assert good.status_code == 200
    assert len(good.json()["token"]) == 40


def test_login_is_throttled_after_repeated_failures(demo, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        response = login(client, "ekonom", "fel-losenord")
        assert response.status_code == 200
        assert "Fel användarnamn eller lösenord" in response.content.decode()
    locked = login(client, "ekonom", "fel-losenord")
    assert locked.status_code == 429
    # Even the right password is refused while locked, on the web and on the API.
    assert login(client, "ekonom").status_code == 429
    api = client.post("/api/v1/auth/token/", {"username": "ekonom", "password": PASSWORD})
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "throttled"
    # Another account from the same address is not affected.
    assert login(client, "strateg").status_code == 302
