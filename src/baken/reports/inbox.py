"""The inbox (/werkruimte): the work queue of what the user may see, filtered and sorted.

Every query is bounded: one aggregate for the counts per state, one page of rows with their
category, team and person joined in. Nothing here loads reports it does not show.
"""

from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.utils import timezone

from baken.core.counting import capped_counts
from baken.core.memo import memoised
from baken.core.paging import CountedPaginator
from baken.places.areas import area_get, in_area

from .models import Category, Report
from .selectors import SEALED, report_list, scope_parts
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
MAX_PAGE_NUMBER = 1_000_000
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


def past_deadline(moment, prefix: str = "", *, held_on=None) -> Q:
    """Received longer ago than the category's deadline for the first weighing, at `moment`;
    `prefix` reaches the report through a relation ("report__").

    One clause per category (a dozen at most) keeps this plain, indexable SQL on SQLite and
    PostgreSQL alike, instead of date arithmetic the two databases spell differently. The
    bound of the shortest deadline, implied by every clause, gives the planner a range on
    (team/status, received_at) instead of one scan per clause.

    `held_on`: an object of one request (its user) that keeps the result for the same moment
    and prefix, so that the counts, which ask once per part of the user's scope, read the
    categories once; never kept longer than that object (a deadline may change).
    """
    return memoised(
        held_on, "_past_deadline", (moment, prefix), lambda: _built_past_deadline(moment, prefix)
    )


def _built_past_deadline(moment, prefix: str) -> Q:
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


def _overdue_states(states) -> list[str]:
    """Of `states`, those a report can be overdue in (before its first weighing, OPEN).

    The overdue filter is its deadline clauses plus this narrowing of the states asked for,
    never a list of OPEN beside the state itself: PostgreSQL multiplied the two
    selectivities, expected a tenth of a team's state and and-ed the whole state index with
    the team's (the API's list in triage and overdue, 90 ms of a capped count at 1.8
    million reports)."""
    return [state for state in states if state in OPEN]


def _in_area(reports: QuerySet[Report], area: str, teams=None) -> QuerySet[Report]:
    """An imported area by its code (its stored membership, a semi-join on its index:
    places/areas.py; `teams`: the teams all of `reports` are of, see in_area); anything else
    is the start of a postcode, as before areas existed (report_team_postcode_idx)."""
    found = area_get(area.strip())
    if found is not None:
        return in_area(reports, found, teams=teams)
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
    if f.older_than_days is not None:
        reports = reports.filter(received_at__lt=now - timedelta(days=f.older_than_days))
    if f.overdue:
        # Still before the first weighing: the callers narrow the states (_overdue_states).
        reports = reports.filter(past_deadline(now, held_on=user))
    return reports


def _in_states(reports: QuerySet[Report], states) -> QuerySet[Report]:
    """Reports in `states`; in the triage queue's states, also `in_queue IN (true)`, which
    they imply, so that the queue index serves them (and SQLite uses it: an index only for a
    comparison, not the bare column Django writes for `=True`)."""
    reports = reports.filter(status__in=states)
    if set(states) <= set(QUEUE):
        reports = reports.filter(in_queue__in=[True])
    return reports


def _located(reports: QuerySet[Report], f: InboxFilter, teams=None) -> QuerySet[Report]:
    """The area filter, applied last: a semi-join of the rows the other filters and the
    states left (the triage queue of a team, read from its index in order) on the area's
    stored membership (places.AreaReport), so the filter only narrows the user's scope.

    `teams`: the teams of a term of the user's scope (the analyst's team, the intake
    officer's own or no team); the semi-join then reads only the memberships of those teams
    (and of unknown team): the analyst of team Dorpen asking for Havenwaard, where Dorpen has
    next to no reports, walked every report of Dorpen's state (1.2-1.7 s at 5 million) to
    test each against the area; now the database reads the few memberships of Dorpen in
    Havenwaard, or, where the team's reports lie in the area (the team lead of Havenwaard),
    still walks the team's state, as the joint statistics of area and team tell it (places
    migration 0004)."""
    return _in_area(reports, f.area, teams) if f.area else reports


# Counts are exact up to COUNT_CAP; a count of COUNT_CAP + 1 says "more than COUNT_CAP"
# (shown as "1000+"). Counting a team's whole queue at every visit read every report in it
# (tens of thousands at national scale) for a number nobody works from beyond this.
COUNT_CAP = 1000


@dataclass(frozen=True)
class _Term:
    q: Q
    # A term read from the user's side (the reports of their cases, from their
    # memberships): never ordered or limited by a report index, see _ordered.
    from_user: bool = False
    teams: tuple[int | None, ...] | None = None  # ScopePart.teams
    # ScopePart.states, and the term without that limit (for a count of one of them).
    states: tuple[str, ...] | None = None
    any_state: Q | None = None


def _scope_terms(user) -> list[_Term]:
    """The user's need-to-know scope as disjoint terms to count and add up.

    A scope "A or B or C" (the analyst's: assigned to them, of a case they are a member of,
    or of their team) is counted as |C| + |A and not B, not C| + |B and not C|: the team's
    queue from its index alone, the few reports assigned to them outside it from the
    assignee index, and the reports of their cases outside it from their memberships
    (selectors.scope_parts). One count of the OR would read every report of the team from
    the table; the "not" of the shared part is a NOT EXISTS per report. The last part of the
    scope is the broad one. Each term leaves the sealed reports out (selectors.SEALED), as
    report_list does.
    """
    # The counts and the page of one request ask for the same terms: built once per user
    # object (a request's), again when what they are made of changed.
    key = (user.pk, user.role, user.team_id, user.is_active, user.is_authenticated)
    return list(memoised(user, "_inbox_scope_terms", key, lambda: _built_scope_terms(user)))


def _built_scope_terms(user) -> list[_Term]:
    parts = scope_parts(user)
    if not parts:
        return []

    def own(part) -> _Term:
        if part.from_user is None:
            return _Term(part.q, teams=part.teams, states=part.states, any_state=part.any_state)
        return _Term(part.from_user, from_user=True, teams=part.teams)

    def narrowed(term: _Term, q: Q) -> _Term:
        any_state = None if term.any_state is None else term.any_state & q
        return replace(term, q=term.q & q, any_state=any_state)

    terms = [own(parts[-1])]
    for i, part in enumerate(parts[:-1]):
        term = own(part)
        for later in parts[i + 1 :]:
            term = narrowed(term, later.negated)
        terms.append(term)
    return [narrowed(term, ~SEALED) for term in terms]


def _in_state(term: _Term, state: str) -> Q | None:
    """The term's reports in `state`, None for none: a term limited to some states (the
    intake officer's, to the states before the weighing) is counted per state without its
    list of states beside the state (the same reports): with the list PostgreSQL took the
    two conditions for independent, misjudged the rows by the list's share, and read the
    whole state of the team into a bitmap (at 5 million reports ~200,000 index entries per
    state, for a count capped at 1,001) instead of reading the state from its index."""
    if term.states is None:
        return term.q & Q(status=state)
    if state not in term.states:
        return None
    # `any_state` goes with `states` (selectors.ScopePart); `q` holds the same reports.
    return (term.q if term.any_state is None else term.any_state) & Q(status=state)


def _ordered(reports: QuerySet[Report], order: tuple[str, ...], term: _Term) -> QuerySet:
    """`reports` in `order`; for a term read from the user's memberships, in the same order
    written so that no index of the report table gives it (COALESCE(x, x)).

    The database would otherwise walk the date (or reference) index of the whole table,
    testing each report against the user's cases, hoping to meet the first page soon: the
    reports of an analyst's cases outside their team are few or none, so it read all of
    them (941,619 rows dropped at a million reports). Unordered by an index, it starts from
    the user's memberships (case_member_current_idx), takes their cases' reports and sorts
    those."""
    if not term.from_user:
        return reports.order_by(*order)
    fenced: list[str | OrderBy] = []
    for key in order:
        name = key.lstrip("-")
        if name == "pk":
            fenced.append(key)
            continue
        expression = Coalesce(name, name)
        fenced.append(expression.desc() if key.startswith("-") else expression.asc())
    return reports.order_by(*fenced)


def counted_states(filters: InboxFilter) -> list[str]:
    """The states the inbox counts: the triage queue, and any other state the user chose.

    The states after the decision hold most reports of a team's history (half a million
    after some years); counting them on every visit would cost more than the rest of the
    page, for a number nobody works from. They are counted when asked for.
    """
    return [s for s in Status.values if s in QUEUE or s in filters.statuses]


def _cap(n: int | None) -> int | None:
    return None if n is None else min(n, COUNT_CAP + 1)


def is_capped(n: int | None) -> bool:
    """Whether a count of inbox_counts (or inbox_total) means "more than COUNT_CAP"."""
    return n is not None and n > COUNT_CAP


def inbox_counts(*, user, filters: InboxFilter) -> dict[str, int | None]:
    """Reports per state under the other filters (the state filter itself left out); None
    for a state that is not counted (see counted_states); COUNT_CAP + 1 for "more than
    COUNT_CAP" (is_capped).

    At most two queries, whatever the data: the terms read from an index (the team's, the
    assignee's) counted per state up to COUNT_CAP + 1 each; the reports of the user's cases
    (from their memberships, bounded by them) counted per state in one aggregate."""
    now = timezone.now()
    states = counted_states(filters)
    counts: dict[str, int | None] = {s: (0 if s in states else None) for s in Status.values}
    if filters.overdue:  # the other states count 0 without a query
        states = _overdue_states(states)
    indexed, from_user = [], []
    for term in _scope_terms(user):
        rows = _filtered(Report.objects.filter(term.q), user, filters, now).filter(merged_into=None)
        if term.from_user:
            if filters.area:
                rows = _located(_in_states(rows, states), filters, term.teams)
            from_user.append(rows)
        else:
            # One state each, then the area: the state list beside the state itself made
            # the planner misjudge the rows (at 5 million reports it and-ed two whole
            # indexes, 80 ms a state, instead of reading the team's state from its index).
            # The area (read once per term) and the other filters, then each state.
            located = _located(
                _filtered(Report.objects.all(), user, filters, now).filter(merged_into=None),
                filters,
                term.teams,
            )
            for state in states:
                q = _in_state(term, state)
                if q is not None:  # else the term holds no report in this state
                    indexed.append((state, located.filter(q)))
    found_capped = capped_counts([rows.values("pk") for _state, rows in indexed], COUNT_CAP)
    for (state, _rows), n in zip(indexed, found_capped, strict=True):
        counts[state] = (counts[state] or 0) + n
    for rows in from_user:
        found = rows.filter(status__in=states).aggregate(
            **{state: Count("pk", filter=Q(status=state)) for state in states}
        )
        for state in states:
            counts[state] = (counts[state] or 0) + (found[state] or 0)
    return {state: _cap(n) for state, n in counts.items()}


def inbox_count(*, user, filters: InboxFilter, queue: bool = True) -> int:
    """How many reports inbox_reports gives, COUNT_CAP + 1 for "more" (is_capped): one
    query whatever the data (the API's list counts this way)."""
    now = timezone.now()
    indexed, total = [], 0
    for term in _scope_terms(user):
        rows = _narrowed(Report.objects.filter(term.q), user, filters, queue, now, term.teams)
        if term.from_user:
            total += rows.order_by().count()
        else:
            indexed.append(rows)
    total += sum(capped_counts([rows.values("pk") for rows in indexed], COUNT_CAP))
    return min(total, COUNT_CAP + 1)


def _narrowed(reports: QuerySet[Report], user, filters: InboxFilter, queue: bool, now, teams=None):
    reports = _filtered(reports, user, filters, now).filter(merged_into=None)
    states = filters.statuses
    if filters.overdue:
        states = _overdue_states(states or (QUEUE if queue else Status.values))
        if not states:
            return reports.none()
    if states:
        reports = _in_states(reports, states)
    elif queue:
        reports = reports.filter(in_queue__in=[True])  # see _in_states
    return _located(reports, filters, teams)


def inbox_reports(
    *, user, filters: InboxFilter, queue: bool = True, window: int | None = None
) -> QuerySet[Report]:
    """The filtered, sorted queue; slice it for a page. Merged duplicates are left out.

    Without a state filter: the triage queue (`queue`, the inbox), or every state (the API's
    list of reports). With `window`, only the first `window` reports are asked for: a scope
    of several terms (the analyst's "assigned to me, or of my team") is then read as the
    first `window` of each term from its own index (the reports of the user's cases from
    their memberships, see _ordered), instead of one OR that no index serves (the database
    would walk every report in date order)."""
    now = timezone.now()
    order = SORTS.get(filters.sort, SORTS["oudste"])
    terms = _scope_terms(user)
    if window is not None and len(terms) > 1:
        firsts = [
            _ordered(
                _narrowed(Report.objects.filter(term.q), user, filters, queue, now, term.teams),
                order,
                term,
            ).values("pk")[:window]
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


def inbox_total(counts: dict[str, int | None], filters: InboxFilter) -> int:
    """How many reports inbox_reports gives, from inbox_counts of the same filters;
    COUNT_CAP + 1 for "more" (is_capped)."""
    states = set(filters.statuses) if filters.statuses else set(QUEUE)
    return min(sum(counts.get(status) or 0 for status in states), COUNT_CAP + 1)


def window_page(rows_for, *, number, per_page: int, total: int) -> Page:
    """Page `number` of the rows `rows_for(window)` gives (the first `window` of them, in
    order): one query. With an exact `total` the page is checked against it (a page past
    the last gives the last); with a capped one (is_capped) the page is read with one row
    more, to know whether a next page exists, and its paginator counts what is known: the
    rows up to this page, plus one when there are more (`capped` on the paginator).
    A page past the end of a capped list gives the first page."""
    if not is_capped(total):
        sizing = CountedPaginator(Report.objects.none(), per_page, count=total)
        try:
            number = sizing.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = sizing.num_pages
        return CountedPaginator(rows_for(number * per_page), per_page, count=total).page(number)
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    if number > MAX_PAGE_NUMBER:  # past any list, and past what the database's OFFSET holds
        number = 1
    start = (number - 1) * per_page
    rows = list(rows_for(number * per_page + 1)[start : start + per_page + 1])
    if not rows and number > 1:
        return window_page(rows_for, number=1, per_page=per_page, total=total)
    paginator = CountedPaginator(
        Report.objects.none(), per_page, count=start + len(rows), capped=True
    )
    return Page(rows[:per_page], number, paginator)


def inbox_page(
    *, user, filters: InboxFilter, counts: dict[str, int | None], number, per_page: int
) -> Page:
    """One page of the queue: one query for its rows (the total comes from counts)."""
    return window_page(
        lambda window: inbox_reports(user=user, filters=filters, window=window).only(*ROW),
        number=number,
        per_page=per_page,
        total=inbox_total(counts, filters),
    )


def deadline_of(report: Report) -> timedelta:
    days = report.category.deadline_days if report.category else DEFAULT_DEADLINE_DAYS
    return timedelta(days=days)


def is_overdue(report: Report, now) -> bool:
    return report.status in OPEN and report.received_at + deadline_of(report) < now
