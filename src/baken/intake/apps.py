from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "baken.intake"
    verbose_name = _("Reporting point")

    def ready(self) -> None:
        from . import catalogue_cache  # noqa: F401  (connects the cache invalidation signals)
