"""SKR's KLASSA scale, shared by every app that classifies something: information assets and
business systems (risks), client security levels of devices (assets). One vocabulary, so that a
level 3 means the same on a system and on the laptop that reaches it.

Levels are 0-4 (Försumbar ... Synnerligen allvarlig); older KLASSA versions numbered from 1, so
the label is always shown with the number. How the aspects combine into one protection level is
not stated by SKR: each aspect is shown, and the highest is the summary (DOMAIN.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    NEGLIGIBLE = 0, _("0 Försumbar")
    MODERATE = 1, _("1 Måttlig")
    SIGNIFICANT = 2, _("2 Betydande")
    SERIOUS = 3, _("3 Allvarlig")
    VERY_SERIOUS = 4, _("4 Synnerligen allvarlig")


class Aspect(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", _("Konfidentialitet")
    INTEGRITY = "integrity", _("Riktighet")
    AVAILABILITY = "availability", _("Tillgänglighet")
    # Only where personal data are involved.
    TRACEABILITY = "traceability", _("Spårbarhet")


MIN_LEVEL = Level.NEGLIGIBLE
MAX_LEVEL = Level.VERY_SERIOUS


def is_level(value: object) -> bool:
    """Whether `value` is a level of the scale (an int 0-4; bools are not levels)."""
    return (
        isinstance(value, int) and not isinstance(value, bool) and MIN_LEVEL <= value <= MAX_LEVEL
    )


def summary(levels: Iterable[int | None]) -> Level | None:
    """The highest of the levels set, or None when none is set. Raises ValueError on a value
    outside the scale, so that a bad level never hides behind a good maximum."""
    seen = [lvl for lvl in levels if lvl is not None]
    for lvl in seen:
        if not is_level(lvl):
            raise ValueError(f"not a KLASSA level (0-4): {lvl!r}")
    return Level(max(seen)) if seen else None
