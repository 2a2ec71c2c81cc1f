"""Routes of the awareness app: see urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
