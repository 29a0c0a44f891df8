"""Links out of the device register."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Device


def report_url(device: Device) -> str:
    """The service desk's report form with the device named in the title (the form reads `q`,
    as it does for the help pages), so the ticket can be found from the device card."""
    title = _("Problem med %(kind)s %(tag)s (%(model)s)") % {
        "kind": device.get_kind_display().lower(),
        "tag": device.asset_tag or device.serial_number,
        "model": str(device.model),
    }
    return f"{reverse('servicedesk:portal_report')}?{urlencode({'q': title})}"
