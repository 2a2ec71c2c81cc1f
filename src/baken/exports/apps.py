from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _expire_destroyed(sender, run, **kwargs) -> None:
    """After a retention run: files holding rows it destroyed go (services)."""
    from . import services

    services.exports_with_destroyed_rows_expire()


class ExportsConfig(AppConfig):
    name = "baken.exports"
    verbose_name = _("Exports")

    def ready(self) -> None:
        from baken.privacy.signals import run_finished

        run_finished.connect(_expire_destroyed, dispatch_uid="exports.destroyed_rows")
