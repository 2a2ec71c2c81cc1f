"""One access path per object (issue 14, ADR 0027): case_for and report_for find the object
for this user and action, refuse with 404 when they may not know of it and 403 when they may
know it but not do this, and record the read once — for the pages and the API alike."""

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.cases import services
from baken.cases.access import CaseAction, case_for
from baken.core.refusals import Kind, Refused
from baken.core.roles import Role
from baken.reports.access import report_for
from baken.reports.permissions import Action
from tests.api.test_triage_api import auth

pytestmark = pytest.mark.django_db


def reads(case) -> int:
    return AuditEntry.objects.filter(action="case.read", object_id=str(case.pk)).count()


def test_case_for_refuses_404_then_403_and_records_one_read(case, analyst, make_user, north):
    outsider = make_user(role=Role.ANALYST, team=north)  # same team, not a member
    with pytest.raises(Refused) as refused:
        case_for(outsider, case.pk)
    assert refused.value.kind == Kind.NOT_FOUND and reads(case) == 0
    with pytest.raises(Refused) as refused:
        case_for(analyst, "12a")  # not a number: as an id that does not exist
    assert refused.value.kind == Kind.NOT_FOUND
    with pytest.raises(Refused) as refused:  # a member who is not its handler nor the lead
        case_for(analyst, case.pk, CaseAction.STEER)
    assert refused.value.kind == Kind.FORBIDDEN and reads(case) == 1
    assert case_for(analyst, case.pk, CaseAction.WORK) == case and reads(case) == 2


def test_report_for_refuses_the_role_that_may_not_do_the_action(case, make_user, north):
    report = case.reports.get()
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    services.member_add(case=case, user=handler, actor=lead, reason="Regie.")
    assert report_for(handler, report.pk, Action.NOTE) == report
    with pytest.raises(Refused) as refused:
        report_for(handler, report.pk, Action.DECIDE)
    assert refused.value.kind == Kind.FORBIDDEN
    with pytest.raises(Refused) as refused:
        report_for(make_user(role=Role.CASE_HANDLER, team=north), report.pk)
    assert refused.value.kind == Kind.NOT_FOUND


def test_the_page_and_the_api_answer_alike(
    client, verified_client, case, analyst, make_user, north
):
    outsider = make_user(role=Role.ANALYST, team=north)
    assert client.get(f"/api/v1/cases/{case.pk}", **auth(outsider)).status_code == 404
    assert verified_client(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    body = {"kind": "reopen", "rationale": "Opnieuw."}
    api = client.post(
        f"/api/v1/cases/{case.pk}/steps", body, content_type="application/json", **auth(analyst)
    )
    assert api.status_code == 403 and api.json()["code"] == "permission_denied"
    page = verified_client(analyst).post(
        reverse("cases:reopen", args=[case.pk]), {"reopen-rationale": "Opnieuw."}
    )
    assert page.status_code == 403
