from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "baken.reports"
    verbose_name = _("Reports")
    # What `baken restore` decrypts to prove the data key fits (core/restore.py).
    decrypt_sample = "baken.reports.backup.decrypt_sample"
    # The key store of crypto-shredding (ADR 0031): a module with KEY_STORE_TABLE,
    # key_store_rows() and key_store_load(rows), which `baken backup` and `baken restore`
    # keep apart from the database.
    key_store = "baken.reports.backup"

    def ready(self) -> None:
        from . import catalogue_cache  # noqa: F401  (connects the cache invalidation signals)
