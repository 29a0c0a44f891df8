"""The naming standard's pure rules, by property: every name the generator can give is valid
and splits back into its parts; a name with one broken part is refused naming that part."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from itfabrik.network import rules

codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=6)
separators = st.sampled_from(["-", "_", ".", "--"])


@st.composite
def patterns(draw: st.DrawFn) -> rules.Pattern:
    """Some order of some fields (always the number), joined by separators, maybe with a
    prefix and a zero-padded number."""
    others = draw(
        st.lists(st.sampled_from([rules.MUNICIPALITY, rules.SITE, rules.TYPE]), unique=True)
    )
    fields = draw(st.permutations([*others, rules.NUMBER]))
    width = draw(st.integers(min_value=0, max_value=4))
    text = draw(st.sampled_from(["", "NET-", "x."]))
    for i, f in enumerate(fields):
        if i:
            text += draw(separators)
        text += f"{{{f}:0{width}}}" if f == rules.NUMBER and width else f"{{{f}}}"
    return rules.parse_pattern(text)


@st.composite
def world(draw: st.DrawFn) -> tuple[rules.Pattern, rules.Known, dict[str, str | int]]:
    pattern = draw(patterns())
    muni = draw(codes)
    site = draw(codes)
    kind = draw(codes)
    known = rules.Known.of(
        municipalities=[muni, *draw(st.lists(codes, max_size=3))],
        sites={muni: [site]},
        types=[kind],
    )
    parts: dict[str, str | int] = {
        rules.MUNICIPALITY: muni,
        rules.SITE: site,
        rules.TYPE: kind,
        rules.NUMBER: draw(st.integers(min_value=1, max_value=99999)),
    }
    return pattern, known, parts


@given(world())
def test_every_generated_name_is_valid_and_splits_back(w: tuple) -> None:
    pattern, known, parts = w
    name = rules.render(pattern, parts)
    checked = rules.check_name(pattern, name, known)
    assert checked.valid, (name, checked.errors)
    for f in pattern.fields:
        got = checked.parts[f]
        assert (int(got) if f == rules.NUMBER else got) == parts[f]
    # Case does not matter.
    assert rules.check_name(pattern, name.lower(), known).valid


@given(world(), st.data())
def test_a_broken_part_is_the_part_named(w: tuple, data: st.DataObject) -> None:
    pattern, known, parts = w
    target = data.draw(st.sampled_from(pattern.fields))
    broken = dict(parts)
    if target == rules.NUMBER:
        broken[target] = data.draw(st.sampled_from(["X1", "0", "1a", ""]))
        name = _render_raw(pattern, broken)
    else:
        other = data.draw(codes)
        assume(other.upper() not in {c for c in _allowed(known, target, parts)})
        broken[target] = other
        name = _render_raw(pattern, broken)
    checked = rules.check_name(pattern, name, known)
    assert not checked.valid
    if not name:  # the pattern was only the number
        assert checked.errors == {"name": [rules.NAME_EMPTY]}
        return
    assert target in checked.errors, (name, checked.errors)
    assert set(checked.errors) <= {target, rules.SITE}  # an unknown municipality has no sites


def _allowed(known: rules.Known, target: str, parts: dict) -> set[str]:
    if target == rules.MUNICIPALITY:
        return set(known.municipalities)
    if target == rules.SITE:
        return set(known.sites.get(str(parts[rules.MUNICIPALITY]).upper(), frozenset()))
    return set(known.types)


def _render_raw(pattern: rules.Pattern, parts: dict) -> str:
    out = []
    for seg in pattern.segments:
        if isinstance(seg, str):
            out.append(seg)
        elif seg.name == rules.NUMBER and isinstance(parts[seg.name], int):
            out.append(str(parts[seg.name]).zfill(seg.width))
        else:
            out.append(str(parts[seg.name]))
    return "".join(out)


@given(st.lists(st.integers(min_value=1, max_value=50)))
def test_next_number_is_the_lowest_free(taken: list[int]) -> None:
    n = rules.next_number(taken)
    assert n not in taken
    assert n >= 1
    assert all(k in taken for k in range(1, n))


PATTERN = rules.parse_pattern("{municipality code}-{site}-{type}-{number:02}")
KNOWN = rules.Known.of(["BEN", "AML"], {"BEN": ["SKOLA1"], "AML": ["STHUS"]}, ["SW", "AP"])


@pytest.mark.parametrize(
    ("name", "errors"),
    [
        ("BEN-SKOLA1-SW-01", {}),
        ("ben-skola1-sw-12", {}),
        ("BEN-SKOLA1-SW-100", {}),
        ("XXX-SKOLA1-SW-01", {"municipality": ["unknown"]}),
        ("BEN-STHUS-SW-01", {"site": ["unknown"]}),
        ("BEN-SKOLA1-RT-01", {"type": ["unknown"]}),
        ("BEN-SKOLA1-SW-1", {"number": ["number_width"]}),
        ("BEN-SKOLA1-SW-00", {"number": ["number_zero"]}),
        ("BEN-SKOLA1-SW-AB", {"number": ["not_a_number"]}),
        ("BEN-SKOLA1-SW", {"number": ["missing"]}),
        ("BEN-SKOLA1SW01", {"site": ["unknown"], "type": ["missing"], "number": ["missing"]}),
        ("BEN--SW-01", {"site": ["missing"]}),
        ("", {"name": ["empty"]}),
        ("BEN-SKOLA1-SW-01-X", {"number": ["not_a_number"]}),
    ],
)
def test_examples(name: str, errors: dict) -> None:
    assert rules.check_name(PATTERN, name, KNOWN).errors == errors


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", rules.PATTERN_EMPTY),
        ("{municipality}-{site}", rules.PATTERN_NO_NUMBER),
        ("{kommun}{number}", rules.PATTERN_ADJACENT_FIELDS),
        ("{site}x{number}", rules.PATTERN_ADJACENT_FIELDS),
        ("{room}-{number}", rules.PATTERN_UNKNOWN_FIELD),
        ("{site}-{site}-{number}", rules.PATTERN_REPEATED_FIELD),
        ("{site} {number}", rules.PATTERN_BAD_LITERAL),
        ("{site}-{number:2}", rules.PATTERN_BAD_WIDTH),
        ("{site:02}-{number}", rules.PATTERN_BAD_WIDTH),
        ("{site}-{number}}", rules.PATTERN_BRACES),
    ],
)
def test_bad_patterns_are_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(rules.PatternError) as exc:
        rules.parse_pattern(text)
    assert exc.value.code == code


@given(st.integers())
def test_vlan_ids(vid: int) -> None:
    assert rules.is_vlan_id(vid) == (1 <= vid <= 4094)


@given(
    st.dictionaries(st.integers(1, 4094), st.sampled_from(["DATA", "VOICE", "MGMT"])),
    st.dictionaries(st.integers(1, 4094), st.sampled_from(["DATA", "voice", "GUEST"])),
)
def test_compare_vlans_finds_every_difference(plan: dict, actual: dict) -> None:
    found = {f.vid: f.kind for f in rules.compare_vlans(plan, actual)}
    for vid in set(plan) | set(actual):
        if vid not in actual:
            assert found[vid] == rules.MISSING
        elif vid not in plan:
            assert found[vid] == rules.EXTRA
        elif plan[vid].upper() != actual[vid].upper():
            assert found[vid] == rules.WRONG_NAME
        else:
            assert vid not in found
