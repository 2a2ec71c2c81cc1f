from django.urls import path

from . import dashboard, management_view

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("brandpunten", dashboard.hotspot_list, name="hotspots"),
    path("brandpunten/meldingen", dashboard.hotspot_report_list, name="hotspot_reports"),
    path("management", management_view.management, name="management"),
]
