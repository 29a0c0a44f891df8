"""Governance's pages as a council member uses them, and the lists' query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from itfabrik.core.actors import SYSTEM
from itfabrik.core.tests import page_query_count
from itfabrik.governance import services
from itfabrik.governance.models import Decision, Matter

pytestmark = pytest.mark.django_db


def _more_decisions(gov: Any, n: int) -> None:
    meeting = gov.open_itr_meeting()
    for i in range(n):
        services.decision_create(
            actor=SYSTEM, meeting=meeting, title=f"Extra {i}", text="Text.", scope="cooperation"
        )


def test_the_decision_list_filters_exports_and_has_a_fixed_query_count(
    web_as: Any, gov: Any
) -> None:
    client = web_as("radsmedlem")
    url = reverse("governance:decisions")
    few, r = page_query_count(client, url)
    assert "ITR-2025-011" in r.content.decode()
    _more_decisions(gov, 15)
    many, _r = page_query_count(client, url)
    assert few == many
    r = client.get(url, {"forum": gov.mellerud.pk})
    html = r.content.decode()
    assert "MEL-2026-001" in html
    assert "ITR-2025-011" not in html
    r = client.get(url, {"scope": "municipality", "status": "decided", "format": "csv"})
    body = r.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Beslutsnummer;Datum;Forum")
    assert "ITR-2025-009" in body
    assert "ITR-2025-011" not in body
    r = client.get(url, {"format": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_forum_and_meeting_pages_have_fixed_query_counts(web_as: Any, gov: Any) -> None:
    client = web_as("radsmedlem")
    forum_url = reverse("governance:forum", args=[gov.itr.pk])
    meeting = gov.open_itr_meeting()
    meeting_url = reverse("governance:meeting", args=[meeting.pk])
    few_f, _ = page_query_count(client, forum_url)
    few_m, _ = page_query_count(client, meeting_url)
    _more_decisions(gov, 5)
    assert page_query_count(client, forum_url)[0] == few_f
    assert page_query_count(client, meeting_url)[0] == few_m


def test_a_council_member_registers_prepares_and_it_rad_decides_with_a_link(
    web_as: Any, gov: Any
) -> None:
    from itfabrik.catalog.models import PriceList

    client = web_as("radsmedlem")
    r = client.post(
        reverse("governance:matter_create", args=[gov.mellerud.pk]),
        {
            "kind": "need",
            "need_kind": "price",
            "title": "Prislista 2027",
            "description": "Nya priser behövs.",
        },
    )
    matter = Matter.objects.get(title="Prislista 2027")
    assert r.status_code == 302
    r = client.post(
        reverse("governance:matter", args=[matter.pk]),
        {"version": matter.version, "target_forum": gov.itr.pk, "proposal_text": "Fastställ."},
    )
    assert r.status_code == 302
    price_list = PriceList.objects.get(name="Prislista 2027")
    r = client.post(
        reverse("governance:decision_create", args=[gov.itr.pk]) + f"?arende={matter.pk}",
        {
            "meeting": gov.open_itr_meeting().pk,
            "title": "Prislista 2027",
            "text": "IT-rådet fastställer prislistan.",
            "scope": "cooperation",
            "links": [f"price_list:{price_list.pk}"],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    decision = Decision.objects.get(matter=matter)
    page = client.get(reverse("governance:decision", args=[decision.pk])).content.decode()
    assert decision.number in page
    assert "Prislista 2027" in page


def test_bad_input_names_the_field(web_as: Any, gov: Any) -> None:
    client = web_as("radsmedlem")
    count = Decision.objects.count()
    r = client.post(
        reverse("governance:decision_create", args=[gov.mellerud.pk]),
        {"title": "X", "text": "", "scope": "cooperation"},
    )
    assert r.status_code == 400
    assert Decision.objects.count() == count


def test_the_pdfs_download(web_as: Any, gov: Any) -> None:
    client = web_as("radsmedlem")
    d = gov.approved_decision()
    r = client.get(reverse("governance:meeting_pdf", args=[d.meeting_id]))
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    r = client.get(reverse("governance:agreement_pdf"))
    assert r.content.startswith(b"%PDF")


def test_admin_puts_dals_eds_joining_into_effect(web_as: Any, demo: Any) -> None:
    from itfabrik.governance.models import Amendment
    from itfabrik.tenancy.models import Membership

    client = web_as("admin")
    amendment = Amendment.objects.get(kind="join")
    page = client.get(reverse("governance:agreement")).content.decode()
    assert "Dals-Eds kommun" in page
    r = client.post(
        reverse("governance:amendment_apply", args=[amendment.pk]), {"version": amendment.version}
    )
    assert r.status_code == 302
    assert Membership.objects.filter(municipality=demo.node("Dals-Eds kommun")).exists()
