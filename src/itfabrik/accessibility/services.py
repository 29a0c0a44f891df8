"""Reports of accessibility problems: stored, audited, mailed on once after commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core import throttle
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Throttled, ValidationFailed, lazy_format
from itfabrik.core.services import create_audited

from .models import AccessibilityReport
from .tasks import forward_report

logger = logging.getLogger(__name__)

REPORTS_THROTTLED = _(
    "Du har skickat många rapporter på kort tid från den här adressen. Vänta en stund och "
    "försök igen, eller skriv direkt till %(email)s."
)
REPORTS_THROTTLED_NO_ADDRESS = _(
    "Du har skickat många rapporter på kort tid från den här adressen. Vänta en stund och "
    "försök igen."
)


def contact_address() -> str:
    """The configured address for accessibility reports; "" when none is set (nothing is mailed)."""
    return str(getattr(settings, "ACCESSIBILITY_CONTACT_EMAIL", "") or "").strip()


def report_create(
    *,
    actor: Actor,
    description: str,
    page_url: str = "",
    contact_email: str = "",
    client_address: str | None = None,
) -> AccessibilityReport:
    """Store a reported accessibility problem and forward it by e-mail after commit.

    Anonymous reports are limited per client address (ITFABRIK_REPORT_LIMIT per
    ITFABRIK_REPORT_WINDOW seconds): each report sends a mail.
    """
    if not getattr(actor, "is_authenticated", False) and not throttle.hit(
        scope="accessibility_report",
        key=client_address or "unknown",
        limit=settings.ITFABRIK_REPORT_LIMIT,
        window=settings.ITFABRIK_REPORT_WINDOW,
    ):
        address = contact_address()
        raise Throttled(
            lazy_format(REPORTS_THROTTLED, email=address)
            if address
            else REPORTS_THROTTLED_NO_ADDRESS
        )

    report = AccessibilityReport(
        description=description.strip(),
        page_url=page_url.strip(),
        contact_email=contact_email.strip(),
        reporter=actor if isinstance(actor, get_user_model()) and actor.is_authenticated else None,
    )
    if not report.description:
        raise ValidationFailed(fields={"description": [_("Beskriv problemet.")]})
    create_audited(actor=actor, instance=report, scope_path="")
    if contact_address():
        transaction.on_commit(lambda: forward_report.enqueue(report_id=report.pk))
    return report


def report_forward(*, report_id: int) -> bool:
    """Mail one report to the configured address once. Safe to run again: it will not resend."""
    with transaction.atomic():
        report = AccessibilityReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.forwarded_at is not None:
            return False
        address = contact_address()
        if not address:
            # Kept in the database for the administrators; never sent to a made-up address.
            logger.warning(
                "Accessibility report %s not mailed: ITFABRIK_ACCESSIBILITY_EMAIL is not set",
                report.pk,
            )
            return False
        # The page is user input: folded to one short line, it cannot break the mail header.
        page = " ".join(report.page_url.split())[:100] or "okänd sida"
        send_mail(
            subject=f"[itfabrik] Tillgänglighetsproblem: {page}",
            message=(
                f"Sida: {report.page_url}\n"
                f"Svar till: {report.contact_email or '(ingen adress)'}\n\n{report.description}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
        report.forwarded_at = timezone.now()
        report.save(update_fields=["forwarded_at"])
        return True
