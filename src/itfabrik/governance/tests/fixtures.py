"""Governance's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def gov(demo: Any) -> Any:
    """The demo's forums and people by name."""
    from itfabrik.governance.models import Forum, Meeting

    class Gov:
        cooperation = demo.cooperation
        admin = demo.user("admin")
        rolf = demo.user("radsmedlem")
        itr = Forum.objects.get(prefix="ITR")
        sr = Forum.objects.get(prefix="SR")
        mellerud = Forum.objects.get(prefix="MEL")
        bengtsfors = Forum.objects.get(prefix="BEN")

        @classmethod
        def open_itr_meeting(cls) -> Meeting:
            return (
                Meeting.objects.filter(forum=cls.itr, status="planned").order_by("held_on").first()
            )  # type: ignore[return-value]

        @classmethod
        def approved_decision(cls) -> Any:
            from itfabrik.governance.models import Decision

            return Decision.objects.get(forum=cls.itr, number="ITR-2025-011")

    return Gov
