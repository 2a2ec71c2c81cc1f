from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "baken.cases"
    verbose_name = _("Cases")
    # Crypto-shredding (ADR 0032): a module whose OWNER (core/sealing.py) `baken backup`
    # keeps apart from the database, keys and sealed rows.
    key_store = "baken.cases.backup"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from baken.reports.models import Report
        from baken.reports.selectors import share_reports

        from .selectors import member_case_reports
        from .signals import report_saved

        # Members of a case see its reports (reports/selectors.py asks this rule).
        share_reports(member_case_reports)
        post_save.connect(report_saved, sender=Report, dispatch_uid="cases.report_team")
