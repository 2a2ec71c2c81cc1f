"""Reading cases, scoped to need-to-know (issue "Werkruimte III", item 3): a case's content is
visible to its current members and to the team lead of its team, and to nobody else — not to
a case handler of another case, not to management or the functional administrator. The
privacy officer sees a case only by reviewing it on request, which is recorded and logged.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.roles import Role

from .models import Case, CaseMember, CaseReview


def _visible(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    member_of = CaseMember.objects.filter(user=user, removed_at__isnull=True).values("case_id")
    if user.role == Role.TEAM_LEAD and user.team_id:
        return Q(team=user.team_id) | Q(pk__in=member_of)
    if user.role in (Role.ANALYST, Role.CASE_HANDLER, Role.INTAKE):
        return Q(pk__in=member_of)
    return None


def case_list(*, user: User) -> QuerySet[Case]:
    scope = _visible(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope).select_related("stage", "team", "handler", "result")


def workable_case_list(*, user: User) -> QuerySet[Case]:
    """The open cases this user may work in (cases.permissions.may_work): where a report can
    be added."""
    if user.role not in (Role.ANALYST, Role.CASE_HANDLER, Role.TEAM_LEAD):
        return Case.objects.none()
    member_of = CaseMember.objects.filter(user=user, removed_at__isnull=True).values("case_id")
    mine = Q(pk__in=member_of)
    if user.role == Role.TEAM_LEAD and user.team_id:
        mine |= Q(team=user.team_id)
    return case_list(user=user).filter(mine, closed_at__isnull=True).order_by("-opened_at")


def case_get(*, user: User, pk: int) -> Case | None:
    """One case if the user may see it, the read logged; None otherwise, exactly as for a
    case that does not exist."""
    case = case_list(user=user).filter(pk=pk).first()
    if case is not None:
        audit_record(actor=user, action=AuditAction.CASE_READ, target=case)
    return case


def case_review(*, officer: User, pk: int, reason: str) -> Case | None:
    """The privacy officer opens a case on request, with the reason; recorded and logged."""
    if officer.role != Role.PRIVACY_OFFICER or not reason.strip() or len(reason.strip()) > 500:
        return None
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        return None
    with transaction.atomic():
        review = CaseReview.objects.create(
            case=case, officer=officer, reason=reason.strip(), at=timezone.now()
        )
        audit_record(
            actor=officer, action=AuditAction.CASE_REVIEW, target=case, detail={"review": review.pk}
        )
    return case


def member_case_reports(user: User) -> QuerySet:
    """The ids of the reports of the cases this user is a current member of."""
    from .models import CaseReport

    return CaseReport.objects.filter(
        case__memberships__user=user, case__memberships__removed_at__isnull=True
    ).values("report_id")
