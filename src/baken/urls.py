from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

urlpatterns = [
    path("", include("baken.core.urls")),
    path("", include("baken.accounts.urls")),
    path("", include("baken.intake.urls")),
    path("", include("baken.awareness.urls")),
    path("auditlog", include("baken.auditlog.urls")),
    path("bewaren/", include("baken.privacy.urls")),
    path("verzoeken/", include("baken.rights.urls")),
    path("toezicht/", include("baken.oversight.urls")),
    path("registers/", include("baken.privacy.register_urls")),
    path("werkruimte/", include("baken.reports.urls")),
    path("werkruimte/betrokkenen/", include("baken.subjects.urls")),
    path("werkruimte/casussen/", include("baken.cases.urls")),
    path("werkruimte/inzicht/", include("baken.insights.urls")),
    path("werkruimte/exports/", include("baken.exports.urls")),
    path("werkruimte/notificaties/", include("baken.notifications.urls")),
    path("api/v1/", include("baken.api.urls")),
    path("i18n/taal", login_not_required(set_language), name="set_language"),
    path("i18n/js", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
]

handler400 = "baken.core.views.bad_request"
handler403 = "baken.core.views.permission_denied"
handler404 = "baken.core.views.page_not_found"
handler500 = "baken.core.views.server_error"
