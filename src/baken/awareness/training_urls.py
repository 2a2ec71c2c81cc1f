"""Routes of the awareness app: see urls.py. The team's awareness home and its trainings."""

from django.urls import path

from . import training_views as views

urlpatterns = [
    path("werkruimte/bewustwording/", views.home, name="home"),
    path(
        "werkruimte/bewustwording/trainingen/nieuw", views.training_create, name="training_create"
    ),
    path("werkruimte/bewustwording/trainingen/<int:pk>", views.training, name="training"),
    path(
        "werkruimte/bewustwording/trainingen/<int:pk>/verwijderen",
        views.training_delete,
        name="training_delete",
    ),
]
