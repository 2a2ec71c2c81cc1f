from django.urls import path

from . import change_views, inzage_views, views

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
    # The access overview (inzage) and its document (part B).
    path("<int:pk>/inzage", inzage_views.inzage, name="inzage"),
    path("<int:pk>/inzage/concept.pdf", inzage_views.inzage_pdf, name="inzage_pdf"),
    path("<int:pk>/inzage/items/<int:hit_pk>", inzage_views.inzage_decide, name="inzage_decide"),
    path("<int:pk>/inzage/document", inzage_views.inzage_document, name="inzage_document"),
    path(
        "<int:pk>/inzage/documenten/<int:document_pk>",
        inzage_views.inzage_download,
        name="inzage_download",
    ),
    path(
        "<int:pk>/inzage/documenten/<int:document_pk>/verzonden",
        inzage_views.inzage_sent,
        name="inzage_sent",
    ),
    # Correcting, removing, restricting, and telling the recipients (part C).
    path("<int:pk>/items/<int:hit_pk>/corrigeren", change_views.correct, name="correct"),
    path("<int:pk>/verwijderen", change_views.remove, name="remove"),
    path("<int:pk>/items/<int:hit_pk>/beperken", change_views.restrict, name="restrict"),
    path("<int:pk>/items/<int:hit_pk>/beperking-opheffen", change_views.lift, name="lift"),
    path(
        "<int:pk>/items/<int:hit_pk>/overdrachten/<int:handover_pk>/verteld",
        change_views.told,
        name="told",
    ),
]
