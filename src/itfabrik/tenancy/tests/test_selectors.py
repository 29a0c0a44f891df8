import pytest

from itfabrik.core import permissions
from itfabrik.core.errors import NotFound
from itfabrik.tenancy import permissions as actions
from itfabrik.tenancy import selectors
from itfabrik.tenancy.choices import COOPERATION_PUBLIC_KINDS, NodeKind
from itfabrik.tenancy.models import OrgNode

ALL_DEMO_USERS = [
    "admin",
    "agent",
    "tekniker",
    "ekonom",
    "strateg",
    "sakerhet",
    "radsmedlem",
    "bestallare-mellerud",
    "anvandare-bengtsfors",
    "anvandare-fargelanda",
]


def test_end_user_sees_cooperation_members_and_own_municipality_only(demo):
    user = demo.user("anvandare-bengtsfors")
    visible = list(selectors.node_list(actor=user))
    kinds_elsewhere = {
        n.kind
        for n in visible
        if n.municipality_id not in (None, demo.node("Bengtsfors kommun").pk)
    }
    assert kinds_elsewhere == set()
    names = {n.name for n in visible}
    assert {
        "Dalslands IT-samverkan",
        "Åmåls kommun",
        "Melleruds kommun",
        "Dals-Eds kommun",
    } <= names
    assert "Grundskola F–6" in names  # own unit
    own_units = [n for n in visible if n.kind == NodeKind.UNIT]
    assert own_units
    assert all(n.municipality.name == "Bengtsfors kommun" for n in own_units)
    with pytest.raises(NotFound):
        selectors.node_get(actor=user, pk=demo.node("Hemtjänst norr", "Melleruds kommun").pk)


def test_admin_sees_every_node_of_the_cooperation(demo):
    admin = demo.user("admin")
    assert (
        selectors.node_list(actor=admin, include_inactive=True).count()
        == OrgNode.objects.filter(cooperation=demo.cooperation).count()
    )


def test_anonymous_sees_nothing(demo):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.node_list(actor=AnonymousUser()).count() == 0
    assert selectors.cooperation_list(actor=AnonymousUser()).count() == 0


@pytest.mark.parametrize("username", ALL_DEMO_USERS)
def test_list_and_single_check_agree_for_every_node(demo, username):
    """scope_q (lists) and can() (single objects) must be the same rule."""
    user = demo.user(username)
    visible = set(
        selectors.node_list(actor=user, include_inactive=True).values_list("pk", flat=True)
    )
    coops = permissions.cooperation_ids(user)
    for node in OrgNode.objects.all():
        expected = permissions.can(user, actions.VIEW_NODE, node) or (
            node.kind in COOPERATION_PUBLIC_KINDS and node.cooperation_id in coops
        )
        assert (node.pk in visible) == expected, (username, node.name)


def test_municipality_facts_are_annotated(demo):
    rows = {
        n.name: n
        for n in selectors.municipality_list(
            actor=demo.user("anvandare-fargelanda"), cooperation=demo.cooperation
        )
    }
    assert rows["Åmåls kommun"].is_host
    assert rows["Åmåls kommun"].is_member
    assert rows["Åmåls kommun"].inhabitants == 12006
    assert rows["Åmåls kommun"].inhabitants_year == 2023
    assert not rows["Dals-Eds kommun"].is_member
    assert not rows["Dals-Eds kommun"].is_host
    assert not rows["Melleruds kommun"].is_host


def test_ancestors_give_the_breadcrumb_in_order(demo):
    unit = demo.node("Grundskola F–6", "Bengtsfors kommun")
    trail = selectors.node_ancestor_list(actor=demo.user("anvandare-bengtsfors"), node=unit)
    assert [n.name for n in trail] == [
        "Dalslands IT-samverkan",
        "Bengtsfors kommun",
        "Barn- och utbildningsförvaltningen",
    ]


def test_orderer_scope_is_the_administration_for_ordering_but_municipality_for_viewing(demo):
    user = demo.user("bestallare-mellerud")
    social = demo.node("Socialförvaltningen", "Melleruds kommun")
    school = demo.node("Barn- och utbildningsförvaltningen", "Melleruds kommun")
    assert permissions.can(user, actions.VIEW_NODE, school)
    assert any(g.role == "orderer" and g.covers(social.path) for g in permissions.grants(user))
    assert not any(g.role == "orderer" and g.covers(school.path) for g in permissions.grants(user))


def test_grants_are_read_once_per_actor(demo, django_assert_num_queries):
    user = demo.user("anvandare-bengtsfors")
    node = demo.node("Åmåls kommun")
    with django_assert_num_queries(1):
        for _ in range(5):
            permissions.can(user, actions.VIEW_NODE, node)
            permissions.scope_q(user, actions.VIEW_NODE)
