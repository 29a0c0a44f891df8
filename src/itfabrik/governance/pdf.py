"""Minutes and the cooperation agreement as PDF (fpdf2), with DejaVu Sans embedded: the PDF core
fonts are Latin-1 only, and names, dashes and quotes in Swedish minutes need more (å ä ö – ’ §)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"


@dataclass(frozen=True)
class PdfFile:
    filename: str
    content_type: str
    data: bytes


def _document(title: str) -> Any:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_lang("sv")
    pdf.set_creator("itfabrik")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    return pdf


def _heading(pdf: Any, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def _text(pdf: Any, text: str, size: int = 10) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.multi_cell(0, 5.5, text or "–", new_x="LMARGIN", new_y="NEXT")


def _slug(text: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(p for p in keep.split("-") if p)


def minutes_pdf(meeting: Any, members: Sequence[Any]) -> PdfFile:
    """The minutes of a meeting: who was there, every agenda item with its minutes and the
    decisions taken at it, and whether the minutes are approved."""
    forum = meeting.forum
    title = _("Protokoll %(forum)s %(date)s") % {
        "forum": forum.name,
        "date": meeting.held_on.isoformat(),
    }
    pdf = _document(title)
    _text(pdf, _("Plats: %(place)s") % {"place": meeting.location or "–"})
    _text(pdf, _("Status: %(status)s") % {"status": meeting.get_status_display()})
    if meeting.approved_on:
        who = meeting.approved_by.get_full_name() if meeting.approved_by else ""
        _text(
            pdf,
            _("Justerat %(date)s av %(who)s")
            % {"date": meeting.approved_on.isoformat(), "who": who},
        )
    _heading(pdf, _("Ledamöter"))
    _text(
        pdf,
        "\n".join(
            f"{m.user.get_full_name() or m.user.username}, {m.get_role_display()}"
            + (f" ({m.represents})" if m.represents else "")
            for m in members
        ),
    )
    if meeting.attendees:
        _heading(pdf, _("Närvarande"))
        _text(pdf, meeting.attendees)
    if meeting.minutes:
        _heading(pdf, _("Allmänt"))
        _text(pdf, meeting.minutes)
    decisions_by_item: dict[int, list[Any]] = {}
    for d in meeting.decisions.all():
        decisions_by_item.setdefault(d.agenda_item_id or 0, []).append(d)
    for item in meeting.items.all():
        _heading(pdf, f"§ {item.position} {item.title}")
        if item.description:
            _text(pdf, item.description)
        if item.minutes:
            _text(pdf, item.minutes)
        for d in decisions_by_item.get(item.pk, []):
            pdf.set_font(FAMILY, "B", 10)
            pdf.multi_cell(
                0,
                5.5,
                _("Beslut %(number)s (%(scope)s)")
                % {"number": d.number, "scope": d.get_scope_display()},
                new_x="LMARGIN",
                new_y="NEXT",
            )
            _text(pdf, d.text)
    name = f"protokoll-{_slug(forum.prefix)}-{meeting.held_on.isoformat()}.pdf"
    return PdfFile(name, "application/pdf", bytes(pdf.output()))


def agreement_sections(agreement: Any, detail: dict[str, Any]) -> list[tuple[str, str]]:
    """Every section the pre-study lists for the agreement (R6), in its order, as text."""
    parties = "\n".join(
        f"{p.municipality.name}, {_('organisationsnummer')} {p.organisation_number or '–'}, "
        f"{p.get_role_display()}, {_('från')} {p.joined_on.isoformat()}"
        + (f" {_('till')} {p.left_on.isoformat()}" if p.left_on else "")
        for p in detail["parties"]
    )
    term = _("Från %(start)s till %(end)s.") % {
        "start": agreement.starts_on.isoformat(),
        "end": agreement.ends_on.isoformat() if agreement.ends_on else _("tills vidare"),
    }
    if agreement.extension_terms:
        term += "\n" + agreement.extension_terms
    exit_text = "\n".join(
        t
        for t in (
            _("Uppsägningstid: %(n)s månader.") % {"n": agreement.notice_months},
            agreement.exit_process,
            (_("Avgifter vid utträde: ") + agreement.exit_fee) if agreement.exit_fee else "",
            (_("Vetorätt: ") + agreement.veto) if agreement.veto else "",
        )
        if t
    )
    keys = "\n".join(
        f"{k.pool.name}: {k.get_method_display()} "
        f"({_('från')} {k.valid_from.isoformat()}, {k.decision_reference})"
        for k in detail["keys"]
    )
    cost = agreement.cost_distribution + (
        "\n" + _("Gällande fördelningsnycklar:") + "\n" + keys if keys else ""
    )
    amendments = "\n".join(
        f"{a.number}. {a.get_kind_display()} {_('från')} {a.effective_on.isoformat()}"
        + (f", {a.municipality.name}" if a.municipality else "")
        + (f" ({a.decision.number})" if a.decision else "")
        + f": {a.description}"
        for a in detail["amendments"]
    )
    changes = agreement.amendment_procedure + (
        "\n" + _("Registrerade ändringar:") + "\n" + amendments if amendments else ""
    )
    evaluations = "\n".join(
        f"{e.due_on.isoformat()}: {e.description}"
        + (f" ({_('genomförd')} {e.done_on.isoformat()})" if e.done_on else "")
        for e in detail["evaluations"]
    )
    evaluation = agreement.evaluation + (
        "\n" + _("Planerade utvärderingar:") + "\n" + evaluations if evaluations else ""
    )
    return [
        (_("Avtalsparter"), parties),
        (_("Bakgrund"), agreement.background),
        (_("Syfte och gemensam målbild"), agreement.purpose),
        (_("Avtalstid"), term),
        (_("Åtaganden"), agreement.commitments),
        (_("Omfattning och handlingar"), agreement.scope_and_documents),
        (_("Ersättning"), agreement.compensation),
        (_("Betalning och fakturering"), agreement.payment_terms),
        (_("Tvistlösning"), agreement.disputes),
        (_("Ändringar och tillägg till avtal"), changes),
        (_("Uppsägning och avveckling"), exit_text),
        (_("Styrning och ledning"), agreement.governance),
        (_("Verksamhetsstyrning och budget"), agreement.budget),
        (_("Fördelning av kostnader"), cost),
        (_("Investeringar och fastigheter"), agreement.investments),
        (_("Insyn i förvaltningen"), agreement.insight),
        (_("Arkivhantering"), agreement.archiving),
        (_("Försäkringar"), agreement.insurance),
        (_("Utvärdering av samarbetet"), evaluation),
        (_("Bilagor"), agreement.appendices),
    ]


def agreement_pdf(agreement: Any, detail: dict[str, Any]) -> PdfFile:
    pdf = _document(agreement.title)
    for number, (heading, body) in enumerate(agreement_sections(agreement, detail), start=1):
        _heading(pdf, f"{number}. {heading}")
        _text(pdf, body)
    return PdfFile("samverkansavtal.pdf", "application/pdf", bytes(pdf.output()))
