"""The register's pure rules, with hypothesis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.core import klassa
from itfabrik.systems import rules

levels = st.one_of(st.none(), st.integers(min_value=0, max_value=4))
anything = st.one_of(st.none(), st.integers(-10, 10), st.booleans(), st.text(max_size=3))


@given(st.dictionaries(st.sampled_from(rules.ASPECTS), anything))
def test_bad_levels_are_exactly_those_outside_the_scale(values: dict[str, object]) -> None:
    bad = set(rules.bad_levels(values))
    for aspect, value in values.items():
        assert (aspect in bad) == (value is not None and not klassa.is_level(value))


@given(st.fixed_dictionaries({a: levels for a in rules.ASPECTS}), st.booleans(),
       st.sampled_from(rules.ASPECTS), st.integers(0, 4))  # fmt: skip
def test_a_requirement_applies_from_its_level(
    values: dict[str, int | None], personal: bool, aspect: str, level: int
) -> None:
    effective = rules.effective_levels(values, personal)
    if not personal:
        assert effective[klassa.Aspect.TRACEABILITY] is None
    have = effective[aspect]
    assert rules.applies(effective, aspect, level) == (have is not None and have >= level)
    if rules.applies(effective, aspect, level) and level > 0:
        # A stricter object never loses a requirement a milder one has.
        assert rules.applies(effective, aspect, level - 1)


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.lists(st.text(min_size=1, max_size=3))))
def test_duplicates_are_capabilities_with_two_or_more_distinct_systems(
    coverage: dict[str, list[str]],
) -> None:
    dup = rules.duplicates(coverage)
    for cap, systems in coverage.items():
        assert (cap in dup) == (len(set(systems)) > 1)
        if cap in dup:
            assert dup[cap] == sorted(set(systems))


@given(st.sets(st.integers(0, 20)), st.sets(st.integers(0, 20)))
def test_overlap_share(planned: set[int], has: set[int]) -> None:
    hit, share = rules.overlap([str(p) for p in planned], [str(h) for h in has])
    assert hit == len(planned & has)
    assert 0.0 <= share <= 1.0
    assert share == (hit / len(planned) if planned else 0.0)
