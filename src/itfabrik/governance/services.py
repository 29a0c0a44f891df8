"""Every change of governance: typed, keyword-only, atomic, audited.

A decision is final once its meeting's minutes are approved: its text, date, scope and links are
refused from then on, only its follow-up status moves forward; a correction is a new decision that
refers to the old one (ADR 0032)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed, lazy_format
from itfabrik.core.models import AuditAction
from itfabrik.core.services import create_audited, update_versioned
from itfabrik.tenancy import services as tenancy_services
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import Cooperation, Membership, OrgNode

from . import permissions as actions
from . import rules, selectors
from .choices import (
    AmendmentKind,
    DecisionScope,
    ForumKind,
    MatterKind,
    MatterStatus,
    MeetingStatus,
    MemberRole,
    PartyRole,
)
from .governed import governed_kind
from .models import (
    AgendaItem,
    Agreement,
    AgreementParty,
    Amendment,
    Decision,
    DecisionCounter,
    Evaluation,
    Forum,
    ForumMember,
    GovernedLink,
    Matter,
    Meeting,
)


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) and actor.pk else None


def _require(actor: Actor, action: str, forum: Forum) -> None:
    """404 if the actor may not see the forum; 403 if they see it but may not do this."""
    selectors.forum_get(actor=actor, pk=forum.pk)
    if not permissions.can(actor, action, forum.node):
        raise Forbidden()


def _root(cooperation: Cooperation) -> OrgNode:
    if cooperation.root is None:
        raise ValidationFailed(
            fields={"cooperation": [_("Samverkan har ingen organisation ännu.")]}
        )
    return cooperation.root


# --- forums and members ---------------------------------------------------------------------


def forum_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    kind: str,
    name: str,
    prefix: str,
    municipality: OrgNode | None = None,
    description: str = "",
) -> Forum:
    """A forum of the cooperation. A local IT council belongs to its municipality."""
    root = _root(cooperation)
    if not permissions.can(actor, actions.MANAGE_FORUMS, root):
        raise Forbidden()
    errors: dict[str, list[Any]] = {}
    prefix = prefix.strip().upper()
    if not rules.is_valid_prefix(prefix):
        errors["prefix"] = [_("Prefixet ska vara 2–6 versaler eller siffror, t.ex. ITR.")]
    if kind == ForumKind.LOCAL_COUNCIL:
        if (
            municipality is None
            or municipality.kind != NodeKind.MUNICIPALITY
            or municipality.cooperation_id != cooperation.pk
        ):
            errors["municipality"] = [_("Ett lokalt IT-råd hör till en kommun i samverkan.")]
    elif municipality is not None:
        errors["municipality"] = [_("Bara ett lokalt IT-råd hör till en kommun.")]
    forum = Forum(
        cooperation=cooperation,
        kind=kind,
        name=name.strip(),
        prefix=prefix,
        municipality=municipality if kind == ForumKind.LOCAL_COUNCIL else None,
        node=municipality if (kind == ForumKind.LOCAL_COUNCIL and municipality) else root,
        description=description.strip(),
    )
    with transaction.atomic():
        return create_audited(
            actor=actor, instance=forum, scope_path=forum.node.path, errors=errors
        )


FORUM_FIELDS = frozenset({"name", "description", "is_active"})


def forum_update(
    *, actor: Actor, forum: Forum, expected_version: int | None, **changes: Any
) -> Forum:
    _require(actor, actions.MANAGE_FORUMS, forum)
    unknown = set(changes) - FORUM_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: [_("Kan inte ändras.")] for k in sorted(unknown)})
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    return update_versioned(
        actor=actor,
        instance=forum,
        expected_version=expected_version,
        changes=changes,
        scope_path=forum.node.path,
    )


def member_add(
    *,
    actor: Actor,
    forum: Forum,
    user: Any,
    role: str = MemberRole.MEMBER,
    represents: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> ForumMember:
    _require(actor, actions.MANAGE_FORUMS, forum)
    start = valid_from or timezone.localdate()
    errors: dict[str, list[Any]] = {}
    with transaction.atomic():
        Forum.objects.select_for_update().get(pk=forum.pk)
        seated = (
            ForumMember.objects.filter(forum=forum, user=user).exclude(valid_to__lt=start).exists()
        )
        if seated:
            errors["user"] = [_("Personen är redan ledamot i forumet under perioden.")]
        member = ForumMember(
            forum=forum,
            user=user,
            role=role,
            represents=represents.strip(),
            valid_from=start,
            valid_to=valid_to,
        )
        return create_audited(
            actor=actor, instance=member, scope_path=forum.node.path, errors=errors
        )


def member_end(
    *, actor: Actor, member: ForumMember, expected_version: int | None, valid_to: dt.date
) -> ForumMember:
    """A member leaves the forum after `valid_to` (the seat is kept, for history)."""
    _require(actor, actions.MANAGE_FORUMS, member.forum)
    errors: dict[str, list[Any]] = {}
    if member.valid_to is not None:
        errors["valid_to"] = [_("Ledamoten har redan lämnat forumet.")]
    elif valid_to < member.valid_from:
        errors["valid_to"] = [_("Slutdatumet kan inte vara före startdatumet.")]
    return update_versioned(
        actor=actor,
        instance=member,
        expected_version=expected_version,
        changes={"valid_to": valid_to},
        scope_path=member.forum.node.path,
        errors=errors,
    )


# --- meetings and agenda --------------------------------------------------------------------

MINUTES_APPROVED = _("Protokollet är justerat och kan inte ändras.")


def _refuse_locked_meeting(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise ValidationFailed(MINUTES_APPROVED, code="minutes_approved")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed(_("Mötet är inställt."), code="meeting_cancelled")


def meeting_create(*, actor: Actor, forum: Forum, held_on: dt.date, location: str = "") -> Meeting:
    _require(actor, actions.MANAGE_MEETINGS, forum)
    errors: dict[str, list[Any]] = {}
    if not forum.is_active:
        errors["forum"] = [_("Forumet är avslutat.")]
    meeting = Meeting(forum=forum, held_on=held_on, location=location.strip())
    with transaction.atomic():
        return create_audited(
            actor=actor, instance=meeting, scope_path=forum.node.path, errors=errors
        )


MEETING_FIELDS = frozenset({"held_on", "location", "attendees", "minutes", "status"})


def meeting_update(
    *, actor: Actor, meeting: Meeting, expected_version: int | None, **changes: Any
) -> Meeting:
    """Correct a meeting and write its minutes; mark it held or cancelled. Refused once the
    minutes are approved."""
    _require(actor, actions.MANAGE_MEETINGS, meeting.forum)
    unknown = set(changes) - MEETING_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: [_("Kan inte ändras.")] for k in sorted(unknown)})
    errors: dict[str, list[Any]] = {}
    if changes.get("status") == MeetingStatus.APPROVED:
        errors["status"] = [_("Justera protokollet med knappen för det.")]
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.is_locked:
            raise ValidationFailed(MINUTES_APPROVED, code="minutes_approved")
        if changes.get("status") == MeetingStatus.CANCELLED and current.decisions.exists():
            errors["status"] = [_("Ett möte där beslut är fattade kan inte ställas in.")]
        return update_versioned(
            actor=actor,
            instance=meeting,
            expected_version=expected_version,
            changes=changes,
            scope_path=meeting.forum.node.path,
            errors=errors,
        )


def meeting_approve_minutes(
    *,
    actor: Actor,
    meeting: Meeting,
    expected_version: int | None,
    approved_on: dt.date | None = None,
) -> Meeting:
    """Approve ("justera") the minutes: from now on the meeting, its agenda and its decisions
    are final."""
    _require(actor, actions.MANAGE_MEETINGS, meeting.forum)
    day = approved_on or timezone.localdate()
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_locked_meeting(current)
        errors: dict[str, list[Any]] = {}
        if day < current.held_on:
            errors["approved_on"] = [_("Protokollet kan inte justeras före mötet.")]
        if not current.items.exists():
            errors["minutes"] = [_("Mötet har ingen dagordning att justera.")]
        return update_versioned(
            actor=actor,
            instance=meeting,
            expected_version=expected_version,
            changes={
                "status": MeetingStatus.APPROVED,
                "approved_on": day,
                "approved_by": _user(actor),
            },
            scope_path=meeting.forum.node.path,
            errors=errors,
        )


def _next_position(meeting: Meeting) -> int:
    last = meeting.items.aggregate(m=Max("position"))["m"]
    return (last or 0) + 1


def agenda_item_add(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    description: str = "",
    matter: Matter | None = None,
) -> AgendaItem:
    _require(actor, actions.MANAGE_MEETINGS, meeting.forum)
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_locked_meeting(current)
        item = AgendaItem(
            meeting=current,
            position=_next_position(current),
            title=title.strip(),
            description=description.strip(),
            matter=matter,
        )
        return create_audited(actor=actor, instance=item, scope_path=meeting.forum.node.path)


ITEM_FIELDS = frozenset({"title", "description", "minutes"})


def agenda_item_update(
    *, actor: Actor, item: AgendaItem, expected_version: int | None, **changes: Any
) -> AgendaItem:
    meeting = item.meeting
    _require(actor, actions.MANAGE_MEETINGS, meeting.forum)
    unknown = set(changes) - ITEM_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: [_("Kan inte ändras.")] for k in sorted(unknown)})
    with transaction.atomic():
        _refuse_locked_meeting(Meeting.objects.select_for_update().get(pk=meeting.pk))
        return update_versioned(
            actor=actor,
            instance=item,
            expected_version=expected_version,
            changes={k: str(v).strip() for k, v in changes.items()},
            scope_path=meeting.forum.node.path,
        )


# --- matters --------------------------------------------------------------------------------


def matter_register(
    *,
    actor: Actor,
    forum: Forum,
    kind: str,
    title: str,
    description: str,
    need_kind: str = "other",
) -> Matter:
    """A council registers a local need, a proposal it will prepare, or a local matter."""
    _require(actor, actions.MANAGE_MEETINGS, forum)
    errors: dict[str, list[Any]] = {}
    if kind in (MatterKind.NEED, MatterKind.LOCAL) and forum.kind != ForumKind.LOCAL_COUNCIL:
        errors["kind"] = [_("Lokala behov och lokala ärenden registreras i ett lokalt IT-råd.")]
    matter = Matter(
        forum=forum,
        kind=kind,
        need_kind=need_kind,
        title=title.strip(),
        description=description.strip(),
        registered_by=_user(actor),
    )
    with transaction.atomic():
        return create_audited(
            actor=actor, instance=matter, scope_path=forum.node.path, errors=errors
        )


MATTER_FIELDS = frozenset({"title", "description", "need_kind", "proposal_text"})
MATTER_CLOSED = _("Ärendet är avslutat och kan inte ändras.")


def matter_update(
    *, actor: Actor, matter: Matter, expected_version: int | None, **changes: Any
) -> Matter:
    _require(actor, actions.MANAGE_MEETINGS, matter.forum)
    unknown = set(changes) - MATTER_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: [_("Kan inte ändras.")] for k in sorted(unknown)})
    if matter.status in (MatterStatus.DECIDED, MatterStatus.WITHDRAWN):
        raise ValidationFailed(MATTER_CLOSED, code="matter_closed")
    return update_versioned(
        actor=actor,
        instance=matter,
        expected_version=expected_version,
        changes={k: str(v).strip() for k, v in changes.items()},
        scope_path=matter.forum.node.path,
    )


def matter_prepare(
    *,
    actor: Actor,
    matter: Matter,
    expected_version: int | None,
    target_forum: Forum,
    proposal_text: str,
) -> Matter:
    """The local council prepares the matter as a proposal for a cooperation-wide forum (IT-råd
    Dalsland), with its proposed decision."""
    _require(actor, actions.MANAGE_MEETINGS, matter.forum)
    errors: dict[str, list[Any]] = {}
    if not rules.may_move_matter(matter.status, MatterStatus.PREPARED):
        raise ValidationFailed(MATTER_CLOSED, code="matter_closed")
    if (
        target_forum.cooperation_id != matter.forum.cooperation_id
        or target_forum.municipality_id is not None
        or not target_forum.is_active
    ):
        errors["target_forum"] = [_("Välj ett forum för hela samverkan, t.ex. IT-rådet.")]
    if not proposal_text.strip():
        errors["proposal_text"] = [_("Skriv förslaget till beslut.")]
    return update_versioned(
        actor=actor,
        instance=matter,
        expected_version=expected_version,
        changes={
            "target_forum": target_forum,
            "proposal_text": proposal_text.strip(),
            "status": MatterStatus.PREPARED,
            "kind": MatterKind.PROPOSAL,
            "prepared_on": timezone.localdate(),
        },
        scope_path=matter.forum.node.path,
        errors=errors,
    )


def matter_withdraw(*, actor: Actor, matter: Matter, expected_version: int | None) -> Matter:
    _require(actor, actions.MANAGE_MEETINGS, matter.forum)
    if not rules.may_move_matter(matter.status, MatterStatus.WITHDRAWN):
        raise ValidationFailed(MATTER_CLOSED, code="matter_closed")
    return update_versioned(
        actor=actor,
        instance=matter,
        expected_version=expected_version,
        changes={"status": MatterStatus.WITHDRAWN},
        scope_path=matter.forum.node.path,
    )


# --- decisions ------------------------------------------------------------------------------


def _allocate_number(forum: Forum, year: int) -> tuple[int, str]:
    """The next number of the forum's year, under a row lock: concurrent decisions wait for each
    other, and a rolled-back decision gives its number back (no gaps)."""
    counter = DecisionCounter.objects.select_for_update().filter(forum=forum, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                DecisionCounter.objects.create(forum=forum, year=year, last=0)
        except IntegrityError:
            pass  # another writer created it first
        counter = DecisionCounter.objects.select_for_update().get(forum=forum, year=year)
    DecisionCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return counter.last, rules.format_number(forum.prefix, year, counter.last)


def _scope_errors(forum: Forum, scope: str, municipality: OrgNode | None) -> dict[str, list[Any]]:
    if forum.kind == ForumKind.LOCAL_COUNCIL:
        if scope != DecisionScope.MUNICIPALITY or municipality != forum.municipality:
            return {
                "scope": [_("Ett lokalt IT-råd beslutar bara för sin egen kommun.")],
            }
        return {}
    if scope == DecisionScope.MUNICIPALITY:
        if (
            municipality is None
            or municipality.kind != NodeKind.MUNICIPALITY
            or municipality.cooperation_id != forum.cooperation_id
        ):
            return {"municipality": [_("Välj den kommun beslutet gäller.")]}
    elif municipality is not None:
        return {"municipality": [_("Ett beslut för hela samverkan gäller ingen enskild kommun.")]}
    return {}


def _matter_errors(forum: Forum, matter: Matter | None) -> dict[str, list[Any]]:
    if matter is None:
        return {}
    if matter.status in (MatterStatus.DECIDED, MatterStatus.WITHDRAWN):
        return {"matter": [_("Ärendet är redan avslutat.")]}
    if matter.status == MatterStatus.PREPARED and matter.target_forum_id == forum.pk:
        return {}
    if matter.forum_id == forum.pk and matter.status == MatterStatus.REGISTERED:
        return {}
    return {"matter": [_("Ärendet är inte berett för beslut i det här forumet.")]}


def decision_create(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    text: str,
    scope: str,
    municipality: OrgNode | None = None,
    decided_on: dt.date | None = None,
    matter: Matter | None = None,
    corrects: Decision | None = None,
    links: Sequence[tuple[str, int]] = (),
) -> Decision:
    """Record a decision taken at a meeting: it gets the forum's next number of the year, an
    agenda item of its own, and links to what it governs. A decision on a matter closes it."""
    forum = meeting.forum
    _require(actor, actions.DECIDE, forum)
    if forum.kind == ForumKind.LOCAL_COUNCIL and municipality is None:
        municipality = forum.municipality
    if scope == DecisionScope.COOPERATION and forum.kind == ForumKind.LOCAL_COUNCIL:
        municipality = forum.municipality  # refused below with the scope message
    day = decided_on or meeting.held_on
    errors = _scope_errors(forum, scope, municipality)
    errors.update(_matter_errors(forum, matter))
    if corrects is not None and corrects.forum.cooperation_id != forum.cooperation_id:
        errors["corrects"] = [_("Beslutet som rättas hör till en annan samverkan.")]
    if not title.strip():
        errors["title"] = [_("Ange en rubrik.")]
    if not text.strip():
        errors["text"] = [_("Skriv beslutstexten.")]
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_locked_meeting(current)
        if errors:
            raise ValidationFailed(fields=errors)
        sequence, number = _allocate_number(forum, day.year)
        item = AgendaItem(
            meeting=current,
            position=_next_position(current),
            title=title.strip(),
            description=(matter.proposal_text or matter.description) if matter else "",
            matter=matter,
        )
        create_audited(actor=actor, instance=item, scope_path=forum.node.path)
        decision = Decision(
            forum=forum,
            meeting=current,
            agenda_item=item,
            matter=matter,
            number=number,
            year=day.year,
            sequence=sequence,
            decided_on=day,
            scope=scope,
            municipality=municipality if scope == DecisionScope.MUNICIPALITY else None,
            title=title.strip(),
            text=text.strip(),
            corrects=corrects,
            decided_by=_user(actor),
        )
        create_audited(actor=actor, instance=decision, scope_path=forum.node.path)
        if matter is not None:
            update_versioned(
                actor=actor,
                instance=matter,
                expected_version=None,
                changes={"status": MatterStatus.DECIDED},
                scope_path=matter.forum.node.path,
            )
        for kind, object_id in links:
            _link_add(actor, decision, kind, object_id)
        return decision


def _locked_message(decision: Decision) -> Any:
    return lazy_format(
        _(
            "Beslut %(number)s är justerat i protokollet och kan inte ändras. Fatta ett nytt "
            "beslut som rättar det."
        ),
        number=decision.number,
    )


def _refuse_locked_decision(decision: Decision) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=decision.meeting_id)
    if meeting.is_locked:
        raise ValidationFailed(_locked_message(decision), code="decision_final")


DECISION_FIELDS = frozenset({"title", "text", "decided_on", "scope", "municipality"})


def decision_update(
    *, actor: Actor, decision: Decision, expected_version: int | None, **changes: Any
) -> Decision:
    """Correct a decision while its meeting's minutes are open."""
    _require(actor, actions.DECIDE, decision.forum)
    unknown = set(changes) - DECISION_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: [_("Kan inte ändras.")] for k in sorted(unknown)})
    with transaction.atomic():
        _refuse_locked_decision(decision)
        scope = changes.get("scope", decision.scope)
        municipality = changes.get("municipality", decision.municipality)
        if scope == DecisionScope.COOPERATION and "municipality" not in changes:
            municipality = None
            changes["municipality"] = None
        errors = _scope_errors(decision.forum, scope, municipality)
        day = changes.get("decided_on")
        if day is not None and day.year != decision.year:
            errors["decided_on"] = [_("Beslutsdatumet måste ligga i samma år som beslutsnumret.")]
        for f in ("title", "text"):
            if f in changes:
                changes[f] = str(changes[f]).strip()
                if not changes[f]:
                    errors[f] = [_("Får inte vara tomt.")]
        return update_versioned(
            actor=actor,
            instance=decision,
            expected_version=expected_version,
            changes=changes,
            scope_path=decision.forum.node.path,
            errors=errors,
        )


def decision_set_status(
    *, actor: Actor, decision: Decision, expected_version: int | None, status: str
) -> Decision:
    """Follow a decision up: decided → being carried out → carried out → followed up. Allowed
    after the minutes are approved (it records what happened since, not what was decided)."""
    _require(actor, actions.DECIDE, decision.forum)
    if not rules.may_move(decision.status, status):
        raise ValidationFailed(
            fields={
                "status": [
                    _(
                        "Statusen kan bara flyttas framåt: beslutat, under genomförande, "
                        "genomfört, uppföljt."
                    )
                ]
            }
        )
    return update_versioned(
        actor=actor,
        instance=decision,
        expected_version=expected_version,
        changes={"status": status},
        scope_path=decision.forum.node.path,
    )


def _link_add(actor: Actor, decision: Decision, kind_key: str, object_id: int) -> GovernedLink:
    kind = governed_kind(kind_key)
    if kind is None:
        raise ValidationFailed(fields={"kind": [_("Okänd typ av styrt objekt.")]})
    obj = kind.candidates(decision.forum.cooperation).filter(pk=object_id).first()
    if obj is None:
        reason = kind.refusal(decision.forum.cooperation, object_id) if kind.refusal else None
        raise ValidationFailed(
            fields={"object_id": [reason or _("Objektet finns inte i samverkan.")]}
        )
    ct = ContentType.objects.get_for_model(kind.model)
    if GovernedLink.objects.filter(decision=decision, content_type=ct, object_id=obj.pk).exists():
        raise ValidationFailed(fields={"object_id": [_("Beslutet länkar redan till objektet.")]})
    link = GovernedLink(
        decision=decision,
        kind=kind.key,
        content_type=ct,
        object_id=obj.pk,
        label=kind.describe(obj)[:300],
    )
    return create_audited(actor=actor, instance=link, scope_path=decision.forum.node.path)


def decision_link_add(
    *, actor: Actor, decision: Decision, kind: str, object_id: int
) -> GovernedLink:
    """Link the decision to what it governs (a price list, an allocation key, a service level,
    or a kind another app registered)."""
    _require(actor, actions.DECIDE, decision.forum)
    with transaction.atomic():
        _refuse_locked_decision(decision)
        return _link_add(actor, decision, kind, object_id)


def decision_link_remove(*, actor: Actor, link: GovernedLink) -> None:
    decision = link.decision
    _require(actor, actions.DECIDE, decision.forum)
    with transaction.atomic():
        _refuse_locked_decision(decision)
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=link,
            before=audit.snapshot(link),
            after=None,
            scope_path=decision.forum.node.path,
        )
        link.delete()


# --- the agreement --------------------------------------------------------------------------

AGREEMENT_TEXT_FIELDS = (
    "title",
    "background",
    "purpose",
    "extension_terms",
    "commitments",
    "scope_and_documents",
    "compensation",
    "payment_terms",
    "disputes",
    "amendment_procedure",
    "exit_process",
    "exit_fee",
    "veto",
    "governance",
    "budget",
    "cost_distribution",
    "investments",
    "insight",
    "archiving",
    "insurance",
    "evaluation",
    "appendices",
)
AGREEMENT_FIELDS = frozenset(AGREEMENT_TEXT_FIELDS) | {"starts_on", "ends_on", "notice_months"}


def _require_agreement(actor: Actor, cooperation: Cooperation) -> OrgNode:
    root = _root(cooperation)
    if not permissions.can(actor, actions.VIEW_AGREEMENT, root) and not permissions.can(
        actor, actions.MANAGE_AGREEMENT, root
    ):
        raise NotFound()
    if not permissions.can(actor, actions.MANAGE_AGREEMENT, root):
        raise Forbidden()
    return root


def _keys_errors(cooperation: Cooperation, keys: Sequence[Any]) -> dict[str, list[Any]]:
    if any(k.pool.cooperation_id != cooperation.pk for k in keys):
        return {"allocation_keys": [_("Fördelningsnyckeln hör till en annan samverkan.")]}
    return {}


def agreement_create(
    *, actor: Actor, cooperation: Cooperation, allocation_keys: Sequence[Any] = (), **fields: Any
) -> Agreement:
    root = _require_agreement(actor, cooperation)
    unknown = set(fields) - AGREEMENT_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in sorted(unknown)})
    errors = _keys_errors(cooperation, allocation_keys)
    if Agreement.objects.filter(cooperation=cooperation).exists():
        errors["cooperation"] = [_("Samverkan har redan ett samverkansavtal.")]
    agreement = Agreement(cooperation=cooperation, **fields)
    with transaction.atomic():
        create_audited(actor=actor, instance=agreement, scope_path=root.path, errors=errors)
        if allocation_keys:
            agreement.allocation_keys.set(allocation_keys)
        return agreement


def agreement_update(
    *,
    actor: Actor,
    agreement: Agreement,
    expected_version: int | None,
    allocation_keys: Sequence[Any] | None = None,
    **changes: Any,
) -> Agreement:
    root = _require_agreement(actor, agreement.cooperation)
    unknown = set(changes) - AGREEMENT_FIELDS
    if unknown:
        raise ValidationFailed(fields={k: [_("Okänt fält.")] for k in sorted(unknown)})
    errors = _keys_errors(agreement.cooperation, allocation_keys or ())
    with transaction.atomic():
        before_keys = sorted(agreement.allocation_keys.values_list("pk", flat=True))
        updated = update_versioned(
            actor=actor,
            instance=agreement,
            expected_version=expected_version,
            changes=changes,
            scope_path=root.path,
            errors=errors,
        )
        if allocation_keys is not None:
            after_keys = sorted(k.pk for k in allocation_keys)
            if after_keys != before_keys:
                updated.allocation_keys.set(allocation_keys)
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    instance=updated,
                    before={"allocation_keys": before_keys},
                    after={"allocation_keys": after_keys},
                    scope_path=root.path,
                )
        return updated


def party_add(
    *,
    actor: Actor,
    agreement: Agreement,
    municipality: OrgNode,
    role: str,
    joined_on: dt.date,
    organisation_number: str = "",
) -> AgreementParty:
    root = _require_agreement(actor, agreement.cooperation)
    errors: dict[str, list[Any]] = {}
    if (
        municipality.kind != NodeKind.MUNICIPALITY
        or municipality.cooperation_id != agreement.cooperation_id
    ):
        errors["municipality"] = [_("Välj en kommun i samverkan.")]
    elif agreement.parties.filter(municipality=municipality, left_on__isnull=True).exists():
        errors["municipality"] = [_("Kommunen är redan part i avtalet.")]
    party = AgreementParty(
        agreement=agreement,
        municipality=municipality,
        role=role,
        joined_on=joined_on,
        organisation_number=(organisation_number or municipality.organisation_number).strip(),
    )
    with transaction.atomic():
        return create_audited(actor=actor, instance=party, scope_path=root.path, errors=errors)


def amendment_register(
    *,
    actor: Actor,
    agreement: Agreement,
    kind: str,
    effective_on: dt.date,
    description: str,
    municipality: OrgNode | None = None,
    decision: Decision | None = None,
    apply: bool = True,
) -> Amendment:
    """Register an amendment of the agreement. A join makes the municipality a party and a member
    of the cooperation from `effective_on` (billing charges members from their joining date); a
    leave ends both the day before."""
    root = _require_agreement(actor, agreement.cooperation)
    errors: dict[str, list[Any]] = {}
    if not description.strip():
        errors["description"] = [_("Beskriv ändringen.")]
    if kind in (AmendmentKind.JOIN, AmendmentKind.LEAVE):
        if municipality is None:
            errors["municipality"] = [_("Ange vilken kommun som ansluter eller lämnar.")]
        elif (
            municipality.kind != NodeKind.MUNICIPALITY
            or municipality.cooperation_id != agreement.cooperation_id
        ):
            errors["municipality"] = [_("Välj en kommun i samverkans organisation.")]
    elif municipality is not None:
        errors["municipality"] = [_("En ändring av villkor gäller ingen enskild kommun.")]
    if decision is not None and decision.forum.cooperation_id != agreement.cooperation_id:
        errors["decision"] = [_("Beslutet hör till en annan samverkan.")]
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if municipality is not None and not errors:
            errors.update(_membership_errors(locked, kind, municipality, effective_on))
        if errors:
            raise ValidationFailed(fields=errors)
        number = (locked.amendments.aggregate(m=Max("number"))["m"] or 0) + 1
        amendment = Amendment(
            agreement=locked,
            number=number,
            kind=kind,
            effective_on=effective_on,
            municipality=municipality,
            decision=decision,
            description=description.strip(),
        )
        create_audited(actor=actor, instance=amendment, scope_path=root.path)
        if apply:
            _amendment_apply(actor, locked, amendment, root)
        return amendment


def _amendment_apply(actor: Actor, locked: Agreement, amendment: Amendment, root: OrgNode) -> None:
    kind, municipality, effective_on = (
        amendment.kind,
        amendment.municipality,
        amendment.effective_on,
    )
    decision, number = amendment.decision, amendment.number
    reference = decision.number if decision else f"Avtalsändring {number}"
    if kind == AmendmentKind.JOIN and municipality is not None:
        tenancy_services.municipality_join(
            actor=actor,
            cooperation=locked.cooperation,
            municipality=municipality,
            joined_on=effective_on,
            decision_reference=reference,
        )
        party_add(
            actor=actor,
            agreement=locked,
            municipality=municipality,
            role=PartyRole.MEMBER,
            joined_on=effective_on,
        )
    elif kind == AmendmentKind.LEAVE and municipality is not None:
        last_day = effective_on - dt.timedelta(days=1)
        membership = (
            Membership.objects.filter(
                cooperation=locked.cooperation, municipality=municipality, left_on__isnull=True
            )
            .order_by("-joined_on")
            .first()
        )
        if membership is not None:
            tenancy_services.municipality_leave(
                actor=actor,
                membership=membership,
                left_on=last_day,
                expected_version=None,
                decision_reference=reference,
            )
        for party in locked.parties.filter(municipality=municipality, left_on__isnull=True):
            update_versioned(
                actor=actor,
                instance=party,
                expected_version=None,
                changes={"left_on": last_day},
                scope_path=root.path,
            )
    update_versioned(
        actor=actor,
        instance=amendment,
        expected_version=None,
        changes={"applied_at": timezone.now()},
        scope_path=root.path,
    )


def amendment_apply(
    *, actor: Actor, amendment: Amendment, expected_version: int | None
) -> Amendment:
    """Put a proposed amendment into effect (after its decision): a join or a leave changes the
    parties and the cooperation's membership from the amendment's date."""
    root = _require_agreement(actor, amendment.agreement.cooperation)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=amendment.agreement_id)
        current = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if expected_version is not None and current.version != expected_version:
            from itfabrik.core.errors import Conflict

            raise Conflict()
        if current.applied_at is not None:
            raise ValidationFailed(_("Ändringen är redan verkställd."), code="already_applied")
        if current.municipality is not None:
            errors = _membership_errors(
                locked, current.kind, current.municipality, current.effective_on
            )
            if errors:
                raise ValidationFailed(fields=errors)
        _amendment_apply(actor, locked, current, root)
        current.refresh_from_db()
        return current


def _membership_errors(
    agreement: Agreement, kind: str, municipality: OrgNode, effective_on: dt.date
) -> dict[str, list[Any]]:
    open_party = agreement.parties.filter(municipality=municipality, left_on__isnull=True)
    if kind == AmendmentKind.JOIN and open_party.exists():
        return {"municipality": [_("Kommunen är redan part i avtalet.")]}
    if kind == AmendmentKind.LEAVE:
        party = open_party.first()
        if party is None:
            return {"municipality": [_("Kommunen är inte part i avtalet.")]}
        if party.role == PartyRole.HOST:
            return {"municipality": [_("Värdkommunen kan inte lämna utan att en ny värd utses.")]}
        if effective_on <= party.joined_on:
            return {"effective_on": [_("Utträdet måste ligga efter anslutningen.")]}
    return {}


def evaluation_add(
    *, actor: Actor, agreement: Agreement, due_on: dt.date, description: str
) -> Evaluation:
    root = _require_agreement(actor, agreement.cooperation)
    evaluation = Evaluation(agreement=agreement, due_on=due_on, description=description.strip())
    with transaction.atomic():
        return create_audited(actor=actor, instance=evaluation, scope_path=root.path)


def evaluation_complete(
    *,
    actor: Actor,
    evaluation: Evaluation,
    expected_version: int | None,
    done_on: dt.date,
    outcome: str,
) -> Evaluation:
    root = _require_agreement(actor, evaluation.agreement.cooperation)
    errors: dict[str, list[Any]] = {}
    if evaluation.done_on is not None:
        errors["done_on"] = [_("Utvärderingen är redan genomförd.")]
    if not outcome.strip():
        errors["outcome"] = [_("Skriv vad utvärderingen kom fram till.")]
    return update_versioned(
        actor=actor,
        instance=evaluation,
        expected_version=expected_version,
        changes={"done_on": done_on, "outcome": outcome.strip()},
        scope_path=root.path,
        errors=errors,
    )


def _mailer(subject: str, body: str, recipients: list[str]) -> Any:
    from django.conf import settings
    from django.core.mail import send_mail

    def send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)

    return send


def evaluation_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind Samverkansrådet's members of evaluations due within the lead time, once each.
    Idempotent: a reminded evaluation is never reminded again."""
    from itfabrik.core.actors import SYSTEM

    day = today or timezone.localdate()
    limit = day + dt.timedelta(days=rules.REMINDER_LEAD_DAYS)
    sent = 0
    candidates = Evaluation.objects.filter(
        done_on__isnull=True, reminded_at__isnull=True, due_on__lte=limit
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            # Only the evaluation's row is locked (the root is on the nullable side of a join,
            # which PostgreSQL will not lock).
            ev = (
                Evaluation.objects.select_for_update(of=("self",))
                .select_related("agreement", "agreement__cooperation")
                .get(pk=pk)
            )
            if not rules.reminder_due(
                due_on=ev.due_on, today=day, reminded=ev.reminded_at is not None, done=False
            ):
                continue
            root = ev.agreement.cooperation.root
            update_versioned(
                actor=SYSTEM,
                instance=ev,
                expected_version=None,
                changes={"reminded_at": timezone.now()},
                scope_path=root.path if root else "",
            )
            recipients = sorted(
                {
                    m.user.email
                    for m in ForumMember.objects.filter(
                        forum__cooperation=ev.agreement.cooperation,
                        forum__kind=ForumKind.COOPERATION_COUNCIL,
                        valid_from__lte=day,
                    )
                    .exclude(valid_to__lt=day)
                    .select_related("user")
                    if m.user.email
                }
            )
            subject = f"Påminnelse: utvärdering av samverkan {ev.due_on.isoformat()}"
            body = (
                f"{ev.agreement.title}\n\nUtvärdering planerad {ev.due_on.isoformat()}: "
                f"{ev.description}\n"
            )
            if recipients:
                transaction.on_commit(_mailer(subject, body, recipients))
            sent += 1
    return sent
