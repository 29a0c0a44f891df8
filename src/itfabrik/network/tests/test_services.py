"""Naming, registering and correcting through the services."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.network import services
from itfabrik.network.models import Device, Vlan

pytestmark = pytest.mark.django_db


def test_demo_has_nonconforming_names_and_vlans(net: Any) -> None:
    assert Device.objects.filter(name_conforms=False).count() == 3
    assert Device.objects.filter(name_conforms=True).count() > 40
    assert Vlan.objects.filter(vid=200).count() == 1


def test_next_name_is_the_next_free_number(net: Any) -> None:
    site = net.site("Melleruds kommun", "KHUS")
    assert (
        services.name_next(actor=net.tekniker, site=site, device_type=net.type("SW"))
        == "MEL-KHUS-SW-03"
    )
    assert (
        services.name_next(actor=net.tekniker, site=site, device_type=net.type("RT"))
        == "MEL-KHUS-RT-01"
    )


def test_a_device_without_a_name_takes_the_next_free_and_is_audited(net: Any) -> None:
    site = net.site("Bengtsfors kommun", "SKOLA1")
    first = services.device_create(actor=net.tekniker, site=site, device_type=net.type("SW"))
    second = services.device_create(actor=net.tekniker, site=site, device_type=net.type("SW"))
    assert (first.name, second.name) == ("BEN-SKOLA1-SW-03", "BEN-SKOLA1-SW-04")
    assert first.name_conforms
    assert first.municipality == net.bengtsfors
    entry = AuditEntry.objects.get(object_type="network.device", object_id=str(first.pk))
    assert entry.actor == net.tekniker
    assert entry.after["name"] == "BEN-SKOLA1-SW-03"


def test_a_gap_is_filled_first(net: Any) -> None:
    site = net.site("Åmåls kommun", "SKOLA1")
    services.device_create(
        actor=net.tekniker, site=site, device_type=net.type("AP"), name="AML-SKOLA1-AP-05"
    )
    assert services.name_next(actor=net.tekniker, site=site, device_type=net.type("AP")) == (
        "AML-SKOLA1-AP-04"
    )


def test_a_given_name_must_follow_the_standard_and_nothing_is_written(net: Any) -> None:
    site = net.site("Melleruds kommun", "VC")
    before = Device.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.device_create(
            actor=net.tekniker, site=site, device_type=net.type("SW"), name="MEL-VC-XX-1"
        )
    messages = [str(m) for m in exc.value.fields["name"]]
    assert "Typkod finns inte i standarden." in messages
    assert any(m.startswith("Löpnummer har fel antal siffror") for m in messages)
    # A valid name for another site is refused too: the name must fit the device.
    with pytest.raises(ValidationFailed) as exc:
        services.device_create(
            actor=net.tekniker, site=site, device_type=net.type("SW"), name="MEL-KHUS-SW-09"
        )
    assert [str(m) for m in exc.value.fields["name"]] == [
        "Platskod stämmer inte med enhetens egen plats eller typ."
    ]
    assert Device.objects.count() == before


def test_a_taken_name_is_refused(net: Any) -> None:
    site = net.site("Melleruds kommun", "KHUS")
    with pytest.raises(ValidationFailed) as exc:
        services.device_create(
            actor=net.tekniker, site=site, device_type=net.type("SW"), name="mel-khus-sw-01"
        )
    assert [str(m) for m in exc.value.fields["name"]] == ["Namnet används redan av en annan enhet."]


def test_an_existing_device_may_keep_an_old_name_and_is_reported(net: Any) -> None:
    site = net.site("Melleruds kommun", "VC")
    device = services.device_create(
        actor=net.tekniker,
        site=site,
        device_type=net.type("SW"),
        name="gammal-switch",
        allow_nonconforming=True,
    )
    assert not device.name_conforms
    fixed = services.device_update(
        actor=net.tekniker, device=device, expected_version=1, name="MEL-VC-SW-07"
    )
    assert fixed.name_conforms
    assert fixed.version == 2
    with pytest.raises(Conflict):
        services.device_update(
            actor=net.tekniker, device=device, expected_version=1, status="offline"
        )


def test_changing_the_pattern_judges_every_name_again(net: Any) -> None:
    services.naming_pattern_set(
        actor=net.admin,
        cooperation=net.coop,
        pattern="{municipality}_{site}_{type}.{number:03}",
        expected_version=1,
    )
    assert Device.objects.filter(name_conforms=True).count() == 0
    name = services.name_next(
        actor=net.tekniker, site=net.site("Melleruds kommun", "KHUS"), device_type=net.type("SW")
    )
    assert name == "MEL_KHUS_SW.001"


@pytest.mark.parametrize("pattern", ["", "{site}-{type}", "{site}{number}", "{rum}-{number}"])
def test_a_bad_pattern_is_refused_and_nothing_changes(net: Any, pattern: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.naming_pattern_set(
            actor=net.admin, cooperation=net.coop, pattern=pattern, expected_version=1
        )
    assert exc.value.fields["pattern"]
    assert services.pattern_of(net.coop).text == "{municipality}-{site}-{type}-{number:02}"


@pytest.mark.parametrize("vid", [0, 4095, -1, "tio"])
def test_vlan_ids_outside_1_to_4094_are_refused(net: Any, vid: Any) -> None:
    site = net.site("Melleruds kommun", "KHUS")
    with pytest.raises(ValidationFailed) as exc:
        services.vlan_create(actor=net.tekniker, site=site, vid=vid, name="X")
    assert [str(m) for m in exc.value.fields["vid"]] == [
        "VLAN-ID ska vara ett heltal mellan 1 och 4094."
    ]
    with pytest.raises(ValidationFailed):
        services.standard_vlan_create(
            actor=net.admin, cooperation=net.coop, vid=vid, name="X", purpose="Y"
        )


def test_a_site_vid_is_unique(net: Any) -> None:
    site = net.site("Melleruds kommun", "KHUS")
    with pytest.raises(ValidationFailed) as exc:
        services.vlan_create(actor=net.tekniker, site=site, vid=10, name="ADM")
    assert [str(m) for m in exc.value.fields["vid"]] == ["Platsen har redan ett VLAN med det ID:t."]


def test_site_code_change_rejudges_its_devices(net: Any) -> None:
    site = net.site("Melleruds kommun", "VC")
    site = services.site_update(actor=net.tekniker, site=site, expected_version=1, code="VARD")
    assert not Device.objects.filter(site=site, name_conforms=True).exists()
    assert (
        services.name_next(actor=net.tekniker, site=site, device_type=net.type("SW"))
        == "MEL-VARD-SW-01"
    )


def test_it_contact_sees_but_may_not_change_and_another_municipality_is_not_found(
    net: Any,
) -> None:
    contact = net.it_contact()
    with pytest.raises(Forbidden):
        services.device_create(
            actor=contact, site=net.site("Melleruds kommun", "KHUS"), device_type=net.type("SW")
        )
    with pytest.raises(NotFound):
        services.name_next(
            actor=contact, site=net.site("Bengtsfors kommun", "KHUS"), device_type=net.type("SW")
        )


def test_ssid_longer_than_32_bytes_is_refused(net: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.ssid_create(
            actor=net.admin,
            cooperation=net.coop,
            name="Å" * 17,
            purpose="x",
            security="wpa3-enterprise",
        )
    assert "name" in exc.value.fields


def test_conformance_report_counts_and_lists(net: Any) -> None:
    from itfabrik.network import selectors

    report = {
        e.municipality.name: e
        for e in selectors.conformance_report(actor=net.tekniker, cooperation=net.coop)
    }
    assert set(report) >= {
        "Bengtsfors kommun",
        "Färgelanda kommun",
        "Melleruds kommun",
        "Åmåls kommun",
    }
    mel = report["Melleruds kommun"]
    assert (mel.nonconforming, mel.vlans_missing, mel.vlans_wrong_name, mel.vlans_extra) == (
        1,
        1,
        0,
        0,
    )
    assert [(s.site.code, [(f.vid, f.kind) for f in s.findings]) for s in mel.deviating_sites] == [
        ("SKOLA1", [(50, "missing")])
    ]
    assert report["Åmåls kommun"].vlans_wrong_name == 1
    assert report["Färgelanda kommun"].vlans_extra == 1
    assert report["Färgelanda kommun"].nonconforming == 0
    only = selectors.conformance_report(actor=net.it_contact(), cooperation=net.coop)
    assert [e.municipality.name for e in only] == ["Melleruds kommun"]
