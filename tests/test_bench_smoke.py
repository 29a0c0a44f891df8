"""The benchmark generator at tiny scale: a consistent tree, and list query counts that do not
grow with the data. Runs next to the Dalsland demo that conftest loads into the test database."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bench import generate
from itfabrik.core.actors import SYSTEM
from itfabrik.tenancy import services
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import Cooperation, Membership, OrgNode

STEP = OrgNode.steplen
MEASURED = [
    ("end_user", "/api/v1/organisations/"),
    ("agent", "/api/v1/organisations/"),
    ("admin", "/api/v1/organisations/"),
    ("superuser", "/api/v1/organisations/"),
    ("agent", "/api/v1/organisations/?kind=municipality"),
    ("superuser", "/api/v1/organisations/?page=2"),
]


def assert_tree_consistent() -> None:
    nodes = list(
        OrgNode.objects.values(
            "pk",
            "path",
            "depth",
            "numchild",
            "parent_id",
            "municipality_id",
            "kind",
            "cooperation_id",
        )
    )
    by_path = {n["path"]: n for n in nodes}
    children = Counter(n["path"][:-STEP] for n in nodes if n["depth"] > 1)
    for n in nodes:
        path = n["path"]
        assert len(path) % STEP == 0, path
        assert n["depth"] == len(path) // STEP, path
        assert n["numchild"] == children[path], path
        if n["depth"] == 1:
            assert n["parent_id"] is None, path
            assert n["kind"] == NodeKind.COOPERATION, path
            continue
        parent = by_path[path[:-STEP]]
        assert n["parent_id"] == parent["pk"], path
        assert n["cooperation_id"] == parent["cooperation_id"], path
        if n["kind"] == NodeKind.MUNICIPALITY:
            expected = None
        elif parent["kind"] == NodeKind.MUNICIPALITY:
            expected = parent["pk"]
        else:
            expected = parent["municipality_id"]
        assert n["municipality_id"] == expected, path
    assert all(not problems for problems in OrgNode.objects.find_problems())


def assert_cooperations_consistent(namespace: str) -> None:
    coops = Cooperation.objects.filter(slug__startswith=f"{namespace}-").select_related(
        "root", "host"
    )
    assert coops
    for coop in coops:
        assert coop.root is not None
        assert coop.root.kind == NodeKind.COOPERATION
        assert coop.root.depth == 1
        assert coop.root.cooperation_id == coop.pk
        assert coop.host is not None
        assert coop.host.kind == NodeKind.MUNICIPALITY
        assert coop.host.cooperation_id == coop.pk
        assert Membership.objects.filter(
            municipality=coop.host, cooperation=coop, left_on__isnull=True
        ).exists()


def query_counts(users: dict[str, Any]) -> dict[tuple[str, str], int]:
    out = {}
    for role, path in MEASURED:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {users[role]['token']}")
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (role, path, response.content[:200])
        out[(role, path)] = len(ctx.captured_queries)
    return out


def visible_count(users: dict[str, Any], role: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {users[role]['token']}")
    return int(client.get("/api/v1/organisations/").json()["count"])


@pytest.mark.django_db
def test_generator_tree_and_flat_query_counts() -> None:
    first = generate.generate(scale="tiny", seed=3, namespace="smoke")
    assert not first["reused"]
    counts = first["counts"]
    assert counts["cooperations"] == 2
    assert counts["municipalities"] == 6
    assert counts["users"] == 200
    assert_tree_consistent()
    assert_cooperations_consistent("smoke")
    users = first["users"]
    before = query_counts(users)
    seen_before = {r: visible_count(users, r) for r in ("end_user", "admin", "superuser")}

    # Re-running is a no-op that gives back the same bench users.
    again = generate.generate(scale="tiny", seed=3, namespace="smoke")
    assert again["reused"]
    assert again["users"] == users
    with pytest.raises(generate.AlreadyGenerated):
        generate.generate(scale="small", seed=3, namespace="smoke")

    # More rows: a second data set, and more units inside the measured users' own municipality
    # (through the service, so it also checks that bulk-built paths continue correctly).
    generate.generate(scale="tiny", seed=4, namespace="smoke2")
    home = OrgNode.objects.get(pk=users["end_user"]["home_unit"])
    # Bench trees are cooperation → municipality → administration → unit(s): depth 3.
    administration = OrgNode.objects.get(path=home.path[: 3 * STEP])
    assert administration.kind == NodeKind.ADMINISTRATION
    for i in range(60):
        services.node_create(
            actor=SYSTEM,
            parent=administration,
            kind=NodeKind.UNIT,
            name=f"Extra {i}",
            cost_centre=f"X-{i:04d}",
        )
    assert_tree_consistent()
    assert_cooperations_consistent("smoke2")
    seen_after = {r: visible_count(users, r) for r in seen_before}
    assert all(seen_after[r] >= seen_before[r] + 60 for r in seen_before), (seen_before, seen_after)

    assert query_counts(users) == before


@pytest.mark.django_db
def test_assets_generator_and_import() -> None:
    from django.db.models import F

    from bench import assets
    from itfabrik.accounts.models import User
    from itfabrik.assets.models import ComplianceException, Device

    data = generate.generate(scale="tiny", seed=5, namespace="smokeassets")
    counts = assets.generate_assets(namespace="smokeassets", seed=5, verbose=False)
    assert counts["devices"] == assets._scaled(assets.DEVICES, 6) == 10345
    assert counts["exceptions"] > 0
    assert (
        ComplianceException.objects.filter(
            device__cooperation__slug__startswith="smokeassets-"
        ).count()
        == counts["exceptions"]
    )
    devices = Device.objects.filter(cooperation__slug__startswith="smokeassets-")
    assert devices.count() == counts["devices"]
    # Owning units inside the device's municipality, lease ends those of the lease.
    assert not devices.exclude(owner_unit__municipality_id=F("municipality_id")).exists()
    assert not devices.filter(lease__isnull=False).exclude(lease_end=F("lease__ends_on")).exists()
    assert devices.filter(managed=False, kind="computer").exists()
    assert assets.assets_generated("smokeassets")

    admin = User.objects.get(pk=data["users"]["admin"]["id"])
    coop = admin.home_unit.cooperation  # type: ignore[union-attr]
    result = assets.measure_import(coop=coop, actor=admin, rows=200)
    assert result["counts"]["error"] == 0
    assert result["counts"]["create"] == 150
    assert result["counts"]["update"] == 50
    assert result["written"] == 200
    # The imported devices are gone again; the next run measures the same.
    assert devices.count() == counts["devices"]
