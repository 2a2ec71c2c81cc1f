"""Routes of the awareness app: see urls.py."""

from django.urls import path

from . import about

urlpatterns = [
    path("melden/over", about.about, name="about"),
]
