"""Every change of the portfolio: typed, keyword-only, atomic, audited, permission-checked.

Errors: something the actor may not see is NotFound (404); something they see but may not
change is Forbidden (403); bad input is ValidationFailed (400) naming the field; a stale version
is Conflict (409). A refused call changes nothing.

The priority score is computed here from the cooperation's weights and the initiative's ratings
(rules.priority_score) whenever either changes; it is never taken from input. Spending goes
through billing's `fund_spend`, which holds the fund's row lock and refuses to take the fund
below zero unless a decision allows it (ADR 0033).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.billing import permissions as billing_actions
from itfabrik.billing import services as billing_services
from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed, lazy_format
from itfabrik.core.models import AuditAction
from itfabrik.core.services import create_audited, update_versioned
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules, selectors
from .choices import BenefitKind, FundingKind, InitiativeState
from .models import Benefit, Funding, Initiative, Milestone, PriorityCriteria, StatusReport

_INITIATIVE_KEYS = ["cooperation", "owner"]
_BENEFIT_KEYS = ["initiative", "municipality", "owner"]
DEFAULT_UNITS = {BenefitKind.MONEY: "kr", BenefitKind.HOURS: "h"}


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _root(cooperation: Cooperation) -> OrgNode:
    assert cooperation.root is not None
    return cooperation.root


def _sees(actor: Actor, initiative: Initiative) -> bool:
    return Initiative.objects.filter(
        selectors.initiative_visible_q(actor), pk=initiative.pk
    ).exists()


def _require_manage(actor: Actor, cooperation: Cooperation, initiative: Initiative | None) -> None:
    """404 when the actor cannot see the initiative (or the portfolio) at all, 403 when they see
    it but may not change it."""
    if permissions.can(actor, actions.MANAGE_INITIATIVES, _root(cooperation)):
        return
    seen = _sees(actor, initiative) if initiative is not None else selectors.may_view(actor)
    if seen:
        raise Forbidden()
    raise NotFound()


def _state_label(state: str) -> str:
    return str(InitiativeState(state).label)


def _check_decision(value: str, field: str, errors: dict[str, list[Any]]) -> str:
    value = (value or "").strip().upper()
    if value and not rules.is_decision_number(value):
        errors[field] = [
            lazy_format(
                _("Ange beslutets nummer som ITR-2026-014 (forum, år, löpnummer), inte %(v)s."),
                v=value,
            )
        ]
    return value


def _decimal(value: Any, field: str, errors: dict[str, list[Any]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Ange ett tal, till exempel 1250,50.")]
        return None
    if not d.is_finite():
        errors[field] = [_("Ange ett tal, till exempel 1250,50.")]
        return None
    return d.quantize(Decimal("0.01"))


def _check_owner(owner: User | None, field: str, errors: dict[str, list[Any]]) -> None:
    if owner is None or not owner.is_active:
        errors[field] = [_("Välj en ansvarig person.")]


def _check_sponsors(
    cooperation: Cooperation,
    all_municipalities: bool,
    sponsors: Iterable[OrgNode],
    errors: dict[str, list[Any]],
) -> list[OrgNode]:
    chosen = list(sponsors)
    if all_municipalities:
        return []
    if not chosen:
        errors["sponsors"] = [_("Välj minst en kommun, eller hela samverkan.")]
    elif any(n.kind != "municipality" or n.cooperation_id != cooperation.pk for n in chosen):
        errors["sponsors"] = [_("Välj kommuner i samverkan.")]
    return chosen


def _score(initiative: Initiative) -> Decimal:
    criteria = selectors.criteria_get(initiative.cooperation)
    ratings = initiative.ratings()
    if any(not rules.RATING_MIN <= r <= rules.RATING_MAX for r in ratings.values()):
        return Decimal(0)  # the model's validators name the bad rating
    return rules.priority_score(criteria.weights(), ratings)


def _next_code(cooperation: Cooperation, year: int) -> str:
    prefix = f"PORT-{year}-"
    taken = Initiative.objects.filter(cooperation=cooperation, code__startswith=prefix).count()
    serial = taken + 1
    while Initiative.objects.filter(cooperation=cooperation, code=f"{prefix}{serial:03d}").exists():
        serial += 1
    return f"{prefix}{serial:03d}"


def _sponsor_names(initiative: Initiative) -> list[str]:
    return sorted(n.name for n in initiative.sponsors.all())


# --- initiatives ---------------------------------------------------------------------------------


def initiative_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    title: str,
    owner: User | None,
    start: dt.date,
    end: dt.date | None = None,
    description: str = "",
    business_case: str = "",
    all_municipalities: bool = True,
    sponsors: Iterable[OrgNode] = (),
    decision_reference: str = "",
    value: int = 3,
    urgency: int = 3,
    effort: int = 3,
    risk: int = 3,
    budget: Decimal | str | int = 0,
    code: str = "",
) -> Initiative:
    """A new initiative, as an idea. Its number is PORT-<start year>-<serial> unless given."""
    _require_manage(actor, cooperation, None)
    errors: dict[str, list[Any]] = {}
    _check_owner(owner, "owner", errors)
    chosen = _check_sponsors(cooperation, all_municipalities, sponsors, errors)
    decision = _check_decision(decision_reference, "decision_reference", errors)
    money = _decimal(budget, "budget", errors)
    with transaction.atomic():
        initiative = Initiative(
            cooperation=cooperation,
            code=(code or "").strip() or _next_code(cooperation, start.year),
            title=title.strip(),
            description=description.strip(),
            business_case=business_case.strip(),
            owner=owner,
            all_municipalities=all_municipalities,
            start=start,
            end=end,
            decision_reference=decision,
            value=value,
            urgency=urgency,
            effort=effort,
            risk=risk,
            budget=money if money is not None else Decimal(0),
        )
        initiative.priority_score = _score(initiative)
        create_audited(
            actor=actor,
            instance=initiative,
            scope_path=_root(cooperation).path,
            exclude=_INITIATIVE_KEYS,
            errors=errors,
        )
        if chosen:
            initiative.sponsors.set(chosen)
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=initiative,
                before={"sponsors": []},
                after={"sponsors": _sponsor_names(initiative)},
                scope_path=_root(cooperation).path,
            )
    return initiative


INITIATIVE_FIELDS = {
    "title",
    "description",
    "business_case",
    "owner",
    "start",
    "end",
    "decision_reference",
    "value",
    "urgency",
    "effort",
    "risk",
    "budget",
    "all_municipalities",
    "sponsors",
}


def initiative_update(
    *, actor: Actor, initiative: Initiative, expected_version: int | None, **changes: Any
) -> Initiative:
    """Correct an initiative. Its dates cannot shrink past a benefit or status already
    recorded; its state changes only through `initiative_transition`."""
    unknown = set(changes) - INITIATIVE_FIELDS
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    cooperation = initiative.cooperation
    _require_manage(actor, cooperation, initiative)
    errors: dict[str, list[Any]] = {}
    if "owner" in changes:
        _check_owner(changes["owner"], "owner", errors)
    if "decision_reference" in changes:
        changes["decision_reference"] = _check_decision(
            changes["decision_reference"], "decision_reference", errors
        )
    if "budget" in changes:
        money = _decimal(changes["budget"], "budget", errors)
        changes["budget"] = money if money is not None else Decimal(0)
    for key in ("title", "description", "business_case"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    sponsors = changes.pop("sponsors", None)
    all_munis = changes.get("all_municipalities", initiative.all_municipalities)
    chosen: list[OrgNode] | None = None
    if sponsors is not None or "all_municipalities" in changes:
        current = list(initiative.sponsors.all()) if sponsors is None else list(sponsors)
        chosen = _check_sponsors(cooperation, all_munis, current, errors)
    start = changes.get("start", initiative.start)
    end = changes.get("end", initiative.end)
    if "start" in changes or "end" in changes:
        outside = [
            p
            for p in Benefit.objects.filter(initiative=initiative)
            .values_list("period", flat=True)
            .distinct()
            if not rules.period_within(p, start, end)
        ]
        if outside:
            errors["end" if "end" in changes else "start"] = [
                lazy_format(
                    _("Det finns nyttor för %(months)s, utanför den nya perioden."),
                    months=", ".join(f"{p:%Y-%m}" for p in sorted(outside)),
                )
            ]
    with transaction.atomic():
        probe = Initiative(**{**_fields(initiative), **changes})
        changes["priority_score"] = _score(probe)
        updated = update_versioned(
            actor=actor,
            instance=initiative,
            expected_version=expected_version,
            changes=changes,
            scope_path=_root(cooperation).path,
            exclude=_INITIATIVE_KEYS,
            errors=errors,
        )
        if chosen is not None:
            before = _sponsor_names(updated)
            updated.sponsors.set(chosen)
            after = _sponsor_names(updated)
            if before != after:
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    instance=updated,
                    before={"sponsors": before},
                    after={"sponsors": after},
                    scope_path=_root(cooperation).path,
                )
    return updated


def _fields(initiative: Initiative) -> dict[str, Any]:
    return {
        f.attname: getattr(initiative, f.attname)
        for f in Initiative._meta.concrete_fields
        if f.attname not in ("version",)
    }


def initiative_transition(
    *,
    actor: Actor,
    initiative: Initiative,
    expected_version: int | None,
    state: str,
    decision_reference: str = "",
) -> Initiative:
    """Move the initiative along its lifecycle (rules.TRANSITIONS). A move the table does not
    allow is refused naming the states it may move to. Approval needs the decision's number."""
    _require_manage(actor, initiative.cooperation, initiative)
    errors: dict[str, list[Any]] = {}
    if state not in InitiativeState.values:
        errors["state"] = [_("Okänt läge.")]
    elif not rules.may_move(initiative.state, state):
        allowed = rules.allowed_next(initiative.state)
        if allowed:
            message = lazy_format(
                _(
                    "Ett initiativ som är %(current)s kan inte bli %(target)s. "
                    "Möjliga: %(allowed)s."
                ),
                current=_state_label(initiative.state).lower(),
                target=_state_label(state).lower(),
                allowed=", ".join(_state_label(s).lower() for s in allowed),
            )
        else:
            message = lazy_format(
                _("Ett initiativ som är %(current)s är avslutat och kan inte byta läge."),
                current=_state_label(initiative.state).lower(),
            )
        errors["state"] = [message]
    decision = _check_decision(decision_reference, "decision_reference", errors)
    changes: dict[str, Any] = {"state": state}
    if decision:
        changes["decision_reference"] = decision
    if state == InitiativeState.APPROVED and not (decision or initiative.decision_reference):
        errors.setdefault("decision_reference", []).append(
            _("Ange numret på beslutet som godkänner initiativet.")
        )
    if errors:
        raise ValidationFailed(fields=errors)
    return update_versioned(
        actor=actor,
        instance=initiative,
        expected_version=expected_version,
        changes=changes,
        scope_path=_root(initiative.cooperation).path,
        exclude=_INITIATIVE_KEYS,
    )


# --- the priority criteria -----------------------------------------------------------------


def criteria_set(
    *,
    actor: Actor,
    cooperation: Cooperation,
    expected_version: int | None,
    weights: dict[str, int],
) -> PriorityCriteria:
    """Set the cooperation's weights and recompute every initiative's score."""
    root = _root(cooperation)
    if not permissions.can(actor, actions.SET_CRITERIA, root):
        if selectors.may_view(actor):
            raise Forbidden()
        raise NotFound()
    unknown = set(weights) - set(rules.CRITERIA)
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt kriterium.")] for k in sorted(unknown)})
    changes = {f"weight_{c}": int(w) for c, w in weights.items()}
    with transaction.atomic():
        stored = PriorityCriteria.objects.filter(cooperation=cooperation).first()
        if stored is None:
            criteria = create_audited(
                actor=actor,
                instance=PriorityCriteria(cooperation=cooperation, **changes),
                scope_path=root.path,
                exclude=["cooperation"],
            )
        else:
            criteria = update_versioned(
                actor=actor,
                instance=stored,
                expected_version=expected_version,
                changes=changes,
                scope_path=root.path,
                exclude=["cooperation"],
            )
        w = criteria.weights()
        rows = list(Initiative.objects.filter(cooperation=cooperation).select_for_update())
        for i in rows:
            i.priority_score = rules.priority_score(w, i.ratings())
        Initiative.objects.bulk_update(rows, ["priority_score"], batch_size=500)
    return criteria


# --- milestones and monthly status ---------------------------------------------------------


def milestone_add(
    *, actor: Actor, initiative: Initiative, title: str, due: dt.date, done: bool = False
) -> Milestone:
    _require_manage(actor, initiative.cooperation, initiative)
    errors: dict[str, list[Any]] = {}
    if not title.strip():
        errors["title"] = [_("Ange delmålet.")]
    return create_audited(
        actor=actor,
        instance=Milestone(initiative=initiative, title=title.strip(), due=due, done=done),
        scope_path=_root(initiative.cooperation).path,
        exclude=["initiative"],
        errors=errors,
    )


def milestone_update(
    *, actor: Actor, milestone: Milestone, expected_version: int | None, **changes: Any
) -> Milestone:
    unknown = set(changes) - {"title", "due", "done"}
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    initiative = milestone.initiative
    _require_manage(actor, initiative.cooperation, initiative)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    return update_versioned(
        actor=actor,
        instance=milestone,
        expected_version=expected_version,
        changes=changes,
        scope_path=_root(initiative.cooperation).path,
        exclude=["initiative"],
    )


def _outside_message(initiative: Initiative, period: dt.date) -> Any:
    end = f"{initiative.end:%Y-%m}" if initiative.end else "…"
    return lazy_format(
        _("Månaden %(period)s ligger utanför initiativets tid (%(start)s–%(end)s)."),
        period=f"{period:%Y-%m}",
        start=f"{initiative.start:%Y-%m}",
        end=end,
    )


def status_set(
    *,
    actor: Actor,
    initiative: Initiative,
    period: dt.date,
    colour: str,
    comment: str,
    expected_version: int | None = None,
) -> StatusReport:
    """The initiative's status for a month (green, yellow, red) with a comment; reporting the
    same month again corrects it."""
    _require_manage(actor, initiative.cooperation, initiative)
    period = rules.month_start(period)
    errors: dict[str, list[Any]] = {}
    if not rules.period_within(period, initiative.start, initiative.end):
        errors["period"] = [_outside_message(initiative, period)]
    if not comment.strip():
        errors["comment"] = [_("Skriv en kommentar till statusen.")]
    scope = _root(initiative.cooperation).path
    with transaction.atomic():
        stored = StatusReport.objects.filter(initiative=initiative, period=period).first()
        if stored is not None:
            return update_versioned(
                actor=actor,
                instance=stored,
                expected_version=expected_version,
                changes={
                    "colour": colour,
                    "comment": comment.strip(),
                    "reported_by": _user(actor),
                },
                scope_path=scope,
                exclude=["initiative", "reported_by"],
                errors=errors,
            )
        return create_audited(
            actor=actor,
            instance=StatusReport(
                initiative=initiative,
                period=period,
                colour=colour,
                comment=comment.strip(),
                reported_by=_user(actor),
            ),
            scope_path=scope,
            exclude=["initiative", "reported_by"],
            errors=errors,
        )


# --- benefits --------------------------------------------------------------------------------


def _check_benefit(
    initiative: Initiative,
    *,
    municipality: OrgNode | None,
    period: dt.date,
    owner: User | None,
    errors: dict[str, list[Any]],
) -> None:
    if not rules.period_within(period, initiative.start, initiative.end):
        errors["period"] = [_outside_message(initiative, period)]
    if municipality is None or municipality.kind != "municipality":
        errors["municipality"] = [_("Välj en kommun.")]
    elif municipality.cooperation_id != initiative.cooperation_id or (
        not initiative.all_municipalities
        and not initiative.sponsors.filter(pk=municipality.pk).exists()
    ):
        errors["municipality"] = [_("Kommunen står inte bakom initiativet.")]
    _check_owner(owner, "owner", errors)


def benefit_create(
    *,
    actor: Actor,
    initiative: Initiative,
    municipality: OrgNode | None,
    period: dt.date,
    kind: str,
    measure: str,
    planned: Decimal | str | int,
    owner: User | None,
    unit: str = "",
    realised: Decimal | str | int | None = None,
    comment: str = "",
) -> Benefit:
    """A planned benefit for one month and municipality, inside the initiative's time."""
    _require_manage(actor, initiative.cooperation, initiative)
    period = rules.month_start(period)
    errors: dict[str, list[Any]] = {}
    _check_benefit(initiative, municipality=municipality, period=period, owner=owner, errors=errors)
    planned_value = _decimal(planned, "planned", errors)
    if planned_value is None and "planned" not in errors:
        errors["planned"] = [_("Ange det planerade värdet.")]
    realised_value = _decimal(realised, "realised", errors)
    if not measure.strip():
        errors["measure"] = [_("Beskriv måttet, till exempel Minskad handläggningstid.")]
    if kind == BenefitKind.QUALITY and not unit.strip():
        errors["unit"] = [_("Ange enheten för kvalitetsmåttet, till exempel procent eller dagar.")]
    return create_audited(
        actor=actor,
        instance=Benefit(
            initiative=initiative,
            municipality=municipality,
            period=period,
            kind=kind,
            measure=measure.strip(),
            unit=unit.strip() or DEFAULT_UNITS.get(kind, ""),  # type: ignore[call-overload]
            planned=planned_value if planned_value is not None else Decimal(0),
            realised=realised_value,
            owner=owner,
            comment=comment.strip(),
        ),
        scope_path=municipality.path if municipality is not None else "",
        exclude=_BENEFIT_KEYS,
        errors=errors,
    )


BENEFIT_FIELDS = {"municipality", "period", "kind", "measure", "unit", "planned", "owner"}
REPORT_FIELDS = {"realised", "comment"}


def benefit_update(
    *, actor: Actor, benefit: Benefit, expected_version: int | None, **changes: Any
) -> Benefit:
    """Correct a benefit. The manager may change everything; the benefit's owner and who
    reports benefits in its municipality change only the realised value and the comment."""
    unknown = set(changes) - BENEFIT_FIELDS - REPORT_FIELDS
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    initiative = benefit.initiative
    manager = permissions.can(actor, actions.MANAGE_INITIATIVES, _root(initiative.cooperation))
    if not manager:
        if not selectors.may_report(actor, benefit):
            raise Forbidden()
        if set(changes) - REPORT_FIELDS:
            raise Forbidden(_("Bara portföljansvariga ändrar det planerade."))
    if initiative.state == InitiativeState.STOPPED and "realised" in changes and not manager:
        raise ValidationFailed(fields={"realised": [_("Initiativet är avbrutet.")]})
    errors: dict[str, list[Any]] = {}
    if "period" in changes:
        changes["period"] = rules.month_start(changes["period"])
    if set(changes) & {"period", "municipality", "owner"}:
        _check_benefit(
            initiative,
            municipality=changes.get("municipality", benefit.municipality),
            period=changes.get("period", benefit.period),
            owner=changes.get("owner", benefit.owner),
            errors=errors,
        )
    for key in ("planned", "realised"):
        if key in changes:
            changes[key] = _decimal(changes[key], key, errors)
    if "planned" in changes and changes["planned"] is None and "planned" not in errors:
        errors["planned"] = [_("Ange det planerade värdet.")]
    for key in ("measure", "unit", "comment"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    if errors:
        raise ValidationFailed(fields=errors)
    municipality = changes.get("municipality", benefit.municipality)
    return update_versioned(
        actor=actor,
        instance=benefit,
        expected_version=expected_version,
        changes=changes,
        scope_path=municipality.path,
        exclude=_BENEFIT_KEYS,
    )


def benefit_report(
    *,
    actor: Actor,
    benefit: Benefit,
    expected_version: int | None,
    realised: Decimal | str | int | None,
    comment: str = "",
) -> Benefit:
    """Report the realised value of a benefit ("effekthemtagning")."""
    return benefit_update(
        actor=actor,
        benefit=benefit,
        expected_version=expected_version,
        realised=realised,
        comment=comment,
    )


# --- funding from the digitalisation fund ------------------------------------------------------


def _fund(initiative: Initiative) -> Any:
    pool = selectors.fund_get(initiative.cooperation)
    if pool is None:
        raise ValidationFailed(fields={"amount": [_("Samverkan har ingen digitaliseringsfond.")]})
    return pool


def funding_allocate(
    *,
    actor: Actor,
    initiative: Initiative,
    amount: Decimal | str | int,
    date: dt.date,
    decision_reference: str = "",
    note: str = "",
) -> Funding:
    """Set money of the fund aside for the initiative. More than the fund has left to allocate
    (its balance less what is allocated and not yet spent) needs the number of a decision."""
    _require_manage(actor, initiative.cooperation, initiative)
    errors: dict[str, list[Any]] = {}
    value = _decimal(amount, "amount", errors)
    if value is not None and value <= 0:
        errors["amount"] = [_("Beloppet ska vara större än noll.")]
    decision = _check_decision(decision_reference, "decision_reference", errors)
    if initiative.state in rules.FINAL_STATES:
        errors["amount"] = [_("Initiativet är avslutat.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert value is not None
    pool = _fund(initiative)
    with transaction.atomic():
        type(pool).objects.select_for_update().get(pk=pool.pk)
        position = selectors.fund_position_get(cooperation=initiative.cooperation)
        assert position is not None
        if rules.overdraws(position.available, value) and not decision:
            raise ValidationFailed(
                fields={
                    "amount": [
                        lazy_format(
                            _(
                                "Fonden har %(available)s kr kvar att fördela. Ange beslutet "
                                "som tillåter mer."
                            ),
                            available=f"{position.available:f}",
                        )
                    ]
                }
            )
        return create_audited(
            actor=actor,
            instance=Funding(
                initiative=initiative,
                pool=pool,
                kind=FundingKind.ALLOCATION,
                amount=value,
                date=date,
                decision_reference=decision,
                note=note.strip(),
                created_by=_user(actor),
            ),
            scope_path=_root(initiative.cooperation).path,
            exclude=["initiative", "pool", "spending", "created_by"],
        )


def funding_spend(
    *,
    actor: Actor,
    initiative: Initiative,
    amount: Decimal | str | int,
    date: dt.date,
    decision_reference: str = "",
    note: str = "",
) -> Funding:
    """Spend from the fund on an approved or running initiative, through billing's
    `fund_spend` (which checks `billing.manage_fund` and the balance: beyond it only with the
    decision that allows it)."""
    if not _sees(actor, initiative):
        raise NotFound()
    if not permissions.can(actor, billing_actions.MANAGE_FUND, _root(initiative.cooperation)):
        raise Forbidden(_("Utbetalningar ur fonden görs av ekonomer."))
    errors: dict[str, list[Any]] = {}
    value = _decimal(amount, "amount", errors)
    if value is not None and value <= 0:
        errors["amount"] = [_("Beloppet ska vara större än noll.")]
    decision = _check_decision(decision_reference, "decision_reference", errors)
    if initiative.state not in rules.SPENDING_STATES:
        errors["amount"] = [
            lazy_format(
                _("Pengar betalas bara ut till beslutade eller pågående initiativ, inte %(s)s."),
                s=_state_label(initiative.state).lower(),
            )
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    assert value is not None
    pool = _fund(initiative)
    with transaction.atomic():
        spending = billing_services.fund_spend(
            actor=actor,
            pool=pool,
            initiative=str(initiative)[:200],
            amount=value,
            spent_on=date,
            reference=initiative.code,
            overdraft_decision=decision,
        )
        return create_audited(
            actor=actor,
            instance=Funding(
                initiative=initiative,
                pool=pool,
                kind=FundingKind.SPENDING,
                amount=value,
                date=date,
                decision_reference=decision,
                note=note.strip(),
                spending=spending,
                created_by=_user(actor),
            ),
            scope_path=_root(initiative.cooperation).path,
            exclude=["initiative", "pool", "spending", "created_by"],
        )
