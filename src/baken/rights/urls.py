from django.urls import path

from . import views

app_name = "rights"
urlpatterns: list = [
    # The request register and finding a person (part A).
    path("", views.request_list, name="list"),
    path("nieuw", views.request_new, name="new"),
    path("<int:pk>", views.request_detail, name="detail"),
    path("<int:pk>/notitie", views.request_note, name="note"),
    path("<int:pk>/verlengen", views.request_extend, name="extend"),
    path("<int:pk>/zoeken", views.request_search, name="search"),
    path("<int:pk>/beoordelen", views.hit_judge, name="judge"),
    path("<int:pk>/besluit", views.request_decide, name="decide"),
]
