"""Idle and maximum session lifetime (docs/product.md#privacy-and-security: sessions expire
when idle and after a maximum)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from baken.core.problems import problem_response

_LAST_SEEN = "baken.last_seen"
_LOGIN_AT = "baken.login_at"
# How stale the stored "last seen" may get before a request writes it again. Writing it on
# every request made every page an UPDATE of the session row and a commit (issue 18); a
# minute's grain only lets an idle session end up to a minute early, never later.
_LAST_SEEN_GRAIN_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request) -> HttpResponse:
        if request.user.is_authenticated and not request.user.is_verified():
            # A session without a second factor is not a session (e.g. a stale half login).
            logout(request)
        if request.user.is_authenticated and self._expired(request):
            logout(request)
            return self._expired_response(request)
        if request.user.is_authenticated:
            now = time.time()
            if now - request.session.get(_LAST_SEEN, 0) >= _LAST_SEEN_GRAIN_SECONDS:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> bool:
        now = time.time()
        last_seen = request.session.get(_LAST_SEEN, now)
        login_at = request.session.get(_LOGIN_AT, now)
        return (
            now - last_seen > settings.SESSION_IDLE_SECONDS
            or now - login_at > settings.SESSION_COOKIE_AGE
        )

    @staticmethod
    def _expired_response(request) -> HttpResponse:
        message = _("Your session has expired because it was inactive. Please log in again.")
        if request.path.startswith("/api/"):
            return problem_response(request, status=401, title=message)
        messages.info(request, message)
        login_url = reverse(settings.LOGIN_URL)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        return redirect(login_url)
