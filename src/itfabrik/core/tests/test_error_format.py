"""The one error format, with the message in Swedish and English whatever the client asked for."""


def test_serializer_errors_come_in_both_languages(demo, api_as):
    response = api_as("admin").post(
        "/api/v1/organisations/", {"parent": "x", "kind": "planet"}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"parent", "kind", "name"}
    for name in ("parent", "kind", "name"):
        messages = fields[name][0]["messages"]
        assert messages["sv"]
        assert messages["en"]
        assert messages["sv"] != messages["en"], name
    assert fields["name"][0]["messages"]["en"] == "This field is required."


def test_interpolated_service_messages_come_in_both_languages(demo, api_as):
    parent = demo.node("Socialförvaltningen", "Åmåls kommun")
    response = api_as("admin").post(
        "/api/v1/organisations/",
        {"parent": parent.pk, "kind": "municipality", "name": "X"},
        format="json",
    )
    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["kind"][0]["messages"]
    assert "Kommun" in messages["sv"]
    assert "Förvaltning" in messages["sv"]
    assert messages["en"] != messages["sv"]
    assert "Municipality" in messages["en"]


def test_filter_errors_come_in_both_languages(demo, api_as):
    response = api_as("admin").get("/api/v1/organisations/?kind=planet")
    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["kind"][0]["messages"]
    assert messages["sv"] != messages["en"]


def test_english_client_gets_english_message_first(demo, api_as):
    response = api_as("admin").post(
        "/api/v1/organisations/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["error"]["fields"]["name"][0]["message"] == "This field is required."
    assert response.json()["error"]["message"] == "The details are not valid."
