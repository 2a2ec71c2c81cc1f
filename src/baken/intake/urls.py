from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("melden", views.report_form, name="report"),
    path("melden/opvolgen", views.followup, name="followup"),
    path("melden/sw.js", views.service_worker, name="service_worker"),
    path("melden/manifest.webmanifest", views.manifest, name="manifest"),
]

from . import admin_views, contact_views  # noqa: E402

urlpatterns += [
    path("beheer/categorieen", admin_views.category_list, name="categories"),
    path("beheer/categorieen/nieuw", admin_views.category_edit, name="category_create"),
    path("beheer/categorieen/<int:pk>", admin_views.category_edit, name="category_edit"),
    # The workspace's side of the Meldpunt: opening a named reporter's contact details.
    path("werkruimte/meldingen/<int:pk>/melder", contact_views.contact_reveal, name="contact"),
    # Its panel on the report page (htmx).
    path(
        "werkruimte/meldingen/<int:pk>/contactpaneel",
        contact_views.contact_panel,
        name="contact_panel",
    ),
]
