"""Pure rules of the device register (no Django): the lifecycle's transition table, the device
policy, quarters, and the refresh plan that spreads replacements within a cost band.

The string values are those of `choices` (DeviceState, Rule, DeviceKind, Ownership); a test
checks that the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

# --- lifecycle (R25) ----------------------------------------------------------------------------

NEEDS_ANALYSIS = "needs_analysis"
ORDERED = "ordered"
RECEIVED = "received"
DEPLOYED = "deployed"
IN_REPAIR = "in_repair"
DECOMMISSIONING = "decommissioning"
RETURNED = "returned"
DISPOSED = "disposed"

STATES = (
    NEEDS_ANALYSIS,
    ORDERED,
    RECEIVED,
    DEPLOYED,
    IN_REPAIR,
    DECOMMISSIONING,
    RETURNED,
    DISPOSED,
)

# The whole lifecycle: a state not listed as a source has no way out (the device's life is over).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    NEEDS_ANALYSIS: (ORDERED,),
    ORDERED: (RECEIVED,),
    RECEIVED: (DEPLOYED,),
    DEPLOYED: (IN_REPAIR, DECOMMISSIONING),
    IN_REPAIR: (DEPLOYED, DECOMMISSIONING),
    DECOMMISSIONING: (RETURNED, DISPOSED),
}
FINAL_STATES = frozenset(s for s in STATES if s not in TRANSITIONS)
# Devices in use: the policy applies to them, billing charges them.
IN_USE_STATES = (DEPLOYED, IN_REPAIR)
# Devices that will need replacing: everything not yet on its way out.
PLANNED_STATES = (RECEIVED, DEPLOYED, IN_REPAIR)

LEASED = "leased"
PURCHASED = "purchased"


def allowed(state: str) -> tuple[str, ...]:
    """The states a device in `state` may go to next (empty for a final or unknown state)."""
    return TRANSITIONS.get(state, ())


def transition_problem(
    *, current: str, target: str, ownership: str, certificate: str
) -> str | None:
    """Why the move from `current` to `target` is refused, as a code, or None when it is allowed.

    `not_allowed`: the table has no such move. `certificate`: disposal needs the data-erasure
    certificate. `not_leased`: only a leased device goes back to a lessor.
    """
    if target not in allowed(current):
        return "not_allowed"
    if target == DISPOSED and not certificate.strip():
        return "certificate"
    if target == RETURNED and ownership != LEASED:
        return "not_leased"
    return None


# --- policy (R26, R27) --------------------------------------------------------------------------

LEASE_MISSING = "lease_missing"
UNMANAGED = "unmanaged"
LOCAL_ADMIN = "local_admin"
NO_LEVEL = "no_level"
END_OF_SUPPORT = "end_of_support"
LEASE_ENDING = "lease_ending"
RULES = (LEASE_MISSING, UNMANAGED, LOCAL_ADMIN, NO_LEVEL, END_OF_SUPPORT, LEASE_ENDING)
# A lease ending this close is flagged for planning, not a breach.
LEASE_WARNING_DAYS = 90

# Kinds the policy wants leased; clients must be managed, without local administrators, with a
# security level.
LEASED_KINDS = frozenset({"computer", "tablet", "phone"})
CLIENT_KINDS = frozenset({"computer", "tablet", "phone"})


@dataclass(frozen=True)
class DeviceFacts:
    kind: str
    state: str
    ownership: str
    has_lease: bool
    managed: bool
    local_admin: bool
    security_level: int | None
    end_of_support: dt.date | None
    lease_end: dt.date | None


def findings(device: DeviceFacts, today: dt.date) -> frozenset[str]:
    """The policy's findings on one device. Only devices in use are checked: one in the store
    or on its way out has nothing to comply with yet."""
    if device.state not in IN_USE_STATES:
        return frozenset()
    out: set[str] = set()
    if device.kind in LEASED_KINDS and not device.has_lease:
        out.add(LEASE_MISSING)
    if device.kind in CLIENT_KINDS:
        if not device.managed:
            out.add(UNMANAGED)
        if device.local_admin:
            out.add(LOCAL_ADMIN)
        if device.security_level is None:
            out.add(NO_LEVEL)
    if device.end_of_support is not None and device.end_of_support <= today:
        out.add(END_OF_SUPPORT)
    if device.lease_end is not None and device.lease_end <= today + dt.timedelta(
        days=LEASE_WARNING_DAYS
    ):
        out.add(LEASE_ENDING)
    return frozenset(out)


# --- quarters and the refresh plan (R25) --------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def quarters(first: Quarter, count: int) -> list[Quarter]:
    out = [first]
    while len(out) < count:
        out.append(out[-1].next())
    return out


def due_date(lease_end: dt.date | None, end_of_support: dt.date | None) -> dt.date | None:
    """When a device must be replaced: its lease ends or its support does, whichever first."""
    dates = [d for d in (lease_end, end_of_support) if d is not None]
    return min(dates) if dates else None


@dataclass(frozen=True)
class Bucket:
    count: int
    cost: Decimal


def band_cap(demand: Sequence[Sequence[Decimal]], tolerance: Decimal = Decimal("0.15")) -> Decimal:
    """The quarterly cost the plan aims to stay within: the average over the horizon plus the
    tolerance."""
    if not demand:
        return Decimal(0)
    total = sum((sum(q, Decimal(0)) for q in demand), Decimal(0))
    return (total / len(demand) * (1 + tolerance)).quantize(Decimal("0.01"))


def spread(demand: Sequence[Sequence[Decimal]], cap: Decimal) -> list[list[Decimal]]:
    """Spread replacements so that no quarter costs more than `cap` where that can be helped.

    `demand[i]` holds the replacement cost of every device due in quarter i. A device is never
    replaced later than it is due (a lease cannot be left to run over, support cannot be
    bought back), only earlier: going backwards from the last quarter, whatever does not fit
    under the cap is brought forward to the quarter before, the dearest devices first. The
    first quarter keeps what does not fit anywhere.
    """
    plan = [sorted(q) for q in demand]
    for i in range(len(plan) - 1, 0, -1):
        quarter = plan[i]
        while quarter and sum(quarter, Decimal(0)) > cap:
            plan[i - 1].append(quarter.pop())
        plan[i - 1].sort()
    return plan


def summarise(plan: Iterable[Sequence[Decimal]]) -> list[Bucket]:
    return [Bucket(len(q), sum(q, Decimal(0))) for q in plan]
