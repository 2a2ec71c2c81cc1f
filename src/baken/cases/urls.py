from django.urls import path

from . import admin_views, panels, views, work_views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:pk>", views.case_detail, name="detail"),
    path("uit-melding/<int:report_pk>", views.case_open, name="open"),
    path("uit-melding/<int:report_pk>/toevoegen", views.case_join, name="join"),
    # The case panels of the report and subject pages (htmx).
    path("bij-melding/<int:pk>", panels.report_panel, name="report_panel"),
    path("bij-subject/<int:pk>", panels.subject_panel, name="subject_panel"),
    path("<int:pk>/notities", views.case_note, name="note"),
    path("<int:pk>/criteria", views.case_answer, name="answer"),
    path("<int:pk>/volgende-fase", views.case_advance, name="advance"),
    path("<int:pk>/sluiten", views.case_close, name="close"),
    path("<int:pk>/heropenen", views.case_reopen, name="reopen"),
    path("<int:pk>/leden", views.member_add, name="member_add"),
    path("<int:pk>/regisseur", views.handler_set, name="handler_set"),
    path("<int:pk>/leden/<int:user_pk>/verwijderen", views.member_remove, name="member_remove"),
    path("<int:pk>/inzage", views.case_review, name="review"),
    path("<int:pk>/bronnen", work_views.consultation_request, name="consultation_request"),
    path(
        "<int:pk>/bronnen/<int:consultation_pk>/hit",
        work_views.consultation_hit,
        name="consultation_hit",
    ),
    path(
        "<int:pk>/bronnen/<int:consultation_pk>/bevindingen",
        work_views.consultation_findings,
        name="consultation_findings",
    ),
    path("bronnenonderzoek", work_views.consultation_queue, name="consultation_queue"),
    path("<int:pk>/interventies", work_views.intervention_add, name="intervention_add"),
    path(
        "<int:pk>/interventies/<int:intervention_pk>",
        work_views.intervention_update,
        name="intervention_update",
    ),
    path("<int:pk>/overdracht", work_views.handover, name="handover"),
    path(
        "<int:pk>/overdracht/<int:handover_pk>/geinformeerd",
        work_views.handover_informed,
        name="handover_informed",
    ),
    path("<int:pk>/verantwoording.pdf", work_views.accountability, name="accountability"),
    path("<int:pk>/taken", work_views.task_add, name="task_add"),
    path("<int:pk>/taken/<int:task_pk>/klaar", work_views.task_done, name="task_done"),
    path("mijn-taken", work_views.my_tasks, name="my_tasks"),
    path("typen", admin_views.case_types, name="case_types"),
    path("typen/<int:type_pk>/nieuwe-versie", admin_views.version_new, name="version_new"),
    path("versies/<int:pk>", admin_views.version, name="version"),
    path("catalogus/<str:kind>", admin_views.catalogue_add, name="catalogue_add"),
]
