from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from baken.accounts.models import ApiToken
from baken.accounts.selectors import is_locked_out


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <token>`; the token acts with its owner's rights."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token.")) from None
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token."))
        # While the owner's account is locked out after password failures, so is the token
        # (ADR 0004): until the lock ends or an administrator lifts it.
        if is_locked_out(request._request, token.user):
            raise exceptions.AuthenticationFailed(
                _("This account is locked after too many failed logins. Try again later.")
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, only once the second factor was given."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not result[0].is_verified():
            return None
        return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, made with `baken token USERNAME`.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = VerifiedSessionAuthentication
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "baken_session"}
