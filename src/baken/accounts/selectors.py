from axes.handlers.proxy import AxesProxyHandler
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.roles import Capability

from .models import ApiToken, Team, User


def user_list(*, user: User) -> QuerySet[User]:
    """All users, for the functional administrator; reading the list is logged."""
    if not user.can(Capability.MANAGE_USERS):
        raise PermissionDenied
    audit_record(actor=user, action=AuditAction.USER_LIST, target=Target("accounts.user", "*"))
    return User.objects.select_related("team").annotate(
        has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


def user_get(*, user: User, pk: int) -> User:
    if not user.can(Capability.MANAGE_USERS):
        raise PermissionDenied
    found = User.objects.select_related("team").filter(pk=pk).first()
    if found is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.USER_READ, target=found)
    return found


def team_list(*, user: User) -> QuerySet[Team]:
    if not user.can(Capability.MANAGE_USERS):
        raise PermissionDenied
    return Team.objects.all()


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """A user's own tokens (hints only: the tokens themselves are never stored)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def is_locked_out(request: HttpRequest, user: User) -> bool:
    """Whether django-axes holds the account locked after repeated password failures (until
    BAKEN_LOGIN_COOLOFF_MINUTES pass or an administrator lifts it: services.lockout_lift).
    `request` is the Django request being answered (axes notes its own details on it)."""
    return AxesProxyHandler.is_locked(request, credentials={"username": user.username})
