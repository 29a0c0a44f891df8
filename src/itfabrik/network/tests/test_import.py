"""CSV import in NetBox's bulk-import layout, with real files: the dry run lists every bad row
with its line, the real run writes all or none, the same file again changes nothing, and what
the export writes imports back without a change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from itfabrik.core.errors import ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.network import exports, selectors, services
from itfabrik.network.models import Device, Vlan

pytestmark = pytest.mark.django_db

VLANS_OK = """vid,name,site,group,status,role,description
10,ADM,Melleruds vårdcentral,MEL-VC,active,,Klienter
60,SKRIVARE,Melleruds vårdcentral,MEL-VC,active,,Skrivare
300,LAB,Mellerud grundskola,MEL-SKOLA1,reserved,,
"""

VLANS_BAD = """vid;name;site;status
10;ADM;Mellerud vårdcentral;active
4095;FÖR-STORT;Mellerud vårdcentral;active
0;NOLL;Mellerud vårdcentral;active
60;SKRIVARE;Okänd plats;active
61;;Mellerud vårdcentral;aktiv
62;OK;Mellerud vårdcentral;active
62;IGEN;Mellerud vårdcentral;active
"""


def _write(tmp_path: Path, name: str, text: str) -> bytes:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path.read_bytes()


def test_a_sites_vlans_import_and_a_second_run_changes_nothing(net: Any, tmp_path: Path) -> None:
    data = _write(
        tmp_path, "vlan.csv", VLANS_OK.replace("Melleruds vårdcentral", "Mellerud vårdcentral")
    )
    site = net.site("Melleruds kommun", "VC")
    dry = services.network_import_csv(
        actor=net.tekniker, cooperation=net.coop, kind="vlans", data=data, dry_run=True
    )
    assert (dry.rows, dry.created, dry.updated, dry.unchanged, dry.errors) == (3, 2, 1, 0, [])
    assert not Vlan.objects.filter(site=site, vid=60).exists()
    done = services.network_import_csv(
        actor=net.tekniker, cooperation=net.coop, kind="vlans", data=data, dry_run=False
    )
    assert (done.created, done.updated) == (2, 1)
    assert Vlan.objects.get(site=site, vid=10).description == "Klienter"
    assert Vlan.objects.get(site=site, vid=60).name == "SKRIVARE"
    audit_rows = AuditEntry.objects.count()
    state = list(Vlan.objects.order_by("pk").values())
    again = services.network_import_csv(
        actor=net.tekniker, cooperation=net.coop, kind="vlans", data=data, dry_run=False
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Vlan.objects.order_by("pk").values()) == state
    assert AuditEntry.objects.count() == audit_rows


def test_a_bad_file_lists_every_error_with_its_line_and_writes_nothing(
    net: Any, tmp_path: Path
) -> None:
    data = _write(tmp_path, "vlan.csv", VLANS_BAD)
    dry = services.network_import_csv(
        actor=net.tekniker, cooperation=net.coop, kind="vlans", data=data, dry_run=True
    )
    by_line = {e["row"]: e["messages"] for e in dry.errors}
    assert sorted(by_line) == [3, 4, 5, 6, 8]
    assert by_line[3] == ["vid: 4095 är inget VLAN-ID mellan 1 och 4094."]
    assert by_line[5] == ["site: okänd plats Okänd plats."]
    assert by_line[6] == ["name: ange VLAN:ets namn.", "status: okänd status aktiv."]
    assert by_line[8] == ["vid: VLAN 62 för platsen står redan på rad 7."]
    before = list(Vlan.objects.order_by("pk").values())
    with pytest.raises(ValidationFailed) as exc:
        services.network_import_csv(
            actor=net.tekniker, cooperation=net.coop, kind="vlans", data=data, dry_run=False
        )
    assert str(exc.value.message) == "5 rader har fel; inget har importerats."
    assert list(Vlan.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Filen är tom."),
        ("vid,site\n10,X\n", "Kolumner saknas: name."),
        ("vid,name,site,colour\n", "Okända kolumner: colour."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(
    net: Any, tmp_path: Path, text: str, message: str
) -> None:
    data = _write(tmp_path, "x.csv", text)
    with pytest.raises(ValidationFailed) as exc:
        services.network_import_csv(
            actor=net.tekniker, cooperation=net.coop, kind="vlans", data=data, dry_run=True
        )
    assert [str(m) for m in exc.value.fields["file"]] == [message]


def test_exported_devices_import_back_unchanged_and_new_rows_are_created(
    net: Any, tmp_path: Path
) -> None:
    devices = selectors.device_list(actor=net.tekniker, cooperation=net.coop)
    exported = exports.devices_csv(devices)
    header = exported.decode().splitlines()[0]
    assert (
        header
        == "name,role,manufacturer,device_type,status,site,serial,asset_tag,description,comments"
    )
    data = _write(tmp_path, "devices.csv", exported.decode())
    count = Device.objects.count()
    result = services.network_import_csv(
        actor=net.tekniker, cooperation=net.coop, kind="devices", data=data, dry_run=False
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, count)
    more = _write(
        tmp_path,
        "more.csv",
        "name,role,site,status,serial\n"
        "MEL-VC-SW-03,Switch,Mellerud vårdcentral,planned,SN1\n"
        "mel-gammal-ap,AP,Mellerud vårdcentral,active,SN2\n"
        "MEL-KHUS-SW-01,Switch,Mellerud kommunhus,offline,\n",
    )
    result = services.network_import_csv(
        actor=net.tekniker, cooperation=net.coop, kind="devices", data=more, dry_run=False
    )
    assert (result.created, result.updated, result.errors) == (2, 1, [])
    assert Device.objects.get(name="MEL-VC-SW-03").name_conforms
    assert not Device.objects.get(name="mel-gammal-ap").name_conforms
    assert Device.objects.get(name="MEL-KHUS-SW-01").status == "offline"


def test_device_rows_at_sites_the_actor_may_not_manage_are_errors(net: Any, tmp_path: Path) -> None:
    from itfabrik.core.errors import NotFound

    data = _write(tmp_path, "d.csv", "name,role,site\nMEL-KHUS-SW-05,SW,Mellerud kommunhus\n")
    with pytest.raises(NotFound):
        services.network_import_csv(
            actor=net.it_contact(), cooperation=net.coop, kind="devices", data=data, dry_run=True
        )
