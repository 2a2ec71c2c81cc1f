"""Accounts: creating users and teams, second factors, tokens, sessions."""

import secrets

from axes.utils import reset
from django.contrib.auth import login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused
from baken.core.roles import Role

from .models import ApiToken, Team, User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"
OWN_ACCESS = _("You cannot change your own role, team or status. Ask another administrator.")


def team_get_or_create(*, name: str, actor: Actor) -> Team:
    with transaction.atomic():
        team, created = Team.objects.get_or_create(name=name)
        if created:
            audit_record(actor=actor, action=AuditAction.TEAM_CREATE, target=team)
    return team


def user_create(
    *,
    username: str,
    role: str,
    password: str,
    actor: Actor,
    team: Team | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_demo: bool = False,
) -> User:
    user = User(
        username=username,
        role=Role(role),
        team=team,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_demo=is_demo,
    )
    problems = {}
    try:
        validate_password(password, user)
    except ValidationError as weak:
        problems["password"] = " ".join(weak.messages)
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as invalid:
        problems |= {name: " ".join(texts) for name, texts in invalid.message_dict.items()}
    if problems:
        # Django's validators say what is wrong; as a Refused, every caller (the user
        # pages, `baken users add`) gets them the same way, by field.
        raise Refused(problems=problems)
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor, action=AuditAction.USER_CREATE, target=user, detail={"role": role}
        )
    return user


def user_update(*, user: User, actor: Actor, role: str, team: Team | None, is_active: bool) -> User:
    """Refused (403, `own_access`) when the actor would change their own role, team or
    status: nobody widens or ends their own access, a second administrator does that."""
    if user.pk == getattr(actor, "pk", None) and (
        role != user.role or team != user.team or not is_active
    ):
        raise Refused("own_access", OWN_ACCESS, kind=Kind.FORBIDDEN)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        changed = sorted(
            name
            for name, old, new in [
                ("role", user.role, role),
                ("team", user.team_id, team.pk if team else None),
                ("is_active", user.is_active, is_active),
            ]
            if old != new
        )
        user.role, user.team, user.is_active = role, team, is_active
        if not is_active:
            user.session_epoch += 1
        user.full_clean()
        user.save()
        audit_record(
            actor=actor, action=AuditAction.USER_UPDATE, target=user, detail={"fields": changed}
        )
    return user


def second_factor_reset(*, user: User, actor: Actor) -> None:
    """Remove every second factor: the user enrols anew at the next login."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(session_epoch=user.session_epoch + 1)
        audit_record(actor=actor, action=AuditAction.USER_SECOND_FACTOR_RESET, target=user)


def lockout_lift(*, user: User, actor: Actor) -> None:
    """End a lockout after repeated password failures at once (django-axes keeps the count):
    the user can log in again, and their API tokens work again."""
    with transaction.atomic():
        reset(username=user.username)
        audit_record(actor=actor, action=AuditAction.USER_UNLOCK, target=user)


def totp_device_start(*, user: User) -> TOTPDevice:
    """The device being enrolled: unconfirmed until the user proves it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    if not device.verify_is_allowed()[0] or not device.verify_token(code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=device.user, action=AuditAction.AUTH_SECOND_FACTOR_ENROLLED, target=device.user
        )
    return True


def recovery_codes_generate(*, user: User) -> list[str]:
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        audit_record(actor=user, action=AuditAction.AUTH_RECOVERY_CODES_GENERATED, target=user)
    return codes


def second_factor_verify(*, user: User, code: str) -> tuple[TOTPDevice | StaticDevice | None, int]:
    """The device that accepts `code` (authenticator or recovery code), or None.

    Returns (device, wait_seconds): while django-otp's throttle is in force no code is
    tried, and the caller tells the user how long to wait.
    """
    code = "".join(code.split()).lower()
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if not allowed:
            wait = (info or {}).get("locked_until")
            seconds = max(1, int((wait - timezone.now()).total_seconds())) if wait else 1
            return None, seconds
        if code.isdigit() and device.verify_token(code):
            return device, 0
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if not code.isdigit() and device.verify_token(code):
            return device, 0
    return None, 0


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def login_complete(*, request: HttpRequest, user: User, device: TOTPDevice | StaticDevice) -> None:
    """Password and second factor both passed: start the session."""
    with transaction.atomic():
        login(request, user, backend=AUTH_BACKEND)
        otp_login(request, device)
        request.session["baken.login_at"] = timezone.now().timestamp()
        audit_record(
            actor=user,
            action=AuditAction.AUTH_LOGIN,
            target=user,
            detail={"second_factor": "recovery" if isinstance(device, StaticDevice) else "totp"},
        )


def logout_session(*, request: HttpRequest) -> None:
    user = request.user
    if isinstance(user, User):  # signing out without a session leaves nothing to log
        with transaction.atomic():
            audit_record(actor=user, action=AuditAction.AUTH_LOGOUT, target=user)
    logout(request)


def logout_everywhere(*, user: User) -> None:
    """End all of the user's sessions, on every device, this one included."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=user.session_epoch + 1)
        audit_record(actor=user, action=AuditAction.AUTH_LOGOUT_EVERYWHERE, target=user)


def token_create(
    *, user: User, actor: Actor, name: str = "", channels: list[str] | None = None
) -> str:
    """Make a token and return it in the clear; only its digest is kept."""
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            digest=ApiToken.digest_of(raw),
            hint=raw[:10],
            channels=channels or [],
        )
        audit_record(
            actor=actor, action=AuditAction.TOKEN_CREATE, target=token, detail={"user": user.pk}
        )
    return raw


def token_revoke(*, token: ApiToken, actor: Actor) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.TOKEN_REVOKE, target=token)
