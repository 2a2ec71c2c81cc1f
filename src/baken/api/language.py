"""The API's language: what the client asks for with `Accept-Language`, Dutch by default.

The pages ignore the browser's Accept-Language (core.middleware.DutchFirstLocaleMiddleware:
municipal computers often run an English browser). An API client names its language on
purpose, so under /api/ a language Baken has (nl, en) named in Accept-Language is honoured,
in the client's order of preference; without one, the API answers as the pages do: the
language chosen with the switch (its cookie), else Dutch. Validation messages, problem
titles and labels follow it.

A call made by one of Baken's own pages (the Meldpunt's address lookup, the map's points)
carries the browser's Accept-Language, not a choice: the browser marks it
`Sec-Fetch-Site: same-origin`, and it gets the page's language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


def asked_language(header: str) -> str | None:
    """The first language of `header` (by q, then order) that Baken has, or None."""
    available = {code for code, _name in settings.LANGUAGES}
    for tag, _quality in parse_accept_lang_header(header):
        primary = tag.split("-")[0].lower()
        if primary in available:
            return primary
    return None


class ApiLanguageMiddleware:
    """After DutchFirstLocaleMiddleware, for /api/ only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        from_a_page = request.headers.get("Sec-Fetch-Site") == "same-origin"
        language = (
            None if from_a_page else asked_language(request.headers.get("Accept-Language", ""))
        )
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers["Content-Language"] = request.LANGUAGE_CODE
        return response
