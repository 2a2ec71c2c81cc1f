from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "baken.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        # The dashboard's rollup learns which weeks changed (ADR 0014, figures_rollup.py).
        from baken.places.models import Area
        from baken.reports.models import Indicator, Report

        from . import figures_rollup

        post_save.connect(figures_rollup.mark_report, sender=Report, dispatch_uid="figures")
        post_delete.connect(figures_rollup.mark_report, sender=Report, dispatch_uid="figures")
        post_save.connect(figures_rollup.mark_areas, sender=Area, dispatch_uid="figures")
        post_delete.connect(figures_rollup.mark_areas, sender=Area, dispatch_uid="figures")
        # The awareness figures' part of it (issue 18): the signs ticked, the signs offered.
        m2m_changed.connect(
            figures_rollup.mark_report_signs, sender=Report.signs.through, dispatch_uid="figures"
        )
        post_save.connect(figures_rollup.mark_signs, sender=Indicator, dispatch_uid="figures")
        post_delete.connect(figures_rollup.mark_signs, sender=Indicator, dispatch_uid="figures")
