"""What a single sign-on login does to Baken's users: match, create, map groups, refuse."""

import time

from django.conf import settings
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import SYSTEM
from baken.core.refusals import Kind, Refused

from ..models import IdentityProviderDevice, Team, User

BACKEND = "baken.accounts.sso.backend.SSOBackend"
REFUSAL_KEY = "baken.sso_refusal"


# What the refusal page (views.refused_view) tells the person, by the refusal's code; also
# why a login through the provider could not even be tried ("unreachable") or failed.
REASONS = {
    "no_group": _(
        "Your municipality account is not in a group that gives access to Baken. If you "
        "need access, ask your manager to have you added to the right group; if you had "
        "access before, it ended when you were taken out of the group."
    ),
    "inactive": _(
        "Your account in Baken is switched off. Ask the functional administrator of Baken "
        "to switch it on again."
    ),
    "username_taken": _(
        "There is already a local Baken account with your username. Ask the functional "
        "administrator of Baken to sort this out."
    ),
    "no_identity": _(
        "The identity provider did not say who you are. Ask the functional administrator "
        "of Baken to check the single sign-on settings."
    ),
    "unreachable": _(
        "The municipality's login service does not answer at the moment. Try again in a few "
        "minutes; if it keeps failing, contact the IT service desk."
    ),
    "failed": _(
        "Logging in with your municipality account did not succeed. Try again; if it keeps "
        "failing, contact the functional administrator of Baken."
    ),
}


class SSORefused(Refused):
    """The provider vouched for the person, but Baken does not let them in (403): `code` is a
    key of REASONS. The login runs inside mozilla-django-oidc's callback, which can only
    redirect, so the backend keeps the code in the session for the refusal page."""

    kind = Kind.FORBIDDEN

    def __init__(self, code: str):
        super().__init__(code, REASONS[code])


def identity_of(claims: dict) -> str:
    value = claims.get(settings.OIDC_USER_CLAIM) or ""
    if not isinstance(value, str) or not value.strip():
        raise SSORefused("no_identity")
    return value.strip()


def role_of(claims: dict) -> tuple[str, str] | None:
    """(role, team name) of the first group in BAKEN_OIDC_ROLE_MAP the person is in."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    for group, target in settings.OIDC_ROLE_MAP.items():
        if group in groups:
            return target
    return None


def _team(name: str) -> Team | None:
    if not name:
        return None
    team, created = Team.objects.get_or_create(name=name)
    if created:
        audit_record(
            actor=SYSTEM, action=AuditAction.TEAM_CREATE, target=team, detail={"source": "sso"}
        )
    return team


def _profile(claims: dict) -> dict:
    return {
        "email": (claims.get("email") or "")[:254],
        "first_name": (claims.get("given_name") or "")[:150],
        "last_name": (claims.get("family_name") or "")[:150],
    }


def user_create(claims: dict) -> User:
    """The person's first login: a user with the role and team their groups map to.

    Two first logins of the same person at once (two tabs) both found no user; the second to
    arrive gets the user the first made instead of an error."""
    identity = identity_of(claims)
    made_meanwhile = User.objects.filter(sso_identity=identity).first()
    if made_meanwhile is not None:
        return user_update(made_meanwhile, claims)
    mapped = role_of(claims)
    if mapped is None:
        refusal_record(reason="no_group")
        raise SSORefused("no_group")
    username = identity[:150]
    holder = User.objects.filter(username=username).first()
    if holder is not None:
        if holder.sso_identity == identity:
            # The other tab's first login committed between the two lookups.
            return user_update(holder, claims)
        refusal_record(reason="username_taken")
        raise SSORefused("username_taken")
    role, team_name = mapped
    try:
        with transaction.atomic():
            user = User(username=username, sso_identity=identity, role=role, **_profile(claims))
            user.team = _team(team_name)
            user.set_unusable_password()
            # Uniqueness is the database's to decide, at the insert (see below).
            user.full_clean(validate_unique=False)
            user.save()
            audit_record(
                actor=SYSTEM,
                action=AuditAction.USER_CREATE,
                target=user,
                detail={"role": role, "source": "sso"},
            )
    except IntegrityError:
        made_meanwhile = User.objects.filter(sso_identity=identity).first()
        if made_meanwhile is None:
            refusal_record(reason="username_taken")
            raise SSORefused("username_taken") from None
        return user_update(made_meanwhile, claims)
    return user


def user_update(user: User, claims: dict) -> User:
    """Bring role and team in line with the groups claim; no mapped group: access ends."""
    mapped = role_of(claims)
    if not user.is_active:
        refusal_record(reason="inactive", user=user)
        raise SSORefused("inactive")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if mapped is None:
            user.is_active = False
            user.session_epoch += 1
            user.save(update_fields=["is_active", "session_epoch"])
            audit_record(
                actor=SYSTEM,
                action=AuditAction.USER_UPDATE,
                target=user,
                detail={"fields": ["is_active"], "source": "sso"},
            )
            refusal_record(reason="no_group", user=user)
        else:
            _apply(user, mapped, claims)
    if mapped is None:
        raise SSORefused("no_group")
    return user


def _apply(user: User, mapped: tuple[str, str], claims: dict) -> None:
    role, team_name = mapped
    team = _team(team_name)
    changed = sorted(
        name
        for name, old, new in [
            ("role", user.role, role),
            ("team", user.team_id, team.pk if team else None),
        ]
        if old != new
    )
    user.role, user.team = role, team
    for field, value in _profile(claims).items():
        setattr(user, field, value)
    user.full_clean()
    user.save()
    if changed:
        audit_record(
            actor=SYSTEM,
            action=AuditAction.USER_UPDATE,
            target=user,
            detail={"fields": changed, "role": role, "source": "sso"},
        )


def refusal_record(*, reason: str, user: User | None = None) -> None:
    with transaction.atomic():
        audit_record(
            actor=SYSTEM,
            action=AuditAction.AUTH_SSO_REFUSED,
            target=user,
            detail={"reason": reason},
        )


def login_complete(*, request: HttpRequest, user: User) -> None:
    """The provider vouched for the person and did the second factor: start the session."""
    with transaction.atomic():
        device, _created = IdentityProviderDevice.objects.get_or_create(
            user=user, defaults={"name": "identity provider", "confirmed": True}
        )
        login(request, user, backend=BACKEND)
        otp_login(request, device)
        request.session["baken.login_at"] = time.time()
        audit_record(
            actor=user,
            action=AuditAction.AUTH_LOGIN,
            target=user,
            detail={"second_factor": "identity_provider"},
        )
