"""Single sign-on over OpenID Connect with mozilla-django-oidc (docs/sso.md, ADR 0021)."""
