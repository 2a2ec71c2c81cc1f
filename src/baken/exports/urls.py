from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("nieuw", views.export_create, name="create"),
    path("<uuid:pk>", views.export_detail, name="detail"),
    path("<uuid:pk>/voortgang", views.export_progress, name="progress"),
    path("<uuid:pk>/bestand", views.export_file, name="file"),
]
