"""Governance's part of the Dalsland demo, written through the services: the seven forums of R4/R5
with members, a year of IT-råd meetings (the decision ITR-2025-011 adopting the Bas-IT key and
ITR-2026-003 the 2026 price list, ITR-2026-002 the fund's key, ITR-2025-012…019 approving the
portfolio's initiatives and ITR-2026-008 accepting a risk, each linked to what it governs; the other
apps' demo data cite these numbers, so this step runs after portfolio and risks), the local
councils' matters,
the cooperation agreement (R6) with its parties, evaluation dates and Dals-Ed's joining as a
proposed amendment, and a draft "Prislista 2027" waiting for IT-råd's decision. Texts are
examples, not the municipalities' real decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from itfabrik.billing.models import AllocationKey
from itfabrik.catalog import services as catalog_services
from itfabrik.catalog.models import PriceList
from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step, governed_kind
from itfabrik.servicedesk.models import SlaPolicy

from . import services
from .choices import (
    AmendmentKind,
    DecisionScope,
    ForumKind,
    MatterKind,
    MemberRole,
    NeedKind,
    PartyRole,
)
from .models import Forum

IT_COUNCIL = "IT-råd Dalsland"
LOCAL = {"Bengtsfors": "BEN", "Färgelanda": "FAR", "Mellerud": "MEL", "Åmål": "AML"}
PRICE_LIST_2027 = "Prislista 2027"
# The initiatives IT-råd approved one by one (ITR-2025-013…019, after the programme's 012).
PORTFOLIO_APPROVALS = (
    "Gemensam e-tjänsteplattform",
    "Självservice för lösenord",
    "Digital signering i alla förvaltningar",
    "Trygghetslarm digitala",
    "Robotiserad ekonomihantering (RPA)",
    "Mobil hemtjänstplanering",
    "Gemensam skoladministration",
)
# The risk ITR-2026-008 accepts (risks/demo.py cites the number).
RISK_ACCEPTED = "Avtalet för Frånvaro Närvaro löper ut utan ersättare"

# (date, [(title, text, scope, municipality, governs)]) — ITR's numbers follow from the order.
ITR_MEETINGS: list[tuple[dt.date, list[tuple[str, str, str, str, str]]]] = [
    (
        dt.date(2025, 3, 12),
        [
            ("Arbetsordning för IT-råd Dalsland", "IT-rådet antar arbetsordningen.", "c", "", ""),
            ("Mötesplan 2025", "IT-rådet sammanträder fyra gånger under 2025.", "c", "", ""),
            (
                "Gemensam tjänstekatalog",
                "Förvaltningen tar fram en gemensam tjänstekatalog med fyra tjänsteområden.",
                "c",
                "",
                "",
            ),
        ],
    ),
    (
        dt.date(2025, 6, 11),
        [
            (
                "Gemensam servicedesk",
                "Ett ärendehanteringssystem och en väg in för alla fyra kommunerna.",
                "c",
                "",
                "",
            ),
            (
                "Servicenivåer för incidenter",
                "IT-rådet fastställer gemensamma servicenivåer "
                "för incidenter, ärenden och beställningar.",
                "c",
                "",
                "service_level",
            ),
            ("Supportens öppettider", "Supporten har öppet vardagar 07.30–16.30.", "c", "", ""),
        ],
    ),
    (
        dt.date(2025, 9, 17),
        [
            (
                "Gemensam VIP-lista",
                "En gemensam lista över prioriterade personer införs.",
                "c",
                "",
                "",
            ),
            (
                "Uppföljning av ekonomi per kommun",
                "Ekonomin följs upp kvartalsvis i de lokala IT-råden.",
                "c",
                "",
                "",
            ),
            (
                "Byte av nätverksutrustning i Mellerud",
                "Nätverksutrustningen i Melleruds kommunhus byts under hösten.",
                "m",
                "Mellerud",
                "",
            ),
        ],
    ),
    (
        dt.date(2025, 11, 19),
        [
            (
                "Budget för Bas-IT 2026",
                "Bas-IT (datacenter, nätverk och IT-säkerhet) budgeteras gemensamt för 2026.",
                "c",
                "",
                "",
            ),
            (
                "Fördelningsnyckel för Bas-IT",
                "Bas-IT fördelas lika mellan medlemskommunerna från 2026-01-01 (R8).",
                "c",
                "",
                "allocation_key",
            ),
        ],
    ),
    (
        # The 2026 portfolio (ITR-2025-012…019): portfolio/demo.py cites these numbers, and the
        # decisions link to the initiatives they approve.
        dt.date(2025, 12, 10),
        [
            (
                "Programmet IT-fabriken",
                "IT-rådet fastställer programmet IT-fabriken i fem faser: beslut i varje kommun, "
                "upphandling och rekrytering, kartläggning och ny plattform, migrering och "
                "driftstart.",
                "c",
                "",
                "initiative:Programmet:",
            ),
            *[
                (
                    title,
                    f"IT-rådet godkänner initiativet {title} i digitaliseringsportföljen.",
                    "c",
                    "",
                    f"initiative:{title}",
                )
                for title in PORTFOLIO_APPROVALS
            ],
        ],
    ),
    (
        dt.date(2026, 1, 14),
        [
            ("Mötesplan 2026", "IT-rådet sammanträder fem gånger under 2026.", "c", "", ""),
            (
                "Digitaliseringsfondens fördelning",
                "Digitaliseringsfonden fördelas efter invånarantal.",
                "c",
                "",
                "allocation_key:fund",
            ),
            (
                "Prislista 2026",
                "IT-rådet fastställer prislistan för 2026 (exempelpriser).",
                "c",
                "",
                "price_list",
            ),
        ],
    ),
    (
        dt.date(2026, 4, 15),
        [
            (
                "Kundnöjdhet per ärende",
                "Kundnöjdheten mäts för varje avslutat ärende.",
                "c",
                "",
                "",
            ),
            (
                "Platsbesök i förmiddags- och eftermiddagspass",
                "Besök bokas i pass om en förmiddag eller en eftermiddag.",
                "c",
                "",
                "",
            ),
        ],
    ),
    (
        dt.date(2026, 9, 16),
        [
            ("Delårsuppföljning", "IT-rådet godkänner delårsuppföljningen.", "c", "", ""),
            (
                "Åmåls skolor byter till delade elevdatorer",
                "Grundskolan i Åmål går över till delade elevdatorer från höstterminen.",
                "m",
                "Åmål",
                "",
            ),
            (
                "Riskacceptans: avtalet för Frånvaro Närvaro",
                "IT-rådet accepterar risken att avtalet för Frånvaro Närvaro i Åmål löper ut "
                "utan ersättare; risken följs upp halvårsvis.",
                "m",
                "Åmål",
                f"risk_acceptance:{RISK_ACCEPTED}",
            ),
        ],
    ),
]


def _links(coop: Any, governs: str, governed: dict[str, Any]) -> list[tuple[str, int]]:
    """What a demo decision links to: an object looked up above ("price_list",
    "allocation_key:fund"), or one of another app's registered kind found by its title
    ("initiative:<title>", a title ending in ':' meaning every title that starts so)."""
    if not governs:
        return []
    if governs in governed:
        target = governed[governs]
        return [(governs.partition(":")[0], target.pk)] if target is not None else []
    key, _sep, title = governs.partition(":")
    kind = governed_kind(key)
    if kind is None:  # the app that registers it is not installed
        return []
    found = kind.candidates(coop)
    if title.endswith(":"):
        found = found.filter(title__startswith=title)
    else:
        found = found.filter(title=title)
    return [(key, pk) for pk in found.order_by("pk").values_list("pk", flat=True)]


def _members(ctx: dict[str, Any]) -> dict[str, list[tuple[str, str, str]]]:
    """Forum name → (username, role, represents) of existing demo accounts."""
    return {
        "Samverkansrådet": [
            ("admin", MemberRole.SECRETARY, "IT- och digitaliseringsorganisationen")
        ],
        "Kommundirektörsgruppen": [("strateg", MemberRole.CO_OPTED, "Digitaliseringsenheten")],
        IT_COUNCIL: [
            ("radsmedlem", MemberRole.CHAIR, "Melleruds kommun"),
            ("strateg", MemberRole.SECRETARY, "Digitaliseringsenheten"),
            ("ekonom", MemberRole.CO_OPTED, "Ekonomi"),
        ],
        # Each local council seats people of its own municipality (accounts.demo's home units).
        "Lokalt IT-råd Åmål": [("radsmedlem", MemberRole.CHAIR, "Kommunledningskontoret")],
        "Lokalt IT-råd Mellerud": [
            ("bestallare-mellerud", MemberRole.CHAIR, "Socialförvaltningen"),
        ],
        "Lokalt IT-råd Bengtsfors": [
            ("anvandare-bengtsfors", MemberRole.MEMBER, "Barn- och utbildningsförvaltningen"),
        ],
        "Lokalt IT-råd Färgelanda": [
            ("anvandare-fargelanda", MemberRole.MEMBER, "Socialförvaltningen"),
        ],
    }


def is_loaded() -> bool:
    return Forum.objects.exists()


# After portfolio and risks: the decisions approving the initiatives and accepting a risk link them.
@demo_step(
    "governance",
    after=["accounts", "catalog", "billing", "servicedesk", "portfolio", "risks"],
    loaded=is_loaded,
)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    users = ctx["users"]
    since = dt.date(2025, 1, 1)

    def forum(kind: str, name: str, prefix: str, text: str, municipality: Any = None) -> Forum:
        return services.forum_create(
            actor=SYSTEM,
            cooperation=coop,
            kind=kind,
            name=name,
            prefix=prefix,
            municipality=municipality,
            description=text,
        )

    forums = {
        "Samverkansrådet": forum(
            ForumKind.COOPERATION_COUNCIL,
            "Samverkansrådet",
            "SR",
            "Visionär nivå: kommunstyrelsernas ordförande. Äger samverkansavtalet.",
        ),
        "Kommundirektörsgruppen": forum(
            ForumKind.DIRECTORS,
            "Kommundirektörsgruppen",
            "KDG",
            "Strategisk nivå: kommundirektörerna och förvaltningscheferna.",
        ),
        IT_COUNCIL: forum(
            ForumKind.IT_COUNCIL,
            IT_COUNCIL,
            "ITR",
            "Principbeslut för hela Dalsland: tjänster, servicenivåer, priser och fördelning.",
        ),
    }
    for name, prefix in LOCAL.items():
        forums[f"Lokalt IT-råd {name}"] = forum(
            ForumKind.LOCAL_COUNCIL,
            f"Lokalt IT-råd {name}",
            prefix,
            "Beslutar för kommunen, följer upp ekonomi och IT-utveckling, bereder ärenden till "
            "IT-rådet och fångar lokala behov.",
            municipality=nodes[name],
        )
    for forum_name, seats in _members(ctx).items():
        for username, role, represents in seats:
            services.member_add(
                actor=SYSTEM,
                forum=forums[forum_name],
                user=users[username],
                role=role,
                represents=represents,
                valid_from=since,
            )

    price_list_2026 = PriceList.objects.filter(cooperation=coop).order_by("valid_from").first()
    governed = {
        "price_list": price_list_2026,
        "allocation_key": AllocationKey.objects.filter(pool__cooperation=coop, pool__code="bas-it")
        .order_by("valid_from")
        .first(),
        "allocation_key:fund": AllocationKey.objects.filter(
            pool__cooperation=coop, pool__code="digitaliseringsfond"
        )
        .order_by("valid_from")
        .first(),
        "service_level": SlaPolicy.objects.filter(cooperation=coop).order_by("priority").first(),
    }
    itr = forums[IT_COUNCIL]
    decisions = {}
    for held_on, rows in ITR_MEETINGS:
        meeting = services.meeting_create(
            actor=SYSTEM, forum=itr, held_on=held_on, location="Åmåls kommunhus"
        )
        services.agenda_item_add(actor=SYSTEM, meeting=meeting, title="Mötets öppnande")
        for title, text, scope, municipality, governs in rows:
            decision = services.decision_create(
                actor=SYSTEM,
                meeting=meeting,
                title=title,
                text=text,
                scope=DecisionScope.COOPERATION if scope == "c" else DecisionScope.MUNICIPALITY,
                municipality=nodes[municipality] if municipality else None,
                links=_links(coop, governs, governed),
            )
            decisions[title] = decision
        meeting = services.meeting_update(
            actor=SYSTEM,
            meeting=meeting,
            expected_version=None,
            status="held",
            attendees="Ledamöterna enligt ledamotslistan.",
            minutes="Mötet förklarades öppnat. Dagordningen godkändes.",
        )
        services.meeting_approve_minutes(
            actor=SYSTEM,
            meeting=meeting,
            expected_version=None,
            approved_on=held_on + dt.timedelta(days=7),
        )
    for title in ("Gemensam servicedesk", "Servicenivåer för incidenter", "Gemensam VIP-lista"):
        services.decision_set_status(
            actor=SYSTEM, decision=decisions[title], expected_version=None, status="followed_up"
        )
    for title in ("Fördelningsnyckel för Bas-IT", "Prislista 2026"):
        services.decision_set_status(
            actor=SYSTEM, decision=decisions[title], expected_version=None, status="carried_out"
        )
    # The next IT-råd meeting, where the prepared matters are decided.
    today = timezone.localdate()
    services.meeting_create(
        actor=SYSTEM, forum=itr, held_on=today + dt.timedelta(days=10), location="Åmåls kommunhus"
    )

    mellerud = forums["Lokalt IT-råd Mellerud"]
    m_meeting = services.meeting_create(
        actor=SYSTEM, forum=mellerud, held_on=dt.date(2026, 10, 7), location="Melleruds kommunhus"
    )
    services.decision_create(
        actor=SYSTEM,
        meeting=m_meeting,
        title="Surfplattor i hemtjänsten",
        text="Hemtjänsten i Mellerud beställer surfplattor till alla arbetslag.",
        scope=DecisionScope.MUNICIPALITY,
    )
    services.matter_register(
        actor=SYSTEM,
        forum=mellerud,
        kind=MatterKind.NEED,
        need_kind=NeedKind.SERVICE_LEVEL,
        title="Längre öppettider i supporten för hemtjänsten",
        description="Hemtjänsten arbetar kvällar och helger och behöver support även då.",
    )
    services.matter_register(
        actor=SYSTEM,
        forum=forums["Lokalt IT-råd Bengtsfors"],
        kind=MatterKind.NEED,
        need_kind=NeedKind.NEW_SERVICE,
        title="Digital signering för nämnderna",
        description="Nämnderna i Bengtsfors vill signera protokoll digitalt.",
    )

    source = price_list_2026
    if (
        source is not None
        and not PriceList.objects.filter(cooperation=coop, name=PRICE_LIST_2027).exists()
    ):
        catalog_services.price_list_copy(
            actor=SYSTEM,
            source=source,
            name=PRICE_LIST_2027,
            valid_from=dt.date(2027, 1, 1),
            valid_to=dt.date(2027, 12, 31),
            decision_reference="Förslag: beslut i IT-råd Dalsland väntar",
        )
    _agreement(ctx, forums, decisions)


def _agreement(ctx: dict[str, Any], forums: dict[str, Forum], decisions: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    sr = forums["Samverkansrådet"]
    meeting = services.meeting_create(
        actor=SYSTEM, forum=sr, held_on=dt.date(2024, 12, 10), location="Åmåls kommunhus"
    )
    adopted = services.decision_create(
        actor=SYSTEM,
        meeting=meeting,
        title="Samverkansavtal för IT och digitalisering",
        text="Samverkansrådet föreslår kommunfullmäktige i de fyra kommunerna att anta "
        "samverkansavtalet från 2025-01-01, med Åmål som värdkommun.",
        scope=DecisionScope.COOPERATION,
    )
    services.meeting_approve_minutes(
        actor=SYSTEM, meeting=meeting, expected_version=None, approved_on=dt.date(2024, 12, 17)
    )
    keys = list(AllocationKey.objects.filter(pool__cooperation=coop).select_related("pool"))
    agreement = services.agreement_create(
        actor=SYSTEM,
        cooperation=coop,
        allocation_keys=keys,
        title="Samverkansavtal för IT och digitalisering i Dalsland",
        background="Kommunerna har var för sig svårt att klara kompetensförsörjning, "
        "informationssäkerhet och digitalisering. Förstudien rekommenderar avtalssamverkan "
        "med en värdkommun.",
        purpose="Effektivare IT-verksamhet, bättre digital service till invånarna och en "
        "gemensam förmåga att driva digitalisering.",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        extension_terms="Förlängs med fyra år i taget om ingen part säger upp avtalet.",
        commitments="Värdkommunen driver, underhåller och utvecklar IT-tjänsterna; "
        "medlemskommunerna beställer och betalar enligt prislistan.",
        scope_and_documents="IT-drift, support, identitet och digitaliseringsportfölj. "
        "Tjänstekatalog och prislista är bilagor.",
        compensation="Bas-IT är en gemensam kostnad; övriga tjänster betalas efter förbrukning.",
        payment_terms="Fakturaunderlag månadsvis, betalning 30 dagar netto.",
        disputes="Tvister löses i första hand genom förhandling i Samverkansrådet, i andra "
        "hand i allmän domstol.",
        amendment_procedure="Ändringar och tillägg görs skriftligen och godkänns av samtliga "
        "parter.",
        notice_months=24,
        exit_process="En part som lämnar samverkan gör det vid ett årsskifte efter "
        "uppsägningstiden; data och dokumentation lämnas över enligt en avvecklingsplan.",
        exit_fee="Den utträdande parten betalar sin andel av gjorda investeringar som inte är "
        "avskrivna.",
        veto="Varje part har veto i frågor om nya parter och ändrad kostnadsfördelning.",
        governance="Samverkansrådet (visionärt), Kommundirektörsgruppen (strategiskt), IT-råd "
        "Dalsland (principbeslut) och ett lokalt IT-råd i varje kommun.",
        budget="Budget fastställs årligen av IT-rådet; utfall följs upp kvartalsvis.",
        cost_distribution="Bas-IT fördelas lika mellan parterna; digitaliseringsfonden efter "
        "invånarantal; övriga tjänster efter förbrukning, t.ex. antal användare eller datorer.",
        investments="Värdkommunen äger gemensamma investeringar; lokaler hyrs av värdkommunen.",
        insight="Parterna får månatliga fakturaunderlag och kvartalsrapporter om ekonomi, "
        "servicenivåer och portfölj.",
        archiving="Värdkommunen arkiverar handlingar enligt sin dokumenthanteringsplan.",
        insurance="Varje part försäkrar sin egen utrustning; värdkommunen de gemensamma systemen.",
        evaluation="Samarbetet utvärderas årligen och inför varje förlängning.",
        appendices="1. Tjänstekatalog\n2. Prislista\n3. Fördelningsnycklar\n4. Servicenivåer",
    )
    for name, member in (
        ("Åmål", PartyRole.HOST),
        ("Bengtsfors", PartyRole.MEMBER),
        ("Färgelanda", PartyRole.MEMBER),
        ("Mellerud", PartyRole.MEMBER),
    ):
        services.party_add(
            actor=SYSTEM,
            agreement=agreement,
            municipality=nodes[name],
            role=member,
            joined_on=dt.date(2025, 1, 1),
        )
    services.amendment_register(
        actor=SYSTEM,
        agreement=agreement,
        kind=AmendmentKind.CHANGE,
        effective_on=dt.date(2026, 1, 1),
        description="Bas-IT fördelas lika från 2026 (bilaga 3).",
        decision=decisions.get("Fördelningsnyckel för Bas-IT"),
    )
    # Dals-Ed's joining is proposed; it takes effect (membership, billing) when put into force.
    services.amendment_register(
        actor=SYSTEM,
        agreement=agreement,
        kind=AmendmentKind.JOIN,
        effective_on=dt.date(2027, 1, 1),
        municipality=nodes["Dals-Ed"],
        description="Dals-Eds kommun ansluter till samverkan (5D-samverkan).",
        apply=False,
    )
    for due_on, text in (
        (dt.date(2026, 12, 15), "Årlig utvärdering 2026"),
        (dt.date(2027, 12, 15), "Årlig utvärdering 2027"),
        (dt.date(2028, 6, 30), "Utvärdering inför förlängning"),
    ):
        services.evaluation_add(actor=SYSTEM, agreement=agreement, due_on=due_on, description=text)
    del adopted
