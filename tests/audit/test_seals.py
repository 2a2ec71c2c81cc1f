"""The chain's seal leaves the database: one file a day, written once, mailed to the privacy
officer; a chain rewritten in the database with the tool's own algorithm (and the data key)
passes its own check but not the seal, and a removed or changed seal file is reported.

Time moves through the `now` the code takes: "a day later" seals today's entries."""

import errno
import io
import json
import os
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from baken.audit import chain, seals, tasks
from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.audit.services import Target, audit_record
from baken.audit.verification import verify, verify_chain
from baken.core import scheduling
from baken.core.models import AuditVerification

pytestmark = pytest.mark.django_db
OFFICER = "privacy@havenwaard.example"
DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


@pytest.fixture
def seal_dir(settings, tmp_path):
    settings.AUDIT_SEAL_DIR = tmp_path / "zegels"
    return settings.AUDIT_SEAL_DIR


@pytest.fixture
def user(make_user):
    user = make_user(
        username="avries", first_name="Ann", last_name="de Vries", email="ann@havenwaard.example"
    )
    for n in range(5):
        audit_record(
            actor=user, action=AuditAction.REPORT_READ, target=Target("test.thing", str(n))
        )
    return user


def _later(days: int = 1):
    """A moment `days` after now: its yesterday is today, so today's entries are sealed."""
    return timezone.now() + timedelta(days=days)


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue() + str(exc)
    return 0, out.getvalue()


def _rewrite_whole_chain():
    """What someone with the database and the data key can do: change an entry, then
    recompute every hash and the head's seal with Baken's own algorithm."""
    _sql("UPDATE audit_auditentry SET object_id = %s WHERE seq = 2", ["999"])
    prev = chain.GENESIS
    for entry in list(AuditEntry.objects.order_by("seq")):
        new = chain.hash_of(entry, prev_hash=prev)
        _sql(
            "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE seq = %s",
            [prev, new, entry.seq],
        )
        prev = new
    last = AuditEntry.objects.order_by("seq").last()
    _sql(
        "UPDATE audit_audithead SET seq = %s, hash = %s, seal = %s",
        [last.seq, last.hash, chain.head_seal(seq=last.seq, hash_=last.hash)],
    )


def test_a_day_is_sealed_once_in_a_file_outside_the_database(user, seal_dir):
    today = timezone.localdate()
    first = seals.seal_day(now=_later())
    assert first.written
    path = seal_dir / f"audit-seal-{today.isoformat()}.json"
    assert first.seal.path == path
    content = json.loads(path.read_text())
    fifth = AuditEntry.objects.get(seq=5)
    assert (content["date"], content["seq"], content["hash"], content["entries"]) == (
        today.isoformat(),
        5,
        fifth.hash,
        5,
    )
    assert os.stat(path).st_mode & 0o222 == 0  # read-only once written
    assert [p.name for p in seal_dir.iterdir()] == [path.name]  # no temporary file left
    # The chain records the seal: entry 6, with the file's fingerprint.
    recorded = AuditEntry.objects.get(action=AuditAction.AUDIT_SEAL)
    assert (recorded.seq, recorded.object_id) == (6, today.isoformat())
    assert recorded.detail == {"digest": first.seal.digest, "count": 5}

    # Twice, by the task or by hand: written once, the file as it was.
    before = path.read_bytes()
    again = seals.seal_day(now=_later())
    assert not again.written and again.seal.seq == 5
    code, output = _cli("seal", "--date", today.isoformat())
    assert code == 0 and "Already sealed" in output
    assert path.read_bytes() == before
    assert AuditEntry.objects.filter(action=AuditAction.AUDIT_SEAL).count() == 1

    # A day that has not ended is not sealed.
    with pytest.raises(seals.SealError, match="has not ended"):
        seals.seal_day(today + timedelta(days=1))
    code, output = _cli("seal", "--date", today.isoformat().replace("-", "/"))
    assert code != 0
    code, output = _cli("seal", "--date", (today + timedelta(days=5)).isoformat())
    assert code == 2 and "has not ended" in output

    # The next day seals the chain as it stands then, its own entry included.
    audit_record(actor=user, action=AuditAction.REPORT_READ, target=Target("test.thing", "9"))
    second = seals.seal_day(now=_later(2))
    assert second.written and (second.seal.seq, second.seal.entries) == (7, 7)
    assert second.seal.day == today + timedelta(days=1)
    code, output = _cli("verify")
    assert code == 0
    assert "8 entries verified, and 2 seals match it" in output


def test_rewriting_the_whole_chain_in_the_database_fails_against_the_seal(user, seal_dir):
    sealed = seals.seal_day(now=_later()).seal
    audit_record(actor=user, action=AuditAction.REPORT_READ, target=Target("test.thing", "7"))
    _rewrite_whole_chain()

    # The chain alone cannot tell: every hash and the head fit again.
    assert verify_chain().ok
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == 5
    code, output = _cli("verify")
    assert code == 1
    assert "Audit log broken at entry #5" in output
    day = sealed.day
    assert f"the seal of {day.day} {day.strftime('%B')} {day.year} ({sealed.path})" in output
    assert "the chain in the database was rewritten" in output
    assert "pass the chain's own check" in output
    # In Dutch, for the privacy officer: the day as people write it.
    assert "de keten in de database is herschreven" in verdict.reason_nl
    month = DUTCH_MONTHS[day.month - 1]
    assert f"het zegel van {day.day} {month} {day.year} ({sealed.path})" in verdict.reason_nl


def test_a_tail_cut_off_and_resealed_in_the_database_fails_against_the_seal(user, seal_dir):
    seals.seal_day(now=_later())
    four = AuditEntry.objects.get(seq=4)
    _sql("DELETE FROM audit_auditentry WHERE seq >= 5")
    _sql(
        "UPDATE audit_audithead SET seq = 4, hash = %s, seal = %s",
        [four.hash, chain.head_seal(seq=4, hash_=four.hash)],
    )
    assert verify_chain().ok
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == 5
    assert "entries were removed from the end" in verdict.reason


def test_a_removed_or_changed_seal_file_is_reported(user, seal_dir):
    first = seals.seal_day(now=_later()).seal
    second = seals.seal_day(now=_later(2)).seal
    assert verify().ok

    first.path.unlink()
    code, output = _cli("verify")
    assert code == 1
    assert f"its file {first.path} is missing (removed)" in output

    os.chmod(second.path, 0o644)
    changed = json.loads(second.path.read_text())
    changed["sealed_at"] = "2026-01-01T00:00:00.000000Z"
    second.path.write_text(json.dumps(changed, indent=2) + "\n")
    verdict = verify()
    assert not verdict.ok
    # The latest day first, then the removed one.
    assert f"its file {second.path} was changed after it was written" in verdict.reason
    assert len(verdict.problems) == 2 and "missing (removed)" in verdict.problems[1]

    second.path.write_text("not a seal")
    verdict = verify()
    assert "is no seal Baken wrote: it is not JSON" in verdict.reason
    recorded = AuditEntry.objects.get(action=AuditAction.AUDIT_SEAL, object_id=str(second.day))
    assert verdict.broken_seq == recorded.seq  # the entry that recorded the seal
    code, output = _cli("seal", "--date", second.day.isoformat())
    assert code == 1 and "no seal Baken wrote" in output
    assert second.path.read_text() == "not a seal"  # left as it is


def test_the_seal_and_a_failed_check_reach_the_privacy_officer(
    user, seal_dir, smtp_server, settings
):
    settings.PRIVACY_OFFICER_EMAIL = [OFFICER]
    sealing, mailed = tasks.seal(now=_later())
    assert mailed
    [seal_mail] = smtp_server.messages
    body = seal_mail.get_content().replace("\r\n", "\n")
    assert seal_mail["To"] == OFFICER
    assert seal_mail["Subject"].startswith("Baken: zegel van de auditlog van ")
    assert "Laatste regel: #5" in body and f"Hash van die regel: {sealing.seal.hash}" in body
    assert "Aantal regels tot en met die regel: 5" in body
    assert sealing.seal.text in body  # the whole file, to keep beside it
    again, mailed_again = tasks.seal(now=_later())
    assert not again.written and not mailed_again  # sealed once, mailed once
    assert len(smtp_server.messages) == 1

    _rewrite_whole_chain()
    result = tasks.audit_verify.enqueue()  # the scheduled task itself
    assert result.return_value["ok"] is False and result.return_value["mailed"] is True
    [_, alarm] = smtp_server.messages
    text = alarm.get_content()
    assert alarm["To"] == OFFICER
    assert alarm["Subject"] == "Baken: de controle van de auditlog is mislukt"
    assert "Regel #5: wijkt af van het zegel van" in text
    assert sealing.seal.path.name in text and "herschreven" in text
    assert "geen persoonsgegevens" in text
    recorded = AuditVerification.objects.get()
    assert not recorded.ok and recorded.broken_seq == 5 and "rewritten" in recorded.reason
    for mail in smtp_server.messages:
        whole = mail.as_string()
        assert "avries" not in whole and "Vries" not in whole and user.email not in whole


def test_a_mail_that_cannot_be_sent_does_not_undo_the_seal(user, seal_dir, settings):
    settings.PRIVACY_OFFICER_EMAIL = [OFFICER]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    sealing, mailed = tasks.seal(now=_later())
    assert sealing.written and not mailed and sealing.seal.path.exists()
    assert verify().ok


def test_the_seal_and_the_check_are_scheduled_daily(user, seal_dir, settings):
    schedule = {entry.name: entry for entry in scheduling.entries()}
    seal, check = schedule["audit-seal"], schedule["audit-verify"]
    assert (seal.task, seal.cron) == ("baken.audit.tasks.audit_seal", "15 0 * * *")
    assert (check.task, check.cron) == ("baken.audit.tasks.audit_verify", "45 3 * * *")

    settings.SCHEDULE = {name: settings.SCHEDULE[name] for name in ("audit-seal", "audit-verify")}
    now = timezone.now()
    runs = scheduling.run_due(now=now, since=now - timedelta(days=1))
    assert [run.name for run in runs] == ["audit-seal", "audit-verify"]
    yesterday = timezone.localdate(now) - timedelta(days=1)
    assert (seal_dir / f"audit-seal-{yesterday.isoformat()}.json").exists()
    assert AuditVerification.objects.get().ok
    assert scheduling.run_due(now=now, since=now - timedelta(days=1)) == []  # once a day


def test_a_share_without_hard_links_still_gets_each_seal_once(user, seal_dir, monkeypatch):
    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)  # as on some network shares
    first = seals.seal_day(now=_later())
    assert first.written and json.loads(first.seal.path.read_text())["seq"] == 5
    assert [p.name for p in seal_dir.iterdir()] == [first.seal.path.name]
    assert not seals.seal_day(now=_later()).written
    assert verify().ok
