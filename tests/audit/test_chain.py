"""The audit log is append-only and any tampering in the database shows in `baken audit verify`."""

import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection

from baken.audit.actions import AuditAction
from baken.audit.models import AppendOnlyError, AuditEntry
from baken.audit.services import Target, audit_record
from baken.audit.verification import verify_chain
from baken.core.actors import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(make_user):
    user = make_user()
    for n in range(5):
        audit_record(
            actor=user, action=AuditAction.REPORT_READ, target=Target("test.thing", str(n))
        )
    return user


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify_cli():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue()
    return 0, out.getvalue()


def test_untouched_log_passes(chain):
    code, output = _verify_cli()
    assert code == 0
    assert "5 entries verified" in output


def test_entries_record_ids_and_role_never_content(chain):
    entry = AuditEntry.objects.order_by("seq").last()
    assert (entry.actor_id, entry.actor_role, entry.object_id) == (chain.pk, chain.role, "4")
    with pytest.raises(TypeError):
        audit_record(actor=chain, action=AuditAction.REPORT_READ, detail={"name": {"first": "Jan"}})


def test_an_action_outside_the_registry_is_refused_and_nothing_is_written(chain):
    with pytest.raises(ValueError, match="report.update"):
        audit_record(actor=chain, action="report.update")
    assert AuditEntry.objects.count() == 5


def test_the_system_is_recorded_as_before_and_a_missing_actor_is_refused(chain):
    # Entries of Baken itself keep the shape they had when the system was `None`: no id,
    # role "system" (the hash chain and old entries read the same).
    entry = audit_record(actor=SYSTEM, action=AuditAction.REPORTER_NOTIFY)
    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_role) == (None, "system")
    anonymous = audit_record(actor=AnonymousUser(), action=AuditAction.ATTACHMENT_UPLOAD)
    assert (anonymous.actor_id, anonymous.actor_role) == (None, "public")
    with pytest.raises(TypeError, match="SYSTEM"):
        audit_record(actor=None, action=AuditAction.REPORTER_NOTIFY)
    assert AuditEntry.objects.count() == 7
    assert verify_chain().ok


def test_the_log_keeps_the_code_itself(chain):
    # The stored value is the plain code: entries written before the registry read the same.
    entry = AuditEntry.objects.order_by("seq").last()
    assert type(entry.action) is str and entry.action == "report.read"
    assert AuditEntry.objects.filter(action="report.read").count() == 5


def test_altered_row_is_named(chain):
    _sql("UPDATE audit_auditentry SET object_id = %s WHERE seq = 3", ["999"])
    code, output = _verify_cli()
    assert code == 1
    assert "entry #3" in output and "altered" in output


def test_altered_detail_is_detected(chain):
    _sql("UPDATE audit_auditentry SET detail = %s WHERE seq = 2", [json.dumps({"x": 1})])
    assert verify_chain().broken_seq == 2


def test_removed_row_is_named(chain):
    _sql("DELETE FROM audit_auditentry WHERE seq = 2")
    code, output = _verify_cli()
    assert code == 1
    assert "entry #2" in output and "removed" in output


def test_removed_tail_is_detected_through_the_sealed_head(chain):
    _sql("DELETE FROM audit_auditentry WHERE seq = 5")
    verdict = verify_chain()
    assert not verdict.ok and verdict.broken_seq == 5


def test_removed_tail_with_forged_head_is_detected(chain):
    last = AuditEntry.objects.get(seq=4)
    _sql("DELETE FROM audit_auditentry WHERE seq = 5")
    _sql("UPDATE audit_audithead SET seq = 4, hash = %s", [last.hash])
    verdict = verify_chain()
    assert not verdict.ok and "head" in verdict.reason


def test_inserted_row_is_named(chain):
    last = AuditEntry.objects.get(seq=5)
    _sql(
        "INSERT INTO audit_auditentry (seq, at, actor_id, actor_role, action, object_type, "
        "object_id, detail, prev_hash, hash) VALUES (6, %s, NULL, 'system', 'test.read', '', '', "
        "'{}', %s, %s)",
        [last.at, last.hash, "f" * 64],
    )
    code, output = _verify_cli()
    assert code == 1 and "entry #6" in output


def test_renumbered_insertion_in_the_middle_is_detected(chain):
    _sql("UPDATE audit_auditentry SET seq = seq + 100 WHERE seq >= 3")
    _sql("UPDATE audit_auditentry SET seq = seq - 99 WHERE seq >= 103")
    _sql(
        "INSERT INTO audit_auditentry (seq, at, actor_id, actor_role, action, object_type, "
        "object_id, detail, prev_hash, hash) SELECT 3, at, actor_id, actor_role, 'forged', "
        "object_type, object_id, detail, hash, %s FROM audit_auditentry WHERE seq = 2",
        ["e" * 64],
    )
    verdict = verify_chain()
    assert not verdict.ok and verdict.broken_seq == 3


def test_the_application_cannot_change_or_remove_entries(chain):
    entry = AuditEntry.objects.first()
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(action="x")


def test_entry_rolls_back_with_the_change_it_records(make_user):
    from django.db import transaction

    user = make_user()
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=user, action=AuditAction.REPORT_IMPROVE)
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == before
    assert verify_chain().ok
