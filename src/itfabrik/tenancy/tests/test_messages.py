"""Messages a person can act on (issue 13): future years, constraints in words, every error of a
submit at once, limits named, dates in the format they are asked for."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from itfabrik.core import constraints
from itfabrik.core.tests import assert_error, assert_unchanged, db_state
from itfabrik.tenancy.models import InhabitantCount, OrgNode

NBSP = "\xa0"


def _field(response: Any, name: str, status: int = 400) -> dict[str, str]:
    """The first message of a field in the API error, per language."""
    error = assert_error(response, status, "invalid")
    assert name in error["fields"], error
    return error["fields"][name][0]["messages"]  # type: ignore[no-any-return]


# --- 2. no inhabitants for a year that has not begun --------------------------------------------


def test_api_refuses_inhabitants_for_a_future_year(demo: Any, api_as: Any) -> None:
    node = demo.node("Melleruds kommun")
    url = f"/api/v1/organisations/{node.pk}/inhabitants/"
    next_year = timezone.localdate().year + 1
    admin = api_as("admin")
    before = db_state()
    r = admin.post(url, {"year": next_year, "inhabitants": 9000}, format="json")
    messages = _field(r, "year")
    assert messages["sv"] == (
        f"Invånarantal kan inte anges för ett kommande år (senast {next_year - 1})."
    )
    assert messages["en"] == (
        f"Inhabitants cannot be given for a year that has not begun ({next_year - 1} at the latest)."
    )
    assert_unchanged(before)
    # The year that is running is accepted (a preliminary count).
    ok = api_as("admin").post(url, {"year": next_year - 1, "inhabitants": 9000}, format="json")
    assert ok.status_code == 200, ok.content


def test_web_form_refuses_a_future_year_on_the_field(demo: Any, web_as: Any) -> None:
    node = demo.node("Melleruds kommun")
    r = web_as("admin").post(
        f"/organisation/{node.pk}/invanare/", {"year": 2099, "inhabitants": 9000, "source": "SCB"}
    )
    assert r.status_code == 200
    assert list(r.context["form"].errors) == ["year"]
    assert "kommande år" in r.context["form"].errors["year"][0]
    assert not InhabitantCount.objects.filter(municipality=node, year=2099).exists()


def test_inhabitant_limit_is_named_with_grouped_digits(demo: Any, api_as: Any) -> None:
    node = demo.node("Melleruds kommun")
    url = f"/api/v1/organisations/{node.pk}/inhabitants/"
    r = api_as("admin").post(url, {"year": 2099, "inhabitants": 20_000_000}, format="json")
    assert _field(r, "inhabitants") == {
        "sv": f"Ange högst 10{NBSP}000{NBSP}000 invånare.",
        "en": "Enter at most 10,000,000 inhabitants.",
    }
    # … and the future year in the same answer (6: every error at once).
    assert "year" in r.json()["error"]["fields"]


# --- 5. constraints in words, on the field, naming the existing object ---------------------------


def test_duplicate_cost_centre_names_the_unit_that_has_it(demo: Any, api_as: Any) -> None:
    existing = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    admin = api_as("admin")
    before = db_state()
    r = admin.post(
        "/api/v1/organisations/",
        {"parent": adm.pk, "kind": "unit", "name": "Ny", "cost_centre": existing.cost_centre},
        format="json",
    )
    assert _field(r, "cost_centre") == {
        "sv": f"Kostnadsställe {existing.cost_centre} används redan av Hemtjänst norr.",
        "en": f"The cost centre {existing.cost_centre} is already used by Hemtjänst norr.",
    }
    assert "tenancy_" not in r.content.decode()
    assert_unchanged(before)


def test_duplicate_municipal_code_on_edit_names_the_municipality(
    demo: Any, api_as: Any, web_as: Any
) -> None:
    mellerud = demo.node("Melleruds kommun")
    r = api_as("admin").patch(
        f"/api/v1/organisations/{mellerud.pk}/",
        {"version": mellerud.version, "municipal_code": "1492"},
        format="json",
    )
    assert _field(r, "municipal_code") == {
        "sv": "Kommunkoden 1492 används redan av Åmåls kommun.",
        "en": "The municipal code 1492 is already used by Åmåls kommun.",
    }
    page = web_as("admin").post(
        f"/organisation/{mellerud.pk}/andra/",
        {"version": mellerud.version, "name": mellerud.name, "municipal_code": "1492"},
    )
    assert page.context["form"].errors == {
        "municipal_code": ["Kommunkoden 1492 används redan av Åmåls kommun."]
    }
    assert "Begränsningen" not in page.content.decode()


def test_an_object_the_actor_cannot_see_is_not_named(demo: Any) -> None:
    """A cost centre taken by a unit outside the actor's view: said, but not by whom."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.actors import SYSTEM
    from itfabrik.core.errors import ValidationFailed
    from itfabrik.tenancy import services

    social = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    hidden = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    local_admin = account_services.user_create(
        actor=SYSTEM, username="lokal-admin", password=None, home_unit=social
    )
    school = demo.node("Barn- och utbildningsförvaltningen", municipality="Melleruds kommun")
    account_services.role_assign(
        actor=SYSTEM, user=local_admin, role=Role.COOPERATION_ADMIN, node=school
    )
    with pytest.raises(ValidationFailed) as caught:
        services.node_create(
            actor=local_admin,
            parent=school,
            kind="unit",
            name="Ny",
            cost_centre=hidden.cost_centre,
        )
    [message] = caught.value.fields["cost_centre"]
    assert str(message) == f"Kostnadsställe {hidden.cost_centre} används redan i kommunen."


def test_a_violation_the_database_reports_becomes_the_field_message(demo: Any) -> None:
    """Two writers at the same moment: the check passed for both, the database refuses one."""
    a = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    b = demo.node("Hemtjänst söder", municipality="Melleruds kommun")
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        OrgNode.objects.filter(pk=b.pk).update(cost_centre=a.cost_centre)
    b.cost_centre = a.cost_centre
    mapped = constraints.from_integrity_error(caught.value, b)
    assert mapped is not None
    assert len(mapped.fields["cost_centre"]) == 1
    assert mapped.as_dict()["fields"]["cost_centre"][0]["messages"] == {
        "sv": f"Kostnadsställe {a.cost_centre} används redan i kommunen.",
        "en": f"The cost centre {a.cost_centre} is already used in the municipality.",
    }


def test_membership_end_before_start_is_a_sentence_on_the_field(demo: Any) -> None:
    from itfabrik.core.errors import ValidationFailed
    from itfabrik.core.services import validate
    from itfabrik.tenancy.models import Membership

    membership = Membership.objects.filter(left_on__isnull=True).first()
    assert membership is not None
    membership.left_on = membership.joined_on - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        validate(membership)
    assert [str(m) for m in caught.value.fields["left_on"]] == [
        "Slutdatum kan inte vara före startdatum."
    ]


# --- 6. every error of a submit at once -----------------------------------------------------------

THREE_WRONG = {"name": "", "municipal_code": "149", "organisation_number": "123"}


def test_web_edit_gives_every_error_in_one_submit(demo: Any, web_as: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    before = db_state()
    r = web_as("admin").post(
        f"/organisation/{mellerud.pk}/andra/", {"version": mellerud.version, **THREE_WRONG}
    )
    assert r.status_code == 200
    assert set(r.context["form"].errors) == {"name", "municipal_code", "organisation_number"}
    html = r.content.decode()
    assert "Kommunkoden ska vara fyra siffror" in html
    assert "Organisationsnumret har fel format" in html
    assert_unchanged(before)


@pytest.mark.parametrize("method", ["patch", "post"])
def test_api_gives_every_error_in_one_answer(demo: Any, api_as: Any, method: str) -> None:
    mellerud = demo.node("Melleruds kommun")
    admin = api_as("admin")
    before = db_state()
    if method == "patch":
        r = admin.patch(
            f"/api/v1/organisations/{mellerud.pk}/",
            {"version": mellerud.version, **THREE_WRONG},
            format="json",
        )
    else:
        r = admin.post(
            "/api/v1/organisations/",
            {"parent": demo.cooperation.root.pk, "kind": "municipality", **THREE_WRONG},
            format="json",
        )
    fields = assert_error(r, 400, "invalid")["fields"]
    assert set(fields) == {"name", "municipal_code", "organisation_number"}, fields
    assert (
        fields["municipal_code"][0]["messages"]["en"]
        != fields["municipal_code"][0]["messages"]["sv"]
    )
    assert_unchanged(before)


# --- 9. long text is refused with the limit named, never cut ---------------------------------------


def test_api_refuses_a_long_name_naming_the_limit(demo: Any, api_as: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    admin = api_as("admin")
    before = db_state()
    r = admin.post(
        "/api/v1/organisations/",
        {"parent": adm.pk, "kind": "unit", "name": "x" * 5000},
        format="json",
    )
    assert _field(r, "name") == {
        "sv": "Texten är för lång: högst 200 tecken.",
        "en": "The text is too long: at most 200 characters.",
    }
    assert_unchanged(before)


def test_web_refuses_a_long_name_and_the_browser_does_not_cut_it(demo: Any, web_as: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    client = web_as("admin")
    form_page = client.get(f"/organisation/{adm.pk}/ny/").content.decode()
    assert 'data-maxlength="200"' in form_page
    assert "maxlength=" not in form_page.replace("data-maxlength=", "")
    before = db_state()
    r = client.post(f"/organisation/{adm.pk}/ny/", {"kind": "unit", "name": "x" * 5000})
    assert r.status_code == 200
    assert r.context["form"].errors["name"] == ["Texten är för lång: högst 200 tecken."]
    assert_unchanged(before)


# --- 5. dates: the format is said, no typo -------------------------------------------------------


def test_bad_date_says_the_format_in_both_languages(demo: Any, api_as: Any) -> None:
    r = api_as("admin").post(
        "/api/v1/memberships/",
        {
            "cooperation": demo.cooperation.pk,
            "municipality": demo.node("Dals-Eds kommun").pk,
            "joined_on": "1/7/2026",
        },
        format="json",
    )
    assert _field(r, "joined_on") == {
        "sv": "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-31.",
        "en": "Enter the date as YYYY-MM-DD, for example 2026-03-31.",
    }
    assert "Använde" not in json.dumps(r.json(), ensure_ascii=False)


def test_web_date_field_is_typed_as_iso_and_says_so(demo: Any, web_as: Any) -> None:
    client = web_as("admin")
    page = client.get("/medlemskap/").content.decode()
    assert 'type="date"' not in page
    assert "ÅÅÅÅ-MM-DD" in page
    r = client.post(
        "/medlemskap/", {"municipality": demo.node("Dals-Eds kommun").pk, "joined_on": "1/7/2026"}
    )
    assert r.context["form"].errors["joined_on"] == [
        "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-31."
    ]
