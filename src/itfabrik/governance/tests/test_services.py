"""Governance's services on the demo: numbering, final decisions, the matter flow from a local
council to IT-råd, the agreement's amendments and evaluation reminders, and the PDFs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from itfabrik.catalog.models import PriceList
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Forbidden, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.governance import pdf, selectors, services
from itfabrik.governance.choices import AmendmentKind, MatterStatus
from itfabrik.governance.models import Agreement, Amendment, Decision, GovernedLink, Matter
from itfabrik.tenancy.models import Membership

pytestmark = pytest.mark.django_db


def _decide(gov: Any, title: str = "Ett beslut", **kw: Any) -> Decision:
    return services.decision_create(
        actor=gov.rolf,
        meeting=gov.open_itr_meeting(),
        title=title,
        text=kw.pop("text", "Beslutstext."),
        scope=kw.pop("scope", "cooperation"),
        **kw,
    )


def test_decisions_are_numbered_per_forum_and_year_without_gaps(gov: Any) -> None:
    meeting = gov.open_itr_meeting()
    year = meeting.held_on.year
    before = Decision.objects.filter(forum=gov.itr, year=year).count()
    first = _decide(gov, "Första")
    with pytest.raises(ValidationFailed):
        _decide(gov, "Utan text", text="  ")  # refused: takes no number
    second = _decide(gov, "Andra")
    assert first.number == f"ITR-{year}-{before + 1:03d}"
    assert second.number == f"ITR-{year}-{before + 2:03d}"
    assert AuditEntry.objects.filter(object_type="governance.decision", object_id=str(first.pk))


def test_an_approved_decision_never_changes_and_a_correction_refers_to_it(gov: Any) -> None:
    old = gov.approved_decision()
    links = list(old.links.values_list("pk", flat=True))
    with pytest.raises(ValidationFailed) as exc:
        services.decision_update(
            actor=gov.rolf, decision=old, expected_version=old.version, text="Något annat"
        )
    assert exc.value.code == "decision_final"
    assert "ITR-2025-011" in str(exc.value.message)
    assert "nytt beslut" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        services.decision_link_remove(actor=gov.rolf, link=old.links.first())
    fresh = Decision.objects.get(pk=old.pk)
    assert fresh.text == old.text
    assert fresh.version == old.version
    assert list(fresh.links.values_list("pk", flat=True)) == links
    # Its follow-up goes on.
    services.decision_set_status(
        actor=gov.rolf, decision=fresh, expected_version=fresh.version, status="followed_up"
    )
    correction = _decide(gov, "Rättelse", corrects=fresh)
    assert correction.corrects_id == old.pk
    assert list(Decision.objects.get(pk=old.pk).corrections.all()) == [correction]


def test_status_never_moves_back(gov: Any) -> None:
    d = Decision.objects.get(number="ITR-2025-001")
    services.decision_set_status(
        actor=gov.rolf, decision=d, expected_version=d.version, status="carried_out"
    )
    d.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.decision_set_status(
            actor=gov.rolf, decision=d, expected_version=d.version, status="in_progress"
        )


def test_a_local_council_decides_only_for_its_own_municipality(gov: Any, demo: Any) -> None:
    meeting = services.meeting_create(
        actor=gov.rolf, forum=gov.mellerud, held_on=dt.date(2026, 12, 2)
    )
    with pytest.raises(ValidationFailed) as exc:
        services.decision_create(
            actor=gov.rolf, meeting=meeting, title="X", text="Y", scope="cooperation"
        )
    assert "scope" in exc.value.fields
    d = services.decision_create(
        actor=gov.rolf, meeting=meeting, title="X", text="Y", scope="municipality"
    )
    assert d.municipality == demo.node("Melleruds kommun")
    assert d.number.startswith("MEL-2026-")


def test_a_proposal_from_mellerud_is_decided_by_it_rad_and_links_the_new_price_list(
    gov: Any,
) -> None:
    matter = services.matter_register(
        actor=gov.rolf,
        forum=gov.mellerud,
        kind="need",
        need_kind="price",
        title="Nya priser 2027",
        description="Priserna behöver ses över.",
    )
    matter = services.matter_prepare(
        actor=gov.rolf,
        matter=matter,
        expected_version=matter.version,
        target_forum=gov.itr,
        proposal_text="IT-rådet fastställer prislistan för 2027.",
    )
    assert matter.status == MatterStatus.PREPARED
    assert list(selectors.matter_waiting_list(actor=gov.rolf, forum=gov.itr)) == [matter]
    price_list = PriceList.objects.get(name="Prislista 2027")
    decision = _decide(gov, "Prislista 2027", matter=matter, links=[("price_list", price_list.pk)])
    assert Matter.objects.get(pk=matter.pk).status == MatterStatus.DECIDED
    link = GovernedLink.objects.get(decision=decision)
    assert (link.kind, link.object_id) == ("price_list", price_list.pk)
    assert list(selectors.governing_decision_list(actor=gov.rolf, instance=price_list)) == [
        decision
    ]
    # The decided matter cannot be decided again.
    with pytest.raises(ValidationFailed):
        _decide(gov, "Igen", matter=Matter.objects.get(pk=matter.pk))


def test_a_link_to_an_unknown_kind_or_object_is_refused_and_nothing_is_written(gov: Any) -> None:
    count = Decision.objects.count()
    with pytest.raises(ValidationFailed):
        _decide(gov, "Fel", links=[("price_list", 987654321)])
    with pytest.raises(ValidationFailed):
        _decide(gov, "Fel", links=[("nothing", 1)])
    assert Decision.objects.count() == count


def test_minutes_once_approved_are_final(gov: Any) -> None:
    meeting = gov.open_itr_meeting()
    _decide(gov, "Något")
    meeting.refresh_from_db()
    services.meeting_approve_minutes(
        actor=gov.rolf,
        meeting=meeting,
        expected_version=meeting.version,
        approved_on=meeting.held_on,
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.meeting_update(
            actor=gov.rolf, meeting=meeting, expected_version=meeting.version, minutes="Ändrat"
        )
    with pytest.raises(ValidationFailed):
        services.agenda_item_add(actor=gov.rolf, meeting=meeting, title="Sent")


def test_a_finance_officer_sees_but_may_not_decide(gov: Any, demo: Any) -> None:
    with pytest.raises(Forbidden):
        services.decision_create(
            actor=demo.user("ekonom"),
            meeting=gov.open_itr_meeting(),
            title="X",
            text="Y",
            scope="cooperation",
        )


def test_dals_ed_joining_makes_it_a_party_and_a_member_from_its_date(gov: Any, demo: Any) -> None:
    amendment = Amendment.objects.get(kind=AmendmentKind.JOIN)
    dals_ed = demo.node("Dals-Eds kommun")
    assert amendment.applied_at is None
    assert not Membership.objects.filter(municipality=dals_ed).exists()
    services.amendment_apply(
        actor=gov.admin, amendment=amendment, expected_version=amendment.version
    )
    membership = Membership.objects.get(municipality=dals_ed)
    assert membership.joined_on == dt.date(2027, 1, 1)
    agreement = Agreement.objects.get()
    assert agreement.parties.filter(municipality=dals_ed, joined_on=dt.date(2027, 1, 1)).exists()
    amendment.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.amendment_apply(
            actor=gov.admin, amendment=amendment, expected_version=amendment.version
        )
    # Leaving again is an amendment too; the membership ends the day before.
    services.amendment_register(
        actor=gov.admin,
        agreement=agreement,
        kind=AmendmentKind.LEAVE,
        effective_on=dt.date(2029, 1, 1),
        municipality=dals_ed,
        description="Dals-Ed lämnar.",
    )
    assert Membership.objects.get(municipality=dals_ed).left_on == dt.date(2028, 12, 31)


def test_the_host_cannot_leave(gov: Any, demo: Any) -> None:
    agreement = Agreement.objects.get()
    count = agreement.amendments.count()
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_register(
            actor=gov.admin,
            agreement=agreement,
            kind=AmendmentKind.LEAVE,
            effective_on=dt.date(2029, 1, 1),
            municipality=demo.node("Åmåls kommun"),
            description="Åmål lämnar.",
        )
    assert "municipality" in exc.value.fields
    assert agreement.amendments.count() == count


def test_evaluation_reminders_go_out_once(gov: Any) -> None:
    gov.admin.email = "anna.admin@example.se"
    gov.admin.save(update_fields=["email"])
    assert services.evaluation_reminders_send(today=dt.date(2026, 12, 1)) == 1
    assert services.evaluation_reminders_send(today=dt.date(2026, 12, 1)) == 0


def test_reminder_mail_is_sent_after_commit(
    gov: Any, django_capture_on_commit_callbacks: Any
) -> None:
    gov.admin.email = "anna.admin@example.se"
    gov.admin.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_reminders_send(today=dt.date(2026, 12, 1))
    assert [m.to for m in mail.outbox] == [["anna.admin@example.se"]]
    assert "2026-12-15" in mail.outbox[0].subject


def test_the_minutes_pdf_embeds_a_font_with_swedish_letters(gov: Any) -> None:
    meeting = selectors.meeting_get(actor=gov.rolf, pk=gov.approved_decision().meeting_id)
    file = pdf.minutes_pdf(meeting, list(selectors.member_list(forum=meeting.forum)))
    assert file.data.startswith(b"%PDF")
    assert b"DejaVu" in file.data
    assert file.filename == "protokoll-itr-2025-11-19.pdf"


def test_the_agreement_has_every_section_of_the_pre_study(gov: Any) -> None:
    agreement = Agreement.objects.get()
    sections = pdf.agreement_sections(agreement, selectors.agreement_detail_get(agreement))
    assert [s for s, _ in sections] == [
        "Avtalsparter", "Bakgrund", "Syfte och gemensam målbild", "Avtalstid", "Åtaganden",
        "Omfattning och handlingar", "Ersättning", "Betalning och fakturering", "Tvistlösning",
        "Ändringar och tillägg till avtal", "Uppsägning och avveckling", "Styrning och ledning",
        "Verksamhetsstyrning och budget", "Fördelning av kostnader",
        "Investeringar och fastigheter", "Insyn i förvaltningen", "Arkivhantering",
        "Försäkringar", "Utvärdering av samarbetet", "Bilagor",
    ]  # fmt: skip
    body = dict(sections)
    assert "212000-1421" in body["Avtalsparter"]  # Färgelanda's organisation number
    assert "Bas-IT" in body["Fördelning av kostnader"]  # the linked allocation keys
    assert "24" in body["Uppsägning och avveckling"]
    assert pdf.agreement_pdf(agreement, selectors.agreement_detail_get(agreement)).data.startswith(
        b"%PDF"
    )


def test_the_demo_loads_through_services_only_once(gov: Any) -> None:
    assert SYSTEM is not None
    assert Decision.objects.filter(number="ITR-2026-003").count() == 1
