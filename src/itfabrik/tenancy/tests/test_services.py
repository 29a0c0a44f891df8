import datetime as dt

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.tenancy import services
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import InhabitantCount, Membership, OrgNode, Position


def audit_rows(instance):
    return AuditEntry.objects.filter(
        object_type=f"{instance._meta.app_label}.{instance._meta.model_name}",
        object_id=str(instance.pk),
    ).order_by("id")


def test_demo_has_the_shape_of_the_prestudy(demo):
    coop = demo.cooperation
    municipalities = OrgNode.objects.filter(cooperation=coop, kind=NodeKind.MUNICIPALITY)
    assert sorted(m.name for m in municipalities) == [
        "Bengtsfors kommun",
        "Dals-Eds kommun",
        "Färgelanda kommun",
        "Melleruds kommun",
        "Åmåls kommun",
    ]
    assert coop.host.name == "Åmåls kommun"
    active = Membership.objects.filter(cooperation=coop, left_on__isnull=True)
    assert sorted(m.municipality.municipal_code for m in active) == ["1439", "1460", "1461", "1492"]
    assert Position.objects.filter(team__cooperation=coop).count() == 28  # R3
    total = sum(
        InhabitantCount.objects.filter(municipality__in=municipalities, year=2023).values_list(
            "inhabitants", flat=True
        )
    )
    assert total == 36743  # DOMAIN.md: members' inhabitants 31 Dec 2023
    assert demo.node("Färgelanda kommun").organisation_number == "212000-1421"


def test_demo_loader_is_idempotent(demo):
    from itfabrik.demo import dalsland

    before = (OrgNode.objects.count(), AuditEntry.objects.count())
    assert dalsland.load() is False
    assert (OrgNode.objects.count(), AuditEntry.objects.count()) == before


def test_node_create_places_the_unit_in_the_tree_and_audits_it(demo):
    adm = demo.node("Socialförvaltningen", municipality="Bengtsfors kommun")
    admin = demo.user("admin")
    unit = services.node_create(
        actor=admin, parent=adm, kind=NodeKind.UNIT, name=" Nattpatrull ", cost_centre="1460-3990"
    )
    assert unit.name == "Nattpatrull"
    assert unit.parent_id == adm.pk
    assert unit.municipality == demo.node("Bengtsfors kommun")
    assert unit.path.startswith(adm.path)
    assert unit.depth == adm.depth + 1
    row = audit_rows(unit).get()
    assert row.action == "create"
    assert row.actor == admin
    assert row.after["cost_centre"] == "1460-3990"
    assert row.scope_path == unit.path


def test_node_create_refuses_a_wrong_kind_and_duplicate_cost_centre(demo):
    adm = demo.node("Socialförvaltningen", municipality="Bengtsfors kommun")
    count = OrgNode.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.node_create(actor=SYSTEM, parent=adm, kind=NodeKind.MUNICIPALITY, name="X")
    assert "kind" in exc.value.fields
    existing = demo.node("Hemtjänst norr", municipality="Bengtsfors kommun")
    with pytest.raises(ValidationFailed) as exc:
        services.node_create(
            actor=SYSTEM, parent=adm, kind=NodeKind.UNIT, name="Y", cost_centre=existing.cost_centre
        )
    assert exc.value.fields
    # The same code in another municipality is fine: cost centres are per municipality.
    other = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    services.node_create(
        actor=SYSTEM, parent=other, kind=NodeKind.UNIT, name="Z", cost_centre=existing.cost_centre
    )
    assert OrgNode.objects.count() == count + 1


def test_node_create_outside_scope_is_not_found_and_changes_nothing(demo):
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    count = OrgNode.objects.count()
    with pytest.raises(NotFound):
        services.node_create(
            actor=demo.user("anvandare-bengtsfors"), parent=adm, kind=NodeKind.UNIT, name="X"
        )
    own = demo.node("Socialförvaltningen", municipality="Bengtsfors kommun")
    with pytest.raises(Forbidden):  # visible but not allowed
        services.node_create(
            actor=demo.user("anvandare-bengtsfors"), parent=own, kind=NodeKind.UNIT, name="X"
        )
    assert OrgNode.objects.count() == count


def test_node_update_is_versioned_and_audited(demo):
    node = demo.node("Melleruds kommun")
    admin = demo.user("admin")
    updated = services.node_update(
        actor=admin, node=node, expected_version=node.version, email_domain="MELLERUD.SE "
    )
    assert updated.email_domain == "mellerud.se"
    assert updated.version == node.version  # unchanged value → no new version
    updated = services.node_update(
        actor=admin, node=node, expected_version=node.version, name="Melleruds kommun i Dalsland"
    )
    assert updated.version == node.version + 1
    row = audit_rows(node).filter(action="update").get()
    assert row.before["name"] == "Melleruds kommun"
    assert row.after["name"] == "Melleruds kommun i Dalsland"
    assert row.changed_fields == ["name", "version"]
    with pytest.raises(Conflict):  # somebody else's edit from the old version
        services.node_update(actor=admin, node=node, expected_version=node.version, name="X")
    assert OrgNode.objects.get(pk=node.pk).name == "Melleruds kommun i Dalsland"


def test_node_update_validates_every_field_and_saves_nothing_on_error(demo):
    node = demo.node("Åmåls kommun")
    with pytest.raises(ValidationFailed) as exc:
        services.node_update(
            actor=SYSTEM,
            node=node,
            expected_version=node.version,
            organisation_number="212000-1422",
            municipal_code="14",
            name="  ",
        )
    assert set(exc.value.fields) == {"organisation_number", "municipal_code", "name"}
    fresh = OrgNode.objects.get(pk=node.pk)
    assert (fresh.name, fresh.version, fresh.municipal_code) == (node.name, node.version, "1492")
    with pytest.raises(ValidationFailed):
        services.node_update(actor=SYSTEM, node=node, expected_version=1, path="0001")


def test_duplicate_municipal_code_is_refused(demo):
    node = demo.node("Åmåls kommun")
    with pytest.raises((ValidationFailed, Conflict)):
        services.node_update(
            actor=SYSTEM, node=node, expected_version=node.version, municipal_code="1461"
        )
    assert OrgNode.objects.get(pk=node.pk).municipal_code == "1492"


def test_closing_a_unit_keeps_it_and_refuses_parents_with_active_children(demo):
    unit = demo.node("Fastighet", municipality="Åmåls kommun")
    closed = services.node_close(
        actor=SYSTEM, node=unit, closed_on=dt.date(2026, 12, 31), expected_version=unit.version
    )
    assert not closed.is_active
    assert OrgNode.objects.filter(pk=unit.pk).exists()
    adm = demo.node("Socialförvaltningen", municipality="Åmåls kommun")
    with pytest.raises(ValidationFailed):
        services.node_close(
            actor=SYSTEM, node=adm, closed_on=dt.date(2026, 12, 31), expected_version=adm.version
        )
    with pytest.raises(ValidationFailed):
        services.node_close(
            actor=SYSTEM,
            node=demo.node("Åmåls kommun"),
            closed_on=dt.date(2026, 12, 31),
            expected_version=None,
        )


def test_dals_ed_joins_and_membership_history_is_kept(demo):
    coop, dals_ed = demo.cooperation, demo.node("Dals-Eds kommun")
    admin = demo.user("admin")
    m = services.municipality_join(
        actor=admin, cooperation=coop, municipality=dals_ed, joined_on=dt.date(2027, 1, 1)
    )
    with pytest.raises(ValidationFailed):  # overlapping membership
        services.municipality_join(
            actor=admin, cooperation=coop, municipality=dals_ed, joined_on=dt.date(2027, 6, 1)
        )
    with pytest.raises(ValidationFailed):  # leaving before joining
        services.municipality_leave(
            actor=admin, membership=m, left_on=dt.date(2026, 1, 1), expected_version=m.version
        )
    ended = services.municipality_leave(
        actor=admin, membership=m, left_on=dt.date(2028, 12, 31), expected_version=m.version
    )
    assert ended.left_on == dt.date(2028, 12, 31)
    again = services.municipality_join(
        actor=admin, cooperation=coop, municipality=dals_ed, joined_on=dt.date(2030, 1, 1)
    )
    assert Membership.objects.filter(municipality=dals_ed).count() == 2
    assert again.left_on is None
    assert audit_rows(m).count() == 2


def test_the_host_cannot_leave(demo):
    m = Membership.objects.get(municipality=demo.cooperation.host, left_on__isnull=True)
    with pytest.raises(ValidationFailed) as exc:
        services.municipality_leave(
            actor=SYSTEM, membership=m, left_on=dt.date(2027, 1, 1), expected_version=m.version
        )
    assert "municipality" in exc.value.fields
    assert Membership.objects.get(pk=m.pk).left_on is None


def test_only_membership_managers_change_memberships(demo):
    m = Membership.objects.get(municipality=demo.node("Melleruds kommun"), left_on__isnull=True)
    with pytest.raises(Forbidden):
        services.municipality_leave(
            actor=demo.user("agent"), membership=m, left_on=dt.date(2027, 1, 1), expected_version=1
        )
    with pytest.raises(Forbidden):
        services.municipality_join(
            actor=demo.user("ekonom"),
            cooperation=demo.cooperation,
            municipality=demo.node("Dals-Eds kommun"),
            joined_on=dt.date(2027, 1, 1),
        )
    assert Membership.objects.get(pk=m.pk).left_on is None


def test_inhabitants_are_upserted_per_year_with_audit(demo):
    node = demo.node("Bengtsfors kommun")
    first = services.inhabitants_set(actor=SYSTEM, municipality=node, year=2024, inhabitants=9100)
    second = services.inhabitants_set(actor=SYSTEM, municipality=node, year=2024, inhabitants=9090)
    assert first.pk == second.pk
    assert second.inhabitants == 9090
    assert [r.action for r in audit_rows(first)] == ["create", "update"]
    with pytest.raises(ValidationFailed):
        services.inhabitants_set(
            actor=SYSTEM,
            municipality=demo.node("Gata och park", "Åmåls kommun"),
            year=2024,
            inhabitants=1,
        )


def test_a_new_cooperation_needs_a_superuser(demo):
    with pytest.raises(Forbidden):
        services.cooperation_create(actor=demo.user("admin"), name="Sjuhärad", slug="sjuharad")
    coop = services.cooperation_create(actor=SYSTEM, name="Sjuhärad", slug="sjuharad")
    assert coop.root.kind == NodeKind.COOPERATION
    assert coop.root.cooperation_id == coop.pk
    # A cooperation admin of Dalsland sees nothing of the new cooperation.
    from itfabrik.tenancy import selectors

    with pytest.raises(NotFound):
        selectors.node_get(actor=demo.user("admin"), pk=coop.root.pk)
