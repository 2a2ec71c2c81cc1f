from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>", views.notification_open, name="open"),
    path("<int:pk>/gelezen", views.notification_read, name="read"),
    path("alles-gelezen", views.notifications_read_all, name="read_all"),
    path("instellingen", views.preferences, name="preferences"),
]
