"""Every change the e-mail channel makes: an inbound message processed into a ticket or a reply
(`mail_ingest`), and outbound mails about a ticket (`reply_by_mail`, `resolve_by_mail`, the
receipt and the automatic answers). Tickets and entries are written only through the service
desk's services; this module adds the mail records and the threading (ADR 0023).

`mail_ingest` never raises for a bad message: whatever it decides is recorded with its outcome.
It raises only when the database fails, so that a fetch leaves the message for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itfabrik.accounts.models import User
from itfabrik.core import audit
from itfabrik.core.actors import SYSTEM, Actor
from itfabrik.core.errors import ApplicationError, Forbidden, ValidationFailed
from itfabrik.core.services import create_audited, update_audited
from itfabrik.servicedesk import rules as desk_rules
from itfabrik.servicedesk import selectors as desk_selectors
from itfabrik.servicedesk import services as desk
from itfabrik.servicedesk.choices import Channel, EntryKind, TicketStatus
from itfabrik.servicedesk.models import Ticket, TicketEntry
from itfabrik.tenancy.models import Cooperation

from . import conf, parsing, rules
from .choices import OutboundKind, Outcome, SendStatus, Source
from .models import InboundAttachment, InboundMessage, OutboundMessage

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 10000
MAX_TITLE = 200


# --- inbound ------------------------------------------------------------------------------------


@dataclass
class _Decision:
    outcome: str
    detail: list[str]
    ticket: Ticket | None = None
    entry: TicketEntry | None = None
    answer: str | None = None  # the text of an automatic answer to the sender, if any


def mailbox_cooperation() -> Cooperation:
    """The cooperation whose service desk the mailbox serves: the configured one, or the only
    one there is."""
    slug = conf.cooperation_slug()
    qs = Cooperation.objects.select_related("root")
    if slug:
        return qs.get(slug=slug)
    found = list(qs.order_by("pk")[:2])
    if len(found) != 1:
        raise ValidationFailed(
            fields={
                "ITFABRIK_MAIL_COOPERATION": [
                    gettext_lazy("Ange vilken samverkans servicedesk brevlådan hör till.")
                ]
            }
        )
    return found[0]


def mail_ingest(*, raw: bytes, source: str = Source.PIPE) -> InboundMessage:
    """Process one RFC 822 message, once. The same Message-ID a second time returns the first
    record and changes nothing (a fetch run twice, a pipe delivering twice)."""
    mail = parsing.parse(raw)
    existing = InboundMessage.objects.filter(message_id=mail.message_id).first()
    if existing is not None:
        return existing
    cooperation = mailbox_cooperation()
    root_path = cooperation.root.path if cooperation.root else ""
    try:
        with transaction.atomic():
            decision = _decide(mail, cooperation)
            ticket = decision.ticket
            record = InboundMessage(
                cooperation=cooperation,
                path=ticket.unit.path if ticket is not None else root_path,
                message_id=mail.message_id,
                sender=mail.sender,
                sender_name=mail.sender_name,
                subject=mail.subject,
                sent_at=mail.date if mail.date and mail.date.tzinfo else None,
                in_reply_to=" ".join(mail.in_reply_to)[:998],
                references=" ".join(mail.references),
                source=source if source in Source.values else Source.PIPE,
                outcome=decision.outcome,
                detail="\n".join(decision.detail),
                size=len(raw),
                ticket=ticket,
                entry=decision.entry,
            )
            # Inserted last: a concurrent run that got here first makes this insert fail and
            # rolls back the ticket or reply made above (the unique Message-ID is the lock).
            record = create_audited(
                actor=SYSTEM,
                instance=record,
                scope_path=record.path,
                exclude=["cooperation", "ticket", "entry"],
            )
            if ticket is not None:
                _keep_attachments(record, ticket, mail, decision)
            if decision.outcome == Outcome.CREATED and ticket is not None:
                _queue_outbound(
                    ticket=ticket,
                    kind=OutboundKind.RECEIPT,
                    recipient=mail.sender,
                    body=_receipt_text(ticket),
                    answering=record,
                )
            elif decision.answer is not None and ticket is not None:
                _queue_outbound(
                    ticket=ticket,
                    kind=OutboundKind.ANSWER,
                    recipient=mail.sender,
                    body=decision.answer,
                    answering=record,
                )
            elif decision.answer is not None:
                transaction.on_commit(
                    lambda: _send_unthreaded_answer(record.pk, decision.answer or "")
                )
            return record
    except IntegrityError:
        existing = InboundMessage.objects.filter(message_id=mail.message_id).first()
        if existing is None:
            raise
        return existing


def _decide(mail: parsing.ParsedMail, cooperation: Cooperation) -> _Decision:
    """What to do with a message. Automatic mail and loops first: they never create anything,
    and are never answered (an answer to an autoresponder is how mail loops start)."""
    reason = rules.loop_reason(
        message_id=mail.message_id,
        sender=mail.sender,
        own_domain=conf.message_id_domain(),
        own_addresses=[conf.mailbox_address(), settings.DEFAULT_FROM_EMAIL],
    )
    if reason:
        return _Decision(Outcome.LOOP, [reason])
    if OutboundMessage.objects.filter(message_id=mail.message_id).exists():
        return _Decision(Outcome.LOOP, [f"Message-ID {mail.message_id}"])
    reason = rules.auto_reply_reason(mail.headers)
    if reason:
        return _Decision(Outcome.AUTO_REPLY, [reason])
    if not mail.sender or "@" not in mail.sender:
        return _Decision(Outcome.REFUSED, [_("Avsändaradressen saknas eller är ogiltig.")])
    limit, minutes = conf.rate_limit()
    since = timezone.now() - dt.timedelta(minutes=minutes)
    recent = InboundMessage.objects.filter(sender=mail.sender, created_at__gte=since).count()
    if recent >= limit:
        return _Decision(
            Outcome.RATE_LIMITED,
            [
                _("%(n)s meddelanden från avsändaren de senaste %(m)s minuterna.")
                % {"n": recent, "m": minutes}
            ],
        )
    user = _user_for(mail.sender, cooperation)
    ticket, actor = _thread(mail, user, cooperation)
    if ticket is not None and actor is not None:
        return _reply(mail, ticket, actor)
    return _create(mail, user, cooperation)


def _user_for(address: str, cooperation: Cooperation) -> User | None:
    """The one active account with this address in the mailbox's cooperation (two accounts
    with one address are ambiguous: treated as unknown rather than guessed)."""
    users = list(
        User.objects.filter(email__iexact=address, is_active=True)
        .filter(home_unit__cooperation=cooperation)
        .select_related("home_unit")[:2]
    )
    return users[0] if len(users) == 1 else None


def _thread(
    mail: parsing.ParsedMail, user: User | None, cooperation: Cooperation
) -> tuple[Ticket | None, Actor | None]:
    """The ticket a message answers, and who writes the reply: by In-Reply-To/References to a
    mail we sent or received, else by the reference in the subject. A match counts only for
    someone who may see the ticket, or the address the thread's mails went to — a stranger
    who copies a reference into a subject starts a ticket of their own."""
    candidates = rules.thread_candidates(mail.in_reply_to, mail.references)
    ticket: Ticket | None = None
    if candidates:
        out = (
            OutboundMessage.objects.filter(message_id__in=candidates)
            .select_related("ticket")
            .order_by("-pk")
            .first()
        )
        if out is not None:
            ticket = out.ticket
        else:
            inbound = (
                InboundMessage.objects.filter(message_id__in=candidates, ticket__isnull=False)
                .select_related("ticket")
                .order_by("-pk")
                .first()
            )
            ticket = inbound.ticket if inbound is not None else None
    if ticket is None:
        reference = rules.find_reference(mail.subject)
        if reference:
            ticket = Ticket.objects.filter(reference=reference, cooperation=cooperation).first()
    if ticket is None:
        return None, None
    if (
        user is not None
        and Ticket.objects.filter(desk_selectors.visible_q(user), pk=ticket.pk).exists()
    ):
        return ticket, user
    if _address_in_thread(ticket, mail.sender):
        return ticket, ticket.requester
    return None, None


def _address_in_thread(ticket: Ticket, address: str) -> bool:
    return (
        OutboundMessage.objects.filter(ticket=ticket, recipient__iexact=address).exists()
        or InboundMessage.objects.filter(
            ticket=ticket, sender__iexact=address, outcome=Outcome.CREATED
        ).exists()
    )


def _body(mail: parsing.ParsedMail) -> str:
    return rules.strip_quoted(mail.text)


def _signed(mail: parsing.ParsedMail, actor: Actor, text: str) -> str:
    """A reply written on the requester's behalf says who really wrote it."""
    own = getattr(actor, "email", "") or ""
    if own.lower() == mail.sender.lower():
        return text
    return f"{_('Från')} {mail.sender_name or ''} <{mail.sender}>:\n\n{text}".replace("  ", " ")


def _reply(mail: parsing.ParsedMail, ticket: Ticket, actor: Actor) -> _Decision:
    text = _body(mail) or _("(tomt meddelande)")
    text = _signed(mail, actor, text)[:MAX_DESCRIPTION]
    detail: list[str] = []
    outcome = Outcome.REPLIED
    if ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        may_reopen = desk_rules.may_reopen(ticket.resolved_at, timezone.now(), desk.reopen_days())
        if conf.closed_reply() == conf.CLOSED_REOPEN and may_reopen:
            try:
                with transaction.atomic():
                    desk.ticket_transition(
                        actor=SYSTEM,
                        ticket=ticket,
                        expected_version=None,
                        status=TicketStatus.IN_PROGRESS,
                    )
                outcome = Outcome.REOPENED
            except ApplicationError as exc:
                detail.append(_error_text(exc))
        if outcome != Outcome.REOPENED and ticket.status == TicketStatus.CLOSED:
            answer = _closed_answer(ticket)
            return _Decision(Outcome.CLOSED_ANSWERED, [*detail, answer], ticket, answer=answer)
    try:
        with transaction.atomic():
            entry = desk.entry_add(actor=actor, ticket=ticket, kind=EntryKind.PUBLIC, body=text)
    except ApplicationError as exc:
        return _Decision(Outcome.REFUSED, [*detail, _error_text(exc)], ticket)
    return _Decision(outcome, detail, ticket, entry)


def _closed_answer(ticket: Ticket) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Ärendet %(reference)s är avslutat och ditt meddelande har inte lagts till i det. "
            "Skicka ett nytt meddelande utan ärendenumret i ämnesraden om du behöver mer hjälp, "
            "så registrerar vi ett nytt ärende."
        ) % {"reference": ticket.reference}


def _error_text(exc: ApplicationError) -> str:
    fields = getattr(exc, "fields", None) or {}
    parts = [f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in fields.items()]
    return "; ".join(parts) or str(getattr(exc, "message", "") or exc.__class__.__name__)


def _create(mail: parsing.ParsedMail, user: User | None, cooperation: Cooperation) -> _Decision:
    detail: list[str] = []
    requester = user
    if requester is None:
        username = conf.unknown_requester()
        if conf.unknown_sender() == conf.UNKNOWN_CREATE and username:
            requester = User.objects.filter(username=username, is_active=True).first()
        if requester is None:
            with translation.override(settings.LANGUAGE_CODE):
                answer = _(
                    "Vi kunde inte koppla din adress %(address)s till ett konto hos "
                    "servicedesken, så inget ärende har registrerats. Anmäl ärendet i portalen "
                    "eller ring servicedesken."
                ) % {"address": mail.sender}
            return _Decision(Outcome.UNKNOWN_SENDER, [answer], answer=answer)
        detail.append(_("Okänd avsändare: %(address)s") % {"address": mail.sender})
    title = " ".join(mail.subject.split())[:MAX_TITLE] or _("(utan ämne)")
    description = _body(mail)
    if user is None:
        description = f"{_('Från')} {mail.sender_name} <{mail.sender}>\n\n{description}"
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 40].rstrip() + "\n\n" + _("[avkortat]")
        detail.append(_("Texten var för lång och har avkortats."))
    try:
        with transaction.atomic():
            ticket = desk.ticket_create(
                actor=SYSTEM,
                requester=requester,
                title=title,
                description=description,
                impact=conf.impact(),
                urgency=conf.urgency(),
                channel=Channel.EMAIL,
                reported_at=rules.reported_at(mail.date, timezone.now()),
            )
    except ApplicationError as exc:
        return _Decision(Outcome.REFUSED, [*detail, _error_text(exc)])
    return _Decision(Outcome.CREATED, detail, ticket)


def _keep_attachments(
    record: InboundMessage, ticket: Ticket, mail: parsing.ParsedMail, decision: _Decision
) -> None:
    """Keep the attachments within the limits; note the refused ones on the ticket, so the
    agent knows to ask for them another way."""
    refused: list[str] = []
    max_bytes = conf.attachment_max_bytes()
    for att in mail.attachments:
        why = rules.attachment_refusal(
            size=att.size,
            content_type=att.content_type,
            max_bytes=max_bytes,
            allowed_types=conf.attachment_types(),
        )
        name = att.filename or _("(namnlös)")
        if why == "size":
            refused.append(
                _("%(name)s (%(size)s byte, gränsen är %(max)s byte)")
                % {"name": name, "size": att.size, "max": max_bytes}
            )
            continue
        if why == "type":
            refused.append(
                _("%(name)s (filtypen %(type)s tas inte emot)")
                % {"name": name, "type": att.content_type}
            )
            continue
        kept = InboundAttachment.objects.create(
            message=record,
            ticket=ticket,
            filename=name,
            content_type=att.content_type,
            size=att.size,
            data=att.data,
        )
        # The audit row names the file; the content itself stays out of the audit trail.
        audit.record(
            actor=SYSTEM,
            action="create",
            instance=kept,
            before=None,
            after={"filename": name, "content_type": att.content_type, "size": att.size},
            scope_path=record.path,
        )
    if not refused:
        return
    note = _("Bilagor som inte togs emot från e-post %(mid)s:") % {"mid": record.message_id}
    text = note + "\n" + "\n".join(f"- {r}" for r in refused)
    if ticket.status != TicketStatus.CLOSED:
        desk.entry_add(actor=SYSTEM, ticket=ticket, kind=EntryKind.INTERNAL, body=text)
    update_audited(
        actor=SYSTEM,
        instance=record,
        changes={"detail": "\n".join([*decision.detail, text])},
        scope_path=record.path,
        exclude=["cooperation", "ticket", "entry"],
    )


# --- outbound -----------------------------------------------------------------------------------


def _recipient(ticket: Ticket) -> str:
    """Where mail about a ticket goes: the address it came from by mail, else the requester's."""
    first = (
        InboundMessage.objects.filter(ticket=ticket, outcome=Outcome.CREATED)
        .order_by("pk")
        .values_list("sender", flat=True)
        .first()
    )
    return first or ticket.requester.email or ""


def _thread_ids(ticket: Ticket) -> list[str]:
    """Every message id of the ticket's conversation, oldest first."""
    rows = list(
        InboundMessage.objects.filter(ticket=ticket)
        .exclude(outcome__in=[Outcome.AUTO_REPLY, Outcome.LOOP, Outcome.RATE_LIMITED])
        .values_list("created_at", "pk", "message_id")
    ) + list(
        OutboundMessage.objects.filter(ticket=ticket).values_list("created_at", "pk", "message_id")
    )
    rows.sort()
    return [mid for _at, _pk, mid in rows]


def _queue_outbound(
    *,
    ticket: Ticket,
    kind: str,
    recipient: str,
    body: str,
    answering: InboundMessage | None = None,
    entry: TicketEntry | None = None,
    actor: Actor = SYSTEM,
) -> OutboundMessage:
    """Record an outbound mail with its Message-ID and send it after the commit: a mail never
    leaves for a change that was rolled back, and a reply to it always finds its ticket."""
    chain = _thread_ids(ticket)
    in_reply_to = answering.message_id if answering is not None else (chain[-1] if chain else "")
    with translation.override(settings.LANGUAGE_CODE):
        prefixes: dict[str, str] = {
            OutboundKind.RECEIPT: _("Mottaget:"),
            OutboundKind.RESOLVED: _("Löst:"),
            OutboundKind.ANSWER: _("Angående:"),
        }
        subject = rules.subject_with_reference(
            ticket.reference, ticket.title, str(prefixes.get(kind, ""))
        )
    out = create_audited(
        actor=actor,
        instance=OutboundMessage(
            ticket=ticket,
            path=ticket.unit.path,
            kind=kind,
            message_id=make_msgid(domain=conf.message_id_domain())[:255],
            in_reply_to=in_reply_to,
            references=" ".join(rules.references_header(chain)),
            recipient=recipient,
            subject=subject[:300],
            body=body,
            status=SendStatus.PENDING if recipient else SendStatus.SKIPPED,
            entry=entry,
        ),
        scope_path=ticket.unit.path,
        exclude=["ticket", "entry"],
    )
    if recipient:
        transaction.on_commit(lambda: send_outbound(outbound_id=out.pk))
    return out


def _headers(out: OutboundMessage) -> dict[str, str]:
    headers = {"Message-ID": out.message_id}
    if out.in_reply_to:
        headers["In-Reply-To"] = out.in_reply_to
    if out.references:
        headers["References"] = out.references
    if out.kind in (OutboundKind.RECEIPT, OutboundKind.ANSWER):
        # RFC 3834: an automatic answer; autoresponders must not answer it in turn.
        headers["Auto-Submitted"] = "auto-replied"
    elif out.kind == OutboundKind.RESOLVED:
        headers["Auto-Submitted"] = "auto-generated"
    # Exchange: no out-of-office or delivery receipts back to the service desk.
    headers["X-Auto-Response-Suppress"] = "All"
    return headers


def send_outbound(*, outbound_id: int) -> bool:
    """Send one recorded mail and record how it went. A failure is recorded, not raised: the
    ticket change it belongs to has been made and is not undone by a mail server."""
    out = OutboundMessage.objects.select_related("ticket").get(pk=outbound_id)
    if out.status == SendStatus.SENT:
        return True
    with translation.override(settings.LANGUAGE_CODE):
        hint = _(
            "Svara på det här meddelandet för att lägga till något i ärendet %(reference)s."
        ) % {"reference": out.ticket.reference}
    # The marker first: a reply is written above the quoted mail, whether the client quotes
    # with ">" or not, and everything from the marker down is dropped from the entry.
    message = EmailMessage(
        subject=out.subject,
        body=f"{rules.REPLY_MARKER}\n\n{out.body}\n\n{hint}\n",
        from_email=conf.mailbox_address(),
        to=[out.recipient],
        headers=_headers(out),
    )
    try:
        message.send()
    except Exception as exc:  # any failure of the mail server or connection
        log.warning("mailchannel: sending %s failed: %s", out.message_id, exc)
        OutboundMessage.objects.filter(pk=out.pk).update(
            status=SendStatus.FAILED, error=str(exc)[:2000]
        )
        return False
    OutboundMessage.objects.filter(pk=out.pk).update(
        status=SendStatus.SENT, sent_at=timezone.now(), error=""
    )
    return True


def _send_unthreaded_answer(record_id: int, text: str) -> None:
    """An answer about no ticket (an unknown sender refused): In-Reply-To their message, with
    our Message-ID, so that a reply to it is recognised as one."""
    record = InboundMessage.objects.get(pk=record_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Angående: %(subject)s") % {"subject": record.subject or _("ditt meddelande")}
    message = EmailMessage(
        subject=subject[:300],
        body=text,
        from_email=conf.mailbox_address(),
        to=[record.sender],
        headers={
            "Message-ID": make_msgid(domain=conf.message_id_domain()),
            "In-Reply-To": record.message_id,
            "References": record.message_id,
            "Auto-Submitted": "auto-replied",
            "X-Auto-Response-Suppress": "All",
        },
    )
    try:
        message.send()
    except Exception as exc:  # recorded in the log, never raised into the fetch
        log.warning("mailchannel: answer to %s failed: %s", record.message_id, exc)


def _receipt_text(ticket: Ticket) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Tack! Vi har tagit emot ditt ärende och gett det numret %(reference)s.\n\n"
            "Rubrik: %(title)s\nPrioritet: %(priority)s"
        ) % {"reference": ticket.reference, "title": ticket.title, "priority": ticket.priority}


def reply_by_mail(*, actor: Actor, ticket: Ticket, body: str) -> OutboundMessage:
    """An agent's public reply, added to the ticket and mailed to the requester with the
    reference in the subject and the thread's Message-IDs, so their answer threads back."""
    with transaction.atomic():
        current = desk_selectors.ticket_get(actor=actor, pk=ticket.pk)
        if not desk_selectors.may_work(actor, current):
            # entry_add lets the requester reply publicly too; mailing it out is staff work.
            raise Forbidden()
        entry = desk.entry_add(actor=actor, ticket=current, kind=EntryKind.PUBLIC, body=body)
        return _queue_outbound(
            ticket=current,
            kind=OutboundKind.REPLY,
            recipient=_recipient(current),
            body=entry.body,
            entry=entry,
            actor=actor,
        )


def resolve_by_mail(
    *, actor: Actor, ticket: Ticket, expected_version: int | None, body: str = ""
) -> OutboundMessage:
    """Resolve a ticket (with an optional public answer) and tell the requester by mail."""
    with transaction.atomic():
        current = desk.ticket_transition(
            actor=actor,
            ticket=ticket,
            expected_version=expected_version,
            status=TicketStatus.RESOLVED,
        )
        entry = None
        if body.strip():
            entry = desk.entry_add(actor=actor, ticket=current, kind=EntryKind.PUBLIC, body=body)
        current = desk_selectors.ticket_get(actor=actor, pk=current.pk)
        return _queue_outbound(
            ticket=current,
            kind=OutboundKind.RESOLVED,
            recipient=_recipient(current),
            body=_resolved_text(current, entry.body if entry is not None else current.title),
            entry=entry,
            actor=actor,
        )


def _resolved_text(ticket: Ticket, answer: str) -> str:
    from itfabrik.servicedesk.hooks import resolution_mail_parts

    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Ärendet %(reference)s är löst.\n\n%(answer)s\n\n"
            "Svara på det här meddelandet inom %(days)s dagar om problemet finns kvar, så "
            "öppnar vi ärendet igen."
        ) % {"reference": ticket.reference, "answer": answer, "days": desk.reopen_days()}
        # Other apps' paragraphs (satisfaction: the one-click rating link).
        return "\n\n".join([text, *resolution_mail_parts(ticket)])


def _came_by_mail(ticket_id: int) -> bool:
    return InboundMessage.objects.filter(ticket_id=ticket_id, outcome=Outcome.CREATED).exists()


def _tells_requester(ticket_id: int, requester: User) -> bool:
    """Whether mail about this ticket goes out unasked: always to whoever wrote by mail, to other
    requesters with an address when ITFABRIK_MAIL_NOTIFY is `all` (ADR 0051)."""
    if _came_by_mail(ticket_id):
        return True
    return conf.notify() == conf.NOTIFY_ALL and bool(requester.email)


def on_public_reply(*, ticket_id: int, entry_id: int) -> None:
    """A public staff reply made on the ticket page or through the API reaches the requester
    (`_tells_requester`), threaded like the rest; a reply already mailed here is not sent twice.
    The service desk announces live replies only: a chat's transcript and a replayed history
    are not news."""
    try:
        if OutboundMessage.objects.filter(entry_id=entry_id).exists():
            return
        entry = TicketEntry.objects.select_related("ticket__unit", "ticket__requester").get(
            pk=entry_id
        )
        if not _tells_requester(ticket_id, entry.ticket.requester):
            return
        with transaction.atomic():
            _queue_outbound(
                ticket=entry.ticket,
                kind=OutboundKind.REPLY,
                recipient=_recipient(entry.ticket),
                body=entry.body,
                entry=entry,
            )
    except Exception:  # the reply is saved; a mail that cannot be queued must not undo it
        log.exception("mail for the public reply %s of ticket %s not queued", entry_id, ticket_id)


def on_resolved(*, ticket_id: int) -> None:
    """A ticket resolved anywhere tells the requester (`_tells_requester`; once:
    resolve_by_mail has already queued its own), with the one-click rating link."""
    try:
        ticket = Ticket.objects.select_related("unit", "requester").get(pk=ticket_id)
        if ticket.resolved_at is None or not _tells_requester(ticket_id, ticket.requester):
            return
        already = OutboundMessage.objects.filter(
            ticket_id=ticket_id, kind=OutboundKind.RESOLVED, created_at__gte=ticket.resolved_at
        )
        if already.exists():
            return
        with transaction.atomic():
            _queue_outbound(
                ticket=ticket,
                kind=OutboundKind.RESOLVED,
                recipient=_recipient(ticket),
                body=_resolved_text(ticket, ticket.title),
            )
    except Exception:  # the resolution is saved; see on_public_reply
        log.exception("mail for the resolution of ticket %s not queued", ticket_id)


def outbound_retry(*, actor: Actor, outbound: OutboundMessage) -> bool:
    """Send a mail that failed once more (its recorded text, the same Message-ID)."""
    current = desk_selectors.ticket_get(actor=actor, pk=outbound.ticket_id)
    if not desk_selectors.may_work(actor, current):
        raise Forbidden()
    if outbound.status not in (SendStatus.FAILED, SendStatus.PENDING):
        raise ValidationFailed(
            fields={"status": [gettext_lazy("Bara ett misslyckat utskick kan skickas om.")]}
        )
    return send_outbound(outbound_id=outbound.pk)
