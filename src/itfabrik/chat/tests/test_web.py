"""The chat's pages: the event stream (ids, resume from Last-Event-ID without loss or
duplicates), sending with and without a script, the queue with waiting times and a fixed query
count, and scope: another user's conversation is 404 everywhere, and refused writes change
nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from itfabrik.chat import rules, services
from itfabrik.chat.models import Conversation, Message
from itfabrik.core.tests import assert_unchanged, db_state, page_query_count

pytestmark = pytest.mark.django_db


def read_stream(client: Any, pk: int, **extra: Any) -> list[dict[str, str]]:
    r = client.get(f"/chatt/{pk}/strom/", **extra)
    assert r.status_code == 200
    assert r.streaming
    assert r["Content-Type"].startswith("text/event-stream")
    assert r["Cache-Control"] == "no-cache"
    return rules.parse_sse(b"".join(r.streaming_content).decode())


def message_events(events: list[dict[str, str]]) -> list[tuple[int, dict[str, Any]]]:
    return [(int(e["id"]), json.loads(e["data"])) for e in events if "id" in e]


def test_stream_sends_every_message_with_its_id_and_a_retry_hint(chat: Any) -> None:
    conv = chat.start()
    services.conversation_pick(actor=chat.agent, conversation=conv)
    services.message_send(actor=chat.agent, conversation=conv, body="Hej Fia!")
    events = read_stream(chat.client("anvandare-fargelanda"), conv.pk)
    assert events[0] == {"retry": str(rules.RETRY_MS)}
    got = message_events(events)
    ids = list(
        Message.objects.filter(conversation=conv).order_by("pk").values_list("pk", flat=True)
    )
    assert [i for i, _d in got] == ids
    assert all(e["event"] == "message" for e in events if "id" in e)
    first, picked, hello = (d for _i, d in got)
    assert (first["kind"], first["mine"]) == ("text", True)
    assert picked["kind"] == "picked"
    assert (hello["body"], hello["mine"], hello["author"]) == ("Hej Fia!", False, "Alva Andersson")


def test_reconnect_resumes_after_last_event_id_without_loss_or_duplicates(chat: Any) -> None:
    conv = chat.start()
    services.conversation_pick(actor=chat.agent, conversation=conv)
    client = chat.client("agent")
    seen = [i for i, _d in message_events(read_stream(client, conv.pk))]
    # While the browser is away, two messages arrive …
    services.message_send(actor=chat.fia, conversation=conv, body="ett")
    services.message_send(actor=chat.fia, conversation=conv, body="två")
    # … the reconnect names the last id it saw and gets exactly those two.
    resumed = message_events(read_stream(client, conv.pk, HTTP_LAST_EVENT_ID=str(seen[-1])))
    assert [d["body"] for _i, d in resumed] == ["ett", "två"]
    assert set(seen).isdisjoint(i for i, _d in resumed)
    # The header wins over the page's `efter`; `efter` alone works for the first connection.
    again = read_stream(client, conv.pk, HTTP_LAST_EVENT_ID=str(resumed[-1][0]))
    assert message_events(again) == []
    via_query = chat.client("agent").get(f"/chatt/{conv.pk}/strom/?efter={seen[-1]}")
    body = b"".join(via_query.streaming_content).decode()
    assert [d["body"] for _i, d in message_events(rules.parse_sse(body))] == ["ett", "två"]


def test_stream_of_another_users_chat_is_404(chat: Any) -> None:
    conv = chat.start()
    assert chat.client("anvandare-bengtsfors").get(f"/chatt/{conv.pk}/strom/").status_code == 404
    assert chat.client("tekniker").get(f"/chatt/{conv.pk}/strom/").status_code == 404
    assert chat.client("anvandare-bengtsfors").get(f"/chatt/{conv.pk}/").status_code == 404


def test_refused_writes_by_others_are_404_and_change_nothing(chat: Any) -> None:
    conv = chat.start()
    bjorn = chat.client("anvandare-bengtsfors")
    before = db_state()
    for action in ("skicka", "avsluta", "ta"):
        r = bjorn.post(f"/chatt/{conv.pk}/{action}/", {"body": "hej"})
        assert r.status_code == 404, action
    assert chat.client("tekniker").post(f"/chatt/{conv.pk}/ta/").status_code == 404
    assert chat.client("anvandare-fargelanda").post(f"/chatt/{conv.pk}/ta/").status_code == 403
    assert_unchanged(before)


def test_send_without_script_redirects_to_the_page_that_shows_it(chat: Any) -> None:
    conv = chat.start()
    client = chat.client("anvandare-fargelanda")
    r = client.post(f"/chatt/{conv.pk}/skicka/", {"body": "Är ni där?"})
    assert r.status_code == 302
    assert r["Location"] == f"/chatt/{conv.pk}/"
    page = client.get(f"/chatt/{conv.pk}/")
    html = page.content.decode()
    assert "Är ni där?" in html
    assert f'data-last-id="{page.context["last_id"]}"' in html
    assert page.context["last_id"] == Message.objects.filter(conversation=conv).latest("pk").pk


def test_send_with_script_answers_204_or_the_error(chat: Any) -> None:
    conv = chat.start()
    client = chat.client("anvandare-fargelanda")
    r = client.post(f"/chatt/{conv.pk}/skicka/", {"body": "hej"}, HTTP_X_REQUESTED_WITH="fetch")
    assert r.status_code == 204
    before = db_state()
    r = client.post(f"/chatt/{conv.pk}/skicka/", {"body": " "}, HTTP_X_REQUESTED_WITH="fetch")
    assert r.status_code == 400
    assert r.json()["error"] == "Skriv ett meddelande."
    assert_unchanged(before)


def test_start_outside_hours_through_the_page_changes_nothing(chat: Any) -> None:
    client = chat.client("anvandare-fargelanda")
    chat.close()
    before = db_state()
    r = client.post("/chatt/ny/", {"body": "hej"}, follow=True)
    assert "Chatten är stängd just nu." in r.content.decode()
    assert_unchanged(before)


def test_start_through_the_page(chat: Any) -> None:
    r = chat.client("anvandare-fargelanda").post("/chatt/ny/", {"body": "Skärmen är svart"})
    conv = Conversation.objects.get(topic="Skärmen är svart")
    assert r["Location"] == f"/chatt/{conv.pk}/"


def test_queue_lists_waiting_with_waiting_time_and_fixed_queries(chat: Any) -> None:
    client = chat.client("agent")
    chat.start(body="Första frågan")
    few, r = page_query_count(client, "/chatt/ko/")
    n = r.context["page"].paginator.count
    for i in range(3):
        chat.start(body=f"Fråga {i}")
    chat.start(user=chat.bjorn, body="Björns fråga")
    many, r = page_query_count(client, "/chatt/ko/")
    assert r.context["page"].paginator.count == n + 4
    assert few == many
    rows = r.context["rows"]
    assert [c.created_at for c, _m in rows] == sorted(c.created_at for c, _m in rows)
    assert all(minutes >= 0 for _c, minutes in rows)
    assert "Fråga 0" in r.content.decode()


def test_queue_is_for_agents_only(chat: Any) -> None:
    assert chat.client("anvandare-fargelanda").get("/chatt/ko/").status_code == 404
    assert chat.client("tekniker").get("/chatt/ko/").status_code == 404


def test_pick_through_the_page_then_the_second_agent_is_told(chat: Any) -> None:
    conv = chat.start()
    r = chat.client("agent").post(f"/chatt/{conv.pk}/ta/")
    assert r["Location"] == f"/chatt/{conv.pk}/"
    before = db_state()
    r = chat.client("admin").post(f"/chatt/{conv.pk}/ta/", follow=True)
    assert "Någon annan har redan tagit chatten" in r.content.decode()
    assert_unchanged(before)


def test_users_own_list_is_theirs_only(chat: Any) -> None:
    chat.start(body="Fias fråga")
    chat.start(user=chat.bjorn, body="Björns fråga")
    html = chat.client("anvandare-fargelanda").get("/chatt/").content.decode()
    assert "Fias fråga" in html
    assert "Björns fråga" not in html
