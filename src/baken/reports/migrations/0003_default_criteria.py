"""The default weighing criteria of the CCV model protocol (stages 1 and 2,
docs/product.md#weighing-and-the-decision).

Frozen here on purpose, like the category catalogue: after installation the criteria belong
to the municipality, which changes them without code.
"""

from django.db import migrations

ANSWERS = ["ja", "nee", "onbekend"]

CRITERIA = [
    # (weighing, code, question, explanation, mandatory)
    (
        "1",
        "verankering",
        "Is er een situationele of lokale verankering?",
        "Een concrete plek, een pand, een bedrijf of een netwerk in de gemeente.",
        True,
    ),
    (
        "1",
        "signalering",
        "Is er ten minste één signalerende indicator?",
        "Incongruentie, malafide of criminele activiteit, systematisch en structureel, "
        "latent of complex.",
        True,
    ),
    ("1", "rode-vlaggen", "Zijn er rode vlaggen?", "Bijvoorbeeld geweld of wapens.", False),
    (
        "2a",
        "gemeentelijke-taak",
        "Raakt dit een gemeentelijke taak of bevoegdheid?",
        "Zo niet: doorverwijzen naar wie er wel over gaat.",
        True,
    ),
    (
        "2b",
        "eigen-grondgebied",
        "Speelt dit op het grondgebied van de gemeente?",
        "Zo niet: doorverwijzen naar die gemeente.",
        True,
    ),
    ("3", "concreet", "Is de melding concreet?", "Wie, wat, waar en wanneer.", True),
    ("3", "recent", "Is de melding recent?", "Speelt het nu, of kort geleden?", True),
    (
        "3",
        "trend",
        "Past de melding in een trend of fenomeen?",
        "Eerdere meldingen of bekende patronen in de buurt.",
        False,
    ),
]


def load(apps, schema_editor):
    Criterion = apps.get_model("reports", "Criterion")
    for position, (weighing, code, question, help_text, mandatory) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            code=code,
            defaults={
                "weighing": weighing,
                "question": question,
                "help_text": help_text,
                "choices": ANSWERS,
                "mandatory": mandatory,
                "position": position,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("reports", "Criterion").objects.filter(
        code__in=[code for _w, code, *_rest in CRITERIA]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_triage")]

    operations = [migrations.RunPython(load, unload)]
