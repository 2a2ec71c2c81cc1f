from django.urls import path

from . import criteria_admin, suggestion_views, views, weighing_views

app_name = "reports"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("filters", views.filter_save, name="filter_save"),
    path("criteria", criteria_admin.criterion_list, name="criteria"),
    path("criteria/nieuw", criteria_admin.criterion_edit, name="criterion_create"),
    path("criteria/<int:pk>", criteria_admin.criterion_edit, name="criterion_edit"),
    path("filters/<int:pk>/verwijderen", views.filter_delete, name="filter_delete"),
    path("meldingen/<int:pk>", views.report_detail, name="detail"),
    path("meldingen/<int:pk>/verbeteren", views.report_improve, name="improve"),
    path("meldingen/<int:pk>/notities", views.note_add, name="note_add"),
    path("meldingen/<int:pk>/criteria", views.criterion_answer, name="criterion_answer"),
    path("meldingen/<int:pk>/weging", weighing_views.weighing_save, name="weighing_save"),
    path("meldingen/<int:pk>/besluit", views.decision_make, name="decide"),
    path("meldingen/<int:pk>/vraag", views.question_ask, name="ask"),
    path("meldingen/<int:pk>/bijlagen", views.attachment_add, name="attachment_add"),
    path("meldingen/<int:pk>/bijlagen/<uuid:attachment_id>", views.attachment, name="attachment"),
    path("meldingen/<int:pk>/suggestie", suggestion_views.suggestion_view, name="suggestion"),
]

from . import sealing_views  # noqa: E402

urlpatterns += [
    path("meldingen/<int:pk>/openen", sealing_views.unseal, name="unseal"),
]

from . import routing_preview_views, routing_views  # noqa: E402

urlpatterns += [
    path("routering", routing_views.rule_list, name="routing_rules"),
    path("routering/nieuw", routing_views.rule_edit, name="routing_rule_add"),
    path("routering/testen", routing_views.rule_test, name="routing_test"),
    path("routering/<int:pk>", routing_views.rule_edit, name="routing_rule_edit"),
    path("routering/<int:pk>/verwijderen", routing_views.rule_delete, name="routing_rule_delete"),
    path("routering/<int:pk>/activeren", routing_views.rule_toggle, name="routing_rule_toggle"),
    path("routering/<int:pk>/verplaatsen", routing_views.rule_move, name="routing_rule_move"),
    path("routering/voorbeeld", routing_preview_views.rule_preview_partial, name="routing_preview"),
    path(
        "routering/<int:pk>/voorbeeld",
        routing_preview_views.rule_preview_partial,
        name="routing_rule_preview",
    ),
    path("meldingen/<int:pk>/toewijzen", routing_views.assign, name="assign"),
    path("werklast", routing_views.workload, name="workload"),
]

from . import related_views  # noqa: E402

urlpatterns += [
    path("meldingen/<int:pk>/gerelateerd", related_views.related_panel, name="related"),
    path("meldingen/<int:pk>/koppelen", related_views.link, name="link"),
    path("meldingen/<int:pk>/samenvoegen", related_views.merge, name="merge"),
    path("meldingen/<int:pk>/samenvoegen-ongedaan-maken", related_views.unmerge, name="unmerge"),
    path("meldingen/<int:pk>/splitsen", related_views.split, name="split"),
    path("meldingen/<int:pk>/splitsen-ongedaan-maken", related_views.unsplit, name="unsplit"),
]
