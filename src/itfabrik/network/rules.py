"""Pure rules of the network standard (no Django): the naming pattern, names checked part by
part, the next free number, VLAN IDs and SSIDs.

A pattern is text with fields in braces, e.g. `{municipality}-{site}-{type}-{number:02}`. The
fields are `municipality` (the municipality's network code), `site` (the site's code), `type`
(the device type's code) and `number` (a running number; `:02` pads it with zeros to two
digits). Between two fields there must be a separator (`-`, `_` or `.`): codes never contain
one, so a name splits into its parts without guessing, and a wrong name can be told part by
part what is wrong. Names and codes are compared without regard to case (DNS names are
case-insensitive); the generator writes codes as they are stored.

Errors are codes, not messages: the services turn them into Swedish (and English) text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MUNICIPALITY = "municipality"
SITE = "site"
TYPE = "type"
NUMBER = "number"
FIELDS = (MUNICIPALITY, SITE, TYPE, NUMBER)
# Other spellings a person may write in a pattern (the issue's own example among them).
ALIASES = {
    "municipality code": MUNICIPALITY,
    "municipality_code": MUNICIPALITY,
    "kommun": MUNICIPALITY,
    "kommunkod": MUNICIPALITY,
    "plats": SITE,
    "typ": TYPE,
    "nummer": NUMBER,
    "löpnummer": NUMBER,
}
SEPARATORS = "-_."
CODE_RE = re.compile(r"^[A-Za-z0-9]{1,12}$")
# A DNS label: at most 63 characters.
MAX_NAME_LENGTH = 63
MAX_PAD = 6
VLAN_MIN = 1
VLAN_MAX = 4094
# IEEE 802.11: an SSID is at most 32 octets.
SSID_MAX_BYTES = 32

_FIELD_RE = re.compile(r"\{([^{}:]+)(?::(0?)(\d+))?\}")

# Error codes.
PATTERN_EMPTY = "pattern_empty"
PATTERN_UNKNOWN_FIELD = "pattern_unknown_field"
PATTERN_REPEATED_FIELD = "pattern_repeated_field"
PATTERN_NO_NUMBER = "pattern_no_number"
PATTERN_ADJACENT_FIELDS = "pattern_adjacent_fields"
PATTERN_BAD_LITERAL = "pattern_bad_literal"
PATTERN_BAD_WIDTH = "pattern_bad_width"
PATTERN_BRACES = "pattern_braces"
PART_MISSING = "missing"
PART_UNKNOWN = "unknown"
PART_NOT_A_NUMBER = "not_a_number"
PART_NUMBER_WIDTH = "number_width"
PART_NUMBER_ZERO = "number_zero"
PART_MISMATCH = "mismatch"
NAME_EMPTY = "empty"
NAME_TOO_LONG = "too_long"
NAME_PREFIX = "prefix"
NAME_SEPARATOR = "separator"
NAME_TRAILING = "trailing"


class PatternError(ValueError):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    width: int = 0  # zero-padded width of a number; 0: as it is


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed pattern: literal text and fields, in order."""

    text: str
    segments: tuple[str | Field, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.segments if isinstance(s, Field))

    def number_width(self) -> int:
        for s in self.segments:
            if isinstance(s, Field) and s.name == NUMBER:
                return s.width
        return 0


def parse_pattern(text: str) -> Pattern:
    """The pattern's segments; PatternError (with a code) for a pattern that cannot name
    anything unambiguously."""
    if not text or not text.strip():
        raise PatternError(PATTERN_EMPTY)
    segments: list[str | Field] = []
    seen: set[str] = set()
    pos = 0
    for m in _FIELD_RE.finditer(text):
        literal = text[pos : m.start()]
        if literal:
            segments.append(literal)
        raw = m.group(1).strip().lower()
        name = ALIASES.get(raw, raw)
        if name not in FIELDS:
            raise PatternError(PATTERN_UNKNOWN_FIELD, m.group(1))
        if name in seen:
            raise PatternError(PATTERN_REPEATED_FIELD, name)
        seen.add(name)
        width = 0
        if m.group(3) is not None:
            if name != NUMBER or not m.group(2) or not 1 <= int(m.group(3)) <= MAX_PAD:
                raise PatternError(PATTERN_BAD_WIDTH, m.group(0))
            width = int(m.group(3))
        segments.append(Field(name, width))
        pos = m.end()
    if text[pos:]:
        segments.append(text[pos:])
    for s in segments:
        if isinstance(s, str):
            if "{" in s or "}" in s:
                raise PatternError(PATTERN_BRACES, s)
            if not all((c.isalnum() and c.isascii()) or c in SEPARATORS for c in s):
                raise PatternError(PATTERN_BAD_LITERAL, s)
    if NUMBER not in seen:
        raise PatternError(PATTERN_NO_NUMBER)
    for a, b in itertools.pairwise(segments):
        if isinstance(a, Field) and isinstance(b, Field):
            raise PatternError(PATTERN_ADJACENT_FIELDS, f"{a.name}/{b.name}")
        if isinstance(a, Field) and isinstance(b, str) and b[0] not in SEPARATORS:
            # The field would run into letters of the literal: where would it end?
            raise PatternError(PATTERN_ADJACENT_FIELDS, f"{a.name}/{b}")
    return Pattern(text=text, segments=tuple(segments))


@dataclass(frozen=True, slots=True)
class Known:
    """What exists: municipality codes, site codes per municipality code, device type codes.
    All compared in upper case."""

    municipalities: frozenset[str] = frozenset()
    sites: Mapping[str, frozenset[str]] = field(default_factory=dict)
    types: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        municipalities: Iterable[str],
        sites: Mapping[str, Iterable[str]],
        types: Iterable[str],
    ) -> Known:
        return cls(
            municipalities=frozenset(m.upper() for m in municipalities),
            sites={k.upper(): frozenset(s.upper() for s in v) for k, v in sites.items()},
            types=frozenset(t.upper() for t in types),
        )

    def all_sites(self) -> frozenset[str]:
        out: set[str] = set()
        for v in self.sites.values():
            out |= v
        return frozenset(out)


@dataclass
class Checked:
    """A name checked against the pattern: its parts as found, and the errors per part
    (`name` for the name as a whole)."""

    name: str
    parts: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def add(self, key: str, code: str) -> None:
        self.errors.setdefault(key, []).append(code)

    @property
    def number(self) -> int | None:
        value = self.parts.get(NUMBER, "")
        return int(value) if value.isdecimal() else None


def split_name(pattern: Pattern, name: str) -> Checked:
    """The parts of `name` as the pattern places them, with structural errors only."""
    out = Checked(name=name)
    if not name:
        out.add("name", NAME_EMPTY)
        return out
    rest = name
    segs = pattern.segments
    for i, seg in enumerate(segs):
        if isinstance(seg, str):
            if rest[: len(seg)].upper() != seg.upper():
                out.add("name", NAME_PREFIX if i == 0 else NAME_SEPARATOR)
                return out
            rest = rest[len(seg) :]
            continue
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        if nxt is None:
            value, rest = rest, ""
        else:
            assert isinstance(nxt, str)
            cut = rest.find(nxt[0])
            if cut < 0:
                value, rest = rest, ""
                out.parts[seg.name] = value
                if not value:
                    out.add(seg.name, PART_MISSING)
                # What the pattern wants after this part is not there.
                following = [s.name for s in segs[i + 1 :] if isinstance(s, Field)]
                for f in following:
                    out.add(f, PART_MISSING)
                if not following:
                    out.add("name", NAME_SEPARATOR)
                return out
            value, rest = rest[:cut], rest[cut:]
        out.parts[seg.name] = value
        if not value:
            out.add(seg.name, PART_MISSING)
    if rest:
        out.add("name", NAME_TRAILING)
    return out


def check_name(pattern: Pattern, name: str, known: Known) -> Checked:
    """Is `name` a name the pattern could give, with codes that exist? Each wrong part is
    named with what is wrong with it."""
    out = split_name(pattern, name)
    if len(name) > MAX_NAME_LENGTH:
        out.add("name", NAME_TOO_LONG)
    parts = out.parts
    muni = parts.get(MUNICIPALITY, "").upper()
    if muni and MUNICIPALITY not in out.errors and muni not in known.municipalities:
        out.add(MUNICIPALITY, PART_UNKNOWN)
    site = parts.get(SITE, "").upper()
    if site and SITE not in out.errors:
        if MUNICIPALITY in pattern.fields and muni in known.municipalities:
            allowed = known.sites.get(muni, frozenset())
        else:
            allowed = known.all_sites()
        if site not in allowed:
            out.add(SITE, PART_UNKNOWN)
    kind = parts.get(TYPE, "").upper()
    if kind and TYPE not in out.errors and kind not in known.types:
        out.add(TYPE, PART_UNKNOWN)
    number = parts.get(NUMBER, "")
    if number and NUMBER not in out.errors:
        for code in number_errors(number, pattern.number_width()):
            out.add(NUMBER, code)
    return out


def number_errors(value: str, width: int) -> list[str]:
    if not value.isascii() or not value.isdecimal():
        return [PART_NOT_A_NUMBER]
    if int(value) == 0:
        return [PART_NUMBER_ZERO]
    if width:
        # Padded to exactly `width`; a number that needs more digits has no leading zero.
        if len(value) < width or (len(value) > width and value[0] == "0"):
            return [PART_NUMBER_WIDTH]
    elif value[0] == "0":
        return [PART_NUMBER_WIDTH]
    return []


def render(pattern: Pattern, parts: Mapping[str, str | int]) -> str:
    """The name for these parts (every field of the pattern must be given)."""
    out: list[str] = []
    for seg in pattern.segments:
        if isinstance(seg, str):
            out.append(seg)
        elif seg.name == NUMBER:
            out.append(str(int(parts[NUMBER])).zfill(seg.width))
        else:
            out.append(str(parts[seg.name]))
    return "".join(out)


def matches_parts(checked: Checked, expected: Mapping[str, str]) -> list[str]:
    """The fields whose value in a (valid) name differs from what the device really is."""
    return [
        name
        for name, value in expected.items()
        if name in checked.parts and checked.parts[name].upper() != value.upper()
    ]


def prefix_key(pattern: Pattern, parts: Mapping[str, str]) -> tuple[str, ...]:
    """What numbers count against each other: the name's parts other than the number."""
    return tuple(parts.get(f, "").upper() for f in pattern.fields if f != NUMBER)


def next_number(taken: Iterable[int]) -> int:
    """The lowest number from 1 that no name holds yet."""
    used = set(taken)
    n = 1
    while n in used:
        n += 1
    return n


def is_code(value: str) -> bool:
    return bool(CODE_RE.match(value or ""))


def is_vlan_id(value: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and VLAN_MIN <= value <= VLAN_MAX


def ssid_ok(value: str) -> bool:
    return bool(value) and len(value.encode("utf-8")) <= SSID_MAX_BYTES and value.isprintable()


@dataclass(frozen=True, slots=True)
class VlanFinding:
    vid: int
    kind: str  # missing | wrong_name | extra
    expected: str = ""
    actual: str = ""


MISSING = "missing"
WRONG_NAME = "wrong_name"
EXTRA = "extra"


def compare_vlans(plan: Mapping[int, str], actual: Mapping[int, str]) -> list[VlanFinding]:
    """A site's VLANs against the standard plan: VLANs of the plan it lacks, VLANs with the
    plan's ID under another name, and VLANs the plan does not have. By VLAN ID."""
    out: list[VlanFinding] = []
    for vid in sorted(set(plan) | set(actual)):
        if vid not in actual:
            out.append(VlanFinding(vid, MISSING, expected=plan[vid]))
        elif vid not in plan:
            out.append(VlanFinding(vid, EXTRA, actual=actual[vid]))
        elif plan[vid].strip().upper() != actual[vid].strip().upper():
            out.append(VlanFinding(vid, WRONG_NAME, expected=plan[vid], actual=actual[vid]))
    return out
