"""Single sign-on over OpenID Connect (docs/sso.md, ADR 0021): settings from BAKEN_OIDC_*.

SSO is off unless BAKEN_OIDC_CLIENT_ID is set; then the issuer (whose discovery document names
the endpoints) or every endpoint, the client secret and a group-to-role map are required.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from baken.core.roles import Role

from . import env

_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "BAKEN_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "BAKEN_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "BAKEN_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "BAKEN_OIDC_JWKS_ENDPOINT",
    "OIDC_OP_END_SESSION_ENDPOINT": "BAKEN_OIDC_END_SESSION_ENDPOINT",
}


def role_map(raw: str) -> dict[str, tuple[str, str]]:
    """Parse "group=role:Team name,group2=role" into {group: (role, team name or "")}."""
    mapping = {}
    for part in (piece.strip() for piece in raw.split(",")):
        if not part:
            continue
        group, sep, target = part.partition("=")
        role, _colon, team = target.partition(":")
        if not sep or not group.strip() or role.strip() not in Role.values:
            raise ImproperlyConfigured(
                f"BAKEN_OIDC_ROLE_MAP: {part!r} is not 'group=role' or 'group=role:team' "
                f"with a role among {', '.join(Role.values)}."
            )
        mapping[group.strip()] = (role.strip(), team.strip())
    return mapping


def settings_from_env() -> dict:
    client_id = env.text("BAKEN_OIDC_CLIENT_ID", "")
    values: dict = {"OIDC_ENABLED": bool(client_id)}
    values.update(
        OIDC_RP_CLIENT_ID=client_id,
        OIDC_RP_CLIENT_SECRET=env.text("BAKEN_OIDC_CLIENT_SECRET", ""),
        OIDC_OP_ISSUER=env.text("BAKEN_OIDC_ISSUER", "").rstrip("/"),
        OIDC_RP_SCOPES=env.text("BAKEN_OIDC_SCOPES", "openid profile email"),
        OIDC_RP_SIGN_ALGO=env.text("BAKEN_OIDC_SIGN_ALGO", "RS256"),
        OIDC_USE_PKCE=env.switch("BAKEN_OIDC_USE_PKCE", default=True),
        OIDC_USER_CLAIM=env.text("BAKEN_OIDC_USER_CLAIM", "preferred_username"),
        OIDC_GROUPS_CLAIM=env.text("BAKEN_OIDC_GROUPS_CLAIM", "groups"),
        OIDC_ROLE_MAP=role_map(env.text("BAKEN_OIDC_ROLE_MAP", "")),
        OIDC_LOCAL_LOGIN_ADMIN_ONLY=env.switch("BAKEN_OIDC_LOCAL_LOGIN_ADMIN_ONLY", default=True),
    )
    for setting, name in _ENDPOINTS.items():
        values[setting] = env.text(name, "")
    if not client_id:
        return values
    if not values["OIDC_RP_CLIENT_SECRET"]:
        raise ImproperlyConfigured("BAKEN_OIDC_CLIENT_ID is set: set BAKEN_OIDC_CLIENT_SECRET too.")
    if not values["OIDC_OP_ISSUER"] and not all(
        values[setting] for setting in list(_ENDPOINTS)[:4]
    ):
        raise ImproperlyConfigured(
            "BAKEN_OIDC_CLIENT_ID is set: set BAKEN_OIDC_ISSUER, or each of "
            "BAKEN_OIDC_AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT, _USERINFO_ENDPOINT and "
            "_JWKS_ENDPOINT."
        )
    if not values["OIDC_ROLE_MAP"]:
        raise ImproperlyConfigured(
            "BAKEN_OIDC_CLIENT_ID is set: set BAKEN_OIDC_ROLE_MAP (which group gives which role)."
        )
    return values


def origins(values: dict) -> list[str]:
    """The provider's origins (scheme and host) the browser is sent to."""
    found = []
    for url in [values["OIDC_OP_ISSUER"], values["OIDC_OP_END_SESSION_ENDPOINT"]]:
        if values["OIDC_ENABLED"] and url:
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in found:
                found.append(origin)
    return found
