from __future__ import annotations

from typing import Any

import pytest

from itfabrik.governance.models import Decision, Forum, GovernedLink

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_forums_and_the_numbered_decisions(gov: Any) -> None:
    assert Forum.objects.count() == 7
    key = Decision.objects.get(number="ITR-2025-011")
    assert key.title == "Fördelningsnyckel för Bas-IT"
    assert GovernedLink.objects.filter(decision=key, kind="allocation_key").exists()
    price = Decision.objects.get(number="ITR-2026-003")
    assert GovernedLink.objects.filter(decision=price, kind="price_list").exists()
