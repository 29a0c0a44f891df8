def test_bengtsfors_user_cannot_see_mellerud_unit(demo, api_as):
    unit = demo.node("Hemtjänst norr", municipality="Mellerud kommun")
    r = api_as("anvandare-bengtsfors").get(f"/api/v1/organisations/{unit.pk}/")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    r = api_as("admin").get(f"/api/v1/organisations/{unit.pk}/")
    assert r.status_code == 200
    assert r.json()["cost_centre"] == "1461-3100"
