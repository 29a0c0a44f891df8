"""A menu entry's own `visible` test is asked after its action, with the request (core stays
generic: the app passes the same function its page checks)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import RequestFactory

from itfabrik.core.registry import MenuItem, registry
from itfabrik.core.web.contributions import menu_for


@pytest.fixture
def menu(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, MenuItem]]:
    entries: list[tuple[str, MenuItem]] = []
    monkeypatch.setattr(registry, "menu", entries)
    return entries


def _request(**user: Any) -> Any:
    request: Any = RequestFactory().get("/granskning/")
    # An actor holding no role anywhere (its grants already read: none).
    request.user = SimpleNamespace(
        is_authenticated=True, is_active=True, is_superuser=False, _itfabrik_grants=(), **user
    )
    return request


def test_an_entry_whose_visible_test_fails_is_left_out(menu: list[Any]) -> None:
    asked: list[Any] = []

    def only_on_friday(request: Any) -> bool:
        asked.append(request)
        return bool(request.user.friday)

    menu.append(("x", MenuItem("core:audit_list", "Granskning", visible=only_on_friday)))
    menu.append(("x", MenuItem("core:home", "Start")))
    monday = _request(friday=False)
    assert [i["label"] for i in menu_for(monday)] == ["Start"]
    assert asked == [monday]
    friday = _request(friday=True)
    assert [i["label"] for i in menu_for(friday)] == ["Granskning", "Start"]


def test_the_visible_test_is_not_asked_without_the_action(menu: list[Any]) -> None:
    def never_asked(request: Any) -> bool:
        raise AssertionError("asked although the action is missing")

    menu.append(("x", MenuItem("core:home", "Start", "x.act", visible=never_asked)))
    assert menu_for(_request()) == []


def test_entries_are_grouped_by_area_in_the_areas_order(menu: list[Any]) -> None:
    from itfabrik.core.web.contributions import menu_groups

    menu.append(("x", MenuItem("core:audit_list", "Granskning", area="admin", order=1)))
    menu.append(("x", MenuItem("core:home", "Start", area="home", order=2)))
    groups = menu_groups(menu_for(_request()))
    # "home" comes before "admin" in MENU_AREAS although its entry sorts after.
    assert [(g["key"], [i["label"] for i in g["items"]]) for g in groups] == [
        ("home", ["Start"]),
        ("admin", ["Granskning"]),
    ]
    assert [g["active"] for g in groups] == [False, True]  # the request is for /granskning/


def test_an_unknown_area_is_refused_at_registration() -> None:
    from itfabrik.core.registry import register_menu

    with pytest.raises(ValueError, match="area 'nowhere'"):
        register_menu("x", MenuItem("core:home", "Start", area="nowhere"))
