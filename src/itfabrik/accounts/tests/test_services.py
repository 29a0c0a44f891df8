import datetime as dt

import pytest
from django.utils import timezone

from itfabrik.accounts import services
from itfabrik.accounts.choices import Role
from itfabrik.accounts.models import RoleAssignment, User
from itfabrik.core import permissions
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry


def test_admin_grants_and_revokes_a_role_with_audit(demo):
    admin = demo.user("admin")
    user = demo.user("anvandare-bengtsfors")
    node = demo.node("Melleruds kommun")
    assert not permissions.can(
        user, "tenancy.view_node", demo.node("Hemtjänst norr", "Melleruds kommun")
    )
    a = services.role_assign(actor=admin, user=user, role=Role.IT_CONTACT, node=node)
    # The grant cache of the user object is dropped, so the new role counts at once.
    assert permissions.can(
        user, "tenancy.view_node", demo.node("Hemtjänst norr", "Melleruds kommun")
    )
    with pytest.raises(ValidationFailed):
        services.role_assign(actor=admin, user=user, role=Role.IT_CONTACT, node=node)
    pk = a.pk
    services.role_revoke(actor=admin, assignment=a)
    # Nothing is deleted: the assignment ended yesterday and stays on record.
    ended = RoleAssignment.objects.get(pk=pk)
    assert ended.valid_until == timezone.localdate() - dt.timedelta(days=1)
    assert not permissions.can(
        user, "tenancy.view_node", demo.node("Hemtjänst norr", "Melleruds kommun")
    )
    with pytest.raises(ValidationFailed):
        services.role_revoke(actor=admin, assignment=ended)
    rows = AuditEntry.objects.filter(object_type="accounts.roleassignment", object_id=str(pk))
    assert list(rows.order_by("id").values_list("action", flat=True)) == ["create", "update"]
    revoked = rows.get(action="update")
    assert revoked.before["valid_until"] is None
    assert revoked.changed_fields == ["valid_until"]
    # Granting it again takes up the same record.
    again = services.role_assign(
        actor=admin, user=user, role=Role.IT_CONTACT, node=node, recursive=False
    )
    assert again.pk == pk
    assert again.valid_until is None
    assert permissions.can(user, "tenancy.view_node", node)


def test_nobody_without_manage_roles_grants_anything(demo):
    count = RoleAssignment.objects.count()
    with pytest.raises(Forbidden):  # the agent sees the root but may not grant
        services.role_assign(
            actor=demo.user("agent"),
            user=demo.user("anvandare-bengtsfors"),
            role=Role.COOPERATION_ADMIN,
            node=demo.cooperation.root,
        )
    with pytest.raises(ValidationFailed):
        services.role_assign(
            actor=SYSTEM, user=demo.user("agent"), role="emperor", node=demo.cooperation.root
        )
    assert RoleAssignment.objects.count() == count


def test_cooperation_admin_role_only_from_an_admin_above(demo):
    it_contact = demo.user("anvandare-fargelanda")
    services.role_assign(
        actor=SYSTEM,
        user=it_contact,
        role=Role.COOPERATION_ADMIN,
        node=demo.node("Färgelanda kommun"),
    )
    it_contact = User.objects.get(pk=it_contact.pk)
    # Admin of Färgelanda may grant roles there, but not make a cooperation admin of the root.
    with pytest.raises(Forbidden):  # the root is visible to all members, not grantable
        services.role_assign(
            actor=it_contact,
            user=demo.user("agent"),
            role=Role.END_USER,
            node=demo.cooperation.root,
        )
    services.role_assign(
        actor=it_contact,
        user=demo.user("agent"),
        role=Role.ORDERER,
        node=demo.node("Färgelanda kommun"),
    )


def test_create_user_checks_password_strength_and_audits(demo):
    unit = demo.node("Elevhälsan", "Åmåls kommun")
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(
            actor=demo.user("admin"), username="ny", password="123", home_unit=unit
        )
    assert "password" in exc.value.fields
    user = services.user_create(
        actor=demo.user("admin"), username="ny", password="ett-langt-losenord-2026", home_unit=unit
    )
    row = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert "password" not in row.after  # hashes never go into the audit trail
    with pytest.raises(NotFound):
        services.user_create(
            actor=demo.user("anvandare-bengtsfors"), username="x", password=None, home_unit=unit
        )


def test_token_is_stable_until_rotated(demo):
    user = demo.user("agent")
    first = services.token_issue(user=user)
    assert services.token_issue(user=user).key == first.key
    rotated = services.token_rotate(user=user)
    assert rotated.key != first.key


def test_two_factor_requirement_follows_setting_and_role(demo, settings):
    settings.REQUIRE_STAFF_2FA = False
    assert not services.requires_two_factor(demo.user("agent"))
    settings.REQUIRE_STAFF_2FA = True
    assert services.requires_two_factor(demo.user("agent"))
    assert services.requires_two_factor(demo.user("admin"))
    assert not services.requires_two_factor(demo.user("anvandare-bengtsfors"))
    assert not services.requires_two_factor(demo.user("radsmedlem"))


def test_a_temporary_admin_cannot_grant_beyond_their_own_end_date(demo):
    import datetime as dt

    user = demo.user("anvandare-fargelanda")
    node = demo.node("Färgelanda kommun")
    services.role_assign(
        actor=SYSTEM,
        user=user,
        role=Role.COOPERATION_ADMIN,
        node=node,
        valid_until=dt.date(2099, 6, 30),
    )
    admin = User.objects.get(pk=user.pk)
    before = RoleAssignment.objects.count()
    for until in (None, dt.date(2099, 7, 1)):
        with pytest.raises(ValidationFailed) as exc:
            services.role_assign(
                actor=admin,
                user=demo.user("agent"),
                role=Role.ORDERER,
                node=node,
                valid_until=until,
            )
        assert "valid_until" in exc.value.fields
    assert RoleAssignment.objects.count() == before
    services.role_assign(
        actor=admin,
        user=demo.user("agent"),
        role=Role.ORDERER,
        node=node,
        valid_until=dt.date(2099, 6, 30),
    )


def test_credential_changes_are_audited_without_the_secret(demo):
    user = demo.user("strateg")
    token = services.token_issue(user=user)
    services.token_issue(user=user)  # the same token again: no new event
    rotated = services.token_rotate(user=user)
    rows = list(
        AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by(
            "id"
        )
    )
    assert [(r.before, r.after) for r in rows[-2:]] == [
        ({"api_token": ""}, {"api_token": "utfärdad"}),
        ({"api_token": "utfärdad"}, {"api_token": "förnyad"}),
    ]
    everything = str(list(AuditEntry.objects.values_list("object_id", "before", "after")))
    assert token.key not in everything
    assert rotated.key not in everything
