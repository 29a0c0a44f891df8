"""Issue 6: what the security review of the foundation found, each through API and web form.

Grants (1), revocations (2), tokens on credential changes (3), passwords as typed (5) and
username probing (8). The host (4), request id (6) and report throttling (7) are tested in
tenancy and core; the demo's binding (9) in core.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from itfabrik.accounts import services
from itfabrik.accounts.choices import Role
from itfabrik.accounts.models import RoleAssignment, User
from itfabrik.core import permissions
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Forbidden, ValidationFailed
from itfabrik.core.models import AuditEntry

from .test_twofactor import code_for

TODAY = timezone.localdate()
SOON = TODAY + dt.timedelta(days=30)
STRONG = "ett-langt-losenord-2026"


def person(demo, username: str, home: str = "Bengtsfors kommun") -> User:
    return services.user_create(
        actor=SYSTEM, username=username, password=STRONG, home_unit=demo.node(home)
    )


def grant(user, role, node, *, recursive=True, until=None):
    services.role_assign(
        actor=SYSTEM, user=user, role=role, node=node, recursive=recursive, valid_until=until
    )
    return User.objects.get(pk=user.pk)  # fresh object: no cached grants


def api_for(user: User) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def assignments():
    return sorted(
        RoleAssignment.objects.values_list("user_id", "role", "node_id", "recursive", "valid_until")
    )


def refusals(actor: User):
    return AuditEntry.objects.filter(actor=actor, action="refuse").order_by("id")


# --- 1. a new grant must be covered by ONE grant of the granter ------------------------------


@pytest.fixture
def temporary_admin(demo):
    """The finding: admin of Bengtsfors recursively until SOON, and permanently but not
    recursively on its Socialförvaltningen."""
    user = person(demo, "tillfallig")
    grant(user, Role.COOPERATION_ADMIN, demo.node("Bengtsfors kommun"), until=SOON)
    social = demo.node("Socialförvaltningen", "Bengtsfors kommun")
    return grant(user, Role.COOPERATION_ADMIN, social, recursive=False)


def test_a_temporary_admin_cannot_hand_out_permanent_rights_over_a_subtree_api(
    demo, temporary_admin
):
    social = demo.node("Socialförvaltningen", "Bengtsfors kommun")
    accomplice = person(demo, "medhjalpare")
    api = api_for(temporary_admin)
    before = assignments()
    for target in (accomplice, temporary_admin):  # to someone else, or to himself
        response = api.post(
            "/api/v1/role-assignments/",
            {"user": target.pk, "role": "cooperation_admin", "node": social.pk, "recursive": True},
            format="json",
        )
        assert response.status_code == 400, response.content
        assert "valid_until" in response.json()["error"]["fields"]
    assert assignments() == before
    # Every refused attempt is on the audit trail: who, what, why.
    rows = list(refusals(temporary_admin))
    assert len(rows) == 2
    assert rows[0].after["refused"] == "time"
    assert rows[0].after["role"] == "cooperation_admin"
    assert rows[0].after["user_id"] == accomplice.pk
    assert rows[0].after["recursive"] is True
    assert rows[0].object_type == "accounts.roleassignment"
    assert rows[0].scope_path == social.path
    # What one grant covers is still possible: recursive until SOON, or permanent on the node.
    ok = api.post(
        "/api/v1/role-assignments/",
        {
            "user": accomplice.pk,
            "role": "cooperation_admin",
            "node": social.pk,
            "recursive": True,
            "valid_until": SOON.isoformat(),
        },
        format="json",
    )
    assert ok.status_code == 201, ok.content
    ok = api.post(
        "/api/v1/role-assignments/",
        {"user": accomplice.pk, "role": "agent", "node": social.pk, "recursive": False},
        format="json",
    )
    assert ok.status_code == 201, ok.content


def test_a_temporary_admin_cannot_hand_out_permanent_rights_over_a_subtree_web(
    demo, temporary_admin, client
):
    social = demo.node("Socialförvaltningen", "Bengtsfors kommun")
    accomplice = person(demo, "medhjalpare")
    client.force_login(temporary_admin)
    before = assignments()
    page = client.post(
        f"/konto/anvandare/{accomplice.pk}/",
        {"role": "cooperation_admin", "node": social.pk, "recursive": "on"},
    )
    assert page.status_code == 200
    assert "Rollen kan inte gälla längre än din egen behörighet" in page.content.decode()
    assert assignments() == before
    assert refusals(temporary_admin).get().after["refused"] == "time"


def test_granting_the_widest_role_needs_that_role_and_recursion_a_recursive_cover(demo):
    it_contact = person(demo, "kommunadmin")
    municipality = demo.node("Bengtsfors kommun")
    admin_here = grant(it_contact, Role.COOPERATION_ADMIN, municipality, recursive=False)
    other = person(demo, "annan")
    with pytest.raises(Forbidden):
        services.role_assign(
            actor=admin_here, user=other, role=Role.AGENT, node=municipality, recursive=True
        )
    assert refusals(admin_here).get().after["refused"] == "recursion"
    # The same role on the same node alone is within the admin's own grant.
    services.role_assign(
        actor=admin_here,
        user=other,
        role=Role.COOPERATION_ADMIN,
        node=municipality,
        recursive=False,
    )


def test_a_grant_on_another_municipalitys_unit_is_404_and_on_record(demo, municipal_admin):
    """The node is invisible to the actor: 404 as everywhere, and the attempt is audited with
    the node's path, so the security officer over that node sees it."""
    unit = demo.node("Hemtjänst norr", "Melleruds kommun")
    before = assignments()
    response = api_for(municipal_admin).post(
        "/api/v1/role-assignments/",
        {"user": municipal_admin.pk, "role": "cooperation_admin", "node": unit.pk},
        format="json",
    )
    assert response.status_code == 404
    assert assignments() == before
    row = refusals(municipal_admin).get()
    assert (row.after["refused"], row.after["node_id"], row.scope_path) == (
        "not_found",
        unit.pk,
        unit.path,
    )


def test_a_grant_on_another_municipalitys_unit_is_refused_and_on_record_web(
    client, demo, municipal_admin
):
    """The same attempt through the web form (a tampered node id in the search field): the
    field refuses it, nothing is granted, and the attempt is on the audit trail too."""
    unit = demo.node("Hemtjänst norr", "Melleruds kommun")
    before = assignments()
    client.force_login(municipal_admin)
    response = client.post(
        f"/konto/anvandare/{municipal_admin.pk}/",
        {"role": "cooperation_admin", "node": str(unit.pk), "node_q": "Hemtjänst norr"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("node", "none")
    assert assignments() == before
    row = refusals(municipal_admin).get()
    assert (row.after["refused"], row.after["node_id"], row.scope_path) == (
        "not_found",
        unit.pk,
        unit.path,
    )


# --- 2. ending a grant needs the right to have made it ---------------------------------------


@pytest.fixture
def superior_and_local(demo):
    municipality = demo.node("Bengtsfors kommun")
    superior = grant(person(demo, "overordnad"), Role.COOPERATION_ADMIN, municipality)
    local = grant(person(demo, "lokal"), Role.COOPERATION_ADMIN, municipality, recursive=False)
    target = RoleAssignment.objects.get(user=superior, role=Role.COOPERATION_ADMIN)
    return superior, local, target


def test_a_local_admin_cannot_end_a_superiors_recursive_grant_api(demo, superior_and_local):
    superior, local, target = superior_and_local
    api = api_for(local)
    # The local admin sees the grant (people at the node are theirs to see) ...
    assert api.get(f"/api/v1/role-assignments/{target.pk}/").status_code == 200
    before = assignments()
    # ... but may not end it: visible and not allowed is 403, as for grants.
    response = api.delete(f"/api/v1/role-assignments/{target.pk}/")
    assert response.status_code == 403, response.content
    assert assignments() == before
    row = refusals(local).get()
    assert row.after["attempt"] == "end"
    assert row.after["refused"] == "recursion"
    assert row.object_id == str(target.pk)
    # The superior may end the local admin's grant.
    local_grant = RoleAssignment.objects.get(user=local, role=Role.COOPERATION_ADMIN)
    assert api_for(superior).delete(f"/api/v1/role-assignments/{local_grant.pk}/").status_code == (
        204
    )


def test_a_local_admin_sees_no_end_button_for_a_grant_they_cannot_end_web(
    demo, superior_and_local, client
):
    superior, local, target = superior_and_local
    client.force_login(local)
    page = client.get(f"/konto/anvandare/{superior.pk}/").content.decode()
    assert f"/konto/roller/{target.pk}/avsluta/" not in page
    before = assignments()
    assert client.post(f"/konto/roller/{target.pk}/avsluta/").status_code == 403
    assert assignments() == before
    # Where the local admin could have made the grant, the button is there.
    other = grant(
        person(demo, "annan"), Role.AGENT, demo.node("Bengtsfors kommun"), recursive=False
    )
    theirs = RoleAssignment.objects.get(user=other, role=Role.AGENT)
    page = client.get(f"/konto/anvandare/{other.pk}/").content.decode()
    assert f"/konto/roller/{theirs.pk}/avsluta/" in page


def test_a_temporary_admin_cannot_end_a_permanent_grant(demo):
    municipality = demo.node("Bengtsfors kommun")
    temporary = grant(person(demo, "tillfallig"), Role.COOPERATION_ADMIN, municipality, until=SOON)
    other = grant(person(demo, "annan"), Role.AGENT, municipality)
    target = RoleAssignment.objects.get(user=other, role=Role.AGENT)
    with pytest.raises(Forbidden):
        services.role_revoke(actor=temporary, assignment=target)
    assert refusals(temporary).get().after["refused"] == "time"


# --- 3. credential changes withdraw API tokens -----------------------------------------------


def token_events(user: User) -> list[str]:
    rows = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    return [r.after["api_token"] for r in rows.order_by("id") if "api_token" in (r.after or {})]


def test_enabling_totp_withdraws_the_token_issued_without_it_web(demo, client):
    user = demo.user("anvandare-bengtsfors")
    token = services.token_issue(user=user)
    old = APIClient()
    old.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert old.get("/api/v1/me/").status_code == 200
    client.force_login(user)
    assert client.get("/konto/tvafaktor/aktivera/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/konto/tvafaktor/aktivera/", {"code": code_for(device)}).status_code == 302
    assert old.get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=user).exists()
    assert token_events(user)[-1] == services.WITHDRAWN_TWO_FACTOR_ON


def test_disabling_totp_withdraws_tokens_and_is_audited(demo):
    user = demo.user("anvandare-bengtsfors")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    services.token_issue(user=user)
    services.two_factor_disable(actor=user, user=user)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not Token.objects.filter(user=user).exists()
    assert token_events(user)[-1] == services.WITHDRAWN_TWO_FACTOR_OFF


def test_changing_the_password_withdraws_tokens(demo, client):
    user = demo.user("anvandare-bengtsfors")
    token = services.token_issue(user=user)
    with pytest.raises(ValidationFailed):
        services.user_set_password(
            actor=user, user=user, password="ett-nytt-losenord-2026", current_password="fel"
        )
    assert Token.objects.filter(key=token.key).exists()
    services.user_set_password(
        actor=user,
        user=user,
        password=" ett-nytt-losenord-2026 ",
        current_password="itfabrik-demo",
    )
    assert not Token.objects.filter(user=user).exists()
    assert token_events(user)[-1] == services.WITHDRAWN_PASSWORD
    # The new password counts exactly as typed.
    assert (
        client.post(
            "/konto/logga-in/",
            {"username": user.username, "password": " ett-nytt-losenord-2026 "},
        ).status_code
        == 302
    )


def test_resetting_a_password_and_deactivating_withdraw_tokens(demo):
    admin = demo.user("admin")
    user = demo.user("anvandare-bengtsfors")
    services.token_issue(user=user)
    services.user_set_password(actor=admin, user=user, password="ett-nytt-losenord-2026")
    assert not Token.objects.filter(user=user).exists()
    token = services.token_issue(user=user)
    services.user_deactivate(actor=admin, user=user)
    assert not Token.objects.filter(key=token.key).exists()
    assert not User.objects.get(pk=user.pk).is_active
    events = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert events.filter(actor=admin, after__api_token=services.WITHDRAWN_DEACTIVATED).exists()


def test_a_local_admin_cannot_take_over_a_wider_account(demo, superior_and_local):
    superior, local, _target = superior_and_local
    with pytest.raises(Forbidden):
        services.user_set_password(actor=local, user=superior, password="ett-nytt-losenord-2026")
    with pytest.raises(Forbidden):
        services.user_deactivate(actor=local, user=superior)
    assert User.objects.get(pk=superior.pk).check_password(STRONG)


# --- 5. passwords are used exactly as typed ---------------------------------------------------

SPACED = "  mellanslag i kanten 2026  "


def test_a_password_with_spaces_works_as_typed_api(demo, api_as):
    unit = demo.node("Elevhälsan", "Åmåls kommun")
    created = api_as("admin").post(
        "/api/v1/users/",
        {"username": "mellanslag", "home_unit": unit.pk, "password": SPACED},
        format="json",
    )
    assert created.status_code == 201, created.content
    user = User.objects.get(username="mellanslag")
    assert user.check_password(SPACED)
    assert not user.check_password(SPACED.strip())
    url = "/api/v1/auth/token/"
    anon = APIClient()
    assert anon.post(url, {"username": "mellanslag", "password": SPACED}).status_code == 200
    assert anon.post(url, {"username": "mellanslag", "password": SPACED.strip()}).status_code == (
        401
    )


def test_a_password_with_spaces_works_as_typed_web(demo, web_as, client):
    admin = web_as("admin")
    unit = demo.node("Elevhälsan", "Åmåls kommun")
    created = admin.post(
        "/konto/anvandare/ny/", {"username": "mellanslag", "home_unit": unit.pk, "password": SPACED}
    )
    assert created.status_code == 302
    client.logout()
    assert User.objects.get(username="mellanslag").check_password(SPACED)
    login = client.post("/konto/logga-in/", {"username": "mellanslag", "password": SPACED})
    assert login.status_code == 302


# --- 8. username probing ----------------------------------------------------------------------


@pytest.fixture
def municipal_admin(demo):
    return grant(
        person(demo, "kommunadmin", home="Färgelanda kommun"),
        Role.COOPERATION_ADMIN,
        demo.node("Färgelanda kommun"),
    )


def test_create_user_does_not_reveal_accounts_outside_scope_api(demo, municipal_admin):
    api = api_for(municipal_admin)
    unit = demo.node("Färgelanda kommun")

    def answer(username):
        response = api.post(
            "/api/v1/users/", {"username": username, "home_unit": unit.pk}, format="json"
        )
        assert response.status_code == 400, response.content
        return response.json()["error"]["fields"]["username"]

    # Maria in Mellerud is outside this admin's scope: the answer is the one for a reserved name.
    elsewhere = answer("bestallare-mellerud")
    assert elsewhere == answer("system")
    assert elsewhere[0]["messages"]["sv"] == "Användarnamnet kan inte användas. Välj ett annat."
    assert elsewhere[0]["messages"]["en"] != elsewhere[0]["messages"]["sv"]
    # The probe is on the audit trail.
    rows = refusals(municipal_admin)
    assert [r.after["username"] for r in rows] == ["bestallare-mellerud", "system"]
    assert {r.after["refused"] for r in rows} == {"username_unavailable"}
    # An account the admin can see gets the helpful answer.
    visible = answer("anvandare-fargelanda")
    assert visible[0]["messages"]["sv"] == "Det finns redan ett konto med det användarnamnet."
    # So does an admin who sees everyone.
    helpful = api_for(demo.user("admin")).post(
        "/api/v1/users/", {"username": "bestallare-mellerud", "home_unit": unit.pk}, format="json"
    )
    assert (
        helpful.json()["error"]["fields"]["username"][0]["messages"]["sv"]
        == visible[0]["messages"]["sv"]
    )


def test_create_user_does_not_reveal_accounts_outside_scope_web(demo, municipal_admin, client):
    client.force_login(municipal_admin)
    unit = demo.node("Färgelanda kommun")
    elsewhere = client.post(
        "/konto/anvandare/ny/", {"username": "bestallare-mellerud", "home_unit": unit.pk}
    ).content.decode()
    assert "Användarnamnet kan inte användas. Välj ett annat." in elsewhere
    assert "Det finns redan ett konto" not in elsewhere
    assert refusals(municipal_admin).count() == 1


def test_superusers_need_no_covering_grant(demo):
    root = User.objects.create_superuser("rot", password=STRONG)
    someone = person(demo, "nagon")
    services.role_assign(
        actor=root,
        user=someone,
        role=Role.COOPERATION_ADMIN,
        node=demo.cooperation.root,
        recursive=True,
    )
    assert permissions.can(
        User.objects.get(pk=someone.pk), "accounts.manage_roles", demo.node("Bengtsfors kommun")
    )
