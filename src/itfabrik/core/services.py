"""Write helpers shared by every app's services: validation, versioned updates, audit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from . import audit, constraints
from .actors import Actor
from .errors import Conflict, ValidationFailed, lazy_format
from .models import AuditAction, VersionedModel

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=VersionedModel)


def lazy_messages(error: DjangoValidationError) -> list[Any]:
    # ValidationError.messages would render the (lazy) messages in the active language only;
    # keep them lazy so the error can be given in every language.
    out: list[Any] = []
    for e in error.error_list:
        out.append(lazy_format(e.message, **e.params) if e.params else e.message)
    return out


def validation_failed_from(exc: DjangoValidationError) -> ValidationFailed:
    if hasattr(exc, "error_dict"):
        fields: dict[str, list[Any]] = {}
        for name, errors in exc.error_dict.items():
            key = "non_field_errors" if name == NON_FIELD_ERRORS else name
            fields[key] = [m for e in errors for m in lazy_messages(e)]
        return ValidationFailed(fields=fields)
    return ValidationFailed(fields={"non_field_errors": lazy_messages(exc)})


def merge_fields(into: dict[str, list[Any]], more: Mapping[str, list[Any]]) -> None:
    for name, messages in more.items():
        into.setdefault(name, []).extend(messages)


def validate(
    instance: models.Model,
    *,
    exclude: Iterable[str] = (),
    actor: Actor | None = None,
    errors: Mapping[str, list[Any]] | None = None,
) -> None:
    """Run every rule of the instance at once; raise ValidationFailed naming every bad field.

    `errors` are the service's own findings so far: they come in the same answer as the model's,
    so a person sees every message after one submit. Unique and check constraints are checked
    here with readable messages (core.constraints), not left to the database.
    """
    fields: dict[str, list[Any]] = {k: list(v) for k, v in (errors or {}).items() if v}
    excluded = set(exclude)
    try:
        # A field the service already found wrong is not checked again: its message wins (and
        # Django's "already exists" must not undo a deliberately vaguer one).
        instance.full_clean(exclude=list(excluded | set(fields)), validate_constraints=False)
    except DjangoValidationError as exc:
        merge_fields(fields, validation_failed_from(exc).fields)
    merge_fields(
        fields, constraints.errors_for(instance, exclude=excluded | set(fields), actor=actor)
    )
    if fields:
        raise ValidationFailed(fields=fields)


def save_checked(instance: M, **kwargs: Any) -> M:
    """Save; a constraint the database enforces anyway (a concurrent writer) becomes its message."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as exc:
        mapped = constraints.from_integrity_error(exc, instance)
        if mapped is None:
            raise
        raise mapped from exc
    return instance


def create_audited(
    *,
    actor: Actor,
    instance: M,
    scope_path: str,
    exclude: Iterable[str] = (),
    errors: Mapping[str, list[Any]] | None = None,
) -> M:
    validate(instance, exclude=exclude, actor=actor, errors=errors)
    save_checked(instance)
    audit.record_created(actor=actor, instance=instance, scope_path=scope_path)
    return instance


def update_versioned(
    *,
    actor: Actor,
    instance: V,
    expected_version: int | None,
    changes: Mapping[str, Any],
    scope_path: str,
    exclude: Iterable[str] = (),
) -> V:
    """Apply `changes` to `instance` if nobody has changed it since `expected_version`.

    The row is locked for the rest of the transaction, so two writers cannot both pass the
    version check. `expected_version=None` is for internal callers that just read the row in the
    same transaction.
    """
    with transaction.atomic():
        current = _locked(instance)
        if expected_version is not None and current.version != expected_version:
            raise Conflict()
        return _apply_audited(
            actor=actor, current=current, changes=changes, scope_path=scope_path, exclude=exclude
        )


def update_audited(
    *,
    actor: Actor,
    instance: M,
    changes: Mapping[str, Any],
    scope_path: str,
    exclude: Iterable[str] = (),
) -> M:
    """Apply `changes` to a row that has no version column, locked, validated and audited."""
    with transaction.atomic():
        current = _locked(instance)
        return _apply_audited(
            actor=actor, current=current, changes=changes, scope_path=scope_path, exclude=exclude
        )


def _locked(instance: M) -> M:
    # _meta.model, not type(): the instance may be a lazy wrapper such as request.user.
    model: type[M] = instance._meta.model  # type: ignore[assignment]
    return model._default_manager.select_for_update().get(pk=instance.pk)


def _apply_audited(
    *,
    actor: Actor,
    current: M,
    changes: Mapping[str, Any],
    scope_path: str,
    exclude: Iterable[str],
) -> M:
    before = audit.snapshot(current)
    unknown = [k for k in changes if not hasattr(current, k)]
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in unknown})
    for key, value in changes.items():
        setattr(current, key, value)
    validate(current, exclude=exclude, actor=actor)
    if audit.snapshot(current) == before:
        return current  # nothing changed: no new version, no audit row
    if isinstance(current, VersionedModel):
        current.version = F("version") + 1
    save_checked(current)
    current.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=audit.snapshot(current),
        scope_path=scope_path,
    )
    return current


REPORTS_THROTTLED = _(
    "Du har skickat många rapporter på kort tid från den här adressen. Vänta en stund och "
    "försök igen, eller skriv direkt till %(email)s."
)
REPORTS_THROTTLED_NO_ADDRESS = _(
    "Du har skickat många rapporter på kort tid från den här adressen. Vänta en stund och "
    "försök igen."
)


def accessibility_report_create(
    *,
    actor: Actor,
    description: str,
    page_url: str = "",
    contact_email: str = "",
    client_address: str | None = None,
) -> Any:
    """Store a reported accessibility problem and forward it by e-mail after commit.

    Anonymous reports are limited per client address (ITFABRIK_REPORT_LIMIT per
    ITFABRIK_REPORT_WINDOW seconds): each report sends a mail.
    """
    from django.conf import settings

    from . import throttle
    from .errors import Throttled
    from .models import AccessibilityReport
    from .tasks import forward_accessibility_report

    if not getattr(actor, "is_authenticated", False) and not throttle.hit(
        scope="accessibility_report",
        key=client_address or "unknown",
        limit=settings.ITFABRIK_REPORT_LIMIT,
        window=settings.ITFABRIK_REPORT_WINDOW,
    ):
        address = accessibility_address()
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
    if accessibility_address():
        transaction.on_commit(lambda: forward_accessibility_report.enqueue(report_id=report.pk))
    return report


def accessibility_address() -> str:
    """The configured address for accessibility reports; "" when none is set (nothing is mailed)."""
    from django.conf import settings

    return str(getattr(settings, "ACCESSIBILITY_CONTACT_EMAIL", "") or "").strip()


def accessibility_report_forward(*, report_id: int) -> bool:
    """Mail one report to the configured address once. Safe to run again: it will not resend."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import timezone

    from .models import AccessibilityReport

    with transaction.atomic():
        report = AccessibilityReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.forwarded_at is not None:
            return False
        address = accessibility_address()
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
