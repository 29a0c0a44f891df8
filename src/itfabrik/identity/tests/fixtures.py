"""Identity's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture
def ident(demo: Any) -> Any:
    """Shortcuts into the identity demo: `hire()` makes a new person employed in a unit."""
    from django.utils import timezone

    from itfabrik.identity import services
    from itfabrik.identity.models import BusinessRole

    class Ident:
        admin = demo.user("admin")
        mellerud = demo.node("Melleruds kommun")
        bengtsfors = demo.node("Bengtsfors kommun")
        hemtjanst = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
        today = timezone.localdate()

        @classmethod
        def role(cls, name: str = "Undersköterska hemtjänst", municipality: Any = None) -> Any:
            return BusinessRole.objects.get(municipality=municipality or cls.mellerud, name=name)

        @classmethod
        def hire(
            cls,
            first: str = "Åke",
            last: str = "Ström",
            *,
            unit: Any = None,
            role: Any = "default",
            start: dt.date | None = None,
            personal_number: str = "",
            actor: Any = None,
        ) -> Any:
            actor = actor or cls.admin
            unit = unit or cls.hemtjanst
            person = services.person_create(
                actor=actor, home=unit, first_name=first, last_name=last,
                personal_number=personal_number,
            )  # fmt: skip
            return services.employment_create(
                actor=actor,
                person=person,
                unit=unit,
                title="Undersköterska",
                start=start or cls.today,
                business_role=cls.role() if role == "default" else role,
            )

    return Ident()
