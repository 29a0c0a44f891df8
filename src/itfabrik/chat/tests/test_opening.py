"""Opening hours with fixed times: the chat follows "Servicedesk Dalsland" and names the next
opening in Swedish words; the portal offers the chat or the report form accordingly."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from itfabrik.chat import opening

pytestmark = pytest.mark.django_db
SE = ZoneInfo("Europe/Stockholm")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SE)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("moment", "is_open", "words"),
    [
        (at(2026, 3, 2, 10, 0), True, ""),  # Monday morning
        (at(2026, 3, 2, 7, 30), False, "i dag kl. 08.00"),
        (at(2026, 3, 2, 16, 30), False, "i morgon kl. 08.00"),  # closes 16:30 sharp
        (at(2026, 3, 6, 17, 0), False, "måndag 9 mars kl. 08.00"),  # Friday evening
        (at(2026, 3, 8, 12, 0), False, "i morgon kl. 08.00"),  # Sunday
        (at(2026, 6, 19, 10, 0), False, "måndag 22 juni kl. 08.00"),  # midsommarafton
        (at(2026, 12, 24, 9, 0), False, "måndag 28 december kl. 08.00"),  # julafton, juldagen…
    ],
)
def test_open_and_next_opening_in_words(
    demo: Any, moment: dt.datetime, is_open: bool, words: str
) -> None:
    state = opening.opening(demo.cooperation.pk, moment)
    assert state.is_open is is_open
    if is_open:
        assert state.next_opening is None
        return
    assert state.next_opening is not None
    with translation.override("sv"):
        assert opening.describe(state.next_opening, zone=state.timezone, at=moment) == words


def test_english_words(demo: Any) -> None:
    moment = at(2026, 3, 6, 17, 0)
    state = opening.opening(demo.cooperation.pk, moment)
    assert state.next_opening is not None
    with translation.override("en"):
        text = opening.describe(state.next_opening, zone=state.timezone, at=moment)
    assert text == "Monday 9 March at 08.00"


def test_without_the_calendar_the_chat_is_closed(demo: Any, settings: Any) -> None:
    settings.ITFABRIK_CHAT_CALENDAR = "Finns inte"
    state = opening.opening(demo.cooperation.pk, at(2026, 3, 2, 10, 0))
    assert (state.is_open, state.next_opening) == (False, None)


def test_portal_closed_names_the_opening_and_offers_the_form(chat: Any) -> None:
    chat.close()
    r = chat.client("anvandare-fargelanda").get("/chatt/")
    html = r.content.decode()
    assert "Den öppnar måndag 9 mars kl. 08.00." in html
    assert 'href="/servicedesk/anmal/"' in html
    assert 'name="body"' not in html


def test_portal_open_offers_the_chat(chat: Any) -> None:
    r = chat.client("anvandare-fargelanda").get("/chatt/")
    html = r.content.decode()
    assert 'action="/chatt/ny/"' in html
    assert "Den öppnar" not in html


def test_start_page_panel_follows_the_clock(chat: Any) -> None:
    from itfabrik.core.tests import home_panel

    client = chat.client("anvandare-fargelanda")
    assert home_panel(client.get("/"), "chat.chat")["open"] is True
    chat.close()
    panel = home_panel(client.get("/"), "chat.chat")
    assert panel["open"] is False
    assert panel["next"] == "måndag 9 mars kl. 08.00"


def test_the_clock_setting_needs_an_offset(settings: Any) -> None:
    settings.ITFABRIK_CHAT_NOW = "2026-03-02T10:00:00"
    with pytest.raises(ValueError, match="offset"):
        opening.now()
