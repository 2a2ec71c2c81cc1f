"""A real OpenID Connect provider for the SSO tests: django-oauth-toolkit in its own process."""
