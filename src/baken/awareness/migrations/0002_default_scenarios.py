"""Load the default practice scenarios of /melden/oefenen (issue 17): short situations an
employee may meet at work, one or two per theme of the default catalogue, with the answer the
team advises and why.

The texts are frozen here on purpose, like the catalogue's (intake 0002): after installation
the scenarios belong to the municipality, which changes them without code, and later releases
must not rewrite them. Plain Dutch (B1). At least one scenario says not to report (a quarrel
between neighbours without signs) and at least one that doubt is right: practising is also
learning when the Meldpunt is not the place.
"""

from django.db import migrations

SCENARIOS = [
    # (the theme's code in the catalogue, situation, advice, explanation)
    (
        "witwassen",
        "Een collega aan de balie vergunningen ziet dat dezelfde persoon voor de derde keer "
        "een horecavergunning aanvraagt voor een andere zaak. Hij betaalt steeds met contant "
        "geld. Zou u dit melden?",
        "report",
        "Ja, meld dit. Steeds nieuwe zaken op één naam en betalen met contant geld kunnen "
        "wijzen op witwassen of op een stroman. U hoeft niet zeker te weten wat er speelt: het "
        "team zoekt dat uit. Eén keer contant betalen is op zich geen reden om te melden.",
    ),
    (
        "intimidatie",
        "Een inwoner belt voor de vierde keer over zijn buurman. De buurman zet zijn "
        "vuilnisbak steeds voor de oprit en ze hebben ruzie over de heg. Verder hoort u niets "
        "vreemds. Zou u dit melden?",
        "no",
        "Nee, dit is geen melding voor het Meldpunt. Een ruzie tussen buren zonder bedreiging "
        "en zonder tekenen van misdaad is geen ondermijning. Verwijs de inwoner naar "
        "buurtbemiddeling of de wijkagent. Hoort u wel over bedreiging, vernieling of angst "
        "om te praten? Dan kunt u wel melden.",
    ),
    (
        "drugs",
        "Een toezichthouder controleert een bedrijfspand op het industrieterrein. Hij ruikt "
        "een sterke geur van anijs. De ramen zijn afgeplakt en achter het pand staan "
        "jerrycans. Zou u dit melden?",
        "report",
        "Ja, meld dit. Een geur van anijs, afgeplakte ramen en jerrycans passen samen bij een "
        "drugslab. Ga niet zelf kijken of vragen stellen: dat kan gevaarlijk zijn. Meld wat u "
        "zag, waar en wanneer.",
    ),
    (
        "vastgoed",
        "Een collega van de afdeling Wonen hoort dat een huurder de huur van een woning een "
        "jaar vooruit heeft betaald. Verder weet u niets over de huurder of de woning. Zou u "
        "dit melden?",
        "doubt",
        "Twijfel is hier terecht. Huur vooruit betalen mag en komt gewoon voor. Samen met "
        "andere signalen wordt het wel een reden om te melden: contant betalen, een huurder "
        "die niemand kent, of een woning die leeg lijkt terwijl er wel mensen komen. Twijfelt "
        "u nog? Meld het gerust. Het team weegt elke melding.",
    ),
    (
        "mensenhandel",
        "Een collega van Burgerzaken ziet dat op één klein adres in korte tijd twaalf mensen "
        "worden ingeschreven. Aan de balie praat steeds dezelfde man voor hen. Hij houdt ook "
        "hun paspoorten vast. Zou u dit melden?",
        "report",
        "Ja, meld dit. Veel mensen op één adres en iemand die het woord voert en de papieren "
        "van anderen vasthoudt, zijn signalen van uitbuiting. Er kan een gewone verklaring "
        "zijn, maar dat zoekt het team uit. Zo helpt u misschien mensen die zelf geen hulp "
        "durven te vragen.",
    ),
    (
        "witwassen",
        "Een inwoner komt met een dure nieuwe auto naar het gemeentehuis om een paspoort aan "
        "te vragen. Verder valt u niets op. Zou u dit melden?",
        "no",
        "Nee. Een dure auto zegt op zich niets: iemand kan goed verdienen, sparen of de auto "
        "leasen. Meld pas als er meer is, bijvoorbeeld geld uitgeven dat duidelijk niet past "
        "bij wat u uit uw werk over iemand weet.",
    ),
    (
        "fraude-corruptie",
        "Een aannemer biedt een collega die vergunningen beoordeelt een gratis weekend weg "
        "aan. Hij zegt erbij dat zijn aanvraag 'dan vast snel rond is'. Zou u dit melden?",
        "report",
        "Ja, meld dit. Een cadeau in ruil voor een snelle vergunning is een poging tot "
        "omkoping. Neem het aanbod niet aan. Meld het ook bij uw leidinggevende of de "
        "vertrouwenspersoon integriteit.",
    ),
    (
        "malafide-bedrijven",
        "Een handhaver loopt elke week langs een telefoonwinkel in het centrum. Er is nooit "
        "een klant binnen. Toch is de winkel al jaren open en staat er vaak een dure auto voor "
        "de deur. Zou u dit melden?",
        "report",
        "Ja, meld dit. Een winkel zonder klanten die toch open kan blijven, kan een dekmantel "
        "zijn om crimineel geld wit te wassen. U hoeft niet meer te weten: het team kijkt of "
        "er al meer bekend is over de winkel.",
    ),
    (
        "cybercrime",
        "Bij een huisbezoek ziet een consulent veel computers en kabels in de woonkamer. De "
        "bewoner zegt dat hij thuis werkt als programmeur. Zou u dit melden?",
        "doubt",
        "Dit is een twijfelgeval. Veel apparatuur kan gewoon bij thuiswerk horen. Het wordt "
        "een signaal als er meer is: een heel hoog stroomverbruik, afgeplakte ramen of een "
        "verhaal dat niet klopt. Twijfelt u na het bezoek nog? Meld het dan gerust: het team "
        "weegt elke melding, ook als het niets blijkt te zijn.",
    ),
    (
        "intimidatie",
        "Een ondernemer die altijd graag met de gemeente praatte, trekt ineens zijn aanvraag "
        "voor een terras in. Hij wil niet zeggen waarom. Een week eerder zijn bij zijn zaak "
        "de ruiten ingegooid. Zou u dit melden?",
        "report",
        "Ja, meld dit. Een ondernemer die na een vernieling ineens niet meer wil praten, wordt "
        "misschien bedreigd of afgeperst. Vraag niet zelf door. Het team kan kijken of er meer "
        "speelt en hoe de ondernemer veilig geholpen kan worden.",
    ),
]


def load(apps, schema_editor):
    Category = apps.get_model("reports", "Category")
    PracticeScenario = apps.get_model("awareness", "PracticeScenario")
    categories = {c.code: c for c in Category.objects.filter(code__in=_codes())}
    for position, (code, situation, advice, explanation) in enumerate(SCENARIOS, start=1):
        category = categories.get(code)
        if category is None:
            continue  # the municipality removed this theme before this release: no scenario
        PracticeScenario.objects.get_or_create(
            category=category,
            situation=situation,
            defaults={"advice": advice, "explanation": explanation, "position": position * 10},
        )


def unload(apps, schema_editor):
    # Only the scenarios as this migration wrote them; their counts go with them.
    PracticeScenario = apps.get_model("awareness", "PracticeScenario")
    for code, situation, _advice, _explanation in SCENARIOS:
        PracticeScenario.objects.filter(category__code=code, situation=situation).delete()


def _codes() -> set[str]:
    return {row[0] for row in SCENARIOS}


class Migration(migrations.Migration):
    # The themes are the catalogue's categories: loaded by intake 0002, renamed by 0007.
    dependencies = [
        ("awareness", "0001_initial"),
        ("intake", "0007_category_motorbendes_dutch_name"),
    ]
    operations = [migrations.RunPython(load, unload)]
