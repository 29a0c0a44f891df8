"""Inhabitants per year: entered by those who may change the municipality, read by all members."""

from itfabrik.core.models import AuditEntry
from itfabrik.tenancy.models import InhabitantCount


def state(node):
    return (
        sorted(
            InhabitantCount.objects.filter(municipality=node).values_list("year", "inhabitants")
        ),
        AuditEntry.objects.count(),
    )


def test_api_reads_and_sets_inhabitants(demo, api_as):
    node = demo.node("Melleruds kommun")
    url = f"/api/v1/organisations/{node.pk}/inhabitants/"
    read = api_as("anvandare-bengtsfors").get(url)  # every member sees the members' facts
    assert read.status_code == 200
    assert [(r["year"], r["inhabitants"]) for r in read.json()] == [(2023, 9165)]
    written = api_as("admin").post(url, {"year": 2024, "inhabitants": 9100}, format="json")
    assert written.status_code == 200, written.content
    assert [(r["year"], r["inhabitants"], r["source"]) for r in written.json()] == [
        (2024, 9100, "SCB"),
        (2023, 9165, "SCB"),
    ]
    corrected = api_as("admin").post(url, {"year": 2024, "inhabitants": 9101}, format="json")
    assert corrected.json()[0]["inhabitants"] == 9101
    assert InhabitantCount.objects.filter(municipality=node, year=2024).count() == 1
    listed = api_as("admin").get(f"/api/v1/organisations/{node.pk}/").json()
    assert (listed["inhabitants"], listed["inhabitants_year"]) == (9101, 2024)


def test_refused_and_invalid_writes_change_nothing(demo, api_as):
    node = demo.node("Melleruds kommun")
    url = f"/api/v1/organisations/{node.pk}/inhabitants/"
    before = state(node)
    assert (
        api_as(None).post(url, {"year": 2024, "inhabitants": 1}, format="json").status_code == 401
    )
    refused = api_as("anvandare-bengtsfors").post(
        url, {"year": 2024, "inhabitants": 1}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    invalid = api_as("admin").post(url, {"year": 1800, "inhabitants": -5}, format="json")
    assert invalid.status_code == 400
    assert set(invalid.json()["error"]["fields"]) == {"year", "inhabitants"}
    unit = demo.node("Gata och park", "Melleruds kommun")
    not_municipality = api_as("admin").post(
        f"/api/v1/organisations/{unit.pk}/inhabitants/",
        {"year": 2024, "inhabitants": 5},
        format="json",
    )
    assert not_municipality.status_code == 400
    assert state(node) == before


def test_web_form_on_the_municipality_page(demo, web_as):
    node = demo.node("Dals-Eds kommun")
    client = web_as("admin")
    page = client.get(f"/organisation/{node.pk}/")
    assert "Ange invånarantal" in page.content.decode()
    response = client.post(
        f"/organisation/{node.pk}/invanare/", {"year": 2023, "inhabitants": 4700, "source": "SCB"}
    )
    assert response.status_code == 302
    assert InhabitantCount.objects.get(municipality=node, year=2023).inhabitants == 4700
    bad = client.post(
        f"/organisation/{node.pk}/invanare/", {"year": "x", "inhabitants": 1, "source": ""}
    )
    assert bad.status_code == 200
    assert "error-summary" in bad.content.decode()


def test_web_form_refused_for_others(demo, web_as):
    node = demo.node("Dals-Eds kommun")
    client = web_as("anvandare-bengtsfors")
    assert "Ange invånarantal" not in client.get(f"/organisation/{node.pk}/").content.decode()
    before = state(node)
    response = client.post(
        f"/organisation/{node.pk}/invanare/", {"year": 2023, "inhabitants": 1, "source": "SCB"}
    )
    assert response.status_code == 404
    assert state(node) == before
