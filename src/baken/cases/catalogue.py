"""The default case type: the model protocol's stages 3 to 5 (docs/product.md#cases),
in Dutch, as the municipality's own data. The functional administrator changes it by making
a new version; these texts are only its first version. A criterion with a "fact" is derived
from what the case records (facts.py), not answered by hand."""

from typing import Any

from django.utils import timezone

MODEL_PROTOCOL: dict[str, Any] = {
    "code": "modelprotocol",
    "name": "Modelprotocol aanpak ondermijning",
    "stages": [
        {
            "code": "bronnenonderzoek",
            "name": "Bronnenonderzoek",
            "criteria": [
                {
                    "code": "bronnen-goedgekeurd",
                    "fact": "sources_approved",
                    "question": "Heeft de privacyfunctionaris de te raadplegen bronnen "
                    "goedgekeurd?",
                    "choices": ["ja", "nee"],
                },
                {
                    "code": "hit-no-hit",
                    "fact": "hits_recorded",
                    "question": "Is van elke geraadpleegde bron vastgelegd of er een hit was?",
                    "choices": ["ja", "nee"],
                },
                {
                    "code": "weging-4",
                    "question": "Weging 4: welke route volgt de casus?",
                    "choices": ["acties door afdelingen", "intern casusoverleg", "RIEC"],
                },
            ],
        },
        {
            "code": "plan-van-aanpak",
            "name": "Plan van aanpak",
            "criteria": [
                {
                    "code": "privacytoets-2a",
                    "question": "Privacytoets 2A: is duidelijk wie welke gegevens mag ontvangen "
                    "om over de aanpak te besluiten?",
                    "choices": ["ja", "nee"],
                },
                {
                    "code": "privacytoets-2b",
                    "question": "Privacytoets 2B: heeft elke verdere verstrekking een "
                    "wettelijke grondslag?",
                    "choices": ["ja", "nee", "geen verstrekking nodig"],
                },
                {
                    "code": "plan-afgestemd",
                    "question": "Is het plan van aanpak afgestemd met de partners?",
                    "choices": ["ja", "nee"],
                    "mandatory": False,
                },
            ],
        },
        {
            "code": "interventie",
            "name": "Interventie en monitoring",
            "criteria": [
                {
                    "code": "interventies-vastgelegd",
                    "fact": "intervention_recorded",
                    "question": "Zijn de interventies vastgelegd, met hun uitkomst?",
                    "choices": ["ja", "nee"],
                },
                {
                    "code": "monitoring",
                    "question": "Is afgesproken hoe de situatie gevolgd wordt?",
                    "choices": ["ja", "nee"],
                    "mandatory": False,
                },
            ],
        },
        {"code": "afgesloten", "name": "Afgesloten", "is_closed": True, "criteria": []},
    ],
    "results": [
        {"code": "interventie-uitgevoerd", "name": "Interventie uitgevoerd"},
        {"code": "overgedragen-riec", "name": "Overgedragen aan het RIEC"},
        {"code": "overgedragen-politie", "name": "Overgedragen aan de politie"},
        {"code": "geen-grond", "name": "Geen grond voor een interventie"},
        {"code": "opgegaan", "name": "Opgegaan in een andere casus"},
    ],
}


def install(apps, spec: dict = MODEL_PROTOCOL, *, created_at=None):
    """Create the case type's first version from `spec`, published (used by the data
    migration)."""
    CaseType = apps.get_model("cases", "CaseType")
    CaseTypeVersion = apps.get_model("cases", "CaseTypeVersion")
    Stage = apps.get_model("cases", "Stage")
    StageCriterion = apps.get_model("cases", "StageCriterion")
    CaseResult = apps.get_model("cases", "CaseResult")
    case_type, _ = CaseType.objects.get_or_create(
        code=spec["code"], defaults={"name": spec["name"]}
    )
    if case_type.versions.exists():
        return case_type
    made = created_at or timezone.now()
    version = CaseTypeVersion(case_type=case_type, number=1, created_at=made)
    # The first version is the protocol itself: published at once, or no case could start.
    # Migration 0002 runs before drafts existed (0008 publishes what 0002 made); a later
    # caller's model has the field.
    if any(field.name == "published_at" for field in CaseTypeVersion._meta.get_fields()):
        version.published_at = made
    version.save()
    has_fact = any(field.name == "fact" for field in StageCriterion._meta.get_fields())
    for position, stage_spec in enumerate(spec["stages"], start=1):
        stage = Stage.objects.create(
            version=version,
            position=position,
            code=stage_spec["code"],
            name=stage_spec["name"],
            is_closed=stage_spec.get("is_closed", False),
        )
        for index, criterion in enumerate(stage_spec["criteria"], start=1):
            StageCriterion.objects.create(
                stage=stage,
                position=index,
                code=criterion["code"],
                question=criterion["question"],
                choices=criterion["choices"],
                mandatory=criterion.get("mandatory", True),
                # Migration 0002 runs before derived criteria existed (0010 marks them).
                **({"fact": criterion["fact"]} if criterion.get("fact") and has_fact else {}),
            )
    for position, result in enumerate(spec["results"], start=1):
        CaseResult.objects.create(version=version, position=position, **result)
    return case_type
