from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .views import bad_request


class DutchFirstLocaleMiddleware:
    """Dutch unless the user chose otherwise with the language switch (its cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: municipal
    computers often run an English browser, and Baken's working language is Dutch (ADR 0002).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """Nothing Baken answers is kept by a browser or proxy cache.

    Every page and API answer may hold data about people suspected of crimes, or a
    reporter's own report on the follow-up page; a shared computer's back button or disk
    cache must not show it to the next user. Static files are answered by WhiteNoise before
    this middleware and keep their long cache lifetimes. A view that sets its own
    Cache-Control (an attachment: "private, no-store") keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store, private"
        return response


class RequestTooLargeMiddleware:
    """A form too large to read (settings.DATA_UPLOAD_MAX_MEMORY_SIZE: a huge paste) is
    answered with what is wrong and the limit (core.views.bad_request, 413), before the CSRF
    check reads the form and Django answers a bare 400 (a debug page when DEBUG is on, which
    the reporting page's script could only call a failure to try again)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The API (csrf_exempt) reads and refuses its own bodies (problem+json).
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018 (reading it is the check)
        except RequestDataTooBig as too_big:
            request._mark_post_parse_error()
            return bad_request(request, too_big)
        return None


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY: feature -> allowed
    origins, [] for none, "self" for Baken itself) on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
