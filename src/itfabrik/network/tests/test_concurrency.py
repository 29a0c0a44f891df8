"""Two people name a switch at the same site at the same moment, on real PostgreSQL
connections: both get a device, never the same name. (SQLite serialises writers; the
sequential version is in test_services.)"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two connections naming at once need PostgreSQL (SQLite serialises writers)",
)
def test_two_people_naming_at_once_never_get_the_same_name(
    demo_reloaded_afterwards: Any, transactional_db: Any
) -> None:
    from django.db import connections

    from itfabrik.accounts.models import User
    from itfabrik.network import services
    from itfabrik.network.models import Device, DeviceType, Site

    tekniker = User.objects.get(username="tekniker")
    admin = User.objects.get(username="admin")
    site = Site.objects.get(municipality__name="Melleruds kommun", code="VC")
    switch = DeviceType.objects.get(code="SW")
    barrier = threading.Barrier(4)
    names: list[str] = []
    failures: list[BaseException] = []

    def name_one(actor: Any) -> None:
        try:
            barrier.wait(timeout=10)
            device = services.device_create(actor=actor, site=site, device_type=switch)
            names.append(device.name)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=name_one, args=(a,)) for a in (tekniker, admin) * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert failures == []
    assert sorted(names) == ["MEL-VC-SW-03", "MEL-VC-SW-04", "MEL-VC-SW-05", "MEL-VC-SW-06"]
    assert Device.objects.filter(site=site, device_type=switch).count() == 6
