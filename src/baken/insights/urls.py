"""The insights pages under /werkruimte/inzicht/: the dashboard with hotspots, the management
view, and the weekly overview with its archive."""

from django.urls import include, path

app_name = "insights"

urlpatterns = [
    path("", include("baken.insights.dashboard_urls")),
    path("weekoverzicht/", include("baken.insights.overview_urls")),
]
