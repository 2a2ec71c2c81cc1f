"""One report posted to POST /api/v1/reports costs a fixed number of statements, however many
reports, routing rules and departments there are (issue 18): the routing rules and the
departments are kept per process (reports/process_cache.py) and read again once one of them
changes, in this process at once and in the others once the change is committed."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baken.core.roles import Role
from baken.reports import process_cache, routing
from baken.reports.models import Category, Department, DepartmentSize, Report

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"


def report(n: int, **extra) -> dict:
    signs = list(Category.objects.get(code="drugs").indicators.values_list("pk", flat=True))
    return {
        "category": "drugs",
        "description": f"Melding {n}: sterke hennepgeur bij de loods, ramen afgeplakt.",
        "location": {"address": {"postcode": "1781AB", "house_number": 1 + n}},
        "subjects": [{"type": "vehicle", "license_plate": "ab123c"}],
        "signs": signs[:2],
        "reporter": {
            "anonymous": False,
            "name": "Ilse",
            "phone": "06 12345678",
            "department": "handhaving",
        },
        "idempotency_key": f"statements-{n}",
        **extra,
    }


def post_counted(client, n: int, **extra) -> tuple[Report, list[str]]:
    payload = report(n, **extra)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    return Report.objects.get(pk=response.json()["id"]), [q["sql"] for q in queries]


@pytest.fixture
def setup(django_capture_on_commit_callbacks, make_user, north, south, settings):
    settings.RATELIMIT_ENABLE = False  # more reports than one reporter may send in an hour
    admin = make_user(Role.ADMIN)
    # As committed changes: their on_commit callbacks run (the other workers' view).
    with django_capture_on_commit_callbacks(execute=True):
        Department.objects.create(code="handhaving", name="Handhaving", size=DepartmentSize.SMALL)
        drugs = Category.objects.get(code="drugs")
        routing.routing_rule_create(actor=admin, name="Drugs", team=north, category=drugs)
        routing.routing_rule_create(actor=admin, name="99", team=south, postcode_prefix="99")
    return admin


def test_one_report_costs_the_same_statements_with_more_data(
    client, setup, django_capture_on_commit_callbacks, north, south
):
    post_counted(client, 0)  # the process reads its routing rules and departments once
    first, before = post_counted(client, 1)
    assert first.team == north and first.department.code == "handhaving"
    # Neither the rules nor the departments are read for a report, nor the report's new key.
    read = [sql for sql in before if sql.lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in read if "routingrule" in sql or "reports_department" in sql]
    assert not [sql for sql in read if "reports_reportkey" in sql]

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            routing.routing_rule_create(
                actor=setup, name=f"Regel {n}", team=south, postcode_prefix=f"3{n:02}"
            )
            Department.objects.create(code=f"afdeling-{n}", name=f"Afdeling {n}")
    for n in range(2, 8):
        post_counted(client, n)
    later, after = post_counted(client, 8)
    assert later.team == north
    assert len(after) == len(before), "\n".join(after)
    # The idempotency look-up; the report, its key, subject, signs, first status, receipt,
    # contact, idempotency record and stale week; the audit entry (the head read and one
    # append on PostgreSQL, two on SQLite); BEGIN and COMMIT (savepoints in a test).
    assert len(after) <= 15, "\n".join(after)


def test_a_changed_rule_or_department_counts_for_the_next_report(
    client, setup, django_capture_on_commit_callbacks, north, south
):
    first, _ = post_counted(client, 0)
    assert first.team == north and first.department.size == DepartmentSize.SMALL

    drugs = routing.rule_list().get(name="Drugs")
    with django_capture_on_commit_callbacks(execute=True):
        routing.routing_rule_set_active(actor=setup, rule=drugs, active=False)
        department = Department.objects.get(code="handhaving")
        department.size = DepartmentSize.LARGE
        department.save()
    second, _ = post_counted(
        client, 1, location={"address": {"postcode": "9911AB", "house_number": 3}}
    )
    assert second.team == south
    assert second.department.size == DepartmentSize.LARGE

    with django_capture_on_commit_callbacks(execute=True):
        routing.routing_rule_set_active(actor=setup, rule=drugs, active=True)
    third, _ = post_counted(
        client, 2, location={"address": {"postcode": "9911AB", "house_number": 4}}
    )
    assert third.team == north
    # The postcode rule moved above it: a bulk renumbering, which sends no post_save.
    with django_capture_on_commit_callbacks(execute=True):
        routing.routing_rule_move(actor=setup, rule=routing.rule_list().get(name="99"), offset=-1)
    fourth, _ = post_counted(
        client, 3, location={"address": {"postcode": "9911AB", "house_number": 5}}
    )
    assert fourth.team == south


def test_a_change_not_yet_committed_is_seen_by_its_own_transaction_only(
    client, setup, north, south
):
    post_counted(client, 0)
    # Not committed (no on_commit callback runs): this transaction reads its own change.
    drugs = routing.rule_list().get(name="Drugs")
    routing.routing_rule_set_active(actor=setup, rule=drugs, active=False)
    second, queries = post_counted(
        client, 1, location={"address": {"postcode": "9911AB", "house_number": 3}}
    )
    assert second.team == south
    assert [sql for sql in queries if "routingrule" in sql]


def test_another_workers_change_of_the_catalogue_counts_within_max_age(client, setup, monkeypatch):
    """Without a shared cache (the default LocMemCache is per process) another gunicorn
    worker's change never moves this process's version; the copy is read again once it is
    MAX_AGE old. Such a change is made here without the signal that would tell this process
    (a queryset update): the category is still offered until MAX_AGE has passed, and refused
    as unknown after it, as a category switched off is."""
    post_counted(client, 0)  # the catalogue is read and kept
    Category.objects.filter(code="drugs").update(is_active=False)
    assert "drugs" in process_cache.active_categories()
    later = time.monotonic() + process_cache.MAX_AGE + 1
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    assert "drugs" not in process_cache.active_categories()
    response = client.post(URL, report(1), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "category"


@pytest.mark.django_db(transaction=True)
def test_a_change_in_a_savepoint_of_a_transaction_that_rolls_back_is_not_kept(setup):
    """A category switched off inside a savepoint, read after the savepoint inside the same
    transaction (which sees its own change), and then the whole transaction rolled back: the
    process offers the category again at once, not the rolled-back state for MAX_AGE."""
    from django.db import transaction

    assert "drugs" in process_cache.active_categories()
    with pytest.raises(RuntimeError), transaction.atomic():
        with transaction.atomic():
            drugs = Category.objects.get(code="drugs")
            drugs.is_active = False
            drugs.save()
        assert "drugs" not in process_cache.active_categories()
        raise RuntimeError("rolled back")
    assert Category.objects.get(code="drugs").is_active
    assert "drugs" in process_cache.active_categories()


@pytest.mark.django_db(transaction=True)
def test_a_change_before_a_savepoint_that_rolls_back_is_not_kept_either(setup):
    """Change A, then change B in a savepoint that rolls back, then the whole transaction
    rolls back: A's uncommitted state is not kept either."""
    from django.db import transaction

    assert "drugs" in process_cache.active_categories()
    with pytest.raises(RuntimeError), transaction.atomic():
        drugs = Category.objects.get(code="drugs")
        drugs.is_active = False
        drugs.save()  # A
        with pytest.raises(ValueError), transaction.atomic():
            Department.objects.create(code="b", name="B", size=DepartmentSize.SMALL)  # B
            raise ValueError("B rolled back")
        assert "drugs" not in process_cache.active_categories()
        raise RuntimeError("rolled back")
    assert "drugs" in process_cache.active_categories()
