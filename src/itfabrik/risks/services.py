"""Every change of the risk register: typed, keyword-only, atomic, audited, permission-checked.

Scores: probability and consequence are 1-5; anything else (0, 6, "3", True) is refused naming
the field, and nothing changes. The score (their product, `rules.score`) is stored with them, and
each new inherent or residual score is written to the score history.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.catalog.models import Service
from itfabrik.core import audit, permissions
from itfabrik.core.actors import SYSTEM, Actor
from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditAction
from itfabrik.core.services import create_audited, update_versioned
from itfabrik.portfolio.models import Initiative
from itfabrik.systems.models import System
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import Category, ScoreKind, Treatment
from .models import Risk, RiskAction, ScoreRecord, Workshop, WorkshopScore

SCALE_MESSAGE = _("Ange ett heltal från 1 till 5.")
_KEYS = ["cooperation", "scope", "owner"]


def _root(cooperation: Cooperation) -> OrgNode:
    assert cooperation.root is not None
    return cooperation.root


def _require(actor: Actor, action: str, node: OrgNode) -> None:
    if permissions.can(actor, action, node):
        return
    if permissions.can(actor, actions.VIEW_RISKS, node):
        raise Forbidden()
    raise NotFound()


def _scale_errors(**values: Any) -> dict[str, list[Any]]:
    return {k: [SCALE_MESSAGE] for k, v in values.items() if not rules.is_scale(v)}


def _residual_errors(p: Any, c: Any) -> dict[str, list[Any]]:
    if p is None and c is None:
        return {}
    errors = _scale_errors(residual_probability=p, residual_consequence=c)
    return errors


def _treatment_errors(treatment: str, decision: str) -> dict[str, list[Any]]:
    if treatment not in Treatment.values:
        return {"treatment": [_("Välj en hantering.")]}
    if decision and not rules.DECISION_PATTERN.match(decision):
        return {"decision": [_("Ange beslutets nummer som ITR-2026-014.")]}
    if treatment == Treatment.ACCEPT and not decision:
        return {"decision": [_("En accepterad risk behöver beslutets nummer.")]}
    return {}


def _scope_errors(cooperation: Cooperation, scope: OrgNode) -> dict[str, list[Any]]:
    if scope.cooperation_id != cooperation.pk or (
        scope.pk != cooperation.root_id and scope.kind != NodeKind.MUNICIPALITY
    ):
        return {"scope": [_("Välj samverkan eller en kommun.")]}
    return {}


def _links_errors(
    cooperation: Cooperation,
    systems: list[System] | None,
    services: list[Service] | None,
    initiatives: list[Initiative] | None = None,
) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if systems and any(s.cooperation_id != cooperation.pk for s in systems):
        errors["systems"] = [_("Okänt system.")]
    if services and any(s.cooperation_id != cooperation.pk for s in services):
        errors["services"] = [_("Okänd tjänst.")]
    if initiatives and any(i.cooperation_id != cooperation.pk for i in initiatives):
        errors["initiatives"] = [_("Okänt initiativ.")]
    return errors


def _record_score(risk: Risk, kind: str, p: int, c: int) -> None:
    ScoreRecord.objects.create(risk=risk, kind=kind, probability=p, consequence=c, score=p * c)


def _audit_links(actor: Actor, risk: Risk, name: str, before: list[int], after: list[int]) -> None:
    if sorted(before) != sorted(after):
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=risk,
            before={name: sorted(before)},
            after={name: sorted(after)},
            scope_path=risk.scope.path,
        )


def risk_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    scope: OrgNode,
    title: str,
    category: str,
    probability: Any,
    consequence: Any,
    description: str = "",
    owner: User | None = None,
    residual_probability: Any = None,
    residual_consequence: Any = None,
    treatment: str = Treatment.UNDECIDED,
    decision: str = "",
    treatment_note: str = "",
    review_months: int = 6,
    next_review: dt.date | None = None,
    systems: list[System] | None = None,
    services: list[Service] | None = None,
    initiatives: list[Initiative] | None = None,
) -> Risk:
    _require(actor, actions.MANAGE_RISKS, scope)
    errors = _scale_errors(probability=probability, consequence=consequence)
    errors |= _residual_errors(residual_probability, residual_consequence)
    errors |= _treatment_errors(treatment, decision.strip())
    errors |= _scope_errors(cooperation, scope)
    errors |= _links_errors(cooperation, systems, services, initiatives)
    if category not in Category.values:
        errors["category"] = [_("Välj en kategori.")]
    if errors:
        raise ValidationFailed(fields=errors)
    residual = (
        rules.score(residual_probability, residual_consequence)
        if residual_probability is not None
        else None
    )
    with transaction.atomic():
        risk = create_audited(
            actor=actor,
            instance=Risk(
                cooperation=cooperation,
                scope=scope,
                title=title.strip(),
                description=description.strip(),
                category=category,
                owner=owner,
                probability=probability,
                consequence=consequence,
                score=rules.score(probability, consequence),
                residual_probability=residual_probability,
                residual_consequence=residual_consequence,
                residual_score=residual,
                treatment=treatment,
                decision=decision.strip(),
                treatment_note=treatment_note.strip(),
                review_months=review_months,
                next_review=next_review or rules.next_review(timezone.localdate(), review_months),
            ),
            scope_path=scope.path,
            exclude=_KEYS,
        )
        _record_score(risk, ScoreKind.INHERENT, probability, consequence)
        if residual is not None:
            _record_score(risk, ScoreKind.RESIDUAL, residual_probability, residual_consequence)
        if systems:
            risk.systems.set(systems)
            _audit_links(actor, risk, "systems", [], [s.pk for s in systems])
        if services:
            risk.services.set(services)
            _audit_links(actor, risk, "services", [], [s.pk for s in services])
        if initiatives:
            risk.initiatives.set(initiatives)
            _audit_links(actor, risk, "initiatives", [], [i.pk for i in initiatives])
        return risk


RISK_FIELDS = (
    "title", "description", "category", "owner", "scope", "probability", "consequence",
    "residual_probability", "residual_consequence", "treatment", "decision", "treatment_note",
    "review_months", "next_review", "is_open",
)  # fmt: skip


def risk_update(
    *,
    actor: Actor,
    risk: Risk,
    expected_version: int | None,
    systems: list[System] | None = None,
    services: list[Service] | None = None,
    initiatives: list[Initiative] | None = None,
    **changes: Any,
) -> Risk:
    """Correct, score, treat or close (`is_open=False`) a risk. A new score goes to the
    history."""
    _require(actor, actions.MANAGE_RISKS, risk.scope)
    unknown = [k for k in changes if k not in RISK_FIELDS]
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in unknown})
    merged = {f: changes.get(f, getattr(risk, f)) for f in RISK_FIELDS if f != "owner"}
    cooperation = Cooperation.objects.get(pk=risk.cooperation_id)
    errors = _scale_errors(probability=merged["probability"], consequence=merged["consequence"])
    errors |= _residual_errors(merged["residual_probability"], merged["residual_consequence"])
    errors |= _treatment_errors(merged["treatment"], (merged["decision"] or "").strip())
    if "scope" in changes:
        errors |= _scope_errors(cooperation, changes["scope"])
        if not permissions.can(actor, actions.MANAGE_RISKS, changes["scope"]):
            errors.setdefault("scope", []).append(_("Du får inte flytta risken dit."))
    errors |= _links_errors(cooperation, systems, services, initiatives)
    if errors:
        raise ValidationFailed(fields=errors)
    if "probability" in changes or "consequence" in changes:
        changes["score"] = rules.score(merged["probability"], merged["consequence"])
    if "residual_probability" in changes or "residual_consequence" in changes:
        rp, rc = merged["residual_probability"], merged["residual_consequence"]
        changes["residual_score"] = rules.score(rp, rc) if rp is not None else None
    with transaction.atomic():
        before = Risk.objects.get(pk=risk.pk)
        updated = update_versioned(
            actor=actor,
            instance=risk,
            expected_version=expected_version,
            changes=changes,
            scope_path=risk.scope.path,
            exclude=_KEYS,
        )
        if (before.probability, before.consequence) != (updated.probability, updated.consequence):
            _record_score(updated, ScoreKind.INHERENT, updated.probability, updated.consequence)
        residual_before = (before.residual_probability, before.residual_consequence)
        residual_after = (updated.residual_probability, updated.residual_consequence)
        if residual_after != residual_before and updated.residual_probability is not None:
            assert updated.residual_consequence is not None
            _record_score(
                updated,
                ScoreKind.RESIDUAL,
                updated.residual_probability,
                updated.residual_consequence,
            )
        if systems is not None:
            old = list(updated.systems.values_list("pk", flat=True))
            updated.systems.set(systems)
            _audit_links(actor, updated, "systems", old, [s.pk for s in systems])
        if services is not None:
            old = list(updated.services.values_list("pk", flat=True))
            updated.services.set(services)
            _audit_links(actor, updated, "services", old, [s.pk for s in services])
        if initiatives is not None:
            old = list(updated.initiatives.values_list("pk", flat=True))
            updated.initiatives.set(initiatives)
            _audit_links(actor, updated, "initiatives", old, [i.pk for i in initiatives])
        return updated


def risk_reviewed(*, actor: Actor, risk: Risk, expected_version: int | None) -> Risk:
    """The risk was reviewed today: the next review is `review_months` ahead."""
    _require(actor, actions.MANAGE_RISKS, risk.scope)
    return update_versioned(
        actor=actor,
        instance=risk,
        expected_version=expected_version,
        changes={"next_review": rules.next_review(timezone.localdate(), risk.review_months)},
        scope_path=risk.scope.path,
        exclude=_KEYS,
    )


# --- mitigation actions -------------------------------------------------------------------------


def action_add(
    *, actor: Actor, risk: Risk, description: str, owner: User | None, due: dt.date | None
) -> RiskAction:
    _require(actor, actions.MANAGE_RISKS, risk.scope)
    errors: dict[str, list[Any]] = {}
    if owner is None:
        errors["owner"] = [_("Välj vem som ansvarar för åtgärden.")]
    if due is None:
        errors["due"] = [_("Ange när åtgärden ska vara klar.")]
    if not description.strip():
        errors["description"] = [_("Beskriv åtgärden.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert due is not None
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=RiskAction(risk=risk, description=description.strip(), owner=owner, due=due),
            scope_path=risk.scope.path,
            exclude=["risk", "owner"],
        )


def action_done(*, actor: Actor, action: RiskAction) -> RiskAction:
    _require(actor, actions.MANAGE_RISKS, action.risk.scope)
    return update_versioned(
        actor=actor,
        instance=action,
        expected_version=None,
        changes={"done": True},
        scope_path=action.risk.scope.path,
        exclude=["risk", "owner"],
    )


# --- workshops ----------------------------------------------------------------------------------


def workshop_create(
    *, actor: Actor, cooperation: Cooperation, title: str, held_on: dt.date, risks: list[Risk]
) -> Workshop:
    root = _root(cooperation)
    _require(actor, actions.MANAGE_RISKS, root)
    errors: dict[str, list[Any]] = {}
    if not risks:
        errors["risks"] = [_("Välj minst en risk.")]
    elif any(r.cooperation_id != cooperation.pk for r in risks):
        errors["risks"] = [_("Okänd risk.")]
    with transaction.atomic():
        workshop = create_audited(
            actor=actor,
            instance=Workshop(cooperation=cooperation, title=title.strip(), held_on=held_on),
            scope_path=root.path,
            exclude=["cooperation"],
            errors=errors,
        )
        workshop.risks.set(risks)
        return workshop


def workshop_score(
    *,
    actor: Actor,
    workshop: Workshop,
    risk: Risk,
    municipality: OrgNode,
    probability: Any,
    consequence: Any,
) -> WorkshopScore:
    """One municipality's score of one risk in a workshop (set again: corrected)."""
    _require(actor, actions.SCORE_WORKSHOP, municipality)
    errors = _scale_errors(probability=probability, consequence=consequence)
    if not workshop.is_open:
        errors["workshop"] = [_("Workshoppen är stängd.")]
    if (
        municipality.kind != NodeKind.MUNICIPALITY
        or municipality.cooperation_id != workshop.cooperation_id
    ):
        errors["municipality"] = [_("Välj en kommun i samverkan.")]
    if not workshop.risks.filter(pk=risk.pk).exists():
        errors["risk"] = [_("Risken ingår inte i workshoppen.")]
    if errors:
        raise ValidationFailed(fields=errors)
    value = rules.score(probability, consequence)
    with transaction.atomic():
        existing = (
            WorkshopScore.objects.select_for_update()
            .filter(workshop=workshop, risk=risk, municipality=municipality)
            .first()
        )
        if existing is None:
            return create_audited(
                actor=actor,
                instance=WorkshopScore(
                    workshop=workshop,
                    risk=risk,
                    municipality=municipality,
                    probability=probability,
                    consequence=consequence,
                    score=value,
                ),
                scope_path=municipality.path,
                exclude=["workshop", "risk", "municipality"],
            )
        before = audit.snapshot(existing)
        existing.probability, existing.consequence, existing.score = probability, consequence, value
        existing.save(update_fields=["probability", "consequence", "score", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=existing,
            before=before,
            after=audit.snapshot(existing),
            scope_path=municipality.path,
        )
        return existing


def workshop_close(*, actor: Actor, workshop: Workshop) -> Workshop:
    root = _root(Cooperation.objects.select_related("root").get(pk=workshop.cooperation_id))
    _require(actor, actions.MANAGE_RISKS, root)
    return update_versioned(
        actor=actor,
        instance=workshop,
        expected_version=None,
        changes={"is_open": False},
        scope_path=root.path,
        exclude=["cooperation"],
    )


# --- review reminders ---------------------------------------------------------------------------

REMIND_DAYS_AHEAD = 7


def review_reminders_send(*, today: dt.date | None = None) -> int:
    """Mail each owner of an open risk whose review is due within a week, once per review
    date (`reminded_for`), so the job may run any number of times. Returns how many were
    reminded."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=REMIND_DAYS_AHEAD)
    sent = 0
    due = (
        Risk.objects.filter(is_open=True, next_review__lte=horizon, owner__isnull=False)
        .exclude(reminded_for=models_F("next_review"))
        .select_related("owner", "scope")
        .order_by("pk")
    )
    for risk in due:
        with transaction.atomic():
            claimed = (
                Risk.objects.filter(pk=risk.pk, is_open=True)
                .exclude(reminded_for=risk.next_review)
                .update(reminded_for=risk.next_review)
            )
            if not claimed:
                continue
            audit.record(
                actor=SYSTEM,
                action=AuditAction.UPDATE,
                instance=risk,
                before={"reminded_for": str(risk.reminded_for) if risk.reminded_for else None},
                after={"reminded_for": str(risk.next_review)},
                scope_path=risk.scope.path,
            )
            if risk.owner and risk.owner.email:
                transaction.on_commit(partial(_mail_reminder, risk))
            sent += 1
    return sent


def models_F(name: str) -> Any:
    from django.db.models import F

    return F(name)


def _mail_reminder(risk: Risk) -> None:
    from django.core.mail import send_mail

    assert risk.owner is not None
    send_mail(
        subject=f"Riskuppföljning {risk.next_review}: {risk.title}"[:200],
        message=(
            f"Risken ”{risk.title}” ska följas upp senast {risk.next_review}.\n"
            f"Riskvärde {risk.score} (sannolikhet {risk.probability} × konsekvens "
            f"{risk.consequence}).\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[risk.owner.email],
    )


def workshop_scores_set(
    *,
    actor: Actor,
    workshop: Workshop,
    municipality: OrgNode,
    scores: dict[int, tuple[Any, Any]],
) -> list[WorkshopScore]:
    """A municipality's scores of the workshop's risks in one go ({risk id: (probability,
    consequence)}): every score is checked first, and a bad one (outside 1-5) refuses them all
    by field (`probability-<risk id>`), so nothing is half saved."""
    _require(actor, actions.SCORE_WORKSHOP, municipality)
    risks = {r.pk: r for r in workshop.risks.all()}
    errors: dict[str, list[Any]] = {}
    for risk_id, (p, c) in scores.items():
        if risk_id not in risks:
            errors[f"risk-{risk_id}"] = [_("Risken ingår inte i workshoppen.")]
            continue
        if not rules.is_scale(p):
            errors[f"probability-{risk_id}"] = [SCALE_MESSAGE]
        if not rules.is_scale(c):
            errors[f"consequence-{risk_id}"] = [SCALE_MESSAGE]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        return [
            workshop_score(
                actor=actor,
                workshop=workshop,
                risk=risks[risk_id],
                municipality=municipality,
                probability=p,
                consequence=c,
            )
            for risk_id, (p, c) in scores.items()
        ]
