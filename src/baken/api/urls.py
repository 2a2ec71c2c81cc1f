from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import intake, reports, views

app_name = "api"
urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("me", views.MeView.as_view(), name="me"),
    path("audit-entries", views.AuditEntryListView.as_view(), name="audit-entries"),
    path("categories", intake.CategoryListView.as_view(), name="categories"),
    path("attachments", intake.AttachmentCreateView.as_view(), name="attachments"),
    path("addresses", intake.AddressLookupView.as_view(), name="addresses"),
    path("reports", reports.ReportCollectionView.as_view(), name="reports"),
    path("reports/<int:pk>", reports.ReportDetailView.as_view(), name="report"),
    path("followup", intake.FollowupView.as_view(), name="followup"),
    path("followup/messages", intake.FollowupMessageView.as_view(), name="followup-messages"),
    re_path(r"^.*$", views.not_found),
]
