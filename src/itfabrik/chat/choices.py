from django.db import models
from django.utils.translation import gettext_lazy as _


class ConversationStatus(models.TextChoices):
    WAITING = "waiting", _("Väntar")
    ACTIVE = "active", _("Pågår")
    ENDED = "ended", _("Avslutad")


class MessageKind(models.TextChoices):
    TEXT = "text", _("Meddelande")
    # Written by the chat itself (picked up, ended): the other side learns of it by the stream.
    PICKED = "picked", _("Besvarad")
    ENDED = "ended", _("Avslutad")
