from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COOPERATION_ADMIN = "cooperation_admin", _("Samverkansadministratör")
    AGENT = "agent", _("Servicedeskhandläggare (1:a linjen)")
    TECHNICIAN = "technician", _("Tekniker/specialist (2:a/3:e linjen)")
    TEAM_LEAD = "team_lead", _("Teamledare")
    FINANCE = "finance", _("Ekonom")
    ORDERER = "orderer", _("Beställare")
    IT_CONTACT = "it_contact", _("Kommunens IT-kontakt")
    COUNCIL_MEMBER = "council_member", _("Ledamot i IT-råd")
    PORTFOLIO_MANAGER = "portfolio_manager", _("Portföljansvarig/digitaliseringsstrateg")
    SECURITY_OFFICER = "security_officer", _("Informationssäkerhetsansvarig")
    END_USER = "end_user", _("Användare")
