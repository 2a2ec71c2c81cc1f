from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "baken.reports"
    verbose_name = _("Reports")
    # What `baken restore` decrypts to prove the data key fits (core/restore.py).
    decrypt_sample = "baken.reports.backup.decrypt_sample"
    # Crypto-shredding (ADR 0031, 0032): a module whose OWNER (core/sealing.py) `baken
    # backup` keeps apart from the database, keys and sealed rows.
    key_store = "baken.reports.backup"

    def ready(self) -> None:
        # Connect the cache invalidation signals (the catalogue; routing rules, departments).
        from . import process_cache  # noqa: F401
