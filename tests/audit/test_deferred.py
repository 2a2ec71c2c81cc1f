"""audit_deferred(): the entries of a block are linked to the chain at its end, in the order
recorded (intake holds the chain's head lock only from then until its commit), and never for
work that did not happen."""

import threading

import pytest
from django.db import connection, transaction

from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.audit.services import Target, audit_deferred, audit_record
from baken.audit.verification import verify_chain


def read(user, n: int) -> None:
    audit_record(actor=user, action=AuditAction.REPORT_READ, target=Target("test.thing", str(n)))


def ids() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("object_id", flat=True))


@pytest.mark.django_db
def test_a_blocks_entries_are_linked_at_its_end_in_the_order_recorded(make_user):
    user = make_user()
    read(user, 0)
    with transaction.atomic(), audit_deferred():
        read(user, 1)
        read(user, 2)
        assert ids() == ["0"]  # not yet in the chain while the block runs
        read(user, 3)
    assert ids() == ["0", "1", "2", "3"]
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_block_that_fails_writes_nothing_and_the_chain_stays_whole(make_user):
    user = make_user()
    read(user, 0)
    with pytest.raises(RuntimeError), transaction.atomic(), audit_deferred():
        read(user, 1)
        raise RuntimeError("the work failed")
    read(user, 2)
    assert ids() == ["0", "2"]
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_nested_block_that_fails_in_a_savepoint_drops_only_its_own_entries(make_user):
    user = make_user()
    with transaction.atomic(), audit_deferred():
        read(user, 1)
        try:
            with transaction.atomic(), audit_deferred():
                read(user, 2)
                raise ValueError("handled by the caller")
        except ValueError:
            pass
        read(user, 3)
    assert ids() == ["1", "3"]
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_unbroken_chain(make_user):
    """Eight threads, each twenty transactions of two entries in a deferred block, on an
    empty chain (its first writers once both wrote entry 1): every entry once, verified."""
    user = make_user()
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            for n in range(20):
                with transaction.atomic(), audit_deferred():
                    read(user, thread * 100 + n)
                    read(user, thread * 100 + n + 50)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(ids()) == sorted(
        str(t * 100 + n + extra) for t in range(8) for n in range(20) for extra in (0, 50)
    )
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 321))
    assert verify_chain().ok
