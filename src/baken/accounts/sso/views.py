"""Starting a single sign-on login, the provider's return, the refusal page, logout there."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import discovery, services


class StartView(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr, *args):
        return discovery.setting(attr, *args)


class CallbackView(OIDCAuthenticationCallbackView):
    @staticmethod
    def get_settings(attr, *args):
        return discovery.setting(attr, *args)

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)

    def login_failure(self):
        return redirect("accounts:sso_refused")

    def login_success(self):
        services.login_complete(request=self.request, user=self.user)
        return redirect(self.success_url)


def _start(request, *args, **kwargs):
    if not settings.OIDC_ENABLED:
        raise Http404
    return StartView.as_view()(request, *args, **kwargs)


start_view = login_not_required(_start)
callback_view = login_not_required(CallbackView.as_view())


@login_not_required
def refused_view(request):
    reason = request.session.pop(services.REFUSAL_KEY, "failed")
    return render(request, "accounts/sso_refused.html", {"reason": reason}, status=403)


def provider_logout_url(request) -> str:
    """Where to send the browser to end the session at the provider too, or ""."""
    id_token = request.session.get("oidc_id_token")
    endpoint = discovery.setting("OIDC_OP_END_SESSION_ENDPOINT", "") if id_token else ""
    if not endpoint:
        return ""
    query = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
    }
    return f"{endpoint}?{urlencode(query)}"
