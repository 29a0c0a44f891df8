"""The signed one-click link of the resolution mail: it names one ticket and its requester,
is signed with the secret key and a salt of its own, and expires after a configured number of
days. It grants nothing but rating that ticket as its requester."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from itfabrik.servicedesk.models import Ticket

from . import rules

SALT = "itfabrik.satisfaction.rating-link"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


@dataclass(frozen=True)
class LinkClaim:
    ticket_id: int
    requester_id: int


def link_days() -> int:
    return int(getattr(settings, "ITFABRIK_SATISFACTION_LINK_DAYS", rules.DEFAULT_LINK_DAYS))


def make_token(ticket: Ticket) -> str:
    return signing.dumps({"t": ticket.pk, "r": ticket.requester_id}, salt=SALT, compress=True)


def read_token(token: str) -> LinkClaim:
    try:
        data = signing.loads(token, salt=SALT, max_age=link_days() * 86400)
    except signing.SignatureExpired as exc:
        raise LinkExpired() from exc
    except signing.BadSignature as exc:
        raise LinkInvalid() from exc
    try:
        return LinkClaim(ticket_id=int(data["t"]), requester_id=int(data["r"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid() from exc


def rating_link_path(ticket: Ticket) -> str:
    """The path of the ticket's one-click link, for the resolution mail to put after the site's
    address."""
    return reverse("satisfaction:link", args=[make_token(ticket)])
