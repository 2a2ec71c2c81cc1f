"""Routes of the awareness app: see urls.py. What the awareness work brings, in figures."""

from django.urls import path

from . import figures_views as views

urlpatterns = [
    path("werkruimte/bewustwording/cijfers", views.figures, name="figures"),
]
