"""Attachments: the content decides the type (not the name), the size limit is named, refused
files change nothing, downloads only for those who see the ticket, internal files staff only."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.servicedesk import selectors, services
from itfabrik.servicedesk.models import TicketAttachment
from itfabrik.servicedesk.sniff import sniff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("evil.exe", EXE)
    return buf.getvalue()


def test_sniffing_reads_the_content() -> None:
    assert sniff(PNG) == "image/png"
    assert sniff(PDF) == "application/pdf"
    assert sniff(_docx()).endswith("wordprocessingml.document")  # type: ignore[union-attr]
    assert sniff("Hej på dig, skrivaren står still.\n".encode()) == "text/plain"
    assert sniff(EXE) is None
    assert sniff(_zip()) is None  # a zip that is no office document
    assert sniff(b"") is None


@pytest.mark.django_db
def test_requester_and_agent_attach_and_download(
    web_as: Any, desk: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    ticket = desk.ticket()
    client = web_as("anvandare-fargelanda")
    r = client.post(
        f"/servicedesk/arenden/{ticket.pk}/bilagor/",
        {"file": SimpleUploadedFile("skärmdump.png", PNG, content_type="image/png")},
    )
    assert r.status_code == 302
    public = TicketAttachment.objects.get(ticket=ticket)
    assert public.content_type == "image/png"
    assert not public.internal
    assert "skärmdump" not in public.path  # a name nobody can guess
    assert len(public.path.rsplit("/", 1)[-1]) >= 30
    assert (tmp_path / public.path).read_bytes() == PNG
    assert AuditEntry.objects.filter(
        object_type="servicedesk.ticketattachment", object_id=str(public.pk)
    ).exists()
    agent = web_as("agent")
    r = agent.post(
        f"/servicedesk/arenden/{ticket.pk}/bilagor/",
        {"file": SimpleUploadedFile("logg.pdf", PDF), "internal": "on"},
    )
    internal = TicketAttachment.objects.get(ticket=ticket, internal=True)
    # The agent downloads both; the body is the file.
    r = agent.get(f"/servicedesk/bilagor/{internal.pk}/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    # The requester sees the public file but not the internal one, nor its name.
    requester = web_as("anvandare-fargelanda")
    assert requester.get(f"/servicedesk/bilagor/{public.pk}/").status_code == 200
    assert requester.get(f"/servicedesk/bilagor/{internal.pk}/").status_code == 404
    page = requester.get(f"/servicedesk/mina-arenden/{ticket.pk}/").content.decode()
    assert "skärmdump.png" in page
    assert "logg.pdf" not in page
    # Someone from another municipality: 404 for both.
    other = web_as("anvandare-bengtsfors")
    assert other.get(f"/servicedesk/bilagor/{public.pk}/").status_code == 404
    assert other.get(f"/servicedesk/bilagor/{internal.pk}/").status_code == 404


@pytest.mark.django_db
def test_refused_files_are_named_and_change_nothing(
    web_as: Any, desk: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.ITFABRIK_SERVICEDESK_ATTACHMENT_MAX_BYTES = 1024 * 1024
    ticket = desk.ticket()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.attachment_add(
            actor=desk.agent,
            ticket=ticket,
            upload=SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * (1024 * 1024)),
        )
    assert "högst 1 MB" in str(exc.value.fields["file"][0])
    with pytest.raises(ValidationFailed) as exc:
        # An executable that calls itself a PDF: the content decides.
        services.attachment_add(
            actor=desk.agent, ticket=ticket, upload=SimpleUploadedFile("faktura.pdf", EXE)
        )
    assert "Filtypen tas inte emot" in str(exc.value.fields["file"][0])
    with pytest.raises(Forbidden):
        services.attachment_add(
            actor=desk.fia,
            ticket=ticket,
            upload=SimpleUploadedFile("a.png", PNG),
            internal=True,
        )
    with pytest.raises(NotFound):
        services.attachment_add(
            actor=desk.bjorn, ticket=ticket, upload=SimpleUploadedFile("a.png", PNG)
        )
    r = web_as("agent").post(
        f"/servicedesk/arenden/{ticket.pk}/bilagor/",
        {"file": SimpleUploadedFile("script.pdf", EXE)},
        follow=True,
    )
    assert "Filtypen tas inte emot" in r.content.decode()
    assert_unchanged(before)
    assert not any(tmp_path.rglob("*.*"))
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_attachment_removed_by_staff_is_hidden(desk: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    ticket = desk.ticket()
    a = services.attachment_add(
        actor=desk.agent, ticket=ticket, upload=SimpleUploadedFile("fel.txt", b"fel fil\n")
    )
    with pytest.raises(Forbidden):
        services.attachment_remove(actor=desk.fia, attachment=a)
    services.attachment_remove(actor=desk.agent, attachment=a)
    assert list(selectors.attachment_list(actor=desk.agent, ticket=ticket)) == []
    with pytest.raises(NotFound):
        selectors.attachment_get(actor=desk.agent, pk=a.pk)
