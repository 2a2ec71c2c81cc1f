"""The provider's endpoints: from the settings, or else from the issuer's discovery document."""

import requests
from django.conf import settings
from django.core.cache import cache
from mozilla_django_oidc.utils import import_from_settings

_DISCOVERY_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
}
_CACHE_SECONDS = 3600


def document() -> dict:
    """The issuer's `.well-known/openid-configuration`, cached for an hour."""
    issuer = settings.OIDC_OP_ISSUER
    if not issuer:
        return {}
    key = f"baken.sso.discovery:{issuer}"
    found = cache.get(key)
    if found is None:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        found = response.json()
        cache.set(key, found, _CACHE_SECONDS)
    return found


def setting(attr: str, *default):
    """What mozilla-django-oidc asks for, with endpoints not in the settings discovered."""
    if attr in _DISCOVERY_KEYS and not getattr(settings, attr, ""):
        value = document().get(_DISCOVERY_KEYS[attr], "")
        if value or attr == "OIDC_OP_END_SESSION_ENDPOINT":
            return value
    return import_from_settings(attr, *default)
