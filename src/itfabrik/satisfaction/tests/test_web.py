"""The pages: one-click rating in the portal, the signed link of the resolution mail (a GET never
writes; tampered or expired links refused), the figures against a hand-computed example with
their exports, the alerts; query counts fixed."""

from __future__ import annotations

import csv
import io
import json
import time
from typing import Any

import pytest
from django.core import signing

from itfabrik.core.tests import assert_unchanged, db_state, page_query_count
from itfabrik.satisfaction import services, tokens
from itfabrik.satisfaction.models import LowScoreAlert, Rating
from itfabrik.servicedesk.tests.fixtures import local

pytestmark = pytest.mark.django_db


# --- the portal ---------------------------------------------------------------------------------


def test_portal_lists_resolved_tickets_and_rates_with_one_click(web_as: Any, sat: Any) -> None:
    ticket = sat.resolved(title="Skärmen flimrar")
    client = web_as("anvandare-fargelanda")
    r = client.get("/nojdhet/")
    assert r.status_code == 200
    page = r.content.decode()
    assert ticket.reference in page
    assert f'action="/nojdhet/arenden/{ticket.pk}/"' in page
    assert page.count('name="score"') >= 5
    r = client.post(f"/nojdhet/arenden/{ticket.pk}/", {"score": "5"}, follow=True)
    assert r.status_code == 200
    assert "Tack för ditt betyg!" in r.content.decode()
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.score, rating.channel, rating.comment) == (5, "portal", "")
    assert "5 – mycket nöjd" in r.content.decode()


def test_a_double_submit_shows_the_first_answer_and_changes_nothing(web_as: Any, sat: Any) -> None:
    ticket = sat.resolved()
    client = web_as("anvandare-fargelanda")
    client.post(f"/nojdhet/arenden/{ticket.pk}/", {"score": "4", "comment": "Bra"})
    before = db_state()
    r = client.post(f"/nojdhet/arenden/{ticket.pk}/", {"score": "1"}, follow=True)
    assert "Du har redan betygsatt ärendet" in r.content.decode()
    assert "4 – nöjd" in r.content.decode()
    assert_unchanged(before)


def test_someone_elses_ticket_is_not_found_and_unchanged(web_as: Any, sat: Any) -> None:
    ticket = sat.resolved()
    before = db_state()
    for user in ("anvandare-bengtsfors", "agent", "admin"):
        client = web_as(user)
        assert client.get(f"/nojdhet/arenden/{ticket.pk}/").status_code == 404
        assert client.post(f"/nojdhet/arenden/{ticket.pk}/", {"score": "5"}).status_code == 404
    assert_unchanged(before)


def test_bad_input_names_the_field_and_changes_nothing(web_as: Any, sat: Any) -> None:
    ticket = sat.resolved()
    before = db_state()
    r = web_as("anvandare-fargelanda").post(f"/nojdhet/arenden/{ticket.pk}/", {"score": "9"})
    assert r.status_code == 400
    assert "Betyg:" in r.content.decode()
    assert_unchanged(before)


def test_comment_edit_from_the_rating_page(web_as: Any, sat: Any) -> None:
    ticket = sat.resolved()
    rating, _ = services.rating_submit(actor=sat.fia, ticket=ticket, score=3)
    client = web_as("anvandare-fargelanda")
    r = client.post(
        f"/nojdhet/arenden/{ticket.pk}/kommentar/",
        {"comment": "Det tog tid", "version": rating.version},
        follow=True,
    )
    assert "Kommentaren är sparad." in r.content.decode()
    assert Rating.objects.get(pk=rating.pk).comment == "Det tog tid"
    before = db_state()  # the same form again, from the stale page
    r = client.post(
        f"/nojdhet/arenden/{ticket.pk}/kommentar/",
        {"comment": "Annat", "version": rating.version},
    )
    assert r.status_code == 400
    assert_unchanged(before)


def test_portal_query_count_does_not_depend_on_rows(web_as: Any, sat: Any) -> None:
    client = web_as("anvandare-fargelanda")
    before, _r = page_query_count(client, "/nojdhet/")
    for score in (5, 4, 2):
        services.rating_submit(actor=sat.fia, ticket=sat.resolved(), score=score)
    sat.resolved()
    after, r = page_query_count(client, "/nojdhet/")
    assert after == before
    assert r.context["page"].paginator.count >= 4


# --- the signed link ----------------------------------------------------------------------------


def test_the_link_shows_five_buttons_and_a_get_never_writes(client: Any, sat: Any) -> None:
    ticket = sat.resolved()
    path = tokens.rating_link_path(ticket)
    before = db_state()
    r = client.get(path)
    assert r.status_code == 200
    page = r.content.decode()
    for label in ("1 – mycket missnöjd", "3 – varken eller", "5 – mycket nöjd"):
        assert label in page
    assert page.count('type="submit" name="score"') == 5
    assert_unchanged(before)


def test_the_link_rates_without_signing_in_and_only_once(client: Any, sat: Any) -> None:
    ticket = sat.resolved()
    path = tokens.rating_link_path(ticket)
    r = client.post(path, {"score": "2", "comment": "Felet är kvar"})
    assert r.status_code == 200
    assert "Tack för ditt betyg!" in r.content.decode()
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.score, rating.channel, rating.rated_by_id) == (2, "link", sat.fia.pk)
    assert LowScoreAlert.objects.filter(rating=rating).exists()
    before = db_state()
    r = client.post(path, {"score": "5"})
    assert "Du har redan betygsatt ärendet" in r.content.decode()
    assert "2 – missnöjd" in r.content.decode()
    assert_unchanged(before)


def _forge(ticket_id: int, requester_id: int, *, age_days: int = 0, salt: str = tokens.SALT) -> str:
    class Signer(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - age_days * 86400)

    return Signer(salt=salt).sign_object({"t": ticket_id, "r": requester_id}, compress=True)


def test_a_tampered_link_is_refused_and_changes_nothing(client: Any, sat: Any) -> None:
    ticket = sat.resolved()
    other = sat.resolved(sat.bjorn)
    good = tokens.make_token(ticket)
    forged = [
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),  # signature altered
        _forge(other.pk, sat.fia.pk, salt="another-purpose"),  # wrong salt
        "nonsense",
    ]
    # The payload swapped for another ticket's, the signature kept.
    _payload, rest = good.split(":", 1)
    swapped = json.dumps({"t": other.pk, "r": other.requester_id}).encode()
    forged.append(f"{signing.b64_encode(swapped).decode()}:{rest}")
    before = db_state()
    for token in forged:
        assert client.get(f"/nojdhet/lank/{token}/").status_code == 404, token
        assert client.post(f"/nojdhet/lank/{token}/", {"score": "1"}).status_code == 404
    assert_unchanged(before)


def test_a_link_for_another_requester_is_not_found(client: Any, sat: Any) -> None:
    """A properly signed link names the ticket and its requester: if the two no longer match
    (the requester was corrected) the link does nothing."""
    ticket = sat.resolved()
    token = _forge(ticket.pk, sat.bjorn.pk)
    before = db_state()
    assert client.post(f"/nojdhet/lank/{token}/", {"score": "5"}).status_code == 404
    assert_unchanged(before)


def test_an_expired_link_says_so_and_changes_nothing(client: Any, sat: Any, settings: Any) -> None:
    settings.ITFABRIK_SATISFACTION_LINK_DAYS = 30
    ticket = sat.resolved()
    fresh = _forge(ticket.pk, ticket.requester_id, age_days=29)
    assert client.get(f"/nojdhet/lank/{fresh}/").status_code == 200
    old = _forge(ticket.pk, ticket.requester_id, age_days=31)
    before = db_state()
    r = client.post(f"/nojdhet/lank/{old}/", {"score": "5"})
    assert r.status_code == 410
    assert "har gått ut" in r.content.decode()
    assert_unchanged(before)


# --- the figures --------------------------------------------------------------------------------


@pytest.fixture
def example(sat: Any, desk: Any) -> Any:
    """A hand-computed example in a period the demo does not touch (spring 2021).

    Färgelanda (Fia): three tickets resolved in March (one at 23:30 on 31 March, Swedish time,
    which is March although it is 21:30 UTC), rated 5 and 2 → 2 of 3 = 66.7 %, mean 3.50,
    one low. Bengtsfors (Björn): one resolved in April, rated 4 → 100 %, 4.00.
    Months: March 3 resolved, 2 rated, 3.50; April 1, 1, 4.00. In all: 4, 3, 75.0 %, 3.67.
    One more ticket resolved on 1 May is outside the period."""
    network = sat.groups["2:a linjen nätverk"]
    a = sat.resolved(reported=local(2021, 3, 1, 9), resolved=local(2021, 3, 1, 15))
    b = sat.resolved(reported=local(2021, 3, 10, 9), resolved=local(2021, 3, 11, 10))
    sat.resolved(reported=local(2021, 3, 31, 9), resolved=local(2021, 3, 31, 23, 30))
    c = sat.resolved(
        sat.bjorn, reported=local(2021, 4, 6, 9), resolved=local(2021, 4, 7, 10), group=network
    )
    d = sat.resolved(reported=local(2021, 4, 30, 9), resolved=local(2021, 5, 1, 0, 30))
    services.rating_submit(actor=sat.fia, ticket=a, score=5)
    services.rating_submit(actor=sat.fia, ticket=b, score=2)
    services.rating_submit(actor=sat.bjorn, ticket=c, score=4)
    services.rating_submit(actor=sat.fia, ticket=d, score=1)
    return {"start": "2021-03-01", "end": "2021-04-30"}


def _table(response: Any, dimension: str) -> dict[str, tuple[Any, ...]]:
    section = next(s for s in response.context["sections"] if s["dimension"] == dimension)
    return {
        r.label: (r.resolved, r.rated, r.response_rate, r.average, r.low) for r in section["rows"]
    }


def test_report_arithmetic_against_the_hand_computed_example(web_as: Any, example: Any) -> None:
    from decimal import Decimal as D

    r = web_as("admin").get("/nojdhet/rapport/", example)
    assert r.status_code == 200
    assert _table(r, "municipality") == {
        "Bengtsfors kommun": (1, 1, D("100.0"), D("4.00"), 0),
        "Färgelanda kommun": (3, 2, D("66.7"), D("3.50"), 1),
    }
    assert _table(r, "month") == {
        "2021-03": (3, 2, D("66.7"), D("3.50"), 1),
        "2021-04": (1, 1, D("100.0"), D("4.00"), 0),
    }
    assert _table(r, "group") == {
        "2:a linjen identitet": (3, 2, D("66.7"), D("3.50"), 1),
        "2:a linjen nätverk": (1, 1, D("100.0"), D("4.00"), 0),
    }
    assert _table(r, "service") == {"Ingen tjänst": (4, 3, D("75.0"), D("3.67"), 1)}
    total = r.context["sections"][0]["total"]
    assert (total.resolved, total.rated, total.response_rate, total.average) == (
        4,
        3,
        D("75.0"),
        D("3.67"),
    )
    page = r.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert "66,7 %" in page  # the bar's text in the chart


def test_report_exports(web_as: Any, example: Any) -> None:
    client = web_as("admin")
    r = client.get("/nojdhet/rapport/municipality.csv", example)
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('nojdhet-municipality-20210301-20210430.csv"')
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Kommun", "Lösta", "Betygsatta", "Svarsfrekvens (%)", "Medelbetyg"]
    assert rows[1:] == [
        ["Bengtsfors kommun", "1", "1", "100,0", "4,00", "0"],
        ["Färgelanda kommun", "3", "2", "66,7", "3,50", "1"],
    ]
    r = client.get("/nojdhet/rapport/month.xlsx", example)
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1] == ["2021-03", 3, 2, 66.7, 3.5, 1]
    assert client.get("/nojdhet/rapport/explode.csv").status_code == 404
    assert client.get("/nojdhet/rapport/month.pdf").status_code == 404


def test_a_municipalitys_it_contact_sees_only_their_municipality(
    web_as: Any, example: Any, demo: Any
) -> None:
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.actors import SYSTEM

    account_services.role_assign(
        actor=SYSTEM,
        user=demo.user("anvandare-bengtsfors"),
        role=Role.IT_CONTACT,
        node=demo.node("Bengtsfors kommun"),
    )
    client = web_as("anvandare-bengtsfors")
    r = client.get("/nojdhet/rapport/", example)
    assert r.status_code == 200
    assert _table(r, "municipality").keys() == {"Bengtsfors kommun"}
    r = client.get("/nojdhet/rapport/municipality.csv", example)
    assert "Färgelanda" not in r.content.decode("utf-8-sig")


def test_report_query_count_does_not_depend_on_rows(web_as: Any, example: Any, sat: Any) -> None:
    client = web_as("admin")
    before, _r = page_query_count(client, "/nojdhet/rapport/?start=2021-03-01&end=2021-04-30")
    for day in (12, 13, 14):
        t = sat.resolved(
            sat.bjorn, reported=local(2021, 4, day, 9), resolved=local(2021, 4, day, 14)
        )
        services.rating_submit(actor=sat.bjorn, ticket=t, score=3)
    after, _r = page_query_count(client, "/nojdhet/rapport/?start=2021-03-01&end=2021-04-30")
    assert after == before


def test_report_with_a_reversed_period_says_so(web_as: Any, demo: Any) -> None:
    r = web_as("admin").get("/nojdhet/rapport/", {"start": "2021-05-01", "end": "2021-03-01"})
    assert r.status_code == 200
    assert "Slutdatumet får inte vara före startdatumet." in r.content.decode()


# --- alerts -------------------------------------------------------------------------------------


def test_the_team_lead_sees_and_acknowledges_the_alert(web_as: Any, sat: Any) -> None:
    ticket = sat.resolved()
    services.rating_submit(actor=sat.fia, ticket=ticket, score=1, comment="Inget fungerar")
    lead = web_as("tekniker")
    r = lead.get("/")
    assert ticket.reference in r.content.decode()
    assert "Inget fungerar" in r.content.decode()
    r = lead.get("/nojdhet/larm/")
    assert ticket.reference in r.content.decode()
    alert = LowScoreAlert.objects.get(ticket=ticket)
    before = db_state()
    assert web_as("agent").post(f"/nojdhet/larm/{alert.pk}/kvittera/").status_code == 404
    assert_unchanged(before)
    lead = web_as("tekniker")  # web_as signs the one test client in as someone else
    r = lead.post(f"/nojdhet/larm/{alert.pk}/kvittera/", {"note": "Ringt"}, follow=True)
    assert "är kvitterat" in r.content.decode()
    assert LowScoreAlert.objects.get(pk=alert.pk).acknowledged_by.username == "tekniker"


def test_alerts_query_count_does_not_depend_on_rows(web_as: Any, sat: Any) -> None:
    client = web_as("admin")
    services.rating_submit(
        actor=sat.fia, ticket=sat.resolved(group=sat.groups["Microsoft 365"]), score=1
    )
    before, _r = page_query_count(client, "/nojdhet/larm/")
    for _ in range(3):
        services.rating_submit(
            actor=sat.fia, ticket=sat.resolved(group=sat.groups["Microsoft 365"]), score=2
        )
    after, r = page_query_count(client, "/nojdhet/larm/")
    assert after == before
    assert r.context["page"].paginator.count >= 4
