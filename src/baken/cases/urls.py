from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:pk>", views.case_detail, name="detail"),
    path("uit-melding/<int:report_pk>", views.case_open, name="open"),
    path("<int:pk>/criteria", views.case_answer, name="answer"),
    path("<int:pk>/volgende-fase", views.case_advance, name="advance"),
    path("<int:pk>/sluiten", views.case_close, name="close"),
    path("<int:pk>/heropenen", views.case_reopen, name="reopen"),
    path("<int:pk>/leden", views.member_add, name="member_add"),
    path("<int:pk>/leden/<int:user_pk>/verwijderen", views.member_remove, name="member_remove"),
    path("<int:pk>/inzage", views.case_review, name="review"),
]
