"""The pure rules of the e-mail channel, with hypothesis where a property says more."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.mailchannel import parsing, rules
from itfabrik.servicedesk.rules import format_reference

references = st.builds(format_reference, st.integers(2000, 2099), st.integers(1, 999_999))
titles = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)
mids = st.from_regex(r"<[a-z0-9.]{1,12}@[a-z]{1,8}\.se>", fullmatch=True)


@given(references, titles, st.sampled_from(["", "Mottaget:", "Löst:"]))
def test_a_reference_put_in_a_subject_is_found_again(ref: str, title: str, prefix: str) -> None:
    subject = rules.subject_with_reference(ref, title, prefix)
    assert rules.find_reference(subject) == ref
    assert rules.find_reference("Re: SV: " + subject) == ref
    assert subject.count(ref) == 1


def test_a_reference_already_in_the_title_is_not_repeated() -> None:
    subject = rules.subject_with_reference("SD-2026-000123", "Re: [SD-2026-000123] Skrivaren")
    assert subject == "[SD-2026-000123] Re: Skrivaren"


def test_no_reference_in_an_ordinary_subject() -> None:
    assert rules.find_reference("Skrivaren SD-26-1 och SD-2026-12") is None


@given(st.lists(mids, max_size=30))
def test_references_header_keeps_the_root_and_the_newest(chain: list[str]) -> None:
    out = rules.references_header(chain)
    unique = list(dict.fromkeys(chain))
    assert len(out) == min(len(unique), rules.MAX_REFERENCES)
    assert len(set(out)) == len(out)
    if unique:
        assert out[0] == unique[0]
        assert out[-1] == unique[-1]


def test_thread_candidates_look_at_in_reply_to_first_then_the_newest_reference() -> None:
    assert rules.thread_candidates(["<c@x>"], ["<a@x>", "<b@x>", "<c@x>"]) == [
        "<c@x>",
        "<b@x>",
        "<a@x>",
    ]


def test_message_ids_are_read_from_a_folded_header() -> None:
    assert rules.message_ids("<a@x.se>\r\n <b@x.se> junk <a@x.se>") == ["<a@x.se>", "<b@x.se>"]


def test_automatic_mail_is_recognised() -> None:
    assert rules.auto_reply_reason({"auto-submitted": "auto-replied"})
    assert rules.auto_reply_reason({"auto-submitted": "auto-generated; owner=x"})
    assert rules.auto_reply_reason({"auto-submitted": "no"}) is None
    for value in ("bulk", "junk", "list", "Bulk"):
        assert rules.auto_reply_reason({"precedence": value})
    assert rules.auto_reply_reason({"precedence": "first-class"}) is None
    assert rules.auto_reply_reason({"x-autoreply": "yes"})
    assert rules.auto_reply_reason({"x-auto-response-suppress": "All"})
    assert rules.auto_reply_reason({"return-path": "<>"})
    assert rules.auto_reply_reason({"content-type": "multipart/report; report-type=x"})
    assert rules.auto_reply_reason({}) is None


def test_a_loop_is_our_own_message_id_or_address() -> None:
    kw = {"own_domain": "itfabrik.test", "own_addresses": ["servicedesk@itfabrik.test"]}
    assert rules.loop_reason(message_id="<1.2@itfabrik.test>", sender="a@b.se", **kw)
    assert rules.loop_reason(message_id="<1@b.se>", sender="ServiceDesk@itfabrik.test", **kw)
    assert rules.loop_reason(message_id="<1@b.se>", sender="a@b.se", **kw) is None


def test_the_quoted_mail_below_the_marker_is_dropped() -> None:
    text = f"Nu fungerar det!\n\nDen 2 mars skrev Servicedesk:\n> {rules.REPLY_MARKER}\n> gammalt"
    assert rules.strip_quoted(text) == "Nu fungerar det!"
    assert rules.strip_quoted("Bara text\n> citat") == "Bara text\n> citat"
    # A client that does not quote: everything from our marker (the first line we sent) down.
    unquoted = f"Tack, nu går det.\n\n{rules.REPLY_MARKER}\n\nProva att starta om."
    assert rules.strip_quoted(unquoted) == "Tack, nu går det."


def test_attachment_limits() -> None:
    kw = {"max_bytes": 100, "allowed_types": ["application/pdf", "image/*"]}
    assert rules.attachment_refusal(size=10, content_type="application/pdf", **kw) is None
    assert rules.attachment_refusal(size=10, content_type="image/png", **kw) is None
    assert rules.attachment_refusal(size=101, content_type="image/png", **kw) == "size"
    assert rules.attachment_refusal(size=10, content_type="application/x-msdownload", **kw) == (
        "type"
    )


@given(st.integers(-3 * 86400, 3 * 86400))
def test_reported_at_is_never_in_the_future_nor_long_ago(offset: int) -> None:
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    sent = now + dt.timedelta(seconds=offset)
    got = rules.reported_at(sent, now)
    assert got <= now
    assert now - got <= dt.timedelta(days=1)
    assert got == (sent if -86400 <= offset <= 0 else now)


def test_parse_reads_headers_body_and_attachments() -> None:
    from .fixtures import make_mail

    raw = make_mail(
        message_id="<abc@klient.example>",
        in_reply_to="<x@itfabrik.test>",
        references="<r@a.se> <x@itfabrik.test>",
        attachments=[("skärm.png", "image/png", b"\x89PNG data")],
    )
    mail = parsing.parse(raw)
    assert mail.message_id == "<abc@klient.example>"
    assert mail.sender == "anvandare-fargelanda@itfabrik.example"
    assert mail.sender_name == "Fia"
    assert mail.in_reply_to == ["<x@itfabrik.test>"]
    assert mail.references == ["<r@a.se>", "<x@itfabrik.test>"]
    assert mail.text.startswith("Hej! Skrivaren har stannat.")
    assert [(a.filename, a.content_type, a.data) for a in mail.attachments] == [
        ("skärm.png", "image/png", b"\x89PNG data")
    ]


def test_parse_without_message_id_gives_a_stable_one() -> None:
    raw = b"From: a@b.se\r\nSubject: hej\r\n\r\ntext\r\n"
    first, second = parsing.parse(raw), parsing.parse(raw)
    assert first.message_id == second.message_id
    assert first.message_id.endswith("@no-message-id.invalid>")
    assert parsing.parse(raw + b"mer").message_id != first.message_id


def test_parse_html_only_mail() -> None:
    raw = (
        b"From: a@b.se\r\nSubject: hej\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>Hej <b>d\xc3\xa4r</b></p><script>x()</script><p>rad 2</p>\r\n"
    )
    assert parsing.parse(raw).text == "Hej där\nrad 2"


def test_without_dovecot_the_imap_tests_skip_but_fail_in_ci(monkeypatch: Any) -> None:
    import pytest

    from . import fixtures

    monkeypatch.setattr(fixtures, "DOVECOT", "/nonexistent/dovecot")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y dovecot-imapd"):
        fixtures._need_dovecot()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run them"):
        fixtures._need_dovecot()
