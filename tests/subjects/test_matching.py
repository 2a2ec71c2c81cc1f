"""Matching named subjects to registered ones (issue 5, item 1): exact identifiers, Dutch
names, judgements remembered, need-to-know, and never a link without a person's judgement."""

import pytest

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.names import normalise_name
from baken.core.roles import Role
from baken.reports.models import Report, ReportSubject
from baken.subjects.matching import candidates_for
from baken.subjects.models import Judgement, Mention, Subject
from baken.subjects.services import mention_judge, subject_create_from
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db

BSN = "111222333"  # passes the 11-test


def report_naming(team, *subjects: dict) -> Report:
    report = file_report(subjects=list(subjects))
    Report.objects.filter(pk=report.pk).update(team=team)
    return Report.objects.get(pk=report.pk)


def named_in(report: Report, position: int = 0) -> ReportSubject:
    return ReportSubject.objects.get(report=report, position=position)


def registered(actor, **named) -> Subject:
    """A subject registered from a report of the actor's team (so the actor may know of it)."""
    report = report_naming(actor.team, named)
    return subject_create_from(report_subject=named_in(report), actor=actor)


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


def offered(user, rs) -> list[Subject]:
    return [c.subject for c in candidates_for(user=user, report_subject=rs)]


def test_exact_bsn_is_a_candidate_with_score_100(analyst):
    subject = registered(analyst, type="person", name="Pieter Bakker", bsn=BSN)
    rs = named_in(report_naming(analyst.team, {"type": "person", "name": "P. Smit", "bsn": BSN}))
    [candidate] = candidates_for(user=analyst, report_subject=rs)
    assert candidate.subject == subject and candidate.score == 100
    assert [r.code for r in candidate.reasons] == ["bsn"]
    assert BSN not in " ".join(r.text for r in candidate.reasons)  # the number is not repeated


def test_dutch_name_with_initials_and_particles(analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    assert subject.name_key == normalise_name("Jan v.d. Berg") == "jan berg"
    rs = named_in(report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"}))
    [candidate] = candidates_for(user=analyst, report_subject=rs)
    assert candidate.subject == subject and 80 <= candidate.score < 100
    assert any(r.code == "name" for r in candidate.reasons)


def test_diacritics_and_a_typo_still_match_but_another_first_name_does_not(analyst):
    subject = registered(analyst, type="person", name="José Müller")
    other = registered(analyst, type="person", name="Piet Muller")
    rs = named_in(report_naming(analyst.team, {"type": "person", "name": "Jose Mulller"}))
    assert offered(analyst, rs) == [subject]
    assert other not in offered(analyst, rs)


def test_birth_date_agreement_and_disagreement(analyst):
    same = registered(analyst, type="person", name="Anna de Vries", birth_date="1980-04-23")
    differs = registered(analyst, type="person", name="A. de Vries", birth_date="1975-01-01")
    rs = named_in(
        report_naming(
            analyst.team, {"type": "person", "name": "Anna de Vries", "birth_date": "1980-04-23"}
        )
    )
    candidates = {c.subject: c for c in candidates_for(user=analyst, report_subject=rs)}
    assert candidates[same].score == 100
    assert candidates[differs].score < 60
    assert "birth_date_differs" in [r.code for r in candidates[differs].reasons]


def test_company_with_legal_form(analyst):
    subject = registered(analyst, type="organisation", name="Bakkerij Jansen B.V.")
    rs = named_in(report_naming(analyst.team, {"type": "organisation", "name": "bakkerij jansen"}))
    [candidate] = candidates_for(user=analyst, report_subject=rs)
    assert candidate.subject == subject and candidate.score == 100


def test_vehicle_by_plate_and_address_by_postcode_and_number(analyst):
    car = registered(analyst, type="vehicle", license_plate="12-ab-cd")
    shed = registered(analyst, type="address", address={"postcode": "1781 ab", "house_number": 3})
    report = report_naming(
        analyst.team,
        {"type": "vehicle", "license_plate": "12ABCD"},
        {"type": "address", "address": {"postcode": "1781AB", "house_number": 3}},
    )
    assert offered(analyst, named_in(report, 0)) == [car]
    assert offered(analyst, named_in(report, 1)) == [shed]


def test_no_automatic_link_or_merge_on_a_fuzzy_match(analyst, verified_client):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    twin = registered(analyst, type="person", name="Jan van den Berg")
    report = report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"})
    rs = named_in(report)
    mentions = Mention.objects.count()
    assert candidates_for(user=analyst, report_subject=rs)
    verified_client(analyst).get(f"/werkruimte/betrokkenen/meldingen/{report.pk}/betrokkenen")
    assert Mention.objects.count() == mentions  # offered, not linked
    assert not Mention.objects.filter(report_subject=rs).exists()
    assert (
        Subject.objects.filter(pk__in=[subject.pk, twin.pk], merged_into__isnull=False).count() == 0
    )


def test_a_rejected_pair_is_never_offered_again_also_on_another_report(analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg", bsn=BSN)
    rs = named_in(report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"}))
    mention_judge(report_subject=rs, subject=subject, judgement=Judgement.NOT_SAME, actor=analyst)
    assert offered(analyst, rs) == []
    assert AuditEntry.objects.filter(action="subject.judge", object_id=str(subject.pk)).exists()
    again = named_in(report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"}))
    assert offered(analyst, again) == []
    # Someone else with a BSN that the register knows is still offered by that BSN.
    by_bsn = named_in(
        report_naming(analyst.team, {"type": "person", "name": "J. van der Berg", "bsn": BSN})
    )
    assert offered(analyst, by_bsn) == [subject]


def test_unsure_stays_offered_and_same_links(analyst):
    subject = registered(analyst, type="person", name="Karin Smit")
    rs = named_in(report_naming(analyst.team, {"type": "person", "name": "K. Smit"}))
    mention_judge(report_subject=rs, subject=subject, judgement=Judgement.UNSURE, actor=analyst)
    [candidate] = candidates_for(user=analyst, report_subject=rs)
    assert candidate.judgement == Judgement.UNSURE
    mention_judge(report_subject=rs, subject=subject, judgement=Judgement.SAME, actor=analyst)
    assert offered(analyst, rs) == []
    assert Mention.objects.get(report_subject=rs).judgement == Judgement.SAME


def test_a_subject_the_user_may_not_know_of_is_never_offered(analyst, make_user):
    stranger = make_user(role=Role.ANALYST, team=Team.objects.create(name="Andere gemeente"))
    registered(stranger, type="person", name="Jan v.d. Berg", bsn=BSN)
    rs = named_in(
        report_naming(analyst.team, {"type": "person", "name": "Jan v.d. Berg", "bsn": BSN})
    )
    assert candidates_for(user=analyst, report_subject=rs) == []
    assert offered(stranger, rs)  # the same named subject, for someone who may know of it


def test_at_most_ten_candidates(analyst):
    for i in range(12):
        registered(analyst, type="organisation", name=f"Bakkerij Jansen {i} B.V.")
    rs = named_in(report_naming(analyst.team, {"type": "organisation", "name": "Bakkerij Jansen"}))
    assert len(candidates_for(user=analyst, report_subject=rs)) == 10


def test_improving_a_report_keeps_the_judgements_of_subjects_it_still_names(analyst):
    from baken.reports.editing import report_improve, working_data
    from baken.reports.validation import check_report

    subject = registered(analyst, type="person", name="Pieter Bakker", bsn=BSN)
    report = report_naming(
        analyst.team,
        {"type": "person", "name": "P. Bakker", "bsn": BSN},
        {"type": "vehicle", "license_plate": "12-AB-CD"},
    )
    mention_judge(
        report_subject=named_in(report), subject=subject, judgement=Judgement.SAME, actor=analyst
    )
    data = working_data(report)
    changes = {
        "subjects": [
            {"type": "person", "name": "Ria de Vries"},  # added in front
            *data["subjects"][:1],  # still named: keeps its judgement
            {"type": "vehicle", "license_plate": "99-XX-99"},  # corrected: judged again
        ]
    }
    checked = check_report({**data, **changes, "channel": "web"}, require_answers=False)
    report_improve(
        report=report,
        actor=analyst,
        revision=0,
        changes=changes,
        reason="Aangevuld.",
        checked=checked,
    )
    mention = Mention.objects.get(subject=subject, report_subject__report=report)
    assert mention.report_subject.position == 1 and mention.judgement == Judgement.SAME
    assert list(report.subjects.values_list("position", "kind")) == [
        (0, "person"),
        (1, "person"),
        (2, "vehicle"),
    ]
