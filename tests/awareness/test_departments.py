"""The departments kept by the functional administrator (issue 17): the page and the API
refuse a name another department has (in Dutch, problem+json in the API), only the
administrator writes, anyone reads the active ones, and a department that reports name can be
switched off but not removed. Every write is an audit entry."""

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports.models import Department, Report
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def admin(make_user, verified_client):
    return verified_client(make_user(role=Role.ADMIN))


def test_the_api_adds_lists_and_changes_departments(admin, client):
    made = admin.post("/api/v1/departments", {"name": "Sociaal Domein", "size": "large"}, JSON)
    assert made.status_code == 201 and made.json()["code"] == "sociaal-domein"
    again = admin.post(
        "/api/v1/departments",
        {"name": "sociaal  domein", "size": "small"},
        JSON,
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert again.status_code == 400 and again["Content-Type"] == "application/problem+json"
    [param] = again.json()["invalid_params"]
    assert param["name"] == "name" and param["reason"] == "Er is al een afdeling met deze naam."
    off = admin.patch("/api/v1/departments/sociaal-domein", {"is_active": False}, JSON)
    assert off.status_code == 200 and off.json()["name"] == "Sociaal Domein"
    assert (
        admin.patch("/api/v1/departments/bestaat-niet", {"size": "small"}, JSON).status_code == 404
    )
    admin.post("/api/v1/departments", {"name": "Inkoop", "size": "small"}, JSON)
    client.logout()
    listed = client.get("/api/v1/departments").json()
    assert [(d["code"], d["size"]) for d in listed] == [("inkoop", "small")]
    assert client.post("/api/v1/departments", {"name": "X", "size": "small"}, JSON).status_code in (
        401,
        403,
    )
    actions = AuditEntry.objects.values_list("action", flat=True)
    assert list(actions.filter(action__startswith="department.")) == [
        "department.create",
        "department.update",
        "department.create",
    ]


def test_an_analyst_may_not_keep_departments(make_user, verified_client):
    analyst = verified_client(make_user(role=Role.ANALYST))
    assert analyst.get(reverse("awareness:departments")).status_code == 403
    answer = analyst.post("/api/v1/departments", {"name": "Inkoop", "size": "small"}, JSON)
    assert answer.status_code == 403 and not Department.objects.exists()


def test_a_used_department_is_switched_off_an_unused_one_removed(admin):
    used = Department.objects.create(code="handhaving", name="Handhaving")
    unused = Department.objects.create(code="inkoop", name="Inkoop")
    Report.objects.filter(pk=file_report().pk).update(department=used)
    page = admin.get(reverse("awareness:department_edit", args=[used.pk])).content.decode()
    assert "dus u kunt haar niet verwijderen" in page and 'name="delete"' not in page
    refused = admin.post(reverse("awareness:department_edit", args=[used.pk]), {"delete": "1"})
    assert refused.status_code == 302 and Department.objects.filter(pk=used.pk).exists()
    removed = admin.post(reverse("awareness:department_edit", args=[unused.pk]), {"delete": "1"})
    assert removed.status_code == 302 and not Department.objects.filter(pk=unused.pk).exists()
    kept = admin.post(
        reverse("awareness:department_create"), {"name": "", "size": "small", "position": "0"}
    )
    assert kept.status_code == 400 and "Dit veld is verplicht." in kept.content.decode()
    Department.objects.create(code="vastgoed", name="Vastgoed")
    changed = admin.post(
        reverse("awareness:department_edit", args=[used.pk]),
        {"name": "vastgoed", "size": "small", "position": "0"},
    )
    assert changed.status_code == 400 and "Er is al een afdeling met deze naam." in (
        changed.content.decode()
    )


def test_the_list_says_in_use_not_how_many_reports(admin):
    used = Department.objects.create(code="handhaving", name="Handhaving")
    Department.objects.create(code="inkoop", name="Inkoop")
    for _ in range(3):
        Report.objects.filter(pk=file_report().pk).update(department=used)
    page = admin.get(reverse("awareness:departments")).content.decode()
    assert "In gebruik" in page and "Meldingen" not in page
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[2:]}
    assert "<td>ja</td>" in rows["Handhaving"] and "<td>nee</td>" in rows["Inkoop"]
    assert "<td>3</td>" not in page


def test_the_selector_refuses_anyone_but_the_administrator(make_user):
    from baken.awareness.departments import department_list
    from baken.core.refusals import Refused

    with pytest.raises(Refused):
        department_list(actor=make_user(role=Role.TEAM_LEAD))
    assert list(department_list(actor=make_user(role=Role.ADMIN))) == []


def test_one_small_department_alone_is_warned_about(admin):
    def shown() -> str:
        return admin.get(reverse("awareness:departments")).content.decode()

    warning = "Er is maar één kleine afdeling. 'Kleine afdeling' wijst dan naar die afdeling"
    Department.objects.create(code="burgerzaken", name="Burgerzaken")
    assert warning not in shown()
    Department.objects.create(code="inkoop", name="Inkoop", size="small")
    assert warning in shown() and "die afdeling: Inkoop." in shown()
    other = Department.objects.create(code="bibob", name="Bibob-bureau", size="small")
    assert warning not in shown()
    other.is_active = False
    other.save()
    assert warning in shown()


@pytest.mark.parametrize("name", ["Kleine afdeling", "  kleine   AFDELING ", "Small department"])
def test_the_protected_value_is_no_departments_name(admin, name):
    refused = admin.post(
        reverse("awareness:department_create"), {"name": name, "size": "large", "position": "0"}
    )
    assert refused.status_code == 400
    assert "Deze naam is gereserveerd" in refused.content.decode()
    answer = admin.post(
        "/api/v1/departments", {"name": name, "size": "large"}, JSON, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    [param] = answer.json()["invalid_params"]
    assert param["name"] == "name" and param["reason"].startswith("Deze naam is gereserveerd: ")
    assert not Department.objects.exists()


def test_the_code_is_read_only_in_patch(admin):
    admin.post("/api/v1/departments", {"name": "Inkoop", "size": "small"}, JSON)
    answer = admin.patch(
        "/api/v1/departments/inkoop", {"code": "other"}, JSON, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    [param] = answer.json()["invalid_params"]
    assert (param["name"], param["code"]) == ("code", "read_only")
    assert param["reason"].startswith("De code kan niet worden gewijzigd")
    assert Department.objects.get().code == "inkoop"
    same = admin.patch("/api/v1/departments/inkoop", {"code": "inkoop", "position": 3}, JSON)
    assert same.status_code == 200 and same.json()["position"] == 3
