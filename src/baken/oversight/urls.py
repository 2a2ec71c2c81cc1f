"""The access review (issue 16) under /toezicht/: the privacy officer's pages."""

from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.flags, name="flags"),
    path("<int:pk>", views.flag, name="flag"),
    path("<int:pk>/beoordeling", views.flag_review, name="flag_review"),
    path("weekrapport", views.report, name="report"),
    path("weekrapport.pdf", views.report_pdf, name="report_pdf"),
]
