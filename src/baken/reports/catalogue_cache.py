"""The active categories with their questions, kept in memory between requests.

Every report needs its category and questions; the catalogue changes a few times a year.
Each process keeps its copy until the catalogue's version in the shared cache changes, which
every save of a category, sign or question does (signals below).
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Category, Indicator, Question

_VERSION_KEY = "baken.reports.catalogue.version"
_local: dict = {"version": None, "categories": {}}


def _new_version() -> str:
    # A fresh random version, never a counter: after a cache flush no process may mistake
    # its old copy for the current one.
    return uuid.uuid4().hex


def active_categories() -> dict[str, Category]:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(_VERSION_KEY)
    if _local["version"] != version:
        categories = Category.objects.filter(is_active=True).prefetch_related(
            "questions", "indicators"
        )
        _local["categories"] = {category.code: category for category in categories}
        _local["version"] = version
    return _local["categories"]


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Question)
@receiver([post_save, post_delete], sender=Indicator)
def catalogue_changed(**kwargs) -> None:
    # This process reloads at once (it sees its own transaction); the others only once the
    # change is committed, or they could reload the old catalogue under the new version.
    _local["version"] = None
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, _new_version(), timeout=None))
