"""The register's services: KLASSA input, self-assessment into actions, uses, reports."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.errors import Conflict, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.systems import selectors, services
from itfabrik.systems.choices import Compliance, Hosting
from itfabrik.systems.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", [-1, 5, 9, "3", True, 2.5])
def test_classify_refuses_a_level_outside_0_to_4(register: Any, bad: object) -> None:
    system = register.system("Schema Takt")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.system_classify(
            actor=register.sakerhet,
            system=system,
            expected_version=system.version,
            confidentiality=2,
            integrity=bad,
            availability=1,
        )
    assert set(exc.value.fields) == {"integrity"}
    assert "0 och 4" in str(exc.value.fields["integrity"][0])
    assert_unchanged(before)


def test_classify_sets_levels_summary_and_audit(register: Any) -> None:
    system = register.system("Schema Takt")
    updated = services.system_classify(
        actor=register.sakerhet,
        system=system,
        expected_version=system.version,
        confidentiality=1,
        integrity=3,
        availability=2,
        traceability=2,
        personal_data=True,
    )
    assert updated.klassa_summary == 3
    entry = AuditEntry.objects.filter(
        object_type="systems.system", object_id=str(system.pk)
    ).latest("occurred_at")
    assert entry.after["integrity"] == 3
    with pytest.raises(Conflict):
        services.system_classify(
            actor=register.sakerhet, system=system, expected_version=system.version,
            confidentiality=0, integrity=0, availability=0,
        )  # fmt: skip


def test_traceability_only_with_personal_data(register: Any) -> None:
    system = register.system("Schema Takt")
    with pytest.raises(ValidationFailed) as exc:
        services.system_classify(
            actor=register.sakerhet, system=system, expected_version=system.version,
            confidentiality=1, integrity=1, availability=1, traceability=2, personal_data=False,
        )  # fmt: skip
    assert set(exc.value.fields) == {"traceability"}


def test_the_strategist_may_not_classify(register: Any) -> None:
    from itfabrik.core.errors import Forbidden

    system = register.system("Schema Takt")
    before = db_state()
    with pytest.raises(Forbidden):
        services.system_classify(
            actor=register.strateg, system=system, expected_version=system.version,
            confidentiality=1, integrity=1, availability=1,
        )  # fmt: skip
    assert_unchanged(before)


def test_a_gap_becomes_an_action_and_met_clears_it(register: Any) -> None:
    system = register.system("Larm Trygg")
    req = register.requirement("T4")  # availability 4: Larm Trygg has availability 4
    applicable = [r.code for r, _a in selectors.applicable_requirement_list(system=system)]
    assert "T4" in applicable
    assert "K4" not in applicable  # confidentiality 2 < 3
    a = services.assessment_record(
        actor=register.sakerhet, system=system, requirement=req, compliance=Compliance.NOT_MET
    )
    assert a.action.startswith("Uppfyll kravet T4")
    gaps = selectors.gap_list(actor=register.sakerhet, cooperation=register.cooperation)
    assert a.pk in {g.pk for g in gaps}
    again = services.assessment_record(
        actor=register.sakerhet, system=system, requirement=req, compliance=Compliance.MET
    )
    assert again.pk == a.pk
    assert again.action == ""
    assert Assessment.objects.filter(system=system, requirement=req).count() == 1


def test_duplicates_hold_the_two_school_platforms(register: Any) -> None:
    rows = selectors.duplicate_report(actor=register.strateg, cooperation=register.cooperation)
    by_cap = {r.capability.name: r for r in rows}
    names = {s.name for s in by_cap["Lärplattform"].systems}
    assert names == {"Skolplattform Nova", "Lärportalen Vidd"}
    assert [m.name for m in by_cap["Lärplattform"].municipalities] == [
        "Bengtsfors kommun", "Färgelanda kommun", "Melleruds kommun", "Åmåls kommun",
    ]  # fmt: skip
    # A capability of one system only is no duplicate; a phased-out system does not count.
    assert "Trygghetslarm" not in by_cap
    assert "Gamla diariet" not in {s.name for s in by_cap["Ärende- och dokumenthantering"].systems}


def test_before_buying_finds_the_existing_systems(register: Any) -> None:
    wanted = [register.capability("Lärplattform"), register.capability("Schemaläggning")]
    rows = selectors.coverage_report(
        actor=register.strateg, cooperation=register.cooperation, capabilities=wanted
    )
    assert rows[0].system.name == "Lärportalen Vidd"  # covers both
    assert rows[0].share == 1.0
    assert {"Skolplattform Nova", "Schema Takt"} <= {r.system.name for r in rows}


def test_data_centre_report_per_municipality(register: Any) -> None:
    groups = dict(
        (m.name, [u.system.name for u in uses])
        for m, uses in selectors.data_centre_report(
            actor=register.strateg, cooperation=register.cooperation
        )
    )
    assert "Omsorg Vård" in groups["Åmåls kommun"]
    assert "Gamla diariet" not in groups.get("Färgelanda kommun", [])  # phased out
    assert all(
        register.system(name).hosting == Hosting.OWN_DATA_CENTRE
        for names in groups.values()
        for name in names
    )


def test_use_set_refuses_negative_users_and_corrects_an_existing_use(
    register: Any, demo: Any
) -> None:
    system = register.system("Schema Takt")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.use_set(
            actor=register.strateg, system=system, municipality=demo.node("Åmåls kommun"),
            owner="", users=-3,
        )  # fmt: skip
    assert set(exc.value.fields) == {"users", "owner"}
    assert_unchanged(before)
    use = services.use_set(
        actor=register.strateg, system=system, municipality=demo.node("Bengtsfors kommun"),
        owner="Skolchef Bengtsfors", users=7,
    )  # fmt: skip
    assert use.users == 7
    assert system.uses.filter(municipality=demo.node("Bengtsfors kommun")).count() == 1


def test_capabilities_are_audited(register: Any) -> None:
    system = register.system("Schema Takt")
    cap = register.capability("Frånvarohantering")
    services.system_update(
        actor=register.strateg, system=system, expected_version=system.version, capabilities=[cap]
    )
    entry = AuditEntry.objects.filter(
        object_type="systems.system", object_id=str(system.pk)
    ).latest("occurred_at")
    assert entry.after == {"capabilities": [cap.pk]}


def test_requirement_update_checks_the_aspect_like_create(register: Any) -> None:
    req = register.requirement("T4")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.requirement_update(
            actor=register.sakerhet, requirement=req, expected_version=req.version,
            aspect="beauty", text="Ändrad",
        )  # fmt: skip
    assert set(exc.value.fields) == {"aspect"}
    assert "KLASSA" in str(exc.value.fields["aspect"][0])
    assert_unchanged(before)
    updated = services.requirement_update(
        actor=register.sakerhet, requirement=req, expected_version=req.version,
        aspect="integrity",
    )  # fmt: skip
    assert updated.aspect == "integrity"
