"""The report pages through the Django client: scope per page, the definition on the page,
charts with their tables, exports that parse back, fixed query counts, the start-page card."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from itfabrik.core.tests import home_panel, page_query_count

from .fixtures import PERIOD

REPORTS = ("sla", "backlog", "fcr", "volume", "deflection", "training", "satisfaction")


def _url(key: str, **extra: Any) -> str:
    return f"/servicedesk-rapporter/{key}/?{urlencode({**PERIOD, **extra})}"


@pytest.mark.parametrize("key", REPORTS)
def test_each_report_shows_definition_chart_table_and_exports(
    spring: Any, web_as: Any, key: str
) -> None:
    r = web_as("agent").get(_url(key))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="definition"' in html
    assert html.count('role="img"') >= 1
    assert "<title id=" in html
    assert "<desc id=" in html
    assert "<caption>" in html
    assert f"/servicedesk-rapporter/{key}/month.csv?" in html or ".csv?" in html


@pytest.mark.parametrize("username", ["anvandare-fargelanda", "ekonom", "bestallare-mellerud"])
@pytest.mark.parametrize("key", REPORTS)
def test_people_without_reports_get_404(web_as: Any, username: str, key: str) -> None:
    client = web_as(username)
    assert client.get(_url(key)).status_code == 404
    assert client.get(f"/servicedesk-rapporter/{key}/month.csv").status_code == 404


def test_index_and_unknown_report(web_as: Any) -> None:
    client = web_as("agent")
    assert client.get("/servicedesk-rapporter/").status_code == 200
    assert client.get("/servicedesk-rapporter/nosuch/").status_code == 404
    assert client.get("/servicedesk-rapporter/sla/nosuch.csv").status_code == 404
    assert client.get("/servicedesk-rapporter/sla/month.pdf").status_code == 404
    assert web_as("anvandare-fargelanda").get("/servicedesk-rapporter/").status_code == 404


def test_anonymous_is_sent_to_log_in(client: Any) -> None:
    r = client.get("/servicedesk-rapporter/sla/")
    assert r.status_code == 302
    assert "/konto/logga-in/" in r["Location"]


def test_csv_export_parses_back(spring: Any, web_as: Any) -> None:
    r = web_as("agent").get(f"/servicedesk-rapporter/sla/municipality.csv?{urlencode(PERIOD)}")
    assert r.status_code == 200
    assert r["Content-Disposition"] == (
        'attachment; filename="servicedesk-sla-municipality-2024-03-2024-04.csv"'
    )
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Kommun", "Lösta ärenden", "Svar i tid", "Löst i tid", "Båda i tid"]
    assert rows[1:] == [
        ["Bengtsfors kommun", "2", "2", "1", "1", "100,0", "50,0", "50,0"],
        ["Färgelanda kommun", "2", "1", "2", "1", "50,0", "100,0", "50,0"],
    ]


def test_xlsx_export_parses_back(spring: Any, web_as: Any) -> None:
    r = web_as("agent").get(f"/servicedesk-rapporter/volume/month.xlsx?{urlencode(PERIOD)}")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    assert rows == [
        ["Månad", "Portalen", "E-post", "Telefon", "Besök", "Totalt"],
        ["2024-03", 3, 1, 1, 0, 5],
        ["2024-04", 1, 0, 1, 1, 3],
    ]
    fcr = web_as("agent").get(f"/servicedesk-rapporter/fcr/month.xlsx?{urlencode(PERIOD)}")
    ws = load_workbook(io.BytesIO(fcr.content)).active
    assert ws is not None
    assert [list(r) for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ["2024-03", 3, 2, 66.7],
        ["2024-04", 1, 0, 0.0],
    ]


def test_satisfaction_exports_write_scores_with_two_decimals(spring: Any, web_as: Any) -> None:
    from itfabrik.satisfaction import services

    fia = spring.tickets["t1"].requester
    services.rating_submit(actor=fia, ticket=spring.tickets["t1"], score=4)
    client = web_as("agent")
    page = client.get(_url("satisfaction")).content.decode()
    assert "Nöjdhet per kommun" in page
    assert "4,00" in page
    r = client.get(f"/servicedesk-rapporter/satisfaction/month.csv?{urlencode(PERIOD)}")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Månad", "Lösta ärenden", "Betygsatta", "Svarsfrekvens (%)", "Medelbetyg (1–5)",
         "Låga betyg"],
        ["2024-03", "3", "1", "33,3", "4,00", "0"],
        ["2024-04", "1", "0", "0,0", "", "0"],
    ]  # fmt: skip
    xlsx = client.get(f"/servicedesk-rapporter/satisfaction/month.xlsx?{urlencode(PERIOD)}")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    assert [list(r) for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ["2024-03", 3, 1, 33.3, 4.0, 0],
        ["2024-04", 1, 0, 0.0, None, 0],
    ]
    assert ws.cell(row=2, column=5).number_format == "0.00"


def test_it_contact_sees_own_municipality_and_404_for_another(
    spring: Any, web_as: Any, client: Any, contact_of: Any
) -> None:
    contact = contact_of("Färgelanda kommun")
    client.force_login(contact)
    html = client.get(_url("sla")).content.decode()
    assert "Färgelanda kommun" in html
    assert "Bengtsfors kommun" not in html
    other = {"municipality": spring.bengtsfors.pk}
    assert client.get(_url("sla", **other)).status_code == 404
    assert (
        client.get(
            f"/servicedesk-rapporter/sla/month.csv?{urlencode({**PERIOD, **other})}"
        ).status_code
        == 404
    )
    own = client.get(
        f"/servicedesk-rapporter/sla/month.csv?"
        f"{urlencode({**PERIOD, 'municipality': spring.fargelanda.pk})}"
    )
    rows = list(csv.reader(io.StringIO(own.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [["2024-03", "2", "1", "2", "1", "50,0", "100,0", "50,0"]]


def test_council_member_of_a_municipality(spring: Any, client: Any, contact_of: Any) -> None:
    from itfabrik.core.roles import Role

    member = contact_of("Bengtsfors kommun", Role.COUNCIL_MEMBER)
    client.force_login(member)
    html = client.get(_url("deflection")).content.decode()
    assert "Bengtsfors kommun" in html
    assert "Färgelanda kommun" not in html


def test_bad_filter_is_a_clear_message_naming_the_field(web_as: Any) -> None:
    r = web_as("agent").get("/servicedesk-rapporter/sla/?from=mars&priority=P9")
    assert r.status_code == 400
    html = r.content.decode()
    assert "Ange en månad som ÅÅÅÅ-MM" in html
    assert 'href="#f-from"' in html
    assert 'aria-invalid="true"' in html


def test_empty_result_is_labelled(web_as: Any) -> None:
    html = web_as("agent").get(_url("sla")).content.decode()
    assert "Inga ärenden för perioden och filtret." in html


# Nine for the page around the report (session, user, grants, menu, start of the filter form's
# three option lists) and one aggregate per table (deflection: two per table, deflections and
# portal tickets; training: one per table, month and municipality).
@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("sla", 13),
        ("backlog", 11),
        ("fcr", 11),
        ("volume", 10),
        ("deflection", 13),
        ("training", 11),
    ],
)
def test_query_count_per_page_is_fixed(spring: Any, web_as: Any, key: str, expected: int) -> None:
    client = web_as("agent")
    client.get(_url(key))  # warm the session
    queries, _r = page_query_count(client, _url(key))
    assert queries == expected
    # More tickets, same number of queries: every figure is one aggregate.
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services

    from .fixtures import local

    for day in range(11, 16):
        services.ticket_create(
            actor=SYSTEM,
            requester=spring.tickets["t1"].requester,
            title="Fler",
            impact="low",
            urgency="low",
            channel="email",
            reported_at=local(2024, 3, day, 10, 0),
        )
    more, _r = page_query_count(client, _url(key))
    assert more == expected


def test_sla_card_on_the_start_page_for_team_leads(
    spring: Any, web_as: Any, client: Any, contact_of: Any
) -> None:
    from itfabrik.core.roles import Role

    lead = contact_of("Färgelanda kommun", Role.TEAM_LEAD, username="teamledare-test")
    client.force_login(lead)
    r = client.get("/")
    panel = home_panel(r, "deskreports.sla_month")
    assert panel is not None
    assert "totals" in panel
    assert "SLA denna månad" in r.content.decode()
    assert home_panel(web_as("agent").get("/"), "deskreports.sla_month") is None


def test_menu_entry(web_as: Any) -> None:
    html = web_as("agent").get("/").content.decode()
    assert 'href="/servicedesk-rapporter/"' in html
    assert 'href="/servicedesk-rapporter/"' not in web_as("ekonom").get("/").content.decode()
