"""Starting a single sign-on login, the provider's return, the refusal page, logout there."""

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import discovery, services

logger = logging.getLogger(__name__)


class StartView(OIDCAuthenticationRequestView):
    @staticmethod
    def get_settings(attr, *args):
        return discovery.setting(attr, *args)


class CallbackView(OIDCAuthenticationCallbackView):
    @staticmethod
    def get_settings(attr, *args):
        return discovery.setting(attr, *args)

    def login_failure(self):
        return redirect("accounts:sso_refused")

    def login_success(self):
        services.login_complete(request=self.request, user=self.user)
        return redirect(self.success_url)


def _sso_view(view):
    """404 while SSO is off; a provider that does not answer gets a clear page, not a 500."""

    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except requests.RequestException:
            logger.exception("The identity provider did not answer.")
            context = {"message": services.REASONS["unreachable"]}
            return render(request, "accounts/sso_refused.html", context, status=503)

    return login_not_required(wrapped)


start_view = _sso_view(StartView.as_view())
callback_view = _sso_view(CallbackView.as_view())


@login_not_required
def refused_view(request):
    """Why the login through the provider was refused (services.SSORefused, its code kept in
    the session by the backend); a general failure when there is none."""
    code = request.session.pop(services.REFUSAL_KEY, "failed")
    message = services.REASONS.get(code, services.REASONS["failed"])
    return render(request, "accounts/sso_refused.html", {"message": message}, status=403)


def provider_logout_url(request) -> str:
    """Where to send the browser to end the session at the provider too, or ""."""
    id_token = request.session.get("oidc_id_token")
    if not id_token or not settings.OIDC_ENABLED:
        return ""
    try:
        endpoint = discovery.setting("OIDC_OP_END_SESSION_ENDPOINT", "")
    except requests.RequestException:
        logger.exception("The identity provider did not answer; logged out at Baken only.")
        return ""
    if not endpoint:
        return ""
    query = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
    }
    return f"{endpoint}?{urlencode(query)}"
