"""The inbox (/werkruimte): the work queue of what the user may see, filtered and sorted.

Every query is bounded: one aggregate for the counts per state, one page of rows with their
category, team and person joined in. Nothing here loads reports it does not show.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from baken.places.areas import area_get, in_area

from .models import Category, Report
from .selectors import SEALED, _visible, report_list
from .workflow import QUEUE, Status

# Before the first weighing: where the deadline of the category runs (model protocol stage 1).
OPEN = [Status.RECEIVED, Status.IN_TRIAGE, Status.AWAITING_REPORTER]
SORTS = {
    "oudste": ("received_at", "pk"),
    "nieuwste": ("-received_at", "-pk"),
    "status": ("status", "-received_at"),
    "kenmerk": ("reference",),
}
DEFAULT_DEADLINE_DAYS = 10
# What a row of the inbox shows (reports/_inbox_results.html), and nothing else: the report's
# JSON (the original, the answers) and its text are not read for a list.
ROW = (
    "reference",
    "received_at",
    "status",
    "postcode",
    "house_number",
    "location_description",
    "category__name",
    "category__deadline_days",
    "team__name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


@dataclass(frozen=True)
class InboxFilter:
    statuses: list[str] = field(default_factory=list)
    category: str = ""
    channel: str = ""
    assignee: str = ""  # a user id, "ik" (me) or "niemand" (unassigned)
    team: int | None = None
    area: str = ""  # an area's code (subjects.Area), or else a postcode prefix
    older_than_days: int | None = None
    overdue: bool = False
    sort: str = "oudste"


def filter_from_form(form) -> InboxFilter:
    """The filter of a bound InboxFilterForm (HTML query string or API query parameters);
    an invalid form filters nothing rather than failing."""
    data = form.cleaned_data if form.is_valid() else {}
    team = data.get("team")
    return InboxFilter(
        statuses=data.get("status") or [],
        category=data.get("category") or "",
        channel=data.get("channel") or "",
        assignee=data.get("assignee") or "",
        team=team.pk if team else None,
        area=data.get("area") or "",
        older_than_days=data.get("older_than_days"),
        overdue=bool(data.get("overdue")),
        sort=data.get("sort") or "oudste",
    )


def past_deadline(moment, prefix: str = "") -> Q:
    """Received longer ago than the category's deadline for the first weighing, at `moment`;
    `prefix` reaches the report through a relation ("report__").

    One clause per category (a dozen at most) keeps this plain, indexable SQL on SQLite and
    PostgreSQL alike, instead of date arithmetic the two databases spell differently. The
    bound of the shortest deadline, implied by every clause, gives the planner a range on
    (team/status, received_at) instead of one scan per clause.
    """
    deadlines = dict(Category.objects.values_list("pk", "deadline_days"))

    def received_before(days: int, **category) -> Q:
        return Q(
            **{f"{prefix}{k}": v for k, v in category.items()},
            **{f"{prefix}received_at__lt": moment - timedelta(days=days)},
        )

    clauses = received_before(DEFAULT_DEADLINE_DAYS, category__isnull=True)
    for pk, days in deadlines.items():
        clauses |= received_before(days, category_id=pk)
    return received_before(min([DEFAULT_DEADLINE_DAYS, *deadlines.values()])) & clauses


def _overdue_q(now) -> Q:
    """Reports still before their first weighing after their category's deadline."""
    return Q(status__in=OPEN) & past_deadline(now)


def _in_area(reports: QuerySet[Report], area: str) -> QuerySet[Report]:
    """An imported area by its code (bounding box in SQL, refined exactly: places/areas.py);
    anything else is the start of a postcode, as before areas existed."""
    found = area_get(area.strip())
    if found is not None:
        return in_area(reports, found)
    return reports.filter(postcode__startswith=area.replace(" ", "").upper())


def _filtered(reports: QuerySet[Report], user, f: InboxFilter, now) -> QuerySet[Report]:
    if f.category:
        reports = reports.filter(category__code=f.category)
    if f.channel:
        reports = reports.filter(channel=f.channel)
    if f.assignee == "ik":
        reports = reports.filter(assignee=user)
    elif f.assignee == "niemand":
        reports = reports.filter(assignee__isnull=True)
    elif f.assignee.isdigit():
        reports = reports.filter(assignee_id=int(f.assignee))
    if f.team is not None:
        reports = reports.filter(team_id=f.team)
    if f.area:
        reports = _in_area(reports, f.area)
    if f.older_than_days is not None:
        reports = reports.filter(received_at__lt=now - timedelta(days=f.older_than_days))
    if f.overdue:
        reports = reports.filter(_overdue_q(now))
    return reports


def _scope_terms(user) -> list[Q]:
    """The user's need-to-know scope as disjoint terms to count and add up.

    A scope "A or B" (the analyst's: assigned to them, or of their team) is counted as
    |B| + |A and not B|: the team's queue from its index alone, and the few reports assigned
    to them outside it from the assignee index. One count of the OR would read every report
    of the team from the table. The last part of the scope is taken to be the broad one.
    Each term leaves the sealed reports out (selectors.SEALED), as report_list does.
    """
    scope = _visible(user)
    if scope is None:
        return []
    if scope.connector != Q.OR or scope.negated or len(scope.children) < 2:
        return [scope & ~SEALED]
    children = [c if isinstance(c, Q) else Q(c) for c in scope.children]
    terms = [children[-1]]
    for i, child in enumerate(children[:-1]):
        later = Q()
        for other in children[i + 1 :]:
            later |= other
        terms.append(child & ~later)
    return [term & ~SEALED for term in terms]


def counted_states(filters: InboxFilter) -> list[str]:
    """The states the inbox counts: the triage queue, and any other state the user chose.

    The states after the decision hold most reports of a team's history (half a million
    after some years); counting them on every visit would cost more than the rest of the
    page, for a number nobody works from. They are counted when asked for.
    """
    return [s for s in Status.values if s in QUEUE or s in filters.statuses]


def inbox_counts(*, user, filters: InboxFilter) -> dict[str, int | None]:
    """Reports per state under the other filters (the state filter itself left out); None
    for a state that is not counted (see counted_states).

    One query (a UNION ALL when the scope is counted in terms, see _scope_terms)."""
    now = timezone.now()
    states = counted_states(filters)
    queries = [
        _filtered(Report.objects.filter(term), user, filters, now)
        .filter(merged_into=None, status__in=states)
        .order_by()
        .values("status")
        .annotate(n=Count("*"))  # COUNT(*), not of a column: index-only on PostgreSQL too
        for term in _scope_terms(user)
    ]
    counts: dict[str, int | None] = {s: (0 if s in states else None) for s in Status.values}
    if queries:
        rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
        for row in rows:
            counts[row["status"]] = (counts.get(row["status"]) or 0) + row["n"]
    return counts


def _narrowed(reports: QuerySet[Report], user, filters: InboxFilter, queue: bool, now):
    reports = _filtered(reports, user, filters, now).filter(merged_into=None)
    if filters.statuses:
        reports = reports.filter(status__in=filters.statuses)
        if set(filters.statuses) <= set(QUEUE):
            reports = reports.filter(in_queue__in=[True])  # implied; see below
    elif queue:
        # `IN (true)`, not the bare column Django writes for `=True`: SQLite uses an index
        # only for a comparison, and this one reads the queue index in order.
        reports = reports.filter(in_queue__in=[True])
    return reports


def inbox_reports(
    *, user, filters: InboxFilter, queue: bool = True, window: int | None = None
) -> QuerySet[Report]:
    """The filtered, sorted queue; slice it for a page. Merged duplicates are left out.

    Without a state filter: the triage queue (`queue`, the inbox), or every state (the API's
    list of reports). With `window`, only the first `window` reports are asked for: a scope
    of several terms (the analyst's "assigned to me, or of my team") is then read as the
    first `window` of each term from its own index, instead of one OR that no index serves
    (the database would walk every report in date order)."""
    now = timezone.now()
    order = SORTS.get(filters.sort, SORTS["oudste"])
    terms = _scope_terms(user)
    if window is not None and len(terms) > 1:
        firsts = [
            _narrowed(Report.objects.filter(term), user, filters, queue, now)
            .order_by(*order)
            .values("pk")[:window]
            for term in terms
        ]
        if connection.features.supports_slicing_ordering_in_compound:
            # PostgreSQL: one IN over a UNION ALL (an OR of two IN-subqueries would make it
            # read the whole table against two hashed lists).
            reports = Report.objects.filter(pk__in=firsts[0].union(*firsts[1:], all=True))
        else:
            # SQLite cannot order or limit the parts of a UNION; it reads an OR of two
            # IN-subqueries from both indexes (MULTI-INDEX OR).
            either = Q()
            for first in firsts:
                either |= Q(pk__in=first)
            reports = Report.objects.filter(either)
    else:
        reports = _narrowed(report_list(user=user), user, filters, queue, now)
    return (
        reports.select_related("category", "team", "assignee")
        .prefetch_related(None)
        .order_by(*order)
    )


class _CountedPaginator(Paginator):
    """A paginator told its count: the counts per state already give it, so the page does
    not count the (possibly very many) reports a second time."""

    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count


def inbox_total(counts: dict[str, int | None], filters: InboxFilter) -> int:
    """How many reports inbox_reports gives, from inbox_counts of the same filters."""
    states = set(filters.statuses) if filters.statuses else set(QUEUE)
    return sum(counts.get(status) or 0 for status in states)


def inbox_page(
    *, user, filters: InboxFilter, counts: dict[str, int | None], number, per_page: int
) -> Page:
    """One page of the queue: one query for its rows (the total comes from counts)."""
    total = inbox_total(counts, filters)
    sizing = _CountedPaginator(Report.objects.none(), per_page, count=total)
    try:
        number = sizing.validate_number(number)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = sizing.num_pages
    reports = inbox_reports(user=user, filters=filters, window=number * per_page).only(*ROW)
    return _CountedPaginator(reports, per_page, count=total).page(number)


def deadline_of(report: Report) -> timedelta:
    days = report.category.deadline_days if report.category else DEFAULT_DEADLINE_DAYS
    return timedelta(days=days)


def is_overdue(report: Report, now) -> bool:
    return report.status in OPEN and report.received_at + deadline_of(report) < now
