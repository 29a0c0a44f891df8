"""TOTP two-factor sign-in on django-otp: who needs a code, and checking it."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services

BAD_CREDENTIALS = _("Fel användarnamn eller lösenord.")
CODE_REQUIRED = _("Ange engångskoden från din autentiseringsapp.")
BAD_CODE = _("Engångskoden stämmer inte. Kontrollera klockan i telefonen och försök igen.")


def has_device(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


def needs_code(user: Any, *, for_token: bool = False) -> bool:
    """A user with a confirmed device always gives a code; staff must have one where required.

    For an API token a staff role that starts later counts too: the token would outlive its start.
    """
    return has_device(user) or services.requires_two_factor(user, counting_roles_to_come=for_token)


def verify(user: Any, code: str) -> Any:
    return match_token(user, code.replace(" ", ""))


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device used while the user sets up their app (created once, reused)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="itfabrik", confirmed=False)
    return device


def confirm(user: Any, device: TOTPDevice, code: str) -> bool:
    if device.user_id != user.pk or device.confirmed:
        return False
    if not device.verify_token(code.replace(" ", "")):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Audited, and the API tokens issued without a code are withdrawn.
        services.two_factor_enabled(user=user)
    return True


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG: rendered here, no network needed."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")
