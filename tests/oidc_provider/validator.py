import json
from pathlib import Path

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class GroupsValidator(OAuth2Validator):
    """Adds preferred_username, email and a `groups` claim (from a JSON file) to the ID token.

    Like Entra ID and ADFS, the userinfo endpoint does not repeat the groups: Baken must read
    them from the ID token.
    """

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        groups = json.loads(Path(settings.IDP_GROUPS_FILE).read_text())
        user = request.user
        claims = {
            "preferred_username": user.username,
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
        if user.username in groups:
            claims["groups"] = groups[user.username]
        return claims

    def get_userinfo_claims(self, request):
        claims = super().get_userinfo_claims(request)
        claims.pop("groups", None)
        return claims
