from django.test import RequestFactory, override_settings

from itfabrik.core.client_ip import client_ip


def request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/konto/logga-in/", **extra)


def test_without_proxies_the_header_is_ignored():
    with override_settings(ITFABRIK_TRUSTED_PROXY_COUNT=0):
        assert client_ip(request(forwarded="1.2.3.4")) == "10.0.0.1"


def test_behind_one_proxy_the_rightmost_entry_is_the_client():
    with override_settings(ITFABRIK_TRUSTED_PROXY_COUNT=1):
        assert client_ip(request(forwarded="203.0.113.7")) == "203.0.113.7"
        # A forged entry sent by the client stands to the left and changes nothing.
        assert client_ip(request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
        assert client_ip(request(forwarded="")) == "10.0.0.1"


def test_behind_two_proxies():
    with override_settings(ITFABRIK_TRUSTED_PROXY_COUNT=2):
        assert client_ip(request(forwarded="6.6.6.6, 203.0.113.7, 10.1.1.1")) == "203.0.113.7"
        assert client_ip(request(forwarded="203.0.113.7")) == "10.0.0.1"


def test_forged_headers_do_not_escape_the_lockout(demo, client, settings):
    settings.ITFABRIK_TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 2
    url = "/konto/logga-in/"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for forged in ("1.1.1.1", "2.2.2.2"):
        client.post(
            url,
            {"username": "ekonom", "password": "fel"},
            HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.5",
            **proxy,
        )
    locked = client.post(
        url,
        {"username": "ekonom", "password": "itfabrik-demo"},
        HTTP_X_FORWARDED_FOR="3.3.3.3, 198.51.100.5",
        **proxy,
    )
    assert locked.status_code == 429
