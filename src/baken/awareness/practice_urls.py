"""Routes of the awareness app's practice scenarios (issue 17): see urls.py.

The employee's page at /melden/oefenen (no login, beside the Meldpunt), the functional
administrator's scenarios under /beheer, the team's counts in the workspace."""

from django.urls import path

from . import practice_views

urlpatterns = [
    path("melden/oefenen", practice_views.practice_page, name="practice"),
    path("melden/oefenen/<int:pk>", practice_views.practice_answer, name="practice_answer"),
    path("beheer/oefenscenarios", practice_views.practice_admin, name="practice_admin"),
    path("beheer/oefenscenarios/nieuw", practice_views.practice_edit, name="practice_create"),
    path("beheer/oefenscenarios/<int:pk>", practice_views.practice_edit, name="practice_edit"),
    path(
        "werkruimte/bewustwording/oefenen",
        practice_views.practice_counts,
        name="practice_counts",
    ),
]
