"""Rate limits for the public endpoints: per client and overall (django-ratelimit).

The client key is the address the request came from, but it only ever exists inside a hashed
cache key that expires with its window: it is never written to the database or a log.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from rest_framework.exceptions import Throttled


def _everyone(group, request):
    return "all"


def is_limited(request, scope: str) -> bool:
    """Count this request; True when this client or everyone together went over the limit."""
    if not settings.RATELIMIT_ENABLE:
        return False
    return any(
        is_ratelimited(
            request,
            group=f"baken.{group}",
            key=key,
            rate=settings.RATELIMITS[group],
            increment=True,
        )
        for group, key in ((scope, "ip"), (f"{scope}_total", _everyone))
    )


def enforce(request, scope: str) -> None:
    """For API views: raise Throttled (a 429 problem+json) when over the limit."""
    if is_limited(request, scope):
        raise Throttled(
            detail=_(
                "Too many attempts from you or from everyone at once. Wait a while and try again."
            )
        )
