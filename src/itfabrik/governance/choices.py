from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumKind(models.TextChoices):
    """The forums of the governance model (R4, R5)."""

    COOPERATION_COUNCIL = "cooperation_council", _("Samverkansråd")
    DIRECTORS = "directors", _("Kommundirektörsgrupp")
    IT_COUNCIL = "it_council", _("IT-råd för samverkan")
    LOCAL_COUNCIL = "local_council", _("Lokalt IT-råd")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Ordförande")
    VICE_CHAIR = "vice_chair", _("Vice ordförande")
    MEMBER = "member", _("Ledamot")
    SECRETARY = "secretary", _("Sekreterare")
    CO_OPTED = "co_opted", _("Adjungerad")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    HELD = "held", _("Genomfört")
    APPROVED = "approved", _("Protokoll justerat")
    CANCELLED = "cancelled", _("Inställt")


class MatterKind(models.TextChoices):
    """What a local council registers (R5)."""

    NEED = "need", _("Lokalt behov")
    PROPOSAL = "proposal", _("Förslag till IT-rådet")
    LOCAL = "local", _("Lokalt ärende")


class NeedKind(models.TextChoices):
    NEW_SERVICE = "new_service", _("Ny tjänst")
    SERVICE_LEVEL = "service_level", _("Ändrad servicenivå")
    PRICE = "price", _("Pris eller fördelning")
    OTHER = "other", _("Annat")


class MatterStatus(models.TextChoices):
    REGISTERED = "registered", _("Registrerat")
    PREPARED = "prepared", _("Berett, skickat för beslut")
    DECIDED = "decided", _("Beslutat")
    WITHDRAWN = "withdrawn", _("Återtaget")


class DecisionScope(models.TextChoices):
    COOPERATION = "cooperation", _("Hela samverkan")
    MUNICIPALITY = "municipality", _("En kommun")


class DecisionStatus(models.TextChoices):
    DECIDED = "decided", _("Beslutat")
    IN_PROGRESS = "in_progress", _("Under genomförande")
    CARRIED_OUT = "carried_out", _("Genomfört")
    FOLLOWED_UP = "followed_up", _("Uppföljt")


class PartyRole(models.TextChoices):
    HOST = "host", _("Värdkommun")
    MEMBER = "member", _("Medlemskommun")


class AmendmentKind(models.TextChoices):
    JOIN = "join", _("Ny part ansluter")
    LEAVE = "leave", _("Part lämnar")
    CHANGE = "change", _("Ändring av villkor")
