"""The register's web writes: reclassifying an information asset (page and API), registering an
asset, adding and switching requirements, adding an integration. Each: the change as it should
be (and audited), bad input refused by name with nothing changed, and another cooperation's or
municipality's objects not found with nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.models import AuditAction, AuditEntry
from itfabrik.core.tests import assert_error, assert_unchanged, db_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def sakerhet(client: Any, register: Any) -> Any:
    client.force_login(register.sakerhet)
    return client


@pytest.fixture
def elsewhere(db: Any) -> Any:
    """Another cooperation with a system, a requirement and an information asset of its own."""
    from itfabrik.systems import services
    from itfabrik.tenancy import services as tenancy_services

    coop = tenancy_services.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")

    class Elsewhere:
        cooperation = coop
        system = services.system_create(
            actor=SYSTEM, cooperation=coop, name="Hemligt system", hosting="cloud"
        )
        requirement = services.requirement_create(
            actor=SYSTEM, cooperation=coop, code="X1", aspect="confidentiality", level=1, text="X"
        )
        asset = services.asset_create(
            actor=SYSTEM, cooperation=coop, name="Hemliga akter", confidentiality=1
        )

    return Elsewhere()


@pytest.fixture
def it_contact(client: Any, demo: Any) -> Any:
    """Bengtsfors's IT contact: sees the systems Bengtsfors uses, nothing cooperation-wide."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role

    user = demo.user("anvandare-bengtsfors")
    account_services.role_assign(
        actor=SYSTEM, user=user, role=Role.IT_CONTACT, node=demo.node("Bengtsfors kommun")
    )
    client.force_login(user)
    return client


def _asset(name: str) -> Any:
    from itfabrik.systems.models import InformationAsset

    return InformationAsset.objects.get(name=name)


def _levels(asset: Any) -> tuple[Any, ...]:
    asset.refresh_from_db()
    return (
        asset.confidentiality,
        asset.integrity,
        asset.availability,
        asset.traceability,
        asset.personal_data,
    )


# --- reclassifying an information asset: the page -----------------------------------------------


def test_asset_classify_page(sakerhet: Any) -> None:
    asset = _asset("Leverantörsreskontra")
    listing = sakerhet.get("/system/informationstillgangar/").content.decode()
    assert f'href="/system/informationstillgangar/{asset.pk}/klassa/"' in listing
    r = sakerhet.get(f"/system/informationstillgangar/{asset.pk}/klassa/")
    assert r.status_code == 200
    body = r.content.decode()
    assert 'for="id_confidentiality"' in body
    assert "Leverantörsreskontra" in body
    english = sakerhet.get("/system/informationstillgangar/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Reclassify" in english.content.decode()
    r = sakerhet.post(
        f"/system/informationstillgangar/{asset.pk}/klassa/",
        {
            "confidentiality": "2",
            "integrity": "4",
            "availability": "1",
            "personal_data": "on",
            "traceability": "3",
            "version": asset.version,
        },
    )
    assert r.status_code == 302
    assert r["Location"] == "/system/informationstillgangar/"
    assert _levels(asset) == (2, 4, 1, 3, True)
    assert asset.klassa_summary == 4
    entry = AuditEntry.objects.filter(
        object_id=str(asset.pk), object_type__icontains="informationasset"
    ).latest("pk")
    assert entry.action == AuditAction.UPDATE
    assert entry.before["integrity"] == 3
    assert entry.after["integrity"] == 4
    assert entry.before["personal_data"] is False
    assert entry.after["personal_data"] is True


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("sv", "Spårbarhet anges bara när personuppgifter behandlas."),
        ("en", "Traceability is only given where personal data are processed."),
    ],
)
def test_asset_classify_page_refuses_bad_input(sakerhet: Any, language: str, message: str) -> None:
    asset = _asset("Leverantörsreskontra")
    url = f"/system/informationstillgangar/{asset.pk}/klassa/"
    before = db_state()
    forged = {"confidentiality": "9", "integrity": "3", "availability": "2", "version": 1}
    r = sakerhet.post(url, forged, HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400
    body = r.content.decode()
    assert 'class="error-summary"' in body
    assert 'href="#id_confidentiality"' in body
    no_pd = {"confidentiality": "1", "integrity": "1", "availability": "1", "traceability": "2"}
    r = sakerhet.post(url, {**no_pd, "version": asset.version}, HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert_unchanged(before)
    assert _levels(asset) == (1, 3, 2, None, False)


def test_asset_classify_page_stale_version_changes_nothing(sakerhet: Any) -> None:
    asset = _asset("Leverantörsreskontra")
    before = db_state()
    r = sakerhet.post(
        f"/system/informationstillgangar/{asset.pk}/klassa/",
        {"confidentiality": "4", "integrity": "1", "availability": "1", "version": 99},
    )
    assert r.status_code == 400
    assert 'class="error-summary"' in r.content.decode()
    assert_unchanged(before)


def test_asset_classify_page_of_another_cooperation_is_not_found(
    sakerhet: Any, elsewhere: Any
) -> None:
    url = f"/system/informationstillgangar/{elsewhere.asset.pk}/klassa/"
    before = db_state()
    assert sakerhet.get(url).status_code == 404
    data = {"confidentiality": "4", "integrity": "4", "availability": "4", "version": 1}
    assert sakerhet.post(url, data).status_code == 404
    assert_unchanged(before)
    assert _levels(elsewhere.asset)[0] == 1


@pytest.mark.parametrize("who", ["strateg", "it_contact"])
def test_asset_classify_page_without_the_right_is_not_found(
    client: Any, register: Any, it_contact: Any, who: str
) -> None:
    if who == "strateg":
        client.force_login(register.strateg)
    assert client.get("/system/").status_code == 200  # sees the register (its own part)
    asset = _asset("Leverantörsreskontra")
    url = f"/system/informationstillgangar/{asset.pk}/klassa/"
    before = db_state()
    assert client.get(url).status_code == 404
    data = {"confidentiality": "4", "integrity": "4", "availability": "4", "version": 1}
    assert client.post(url, data).status_code == 404
    assert_unchanged(before)


# --- reclassifying an information asset: the API ------------------------------------------------


def test_api_asset_list_and_classify(api_as: Any, register: Any) -> None:
    api = api_as("sakerhet")
    r = api.get("/api/v1/systems/information-assets/")
    assert r.status_code == 200
    rows = {row["name"]: row for row in r.json()["results"]}
    assert set(rows) == {
        "Sociala akter", "Elevdokumentation", "Leverantörsreskontra", "Lönespecifikationer"
    }  # fmt: skip
    row = rows["Leverantörsreskontra"]
    assert (row["system_name"], row["klassa_summary"]) == ("Ekonomi Saldo", 3)
    r = api.post(
        f"/api/v1/systems/information-assets/{row['id']}/classify/",
        {"version": row["version"], "confidentiality": 4, "integrity": 0, "availability": None},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["confidentiality"], body["integrity"], body["availability"]) == (4, 0, None)
    assert (body["klassa_summary"], body["version"]) == (4, row["version"] + 1)
    entry = AuditEntry.objects.filter(
        object_id=str(row["id"]), object_type__icontains="informationasset"
    ).latest("pk")
    assert (entry.before["confidentiality"], entry.after["confidentiality"]) == (1, 4)


def test_api_asset_classify_refuses_bad_input(api_as: Any, register: Any) -> None:
    api = api_as("sakerhet")
    asset = _asset("Leverantörsreskontra")
    url = f"/api/v1/systems/information-assets/{asset.pk}/classify/"
    before = db_state()
    r = api.post(
        url,
        {"version": asset.version, "confidentiality": 5, "integrity": -1, "availability": 2},
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {"confidentiality", "integrity"}
    r = api.post(
        url,
        {"version": asset.version, "confidentiality": 1, "integrity": 1, "availability": 1,
         "traceability": 2},
        format="json",
    )  # fmt: skip
    error = assert_error(r, 400, "invalid")
    assert error["fields"]["traceability"][0]["messages"] == {
        "sv": "Spårbarhet anges bara när personuppgifter behandlas.",
        "en": "Traceability is only given where personal data are processed.",
    }
    r = api.post(
        url,
        {"version": asset.version + 5, "confidentiality": 1, "integrity": 1, "availability": 1},
        format="json",
    )
    assert r.status_code == 409
    assert_unchanged(before)


def test_api_asset_of_another_cooperation_is_not_found(
    api_as: Any, register: Any, elsewhere: Any
) -> None:
    api = api_as("sakerhet")
    before = db_state()
    assert api.get(f"/api/v1/systems/information-assets/{elsewhere.asset.pk}/").status_code == 404
    r = api.post(
        f"/api/v1/systems/information-assets/{elsewhere.asset.pk}/classify/",
        {"version": 1, "confidentiality": 4, "integrity": 4, "availability": 4},
        format="json",
    )
    assert_error(r, 404, "not_found")
    assert_unchanged(before)
    names = [
        row["name"] for row in api.get("/api/v1/systems/information-assets/").json()["results"]
    ]
    assert "Hemliga akter" not in names


# --- registering an information asset -----------------------------------------------------------


def test_asset_create(sakerhet: Any, register: Any) -> None:
    system = register.system("Lön Puls")
    r = sakerhet.post(
        "/system/informationstillgangar/",
        {
            "name": "Tidrapporter",
            "system": system.pk,
            "confidentiality": "1",
            "integrity": "2",
            "availability": "",
        },
    )
    assert r.status_code == 302
    asset = _asset("Tidrapporter")
    assert (asset.system, asset.cooperation, _levels(asset)) == (
        system,
        register.cooperation,
        (1, 2, None, None, False),
    )
    assert AuditEntry.objects.filter(
        object_id=str(asset.pk), action=AuditAction.CREATE, object_type__icontains="information"
    ).exists()


def test_asset_create_refuses_bad_input(sakerhet: Any, register: Any) -> None:
    before = db_state()
    r = sakerhet.post(
        "/system/informationstillgangar/",
        {"name": "", "confidentiality": "7", "integrity": "1", "availability": "1"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert 'href="#id_name"' in body
    assert 'href="#id_confidentiality"' in body
    r = sakerhet.post(
        "/system/informationstillgangar/",
        {"name": "Sociala akter", "confidentiality": "1", "integrity": "1", "availability": "1"},
    )
    assert r.status_code == 400  # the name is taken in the cooperation
    assert 'class="error-summary"' in r.content.decode()
    assert_unchanged(before)


def test_asset_create_cannot_use_another_cooperations_system(sakerhet: Any, elsewhere: Any) -> None:
    before = db_state()
    r = sakerhet.post(
        "/system/informationstillgangar/",
        {"name": "Smuggel", "system": elsewhere.system.pk, "confidentiality": "1"},
    )
    assert r.status_code == 400
    assert 'href="#id_system"' in r.content.decode()
    assert_unchanged(before)


@pytest.mark.parametrize("who", ["strateg", "it_contact"])
def test_asset_create_without_the_right_is_refused(
    client: Any, register: Any, it_contact: Any, who: str
) -> None:
    if who == "strateg":
        client.force_login(register.strateg)
    before = db_state()
    r = client.post("/system/informationstillgangar/", {"name": "Smuggel", "confidentiality": "1"})
    assert r.status_code == 404
    assert_unchanged(before)


# --- requirements -------------------------------------------------------------------------------


def test_requirement_create_and_toggle(sakerhet: Any, register: Any) -> None:
    from itfabrik.systems.models import Requirement

    r = sakerhet.post(
        "/system/krav/",
        {"code": "K9", "aspect": "integrity", "level": "2", "text": "Ändringar loggas."},
    )
    assert r.status_code == 302
    req = register.requirement("K9")
    assert (req.aspect, req.level, req.text, req.is_active) == (
        "integrity",
        2,
        "Ändringar loggas.",
        True,
    )
    assert "Ändringar loggas." in sakerhet.get("/system/krav/").content.decode()
    r = sakerhet.post(f"/system/krav/{req.pk}/")
    assert r.status_code == 302
    assert Requirement.objects.get(pk=req.pk).is_active is False
    sakerhet.post(f"/system/krav/{req.pk}/")
    assert Requirement.objects.get(pk=req.pk).is_active is True
    changes = AuditEntry.objects.filter(
        object_id=str(req.pk), object_type__icontains="requirement"
    ).order_by("pk")
    assert [e.action for e in changes] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.UPDATE,
    ]


def test_requirement_create_refuses_bad_input(sakerhet: Any) -> None:
    before = db_state()
    r = sakerhet.post("/system/krav/", {"code": "K9", "aspect": "beauty", "level": "5", "text": ""})
    assert r.status_code == 400
    body = r.content.decode()
    for field in ("aspect", "level", "text"):
        assert f'href="#id_{field}"' in body
    assert_unchanged(before)


@pytest.mark.parametrize("who", ["strateg", "it_contact"])
def test_requirement_writes_without_the_right_are_refused(
    client: Any, register: Any, it_contact: Any, who: str
) -> None:
    if who == "strateg":
        client.force_login(register.strateg)
    req = register.requirement("T3")
    before = db_state()
    data = {"code": "K9", "aspect": "integrity", "level": "2", "text": "X"}
    assert client.post("/system/krav/", data).status_code == 404
    assert client.post(f"/system/krav/{req.pk}/").status_code == 404
    assert_unchanged(before)


def test_requirement_toggle_of_another_cooperation_is_not_found(
    sakerhet: Any, elsewhere: Any
) -> None:
    before = db_state()
    assert sakerhet.post(f"/system/krav/{elsewhere.requirement.pk}/").status_code == 404
    assert sakerhet.get(f"/system/krav/{elsewhere.requirement.pk}/").status_code == 405
    assert_unchanged(before)


# --- integrations -------------------------------------------------------------------------------


def test_integration_add(sakerhet: Any, register: Any) -> None:
    source, target = register.system("Lön Puls"), register.system("Schema Takt")
    r = sakerhet.post(
        f"/system/{source.pk}/integrationer/", {"target": target.pk, "description": "Scheman"}
    )
    assert r.status_code == 302
    integration = _integration(source, target)
    assert integration.description == "Scheman"
    assert AuditEntry.objects.filter(
        object_id=str(integration.pk), action=AuditAction.CREATE
    ).exists()
    page = sakerhet.get(f"/system/{source.pk}/").content.decode()
    assert "Scheman" in page


def _integration(source: Any, target: Any) -> Any:
    from itfabrik.systems.models import Integration

    return Integration.objects.get(source=source, target=target)


def test_integration_add_refuses_bad_input(sakerhet: Any, register: Any) -> None:
    source = register.system("Lön Puls")
    before = db_state()
    for data in ({}, {"target": "x"}, {"target": source.pk}):  # none, garbage, itself
        r = sakerhet.post(f"/system/{source.pk}/integrationer/", data, follow=True)
        assert r.status_code == 200
        assert "Välj ett system att integrera med." in r.content.decode()
    assert_unchanged(before)


def test_integration_add_with_another_cooperations_system_is_refused(
    sakerhet: Any, register: Any, elsewhere: Any
) -> None:
    source = register.system("Lön Puls")
    before = db_state()
    r = sakerhet.post(f"/system/{source.pk}/integrationer/", {"target": elsewhere.system.pk})
    assert r.status_code == 302
    r = sakerhet.post(f"/system/{elsewhere.system.pk}/integrationer/", {"target": source.pk})
    assert r.status_code == 404
    assert_unchanged(before)


@pytest.mark.parametrize("who", ["radsmedlem", "it_contact"])
def test_integration_add_without_the_right_is_refused(
    client: Any, register: Any, demo: Any, it_contact: Any, who: str
) -> None:
    if who == "radsmedlem":
        client.force_login(demo.user("radsmedlem"))
    source, target = register.system("Lön Puls"), register.system("Schema Takt")
    before = db_state()
    r = client.post(f"/system/{source.pk}/integrationer/", {"target": target.pk})
    assert r.status_code == 404
    assert_unchanged(before)
