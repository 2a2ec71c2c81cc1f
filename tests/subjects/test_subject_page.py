"""The report page's subjects panel and the subject page (issue 5, items 1, 2 and 4)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.refusals import Refused
from baken.core.roles import Role
from baken.reports.models import Report
from baken.subjects.models import Judgement, Mention, Relation, Subject
from baken.subjects.services import mention_judge, subject_merge, subject_unmerge
from tests.subjects.test_matching import BSN, named_in, registered, report_naming

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


def panel_url(report) -> str:
    return reverse("subjects:report_panel", args=[report.pk])


def test_the_report_page_loads_the_panel(verified_client, analyst):
    report = report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"})
    page = verified_client(analyst).get(reverse("reports:detail", args=[report.pk]))
    assert panel_url(report) in page.content.decode()


def test_panel_offers_candidates_with_score_reasons_and_buttons(verified_client, analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    report = report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"})
    response = verified_client(analyst).get(panel_url(report))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("subjects:detail", args=[subject.pk]) in body
    for value in ('value="same"', 'value="not_same"', 'value="unsure"'):
        assert value in body
    assert reverse("subjects:create_from", args=[report.pk]) in body
    assert AuditEntry.objects.filter(action="subject.list").exists()


def test_judging_same_from_the_panel_links_and_shows_it(verified_client, analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    report = report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"})
    rs = named_in(report)
    browser = verified_client(analyst)
    response = browser.post(
        reverse("subjects:judge", args=[report.pk]),
        {"named": rs.pk, "subject": subject.pk, "judgement": "same"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    mention = Mention.objects.get(report_subject=rs)
    assert mention.judgement == Judgement.SAME and mention.judged_by == analyst
    assert mention.score is not None and mention.reasons
    assert 'value="same"' not in response.content.decode()  # linked: no candidates now
    plain = browser.post(
        reverse("subjects:judge", args=[report.pk]),
        {"named": rs.pk, "subject": subject.pk, "judgement": "same"},
    )
    assert plain.status_code == 302 and plain.url == reverse("reports:detail", args=[report.pk])


def test_register_a_new_subject_from_the_panel(verified_client, analyst):
    report = report_naming(
        analyst.team,
        {"type": "organisation", "name": "Bakkerij Jansen B.V.", "kvk_number": "12345678"},
    )
    response = verified_client(analyst).post(
        reverse("subjects:create_from", args=[report.pk]), {"named": named_in(report).pk}
    )
    assert response.status_code == 302
    subject = Subject.objects.get()
    assert subject.kvk_number == "12345678" and subject.name_key == "bakkerij jansen"
    assert Mention.objects.get().judgement == Judgement.SAME
    assert AuditEntry.objects.filter(action="subject.create", object_id=str(subject.pk)).exists()


@pytest.mark.parametrize(
    ("role", "panel", "judge"),
    [
        (Role.ANALYST, 200, 302),
        (Role.TEAM_LEAD, 200, 302),
        (Role.CASE_HANDLER, 404, 404),  # sees only reports assigned to them
        (Role.MANAGEMENT, 403, 403),
        (Role.ADMIN, 403, 403),
        (Role.PRIVACY_OFFICER, 403, 403),
    ],
)
def test_panel_per_role(verified_client, make_user, analyst, role, panel, judge):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    report = report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"})
    browser = verified_client(make_user(role=role, team=analyst.team))
    assert browser.get(panel_url(report)).status_code == panel
    response = browser.post(
        reverse("subjects:judge", args=[report.pk]),
        {"named": named_in(report).pk, "subject": subject.pk, "judgement": "not_same"},
    )
    assert response.status_code == judge


def test_a_case_handler_assigned_the_report_sees_it_but_may_not_link(verified_client, make_user):
    handler = make_user(role=Role.CASE_HANDLER)
    report = report_naming(handler.team, {"type": "person", "name": "J. van der Berg"})
    Report.objects.filter(pk=report.pk).update(assignee=handler)
    browser = verified_client(handler)
    assert browser.get(panel_url(report)).status_code == 200
    response = browser.post(
        reverse("subjects:create_from", args=[report.pk]), {"named": named_in(report).pk}
    )
    assert response.status_code == 403


def _page_body(response) -> str:
    return response.content.decode()


def _without_tokens(response) -> str:
    """The page without its CSRF tokens (masked differently on every answer) and its own
    address (the language switch returns to it)."""
    body = _page_body(response).replace(response.request["PATH_INFO"], "PATH")
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", body)


def test_subject_page_shows_identity_reports_timeline_and_map(verified_client, analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg", bsn=BSN)
    report = report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"})
    Report.objects.filter(pk=report.pk).update(lat=52.37, lon=4.89)
    mention_judge(report_subject=named_in(report), subject=subject, judgement="same", actor=analyst)
    response = verified_client(analyst).get(reverse("subjects:detail", args=[subject.pk]))
    body = _page_body(response)
    assert response.status_code == 200
    assert BSN in body and report.reference in body
    assert "subject-map" in body and "vendor/leaflet/leaflet.js" in body
    assert "<script>" not in body  # strict CSP: no inline script
    assert AuditEntry.objects.filter(action="subject.read", object_id=str(subject.pk)).exists()


def test_every_view_of_a_subject_is_audited(verified_client, analyst):
    subject = registered(analyst, type="vehicle", license_plate="12-ab-cd")
    browser = verified_client(analyst)
    before = AuditEntry.objects.filter(action="subject.read", object_id=str(subject.pk)).count()
    for _ in range(3):
        browser.get(reverse("subjects:detail", args=[subject.pk]))
    after = AuditEntry.objects.filter(action="subject.read", object_id=str(subject.pk)).count()
    assert after == before + 3


def test_an_unknown_subject_and_one_the_user_may_not_know_of_look_the_same(
    verified_client, make_user, analyst
):
    stranger = make_user(role=Role.ANALYST, team=Team.objects.create(name="Andere gemeente"))
    hidden = registered(stranger, type="person", name="Geheim Persoon")
    browser = verified_client(analyst)
    missing = browser.get(reverse("subjects:detail", args=[hidden.pk + 1000]))
    secret = browser.get(reverse("subjects:detail", args=[hidden.pk]))
    assert missing.status_code == secret.status_code == 404
    assert _without_tokens(missing) == _without_tokens(secret)
    assert "Geheim" not in _page_body(secret)
    assert not AuditEntry.objects.filter(
        action="subject.read", object_id=str(hidden.pk), actor_id=analyst.pk
    ).exists()


def test_merge_and_unmerge_are_exact(verified_client, analyst):
    keep = registered(analyst, type="person", name="Jan v.d. Berg")
    other = registered(analyst, type="person", name="Jan van den Berg")
    own_mentions = set(other.mentions.values_list("pk", "report_subject_id", "judgement"))
    browser = verified_client(analyst)
    before = _page_body(browser.get(reverse("subjects:detail", args=[keep.pk])))
    # The picker offers the look-alike by name, with its number.
    assert f'<option value="{other.pk}">Jan van den Berg' in before
    browser.post(
        reverse("subjects:merge", args=[keep.pk]), {"other": other.pk, "reason": "Zelfde BSN."}
    )
    other.refresh_from_db()
    assert other.merged_into == keep
    # The merged subject's address leads to the subject it is now part of.
    moved = browser.get(reverse("subjects:detail", args=[other.pk]))
    assert moved.status_code == 302 and moved["Location"] == reverse(
        "subjects:detail", args=[keep.pk]
    )
    page = _page_body(browser.get(reverse("subjects:detail", args=[keep.pk])))
    assert "Jan van den Berg" in page  # listed as merged, its report shown with the kept one
    assert Report.objects.filter(subjects__mentions__subject=other).get().reference in page
    browser.post(
        reverse("subjects:unmerge", args=[keep.pk]), {"merged": other.pk, "reason": "Toch niet."}
    )
    other.refresh_from_db()
    assert other.merged_into is None
    assert set(other.mentions.values_list("pk", "report_subject_id", "judgement")) == own_mentions
    actions = list(
        AuditEntry.objects.filter(action__in=["subject.merge", "subject.unmerge"]).values_list(
            "action", flat=True
        )
    )
    assert actions == ["subject.merge", "subject.unmerge"]


def test_a_merged_subject_the_user_may_not_know_of_is_not_found(
    verified_client, make_user, analyst
):
    keep = registered(analyst, type="person", name="Jan v.d. Berg")
    hidden = registered(analyst, type="person", name="Jan van den Berg")
    subject_merge(keep=keep, merge=hidden, actor=analyst, reason="Zelfde persoon.")
    # The report that named the merged subject went to another team afterwards.
    elsewhere = Team.objects.create(name="Andere gemeente")
    Report.objects.filter(subjects__mentions__subject=hidden).update(team=elsewhere)
    browser = verified_client(analyst)
    assert browser.get(reverse("subjects:detail", args=[hidden.pk])).status_code == 404


def test_merge_needs_a_reason_and_the_merge_role(verified_client, make_user, analyst):
    keep = registered(analyst, type="person", name="Jan v.d. Berg")
    other = registered(analyst, type="person", name="Jan van den Berg")
    verified_client(analyst).post(reverse("subjects:merge", args=[keep.pk]), {"other": other.pk})
    assert Subject.objects.get(pk=other.pk).merged_into is None
    intake = make_user(role=Role.INTAKE, team=analyst.team)
    with pytest.raises(Refused) as refused:  # the service checks the role itself
        subject_merge(keep=keep, merge=other, actor=intake, reason="Zelfde persoon.")
    assert refused.value.status == 403
    assert Subject.objects.get(pk=other.pk).merged_into is None
    subject_merge(keep=keep, merge=other, actor=analyst, reason="Zelfde persoon.")
    with pytest.raises(Refused) as refused:
        subject_unmerge(keep=keep, merged=other, actor=intake, reason="Toch niet.")
    assert refused.value.status == 403
    assert Subject.objects.get(pk=other.pk).merged_into == keep


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert browser.get(url).status_code == 200
    return len(context.captured_queries)


def test_panel_queries_do_not_grow_with_the_register(verified_client, analyst):
    report = report_naming(
        analyst.team,
        {"type": "person", "name": "J. van der Berg", "bsn": BSN},
        {"type": "organisation", "name": "Bakkerij Jansen"},
    )
    registered(analyst, type="person", name="Jan v.d. Berg")
    registered(analyst, type="organisation", name="Bakkerij Jansen V.O.F.")
    browser = verified_client(analyst)
    few = _queries(browser, panel_url(report))
    for i in range(8):
        registered(analyst, type="person", name=f"Jan van den Berg{'h' * i}")
        registered(analyst, type="organisation", name=f"Bakkerij Jansen {i} B.V.")
    assert _queries(browser, panel_url(report)) == few


def test_subject_page_queries_do_not_grow_with_reports_or_relations(verified_client, analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    browser = verified_client(analyst)
    url = reverse("subjects:detail", args=[subject.pk])
    few = _queries(browser, url)
    for i in range(6):
        report = report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"})
        mention_judge(
            report_subject=named_in(report), subject=subject, judgement="same", actor=analyst
        )
        other = registered(analyst, type="organisation", name=f"Firma {i}")
        Relation.objects.create(
            kind=Relation.Kind.DIRECTOR_OF,
            source=subject,
            target=other,
            added_by=analyst,
            added_at=subject.created_at,
        )
        merged = registered(analyst, type="person", name=f"Jan Berg {i}")
        subject_merge(keep=subject, merge=merged, actor=analyst, reason="Zelfde persoon.")
    assert _queries(browser, url) == few


def test_the_page_shows_relations_and_merge_candidates_only_of_subjects_the_user_may_know(
    verified_client, analyst
):
    """The page reads the user's scope once (subjects.page): a relation shows in the timeline
    only when its other end is a subject the user may know of, and the merge list offers only
    such subjects, as when each query built the scope itself."""
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    known = registered(analyst, type="organisation", name="Firma Zichtbaar")
    hidden = registered(analyst, type="organisation", name="Firma Verborgen")
    twin = registered(analyst, type="person", name="Jan van den Berg")
    hidden_twin = registered(analyst, type="person", name="Jan van der Berg")
    elsewhere = Team.objects.create(name="Andere gemeente")
    for other in (hidden, hidden_twin):
        Report.objects.filter(subjects__mentions__subject=other).update(team=elsewhere)
    for source, target in ((subject, known), (hidden, subject)):
        Relation.objects.create(
            kind=Relation.Kind.DIRECTOR_OF,
            source=source,
            target=target,
            added_by=analyst,
            added_at=subject.created_at,
        )
    page = verified_client(analyst).get(reverse("subjects:detail", args=[subject.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Firma Zichtbaar" in body
    assert "Firma Verborgen" not in body
    options = re.findall(r'<option value="(\d+)">', body)
    assert str(twin.pk) in options
    assert str(hidden_twin.pk) not in options


def test_the_subject_page_reads_a_small_fixed_number_of_queries(verified_client, analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    other = registered(analyst, type="organisation", name="Firma 1")
    Relation.objects.create(
        kind=Relation.Kind.DIRECTOR_OF,
        source=subject,
        target=other,
        added_by=analyst,
        added_at=subject.created_at,
    )
    browser = verified_client(analyst)
    url = reverse("subjects:detail", args=[subject.pk])
    browser.get(url)
    assert _queries(browser, url) <= 22
