"""Routes of the awareness app: see urls.py. The departments, kept by the functional
administrator (Capability.CONFIGURE), beside the category catalogue."""

from django.urls import path

from . import department_views

urlpatterns = [
    path("beheer/afdelingen", department_views.departments, name="departments"),
    path("beheer/afdelingen/nieuw", department_views.department_edit, name="department_create"),
    path("beheer/afdelingen/<int:pk>", department_views.department_edit, name="department_edit"),
]
