"""One page view, one read entry (docs/adr/0003-audit-chain.md, "What one read is").

A page such as the report page loads some of its parts afterwards (htmx panels). The page
logs one read that lists every part it will load, and hands each panel URL a token; a panel
request that brings a valid token for the same object and a part the page listed does not
log again. The token holds for the user's own session for a short while only, so it cannot
be passed on or kept: a panel fetched without it, with someone else's, with a stale one or
for another object logs its own read, exactly as before.

The token is signed, not stored (issue 18): when it was made, the parts (as a mask over the
parts the log knows, labels.PARTS) and an HMAC of those with the object, keyed by the secret
key and the user's session key. Only the same session can use it (another user's or a later
login's session key gives another HMAC), only for that object and those parts, and only for
LIFETIME. A part labels.PARTS does not know is never covered: its panel logs its own read.
Keeping the token in the session made every page view a second UPDATE and commit of the
session row after the view; nothing is written now.
"""

import base64
import time

from django.core.signing import b62_decode, b62_encode
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

from .labels import PARTS
from .services import Target

LIFETIME = 120  # seconds: the panels load right after the page
PARAMETER = "view"
_SALT = "baken.audit.page_view"
_BITS = {part: 1 << n for n, part in enumerate(PARTS)}


def _key(target: Target) -> str:
    return f"{target.type}:{target.id}"


def _mac(request: HttpRequest, target: Target, made: str, mask: str) -> str | None:
    """The token's HMAC for this session; None without a session (nothing is covered)."""
    session_key = request.session.session_key
    if not session_key:
        return None
    digest = salted_hmac(
        f"{_SALT}:{session_key}", f"{_key(target)}|{made}|{mask}", algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def page_view_start(request: HttpRequest, *, target: Target, parts: list[str]) -> str:
    """A token for the panels of this page view; the caller logs the read with `parts`."""
    made = b62_encode(int(time.time()))
    mask = b62_encode(sum(_BITS.get(part, 0) for part in set(parts)))
    mac = _mac(request, target, made, mask)
    return f"{made}_{mask}_{mac}" if mac else ""


def page_view_covers(request: HttpRequest, *, target: Target, part: str) -> bool:
    """True when this request is a panel of a page view that already logged the read."""
    made, _sep, rest = request.GET.get(PARAMETER, "").partition("_")
    mask, _sep, mac = rest.partition("_")
    if not (made and mask and mac and part in _BITS):
        return False
    expected = _mac(request, target, made, mask)
    if expected is None or not constant_time_compare(mac, expected):
        return False
    try:
        age = time.time() - b62_decode(made)
        return 0 <= age <= LIFETIME and bool(b62_decode(mask) & _BITS[part])
    except ValueError:
        return False


def with_token(url: str, token: str) -> str:
    if not url:
        return url
    return f"{url}{'&' if '?' in url else '?'}{PARAMETER}={token}"
