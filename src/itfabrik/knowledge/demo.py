"""The knowledge base part of the Dalsland demo: Swedish help articles across the catalogue's
service areas, most for everyone, some for one municipality, a few for the IT organisation's
staff only; one draft, one archived, and one published twice (so it has a history)."""

from __future__ import annotations

from typing import Any

from itfabrik.catalog.models import ServiceArea
from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step
from itfabrik.tenancy.choices import NodeKind

from . import services
from .choices import Audience
from .models import Article

INFRA = "Infrastruktur"
SERVERS = "Verksamhetssystem/servrar"
IDENTITY = "Identitet"
WORKPLACE = "IT-arbetsplats"

# title, area, audience (municipality name for one municipality), summary, body
ARTICLES: list[tuple[str, str, str, str, str]] = [
    (
        "Skrivaren skriver inte ut",
        WORKPLACE,
        Audience.EVERYONE,
        "Vad du kan göra själv när en utskrift fastnar eller skrivaren inte svarar.",
        "När skrivaren inte skriver ut beror det oftast på kön, papperet eller nätet.\n\n"
        "## Gör så här\n\n"
        "1. Kontrollera att skrivaren är påslagen och att displayen inte visar något fel.\n"
        "2. Öppna **Inställningar → Skrivare och skannrar**, välj skrivaren och **Öppna kö**. "
        "Ta bort utskrifter som fastnat.\n"
        "3. Kontrollera papper och toner. Skrivarna i våra lokaler säger till i displayen.\n"
        "4. Starta om datorn och försök igen.\n\n"
        "Skriver skrivaren fortfarande inte ut? Anmäl ett problem och ange skrivarens "
        "namn (lappen på skrivarens framsida).",
    ),
    (
        "Lägga till en skrivare på din dator",
        WORKPLACE,
        Audience.EVERYONE,
        "Så installerar du en av skrivarna i huset med Follow me-utskrift.",
        "Alla skrivare i kommunerna nås via utskriftskön **Follow me**.\n\n"
        "1. Öppna **Företagsportalen** på datorn.\n"
        "2. Sök efter *Follow me-skrivare* och välj **Installera**.\n"
        "3. Skriv ut som vanligt och hämta utskriften med din passerbricka vid valfri skrivare.\n\n"
        "Skrivarna hämtar inte utskrifter äldre än 24 timmar.",
    ),
    (
        "Byta lösenord",
        IDENTITY,
        Audience.EVERYONE,
        "Byt lösenord i tid, innan det går ut efter 180 dagar.",
        "Ditt lösenord gäller i 180 dagar. Du får en påminnelse 14 dagar innan.\n\n"
        "## På datorn\n\nTryck **Ctrl + Alt + Delete** och välj **Ändra ett lösenord**.\n\n"
        "## Från mobilen eller hemifrån\n\nGå till lösenordssidan på intranätet och logga in "
        "med multifaktorautentisering.\n\n"
        "Lösenordet ska vara minst 14 tecken. En mening av fyra ord är lätt att minnas och "
        "svår att gissa.",
    ),
    (
        "Glömt lösenord eller kontot är låst",
        IDENTITY,
        Audience.EVERYONE,
        "Återställ lösenordet själv med din registrerade mobil.",
        "Har du glömt lösenordet kan du återställa det själv om du har registrerat "
        "mobilnummer för multifaktorautentisering.\n\n"
        "1. Välj **Glömt lösenord?** på inloggningssidan.\n"
        "2. Bekräfta med koden som kommer till mobilen.\n"
        "3. Välj ett nytt lösenord.\n\n"
        "Kontot låses i 15 minuter efter fem felaktiga försök.",
    ),
    (
        "Multifaktorautentisering i appen",
        IDENTITY,
        Audience.EVERYONE,
        "Kom igång med autentiseringsappen på din mobil.",
        "Multifaktorautentisering (MFA) krävs när du loggar in utanför kommunens nät.\n\n"
        "1. Installera **Microsoft Authenticator** från App Store eller Google Play.\n"
        "2. Gå till *Mina inloggningar* på en dator och välj **Lägg till inloggningsmetod → "
        "Autentiseringsapp**.\n"
        "3. Skanna QR-koden med appen.\n\n"
        "Har du bytt mobil? Anmäl det innan du lämnar in den gamla.",
    ),
    (
        "Ansluta till wifi Dalsland",
        INFRA,
        Audience.EVERYONE,
        "Så ansluter du din jobbdator eller jobbmobil till det trådlösa nätet.",
        "Det trådlösa nätet heter **Dalsland** i alla kommunernas lokaler.\n\n"
        "- Jobbdatorer ansluter automatiskt. Gör de inte det: starta om datorn inne i lokalen.\n"
        "- Jobbmobiler: välj nätet **Dalsland** och logga in med ditt användarnamn och "
        "lösenord.\n"
        "- Privata enheter och besökare använder **Dalsland-gäst**.",
    ),
    (
        "Gästnätverk för besökare",
        INFRA,
        Audience.EVERYONE,
        "Besökare får en dagskod till Dalsland-gäst i receptionen.",
        "Besökare ansluter till **Dalsland-gäst**. Koden gäller en dag och lämnas ut i "
        "receptionen. Nätet når bara internet, inte kommunens system.",
    ),
    (
        "Teams-möte utan ljud",
        WORKPLACE,
        Audience.EVERYONE,
        "Hör du inte de andra, eller hör de inte dig?",
        "1. Klicka på **Fler → Enhetsinställningar** i mötet och välj rätt högtalare och "
        "mikrofon.\n"
        "2. Kontrollera att headsetet är laddat och anslutet.\n"
        "3. Lämna mötet och anslut igen.\n"
        "4. Hjälper inget: starta om datorn.\n\n"
        "I mötesrummen ska du välja rummets högtalarmikrofon.",
    ),
    (
        "Beställa ny dator",
        WORKPLACE,
        Audience.EVERYONE,
        "Nya datorer beställs av enhetens beställare i tjänstekatalogen.",
        "Datorer och annan utrustning beställs i **Tjänstekatalogen** av din enhets "
        "beställare. Vanligtvis är det din chef eller en administratör.\n\n"
        "Leveranstiden är normalt två veckor. Den gamla datorn lämnas tillbaka när den nya är "
        "installerad.",
    ),
    (
        "Ny medarbetare: konto och dator",
        IDENTITY,
        Audience.EVERYONE,
        "Vad chefen behöver göra innan en ny medarbetare börjar.",
        "Beställ konto och arbetsplats minst tio arbetsdagar innan första arbetsdagen. "
        "Kontot skapas utifrån anställningen i personalsystemet.\n\n"
        "Medarbetaren hämtar sitt första lösenord hos 1:a linjen med legitimation.",
    ),
    (
        "Skriva ut lönespecifikation",
        SERVERS,
        Audience.EVERYONE,
        "Lönespecifikationen finns i självservice.",
        "Logga in i **självservice** i personalsystemet och välj **Lön → "
        "Lönespecifikationer**. Du kan spara den som PDF och skriva ut den.",
    ),
    (
        "Hemtjänstens mobiler i Mellerud",
        WORKPLACE,
        "Melleruds kommun",
        "Larmmobiler och appen för hemtjänsten i Mellerud.",
        "Hemtjänstens mobiler i Mellerud laddas i laddstället på respektive grupps kontor.\n\n"
        "Om appen för nyckelfri hemtjänst inte startar: starta om mobilen. Kontakta "
        "servicedesken om felet kvarstår, ange mobilens nummer på baksidan.",
    ),
    (
        "Skrivarna i Åmåls stadshus",
        WORKPLACE,
        "Åmåls kommun",
        "Var skrivarna finns och hur du byter toner i stadshuset.",
        "Skrivarna i stadshuset står vid trapphusen på varje plan. Toner finns i "
        "förrådet på plan 1; reception har nyckeln.",
    ),
    (
        "Elevdatorer i Bengtsfors: återlämning",
        WORKPLACE,
        "Bengtsfors kommun",
        "Så lämnar eleverna tillbaka sina datorer vid läsårets slut.",
        "Elevdatorer lämnas tillbaka till mentorn sista skolveckan med laddare. "
        "Trasiga datorer märks med elevens namn.",
    ),
    (
        "Verksamhetssystem i Färgelanda: inloggning",
        SERVERS,
        "Färgelanda kommun",
        "Inloggning till vård- och omsorgssystemet i Färgelanda.",
        "Vård- och omsorgssystemet nås från startmenyn under **Färgelanda → Omsorg**. "
        "Du loggar in med SITHS-kortet i kortläsaren.",
    ),
    (
        "Återställa MFA åt en användare",
        IDENTITY,
        Audience.STAFF,
        "Rutin för 1:a linjen när en användare har bytt eller tappat mobilen.",
        "1. Kontrollera identiteten: legitimation på plats eller återuppringning till "
        "registrerat nummer.\n"
        "2. Ta bort användarens autentiseringsmetoder i administrationsportalen.\n"
        "3. Be användaren registrera appen på nytt inom 24 timmar.\n\n"
        "Anteckna i ärendet hur identiteten kontrollerades.",
    ),
    (
        "Skrivarserver: starta om utskriftskön",
        SERVERS,
        Audience.STAFF,
        "När Follow me-kön har stannat för alla skrivare.",
        "Logga in på skrivarservern med ditt adminkonto, starta om tjänsten **Print "
        "Spooler** och sedan utskriftskön. Kontrollera att en testutskrift går fram och "
        "informera på driftstörningssidan.",
    ),
    (
        "Brandväggsändring: rutin",
        INFRA,
        Audience.STAFF,
        "Hur en ändring i brandväggen beställs, granskas och genomförs.",
        "Ändringar i brandväggen görs bara efter ett godkänt ändringsärende. Två tekniker "
        "granskar regeln innan den läggs in, och ändringen loggas.",
    ),
]

# Published and then edited once: its history shows two versions.
EDITED = "Ansluta till wifi Dalsland"
EDITED_BODY_ADDITION = "\n\nFungerar det ändå inte? Glöm nätverket på enheten och anslut på nytt."


def is_loaded() -> bool:
    return Article.objects.exists()


@demo_step("knowledge", after=["accounts", "catalog"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    users = ctx["users"]
    municipalities = {
        node.name: node for node in nodes.values() if node.kind == NodeKind.MUNICIPALITY
    }
    areas = {a.name: a for a in ServiceArea.objects.filter(cooperation=coop)}
    articles: dict[str, Article] = {}
    for title, area, audience, summary, body in ARTICLES:
        municipality = municipalities.get(audience)
        articles[title] = services.article_create(
            actor=SYSTEM,
            cooperation=coop,
            area=areas[area],
            title=title,
            summary=summary,
            body=body,
            audience=Audience.MUNICIPALITY if municipality else audience,
            municipality=municipality,
            owner=users["agent"],
            publish=True,
        )
    edited = articles[EDITED]
    services.article_update(
        actor=SYSTEM,
        article=edited,
        expected_version=edited.version,
        body=edited.body + EDITED_BODY_ADDITION,
    )
    services.article_create(
        actor=SYSTEM,
        cooperation=coop,
        area=areas[WORKPLACE],
        title="Skärmen är svart efter dockning",
        summary="Utkast: vad du gör när den externa skärmen inte visar något.",
        body="Koppla ur dockningsstationen, vänta tio sekunder och koppla in den igen.",
        owner=users["tekniker"],
    )
    archived = services.article_create(
        actor=SYSTEM,
        cooperation=coop,
        area=areas[WORKPLACE],
        title="Faxa från kontoret",
        summary="Faxen är avvecklad sedan 2025.",
        body="Faxtjänsten är avvecklad. Använd säker e-post i stället.",
        owner=users["agent"],
        publish=True,
    )
    services.article_archive(actor=SYSTEM, article=archived, expected_version=archived.version)
    services.feedback_give(
        actor=users["anvandare-bengtsfors"],
        article=articles["Byta lösenord"],
        helpful=True,
        comment="Tydligt, tack!",
    )
