"""The network part of the Dalsland demo: the naming standard with codes for the four
municipalities, device types, the standard VLAN plan and SSIDs, three sites per municipality
with their switches, access points and firewalls, and each site's VLANs. A few things are
deliberately out of line, for the conformance report: old device names (one from before the
standard, one with a one-digit number, one with a type the standard lacks), a school missing a
standard VLAN, a VLAN under another name and one outside the plan."""

from __future__ import annotations

from typing import Any

from itfabrik.core.registry import demo_step

from .choices import SsidSecurity
from .models import (
    DEFAULT_PATTERN,
    Device,
    DeviceType,
    MunicipalityCode,
    NamingStandard,
    Site,
    Ssid,
    StandardVlan,
    Vlan,
)
from .services import Naming

CODES = {"Bengtsfors": "BEN", "Färgelanda": "FAR", "Mellerud": "MEL", "Åmål": "AML"}
SITES = [
    ("KHUS", "kommunhus", "Storgatan 1"),
    ("SKOLA1", "grundskola", ""),
    ("VC", "vårdcentral", ""),
]
TYPES = [("SW", "Switch"), ("AP", "Accesspunkt"), ("FW", "Brandvägg"), ("RT", "Router")]
PLAN = [
    (10, "ADM", "Administrativa klienter"),
    (20, "SKOLA", "Elever och lärare"),
    (30, "VOICE", "IP-telefoni"),
    (40, "GUEST", "Gästnät, bara internet"),
    (50, "IOT", "Fastighetssystem och kameror"),
    (99, "MGMT", "Hantering av nätverksutrustning"),
]
SSIDS = [
    ("Dalsland", "Kommunens klienter", SsidSecurity.WPA3_ENTERPRISE, 10),
    ("Dalsland-Skola", "Elevers och lärares enheter", SsidSecurity.WPA3_ENTERPRISE, 20),
    ("eduroam", "Besökande från lärosäten", SsidSecurity.WPA2_ENTERPRISE, 20),
    ("Dalsland-Gast", "Gäster", SsidSecurity.OPEN_PORTAL, 40),
]
# Devices per site: (type, how many).
DEVICES = [("SW", 2), ("AP", 3)]
# Names from before the standard: (municipality, site code, type, the old name).
OLD_NAMES = [
    ("Bengtsfors", "KHUS", "SW", "bfs-switch-kommunhuset"),
    ("Mellerud", "SKOLA1", "SW", "MEL-SKOLA1-SW-3"),
    ("Åmål", "VC", "AP", "AML-VC-WLAN-01"),
]
MISSING_VLAN = ("Mellerud", "SKOLA1", 50)
RENAMED_VLAN = ("Åmål", "KHUS", 30, "TELE")
EXTRA_VLAN = ("Färgelanda", "KHUS", 200, "KAMERA-GAMMAL")


def is_loaded() -> bool:
    return NamingStandard.objects.exists()


@demo_step("network", after=["accounts"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    NamingStandard.objects.create(cooperation=coop, pattern=DEFAULT_PATTERN)
    MunicipalityCode.objects.bulk_create(
        MunicipalityCode(cooperation=coop, municipality=nodes[name], code=code)
        for name, code in CODES.items()
    )
    types = {
        t.code: t
        for t in DeviceType.objects.bulk_create(
            DeviceType(cooperation=coop, code=code, name=name) for code, name in TYPES
        )
    }
    plan = {
        v.vid: v
        for v in StandardVlan.objects.bulk_create(
            StandardVlan(cooperation=coop, vid=vid, name=name, purpose=purpose)
            for vid, name, purpose in PLAN
        )
    }
    Ssid.objects.bulk_create(
        Ssid(cooperation=coop, name=name, purpose=purpose, security=security, vlan=plan[vid])
        for name, purpose, security, vid in SSIDS
    )
    sites: dict[tuple[str, str], Site] = {}
    for muni in CODES:
        for code, label, address in SITES:
            sites[(muni, code)] = Site(
                cooperation=coop,
                municipality=nodes[muni],
                code=code,
                name=f"{muni} {label}",
                address=address,
            )
    Site.objects.bulk_create(sites.values())
    naming = Naming.load(coop)
    devices: list[Device] = []

    def add(site: Site, kind: str, name: str) -> None:
        device_type = types[kind]
        devices.append(
            Device(
                cooperation=coop,
                municipality=site.municipality,
                site=site,
                device_type=device_type,
                name=name,
                manufacturer="Aruba" if kind == "AP" else "HPE",
                model="AP-515" if kind == "AP" else "CX 6100",
                name_conforms=naming.check(name, site, device_type).valid,
            )
        )

    for (muni, code), site in sites.items():
        for kind, count in DEVICES:
            for n in range(1, count + 1):
                add(site, kind, f"{CODES[muni]}-{code}-{kind}-{n:02}")
        if code == "KHUS":
            add(site, "FW", f"{CODES[muni]}-{code}-FW-01")
    for muni, code, kind, name in OLD_NAMES:
        add(sites[(muni, code)], kind, name)
    Device.objects.bulk_create(devices)
    vlans: list[Vlan] = []
    for (muni, code), site in sites.items():
        for vid, name, _purpose in PLAN:
            if (muni, code, vid) == MISSING_VLAN:
                continue
            if (muni, code, vid) == RENAMED_VLAN[:3]:
                name = RENAMED_VLAN[3]
            vlans.append(
                Vlan(
                    cooperation=coop,
                    municipality=site.municipality,
                    site=site,
                    vid=vid,
                    name=name,
                    group=f"{CODES[muni]}-{code}",
                )
            )
    muni, code, vid, name = EXTRA_VLAN
    site = sites[(muni, code)]
    vlans.append(
        Vlan(
            cooperation=coop,
            municipality=site.municipality,
            site=site,
            vid=vid,
            name=name,
            group=f"{CODES[muni]}-{code}",
        )
    )
    Vlan.objects.bulk_create(vlans)
