"""The Dutch demo content of the guide, written for this app from the facts in DOMAIN.md.

Plain data only; cms/demo.py loads it. Stream bodies use Wagtail's raw form:
{"type": ..., "value": ...}.
"""

NJI_KOMPAS = "https://www.nji.nl/impact-maken-met-jeugdbeleid/kwaliteitskompas"
NJI_KOMPAS_GEMEENTEN = NJI_KOMPAS
NJI_AMBITIES = NJI_KOMPAS + "/1b-ambities"
NJI_RESULTAAT = (
    "https://www.nji.nl/impact-maken-met-jeugdbeleid/kwaliteitskompas/2-maatschappelijk-resultaat"
)
NJI_OUTCOME = "https://www.nji.nl/monitoring/outcome-indicatoren"
NJI_ERKENNING = "https://www.nji.nl/interventies/erkenningsprocedure"
NJI_RISICO = "https://www.nji.nl/kindermishandeling/ken-de-risicofactoren"
# The former monitor has no page of its own on nji.nl any more; this page describes it.
NJI_MONITOR = "https://hansei.nl/de-makhg/"
KSB_ERKENNING = (
    "https://www.kenniscentrumsportenbewegen.nl/producten/over-sport-en-beweeginterventies/"
    "niveaus-van-erkenning/"
)
MAKHG = "https://hansei.nl/de-makhg/"
CBS_IMPACTMONITOR = (
    "https://www.cbs.nl/nl-nl/longread/rapportages/2023/"
    "impactmonitor-aanpak-huiselijk-geweld-en-kindermishandeling-2023"
)
MELDCODE = "https://www.rijksoverheid.nl/onderwerpen/huiselijk-geweld/meldcode"
WODC_NPM2017 = (
    "https://repository.wodc.nl/handle/20.500.12832/1/browse?type=title&value="
    "Netherlands%27+prevalence+study+on+maltreatment+of+children+and+youth+"
    "%28full+text+only+available+in+Dutch%29"
)


def statline(table: str) -> str:
    return f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table}/table"


def odata(table: str) -> str:
    return f"https://opendata.cbs.nl/ODataApi/odata/{table}/"


def text(html):
    return {"type": "text", "value": html}


def tip(title, body):
    return {"type": "tip", "value": {"title": title, "text": body}}


def example(title, html):
    return {"type": "example", "value": {"title": title, "text": html}}


def checklist(title, items):
    return {"type": "checklist", "value": {"title": title, "items": items}}


def source(title, url, publisher="", description=""):
    return {
        "type": "source_link",
        "value": {"title": title, "url": url, "publisher": publisher, "description": description},
    }


INDEX = {
    "title": "Het Kwaliteitskompas",
    "slug": "kwaliteitskompas",
    "intro": (
        "Het Kwaliteitskompas van het Nederlands Jeugdinstituut (NJi) bestaat uit zes blokken. "
        "Samenwerking (blok 0) is de basis onder alle blokken. Het helpt gemeenten en partners "
        "om te sturen op wat er echt verandert voor kinderen en gezinnen. U kunt de hele "
        "cyclus doorlopen of met één blok beginnen."
    ),
    "body": [
        text(
            "<h2>Zo gebruikt u het kompas</h2>"
            "<p>De blokken 1, 2, 3 en 6 zijn het terrein van de gemeente: de situatie kennen, "
            "ambities en resultaten kiezen, het aanbod inkopen en bijsturen. De blokken 3 tot en "
            "met 6 zijn het terrein van de organisaties die de hulp bieden. Blok 0, samenwerking, "
            "loopt door alles heen.</p>"
            "<p>Het NJi kijkt naar resultaten over een beleidsperiode van ongeveer vier jaar, met "
            "tussentijdse standen. Deze site werkt met een jaarcyclus: elk jaar neemt u met uw "
            "partners de stand op, en wat u in blok 6 besluit, is het begin van de volgende "
            "ronde.</p>"
        ),
        tip(
            "Begin waar de energie zit",
            "U hoeft niet bij blok 0 te beginnen. Heeft uw gemeente al ambities, begin dan bij "
            "blok 2 en maak ze meetbaar. De andere blokken volgen vanzelf.",
        ),
        source(
            "Kwaliteitskompas voor gemeentelijk beleid",
            NJI_KOMPAS_GEMEENTEN,
            "NJi",
            "Uitleg van het kompas per blok.",
        ),
        source("Over het Kwaliteitskompas", NJI_KOMPAS, "NJi"),
    ],
}

BLOCKS = [
    {
        "code": 0,
        "title": "Samenwerking",
        "slug": "samenwerking",
        "question": (
            "Wie zitten er aan tafel, met welk mandaat en welk belang? En hoe praten jongeren, "
            "ouders en ervaringsdeskundigen vanaf het begin mee?"
        ),
        "intro": (
            "Een aanpak van kindermishandeling en huiselijk geweld werkt alleen als partners "
            "samen optrekken. In dit blok legt u vast wie meedoet, wat ieder inbrengt en hoe u "
            "besluiten neemt."
        ),
        "body": [
            text(
                "<h2>Waarom dit blok</h2>"
                "<p>Veilig Thuis, wijkteams, jeugdgezondheidszorg (JGZ), GGD, politie, onderwijs "
                "en huisartsen zien elk een stukje van het beeld. Pas samen ziet u wat er in "
                "gezinnen gebeurt. Spreek daarom vooraf af wie er aan tafel zit en met welk "
                "mandaat: kan iemand namens de eigen organisatie afspraken maken?</p>"
                "<p>Betrek ook de mensen om wie het gaat. Jongeren, ouders en ervaringsdeskundigen "
                "zien dingen die professionals missen. Laat hen niet pas aan het eind reageren, "
                "maar vanaf het begin meedenken.</p>"
            ),
            checklist(
                "Staat de samenwerking?",
                [
                    "We weten welke partners nodig zijn en ze zijn uitgenodigd.",
                    "Elke partner heeft iemand met mandaat aan tafel.",
                    "Ervaringsdeskundigen, jongeren of ouders denken vanaf de start mee.",
                    "We hebben afgesproken wie de cyclus coördineert.",
                    "We weten hoe we besluiten nemen als we het oneens zijn.",
                ],
            ),
            example(
                "Een kernteam met een vaste agenda",
                "<p>Een middelgrote gemeente vormt een kernteam met een beleidsmedewerker, een "
                "teamleider van het wijkteam, een gedragswetenschapper van Veilig Thuis, een "
                "jeugdarts en een ervaringsdeskundige. Ze komen een paar keer per jaar samen en "
                "bespreken steeds één of twee van de zes blokken van het kompas.</p>",
            ),
            source("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN, "NJi"),
        ],
        "tips": [
            (
                "Vraag elke partner vooraf wat die zelf uit de samenwerking wil halen. Een "
                "gedeeld belang houdt mensen langer betrokken dan een uitnodiging.",
                "Redactie",
                "",
            ),
            (
                "Vergoed de tijd van ervaringsdeskundigen en bereid gesprekken samen met hen "
                "voor. Zo worden ze volwaardige partners en geen gasten.",
                "Redactie",
                "",
            ),
            (
                "Zet een aandachtsfunctionaris of Veilig Thuis-medewerker aan tafel die weet "
                "hoe de meldcode in de praktijk werkt.",
                "Redactie",
                "",
            ),
        ],
    },
    {
        "code": 1,
        "title": "Monitoring & ambities",
        "slug": "monitoring-en-ambities",
        "question": (
            "Hoe gaat het met de kinderen en gezinnen in onze gemeente, in cijfers én in signalen "
            "uit de praktijk? En wat willen we samen bereiken?"
        ),
        "intro": (
            "In dit blok brengt u de situatie in beeld en kiest u uw ambities. Cijfers en verhalen "
            "uit de praktijk horen naast elkaar: tellen én vertellen."
        ),
        "body": [
            text(
                "<h2>Cijfers spreken niet voor zich</h2>"
                "<p>Bespreek elk cijfer met vier vragen:</p>"
                "<ul><li><b>Herkennen</b>: herkennen we dit beeld uit de praktijk?</li>"
                "<li><b>Verklaren</b>: wat verklaart het cijfer? Is er iets veranderd in de "
                "registratie, de bevolking of het aanbod?</li>"
                "<li><b>Waarderen</b>: is dit goed of slecht nieuws voor kinderen?</li>"
                "<li><b>Verbeteren</b>: welke actie volgt hieruit?</li></ul>"
                "<p>Een stijging van het aantal meldingen bij Veilig Thuis kan slecht nieuws "
                "zijn, maar ook betekenen dat professionals beter signaleren.</p>"
                "<h2>Ambities gaan over kinderen</h2>"
                "<p>Een ambitie beschrijft wat u wilt voor kinderen en gezinnen, niet voor het "
                "systeem. Er zijn twee soorten: een probleem verminderen of een beschermende "
                "factor versterken.</p>"
            ),
            example(
                "Een ambitie over kinderen, niet over het systeem",
                "<p><b>Wel:</b> 'Alle kinderen in onze gemeente groeien veilig op.'</p>"
                "<p><b>Niet:</b> 'Alle professionals werken met de meldcode.' Dat is een middel, "
                "geen ambitie.</p>",
            ),
            tip(
                "Gebruik meerdere bronnen",
                "Combineer de CBS-cijfers over Veilig Thuis met gegevens van politie, wijkteams, "
                "GGD en JGZ, en met de Jeugdmonitor. Eén bron geeft nooit het hele beeld.",
            ),
            source(
                "Beleidsinformatie Veilig Thuis, kerncijfers (84847NED)",
                statline("84847NED"),
                "CBS",
                "Adviezen, meldingen en onderzoeken per half jaar.",
            ),
            source("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN, "NJi"),
        ],
        "tips": [
            (
                "Bespreek elk cijfer met de vier vragen herkennen, verklaren, waarderen en "
                "verbeteren, voordat u er conclusies aan verbindt.",
                "NJi, Kwaliteitskompas voor gemeentelijk beleid",
                NJI_KOMPAS_GEMEENTEN,
            ),
            (
                "Vraag professionals om twee of drie recente, geanonimiseerde situaties te "
                "beschrijven. Zulke verhalen maken de cijfers begrijpelijk.",
                "Redactie",
                "",
            ),
            (
                "Let op voorlopige cijfers (gemarkeerd met *) en onbekende waarden (.) in "
                "StatLine. Vergelijk alleen perioden die CBS definitief heeft gemaakt.",
                "CBS StatLine",
                statline("84847NED"),
            ),
            (
                "Formuleer naast een ambitie om een probleem te verminderen ook een ambitie om "
                "een beschermende factor te versterken, zoals steun van belangrijke volwassenen.",
                "Redactie, naar NJi blok 1B Ambities",
                NJI_AMBITIES,
            ),
        ],
    },
    {
        "code": 2,
        "title": "Maatschappelijk resultaat",
        "slug": "maatschappelijk-resultaat",
        "question": (
            "Hoe maken we onze ambities meetbaar: wat is er over vier jaar anders, uitgedrukt in "
            "een getal en een jaar?"
        ),
        "intro": (
            "Een maatschappelijk resultaat maakt een ambitie meetbaar. Het noemt een getal, een "
            "jaar en een beginwaarde, zodat u tussentijds kunt zien of u op koers ligt."
        ),
        "body": [
            text(
                "<h2>Drie soorten resultaten</h2>"
                "<ul><li><b>Inhoudelijk</b>: wat verandert er voor kinderen en gezinnen?</li>"
                "<li><b>Proces</b>: hoe verloopt de aanpak, bijvoorbeeld de doorlooptijd?</li>"
                "<li><b>Randvoorwaardelijk</b>: wat moet er geregeld zijn, zoals scholing of "
                "een registratiesysteem?</li></ul>"
                "<p>Veel plannen blijven steken bij proces en randvoorwaarden. Zorg dat elke "
                "ambitie minstens één inhoudelijk resultaat heeft.</p>"
                "<h2>Een getal en een jaar</h2>"
                "<p>Leg vast waar u nu staat (de beginwaarde, met het jaar), waar u wilt uitkomen "
                "en wanneer. Een beleidsperiode duurt meestal ongeveer vier jaar. Kijk elk jaar "
                "tussentijds of de laatste meting op of boven de lijn van begin naar doel ligt. "
                "Een meting in hele procenten telt als op koers als ze afgerond op de lijn ligt "
                "(66% tegenover verwacht 66,2%).</p>"
            ),
            example(
                "Een meetbaar resultaat",
                "<p>'In 2028 groeit ten minste 90% van de kinderen in onze gemeente op in een "
                "veilig thuis. In 2024 was dat 86% (beginwaarde).'</p>"
                "<p>Een verzonnen voorbeeld. Noem bij uw eigen beginwaarde de bron die het cijfer "
                "echt meet, bijvoorbeeld de GGD Gezondheidsmonitor Jeugd.</p>",
            ),
            checklist(
                "Is het resultaat goed geformuleerd?",
                [
                    "Het resultaat noemt een getal en een jaar.",
                    "Er is een beginwaarde met het jaar van meting.",
                    "We weten uit welke bron de meting komt en hoe vaak die verschijnt.",
                    "Het resultaat zegt iets over kinderen of gezinnen, niet alleen over de "
                    "organisatie.",
                    "We hebben afgesproken wie de voortgang volgt.",
                ],
            ),
            source("Blok 2: maatschappelijk resultaat", NJI_RESULTAAT, "NJi"),
        ],
        "tips": [
            (
                "Kies een resultaat dat u ook echt kunt meten. Bestaat er geen bron, spreek dan "
                "eerst af hoe u het gaat meten: dat is dan een randvoorwaardelijk resultaat.",
                "NJi, blok 2",
                NJI_RESULTAAT,
            ),
            (
                "Leg bij een daling als doel vast dat lager beter is. Bij meldingen is dat niet "
                "vanzelfsprekend: meer meldingen kan ook beter signaleren betekenen. Kies dan "
                "'geen vaste richting': zo'n resultaat krijgt geen oordeel 'op koers', u duidt "
                "de waarde.",
                "Redactie",
                "",
            ),
            (
                "Plan halverwege de beleidsperiode een tussenstand. Dan is er nog tijd om bij "
                "te sturen.",
                "Redactie",
                "",
            ),
        ],
    },
    {
        "code": 3,
        "title": "Activiteiten en aanbod",
        "slug": "activiteiten-en-aanbod",
        "question": (
            "Welke voorzieningen, partners en inwoners helpen om de ambities te halen, en waarom "
            "verwachten we dat ze werken?"
        ),
        "intro": (
            "In dit blok zet u het aanbod naast de ambities. Met een veranderverhaal maakt u "
            "zichtbaar waarom een activiteit moet bijdragen aan het resultaat."
        ),
        "body": [
            text(
                "<h2>Vragen over het aanbod</h2>"
                "<ul><li>Past het aanbod bij de ambities en resultaten?</li>"
                "<li>Ontbreekt er iets, bijvoorbeeld hulp voor kinderen na huiselijk geweld?</li>"
                "<li>Is het aanbod divers genoeg voor de doelgroepen in uw gemeente?</li>"
                "<li>Hangt het samen, en is er genoeg preventie?</li>"
                "<li>Zijn er korte lijnen en duidelijke afspraken over doorverwijzen, zoals "
                "routekaarten en aandachtsfunctionarissen?</li></ul>"
                "<h2>Doelgroepen</h2>"
                "<p>Bij kindermishandeling vragen drie groepen ouders extra aandacht: ouders die "
                "te maken hebben met partnergeweld, ouders met ernstige psychiatrische of "
                "verslavingsproblemen en ouders met een licht verstandelijke beperking (LVB).</p>"
            ),
            example(
                "Een kort veranderverhaal",
                "<p>'Jonge ouders met weinig steun krijgen in het eerste levensjaar huisbezoeken. "
                "Daardoor leren ze de signalen van hun baby lezen en voelen ze zich minder "
                "alleen. Zo neemt de kans op mishandeling af.'</p>",
            ),
            tip(
                "Koop in op wat er echt speelt",
                "Het onderzoek van Verwey-Jonker naar gezinnen bij Veilig Thuis leverde een "
                "inkoopinstrument op dat combinaties van problemen ordent van licht naar zwaar. "
                "Gebruik zo'n ordening om hulp in te kopen voor de problemen die in uw gemeente "
                "voorkomen.",
            ),
            source("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN, "NJi"),
        ],
        "tips": [
            (
                "Schrijf per activiteit in twee zinnen op waarom die bijdraagt aan een resultaat. "
                "Lukt dat niet, dan is dat een vraag voor de aanbieder.",
                "Redactie",
                "",
            ),
            (
                "Controleer of er aanbod is voor kinderen die huiselijk geweld hebben "
                "meegemaakt, niet alleen voor de volwassenen.",
                "Redactie",
                "",
            ),
            (
                "Maak met partners een routekaart: wie doet wat bij een vermoeden van "
                "kindermishandeling, en wanneer schakelt iemand Veilig Thuis in?",
                "Meldcode huiselijk geweld en kindermishandeling",
                MELDCODE,
            ),
        ],
    },
    {
        "code": 4,
        "title": "Kwaliteit van activiteiten",
        "slug": "kwaliteit-van-activiteiten",
        "question": (
            "Is het aanbod goed onderbouwd of bewezen effectief? En zijn de professionals "
            "opgeleid, geregistreerd, begeleid en werken ze volgens richtlijnen?"
        ),
        "intro": (
            "Kwaliteit gaat over de interventie én over de mensen die ermee werken. In dit blok "
            "kijkt u naar het erkenningsniveau en naar de vakbekwaamheid van professionals."
        ),
        "body": [
            text(
                "<h2>Erkenningsniveaus</h2>"
                "<p>De Databank Effectieve Jeugdinterventies van het NJi geeft de werkzaamheid "
                "weer op vier niveaus, van laag naar hoog:</p>"
                "<ul><li>goed onderbouwd;</li>"
                "<li>eerste aanwijzingen voor effectiviteit;</li>"
                "<li>goede aanwijzingen voor effectiviteit;</li>"
                "<li>sterke aanwijzingen voor effectiviteit.</li></ul>"
                "<p>Een interventie kan ook het oordeel 'niet erkend' krijgen; de databank noemt "
                "dan de reden. 'Staat niet in een databank' is geen niveau: het betekent niet dat "
                "de hulp niet werkt, maar het is een reden om de aanbieder te vragen hoe die de "
                "werking onderbouwt.</p>"
                "<p>'Goed beschreven' is een niveau van andere databanken in het gezamenlijke "
                "erkenningstraject, zoals die van Kenniscentrum Sport &amp; Bewegen en de Databank "
                "Effectieve sociale interventies van Movisie. Veel hulp bij huiselijk geweld "
                "(plegerhulp, opvang) is daar erkend, niet in de jeugddatabank. Noem daarom bij "
                "een erkenning altijd de databank.</p>"
            ),
            checklist(
                "Vragen aan een aanbieder",
                [
                    "Welk erkenningsniveau heeft de interventie, en tot wanneer is dat geldig?",
                    "Zijn de professionals opgeleid voor deze interventie?",
                    "Staan ze geregistreerd in een beroepsregister?",
                    "Krijgen ze intervisie of supervisie?",
                    "Werken ze volgens de geldende richtlijnen en de meldcode?",
                ],
            ),
            source("Erkenningsprocedure", NJI_ERKENNING, "NJi"),
            source(
                "Niveaus van erkenning (sport- en beweeginterventies)",
                KSB_ERKENNING,
                "Kenniscentrum Sport & Bewegen",
                "De niveaus van een andere databank, met 'goed beschreven'.",
            ),
        ],
        "tips": [
            (
                "Kijk naar de geldigheid van een erkenning: een erkenning geldt voor een beperkte "
                "tijd. Vraag de aanbieder tot wanneer, en controleer het in de databank.",
                "Redactie",
                "",
            ),
            (
                "Vraag bij een interventie zonder erkenning naar de theorie erachter en naar "
                "eigen evaluaties. Ontbreken die, spreek dan een evaluatie af.",
                "Redactie",
                "",
            ),
            (
                "Neem kwaliteitseisen voor professionals, zoals registratie en scholing in de "
                "meldcode, op in de inkoopvoorwaarden.",
                "Redactie",
                "",
            ),
        ],
    },
    {
        "code": 5,
        "title": "Uitkomsten",
        "slug": "uitkomsten",
        "question": "Welke directe uitkomst leveren de activiteiten op voor de deelnemers?",
        "intro": (
            "Uitkomsten laten zien of de hulp iets oplevert voor de mensen die eraan meedoen. In "
            "dit blok spreekt u met aanbieders af welke uitkomsten zij meten en delen."
        ),
        "body": [
            text(
                "<h2>De outcome-indicatoren</h2>"
                "<p>Voor de jeugdhulp is een gedeelde set indicatoren afgesproken:</p>"
                "<ol><li><b>Uitval of bereik</b>: maken deelnemers de hulp af, en bereikt u de "
                "juiste groep?</li>"
                "<li><b>Cliënttevredenheid</b>: vond de cliënt de hulp nuttig?</li>"
                "<li><b>Doelrealisatie</b>: kan het gezin verder zonder hulp, is er geen nieuwe "
                "hulp nodig na afloop, zijn de problemen verminderd en zijn de afgesproken "
                "doelen gehaald?</li></ol>"
                "<p>Voor laagdrempelige en preventieve activiteiten kijkt u naar bereik, nut, "
                "doelrealisatie en verbetersuggesties van deelnemers.</p>"
            ),
            tip(
                "Veiligheid is de eerste uitkomst",
                "Vraag bij hulp na huiselijk geweld altijd of het geweld is gestopt. In het "
                "landelijke onderzoek van Verwey-Jonker was het geweld bij de derde meting in 30% "
                "van de gevolgde gezinnen gestopt.",
            ),
            source("Outcome-indicatoren", NJI_OUTCOME, "NJi"),
        ],
        "tips": [
            (
                "Spreek met aanbieders af welke outcome-indicatoren ze aanleveren, hoe vaak en "
                "in welk formaat. Doe dat bij de inkoop, niet achteraf.",
                "NJi, outcome-indicatoren",
                NJI_OUTCOME,
            ),
            (
                "Bekijk uitval en bereik samen: een lage uitval zegt weinig als de hulp de "
                "gezinnen met de meeste risico's niet bereikt.",
                "NJi, outcome-indicatoren",
                NJI_OUTCOME,
            ),
            (
                "Vraag deelnemers zelf naar hun verbetersuggesties en bespreek die met de "
                "aanbieder.",
                "Redactie",
                "",
            ),
        ],
    },
    {
        "code": 6,
        "title": "Verbetercyclus",
        "slug": "verbetercyclus",
        "question": (
            "Wat zetten we voort, wat versterken we en waarmee stoppen we? Wie doet wat, en "
            "wanneer?"
        ),
        "intro": (
            "In het laatste blok trekt u conclusies en maakt u afspraken. Zo wordt het kompas een "
            "jaarlijkse cyclus in plaats van een eenmalige analyse."
        ),
        "body": [
            text(
                "<h2>Van inzicht naar actie</h2>"
                "<p>Kijk terug op de blokken en kies per activiteit: <b>voortzetten</b>, "
                "<b>versterken</b> of <b>stoppen</b>. Maak van elke keuze een verbeteractie met "
                "een eigenaar en een datum.</p>"
                "<p>Informeer de gemeenteraad met een korte samenvatting: de ambities, de stand "
                "van de resultaten en de belangrijkste verbeteracties.</p>"
            ),
            checklist(
                "Is het verbeterplan af?",
                [
                    "Elke verbeteractie heeft een eigenaar.",
                    "Elke verbeteractie heeft een datum.",
                    "We weten welke acties we volgend jaar meenemen.",
                    "De raad krijgt een samenvatting.",
                ],
            ),
            source("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN, "NJi"),
        ],
        "tips": [
            (
                "Durf te stoppen met activiteiten die niet bijdragen aan uw resultaten. Zo komt "
                "er ruimte voor wat wel werkt.",
                "Redactie",
                "",
            ),
            (
                "Houd het aantal verbeteracties klein: drie acties die echt gebeuren zijn meer "
                "waard dan tien op papier.",
                "Redactie",
                "",
            ),
            (
                "Plan de volgende cyclus direct in de agenda van het kernteam, met de datum "
                "waarop nieuwe cijfers verschijnen.",
                "Redactie",
                "",
            ),
        ],
    },
]

TOPICS = [
    {
        "title": "Bronnen voor cijfers",
        "slug": "bronnen-voor-cijfers",
        "intro": (
            "Welke cijfers helpen om de situatie in uw gemeente te begrijpen, en waar vindt u "
            "ze? Een overzicht van de belangrijkste bronnen over kindermishandeling en "
            "huiselijk geweld."
        ),
        "body": [
            text(
                "<h2>Beleidsinformatie Veilig Thuis</h2>"
                "<p>Het CBS publiceert elk half jaar cijfers over Veilig Thuis: adviezen, "
                "meldingen en onderzoeken. Ze staan in deze tabellen op StatLine:</p>"
                "<ul><li>84847NED: kerncijfers;</li>"
                "<li>84849NED: adviezen en meldingen naar de rol van de melder, per gemeente;</li>"
                "<li>84851NED: de aard van het geweld, per gemeente;</li>"
                "<li>84853NED: de uitkomsten van onderzoeken;</li>"
                "<li>85361NED: meldingen naar eerdere betrokkenheid.</li></ul>"
                "<p>Perioden heten bijvoorbeeld 2023JJ00 (een heel jaar) of 2024HJ01 (het eerste "
                "halfjaar). Een * betekent een voorlopig cijfer, een punt betekent onbekend of "
                "geheim.</p>"
                "<h2>Andere bronnen</h2>"
                "<ul><li>Politie, wijkteams, GGD en JGZ: eigen registraties en signalen;</li>"
                "<li>de Impactmonitor van het CBS: het landelijke beeld van de aanpak, met een "
                "dashboard waarin u regionale cijfers kunt vergelijken;</li>"
                "<li>Waarstaatjegemeente.nl en de CBS Jeugdmonitor, bijvoorbeeld over kinderen in "
                "eenoudergezinnen of in een gezin met een uitkering;</li>"
                "<li>de Leefbarometer: de leefbaarheid per buurt.</li></ul>"
            ),
            tip(
                "Reken met een bandbreedte",
                "Volgens de Nationale Prevalentiestudie Mishandeling (NPM-2017, WODC; overgenomen "
                "in de CBS Impactmonitor) kregen in 2017 tussen de 90.000 en 127.000 kinderen van "
                "0-17 jaar te maken met kindermishandeling die professionals signaleerden: een "
                "ondergrens. Vermenigvuldig zo'n landelijke kans met het aantal jeugdigen van 0-17 "
                "jaar in uw gemeente, dan ziet u om hoeveel kinderen het naar schatting gaat. Noem "
                "altijd de bron, het jaar en de bandbreedte, en rond af op honderdtallen.",
            ),
            source(
                "Impactmonitor aanpak huiselijk geweld en kindermishandeling",
                CBS_IMPACTMONITOR,
                "CBS",
            ),
            source("Beleidsinformatie Veilig Thuis, kerncijfers", statline("84847NED"), "CBS"),
            source(
                "Adviezen en meldingen naar rol van de melder",
                statline("84849NED"),
                "CBS",
            ),
        ],
    },
    {
        "title": "Risicofactoren en beschermende factoren",
        "slug": "risicofactoren-en-beschermende-factoren",
        "intro": (
            "Kindermishandeling ontstaat zelden door één oorzaak. Risico's stapelen zich op, en "
            "beschermende factoren kunnen ze afzwakken. Gebruik deze kennis bij het kiezen van "
            "ambities en doelgroepen."
        ),
        "body": [
            text(
                "<h2>Risicofactoren stapelen zich op</h2>"
                "<ul><li><b>De ouder als opvoeder</b>: weinig kennis van opvoeden, een moeizame "
                "omgang met het kind, eerder geweld;</li>"
                "<li><b>De ouder als persoon</b>: psychiatrische problemen, verslaving, een licht "
                "verstandelijke beperking;</li>"
                "<li><b>De voorgeschiedenis van de ouder</b>: jong ouderschap, zelf mishandeld als "
                "kind;</li>"
                "<li><b>Het kind</b>: jonger dan vijf jaar, te vroeg geboren, ziek of met een "
                "beperking, gedragsproblemen;</li>"
                "<li><b>Het gezin</b>: een eenouder- of stiefgezin, veel conflicten, "
                "partnergeweld.</li></ul>"
                "<h2>Tien beschermende factoren</h2>"
                "<p>Het NJi noemt tien factoren die kinderen beschermen: sociale binding, kansen "
                "om mee te doen, prosociale normen, erkenning voor positief gedrag, steun van "
                "belangrijke volwassenen, een zinvolle tijdsbesteding, sociaal-emotionele "
                "vaardigheden, cognitieve vaardigheden, motivatie voor school en een positieve "
                "identiteit.</p>"
            ),
            example(
                "Een ambitie op een beschermende factor",
                "<p>'Elk kind in onze gemeente heeft ten minste één volwassene buiten het gezin "
                "bij wie het terecht kan.'</p>",
            ),
            source("Ken de risicofactoren", NJI_RISICO, "NJi"),
        ],
    },
    {
        "title": "De meldcode",
        "slug": "meldcode",
        "intro": (
            "De meldcode huiselijk geweld en kindermishandeling helpt professionals om bij een "
            "vermoeden van geweld de juiste stappen te zetten. Wat moet u als gemeente ervan "
            "weten?"
        ),
        "body": [
            text(
                "<h2>Wat de meldcode vraagt</h2>"
                "<p>Organisaties in onder meer zorg, onderwijs, kinderopvang en jeugdhulp moeten "
                "een meldcode hebben. Sinds 2019 bevat die per beroepsgroep een afwegingskader. "
                "Bij acute of structurele onveiligheid is een melding bij Veilig Thuis altijd "
                "nodig.</p>"
                "<h2>De rol van de gemeente</h2>"
                "<p>De gemeente zorgt voor een goed werkend Veilig Thuis en voor hulp na een "
                "melding. Vraag partners hoe zij de meldcode gebruiken en of hun medewerkers "
                "erin geschoold zijn.</p>"
                "<h2>Geweld hoort nergens thuis</h2>"
                "<p>Het landelijke programma Geweld hoort nergens thuis (2018-2021) had drie "
                "actielijnen: eerder en beter in beeld, stoppen en duurzaam oplossen, en aandacht "
                "voor specifieke groepen. De Impactmonitor van het CBS volgt sindsdien de "
                "aanpak.</p>"
            ),
            checklist(
                "Werkt de meldcode bij onze partners?",
                [
                    "Partners hebben een actuele meldcode met het afwegingskader van hun beroep.",
                    "Er is een aandachtsfunctionaris die collega's ondersteunt.",
                    "Medewerkers zijn het afgelopen jaar geschoold.",
                    "Partners weten hoe ze Veilig Thuis bereiken.",
                ],
            ),
            source("Meldcode huiselijk geweld en kindermishandeling", MELDCODE, "Rijksoverheid"),
        ],
    },
]

SEARCH = {
    "title": "Zoeken",
    "slug": "zoeken",
    "intro": "Zoek in de uitleg over het Kwaliteitskompas, de onderwerpen en de tips.",
}

# --- The example measure set -------------------------------------------------------------
MEASURE_SET = {
    "name": "Aanpak kindermishandeling en huiselijk geweld",
    "version": 1,
    "description": (
        "Voorbeeldset, geschreven voor deze app. De tien maatregelen over preventie volgen de "
        "tien preventiepunten uit 'Kindermishandeling voorkomen: het kan!' (2014). De vragen "
        "zijn gemodelleerd naar de voormalige Monitor Aanpak Kindermishandeling en Huiselijk "
        "Geweld van NJi en Movisie: per maatregel wat doen we, wat weten we over het bereik en "
        "is het geborgd. Pas de set aan uw eigen beleid aan."
    ),
}

# (code, title, subject, explanation, question "what we do", low advice, partly advice, link)
PREVENTION_MEASURES = [
    (
        "pkm-01",
        "Screening tijdens de zwangerschap",
        "de screening tijdens de zwangerschap",
        "Verloskundigen en gynaecologen letten tijdens de zwangerschap op risico's zoals "
        "partnergeweld, verslaving of psychische problemen, en verwijzen zo nodig door.",
        "Spreken verloskundigen in onze gemeente met zwangeren over risico's op onveiligheid, "
        "en weten ze waar ze naartoe kunnen verwijzen?",
        "Maak afspraken met verloskundigen en het wijkteam over signaleren en doorverwijzen "
        "in de zwangerschap, bijvoorbeeld in een lokale routekaart.",
        "Breng in kaart hoeveel zwangeren de screening krijgen en bespreek met verloskundigen "
        "wie er nog buiten beeld blijft.",
        ("Ken de risicofactoren", NJI_RISICO),
    ),
    (
        "pkm-02",
        "Voorlichting over geweldloos opvoeden",
        "de voorlichting over geweldloos opvoeden",
        "Ouders krijgen informatie over opvoeden zonder slaan, schreeuwen of vernederen, en "
        "over wat ze kunnen doen als ze het even niet meer weten.",
        "Krijgen ouders in onze gemeente voorlichting over geweldloos opvoeden, bijvoorbeeld via "
        "de jeugdgezondheidszorg of het consultatiebureau?",
        "Vraag de JGZ om geweldloos opvoeden een vast onderwerp te maken in de contacten met "
        "ouders van jonge kinderen.",
        "Kijk of de voorlichting ook vaders, jonge ouders en ouders die de taal minder goed "
        "spreken bereikt.",
        ("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN),
    ),
    (
        "pkm-03",
        "Voorlichting over het Shaken Baby Syndroom",
        "de voorlichting over het Shaken Baby Syndroom",
        "Ouders van baby's horen hoe gevaarlijk schudden is en wat ze kunnen doen als hun baby "
        "veel huilt.",
        "Krijgen alle ouders van pasgeborenen voorlichting over de gevaren van schudden en "
        "over omgaan met een huilende baby?",
        "Spreek met kraamzorg en JGZ af dat elke ouder van een pasgeborene deze voorlichting "
        "krijgt, met een folder in eenvoudige taal.",
        "Zorg dat de voorlichting ook bij het tweede kind en bij andere verzorgers, zoals "
        "grootouders, terechtkomt.",
        ("Ken de risicofactoren", NJI_RISICO),
    ),
    (
        "pkm-04",
        "Signaleren van opvoedproblemen",
        "het signaleren van opvoedproblemen",
        "Professionals rond jonge kinderen, zoals JGZ, kinderopvang en huisartsen, herkennen "
        "opvoedproblemen vroeg en bespreken ze met ouders.",
        "Herkennen professionals rond jonge kinderen opvoedproblemen op tijd, en bespreken ze "
        "die met ouders?",
        "Organiseer een gezamenlijke scholing over signaleren voor JGZ, kinderopvang en wijkteams.",
        "Bespreek met partners welke signalen ze zien maar niet delen, en maak daar afspraken "
        "over.",
        ("Meldcode huiselijk geweld en kindermishandeling", MELDCODE),
    ),
    (
        "pkm-05",
        "Opvoedingsondersteuning",
        "de opvoedingsondersteuning",
        "Ouders kunnen laagdrempelig terecht met vragen over opvoeden, van een gesprek tot een "
        "cursus of een bewezen effectief programma.",
        "Is er in onze gemeente laagdrempelige opvoedingsondersteuning voor ouders, met "
        "interventies die goed onderbouwd of effectief zijn?",
        "Breng het aanbod aan opvoedingsondersteuning in kaart en vraag naar het "
        "erkenningsniveau van de interventies.",
        "Vul het aanbod aan voor groepen die nu weinig gebruikmaken van steun, zoals ouders "
        "met een licht verstandelijke beperking.",
        ("Erkenningsprocedure", NJI_ERKENNING),
    ),
    (
        "pkm-06",
        "Voorlichting op school",
        "de voorlichting op school",
        "Kinderen en jongeren leren op school wat mishandeling is, dat het niet hun schuld is "
        "en bij wie ze terecht kunnen.",
        "Krijgen kinderen en jongeren op school voorlichting over mishandeling en over waar "
        "ze hulp kunnen vragen?",
        "Maak met scholen afspraken over een lesprogramma over veiligheid thuis, en over wat "
        "leerkrachten doen als een kind iets vertelt.",
        "Zorg dat elke school in het primair en voortgezet onderwijs meedoet, niet alleen de "
        "scholen die er zelf om vragen.",
        ("Meldcode huiselijk geweld en kindermishandeling", MELDCODE),
    ),
    (
        "pkm-07",
        "Deskundigheid van professionals",
        "de scholing van professionals",
        "Professionals die met kinderen en gezinnen werken, zijn geschoold in het herkennen "
        "van kindermishandeling en in het werken met de meldcode.",
        "Zijn professionals die met kinderen werken geschoold in signaleren en in de meldcode, "
        "inclusief het afwegingskader van hun beroep?",
        "Neem scholing in de meldcode op in de subsidie- en inkoopvoorwaarden voor partners.",
        "Plan elke twee jaar een opfriscursus en bied scholing aan nieuwe medewerkers.",
        ("Meldcode huiselijk geweld en kindermishandeling", MELDCODE),
    ),
    (
        "pkm-08",
        "Psycho-educatie na huiselijk geweld",
        "de psycho-educatie na huiselijk geweld",
        "Ouders en kinderen krijgen na huiselijk geweld uitleg over de gevolgen ervan, zodat ze "
        "klachten herkennen en hulp zoeken.",
        "Krijgen ouders en kinderen na huiselijk geweld psycho-educatie over de gevolgen?",
        "Spreek met Veilig Thuis en het wijkteam af dat psycho-educatie een vast onderdeel is "
        "van de hulp na een melding.",
        "Let erop dat ook de kinderen zelf uitleg krijgen, in een vorm die past bij hun leeftijd.",
        ("Outcome-indicatoren", NJI_OUTCOME),
    ),
    (
        "pkm-09",
        "Hulp aan kinderen in de vrouwenopvang",
        "de hulp aan kinderen in de opvang",
        "Kinderen die met hun moeder in de vrouwenopvang verblijven, krijgen eigen hulp om te "
        "verwerken wat ze hebben meegemaakt.",
        "Krijgen kinderen in de vrouwenopvang hulp die op hen zelf gericht is?",
        "Maak met de centrumgemeente en de opvang afspraken over hulp voor kinderen, met een "
        "eigen begeleider per kind.",
        "Zorg voor een warme overdracht naar hulp in de gemeente waar het gezin na de opvang "
        "gaat wonen.",
        ("Ken de risicofactoren", NJI_RISICO),
    ),
    (
        "pkm-10",
        "Publieksvoorlichting",
        "de publieksvoorlichting",
        "Inwoners weten wat kindermishandeling is, dat ze het mogen bespreken en dat ze Veilig "
        "Thuis om advies kunnen vragen.",
        "Informeert de gemeente inwoners over kindermishandeling en over Veilig Thuis?",
        "Sluit aan bij landelijke campagnes en vertel in lokale media en op de gemeentesite "
        "hoe inwoners Veilig Thuis bereiken.",
        "Meet of inwoners Veilig Thuis kennen, bijvoorbeeld met een vraag in de inwonerspeiling.",
        ("Impactmonitor aanpak huiselijk geweld en kindermishandeling", CBS_IMPACTMONITOR),
    ),
]

DOMESTIC_VIOLENCE_MEASURES = [
    (
        "ahg-01",
        "Veilig Thuis is bekend en bereikbaar",
        "de bekendheid van Veilig Thuis",
        "Inwoners en professionals weten dat ze bij Veilig Thuis terechtkunnen voor advies of "
        "een melding, dag en nacht.",
        "Weten inwoners en professionals in onze gemeente hoe ze Veilig Thuis bereiken?",
        "Zorg dat de gegevens van Veilig Thuis op de gemeentesite, bij het wijkteam en bij "
        "huisartsen goed vindbaar zijn.",
        "Vergelijk het aantal adviezen en meldingen uit uw gemeente met vergelijkbare "
        "gemeenten en zoek verklaringen voor verschillen.",
        ("Adviezen en meldingen naar rol van de melder (CBS)", statline("84849NED")),
    ),
    (
        "ahg-02",
        "Afspraken tussen Veilig Thuis en het lokale veld",
        "de samenwerking tussen Veilig Thuis en het wijkteam",
        "Veilig Thuis en de wijkteams hebben heldere afspraken over overdracht, terugkoppeling "
        "en wie de regie heeft.",
        "Zijn er werkafspraken tussen Veilig Thuis en de wijkteams over overdracht en "
        "terugkoppeling?",
        "Leg samenwerkingsafspraken vast met Veilig Thuis en het wijkteam, met een vaste "
        "contactpersoon aan beide kanten.",
        "Evalueer de afspraken elk jaar aan de hand van een paar casussen.",
        ("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN),
    ),
    (
        "ahg-03",
        "Multidisciplinaire aanpak bij complexe situaties",
        "de multidisciplinaire aanpak",
        "Bij complexe of langdurige onveiligheid werken zorg en veiligheid samen, bijvoorbeeld "
        "in een zorg- en veiligheidshuis.",
        "Is er een multidisciplinaire aanpak voor gezinnen met complexe of langdurige "
        "onveiligheid?",
        "Sluit aan bij de multidisciplinaire aanpak in de regio en spreek af welke gezinnen "
        "daar besproken worden.",
        "Kijk of zorg en veiligheid ook na de acute fase samen blijven optrekken.",
        ("Impactmonitor aanpak huiselijk geweld en kindermishandeling", CBS_IMPACTMONITOR),
    ),
    (
        "ahg-04",
        "Hulp gericht op duurzame veiligheid",
        "de hulp na een melding",
        "Na een melding krijgt het hele gezin hulp die gericht is op het stoppen van het geweld "
        "en op blijvende veiligheid.",
        "Krijgen gezinnen na een melding hulp die gericht is op duurzame veiligheid, voor "
        "ouders én kinderen?",
        "Spreek af dat elk gezin na een melding een veiligheidsplan krijgt en dat de hulp ook "
        "de kinderen omvat.",
        "Volg na afloop van de hulp of het geweld gestopt blijft, bijvoorbeeld met een "
        "vervolgcontact na zes maanden.",
        ("Outcome-indicatoren", NJI_OUTCOME),
    ),
    (
        "ahg-05",
        "Aanpak van plegers",
        "de hulp aan plegers",
        "Plegers van huiselijk geweld krijgen hulp om hun gedrag te veranderen; waar nodig "
        "wordt een tijdelijk huisverbod opgelegd.",
        "Is er hulp voor plegers van huiselijk geweld, en wordt het tijdelijk huisverbod "
        "gebruikt waar het nodig is?",
        "Breng het aanbod voor plegers in kaart en vul het aan waar het ontbreekt.",
        "Zorg dat hulp aan plegers en hulp aan slachtoffers op elkaar aansluiten.",
        ("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN),
    ),
    (
        "ahg-06",
        "Aandacht voor specifieke groepen",
        "de aanpak voor specifieke groepen",
        "Er is aandacht voor groepen die minder snel in beeld komen, zoals ouderen, mensen met "
        "een licht verstandelijke beperking en slachtoffers van eergerelateerd geweld.",
        "Heeft de aanpak aandacht voor groepen die minder snel in beeld komen?",
        "Kies samen met partners één groep die nu buiten beeld blijft en maak een plan om die "
        "beter te bereiken.",
        "Vraag ervaringsdeskundigen uit deze groepen om mee te denken over de aanpak.",
        ("Ken de risicofactoren", NJI_RISICO),
    ),
    (
        "ahg-07",
        "Opvang en veilig wonen",
        "de opvang",
        "Slachtoffers kunnen snel terecht in de opvang, en er is een plan voor veilig wonen "
        "daarna.",
        "Kunnen slachtoffers snel terecht in de opvang, en is er een plan voor wonen daarna?",
        "Maak met de centrumgemeente afspraken over plaatsing en over voorrang bij "
        "woningtoewijzing na de opvang.",
        "Volg hoe lang mensen in de opvang blijven en waar ze daarna gaan wonen.",
        ("Impactmonitor aanpak huiselijk geweld en kindermishandeling", CBS_IMPACTMONITOR),
    ),
    (
        "ahg-08",
        "Monitoren en leren",
        "de monitoring van de aanpak",
        "De gemeente volgt de aanpak met cijfers en signalen uit de praktijk en bespreekt die "
        "jaarlijks met partners.",
        "Volgt de gemeente de aanpak met cijfers en signalen, en bespreekt ze die elk jaar met "
        "partners?",
        "Kies een paar indicatoren, bijvoorbeeld uit de CBS-tabellen over Veilig Thuis, en "
        "bespreek ze jaarlijks met de vier vragen van het kompas.",
        "Leg vast welke verbeteracties uit de bespreking volgen en kijk een jaar later terug.",
        ("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN),
    ),
]

# Revisions after the domain review (DOMAIN-REVIEW M2 and section 3): a reach question that
# fits each measure, links on topic, and current practice named in the explanation.
REACH_WHO = {
    "pkm-01": "welke aanstaande ouders bereiken we, en welke niet?",
    "pkm-03": "welke (aanstaande) ouders van baby's bereiken we, en welke niet?",
    "pkm-06": "welke scholen en leerlingen bereiken we, en welke niet?",
    "pkm-07": "welke beroepsgroepen en hoeveel professionals bereiken we, en welke niet?",
    "pkm-10": "welke inwoners bereiken we, en welke niet?",
    "ahg-05": "welke plegers bereiken we, en welke niet?",
    "ahg-07": "welke slachtoffers en kinderen vinden een veilige plek, en wie niet?",
}
# Measures whose reach is not about families at all get a question of their own.
REACH_QUESTIONS = {
    "ahg-01": (
        "Wat weten we over de bekendheid van Veilig Thuis: weten inwoners en professionals "
        "Veilig Thuis te vinden, en wie niet?"
    ),
    "ahg-02": (
        "Wat weten we over het bereik van de afspraken: met welke partners in het lokale veld "
        "zijn afspraken gemaakt, en met welke niet?"
    ),
    "ahg-08": (
        "Wat weten we over de gegevens waarmee we monitoren: welke partners leveren gegevens "
        "en signalen aan, en welke niet?"
    ),
}
KANSRIJKE_START = (
    "https://www.kansrijkestartnl.nl/actueel/nieuws/2021/09/22/"
    "extra-middelen-beschikbaar-voor-aanpak-huiselijk-geweld-en-kindermishandeling-in-2022"
)
MDA_PLUS = "https://www.movisie.nl/artikel/wethouders-besluiten-mda-aanpak-geweld-achter-voordeur"
VNG_WERKEN_AAN_VEILIGHEID = (
    "https://vng.nl/nieuws/kwaliteitskader-werken-aan-veiligheid-voor-lokale-teams"
)
RADARFUNCTIE = (
    "https://www.rijksoverheid.nl/documenten/rapporten/2017/10/17/radarfunctie-veilig-thuis"
)
TOEKOMSTSCENARIO = (
    "https://vng.nl/artikelen/toekomstscenario-kind-en-gezinsbescherming-zet-kind-en-gezin-centraal"
)
MOVISIE_WMO = (
    "https://gemeenten.movisie.nl/doel/huiselijk-geweld-en-kindermishandeling-aanpakken/beleid/wmo"
)
MEASURE_LINKS = {
    "pkm-01": ("Kansrijke Start: aanpak huiselijk geweld en kindermishandeling", KANSRIJKE_START),
    "pkm-02": ("Ken de risicofactoren (weinig opvoedkennis)", NJI_RISICO),
    "pkm-09": ("Movisie: huiselijk geweld en kindermishandeling in de Wmo", MOVISIE_WMO),
    "ahg-01": ("Radarfunctie Veilig Thuis", RADARFUNCTIE),
    "ahg-02": ("VNG: Kwaliteitskader Werken aan veiligheid", VNG_WERKEN_AAN_VEILIGHEID),
    "ahg-03": ("Movisie: de MDA++-aanpak", MDA_PLUS),
    "ahg-04": ("VNG: Toekomstscenario kind- en gezinsbescherming", TOEKOMSTSCENARIO),
    "ahg-05": ("Movisie: huiselijk geweld en kindermishandeling in de Wmo", MOVISIE_WMO),
    "ahg-07": ("Movisie: opvang en de centrumgemeente", MOVISIE_WMO),
    "ahg-08": ("Impactmonitor aanpak huiselijk geweld en kindermishandeling", CBS_IMPACTMONITOR),
}
MEASURE_ADDITIONS = {
    "pkm-01": (
        " Gemeenten sturen hier vooral via de JGZ en de lokale coalitie Kansrijke Start "
        "(prenatale huisbezoeken, VoorZorg, Stevig Ouderschap)."
    ),
    "pkm-07": (
        " Denk ook aan de kindcheck: wie met volwassenen werkt, gaat na of er kinderen zijn en "
        "of zij veilig zijn."
    ),
    "ahg-01": (
        " Veilig Thuis heeft ook een radarfunctie: het ziet patronen en trends in de regio en "
        "meldt die aan gemeenten."
    ),
    "ahg-02": (
        " Het VNG Kwaliteitskader 'Werken aan veiligheid voor lokale (wijk)teams en gemeenten' "
        "en de zelfscan daarbij helpen deze afspraken te toetsen. Spreek ook af dat school en "
        "kinderopvang na een incident snel worden geïnformeerd."
    ),
    "ahg-03": (
        " In veel regio's heet dit MDA++: systeemgericht en multidisciplinair, met één gezin, "
        "één plan en één regisseur."
    ),
    "ahg-04": (
        " Gemeenten en Rijk werken sinds 2021 aan het Toekomstscenario kind- en "
        "gezinsbescherming (een lokaal team en een regionaal veiligheidsteam)."
    ),
    "ahg-06": (
        " Denk aan seksueel geweld, kinderen van ouders met psychische of verslavingsproblemen "
        "en ouderenmishandeling."
    ),
}


def _revised(rows):
    return [
        (
            code,
            title,
            subject,
            explanation + MEASURE_ADDITIONS.get(code, ""),
            question,
            low,
            partly,
            MEASURE_LINKS.get(code, link),
        )
        for code, title, subject, explanation, question, low, partly, link in rows
    ]


PREVENTION_MEASURES = _revised(PREVENTION_MEASURES)
DOMESTIC_VIOLENCE_MEASURES = _revised(DOMESTIC_VIOLENCE_MEASURES)

THEMES = [
    ("pkm", "Preventie kindermishandeling", PREVENTION_MEASURES),
    ("ahg", "Aanpak huiselijk geweld", DOMESTIC_VIOLENCE_MEASURES),
]


def reach_question(subject: str, code: str = "") -> str:
    """The reach question of a measure: who it should reach differs per measure."""
    if code in REACH_QUESTIONS:
        return REACH_QUESTIONS[code]
    who = REACH_WHO.get(code, "welke gezinnen bereiken we, en welke niet?")
    return f"Wat weten we over het bereik van {subject}: {who}"


def embedding_question(subject: str) -> str:
    return (
        f"Is {subject} geborgd: vastgelegd in beleid, afspraken of contracten, met een "
        "eigenaar en structurele financiering?"
    )


def reach_advice(subject: str) -> str:
    return (
        f"Het bereik van {subject} is nog onbekend of laag. Spreek met de uitvoerders af wat "
        "ze registreren (aantallen en kenmerken van deelnemers) en vergelijk dat met de "
        "doelgroep in uw gemeente."
    )


def embedding_advice(subject: str) -> str:
    return (
        f"Leg {subject} vast in beleid en in afspraken met partners, met een eigenaar en "
        "een budget voor meer dan één jaar. Dan hangt het niet af van één persoon."
    )


# --- Indicators of the Veilig Thuis tables --------------------------------------------------
# Measure keys follow the shape of CBS topic keys (name + number); check each against the
# table's DataProperties before use, since the numbering differs per table. The two 84849NED
# indicators match the demo folder compass/fixtures/cbs/veilig_thuis_84849NED_demo/ (invented
# numbers in the real OData shape) that setup_demo imports.
INDICATORS = [
    {
        "code": "vt-adviezen",
        "name": "Gestarte adviezen Veilig Thuis",
        "unit": "aantal",
        "direction": "neutral",
        "cbs_table_id": "84847NED",
        "measure_key": "Adviezen_1",
        "dimension_filters": {},
        "description": (
            "Gestarte adviezen van Veilig Thuis, als aantal. CBS publiceert aantallen (afgerond op "
            "vijftallen), geen cijfers per 1.000 inwoners. "
            "Geen vaste richting: meer adviezen kan op betere bekendheid van Veilig Thuis wijzen. "
            "Voorbeelddefinitie: controleer de sleutels aan de echte tabel."
        ),
    },
    {
        "code": "vt-meldingen",
        "name": "Meldingen bij Veilig Thuis",
        "unit": "aantal",
        "direction": "neutral",
        "cbs_table_id": "84849NED",
        "region_table_id": "84848NED",
        "measure_key": "Meldingen_2",
        "dimension_filters": {"RolVanMelder": "T001000"},
        "description": (
            "Ontvangen meldingen bij Veilig Thuis, per gemeente (CBS 84849NED, 'Kenmerken "
            "adviezen/meldingen': totaal). Geen vaste richting: lees het samen met signalen uit de "
            "praktijk, want meer meldingen kan betekenen dat er beter gesignaleerd wordt. "
            "Voorbeelddefinitie: controleer de sleutels aan de echte tabel."
        ),
    },
    {
        "code": "vt-meldingen-professionals",
        "name": "Meldingen door professionals",
        "unit": "aantal",
        "direction": "neutral",
        "cbs_table_id": "84849NED",
        "region_table_id": "84848NED",
        "measure_key": "Meldingen_2",
        "dimension_filters": {"RolVanMelder": "T001070"},
        "description": (
            "Ontvangen meldingen van beroepsmatige melders (CBS: 'beroepsmatig totaal'). Ongeveer "
            "negen op de tien meldingen zijn beroepsmatig en een groot deel komt van de politie, "
            "die niet volgens de meldcode meldt: kijk voor het gebruik van de meldcode naar de "
            "sectoren (onderwijs, kinderopvang, JGZ, huisarts). Voorbeelddefinitie: controleer de "
            "sleutels aan de echte tabel."
        ),
    },
    {
        "code": "vt-kindermishandeling",
        "name": "Meldingen over kindermishandeling",
        "unit": "aantal",
        "direction": "neutral",
        "cbs_table_id": "84851NED",
        "region_table_id": "84850NED",
        "measure_key": "Meldingen_2",
        "dimension_filters": {"AardVanHetGeweld": "A047579"},
        "description": (
            "Meldingen per gemeente waarbij het geweld kindermishandeling betreft (CBS 84851NED, "
            "aard van het geweld). Geen vaste richting: meer meldingen kan ook beter signaleren "
            "betekenen. Voorbeelddefinitie: controleer de sleutels aan de echte tabel."
        ),
    },
    {
        "code": "vt-onderzoeken",
        "name": "Afgeronde onderzoeken Veilig Thuis",
        "unit": "aantal",
        "direction": "neutral",
        "cbs_table_id": "84853NED",
        "measure_key": "AfgerondeOnderzoeken_1",
        "dimension_filters": {},
        "description": (
            "Afgeronde diensten onderzoek van Veilig Thuis, met de uitkomst (CBS 84853NED). Deze "
            "tabel bestaat alleen per Veilig Thuis-regio en voor Nederland, niet per gemeente. "
            "Voorbeelddefinitie: controleer de sleutels aan de echte tabel."
        ),
    },
    {
        "code": "vt-eerdere-betrokkenheid",
        "name": "Meldingen met eerdere betrokkenheid",
        "unit": "aantal",
        "direction": "neutral",
        "cbs_table_id": "85361NED",
        "measure_key": "Meldingen_1",
        "dimension_filters": {},
        "description": (
            "Meldingen over gezinnen die eerder bij Veilig Thuis in beeld waren (CBS 85361NED: "
            "eerste melding, hermelding en vervolgmelding staan daar als onderwerpen, niet als "
            "dimensie). Een hoog aandeel kan wijzen op geweld dat niet duurzaam stopt. "
            "Voorbeelddefinitie: controleer de sleutels aan de echte tabel."
        ),
    },
]

KNOWLEDGE_RESOURCES = [
    ("Kwaliteitskompas voor gemeentelijk beleid", NJI_KOMPAS_GEMEENTEN, "dossier"),
    ("Outcome-indicatoren jeugdhulp", NJI_OUTCOME, "guideline"),
    ("Erkenningsprocedure Databank Effectieve Jeugdinterventies", NJI_ERKENNING, "intervention"),
    ("Ken de risicofactoren van kindermishandeling", NJI_RISICO, "dossier"),
    ("Monitor Aanpak Kindermishandeling en Huiselijk Geweld", NJI_MONITOR, "research"),
    ("Impactmonitor aanpak huiselijk geweld en kindermishandeling", CBS_IMPACTMONITOR, "data"),
    ("Meldcode huiselijk geweld en kindermishandeling", MELDCODE, "guideline"),
]

# CBS Impactmonitor: 90,000 to 127,000 children faced child abuse in 2017. With about
# 3.4 million young people aged 0-17: 90,000 / 3,400,000 x 1,000 = 26.5 and
# 127,000 / 3,400,000 x 1,000 = 37.4 per 1,000 children.
PREVALENCE = {
    "label": (
        "Kinderen van 0-17 jaar met door professionals gesignaleerde kindermishandeling "
        "(ondergrens)"
    ),
    "low_rate": "26.5",
    "high_rate": "37.4",
    "year": 2017,
    "source": (
        "Nationale Prevalentiestudie Mishandeling NPM-2017 (Alink e.a. 2018, in opdracht van het "
        "WODC; overgenomen in de CBS Impactmonitor)"
    ),
    "source_url": WODC_NPM2017,
    "population": "0-17",
    "explanation": (
        "Volgens de Nationale Prevalentiestudie Mishandeling (NPM-2017) kregen in 2017 tussen de "
        "90.000 en 127.000 kinderen van 0-17 jaar te maken met kindermishandeling die "
        "professionals signaleerden: ongeveer 3 procent. Dat is een ondergrens; in "
        "zelfrapportage door scholieren ligt het aandeel veel hoger. (De oudere NPM-2010 kwam "
        "op 34 per 1.000, bijna 119.000 kinderen.) Nederland telde toen ongeveer 3,4 miljoen "
        "jeugdigen van 0 tot en met 17 jaar. Dat is 90.000 / 3.400.000 × 1.000 = 26,5 tot "
        "127.000 / 3.400.000 × 1.000 = 37,4 kinderen per 1.000, ongeveer één op de dertig."
    ),
}

# Domestic violence among people aged 16 and over (issue 19 H3): the former monitor also gave
# estimates of domestic violence, and CBS reports it for 16+ (DOMAIN.md §6). One figure, so
# the low and the high rate are the same.
PREVALENCE_ADULTS = {
    "label": "Mensen van 16 jaar en ouder die te maken kregen met huiselijk geweld",
    "low_rate": "80",
    "high_rate": "80",
    "year": 2020,
    "population": "16+",
    "source": (
        "CBS, Prevalentiemonitor huiselijk geweld en seksueel grensoverschrijdend gedrag 2020 "
        "(Impactmonitor 2021, hoofdstuk 3; Impactmonitor 2023)"
    ),
    "source_url": CBS_IMPACTMONITOR,
    "explanation": (
        "Volgens het CBS kreeg in 2020 ongeveer 8 procent van de mensen van 16 jaar en ouder te "
        "maken met huiselijk geweld, ruim 1,2 miljoen mensen (80 per 1.000); in 2022 ging het "
        "om ongeveer 1,3 miljoen. Het cijfer komt uit een enquête onder de bevolking, niet uit "
        "meldingen. Het is een landelijk cijfer: het aandeel in uw gemeente kan anders zijn."
    ),
}

PREVALENCE_RATES = [PREVALENCE, PREVALENCE_ADULTS]
