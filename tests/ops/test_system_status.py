"""The functional administrator's system status page: queue, failures, scheduled runs, the
last audit verification and the heartbeats; nobody else may open it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baken.core import operations, scheduling
from baken.core.models import AuditVerification
from baken.core.roles import Role
from tests.ops import failing_tasks

pytestmark = pytest.mark.django_db
URL = "/beheer/systeemstatus"


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.SCHEDULE = {
        "worker-heartbeat": {"task": "baken.core.tasks.worker_heartbeat", "cron": "* * * * *"},
        "audit-verify": {"task": "baken.audit.tasks.audit_verify", "cron": "* * * * *"},
    }


def run_worker():
    """The real worker (django-tasks' db_worker), in this process, until the queue is empty.
    It closes the database connection when done: the tests that use it commit (transaction)."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_administrator_sees_queue_failures_schedule_audit_check_and_heartbeats(
    db_tasks, make_user, verified_client
):
    admin = make_user(Role.ADMIN)
    client = verified_client(admin)
    before = client.get(URL).content.decode()
    assert "De audit-log is nog niet gecontroleerd." in before
    assert "De nachtelijke bewaarronde (retention-run) staat uit" in before

    now = timezone.now()
    scheduling.tick(since=now - timedelta(minutes=1), now=now)
    failing_tasks.breaks.enqueue()
    run_worker()
    for _ in range(3):
        failing_tasks.breaks.enqueue()  # waiting: no worker runs them

    page = client.get(URL).content.decode()
    verification = AuditVerification.objects.get()
    assert verification.ok
    assert "intact" in page and "nog niet gecontroleerd" not in page
    assert page.count(">recent<") == 2  # both heartbeats
    assert "<dt>In de wachtrij</dt>\n  <dd>3 (" in page
    assert "<dt>Mislukt in de afgelopen 24 uur</dt>\n  <dd>1</dd>" in page
    assert "<code>breaks</code></td><td>1</td>" in page
    assert "Pietersen" not in page  # a task's error is never shown
    assert page.count(">klaar<") == 2  # both scheduled runs' tasks finished
    assert "<code>audit-verify</code>" in page and "<code>* * * * *</code>" in page


def test_the_nightly_retention_run_is_a_scheduled_task_with_its_last_run(
    make_user, verified_client
):
    """With the production schedule the page lists retention-run and does not say it is off."""
    page = verified_client(make_user(Role.ADMIN)).get(URL).content.decode()
    assert "<code>retention-run</code>" in page and "<code>15 2 * * *</code>" in page
    assert "bewaarronde (retention-run) staat uit" not in page


def test_a_broken_chain_is_shown_as_broken(db_tasks, make_user, verified_client):
    AuditVerification.objects.create(
        at=timezone.now(), ok=False, checked=41, broken_seq=42, reason="altered", seconds=0.1
    )
    page = verified_client(make_user(Role.ADMIN)).get(URL).content.decode()
    assert "gebroken" in page and "#42" in page


@pytest.mark.django_db(transaction=True)
def test_the_page_takes_the_same_number_of_queries_with_more_failures(
    db_tasks, make_user, verified_client
):
    client = verified_client(make_user(Role.ADMIN))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    now = timezone.now()
    scheduling.tick(since=now - timedelta(minutes=1), now=now)
    failing_tasks.breaks.enqueue()
    run_worker()
    one = queries()
    for _ in range(4):
        failing_tasks.breaks.enqueue()
    run_worker()
    failing_tasks.breaks.enqueue()
    assert queries() == one <= 13


@pytest.mark.parametrize(
    "role", [Role.PRIVACY_OFFICER, Role.ANALYST, Role.TEAM_LEAD, Role.MANAGEMENT, Role.INTAKE]
)
def test_other_roles_are_refused_and_see_no_menu_entry(role, make_user, verified_client):
    user = make_user(role)
    client = verified_client(user)
    assert client.get(URL).status_code == 403
    assert "Systeemstatus" not in client.get("/").content.decode()
    with pytest.raises(PermissionDenied):
        operations.system_status(user=user)


def test_without_login_the_page_asks_for_one_and_the_administrator_finds_it_in_the_menu(
    client, make_user, verified_client
):
    response = client.get(URL)
    assert response.status_code == 302 and "/inloggen" in response["Location"]
    home = verified_client(make_user(Role.ADMIN)).get("/").content.decode()
    assert f'href="{URL}"' in home and "Systeemstatus" in home


@pytest.mark.django_db(transaction=True)
def test_heartbeat_results_older_than_a_day_are_removed_by_the_next_heartbeat(db_tasks):
    from django_tasks_db.models import DBTaskResult

    from baken.core.tasks import worker_heartbeat

    worker_heartbeat.enqueue()
    run_worker()
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=2))
    failing_tasks.breaks.enqueue()
    worker_heartbeat.enqueue()
    run_worker()
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == ["baken.core.tasks.worker_heartbeat", "tests.ops.failing_tasks.breaks"]
