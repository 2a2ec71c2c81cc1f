"""The named reporter's acknowledgement, sent by the tasks worker (django-tasks' database
backend, as in production), against a real SMTP server (aiosmtpd):

- a mail the server refuses is tried again later, a bounded number of times, each wait
  longer than the one before; it arrives once the server takes it;
- after the last attempt the audit log records that the reporter could not be told; a mail
  refused for good (5xx) is not tried again;
- neither the log, nor the queued tasks, nor their results ever hold the address (the
  server's refusal names it, as real servers do);
- it goes before work queued earlier at the default priority."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from baken.audit.models import AuditEntry
from baken.intake import tasks

pytestmark = pytest.mark.django_db(transaction=True)
ADDRESS = "sanne@gemeente.example"
NAMED = {"anonymous": False, "name": "Sanne Wijkagent", "email": ADDRESS, "may_contact": True}


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def refusing(server, times: int):
    """The server refuses the next `times` mails (451 on DATA, naming the recipient)."""
    take, left = server.handle_DATA, [times]

    async def handle_data(smtp, session, envelope):
        if left[0]:
            left[0] -= 1
            return f"451 4.3.0 <{envelope.rcpt_tos[0]}>: mailbox busy, try again later"
        return await take(smtp, session, envelope)

    server.handle_DATA = handle_data
    return server


def file_named(client) -> dict:
    answer = client.post(
        "/api/v1/reports",
        {"description": "Busjes die 's nachts laden bij de loods.", "reporter": NAMED},
        content_type="application/json",
    )
    assert answer.status_code == 201
    return answer.json()


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="READY"))


def come_due() -> None:
    """The time of the waiting retry comes."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def no_address_kept(caplog) -> None:
    ours = [r for r in caplog.records if not r.name.startswith("mail.")]  # not the server's
    assert ours and not [r for r in ours if ADDRESS in r.getMessage() + str(r.exc_info)]
    for row in DBTaskResult.objects.all():
        kept = (row.args_kwargs, row.return_value, row.exception_class_path, row.traceback)
        assert ADDRESS not in str(kept)


def test_a_refused_acknowledgement_is_tried_again_later_until_the_server_takes_it(
    client, smtp_server, caplog
):
    caplog.set_level(logging.INFO)
    refusing(smtp_server, times=2)
    report = file_named(client)
    waits = []
    for attempt in (2, 3):
        work()
        assert smtp_server.messages == []
        (retry,) = waiting()
        assert retry.args_kwargs["args"] == [report["id"], attempt]
        waits.append(retry.run_after - timezone.now())
        come_due()
    work()
    assert [m["To"] for m in smtp_server.messages] == [ADDRESS]
    assert report["reference"] in smtp_server.messages[0]["Subject"]
    assert waiting() == []
    first = tasks.ACKNOWLEDGE_FIRST_WAIT
    assert first - timedelta(seconds=30) < waits[0] <= first
    assert 2 * first - timedelta(seconds=30) < waits[1] <= 2 * first
    # Each attempt read the contact details (logged); nothing says it failed in the end.
    notified = AuditEntry.objects.filter(action="reporter.notify", object_id=str(report["id"]))
    assert notified.count() == 3
    assert not AuditEntry.objects.filter(action="reporter.notify_failed").exists()
    assert caplog.text.count(f"Mail about report {report['reference']} could not be sent") == 2
    no_address_kept(caplog)


def test_after_the_last_attempt_the_audit_log_says_the_reporter_was_not_told(
    client, smtp_server, caplog
):
    caplog.set_level(logging.INFO)
    refusing(smtp_server, times=100)
    report = file_named(client)
    for _ in range(tasks.ACKNOWLEDGE_ATTEMPTS):
        assert len(waiting()) == 1
        work()
        come_due()
    assert waiting() == []  # bounded: no further attempt
    assert smtp_server.messages == []
    (failed,) = AuditEntry.objects.filter(action="reporter.notify_failed")
    assert (failed.object_type, failed.object_id, failed.actor_role) == (
        "reports.report",
        str(report["id"]),
        "system",
    )
    assert failed.detail["attempts"] == tasks.ACKNOWLEDGE_ATTEMPTS
    no_address_kept(caplog)


def test_a_mail_refused_for_good_is_not_tried_again(client, smtp_server, caplog):
    # 550: the server will never take it; trying again would only decrypt the details again.
    take = smtp_server.handle_DATA

    async def unknown(smtp, session, envelope):
        return f"550 5.1.1 <{envelope.rcpt_tos[0]}>: no such user"

    smtp_server.handle_DATA = unknown
    caplog.set_level(logging.INFO)
    report = file_named(client)
    work()
    assert waiting() == []
    assert smtp_server.messages == []
    (failed,) = AuditEntry.objects.filter(action="reporter.notify_failed")
    assert failed.object_id == str(report["id"])
    assert failed.detail == {"attempts": 1, "mail": "acknowledgement", "refused": True}
    no_address_kept(caplog)
    smtp_server.handle_DATA = take


def test_the_acknowledgement_goes_before_work_queued_earlier(client, smtp_server):
    from baken.exports.tasks import exports_expire

    earlier = [exports_expire.enqueue() for _ in range(3)]
    report = file_named(client)
    work()
    assert [m["To"] for m in smtp_server.messages] == [ADDRESS]
    started = {str(k): at for k, at in DBTaskResult.objects.values_list("id", "started_at")}
    (acknowledgement,) = DBTaskResult.objects.filter(args_kwargs__args=[report["id"]])
    assert acknowledgement.priority == tasks.ACKNOWLEDGE_PRIORITY
    assert all(started[str(acknowledgement.id)] < started[str(r.id)] for r in earlier)
