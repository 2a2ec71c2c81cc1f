"""Subjects over the API: the same need-to-know, judgements and merges as the pages."""

import pytest

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.subjects.models import Judgement, Mention, Subject
from tests.api.test_triage_api import auth
from tests.subjects.test_matching import BSN, named_in, registered, report_naming

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


def test_get_subject_is_audited(client, analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg", bsn=BSN)
    response = client.get(f"/api/v1/subjects/{subject.pk}", **auth(analyst))
    assert response.status_code == 200
    assert response.json()["bsn"] == BSN and response.json()["merged"] == []
    assert AuditEntry.objects.filter(action="subject.read", object_id=str(subject.pk)).exists()


def test_unknown_and_hidden_subjects_get_the_same_answer(client, make_user, analyst):
    stranger = make_user(role=Role.ANALYST, team=Team.objects.create(name="Andere gemeente"))
    hidden = registered(stranger, type="person", name="Geheim Persoon", bsn=BSN)
    missing = client.get(f"/api/v1/subjects/{hidden.pk + 1000}", **auth(analyst))
    secret = client.get(f"/api/v1/subjects/{hidden.pk}", **auth(analyst))
    assert missing.status_code == secret.status_code == 404
    assert missing["Content-Type"] == secret["Content-Type"] == "application/problem+json"
    strip = lambda body: {k: v for k, v in body.items() if k != "instance"}  # noqa: E731
    assert strip(missing.json()) == strip(secret.json())
    # The candidates of a named subject never hint at it either.
    rs = named_in(report_naming(analyst.team, {"type": "person", "name": "X", "bsn": BSN}))
    response = client.get(f"/api/v1/report-subjects/{rs.pk}/candidates", **auth(analyst))
    assert response.json() == {"linked": None, "results": []}


def test_candidates_judgement_and_linked(client, analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    rs = named_in(report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"}))
    url = f"/api/v1/report-subjects/{rs.pk}"
    [candidate] = client.get(f"{url}/candidates", **auth(analyst)).json()["results"]
    assert candidate["subject"]["id"] == subject.pk and 0 < candidate["score"] <= 100
    assert candidate["reasons"][0]["code"] == "name"
    assert not Mention.objects.filter(report_subject=rs).exists()  # offered is not linked
    response = client.post(
        f"{url}/judgements",
        {"subject": subject.pk, "judgement": "same"},
        content_type="application/json",
        **auth(analyst),
    )
    assert response.status_code == 200 and response.json()["judgement"] == "same"
    linked = client.get(f"{url}/candidates", **auth(analyst)).json()
    assert linked["linked"]["id"] == subject.pk and linked["results"] == []


def test_rejected_pair_not_offered_again(client, analyst):
    subject = registered(analyst, type="person", name="Jan v.d. Berg")
    first = named_in(report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"}))
    client.post(
        f"/api/v1/report-subjects/{first.pk}/judgements",
        {"subject": subject.pk, "judgement": "not_same"},
        content_type="application/json",
        **auth(analyst),
    )
    second = named_in(report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"}))
    for rs in (first, second):
        body = client.get(f"/api/v1/report-subjects/{rs.pk}/candidates", **auth(analyst)).json()
        assert body["results"] == []


def test_create_subject_from_named(client, analyst):
    rs = named_in(report_naming(analyst.team, {"type": "vehicle", "license_plate": "12abcd"}))
    url = f"/api/v1/report-subjects/{rs.pk}/subject"
    response = client.post(url, **auth(analyst))
    assert response.status_code == 201
    assert response.json()["license_plate"] == "12-AB-CD"
    again = client.post(url, **auth(analyst))
    assert again.status_code == 400 and again["Content-Type"] == "application/problem+json"
    assert Mention.objects.get(report_subject=rs).judgement == Judgement.SAME


def test_merge_and_unmerge_exact(client, analyst):
    keep = registered(analyst, type="person", name="Jan v.d. Berg")
    other = registered(analyst, type="person", name="Jan van den Berg")
    mentions = list(other.mentions.values_list("pk", "report_subject_id"))
    response = client.post(
        f"/api/v1/subjects/{keep.pk}/merge",
        {"merge": other.pk, "reason": "Zelfde persoon."},
        content_type="application/json",
        **auth(analyst),
    )
    assert response.status_code == 200 and response.json()["merged"][0]["id"] == other.pk
    assert client.get(f"/api/v1/subjects/{other.pk}", **auth(analyst)).status_code == 404
    response = client.post(
        f"/api/v1/subjects/{keep.pk}/unmerge",
        {"merged": other.pk, "reason": "Toch twee personen."},
        content_type="application/json",
        **auth(analyst),
    )
    assert response.status_code == 200 and response.json()["merged_into"] is None
    assert list(other.mentions.values_list("pk", "report_subject_id")) == mentions
    assert Subject.objects.get(pk=other.pk).merged_into is None


@pytest.mark.parametrize(
    ("role", "read", "judge", "merge"),
    [
        (Role.ANALYST, 200, 200, 200),
        (Role.TEAM_LEAD, 200, 200, 200),
        (Role.INTAKE, 200, 403, 403),  # sees the intake queue; linking is the analyst's
        (Role.CASE_HANDLER, 404, 404, 404),
        (Role.MANAGEMENT, 404, 404, 404),
        (Role.PRIVACY_OFFICER, 404, 404, 404),
    ],
)
def test_per_role(client, make_user, analyst, role, read, judge, merge):
    keep = registered(analyst, type="person", name="Jan v.d. Berg")
    other = registered(analyst, type="person", name="Jan van den Berg")
    rs = named_in(report_naming(analyst.team, {"type": "person", "name": "J. van der Berg"}))
    user = make_user(role=role, team=analyst.team)
    assert client.get(f"/api/v1/subjects/{keep.pk}", **auth(user)).status_code == read
    judged = client.post(
        f"/api/v1/report-subjects/{rs.pk}/judgements",
        {"subject": keep.pk, "judgement": "unsure"},
        content_type="application/json",
        **auth(user),
    )
    assert judged.status_code == judge
    merged = client.post(
        f"/api/v1/subjects/{keep.pk}/merge",
        {"merge": other.pk, "reason": "Zelfde persoon."},
        content_type="application/json",
        **auth(user),
    )
    assert merged.status_code == merge


def test_anonymous_is_401(client):
    assert client.get("/api/v1/subjects/1").status_code == 401
