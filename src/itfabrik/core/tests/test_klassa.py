from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.core import klassa


@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=4))))
def test_summary_is_the_highest_level_set(levels: list[int | None]) -> None:
    got = klassa.summary(levels)
    set_levels = [lvl for lvl in levels if lvl is not None]
    if not set_levels:
        assert got is None
    else:
        assert got == max(set_levels)
        assert isinstance(got, klassa.Level)


@given(st.integers().filter(lambda n: n < 0 or n > 4))
def test_a_value_outside_the_scale_is_refused_even_beside_valid_ones(bad: int) -> None:
    with pytest.raises(ValueError, match="KLASSA"):
        klassa.summary([2, bad, 3])


def test_labels_carry_the_number_because_older_versions_counted_from_one() -> None:
    assert [str(label)[0] for label in klassa.Level.labels] == ["0", "1", "2", "3", "4"]
    assert not klassa.is_level(True)
    assert len(klassa.Aspect.choices) == 4
