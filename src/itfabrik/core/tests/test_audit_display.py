"""The change history in the reader's language: labels, names, choice labels, no internals."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from itfabrik.accounts import services as account_services
from itfabrik.accounts.choices import Role
from itfabrik.core import audit_display
from itfabrik.core.actors import SYSTEM
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import grow
from itfabrik.tenancy import services

INTERNAL = {"path", "depth", "numchild", "version", "id", "created_at", "updated_at"}


def _entry(instance: Any, action: str) -> AuditEntry:
    return AuditEntry.objects.filter(
        object_type=f"{instance._meta.app_label}.{instance._meta.model_name}",
        object_id=str(instance.pk),
        action=action,
    ).latest("pk")


def _rows(entry: AuditEntry) -> dict[str, tuple[str, str]]:
    return {r.label: (r.before, r.after) for r in audit_display.describe([entry])[entry.pk]}


@pytest.fixture
def new_unit(demo: Any) -> Any:
    parent = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    return services.node_create(
        actor=SYSTEM, parent=parent, kind="unit", name="Nattpatrullen", cost_centre="1461-3990"
    )


def test_a_new_node_shows_labels_names_and_choice_labels_in_swedish(new_unit: Any) -> None:
    with translation.override("sv"):
        rows = _rows(_entry(new_unit, "create"))
    assert rows["namn"] == ("–", "Nattpatrullen")
    assert rows["typ"] == ("–", "Enhet")
    assert rows["överordnad"] == ("–", "Socialförvaltningen")
    assert rows["kommun"] == ("–", "Melleruds kommun")
    assert rows["samverkan"] == ("–", "Dalslands IT-samverkan")
    assert rows["kostnadsställe"] == ("–", "1461-3990")
    assert rows["aktiv"] == ("–", "Ja")
    assert not INTERNAL & set(rows)
    assert not any(label.endswith("_id") for label in rows)


def test_the_same_history_in_english(new_unit: Any) -> None:
    with translation.override("en"):
        rows = _rows(_entry(new_unit, "create"))
    assert rows["name"] == ("–", "Nattpatrullen")
    assert rows["type"] == ("–", "Unit")
    assert rows["parent"] == ("–", "Socialförvaltningen")
    assert rows["active"] == ("–", "Yes")


def test_an_update_shows_only_what_changed_without_the_version(new_unit: Any) -> None:
    services.node_update(
        actor=SYSTEM, node=new_unit, expected_version=new_unit.version, name="Nattpatrull Nord"
    )
    entry = _entry(new_unit, "update")
    assert set(entry.changed_fields) == {"name", "version"}
    with translation.override("sv"):
        assert _rows(entry) == {"namn": ("Nattpatrullen", "Nattpatrull Nord")}


def test_a_role_and_a_person_are_shown_by_label_and_name(demo: Any) -> None:
    user = demo.user("agent")
    assignment = account_services.role_assign(
        actor=SYSTEM, user=user, role=Role.FINANCE, node=demo.node("Melleruds kommun")
    )
    with translation.override("sv"):
        rows = _rows(_entry(assignment, "create"))
    assert rows["roll"] == ("–", str(Role.FINANCE.label))
    assert rows["användare"] == ("–", str(user))
    assert rows["del av organisationen"] == ("–", "Melleruds kommun")


def test_a_position_line_and_holder_are_readable(demo: Any) -> None:
    team = demo.node("2:a linjen")
    position = services.position_create(
        actor=SYSTEM, team=team, title="Tekniker", line="second_line", holder=demo.user("agent")
    )
    with translation.override("en"):
        rows = _rows(_entry(position, "create"))
    assert rows["team"] == ("–", "2:a linjen")
    assert rows["line"] == ("–", "2nd line")
    assert rows["holder"] == ("–", str(demo.user("agent")))


def test_a_related_object_that_is_gone_is_shown_by_its_id(db: Any) -> None:
    entry = AuditEntry(
        pk=1,
        action="update",
        object_type="tenancy.orgnode",
        object_id="1",
        before={"parent_id": 987654321},
        after={"parent_id": None},
        changed_fields=["parent_id"],
    )
    with translation.override("sv"):
        rows = audit_display.describe([entry])[1]
    assert [(r.label, r.before, r.after) for r in rows] == [("överordnad", "#987654321", "–")]


def test_an_unknown_object_type_keeps_its_raw_keys(db: Any) -> None:
    entry = AuditEntry(
        pk=1, action="create", object_type="gone.thing", object_id="1", after={"colour": "blå"}
    )
    assert [(r.label, r.after) for r in audit_display.describe([entry])[1]] == [("colour", "blå")]


def test_names_are_looked_up_once_per_related_model_not_per_entry(
    demo: Any, django_assert_num_queries: Any
) -> None:
    few = list(AuditEntry.objects.filter(object_type="tenancy.orgnode").order_by("pk")[:3])
    with django_assert_num_queries(2):  # nodes (parent, municipality), cooperations
        audit_display.describe(few)
    grow(demo)
    many = list(AuditEntry.objects.filter(object_type="tenancy.orgnode").order_by("-pk")[:150])
    assert len(many) == 150
    with django_assert_num_queries(2):
        described = audit_display.describe(many)
    assert all(described[e.pk] for e in many)


# --- on the pages and in the API -----------------------------------------------------------------


def test_node_page_history_speaks_swedish_and_english(web_as: Any, new_unit: Any) -> None:
    services.node_update(
        actor=SYSTEM, node=new_unit, expected_version=new_unit.version, name="Nattpatrull Nord"
    )
    client = web_as("admin")
    html = client.get(f"/organisation/{new_unit.pk}/").content.decode()
    assert "namn: Nattpatrullen → Nattpatrull Nord" in html
    assert "överordnad: Socialförvaltningen" in html
    assert "parent_id" not in html
    assert "numchild" not in html
    client.cookies["django_language"] = "en"
    html = client.get(f"/organisation/{new_unit.pk}/").content.decode()
    assert "name: Nattpatrullen → Nattpatrull Nord" in html
    assert "parent: Socialförvaltningen" in html


def test_audit_page_shows_labels_not_columns(web_as: Any, new_unit: Any) -> None:
    r = web_as("admin").get("/granskning/", {"object_id": str(new_unit.pk), "action": "create"})
    html = r.content.decode()
    assert '<th scope="row">överordnad</th><td>–</td><td>Socialförvaltningen</td>' in html
    assert "(del av organisationen)" in html
    for column in ("parent_id", "numchild", "depth", "tenancy.orgnode"):
        assert column not in html.split("<main", 1)[1].split("</form>", 1)[1], column


def test_api_audit_keeps_raw_data_and_adds_readable_changes(api_as: Any, new_unit: Any) -> None:
    r = api_as("admin").get(
        "/api/v1/audit/",
        {"object_id": str(new_unit.pk), "object_type": "tenancy.orgnode"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 200
    entry = r.json()["results"][0]
    assert entry["after"]["parent_id"] == new_unit.parent_id
    changes = {c["field"]: c for c in entry["changes"]}
    assert changes["parent"] == {
        "field": "parent",
        "label": "parent",
        "before": "–",
        "after": "Socialförvaltningen",
    }
    assert "path" not in changes
    assert "version" not in changes


def test_credential_events_have_labels_and_translated_values(demo: Any) -> None:
    from itfabrik.accounts.services import token_issue

    user = demo.user("ekonom")
    token_issue(user=user)
    entry = _entry(user, "update")
    with translation.override("sv"):
        assert _rows(entry) == {"API-nyckel": ("–", "utfärdad")}
    with translation.override("en"):
        assert _rows(entry) == {"API key": ("–", "issued")}


def test_node_page_query_count_does_not_depend_on_its_history(web_as: Any, new_unit: Any) -> None:
    from itfabrik.core.tests import page_query_count

    client = web_as("admin")
    url = f"/organisation/{new_unit.pk}/"
    short, r = page_query_count(client, url)
    assert len(r.context["history"]) == 1
    for i in range(12):
        new_unit.refresh_from_db()
        services.node_update(
            actor=SYSTEM, node=new_unit, expected_version=new_unit.version, name=f"Natt {i}"
        )
    long, r = page_query_count(client, url)
    assert len(r.context["history"]) == 13
    assert long == short
