from django.apps import AppConfig
from django.core.cache import cache
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

from .search_index import MIGRATION, ensure_search_index


def _repair_search_index(sender, using, **kwargs) -> None:
    """Put back search triggers that a SQLite table rebuild dropped (search_index.py)."""
    connection = connections[using]
    if MIGRATION in MigrationRecorder(connection).applied_migrations():
        ensure_search_index(connection)


def _name_saved(sender, instance, using, **kwargs) -> None:
    # Here, not at the top: apps.py is imported before the models, and .search imports them.
    from .search import name_key_saved

    name_key_saved(instance.name_key, using)


def _name_deleted(sender, instance, using, **kwargs) -> None:
    from .search import VOCABULARY_VERSION  # as in _name_saved: .search imports the models

    cache.set(VOCABULARY_VERSION, f"deleted {instance.pk}", None)  # reload without its words


class SubjectsConfig(AppConfig):
    name = "baken.subjects"
    verbose_name = _("Subjects")
    # Crypto-shredding (ADR 0032): a module whose OWNER (core/sealing.py) `baken backup`
    # keeps apart from the database, keys and sealed rows.
    key_store = "baken.subjects.backup"

    def ready(self) -> None:
        post_migrate.connect(_repair_search_index, sender=self)
        post_save.connect(_name_saved, sender="subjects.Subject")
        post_delete.connect(_name_deleted, sender="subjects.Subject")
