"""Criteria backed by facts (ADR 0012, "Derived criteria"): a criterion may be derived from
what the case records instead of being the handler's judgement. The model protocol's criteria
that ask for such a fact are marked derived in every version, published ones included: a
version is frozen so that a running case keeps its rules, and this changes no rule — it makes
the answer what the records say, where a "ja" could be typed without the fact. A criterion
whose question a functional administrator reworded keeps being judgement."""

from django.db import migrations, models

FACTS = ["intervention_recorded", "sources_approved", "hits_recorded", "handover_registered"]
FACTS.append("privacy_checks_answered")


def mark_seeded(apps, schema_editor):
    from baken.cases.catalogue import MODEL_PROTOCOL

    StageCriterion = apps.get_model("cases", "StageCriterion")
    for stage in MODEL_PROTOCOL["stages"]:
        for spec in stage["criteria"]:
            if spec.get("fact"):
                StageCriterion.objects.filter(
                    stage__version__case_type__code=MODEL_PROTOCOL["code"],
                    stage__code=stage["code"],
                    code=spec["code"],
                    question=spec["question"],
                    fact="",
                ).update(fact=spec["fact"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_decision_handler")]

    operations = [
        migrations.AddField(
            model_name="stagecriterion",
            name="fact",
            field=models.CharField(
                blank=True,
                choices=[
                    ("intervention_recorded", "an intervention is recorded"),
                    ("sources_approved", "the privacy officer approved the source research"),
                    ("hits_recorded", "hit or no hit is recorded for every approved source"),
                    ("handover_registered", "a hand-over is in the sharing register"),
                    (
                        "privacy_checks_answered",
                        "privacy checks 2A and 2B of the plan of approach are answered",
                    ),
                ],
                max_length=32,
                verbose_name="derived from",
            ),
        ),
        migrations.AddConstraint(
            model_name="stagecriterion",
            constraint=models.CheckConstraint(
                condition=models.Q(fact__in=["", *FACTS]), name="stage_criterion_fact_known"
            ),
        ),
        migrations.RunPython(mark_seeded, migrations.RunPython.noop),
    ]
