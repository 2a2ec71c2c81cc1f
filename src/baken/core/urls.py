from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("gezond", views.health, name="health"),
    path("beheer/systeemstatus", views.system_status, name="system_status"),
]
