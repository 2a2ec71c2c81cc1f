"""One page view, one read entry (docs/adr/0003-audit-chain.md, "What one read is").

A page such as the report page loads some of its parts afterwards (htmx panels). The page
logs one read that lists every part it will load, and hands each panel URL a token; a panel
request that brings a valid token for the same object and a part the page listed does not
log again. The token lives in the user's own session for a short while only, so it cannot
be passed on or kept: a panel fetched without it, with someone else's, with a stale one or
for another object logs its own read, exactly as before.
"""

import secrets
import time

from django.http import HttpRequest

from .services import Target

SESSION_KEY = "audit_page_views"
LIFETIME = 120  # seconds: the panels load right after the page
PARAMETER = "view"
_KEEP = 20  # a user with many tabs open: the newest views only


def _key(target: Target) -> str:
    return f"{target.type}:{target.id}"


def page_view_start(request: HttpRequest, *, target: Target, parts: list[str]) -> str:
    """A token for the panels of this page view; the caller logs the read with `parts`."""
    now = time.time()
    views = {
        token: view
        for token, view in request.session.get(SESSION_KEY, {}).items()
        if view["until"] > now
    }
    token = secrets.token_urlsafe(12)
    views[token] = {"object": _key(target), "parts": list(parts), "until": now + LIFETIME}
    newest = sorted(views.items(), key=lambda item: item[1]["until"])[-_KEEP:]
    request.session[SESSION_KEY] = dict(newest)
    return token


def page_view_covers(request: HttpRequest, *, target: Target, part: str) -> bool:
    """True when this request is a panel of a page view that already logged the read."""
    token = request.GET.get(PARAMETER, "")
    view = request.session.get(SESSION_KEY, {}).get(token) if token else None
    return bool(
        view
        and view["until"] > time.time()
        and view["object"] == _key(target)
        and part in view["parts"]
    )


def with_token(url: str, token: str) -> str:
    if not url:
        return url
    return f"{url}{'&' if '?' in url else '?'}{PARAMETER}={token}"
