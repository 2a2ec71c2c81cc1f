"""The municipality's sources for source research and the intervention catalogue, ordered
by the barrier model; both kept by the functional administrator afterwards."""

from django.db import migrations

SOURCES = [
    ("brp", "Basisregistratie Personen (BRP)"),
    ("bag", "Basisregistratie Adressen en Gebouwen (BAG)"),
    ("woz", "WOZ-waarden"),
    ("kvk", "Handelsregister (KvK)"),
    ("vergunningen", "Vergunningen"),
    ("handhaving", "Toezicht en handhaving"),
    ("belastingen", "Gemeentelijke belastingen"),
    ("sociaal-domein", "Sociaal domein"),
]

INTERVENTIONS = [
    ("integrale-controle", "Integrale controle", "Gemeentewet, APV", "Gemeente met partners"),
    ("bibob", "Bibob-toets", "Wet Bibob", "Burgemeester / college"),
    (
        "vergunning-geweigerd",
        "Vergunning geweigerd of ingetrokken",
        "Wet Bibob, APV",
        "Burgemeester / college",
    ),
    ("waarschuwing", "Waarschuwing", "Opiumwet art. 13b, Gemeentewet art. 174a", "Burgemeester"),
    ("last-onder-dwangsom", "Last onder dwangsom", "Awb art. 5:32", "College"),
    ("sluiting-13b", "Sluiting (art. 13b Opiumwet)", "Opiumwet art. 13b", "Burgemeester"),
    ("sluiting-174a", "Sluiting (art. 174a Gemeentewet)", "Gemeentewet art. 174a", "Burgemeester"),
    ("overdracht-politie", "Overdracht aan de politie", "Wet politiegegevens", "Politie / OM"),
    ("signaal-belastingdienst", "Signaal aan de Belastingdienst", "AVG art. 6", "Belastingdienst"),
]


def forwards(apps, schema_editor):
    Source = apps.get_model("cases", "Source")
    InterventionType = apps.get_model("cases", "InterventionType")
    for position, (code, name) in enumerate(SOURCES, start=1):
        Source.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    for position, (code, name, basis, responsible) in enumerate(INTERVENTIONS, start=1):
        InterventionType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "legal_basis": basis,
                "responsible": responsible,
                "position": position,
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("cases", "Source").objects.filter(code__in=[c for c, _ in SOURCES]).delete()
    apps.get_model("cases", "InterventionType").objects.filter(
        code__in=[i[0] for i in INTERVENTIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_research_interventions_handovers")]

    operations = [migrations.RunPython(forwards, backwards)]
