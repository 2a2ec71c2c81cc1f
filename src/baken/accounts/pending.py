"""The half-way state of a login: the password is right, the second factor not yet given.

Nothing is logged in during this state; the session only remembers whose password passed,
for a few minutes.
"""

import time

from .models import User

_USER = "baken.pending_user"
_AT = "baken.pending_at"
_FAILURES = "baken.pending_failures"
VALID_SECONDS = 300
MAX_CODE_FAILURES = 5


def start(request, user: User) -> None:
    request.session.cycle_key()
    request.session[_USER] = user.pk
    request.session[_AT] = time.time()
    request.session[_FAILURES] = 0


def user(request) -> User | None:
    pk, at = request.session.get(_USER), request.session.get(_AT, 0)
    if pk is None or time.time() - at > VALID_SECONDS:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def note_failure(request) -> bool:
    """Count a wrong code; True when the password must be given again."""
    failures = request.session.get(_FAILURES, 0) + 1
    request.session[_FAILURES] = failures
    if failures >= MAX_CODE_FAILURES:
        clear(request)
        return True
    return False


def clear(request) -> None:
    for key in (_USER, _AT, _FAILURES):
        request.session.pop(key, None)
