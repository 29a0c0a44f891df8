"""Property tests of the path rule behind every permission check (no database)."""

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.core.permissions import Grant

steps = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4)
paths = st.lists(steps, min_size=1, max_size=6).map("".join)


@given(paths, paths, st.booleans())
def test_a_grant_covers_its_node_and_descendants_only_when_recursive(grant_path, suffix, recursive):
    g = Grant("end_user", 1, grant_path, recursive, 1)
    assert g.covers(grant_path)
    assert g.covers(grant_path + suffix) is recursive


@given(paths, paths)
def test_a_grant_never_covers_an_ancestor_or_sibling(grant_path, other):
    g = Grant("end_user", 1, grant_path, True, 1)
    if not other.startswith(grant_path):
        assert not g.covers(other)
    if len(grant_path) > 4:
        assert not g.covers(grant_path[:-4])
