"""Devices and VLANs as CSV in NetBox's bulk-import layout: what `services.network_import_csv`
reads back (so export → import changes nothing) and what NetBox's own bulk import takes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .models import Device, Vlan
from .services import DEVICE_COLUMNS, VLAN_COLUMNS


def devices_csv(devices: Iterable[Device]) -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(DEVICE_COLUMNS)
    for d in devices:
        out.writerow(
            [
                d.name,
                d.device_type.name,
                d.manufacturer,
                d.model,
                d.status,
                d.site.name,
                d.serial,
                d.asset_tag,
                d.description,
                d.comments,
            ]
        )
    return buf.getvalue().encode("utf-8")


def vlans_csv(vlans: Iterable[Vlan]) -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(VLAN_COLUMNS)
    for v in vlans:
        out.writerow(
            [v.vid, v.name, v.site.name, v.group, v.status, v.role, v.description, v.comments]
        )
    return buf.getvalue().encode("utf-8")
