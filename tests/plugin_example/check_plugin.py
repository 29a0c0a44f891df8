"""Run by tests/test_plugin_example.py in a process of its own, with the example app installed:
each of its five contributions is found without an edit of a central file."""

from typing import Any

import pytest
from django.core import checks

from itfabrik.core import permissions
from itfabrik.core.registry import demo_steps_in_order, registry


def test_the_action_is_registered_with_its_roles(demo: Any) -> None:
    assert registry.action_app["plugin_example.view_greeting"] == "plugin_example"
    assert permissions.can_anywhere(demo.user("ekonom"), "plugin_example.view_greeting")
    assert not permissions.can_anywhere(
        demo.user("anvandare-bengtsfors"), "plugin_example.view_greeting"
    )


def test_the_system_checks_pass_with_the_app(db: Any) -> None:
    assert [m for m in checks.run_checks() if m.is_serious()] == []


def test_the_menu_entry_shows_for_holders_of_the_action(web_as: Any) -> None:
    html = web_as("admin").get("/").content.decode()
    assert 'href="/exempel/"' in html
    assert web_as("admin").get("/exempel/").status_code == 200


def test_the_menu_entry_and_page_are_hidden_from_others(client: Any, demo: Any) -> None:
    client.force_login(demo.user("anvandare-bengtsfors"))
    assert 'href="/exempel/"' not in client.get("/").content.decode()
    assert client.get("/exempel/").status_code == 404


def test_the_panel_is_on_the_start_page(web_as: Any) -> None:
    assert "Hej från exempelappen, admin" in web_as("admin").get("/").content.decode()


def test_the_panel_is_not_shown_without_the_action(client: Any, demo: Any) -> None:
    client.force_login(demo.user("anvandare-bengtsfors"))
    assert "Hej från exempelappen" not in client.get("/").content.decode()


def test_the_api_route_is_under_api_v1(api_as: Any) -> None:
    r = api_as("ekonom").get("/api/v1/example-greetings/")
    assert (r.status_code, r.json()) == (200, {"greeting": "Hej"})
    assert api_as("anvandare-bengtsfors").get("/api/v1/example-greetings/").status_code == 404


def test_the_demo_step_ran_after_the_steps_it_waits_for(demo: Any) -> None:
    order = [s.app_label for s in demo_steps_in_order()]
    assert order.index("plugin_example") > order.index("accounts") > order.index("tenancy")
    unit = demo.node("Exempelenheten")
    assert unit.cost_centre == "1492-9990"


@pytest.mark.parametrize("broken", ["no_role", "unknown_role", "silent_app"])
def test_the_registry_check_finds_mistakes(db: Any, broken: str) -> None:
    saved = (dict(registry.action_roles), set(registry.contributors))
    try:
        if broken == "no_role":
            registry.action_roles["plugin_example.orphan"] = frozenset()
            expected = "itfabrik.E001"
        elif broken == "unknown_role":
            registry.action_roles["plugin_example.view_greeting"] = frozenset({"wizard"})
            expected = "itfabrik.E002"
        else:
            registry.contributors.discard("plugin_example")
            expected = "itfabrik.E003"
        ids = {m.id for m in checks.run_checks()}
        assert expected in ids
    finally:
        registry.action_roles.clear()
        registry.action_roles.update(saved[0])
        registry.contributors.clear()
        registry.contributors.update(saved[1])
