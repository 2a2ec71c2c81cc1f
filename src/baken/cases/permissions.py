"""What a user may do in a case they may see (seeing is decided by selectors.case_list).

- work (answer criteria, move on, add reports): the current members, and the team lead of
  the case's team;
- close, reopen and membership: the team lead of the case's team and the case's handler.
"""

from baken.core.roles import Role

from .models import Case, CaseMember

WORK_ROLES = {Role.ANALYST, Role.CASE_HANDLER, Role.TEAM_LEAD}


def _lead(user, case: Case) -> bool:
    return user.role == Role.TEAM_LEAD and user.team_id == case.team_id


def is_member(user, case: Case) -> bool:
    return CaseMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists()


def _member(user, case: Case, member: bool | None) -> bool:
    # `member`: whether `user` is a current member, when the caller read the members already
    # (the case page); otherwise asked here.
    return is_member(user, case) if member is None else member


def may_work(user, case: Case, *, member: bool | None = None) -> bool:
    return user.role in WORK_ROLES and (_lead(user, case) or _member(user, case, member))


def may_steer(user, case: Case, *, member: bool | None = None) -> bool:
    """Close, reopen, change the membership."""
    return _lead(user, case) or (case.handler_id == user.pk and _member(user, case, member))
