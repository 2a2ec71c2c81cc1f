from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "baken.insights"
    verbose_name = _("Insights")
    # The address rollup is left out of a backup and rebuilt after a restore (backup.py).
    key_store = "baken.insights.backup"

    def ready(self) -> None:
        # The dashboard's rollup learns which weeks changed (ADR 0014, figures_rollup.py).
        from baken.awareness import figures as awareness_figures
        from baken.cases.models import Case, Intervention
        from baken.places.models import Area
        from baken.reports.models import Indicator, Report

        from . import awareness_rollup, case_rollup, figures_rollup
        from .models import AwarenessBucket

        post_save.connect(figures_rollup.mark_report, sender=Report, dispatch_uid="figures")
        post_delete.connect(figures_rollup.mark_report, sender=Report, dispatch_uid="figures")
        # The cases' part (issue 18, case_rollup.py): a case's or an intervention's week of
        # opening. An intervention is only deleted with its case, whose delete marks it.
        post_save.connect(case_rollup.mark_case, sender=Case, dispatch_uid="figures")
        post_delete.connect(case_rollup.mark_case, sender=Case, dispatch_uid="figures")
        post_save.connect(
            case_rollup.mark_intervention, sender=Intervention, dispatch_uid="figures"
        )
        post_save.connect(figures_rollup.mark_areas, sender=Area, dispatch_uid="figures")
        post_delete.connect(figures_rollup.mark_areas, sender=Area, dispatch_uid="figures")
        # The awareness figures' part of it (issue 18): which categories offer signs. The signs
        # a reporter ticked are added only when the report is created (reports/services.py),
        # in the transaction whose post_save marked its week already: no m2m receiver (it
        # would cost every intake with signs one more statement).
        post_save.connect(figures_rollup.mark_signs, sender=Indicator, dispatch_uid="figures")
        post_delete.connect(figures_rollup.mark_signs, sender=Indicator, dispatch_uid="figures")
        # The awareness figures read their rollup, which lives here (awareness is below).
        awareness_figures.read_from(
            awareness_figures.Rollup(
                rows=AwarenessBucket.objects.all, refresh=awareness_rollup.awareness_refresh
            )
        )
