from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeKind(models.TextChoices):
    COOPERATION = "cooperation", _("Samverkan")
    MUNICIPALITY = "municipality", _("Kommun")
    ADMINISTRATION = "administration", _("Förvaltning")
    UNIT = "unit", _("Enhet")
    IT_ORGANISATION = "it_organisation", _("Gemensam IT-organisation")
    TEAM = "team", _("Team")


# Which kinds may sit directly below which: the shape of the organisation tree.
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    NodeKind.COOPERATION: frozenset({NodeKind.MUNICIPALITY, NodeKind.IT_ORGANISATION}),
    NodeKind.MUNICIPALITY: frozenset({NodeKind.ADMINISTRATION}),
    NodeKind.ADMINISTRATION: frozenset({NodeKind.UNIT}),
    NodeKind.UNIT: frozenset({NodeKind.UNIT}),
    NodeKind.IT_ORGANISATION: frozenset({NodeKind.TEAM}),
    NodeKind.TEAM: frozenset({NodeKind.TEAM}),
}

# Kinds that every member of a cooperation may see: who the members are is not a secret.
COOPERATION_PUBLIC_KINDS = frozenset(
    {NodeKind.COOPERATION, NodeKind.MUNICIPALITY, NodeKind.IT_ORGANISATION, NodeKind.TEAM}
)


class ServiceLine(models.TextChoices):
    MANAGEMENT = "management", _("Ledning")
    FIRST_LINE = "first_line", _("1:a linjen")
    SECOND_LINE = "second_line", _("2:a linjen")
    THIRD_LINE = "third_line", _("3:e linjen")
    DIGITALISATION = "digitalisation", _("Digitalisering")
