from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """What became of one inbound message."""

    CREATED = "created", _("Nytt ärende")
    REPLIED = "replied", _("Svar på ärende")
    REOPENED = "reopened", _("Ärendet öppnades igen")
    CLOSED_ANSWERED = "closed_answered", _("Stängt ärende – besvarat")
    UNKNOWN_SENDER = "unknown_sender", _("Okänd avsändare – besvarat")
    AUTO_REPLY = "auto_reply", _("Autosvar – ignorerat")
    LOOP = "loop", _("Slinga – ignorerat")
    RATE_LIMITED = "rate_limited", _("För många meddelanden – ignorerat")
    REFUSED = "refused", _("Avvisat")


# Outcomes that created or changed nothing on a ticket.
IGNORED = (Outcome.AUTO_REPLY, Outcome.LOOP, Outcome.RATE_LIMITED)


class Source(models.TextChoices):
    IMAP = "imap", _("IMAP-hämtning")
    PIPE = "pipe", _("MTA-rör")


class OutboundKind(models.TextChoices):
    RECEIPT = "receipt", _("Mottagningsbekräftelse")
    REPLY = "reply", _("Svar från handläggare")
    RESOLVED = "resolved", _("Ärendet löst")
    ANSWER = "answer", _("Automatiskt besked")


class SendStatus(models.TextChoices):
    PENDING = "pending", _("Väntar")
    SENT = "sent", _("Skickat")
    FAILED = "failed", _("Misslyckades")
    SKIPPED = "skipped", _("Ingen mottagare")
