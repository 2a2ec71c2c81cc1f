from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"
urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("me", views.MeView.as_view(), name="me"),
    path("audit-entries", views.AuditEntryListView.as_view(), name="audit-entries"),
    re_path(r"^.*$", views.not_found),
]
