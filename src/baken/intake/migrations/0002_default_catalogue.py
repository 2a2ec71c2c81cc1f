"""Load the default category catalogue with its signs (the indicator guide;
docs/product.md#the-default-catalogue).

The texts are frozen here on purpose: the catalogue belongs to the municipality after
installation, and later releases must not rewrite it.
"""

from django.db import migrations

CATALOGUE = [
    (
        "drugs",
        "Drugs",
        "Productie (hennepteelt, drugslab), handel en gedumpt drugsafval.",
        [
            "Ramen die zijn afgeplakt of altijd bedekt",
            "Geur van hennep, anijs of aceton",
            "Veel korte bezoekjes, ook op vreemde tijden",
            "Condens op de ramen of een dak waar geen sneeuw blijft liggen",
            "Geknoeid aan de stroomvoorziening of een opvallend hoog verbruik",
            "Vaten, jerrycans of chemisch afval in de buurt gedumpt",
        ],
    ),
    (
        "mensenhandel",
        "Mensenhandel en uitbuiting",
        "Gedwongen prostitutie en arbeidsuitbuiting.",
        [
            "Mensen die niet vrij lijken te kunnen gaan en staan",
            "Veel mensen op één adres, vaak wisselend",
            "Werknemers die vroeg worden opgehaald en laat teruggebracht",
            "Iemand anders voert steeds het woord of houdt de papieren",
        ],
    ),
    (
        "illegale-prostitutie",
        "Illegale prostitutie",
        "Prostitutie zonder vergunning of op verborgen plekken.",
        [
            "Advertenties met een woonadres",
            "Veel wisselende bezoekers, vooral mannen, op vreemde tijden",
            "Een pand waar steeds andere vrouwen verblijven",
        ],
    ),
    (
        "witwassen",
        "Witwassen en verdachte transacties",
        "Geld uit misdaad dat een legale herkomst krijgt.",
        [
            "Grote contante betalingen",
            "Een uitgavenpatroon dat niet past bij inkomen of bedrijf",
            "Vastgoed of auto's die snel van eigenaar wisselen",
        ],
    ),
    (
        "vastgoed",
        "Misbruik van vastgoed",
        "Panden verhuurd aan criminelen, stromanschap, vastgoedfraude.",
        [
            "Huur wordt contant of vooruit voor lange tijd betaald",
            "De eigenaar of huurder is onbekend of onbereikbaar",
            "Een pand staat leeg maar er is wel verkeer",
            "Zware camerabeveiliging of verstevigde deuren",
        ],
    ),
    (
        "fraude-corruptie",
        "Fraude en corruptie",
        "Zorgfraude, uitkerings- of subsidiefraude, integriteit van ambtenaren.",
        [
            "Aanvragen met gegevens die niet kloppen of steeds hetzelfde adres",
            "Druk of giften richting medewerkers",
            "Zorg die wordt gedeclareerd maar niet lijkt te worden geleverd",
        ],
    ),
    (
        "malafide-bedrijven",
        "Malafide bedrijven",
        "Frontstores, winkels zonder klanten, vakantieparken, schuren in het buitengebied.",
        [
            "Een winkel zonder klanten die toch openblijft",
            "Een 'lege' schuur waar mensen komen en gaan",
            "Snelle wisselingen van eigenaar of bestuurder",
            "Bedrijfsactiviteit die niet past bij de omschrijving in het handelsregister",
        ],
    ),
    (
        "intimidatie",
        "Intimidatie, afpersing en geweld",
        "Bedreiging van ondernemers, bewoners of ambtenaren.",
        [
            "Ondernemers die plots niet meer willen praten",
            "Bedreigingen of vernielingen zonder duidelijke aanleiding",
            "Aanslagen op panden of voertuigen",
        ],
    ),
    (
        "wapenhandel",
        "Wapenhandel",
        "Handel in of opslag van vuurwapens en explosieven.",
        [
            "Zwaar beveiligde opslag zonder duidelijke reden",
            "Gesprekken of berichten over wapens",
        ],
    ),
    (
        "cybercrime",
        "Cybercrime",
        "Digitale criminaliteit zoals phishing, hacken en online fraude.",
        [
            "Veel apparatuur en bekabeling in een woning",
            "Hoog stroomverbruik zonder verklaring",
        ],
    ),
    (
        "motorbendes",
        "Outlaw motorcycle gangs",
        "Criminele motorbendes en hun clubhuizen.",
        [
            "Clubhuis met zware beveiliging",
            "Colors en insignes die in het openbaar worden gedragen",
            "Intimidatie van omwonenden of ondernemers",
        ],
    ),
    (
        "niet-pluis",
        "Overig / niet pluis",
        "Iets klopt niet, maar u weet niet precies wat. Ook dat is welkom.",
        [
            "Een gevoel dat er iets niet klopt",
            "Activiteit die niet past bij de plek of het tijdstip",
        ],
    ),
]


def load(apps, schema_editor):
    Category = apps.get_model("intake", "Category")
    Indicator = apps.get_model("intake", "Indicator")
    for position, (code, name, description, signs) in enumerate(CATALOGUE, start=1):
        category, created = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "position": position * 10},
        )
        if created:
            Indicator.objects.bulk_create(
                Indicator(category=category, text=text, position=i)
                for i, text in enumerate(signs, start=1)
            )


def unload(apps, schema_editor):
    apps.get_model("intake", "Category").objects.filter(
        code__in=[row[0] for row in CATALOGUE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
