"""The subjects app's write services check the actor themselves (ADR 0027): called directly —
as a management command or another surface would — by someone who may not know the report or
subject (another team's analyst, Baken itself) they refuse with not_found (404), by someone
who may know it but whose role may not do the work (intake) with forbidden (403); and nothing
is written, not even an audit entry."""

import pytest

from baken.audit.models import AuditEntry
from baken.core.actors import SYSTEM
from baken.core.refusals import Refused
from baken.core.roles import Role
from baken.subjects.models import Judgement, Mention, Relation, Subject
from baken.subjects.relations import relation_add, relation_remove
from baken.subjects.services import (
    mention_judge,
    subject_create_from,
    subject_merge,
    subject_unmerge,
)
from tests.subjects.test_matching import named_in, registered, report_naming

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def world(analyst):
    """Two subjects the analyst registered, one merged into the other, one more subject and
    a relation; and a report of the team naming someone not yet registered."""
    jan = registered(analyst, type="person", name="Jan de Vries")
    janny = registered(analyst, type="person", name="J. de Vries")
    merged = registered(analyst, type="person", name="Jan de Vries sr.")
    subject_merge(keep=jan, merge=merged, actor=analyst, reason="Zelfde persoon.")
    firm = registered(analyst, type="organisation", name="Schuur B.V.")
    relation = relation_add(
        source=jan, target=firm, kind="director_of", actor=analyst, source_registry="KvK"
    )
    report = report_naming(analyst.team, {"type": "person", "name": "Piet Bakker"})
    return {
        "jan": jan,
        "janny": janny,
        "merged": merged,
        "firm": firm,
        "relation": relation,
        "named": named_in(report),
    }


def _writes(world):
    """What a refused write must leave as it was."""
    return (
        Subject.objects.count(),
        sorted(Subject.objects.values_list("pk", "merged_into_id")),
        sorted(Mention.objects.values_list("pk", "judgement")),
        sorted(Relation.objects.values_list("pk", flat=True)),
        AuditEntry.objects.exclude(action__endswith=".read").count(),
    )


def _calls(world, actor):
    return {
        "judge": lambda: mention_judge(
            report_subject=world["named"],
            subject=world["janny"],
            judgement=Judgement.SAME,
            actor=actor,
        ),
        "register": lambda: subject_create_from(report_subject=world["named"], actor=actor),
        "merge": lambda: subject_merge(
            keep=world["jan"], merge=world["janny"], actor=actor, reason="Zelfde persoon."
        ),
        "unmerge": lambda: subject_unmerge(
            keep=world["jan"], merged=world["merged"], actor=actor, reason="Toch niet."
        ),
        "relate": lambda: relation_add(
            source=world["janny"],
            target=world["firm"],
            kind="employed_by",
            actor=actor,
            source_registry="KvK",
        ),
        "unrelate": lambda: relation_remove(relation=world["relation"], actor=actor),
    }


WRITES = ["judge", "register", "merge", "unmerge", "relate", "unrelate"]


@pytest.mark.parametrize("write", WRITES)
def test_intake_may_know_the_subjects_but_may_not_do_the_analysts_work(
    write, world, analyst, make_user
):
    intake = make_user(role=Role.INTAKE, team=analyst.team)
    before = _writes(world)
    with pytest.raises(Refused) as refused:
        _calls(world, intake)[write]()
    assert (refused.value.status, refused.value.code) == (403, "permission_denied")
    assert _writes(world) == before


@pytest.mark.parametrize("write", WRITES)
def test_another_teams_analyst_is_told_nothing_exists(write, world, make_user):
    stranger = make_user(role=Role.ANALYST, team__name="Andere gemeente")
    before = _writes(world)
    with pytest.raises(Refused) as refused:
        _calls(world, stranger)[write]()
    assert refused.value.status == 404
    assert _writes(world) == before


@pytest.mark.parametrize("write", WRITES)
def test_baken_itself_writes_nothing_about_subjects(write, world):
    before = _writes(world)
    with pytest.raises(Refused) as refused:
        _calls(world, SYSTEM)[write]()
    assert refused.value.status == 404
    assert _writes(world) == before


@pytest.mark.parametrize("write", WRITES)
def test_the_analyst_of_the_team_may(write, world, analyst):
    _calls(world, analyst)[write]()


def test_a_subject_known_only_to_another_team_is_refused_as_not_found(world, analyst, make_user):
    stranger = make_user(role=Role.ANALYST, team__name="Andere gemeente")
    theirs = registered(stranger, type="person", name="Jan de Vries")
    with pytest.raises(Refused) as refused:
        mention_judge(
            report_subject=world["named"],
            subject=theirs,
            judgement=Judgement.SAME,
            actor=analyst,
        )
    assert refused.value.status == 404
    with pytest.raises(Refused) as refused:
        subject_merge(keep=world["jan"], merge=theirs, actor=analyst, reason="Zelfde persoon.")
    assert refused.value.status == 404
    assert not Mention.objects.filter(subject=theirs, report_subject=world["named"]).exists()
    assert Subject.objects.get(pk=theirs.pk).merged_into is None
