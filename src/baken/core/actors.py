"""Who does something in Baken: a person, or Baken itself.

Every service and selector says who acts with `actor: Actor`:

- a `User` (a signed-in member of staff);
- Django's `AnonymousUser`, the public reporter of the Meldpunt, who has no account;
- `SYSTEM`, the one `SystemActor`: Baken itself, when the scheduler, a background task or a
  command acts without a person (the weekly overview, reports whose question went
  unanswered, the demo data, a user made on the command line).

There is no `None` actor: the system is named, so a forgotten actor is a type error, and
`audit_record` refuses it. The audit log records a user by id and role, the public reporter
as role `public` and the system as role `system` without an id (audit/services.py).

The core is the bottom layer and may not import accounts: `User` is named for the type
checker only (.importlinter allows exactly this import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal, TypeAlias, Union

from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from baken.accounts.models import User


class SystemActor:
    """Baken itself. Like the anonymous user it has no id and is not signed in, so code that
    asks `actor.is_authenticated` or `actor.pk` treats it as nobody in particular; it has no
    role and no capabilities."""

    __slots__ = ()
    pk: Final = None
    is_authenticated: Final[Literal[False]] = False
    is_active: Final[Literal[False]] = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()

# A Union rather than a string, so that `Actor | None` works at run time too.
Actor: TypeAlias = Union["User", AnonymousUser, SystemActor]


def person(actor: Actor) -> User | None:
    """The signed-in user who acts, or None for the public reporter and for the system (for
    the fields that name a person, such as a status change's `actor`)."""
    if isinstance(actor, SystemActor | AnonymousUser):
        return None
    return actor
