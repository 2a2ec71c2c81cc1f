"""Reading cases, scoped to need-to-know (issue "Werkruimte III", item 3): a case's content is
visible to its current members and to the team lead of its team, and to nobody else — not to
a case handler of another case, not to management or the functional administrator. The
privacy officer sees a case only by reviewing it on request, which is recorded and logged.
"""

import re

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.roles import Role
from baken.reports.models import Report, ReportSubject
from baken.subjects.models import Judgement, Mention

from .models import OUTSIDE_CASE_TEAM, Case, CaseDecision, CaseMember, CaseReport, CaseReview


def _visible(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    member_of = CaseMember.objects.filter(user=user, removed_at__isnull=True).values("case_id")
    if user.role == Role.TEAM_LEAD and user.team_id:
        return Q(team=user.team_id) | Q(pk__in=member_of)
    if user.role in (Role.ANALYST, Role.CASE_HANDLER, Role.INTAKE):
        return Q(pk__in=member_of)
    return None


# The case list's order (page and export): open cases first, the newest opened first, then
# the closed ones, the latest closed first. Written with NULLS FIRST: PostgreSQL sorts a NULL
# last in ascending order, so `order_by("closed_at")` put every open case after the closed
# ones there (SQLite put them first). Read from case_list_idx, in this order.
LIST_ORDER = (F("closed_at").desc(nulls_first=True), F("opened_at").desc(), F("pk").desc())


def case_list(*, user: User) -> QuerySet[Case]:
    scope = _visible(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope).select_related("stage", "team", "handler", "result")


def case_count(*, user: User) -> int:
    """How many cases `case_list(user=user)` holds. Of a user who sees only the cases they are
    a current member of: their current memberships, one per case (case_member_current_once),
    counted in the membership index without reading a case (an analyst is in 100,000 cases at
    5 million reports, and each was looked up by its key only to be counted)."""
    scope = _visible(user)
    if scope is None:
        return 0
    if user.role in (Role.ANALYST, Role.CASE_HANDLER, Role.INTAKE):
        return CaseMember.objects.filter(user=user, removed_at__isnull=True).count()
    return case_list(user=user).count()


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


JOIN_FOUND_MAX = 20  # search results offered to add a report to
JOIN_SUGGESTED_MAX = 5  # suggestions of each kind (same address or subject; your recent)
_SEARCH_MAX = 100


def join_search(*, user: User, query: str) -> tuple[list[Case], bool]:
    """The open cases this user may add a report to (`workable_case_list`) whose case number
    or title holds `query`: at most JOIN_FOUND_MAX, an exact case number first, then the
    newest; and whether more matched. A number typed without its dashes or in lower case is
    found too."""
    query = " ".join(query.split())[:_SEARCH_MAX]
    if not query:
        return [], False
    compact = re.sub(r"[^0-9A-Za-z]", "", query).upper()
    matches = Q(title__icontains=query) | Q(reference__icontains=query)
    exact = None
    if re.fullmatch(r"Z[0-9A-Z]{8}", compact):
        exact = f"Z-{compact[1:5]}-{compact[5:]}"
        matches |= Q(reference=exact)
    found = list(workable_case_list(user=user).filter(matches)[: JOIN_FOUND_MAX + 1])
    more = len(found) > JOIN_FOUND_MAX
    found = sorted(found, key=lambda case: case.reference != exact)
    return found[:JOIN_FOUND_MAX], more


def join_suggestions(*, user: User, report: Report) -> list[tuple[Case, str]]:
    """A short list of the open cases this user may add `report` to that are the likeliest:
    cases holding a report about the same address or a registered subject the report is
    linked to, then the cases this user most recently recorded a step in. Each with why;
    never a case that holds the report already. At most 2 x JOIN_SUGGESTED_MAX, a few
    bounded queries however many cases the team has."""
    workable = workable_case_list(user=user).exclude(
        pk__in=CaseReport.objects.filter(report=report).values("case_id")
    )
    about = _reports_about_the_same(report)
    suggested: list[tuple[Case, str]] = []
    if about is not None:
        holding = CaseReport.objects.filter(about).exclude(report=report).values("case_id")
        for case in workable.filter(pk__in=holding)[:JOIN_SUGGESTED_MAX]:
            suggested.append((case, str(_("holds a report about the same address or subject"))))
    # Your recent steps: the newest decisions you recorded, read from the newest down.
    recent = (
        CaseDecision.objects.filter(author=user)
        .order_by("-at")
        .values_list("case_id", flat=True)[:_RECENT_STEPS]
    )
    seen = {case.pk for case, _why in suggested}
    recent_ids = [pk for pk in dict.fromkeys(recent) if pk not in seen]
    if recent_ids:
        cases = {c.pk: c for c in workable.filter(pk__in=recent_ids[: 4 * JOIN_SUGGESTED_MAX])}
        ordered = [cases[pk] for pk in recent_ids if pk in cases][:JOIN_SUGGESTED_MAX]
        suggested += [(case, str(_("you recently worked in it"))) for case in ordered]
    return suggested


_RECENT_STEPS = 100


def _reports_about_the_same(report: Report) -> Q | None:
    """A condition on CaseReport: its report shares an address with `report` (its own or a
    named address; report_address_idx) or names a registered subject `report` is linked to
    (a mention judged "same"; mention_subject_idx)."""
    addresses = {(report.postcode, report.house_number)}
    addresses |= set(
        ReportSubject.objects.filter(report=report).values_list("postcode", "house_number")
    )
    at_address = Q()
    for postcode, number in addresses:
        if postcode and number:
            at_address |= Q(postcode=postcode, house_number=number)
    about = Q()
    if at_address:
        about |= Q(report__in=Report.objects.filter(at_address).values("pk"))
    subjects = Mention.objects.filter(
        report_subject__report=report, judgement=Judgement.SAME
    ).values("subject_id")
    if subjects.exists():
        same = Mention.objects.filter(subject__in=subjects, judgement=Judgement.SAME)
        about |= Q(report__in=same.values("report_subject__report_id"))
    return about or None


def case_get(*, user: User, pk: int) -> Case | None:
    """One case if the user may see it, the read logged; None otherwise, exactly as for a
    case that does not exist."""
    # With its case type version (the page names it and lists its stages).
    case = case_list(user=user).select_related("version__case_type").filter(pk=pk).first()
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


def member_case_reports(user: User, outside_team: int | None = None) -> list[QuerySet]:
    """The case reports (rows with a `report_id`) of the cases this user is a current member
    of, as querysets whose union they are, read from the user's side: their memberships, then
    each case's reports. Not through the case table, and not as a condition a report is tested
    against: reports/selectors.py asks `report IN` these, or for one report whether a row
    EXISTS.

    With `outside_team` (an analyst's own team, whose reports they see anyway), only those
    whose report is of another team than it, or of none — without reading every report of
    their cases, nor every membership (ADR 0035), in two parts by the team of the case:

    - of a case of `outside_team`: a case report whose report is of another team than the
      case's; the few of them are in `case_report_outside_idx` (by the case's team), each
      then looked up in the user's memberships (case_member_current_once);
    - of a case of another team: the user's memberships of such cases
      (`case_member_team_idx`, read as the two ranges of team ids below and above theirs),
      then their case reports of another team than `outside_team` (case_report_team_idx).

    Every case report is in exactly one of the two by its case's team (the copy `case_team`,
    which Case.save keeps), and in the first one its report's team is not the case's, which
    is `outside_team`: the union is the same set as all case reports of the user's cases
    whose `report_team` is not `outside_team`."""
    current = CaseMember.objects.filter(user=user, removed_at__isnull=True)
    if outside_team is None:
        return [CaseReport.objects.filter(case_id__in=current.values("case_id")).order_by()]
    own_cases = CaseReport.objects.filter(OUTSIDE_CASE_TEAM, case_team_id=outside_team).filter(
        Exists(current.filter(case_id=OuterRef("case_id")))
    )
    # The two ranges as two SELECTs (UNION ALL), each a range of case_member_team_idx: as one
    # `case_team < t OR case_team > t` the planner reads every current membership of the user
    # (100,000 for a busy analyst at 5 million reports) and filters them, on each query of a
    # page that names the scope, to find the few of other teams' cases.
    below, above = (
        current.filter(**{f"case_team_id__{op}": outside_team}).order_by().values("case_id")
        for op in ("lt", "gt")
    )
    elsewhere = below.union(above, all=True)
    # On PostgreSQL `case = ANY(ARRAY(...))`: the memberships are read first, alone, and each
    # case's reports looked up. As `IN`, the planner guesses the user's memberships of other
    # teams' cases from the two columns' separate statistics (half of them for two teams,
    # where there are none) and hash-joins every case report with them.
    of_cases = (
        Q(_AnyOf(F("case_id"), Subquery(elsewhere)))
        if connection.vendor == "postgresql"
        else Q(case_id__in=elsewhere)
    )
    other_cases = CaseReport.objects.filter(of_cases).exclude(report_team_id=outside_team)
    return [own_cases.order_by(), other_cases.order_by()]


class _AnyOf(Func):
    """`x = ANY(ARRAY(subquery))` (PostgreSQL), as reports/selectors.py writes it."""

    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"
    output_field = BooleanField()
    conditional = True
