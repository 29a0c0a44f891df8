"""The demo seats people in every local IT council (one per municipality), each of them someone
who works in that council's municipality, and loading the demo again adds no seat."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from itfabrik.governance.choices import ForumKind
from itfabrik.governance.models import Forum, ForumMember

pytestmark = pytest.mark.django_db


def test_every_local_council_has_an_active_member_of_its_municipality(demo: Any) -> None:
    today = timezone.localdate()
    councils = list(
        Forum.objects.filter(cooperation=demo.cooperation, kind=ForumKind.LOCAL_COUNCIL)
    )
    assert {f.municipality.name for f in councils} == {
        "Bengtsfors kommun",
        "Färgelanda kommun",
        "Melleruds kommun",
        "Åmåls kommun",
    }
    for council in councils:
        seats = list(
            ForumMember.objects.filter(forum=council, valid_from__lte=today)
            .exclude(valid_to__lt=today)
            .select_related("user__home_unit")
        )
        assert seats, f"{council.name} has no active member"
        for seat in seats:
            home = seat.user.home_unit
            assert home is not None
            assert home.path.startswith(council.municipality.path), (council.name, seat.user)


def test_loading_the_demo_again_adds_no_seat(demo: Any) -> None:
    from itfabrik.demo import dalsland

    before = list(ForumMember.objects.order_by("pk").values())
    assert dalsland.load() is False
    assert list(ForumMember.objects.order_by("pk").values()) == before
