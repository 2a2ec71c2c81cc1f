"""Migration 0008 on data made before it: versions published when made, and each existing
intervention one change with what it is now, by who last changed it (the audit log)."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from baken.accounts.models import Team
from baken.audit.services import Target, audit_record
from baken.core.roles import Role

BEFORE = ("cases", "0007_week_indexes")
AFTER = ("cases", "0008_version_draft_intervention_changes_handover_key")


@pytest.mark.django_db(transaction=True)
def test_existing_interventions_get_their_change_by_who_last_made_one(make_user):
    team = Team.objects.create(name="Noord")
    creator = make_user(role=Role.ANALYST, team=team)
    changer = make_user(role=Role.TEAM_LEAD, team=team)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])
        old = executor.loader.project_state([BEFORE]).apps
        version = old.get_model("cases", "CaseTypeVersion").objects.get(number=1)
        case = old.get_model("cases", "Case").objects.create(
            reference="Z-TEST-0001",
            title="Loods",
            team_id=team.pk,
            version=version,
            stage=version.stages.order_by("position").first(),
            opened_at=timezone.now(),
        )
        now = timezone.now()
        intervention = old.get_model("cases", "Intervention")
        kind = old.get_model("cases", "InterventionType").objects.get(code="bibob")
        fields = {
            "case": case,
            "kind": kind,
            "legal_basis": "Wet Bibob",
            "responsible": "College",
            "start_date": now.date(),
            "created_by_id": creator.pk,
            "created_at": now,
        }
        changed = intervention.objects.create(
            **fields, state="done", outcome="Geweigerd.", updated_at=now
        )
        untouched = intervention.objects.create(**fields, state="planned", updated_at=now)
        with transaction.atomic():
            audit_record(
                actor=changer,
                action="case.intervention_update",
                target=Target("cases.case", str(case.pk)),
                detail={"intervention": changed.pk, "state": "done"},
            )

        executor.loader.build_graph()
        executor.migrate([AFTER])
        new = executor.loader.project_state([AFTER]).apps
        changes = new.get_model("cases", "InterventionChange").objects
        assert changes.get(intervention_id=changed.pk).author_id == changer.pk
        done = changes.get(intervention_id=changed.pk)
        assert (done.state, done.outcome) == ("done", "Geweigerd.")
        assert changes.get(intervention_id=untouched.pk).author_id == creator.pk
        published = new.get_model("cases", "CaseTypeVersion").objects.get(pk=version.pk)
        assert published.published_at == published.created_at
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_seeded_criteria_that_ask_for_a_fact_become_derived_in_every_version():
    """Migration 0010 marks the model protocol's criteria that ask for a fact as derived, in
    the published version and in a later one; a question reworded by the functional
    administrator stays judgement."""
    before, after = ("cases", "0009_decision_handler"), ("cases", "0010_derived_criteria")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([before])
        old = executor.loader.project_state([before]).apps
        versions = old.get_model("cases", "CaseTypeVersion").objects
        v1 = versions.get(number=1)
        v2 = versions.create(
            case_type=v1.case_type, number=2, created_at=v1.created_at, published_at=v1.created_at
        )
        for stage in v1.stages.all():
            copy = old.get_model("cases", "Stage").objects.create(
                version=v2, position=stage.position, code=stage.code, name=stage.name
            )
            for c in stage.criteria.all():
                question = c.question
                if c.code == "interventies-vastgelegd":
                    question = "Is de monitoring van de interventies afgesproken?"
                copy.criteria.create(
                    position=c.position, code=c.code, question=question, choices=c.choices
                )

        executor.loader.build_graph()
        executor.migrate([after])
        new = executor.loader.project_state([after]).apps
        criteria = new.get_model("cases", "StageCriterion").objects
        facts = {
            (c.stage.version.number, c.code): c.fact
            for c in criteria.select_related("stage__version").exclude(fact="")
        }
        assert facts == {
            (1, "bronnen-goedgekeurd"): "sources_approved",
            (1, "hit-no-hit"): "hits_recorded",
            (1, "interventies-vastgelegd"): "intervention_recorded",
            (2, "bronnen-goedgekeurd"): "sources_approved",
            (2, "hit-no-hit"): "hits_recorded",
        }
        assert criteria.get(stage__version__number=2, code="weging-4").fact == ""
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
