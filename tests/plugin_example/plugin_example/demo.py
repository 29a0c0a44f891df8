from typing import Any

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step
from itfabrik.tenancy import services
from itfabrik.tenancy.choices import NodeKind


@demo_step("plugin_example", after=["accounts", "tenancy"])
def load(ctx: dict[str, Any]) -> None:
    # Runs after the steps it names: the nodes and users they made are in ctx.
    assert "users" in ctx
    assert "nodes" in ctx
    services.node_create(
        actor=SYSTEM,
        parent=ctx["nodes"]["Åmål/Kommunstyrelseförvaltningen"],
        kind=NodeKind.UNIT,
        name="Exempelenheten",
        cost_centre="1492-9990",
    )
