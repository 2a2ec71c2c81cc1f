"""The privacy officer's registers across Baken: every hand-over and forwarded report, and the
processing-register entry (issue 16)."""

from django.urls import path

from . import register_views as views

app_name = "registers"
urlpatterns = [
    path("verstrekkingen", views.sharing, name="sharing"),
    path("verstrekkingen.csv", views.sharing_csv_download, name="sharing_csv"),
    path("verwerkingsregister", views.processing_page, name="processing"),
    path("verwerkingsregister.pdf", views.processing_pdf, name="processing_pdf"),
]
