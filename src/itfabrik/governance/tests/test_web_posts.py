"""Governance's form posts end to end: members, agenda, minutes, decisions' status and links, the
agreement and its evaluations. Each write is saved and audited (who, before, after); bad input is
refused in Swedish and changes nothing; a user of another municipality, or one without the role,
gets 404 and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from itfabrik.core import audit
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import FINANCE, OTHER, assert_unchanged, db_state

pytestmark = pytest.mark.django_db

# A portal user of another municipality sees no governance; finance sees it but may not write.
OUTSIDERS = [OTHER, FINANCE]


def _audit(instance: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=audit.object_type(instance), object_id=str(instance.pk)
        ).order_by("pk")
    )


def _last_audit(instance: Any, username: str) -> AuditEntry:
    entry = _audit(instance)[-1]
    assert entry.actor is not None
    assert entry.actor.username == username
    assert entry.actor_repr == username
    return entry


def _refused_in_swedish(client: Any, url: str, data: dict[str, Any], text: str) -> None:
    before = db_state()
    r = client.post(url, data, follow=True)
    assert r.status_code in (200, 400)
    assert text in r.content.decode()
    assert_unchanged(before)


def _refused_404(web_as: Any, actor: str, url: str, data: dict[str, Any]) -> None:
    before = db_state()
    r = web_as(actor).post(url, data)
    assert r.status_code == 404
    assert_unchanged(before)


# --- members --------------------------------------------------------------------------------


def _member_add_data(demo: Any, username: str) -> dict[str, Any]:
    return {
        "user": demo.user(username).pk,
        "role": "co_opted",
        "represents": "Informationssäkerhet",
        "valid_from": "2026-12-01",
    }


def test_admin_adds_a_member_audited(web_as: Any, gov: Any, demo: Any) -> None:
    from itfabrik.governance.models import ForumMember

    r = web_as("admin").post(
        reverse("governance:member_add", args=[gov.sr.pk]),
        _member_add_data(demo, "sakerhet"),
        follow=True,
    )
    assert "Ledamoten är tillagd." in r.content.decode()
    member = ForumMember.objects.get(forum=gov.sr, user=demo.user("sakerhet"))
    assert (member.role, member.represents, member.valid_from, member.valid_to) == (
        "co_opted",
        "Informationssäkerhet",
        dt.date(2026, 12, 1),
        None,
    )
    entry = _last_audit(member, "admin")
    assert entry.action == "create"
    assert entry.before is None
    assert entry.after["role"] == "co_opted"
    assert entry.after["valid_from"] == "2026-12-01"


def test_a_member_seated_twice_is_refused_in_swedish(web_as: Any, gov: Any, demo: Any) -> None:
    url = reverse("governance:member_add", args=[gov.itr.pk])
    client = web_as("admin")
    _refused_in_swedish(
        client,
        url,
        _member_add_data(demo, "radsmedlem"),
        "Personen är redan ledamot i forumet under perioden.",
    )
    _refused_in_swedish(
        client, url, {"role": "member", "valid_from": "x"}, "Välj person, roll och datum."
    )


@pytest.mark.parametrize("actor", [*OUTSIDERS, "radsmedlem"])
def test_member_add_refused_to_others(web_as: Any, gov: Any, demo: Any, actor: str) -> None:
    _refused_404(
        web_as,
        actor,
        reverse("governance:member_add", args=[gov.sr.pk]),
        _member_add_data(demo, "sakerhet"),
    )


def _itr_seat(gov: Any) -> Any:
    from itfabrik.governance.models import ForumMember

    return ForumMember.objects.get(forum=gov.itr, user=gov.rolf)


def test_admin_ends_a_membership_audited(web_as: Any, gov: Any) -> None:
    seat = _itr_seat(gov)
    r = web_as("admin").post(
        reverse("governance:member_end", args=[seat.pk]),
        {"version": seat.version, "valid_to": "2026-12-31"},
        follow=True,
    )
    assert "Ledamoten har lämnat forumet." in r.content.decode()
    seat.refresh_from_db()
    assert seat.valid_to == dt.date(2026, 12, 31)
    entry = _last_audit(seat, "admin")
    assert entry.action == "update"
    assert (entry.before["valid_to"], entry.after["valid_to"]) == (None, "2026-12-31")


def test_a_membership_ending_before_it_began_is_refused(web_as: Any, gov: Any) -> None:
    seat = _itr_seat(gov)
    url = reverse("governance:member_end", args=[seat.pk])
    client = web_as("admin")
    _refused_in_swedish(
        client,
        url,
        {"version": seat.version, "valid_to": "2024-01-01"},
        "Slutdatumet kan inte vara före startdatumet.",
    )
    _refused_in_swedish(
        client, url, {"version": seat.version, "valid_to": "igår"}, "Ange sista dag som ÅÅÅÅ-MM-DD."
    )


@pytest.mark.parametrize("actor", [*OUTSIDERS, "radsmedlem"])
def test_member_end_refused_to_others(web_as: Any, gov: Any, actor: str) -> None:
    seat = _itr_seat(gov)
    _refused_404(
        web_as,
        actor,
        reverse("governance:member_end", args=[seat.pk]),
        {"version": seat.version, "valid_to": "2026-12-31"},
    )


# --- the agenda and the minutes -------------------------------------------------------------


def _mellerud_meeting(gov: Any) -> Any:
    from itfabrik.governance.models import Meeting

    return Meeting.objects.get(forum=gov.mellerud, held_on=dt.date(2026, 10, 7))


def test_a_council_member_adds_and_edits_an_agenda_item_audited(web_as: Any, gov: Any) -> None:
    from itfabrik.governance.models import AgendaItem

    meeting = gov.open_itr_meeting()
    client = web_as("radsmedlem")
    r = client.post(
        reverse("governance:agenda_item_add", args=[meeting.pk]),
        {"title": "  Budget 2027  ", "description": "Underlag bifogas."},
        follow=True,
    )
    assert "Punkten är tillagd." in r.content.decode()
    item = AgendaItem.objects.get(meeting=meeting, title="Budget 2027")
    assert item.description == "Underlag bifogas."
    entry = _last_audit(item, "radsmedlem")
    assert (entry.action, entry.before, entry.after["title"]) == ("create", None, "Budget 2027")

    r = client.post(
        reverse("governance:agenda_item", args=[item.pk]),
        {
            "version": item.version,
            "title": "Budget 2027",
            "description": "Underlag bifogas.",
            "minutes": "Rådet diskuterade budgeten.",
        },
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Rådet diskuterade budgeten."
    entry = _last_audit(item, "radsmedlem")
    assert entry.action == "update"
    assert (entry.before["minutes"], entry.after["minutes"]) == ("", "Rådet diskuterade budgeten.")
    assert entry.changed_fields == ["minutes", "version"]


def test_bad_agenda_input_is_refused_in_swedish(web_as: Any, gov: Any) -> None:
    meeting = gov.open_itr_meeting()
    client = web_as("radsmedlem")
    _refused_in_swedish(
        client,
        reverse("governance:agenda_item_add", args=[meeting.pk]),
        {"title": "   "},
        "Ange en rubrik för punkten.",
    )
    item = _mellerud_meeting(gov).items.first()
    _refused_in_swedish(
        client,
        reverse("governance:agenda_item", args=[item.pk]),
        {"version": item.version, "title": "", "description": "", "minutes": ""},
        "Det här fältet är obligatoriskt.",
    )
    # A meeting whose minutes are approved takes no new items.
    approved = gov.approved_decision().meeting
    _refused_in_swedish(
        client,
        reverse("governance:agenda_item_add", args=[approved.pk]),
        {"title": "För sent"},
        "Protokollet är justerat och kan inte ändras.",
    )


@pytest.mark.parametrize("actor", OUTSIDERS)
def test_agenda_writes_refused_to_others(web_as: Any, gov: Any, actor: str) -> None:
    meeting = _mellerud_meeting(gov)
    item = meeting.items.first()
    _refused_404(
        web_as, actor, reverse("governance:agenda_item_add", args=[meeting.pk]), {"title": "X"}
    )
    _refused_404(
        web_as,
        actor,
        reverse("governance:agenda_item", args=[item.pk]),
        {"version": item.version, "title": "X", "description": "", "minutes": ""},
    )


def test_a_council_member_approves_the_minutes_audited(web_as: Any, gov: Any) -> None:
    meeting = _mellerud_meeting(gov)
    assert meeting.status == "planned"
    r = web_as("radsmedlem").post(
        reverse("governance:meeting_approve", args=[meeting.pk]),
        {"version": meeting.version},
        follow=True,
    )
    assert "Protokollet är justerat. Besluten är nu slutgiltiga." in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "approved"
    assert meeting.approved_by == gov.rolf
    assert meeting.approved_on is not None
    entry = _last_audit(meeting, "radsmedlem")
    assert (entry.before["status"], entry.after["status"]) == ("planned", "approved")
    assert (entry.before["approved_by_id"], entry.after["approved_by_id"]) == (None, gov.rolf.pk)


def test_minutes_of_a_meeting_not_yet_held_are_not_approved(web_as: Any, gov: Any) -> None:
    meeting = gov.open_itr_meeting()
    url = reverse("governance:meeting_approve", args=[meeting.pk])
    client = web_as("radsmedlem")
    _refused_in_swedish(
        client, url, {"version": meeting.version}, "Protokollet kan inte justeras före mötet."
    )
    _refused_in_swedish(client, url, {}, "Sidan var för gammal. Försök igen.")


@pytest.mark.parametrize("actor", OUTSIDERS)
def test_minutes_approval_refused_to_others(web_as: Any, gov: Any, actor: str) -> None:
    meeting = _mellerud_meeting(gov)
    _refused_404(
        web_as,
        actor,
        reverse("governance:meeting_approve", args=[meeting.pk]),
        {"version": meeting.version},
    )


# --- decisions: status and links ------------------------------------------------------------


def test_a_council_member_follows_a_decision_up_audited(web_as: Any, gov: Any) -> None:
    decision = gov.approved_decision()
    assert decision.status == "carried_out"
    r = web_as("radsmedlem").post(
        reverse("governance:decision_status", args=[decision.pk]),
        {"version": decision.version, "status": "followed_up"},
        follow=True,
    )
    assert "Statusen är ändrad." in r.content.decode()
    decision.refresh_from_db()
    assert decision.status == "followed_up"
    entry = _last_audit(decision, "radsmedlem")
    assert (entry.before["status"], entry.after["status"]) == ("carried_out", "followed_up")


def test_a_status_moved_backwards_is_refused_in_swedish(web_as: Any, gov: Any) -> None:
    decision = gov.approved_decision()
    url = reverse("governance:decision_status", args=[decision.pk])
    client = web_as("radsmedlem")
    _refused_in_swedish(
        client,
        url,
        {"version": decision.version, "status": "decided"},
        "Statusen kan bara flyttas framåt",
    )
    _refused_in_swedish(
        client, url, {"version": decision.version, "status": "okänd"}, "Välj en status."
    )


@pytest.mark.parametrize("actor", OUTSIDERS)
def test_decision_status_refused_to_others(web_as: Any, gov: Any, actor: str) -> None:
    decision = gov.approved_decision()
    _refused_404(
        web_as,
        actor,
        reverse("governance:decision_status", args=[decision.pk]),
        {"version": decision.version, "status": "followed_up"},
    )


def _mellerud_decision(gov: Any) -> Any:
    from itfabrik.governance.models import Decision

    return Decision.objects.get(forum=gov.mellerud)


def _price_list(demo: Any) -> Any:
    from itfabrik.catalog.models import PriceList

    return PriceList.objects.filter(cooperation=demo.cooperation).order_by("valid_from").first()


def test_a_council_member_links_a_decision_audited(web_as: Any, gov: Any, demo: Any) -> None:
    decision = _mellerud_decision(gov)
    price_list = _price_list(demo)
    assert not decision.links.exists()
    r = web_as("radsmedlem").post(
        reverse("governance:decision_link_add", args=[decision.pk]),
        {"target": f"price_list:{price_list.pk}"},
        follow=True,
    )
    assert "Länken är tillagd." in r.content.decode()
    link = decision.links.get()
    assert (link.kind, link.object_id) == ("price_list", price_list.pk)
    entry = _last_audit(link, "radsmedlem")
    assert entry.action == "create"
    assert entry.before is None
    assert (entry.after["decision_id"], entry.after["object_id"]) == (decision.pk, price_list.pk)


def test_bad_links_are_refused_in_swedish(web_as: Any, gov: Any, demo: Any) -> None:
    client = web_as("radsmedlem")
    decision = _mellerud_decision(gov)
    url = reverse("governance:decision_link_add", args=[decision.pk])
    _refused_in_swedish(client, url, {"target": "price_list:987654321"}, "Välj ett objekt.")
    # A final decision's links are as final as its text.
    final = gov.approved_decision()
    _refused_in_swedish(
        client,
        reverse("governance:decision_link_add", args=[final.pk]),
        {"target": f"price_list:{_price_list(demo).pk}"},
        "kan inte ändras",
    )


@pytest.mark.parametrize("actor", OUTSIDERS)
def test_decision_links_refused_to_others(web_as: Any, gov: Any, demo: Any, actor: str) -> None:
    decision = _mellerud_decision(gov)
    _refused_404(
        web_as,
        actor,
        reverse("governance:decision_link_add", args=[decision.pk]),
        {"target": f"price_list:{_price_list(demo).pk}"},
    )


# --- the agreement and its evaluations ------------------------------------------------------


def _agreement_data(client: Any, **changes: Any) -> dict[str, Any]:
    form = client.get(reverse("governance:agreement_edit")).context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is None:
            value = ""
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = value
    data.update(changes)
    return data


def test_admin_edits_the_agreement_audited(web_as: Any, demo: Any) -> None:
    from itfabrik.governance.models import Agreement

    agreement = Agreement.objects.get(cooperation=demo.cooperation)
    old = agreement.notice_months
    client = web_as("admin")
    r = client.post(
        reverse("governance:agreement_edit"),
        _agreement_data(client, notice_months=old + 6),
        follow=True,
    )
    assert "Avtalet är sparat." in r.content.decode()
    agreement.refresh_from_db()
    assert agreement.notice_months == old + 6
    entry = _last_audit(agreement, "admin")
    assert (entry.before["notice_months"], entry.after["notice_months"]) == (old, old + 6)
    assert entry.changed_fields == ["notice_months", "version"]


def test_bad_agreement_input_is_refused_in_swedish(web_as: Any) -> None:
    client = web_as("admin")
    before = db_state()
    r = client.post(
        reverse("governance:agreement_edit"),
        _agreement_data(client, title="", notice_months="-1"),
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Det här fältet är obligatoriskt." in html
    assert_unchanged(before)


@pytest.mark.parametrize("actor", [*OUTSIDERS, "radsmedlem"])
def test_agreement_edit_refused_to_others(web_as: Any, actor: str) -> None:
    data = _agreement_data(web_as("admin"), notice_months=99)
    _refused_404(web_as, actor, reverse("governance:agreement_edit"), data)


def test_admin_plans_and_completes_an_evaluation_audited(web_as: Any, demo: Any) -> None:
    from itfabrik.governance.models import Evaluation

    client = web_as("admin")
    r = client.post(
        reverse("governance:evaluation_create"),
        {"due_on": "2027-09-30", "description": "Servicedeskens första år"},
        follow=True,
    )
    assert "Utvärderingen är planerad." in r.content.decode()
    evaluation = Evaluation.objects.get(description="Servicedeskens första år")
    assert evaluation.due_on == dt.date(2027, 9, 30)
    entry = _last_audit(evaluation, "admin")
    assert (entry.action, entry.before, entry.after["due_on"]) == ("create", None, "2027-09-30")

    r = client.post(
        reverse("governance:evaluation_done", args=[evaluation.pk]),
        {"version": evaluation.version, "done_on": "2027-09-15", "outcome": "Nöjda parter."},
        follow=True,
    )
    assert "Utvärderingen är genomförd." in r.content.decode()
    evaluation.refresh_from_db()
    assert (evaluation.done_on, evaluation.outcome) == (dt.date(2027, 9, 15), "Nöjda parter.")
    entry = _last_audit(evaluation, "admin")
    assert (entry.before["done_on"], entry.after["done_on"]) == (None, "2027-09-15")


def test_bad_evaluation_input_is_refused_in_swedish(web_as: Any, demo: Any) -> None:
    from itfabrik.governance.models import Evaluation

    client = web_as("admin")
    _refused_in_swedish(
        client,
        reverse("governance:evaluation_create"),
        {"due_on": "2027-09-30", "description": ""},
        "Ange datum och vad som utvärderas.",
    )
    evaluation = Evaluation.objects.filter(done_on__isnull=True).order_by("due_on").first()
    _refused_in_swedish(
        client,
        reverse("governance:evaluation_done", args=[evaluation.pk]),
        {"version": evaluation.version, "done_on": "2027-09-15", "outcome": "  "},
        "Ange datum och resultat.",
    )


@pytest.mark.parametrize("actor", [*OUTSIDERS, "radsmedlem"])
def test_evaluation_writes_refused_to_others(web_as: Any, demo: Any, actor: str) -> None:
    from itfabrik.governance.models import Evaluation

    _refused_404(
        web_as,
        actor,
        reverse("governance:evaluation_create"),
        {"due_on": "2027-09-30", "description": "Servicedeskens första år"},
    )
    evaluation = Evaluation.objects.filter(done_on__isnull=True).order_by("due_on").first()
    _refused_404(
        web_as,
        actor,
        reverse("governance:evaluation_done", args=[evaluation.pk]),
        {"version": evaluation.version, "done_on": "2027-09-15", "outcome": "Klart."},
    )
