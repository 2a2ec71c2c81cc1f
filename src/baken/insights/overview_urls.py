"""/werkruimte/inzicht/weekoverzicht/: the latest week and the archive, one week (2026-W47),
its PDF, and the e-mail subscription."""

from django.urls import path, register_converter

from . import overview_views as views


class WeekConverter:
    regex = r"\d{4}-W\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(WeekConverter, "week")

urlpatterns = [
    path("", views.overview_latest, name="overview"),
    path("abonnement", views.overview_subscription, name="overview_subscription"),
    path("<week:week>", views.overview_week, name="overview_week"),
    path("<week:week>.pdf", views.overview_week_pdf, name="overview_pdf"),
]
