"""The device register's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def fleet(demo: Any) -> Any:
    """Handy objects for device tests: a model, a Mellerud lease and `device()` for a new
    deployed laptop in Mellerud's Hemtjänst norr."""
    import datetime as dt
    from decimal import Decimal
    from itertools import count

    from django.utils import timezone

    from itfabrik.assets import services
    from itfabrik.assets.models import DeviceModel
    from itfabrik.core.actors import SYSTEM

    serials = count(1)
    mellerud = demo.node("Melleruds kommun")
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    laptop = DeviceModel.objects.get(manufacturer="Lenovo", name="ThinkPad T14 Gen 4")
    lease = services.lease_create(
        actor=SYSTEM,
        municipality=mellerud,
        lessor="Testleasing AB",
        contract_number="T-1",
        starts_on=timezone.localdate() - dt.timedelta(days=300),
        ends_on=timezone.localdate() + dt.timedelta(days=800),
        monthly_cost=Decimal("1000.00"),
    )

    class Fleet:
        admin = demo.user("admin")
        tekniker = demo.user("tekniker")
        model = laptop

        def __init__(self) -> None:
            self.mellerud = mellerud
            self.unit = unit
            self.lease = lease

        def device(self, **kwargs: Any) -> Any:
            n = next(serials)
            values: dict[str, Any] = {
                "actor": SYSTEM,
                "model": laptop,
                "owner_unit": unit,
                "serial_number": f"TEST{n:05d}",
                "asset_tag": f"TST-{n:05d}",
                "state": "deployed",
                "lease": lease,
                "managed": True,
                "security_level": 2,
            }
            values.update(kwargs)
            return services.device_create(**values)

    return Fleet()
