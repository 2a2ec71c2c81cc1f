from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "baken.core"
    verbose_name = _("Baken")

    def ready(self) -> None:
        from . import checks, crypto  # noqa: F401  (registers the system checks)
        from .db_session import connect as connect_db_session
        from .statistics import analyze_after_migrate

        connect_db_session()

        post_migrate.connect(analyze_after_migrate, sender=self, dispatch_uid="core.analyze")

        # Start-up stops here, with a clear message, when the data key is missing in
        # production (docs/interfaces.md#settings: BAKEN_DATA_KEY_FILE).
        crypto.ensure_data_key()
