from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("regels/voorstel", views.rule_propose, name="rule_propose"),
    path("regels/<int:pk>/besluit", views.rule_decide, name="rule_decide"),
    path("bewaarplichten", views.hold_place, name="hold_place"),
    path("bewaarplichten/<int:pk>/opheffen", views.hold_lift, name="hold_lift"),
    path("vernietigingslijst/goedkeuren", views.list_approve, name="list_approve"),
    path("vernietigingslijst/<int:pk>/eraf", views.list_remove, name="list_remove"),
    path("runs/<int:pk>", views.statement, name="statement"),
    path("runs/<int:pk>/verklaring.pdf", views.statement_pdf, name="statement_pdf"),
]
