"""What every arriving report reads and an administrator changes a few times a year — the
active categories with their questions and signs, the active routing rules (with their areas)
and the departments — kept in each process's memory.

A process keeps its copy while the version in the shared cache stays the same; every save or
delete of a category, question, sign, routing rule, area or department changes it (the
receivers below; `changed()` for the bulk writes that send no signal). And:

- a copy is never older than MAX_AGE seconds, because without a shared cache
  (`BAKEN_CACHE_URL` unset, the in-process LocMemCache) a new version reaches only the process
  that made it: the other workers then see a change within MAX_AGE;
- while this process's own transaction has changed one of them and not committed, it reads
  them from the database each time and keeps nothing, so that a rolled-back change is never
  kept either. "Not committed" is told by the change's on-commit callback: while it waits in
  the connection's list the change can still commit or roll back (savepoints included: a
  savepoint rolled back drops its callbacks, as the transaction's rollback drops them all).
"""

import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from baken.places.models import Area

from .models import Category, Department, Indicator, Question, RoutingRule

T = TypeVar("T")

_VERSION_KEY = "baken.reports.lookups.version"
MAX_AGE = 10.0  # seconds

# version: the shared version the values were read under; read_at: time.monotonic() then;
# dirty: the on-commit callbacks of the changes this process made and has not seen committed.
_local: dict = {"version": None, "read_at": 0.0, "values": {}, "dirty": []}


def _shared_version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(_VERSION_KEY)
    return version


def _new_version() -> str:
    # Random, never a counter: after a cache flush no process may take its copy as current.
    return uuid.uuid4().hex


def _cached(name: str, load: Callable[[], T]) -> T:
    if _local["dirty"]:
        waiting = {id(entry[1]) for entry in connection.run_on_commit}
        if any(id(callback) in waiting for callback in _local["dirty"]):
            return load()  # the changing transaction sees its own change, kept nowhere
        # Rolled back (their callbacks dropped); had one committed, it cleared this.
        _local.update(dirty=[], version=None)
    version = _shared_version()
    now = time.monotonic()
    if _local["version"] != version or now - _local["read_at"] > MAX_AGE:
        _local.update(version=version, read_at=now, values={})
    values = _local["values"]
    if name not in values:
        values[name] = load()
    return values[name]


def active_categories() -> dict[str, Category]:
    """The active categories by code, each with its questions and signs."""
    return _cached(
        "categories",
        lambda: {
            category.code: category
            for category in Category.objects.filter(is_active=True).prefetch_related(
                "questions", "indicators"
            )
        },
    )


def active_rules() -> list[RoutingRule]:
    """The active routing rules in their order, each with its area."""
    return _cached(
        "rules", lambda: list(RoutingRule.objects.filter(is_active=True).select_related("area"))
    )


def department(code: str) -> Department | None:
    """The department with this code (switched off or not), or None."""
    by_code = _cached("departments", lambda: {d.code: d for d in Department.objects.all()})
    if code in by_code:
        return by_code[code]
    # One added since the copy was read (a bulk load sends no signal) is found all the same.
    return Department.objects.filter(code=code).first()


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Question)
@receiver([post_save, post_delete], sender=Indicator)
@receiver([post_save, post_delete], sender=RoutingRule)
@receiver([post_save, post_delete], sender=Area)
@receiver([post_save, post_delete], sender=Department)
def changed(**kwargs) -> None:
    """A category, question, sign, routing rule, area or department changed: this process
    reads them anew (its own transaction's view until it commits), every process once the
    change is committed."""
    if kwargs.get("raw"):
        return

    def committed() -> None:
        _local.update(dirty=[], version=None)
        cache.set(_VERSION_KEY, _new_version(), timeout=None)

    if connection.in_atomic_block:
        _local["dirty"].append(committed)
    _local["version"] = None
    transaction.on_commit(committed)
