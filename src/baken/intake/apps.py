from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "baken.intake"
    verbose_name = _("Reporting point")
    # What `baken restore` decrypts to prove the data key fits (core/restore.py).
    decrypt_sample = "baken.intake.backup.decrypt_sample"

    def ready(self) -> None:
        from . import catalogue_cache  # noqa: F401  (connects the cache invalidation signals)
