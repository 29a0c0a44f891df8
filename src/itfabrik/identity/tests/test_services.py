"""Identity's services against the demo: joiner, mover, leaver, accounts, grants, reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from itfabrik.core.errors import ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.identity import selectors, services
from itfabrik.identity.choices import AccountKind, AccountStatus, GrantStatus
from itfabrik.identity.models import Account, Grant, MailAddress

pytestmark = pytest.mark.django_db


def test_joiner_gets_account_address_entitlements_and_order(ident: Any) -> None:
    employment = ident.hire("Åsa-Britt", "Öberg-Été")
    account = Account.objects.get(person=employment.person, kind=AccountKind.STANDARD)
    assert account.username == "asa-britt.oberg-ete"
    assert list(account.addresses.values_list("address", flat=True)) == [
        "asa-britt.oberg-ete@mellerud.se"
    ]
    names = set(
        Grant.objects.filter(account=account, status=GrantStatus.ACTIVE).values_list(
            "entitlement__name", flat=True
        )
    )
    assert names == {"Microsoft 365 F3", "Alla medarbetare", "Lifecare – utförare"}
    assert employment.order is not None
    assert employment.order.unit_id == ident.hemtjanst.pk


def test_collision_gets_a_digit_and_second_municipality_an_address(ident: Any) -> None:
    first = ident.hire("Nils", "Holm")
    second = ident.hire("Nils", "Holm")
    a1 = Account.objects.get(person=first.person, kind=AccountKind.STANDARD)
    a2 = Account.objects.get(person=second.person, kind=AccountKind.STANDARD)
    assert (a1.username, a2.username) == ("nils.holm", "nils.holm2")
    services.employment_create(
        actor=ident.admin,
        person=first.person,
        unit=ident.bengtsfors,
        title="Vikarie",
        start=ident.today,
    )
    assert set(a1.addresses.values_list("address", flat=True)) == {
        "nils.holm@mellerud.se",
        "nils.holm@bengtsfors.se",
    }
    assert Account.objects.filter(person=first.person, kind=AccountKind.STANDARD).count() == 1


def test_one_standard_account_per_person_is_a_database_rule(ident: Any) -> None:
    from django.db import IntegrityError, transaction

    employment = ident.hire("Ulla", "Unik")
    account = Account.objects.get(person=employment.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            cooperation_id=account.cooperation_id,
            kind=AccountKind.STANDARD,
            username="annan",
            person=employment.person,
            municipality=account.municipality,
        )


def test_personal_number_validated_and_never_in_audit_in_clear(ident: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(
            actor=ident.admin,
            home=ident.mellerud,
            first_name="Fel",
            last_name="Nummer",
            personal_number="19811218-9877",
        )
    assert "personal_number" in exc.value.fields
    person = services.person_create(
        actor=ident.admin,
        home=ident.mellerud,
        first_name="Rätt",
        last_name="Nummer",
        personal_number="811218-9876",
    )
    assert person.personal_number == "198112189876"
    assert person.birth_date == dt.date(1981, 12, 18)
    person = services.person_update(
        actor=ident.admin, person=person, expected_version=person.version, personal_number=""
    )
    rows = AuditEntry.objects.filter(object_type="identity.person", object_id=str(person.pk))
    text = str(list(rows.values_list("before", "after")))
    assert "9876" not in text
    assert "19811218-****" in text


def test_personal_number_masked_for_roles_without_need(ident: Any, demo: Any) -> None:
    person = services.person_create(
        actor=ident.admin,
        home=ident.mellerud,
        first_name="Dold",
        last_name="Person",
        personal_number="198112189876",
    )
    assert selectors.shown_personal_number_get(ident.admin, person) == "19811218-9876"
    assert selectors.shown_personal_number_get(demo.user("tekniker"), person) == "19811218-****"


def test_leaver_job_disables_accounts_and_reclaims_licences(ident: Any) -> None:
    employment = ident.hire("Gunnar", "Går", start=ident.today - dt.timedelta(days=100))
    person = employment.person
    services.privileged_account_create(actor=ident.admin, person=person)
    services.employment_update(
        actor=ident.admin,
        employment=employment,
        expected_version=employment.version,
        end=ident.today - dt.timedelta(days=1),
    )
    assert services.leavers_process() >= 1
    assert services.leavers_process() == 0  # idempotent
    accounts = Account.objects.filter(person=person)
    assert {a.status for a in accounts} == {AccountStatus.DISABLED}
    assert not Grant.objects.filter(account__person=person, status=GrantStatus.ACTIVE).exists()


def test_leaver_with_another_employment_keeps_the_account(ident: Any) -> None:
    employment = ident.hire("Karin", "Kvar", start=ident.today - dt.timedelta(days=100))
    services.employment_create(
        actor=ident.admin,
        person=employment.person,
        unit=ident.bengtsfors,
        title="Vikarie",
        start=ident.today - dt.timedelta(days=10),
    )
    services.employment_end(
        actor=ident.admin,
        employment=employment,
        end=ident.today - dt.timedelta(days=1),
        expected_version=employment.version,
    )
    account = Account.objects.get(person=employment.person)
    assert account.status == AccountStatus.ACTIVE
    assert not Grant.objects.filter(employment=employment, status=GrantStatus.ACTIVE).exists()


def test_mover_shows_diff_and_applies_after_approval(ident: Any, demo: Any) -> None:
    employment = ident.hire("Moa", "Flytt")
    to_role = ident.role("Handläggare IFO")
    change = services.role_change_request(actor=ident.admin, employment=employment, to_role=to_role)
    added, removed = services.role_change_diff(change)
    assert {e.name for e in added} == {"Microsoft 365 E3", "Treserva – handläggare"}
    assert {e.name for e in removed} == {"Microsoft 365 F3", "Lifecare – utförare"}
    account = Account.objects.get(person=employment.person)
    assert not Grant.objects.filter(
        account=account, entitlement__name="Treserva – handläggare"
    ).exists()
    services.role_change_decide(
        actor=ident.admin, change=change, approve=True, expected_version=change.version
    )
    live = set(
        Grant.objects.filter(account=account, status=GrantStatus.ACTIVE).values_list(
            "entitlement__name", flat=True
        )
    )
    assert live == {"Microsoft 365 E3", "Alla medarbetare", "Treserva – handläggare"}


def test_direct_grant_needs_end_date_and_approval(ident: Any, demo: Any) -> None:
    from itfabrik.core.errors import NotFound
    from itfabrik.identity.models import Entitlement

    employment = ident.hire("Dora", "Direkt")
    account = Account.objects.get(person=employment.person)
    ent = Entitlement.objects.get(name="Visma – personalhandläggare")
    with pytest.raises(ValidationFailed) as exc:
        services.grant_request(
            actor=ident.admin, account=account, entitlement=ent, valid_until=None, reason="x"
        )
    assert "valid_until" in exc.value.fields
    grant = services.grant_request(
        actor=ident.admin,
        account=account,
        entitlement=ent,
        valid_until=ident.today + dt.timedelta(days=30),
        reason="Projekt",
    )
    assert grant.status == GrantStatus.PENDING
    with pytest.raises(NotFound):
        services.grant_approve(
            actor=demo.user("anvandare-bengtsfors"), grant=grant, expected_version=grant.version
        )
    grant = services.grant_approve(actor=ident.admin, grant=grant, expected_version=grant.version)
    assert grant.status == GrantStatus.ACTIVE


def test_violations_of_the_demo(demo: Any) -> None:
    kinds = {v.kind for v in selectors.violation_list(actor=demo.user("admin"))}
    assert kinds == {
        "privileged_on_standard",
        "missing_mfa",
        "no_employment",
        "external_expired",
        "duplicate_person",
        "shared_account",
    }


def test_a_duplicate_says_whether_the_birth_dates_match_or_one_is_missing(demo: Any) -> None:
    from itfabrik.identity.models import Person

    admin = demo.user("admin")
    base = Person.objects.select_related("home").first()
    assert base is not None
    home = base.home
    first = Person.objects.create(
        first_name="Dubbel",
        last_name="Testsson",
        cooperation_id=base.cooperation_id,
        home=home,
        birth_date=dt.date(1980, 1, 2),
    )
    same = Person.objects.create(
        first_name="dubbel",
        last_name="TESTSSON",
        cooperation_id=base.cooperation_id,
        home=home,
        birth_date=dt.date(1980, 1, 2),
    )
    unknown = Person.objects.create(
        first_name="Dubbel", last_name="Testsson", cooperation_id=base.cooperation_id, home=home
    )
    other = Person.objects.create(
        first_name="Dubbel",
        last_name="Testsson",
        cooperation_id=base.cooperation_id,
        home=home,
        birth_date=dt.date(1990, 5, 6),
    )
    found = {
        v.person_id: v.detail
        for v in selectors.violation_list(actor=admin, kind="duplicate_person")
    }
    assert first.pk not in found
    assert other.pk not in found
    assert found[same.pk] == f"Samma namn och födelsedatum som Dubbel Testsson (nr {first.pk})."
    assert (
        found[unknown.pk] == f"Samma namn som Dubbel Testsson (nr {first.pk}); födelsedatum saknas."
    )


def test_violation_opens_a_ticket(demo: Any) -> None:
    admin = demo.user("admin")
    v = selectors.violation_list(actor=admin, kind="missing_mfa")[0]
    account = Account.objects.get(pk=v.account_id)
    ticket = services.violation_ticket_create(
        actor=admin, kind=v.kind, detail=v.detail, account=account
    )
    assert account.username in ticket.title
    assert ticket.unit_id == account.municipality_id


def test_access_review_revoke_ends_the_grant(ident: Any, demo: Any) -> None:
    employment = ident.hire("Rut", "Granskad")
    campaign = services.review_campaign_create(
        actor=ident.admin,
        municipality=ident.mellerud,
        name="Granskning hösten",
        due=ident.today + dt.timedelta(days=14),
    )
    orderer = demo.user("bestallare-mellerud")
    items = list(selectors.review_item_list(actor=orderer, campaign=campaign))
    mine = [i for i in items if i.grant.account.person_id == employment.person_id]
    assert len(mine) == 3
    item = services.review_decide(
        actor=orderer, item=mine[0], decision="revoked", expected_version=mine[0].version
    )
    assert Grant.objects.get(pk=item.grant_id).status == GrantStatus.REVOKED
    assert AuditEntry.objects.filter(
        object_type="identity.reviewitem", object_id=str(item.pk)
    ).exists()
    # Bengtsfors' portal user sees none of Mellerud's items.
    assert not selectors.review_item_list(
        actor=demo.user("anvandare-bengtsfors"), campaign=campaign
    )


def test_licence_pool_used_counts_active_licences(demo: Any) -> None:
    pools = {p.product: p for p in selectors.licence_pool_list(actor=demo.user("admin"))}
    e3 = pools["Microsoft 365 E3"]
    expected = Grant.objects.filter(entitlement__licence_pool=e3, status=GrantStatus.ACTIVE).count()
    assert e3.used == expected > 0
    assert e3.purchased == 400


def test_addresses_are_unique(demo: Any) -> None:
    addresses = list(MailAddress.objects.values_list("address", flat=True))
    assert len(addresses) == len(set(addresses)) > 100


def test_naming_pattern_is_configurable_per_cooperation(ident: Any, demo: Any) -> None:
    coop = demo.cooperation
    with pytest.raises(ValidationFailed) as exc:
        services.naming_policy_set(
            actor=ident.admin, cooperation=coop, email_pattern="{first}@{x}", privileged_prefix="a-"
        )
    assert "email_pattern" in exc.value.fields
    services.naming_policy_set(
        actor=ident.admin, cooperation=coop, email_pattern="{f}{last}", privileged_prefix="priv-"
    )
    employment = ident.hire("Östen", "Ärlig")
    account = Account.objects.get(person=employment.person, kind=AccountKind.STANDARD)
    assert account.addresses.get().address == "oarlig@mellerud.se"
    privileged = services.privileged_account_create(actor=ident.admin, person=employment.person)
    assert privileged.username == "priv-oarlig"
    assert privileged.mfa_required


def test_periodic_leaver_task_is_registered_and_runs(ident: Any) -> None:
    from itfabrik.core.registry import registry
    from itfabrik.identity import tasks

    assert "identity.leavers" in registry.periodic
    employment = ident.hire("Per", "Periodisk", start=ident.today - dt.timedelta(days=30))
    services.employment_update(
        actor=ident.admin,
        employment=employment,
        expected_version=employment.version,
        end=ident.today - dt.timedelta(days=2),
    )
    tasks.leavers.call()
    assert not Account.objects.filter(person=employment.person, status="active").exists()


def test_duplicates_are_found_in_one_query_whatever_the_number_of_shared_names(
    ident: Any, django_assert_num_queries: Any
) -> None:
    """Every shared name is checked (not only the first 500 name groups) without loading the
    groups: the same name and birth date, or a missing birth date, is a probable duplicate; the
    same name with another birth date is not."""
    from itfabrik.identity.models import Person

    born = dt.date(1980, 5, 17)
    rows = []
    for n in range(600):
        first, last = f"Dubbel{n}", "Testsson"
        rows.append(Person(cooperation=ident.mellerud.cooperation, home=ident.mellerud,
                           first_name=first, last_name=last, birth_date=born))  # fmt: skip
        other = born if n % 3 == 0 else (None if n % 3 == 1 else dt.date(1990, 1, 1))
        rows.append(Person(cooperation=ident.mellerud.cooperation, home=ident.mellerud,
                           first_name=first.upper(), last_name=last, birth_date=other))  # fmt: skip
    Person.objects.bulk_create(rows)
    selectors._duplicates(ident.admin)  # the actor's role assignments, read once and kept
    with django_assert_num_queries(1):
        found = selectors._duplicates(ident.admin)
    ours = [v for v in found if v.person_name.startswith("DUBBEL")]
    assert len(ours) == 400  # same birth date (200) and missing birth date (200)
    first = next(v for v in ours if v.person_name == "DUBBEL0 Testsson")
    assert "Dubbel0 Testsson" in first.detail


def test_privileged_on_standard_counts_only_active_privileged_grants(ident: Any) -> None:
    from itfabrik.identity.models import Entitlement

    employment = ident.hire("Priv", "Ilegierad")
    account = Account.objects.get(person=employment.person, kind=AccountKind.STANDARD)
    admin_right = Entitlement.objects.filter(
        cooperation=account.cooperation, is_privileged=True
    ).first()
    grant = Grant.objects.create(
        account=account, entitlement=admin_right, source="direct", status=GrantStatus.REVOKED,
        valid_until=ident.today + dt.timedelta(days=30),
    )  # fmt: skip

    def flagged() -> bool:
        found = selectors.violation_list(actor=ident.admin, kind="privileged_on_standard")
        return any(v.account_id == account.pk for v in found)

    assert not flagged()
    grant.status = GrantStatus.ACTIVE
    grant.save()
    assert flagged()


# --- provisioning: the placement a SCIM client sends (ADR 0038, issue 10) -----------------------


def _provisioning_actor(demo: Any) -> Any:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.identity.services import provisioning

    token, _secret = provisioning.scim_token_create(
        actor=SYSTEM, cooperation=demo.cooperation, name="Entra ID"
    )
    return provisioning.ScimActor(token)


def test_provisioned_user_with_a_placement_is_a_joiner_then_a_mover(demo: Any) -> None:
    from itfabrik.identity.services import provisioning

    actor = _provisioning_actor(demo)
    account = provisioning.provisioned_user_create(
        actor=actor,
        cooperation=demo.cooperation,
        user_name="eva.lund@mellerud.se",
        given_name="Eva",
        family_name="Lund",
        placement=provisioning.Placement(
            organization="Melleruds kommun", department="Ekonomienheten", title="Controller"
        ),
    )
    first = provisioning.current_employment(account.person_id)
    assert first is not None
    assert (first.unit.name, first.title, first.end) == ("Ekonomienheten", "Controller", None)
    assert first.start == timezone.localdate()
    violations = selectors.violation_list(actor=demo.user("admin"), kind="no_employment")
    assert account.pk not in {v.account_id for v in violations}

    provisioning.provisioned_user_update(
        actor=actor,
        account=account,
        user_name="eva.lund@mellerud.se",
        given_name="Eva",
        family_name="Lund",
        external_id="",
        active=True,
        placement=provisioning.Placement(
            organization="Melleruds kommun", department="HR-enheten", title="Controller"
        ),
    )
    moved = provisioning.current_employment(account.person_id)
    assert moved is not None
    assert moved.pk != first.pk
    assert moved.unit.name == "HR-enheten"
    first.refresh_from_db()
    assert first.end == timezone.localdate()  # started today, so it ends today, not before it began
    assert Account.objects.get(pk=account.pk).status == AccountStatus.ACTIVE


def test_provisioned_user_with_an_unknown_organization_changes_nothing(demo: Any) -> None:
    from itfabrik.identity.services import provisioning

    actor = _provisioning_actor(demo)
    before = (Account.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        provisioning.provisioned_user_create(
            actor=actor,
            cooperation=demo.cooperation,
            user_name="eva.lund@mellerud.se",
            given_name="Eva",
            family_name="Lund",
            placement=provisioning.Placement(organization="Gotlands kommun", title="Controller"),
        )
    assert list(caught.value.fields) == [f"{provisioning.ENTERPRISE}:organization"]
    assert (Account.objects.count(), AuditEntry.objects.count()) == before
