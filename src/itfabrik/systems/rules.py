"""Pure rules of the system register (no database): KLASSA input checks, which requirements
apply at which levels, and the consolidation arithmetic of duplicates and planned purchases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from itfabrik.core import klassa

ASPECTS = (
    klassa.Aspect.CONFIDENTIALITY,
    klassa.Aspect.INTEGRITY,
    klassa.Aspect.AVAILABILITY,
    klassa.Aspect.TRACEABILITY,
)


def bad_levels(levels: Mapping[str, object]) -> list[str]:
    """The aspects whose value is neither unset (None) nor a KLASSA level 0-4."""
    return [a for a, v in levels.items() if v is not None and not klassa.is_level(v)]


def effective_levels(
    levels: Mapping[str, int | None], personal_data: bool
) -> dict[str, int | None]:
    """Spårbarhet counts only where personal data are involved (DOMAIN.md)."""
    out = dict(levels)
    if not personal_data:
        out[klassa.Aspect.TRACEABILITY] = None
    return out


def applies(levels: Mapping[str, int | None], aspect: str, level: int) -> bool:
    """A requirement for `aspect` from `level` applies when the object's level on the aspect
    reaches it. An unclassified aspect gets no requirement (classify first)."""
    have = levels.get(aspect)
    return have is not None and have >= level


def duplicates(
    coverage: Mapping[str, Iterable[str]],
) -> dict[str, list[str]]:
    """Capabilities covered by more than one (active) system: {capability: sorted systems}."""
    out: dict[str, list[str]] = {}
    for capability, systems in coverage.items():
        distinct = sorted(set(systems))
        if len(distinct) > 1:
            out[capability] = distinct
    return out


def overlap(planned: Iterable[str], system_capabilities: Iterable[str]) -> tuple[int, float]:
    """How many of the planned capabilities a system covers, and the share (0..1) of the plan."""
    wanted = set(planned)
    if not wanted:
        return 0, 0.0
    hit = len(wanted & set(system_capabilities))
    return hit, hit / len(wanted)
