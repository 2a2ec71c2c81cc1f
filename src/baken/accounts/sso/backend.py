"""mozilla-django-oidc's backend, matching users on one claim and mapping groups to roles."""

import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import discovery, services

logger = logging.getLogger(__name__)


class SSOBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr, *args):
        return discovery.setting(attr, *args)

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or "nonce" not in kwargs:
            return None  # a password login, or SSO is off
        try:
            return super().authenticate(request, **kwargs)
        except services.SSORefused as refusal:
            # authenticate() must answer None for the library to call login_failure, which
            # redirects to the refusal page: the code goes there in the session.
            request.session[services.REFUSAL_KEY] = refusal.code
        except SuspiciousOperation:
            # A token not meant for Baken, expired, or with the wrong nonce or signature.
            logger.warning("SSO login refused: the ID token did not pass the checks.")
            services.refusal_record(reason="invalid_token")
        return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        issuer = settings.OIDC_OP_ISSUER
        if (
            (issuer and payload.get("iss", "").rstrip("/") != issuer)
            or self.OIDC_RP_CLIENT_ID not in audiences
            or payload.get("exp", 0) < time.time()
        ):
            raise SuspiciousOperation("ID token not meant for Baken or expired.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims with the userinfo endpoint's on top: Entra ID and ADFS put
        the groups (or roles) only in the ID token."""
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims):
        services.identity_of(claims)
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(sso_identity=services.identity_of(claims))

    def create_user(self, claims):
        return services.user_create(claims)

    def update_user(self, user, claims):
        return services.user_update(user, claims)
