from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "baken.places"
    verbose_name = _("Places")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from .signals import report_saved

        # By label: places sits below reports (.importlinter) and does not import it.
        post_save.connect(report_saved, sender="reports.Report", dispatch_uid="places.areas")
