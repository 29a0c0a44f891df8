"""Changing the host municipality (värdkommun): only to a member, versioned, by membership managers."""

from itfabrik.core.models import AuditEntry
from itfabrik.tenancy.models import Cooperation


def state(coop):
    return Cooperation.objects.values_list("host_id", "version").get(
        pk=coop.pk
    ), AuditEntry.objects.count()


def test_admin_moves_the_host_and_then_the_old_host_may_leave(demo, api_as):
    coop = demo.cooperation
    mellerud = demo.node("Melleruds kommun")
    api = api_as("admin")
    response = api.post(
        f"/api/v1/cooperations/{coop.pk}/host/",
        {"host": mellerud.pk, "version": coop.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["host"] == mellerud.pk
    assert response.json()["version"] == coop.version + 1
    row = AuditEntry.objects.filter(object_type="tenancy.cooperation").latest("id")
    assert row.changed_fields == ["host_id", "version"]
    stale = api.post(
        f"/api/v1/cooperations/{coop.pk}/host/",
        {"host": demo.node("Åmåls kommun").pk, "version": coop.version},
        format="json",
    )
    assert stale.status_code == 409
    amal_membership = api.get(f"/api/v1/memberships/?municipality={demo.node('Åmåls kommun').pk}")
    membership = amal_membership.json()["results"][0]
    left = api.post(
        f"/api/v1/memberships/{membership['id']}/end/",
        {"version": membership["version"], "left_on": "2027-12-31"},
        format="json",
    )
    assert left.status_code == 200


def test_a_non_member_cannot_become_host_and_nothing_changes(demo, api_as):
    coop = demo.cooperation
    before = state(coop)
    response = api_as("admin").post(
        f"/api/v1/cooperations/{coop.pk}/host/",
        {"host": demo.node("Dals-Eds kommun").pk, "version": coop.version},
        format="json",
    )
    assert response.status_code == 400
    assert "host" in response.json()["error"]["fields"]
    assert state(coop) == before


def test_refused_host_changes_change_nothing(demo, api_as):
    coop = demo.cooperation
    before = state(coop)
    payload = {"host": demo.node("Melleruds kommun").pk, "version": coop.version}
    url = f"/api/v1/cooperations/{coop.pk}/host/"
    assert api_as(None).post(url, payload, format="json").status_code == 401
    assert api_as("agent").post(url, payload, format="json").status_code == 403
    assert api_as("anvandare-bengtsfors").post(url, payload, format="json").status_code == 403
    assert state(coop) == before


def test_web_form_on_the_membership_page(demo, web_as):
    client = web_as("admin")
    coop = demo.cooperation
    page = client.get("/medlemskap/").content.decode()
    assert "Byt värdkommun" in page
    response = client.post(
        "/medlemskap/vardkommun/",
        {"host": demo.node("Bengtsfors kommun").pk, "version": coop.version},
        follow=True,
    )
    assert "Bengtsfors kommun är nu värdkommun." in response.content.decode()
    coop.refresh_from_db()
    assert coop.host == demo.node("Bengtsfors kommun")
    # The same form again from the old page: the version moved on, nothing changes.
    response = client.post(
        "/medlemskap/vardkommun/",
        {"host": demo.node("Färgelanda kommun").pk, "version": coop.version - 1},
        follow=True,
    )
    assert "Någon annan har ändrat" in response.content.decode()
    coop.refresh_from_db()
    assert coop.host == demo.node("Bengtsfors kommun")


def test_web_host_change_refused_for_others(demo, web_as):
    coop = demo.cooperation
    before = state(coop)
    client = web_as("agent")
    response = client.post(
        "/medlemskap/vardkommun/",
        {"host": demo.node("Melleruds kommun").pk, "version": coop.version},
    )
    assert response.status_code == 404
    assert state(coop) == before


# --- issue 6, point 4: a host is a member with no end date ------------------------------------


def _end_membership(api, demo, name: str, left_on: str):
    membership = api.get(f"/api/v1/memberships/?municipality={demo.node(name).pk}").json()[
        "results"
    ][0]
    return api.post(
        f"/api/v1/memberships/{membership['id']}/end/",
        {"version": membership["version"], "left_on": left_on},
        format="json",
    )


def test_a_municipality_that_is_leaving_cannot_become_host_api(demo, api_as):
    import datetime as dt

    api = api_as("admin")
    coop = demo.cooperation
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    assert _end_membership(api, demo, "Melleruds kommun", later).status_code == 200
    before = state(coop)
    response = api.post(
        f"/api/v1/cooperations/{coop.pk}/host/",
        {"host": demo.node("Melleruds kommun").pk, "version": coop.version},
        format="json",
    )
    assert response.status_code == 400, response.content
    message = response.json()["error"]["fields"]["host"][0]["messages"]
    assert "utan slutdatum" in message["sv"]
    assert message["en"] != message["sv"]
    assert state(coop) == before


def test_a_municipality_that_is_leaving_cannot_become_host_web(demo, web_as, api_as):
    import datetime as dt

    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    assert _end_membership(api_as("admin"), demo, "Melleruds kommun", later).status_code == 200
    coop = demo.cooperation
    before = state(coop)
    response = web_as("admin").post(
        "/medlemskap/vardkommun/",
        {"host": demo.node("Melleruds kommun").pk, "version": coop.version},
        follow=True,
    )
    assert "utan slutdatum för medlemskapet" in response.content.decode(), [
        str(m) for m in response.context["messages"]
    ]
    assert state(coop) == before


def test_the_hosts_membership_cannot_be_given_an_end_date(demo, api_as):
    import datetime as dt

    host = demo.cooperation.host
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    before = state(demo.cooperation)
    response = _end_membership(api_as("admin"), demo, host.name, later)
    assert response.status_code == 400
    assert "municipality" in response.json()["error"]["fields"]
    assert state(demo.cooperation) == before
