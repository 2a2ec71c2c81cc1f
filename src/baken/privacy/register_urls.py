"""The privacy officer's registers across Baken: every hand-over and forwarded report, and the
processing-register entry (issue 16)."""

from django.urls import path  # noqa: F401

app_name = "registers"
urlpatterns: list = []
