"""The role codes of the whole platform: a leaf module that every app may import.

A role is only a name here. What a role may do is declared by each app in its own
`permissions.py` (`core.registry.register_actions`); the permission check reads the union.
"""

from __future__ import annotations

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


ALL_ROLES = frozenset(Role.values)

# Roles whose holders work in the joint organisation; with REQUIRE_STAFF_2FA they must use TOTP.
STAFF_ROLES = frozenset(
    {
        Role.COOPERATION_ADMIN,
        Role.AGENT,
        Role.TECHNICIAN,
        Role.TEAM_LEAD,
        Role.FINANCE,
        Role.PORTFOLIO_MANAGER,
        Role.SECURITY_OFFICER,
    }
)
