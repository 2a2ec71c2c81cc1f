from django.urls import path

from . import user_views, views
from .sso import views as sso_views

app_name = "accounts"
urlpatterns = [
    path("inloggen", views.login_view, name="login"),
    path("inloggen/code", views.verify_view, name="verify"),
    path("inloggen/instellen", views.enrol_view, name="enrol"),
    path("inloggen/sso", sso_views.start_view, name="sso_start"),
    path("inloggen/sso/terug", sso_views.callback_view, name="sso_callback"),
    path("inloggen/sso/geweigerd", sso_views.refused_view, name="sso_refused"),
    path("uitloggen", views.logout_view, name="logout"),
    path("account", views.account_view, name="account"),
    path("account/herstelcodes", views.recovery_codes_view, name="recovery_codes"),
    path("account/overal-uitloggen", views.logout_everywhere_view, name="logout_everywhere"),
    path("beheer/gebruikers", user_views.user_list_view, name="users"),
    path("beheer/gebruikers/nieuw", user_views.user_create_view, name="user_create"),
    path("beheer/gebruikers/<int:pk>", user_views.user_detail_view, name="user_detail"),
]
