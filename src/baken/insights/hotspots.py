"""Hotspots (issue 7, item 2): addresses, subjects and areas with several reports in a period,
and areas whose count rises clearly above their own recent average.

The rules, stated once:
- an address, subject or area is a hotspot with at least `minimum` (default 3) reports
  received in the period; merged duplicates are not counted;
- an area is rising when its count in the period is at least twice the mean of the four
  periods of the same length before it, and at least 3 more than that mean (so that 0 → 2
  is not "rising").

Addresses and subjects are counted over the reports the user may see (`report_list`); the
subjects are the registered ones confirmed as named in those reports. For a period of whole
ISO weeks (what the page and the weekly overview ask) the addresses are summed from the
rollup's address rows (address_rollup.py, issue 18): the team's, plus the reports the user
may see outside their team (an analyst's own and those of their cases), counted from the
reports as before. Areas are counted from
the dashboard's rollup (ADR 0014), in whole ISO weeks: the team's reports for a team lead or
analyst, all reports for `user=None` (the weekly overview, which scopes what it shows when
it is read). The reports behind any hotspot are listed only through `report_list(user=...)`
(`hotspot_reports`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from baken.core.roles import Capability
from baken.places.areas import in_area
from baken.places.models import Area
from baken.reports.models import Report
from baken.reports.selectors import report_list, scope_parts
from baken.subjects.models import Judgement, Mention, Subject

from . import figures_rollup as rollup
from .address_rollup import address_sums, counted
from .models import FigureBucket

MINIMUM = 3
RISE_FACTOR, RISE_MARGIN, HISTORY = 2, 3, 4
MAX_ROWS = 50
ADDRESS, SUBJECT, AREA = "address", "subject", "area"


@dataclass(frozen=True)
class Hotspot:
    kind: str  # address, subject or area
    key: str  # identifies it in a URL: "1781AB-12", a subject id, an area code
    label: str
    count: int
    mean_before: float | None = None  # areas: the mean of the four periods before
    rising: bool = False


@dataclass(frozen=True)
class Hotspots:
    start: date  # first day
    end: date  # last day, inclusive
    minimum: int
    addresses: list[Hotspot]
    subjects: list[Hotspot]
    areas: list[Hotspot]

    @property
    def rising(self) -> list[Hotspot]:
        return [h for h in self.areas if h.rising]


def _reports(user, start: date, end: date, team: int | None = None) -> QuerySet[Report]:
    # Counted with the sealed reports ('no action'): the counts stay; the reports behind a
    # hotspot are listed through report_list, which leaves them out (hotspot_reports). Not
    # a report restricted on a request of the person concerned (AVG art. 18): it is not
    # processed, counted or shown (its address) any more.
    rows = Report.objects.all() if user is None else report_list(user=user, include_sealed=True)
    if team is not None:
        rows = rows.filter(team=team)
    begins, ends = rollup.week_begins(start), rollup.week_begins(end + timedelta(days=1))
    return (
        rows.select_related(None)
        .prefetch_related(None)
        .order_by()
        .filter(
            received_at__gte=begins,
            received_at__lt=ends,
            merged_into__isnull=True,
            restricted_at__isnull=True,
        )
    )


def _address_rows(reports: QuerySet[Report], minimum: int, *group):
    return (
        reports.exclude(postcode="")
        .filter(house_number__isnull=False)
        .values(*group, "postcode", "house_number")
        .annotate(n=Count("pk"), street=Max("street"), city=Max("city"))
        .filter(n__gte=minimum)
        .order_by(*group, "-n", "postcode", "house_number")
    )


def _address(r: dict) -> Hotspot:
    return Hotspot(
        ADDRESS,
        f"{r['postcode']}-{r['house_number']}",
        f"{r['street']} {r['house_number']}, {r['postcode']} {r['city']}".strip(" ,"),
        r["n"],
    )


def _whole_weeks(start: date, end: date) -> bool:
    return start.weekday() == 0 and end.weekday() == 6


def _order(r: dict) -> tuple:
    return (-r["n"], r["postcode"], r["house_number"])


def _outside_team(others: list[Q], team: int | None, start: date, end: date) -> dict[tuple, dict]:
    """Per address: the reports of the parts `others` of a user's scope, outside `team`.
    One query per part, each read from its own index (the user's memberships, the assignee
    index) rather than one OR the database would answer by reading the whole period; a report
    in two parts is counted once."""
    found: dict[int, tuple] = {}
    for part in others:
        rows = Report.objects.filter(part)
        if team is not None:
            rows = rows.exclude(team=team)  # those are in the rollup's rows
        rows = counted(rows).filter(
            received_at__gte=rollup.week_begins(start),
            received_at__lt=rollup.week_begins(end + timedelta(days=1)),
        )
        for pk, *address in rows.order_by().values_list(
            "pk", "postcode", "house_number", "street", "city"
        ):
            found[pk] = tuple(address)
    by_address: dict[tuple, dict] = {}
    for postcode, number, street, city in found.values():
        one = {"postcode": postcode, "house_number": number, "n": 1, "street": street, "city": city}
        by_address[(postcode, number)] = _added(by_address.get((postcode, number)), one)
    return by_address


def _added(r: dict | None, more: dict) -> dict:
    if r is None:
        return more
    street, city = max(r["street"], more["street"]), max(r["city"], more["city"])
    return {**r, "n": r["n"] + more["n"], "street": street, "city": city}


def _user_addresses(user, start: date, end: date, minimum: int) -> list[Hotspot]:
    """The address hotspots of the reports `user` may see in whole weeks: the team's part of
    their scope from the rollup, the rest of it (own, shared by a case) from the reports."""
    parts = scope_parts(user)
    if parts is None:
        return []
    team_q = Q(team=user.team_id) & Q(team__isnull=False)
    team = user.team_id if any(part.q == team_q for part in parts) else None
    others = [part.from_user or part.q for part in parts if part.q != team_q]
    extra = _outside_team(others, team, start, end) if others else {}
    rows: dict[tuple, dict] = {}
    if team is not None:
        first, last = rollup.week_of_day(start), rollup.week_of_day(end)
        # The team's biggest, and the team's counts of the addresses with reports besides:
        # an address not among the first is not among the biggest of the two together.
        for r in address_sums(first, last, minimum, team=team)[:MAX_ROWS]:
            rows[(r["postcode"], r["house_number"])] = r
        if extra:
            postcodes = sorted({postcode for postcode, _number in extra})
            for r in address_sums(first, last, 1, team=team).filter(postcode__in=postcodes):
                if (r["postcode"], r["house_number"]) in extra:
                    rows[(r["postcode"], r["house_number"])] = r
    for key, more in extra.items():
        rows[key] = _added(rows.get(key), more)
    found = sorted((r for r in rows.values() if r["n"] >= minimum), key=_order)
    return [_address(r) for r in found[:MAX_ROWS]]


def _addresses(
    user,
    start: date,
    end: date,
    minimum: int,
    reports: QuerySet[Report],
    team: int | None,
    fresh: bool = True,
) -> list[Hotspot]:
    # Not whole weeks (not what a page asks), or a rollup the worker is still rebuilding: from
    # the reports themselves, so that a report restricted or handed to another team meanwhile
    # no longer counts for this one.
    if not fresh or not _whole_weeks(start, end):
        return [_address(r) for r in _address_rows(reports, minimum)[:MAX_ROWS]]
    if user is not None:
        return _user_addresses(user, start, end, minimum)
    first, last = rollup.week_of_day(start), rollup.week_of_day(end)
    return [_address(r) for r in address_sums(first, last, minimum, team=team)[:MAX_ROWS]]


def addresses_by_team(start: date, end: date, minimum: int) -> list[tuple[int | None, Hotspot]]:
    """The address hotspots of every team of the weeks from `start` to `end` (a Monday to a
    Sunday) in one pass, biggest first per team: what `hotspots(team=…)` gives per team, for
    a caller that needs them all (the weekly overview, built in the background)."""
    rollup.rollup_refresh()
    first, last = rollup.week_of_day(start), rollup.week_of_day(end)
    return [(r["team_id"], _address(r)) for r in address_sums(first, last, minimum, "team_id")]


def _subject_mentions(reports: QuerySet[Report]) -> QuerySet[Mention]:
    # Not a subject restricted on a request of the person it is about (AVG art. 18).
    return (
        Mention.objects.filter(
            judgement=Judgement.SAME, report_subject__report__in=reports.values("pk")
        )
        .exclude(subject__restricted_at__isnull=False)
        .exclude(subject__merged_into__restricted_at__isnull=False)
        .annotate(leading=Coalesce("subject__merged_into_id", "subject_id"))
    )


def _subjects(reports: QuerySet[Report], minimum: int) -> list[Hotspot]:
    rows = list(
        _subject_mentions(reports)
        .values("leading")  # type: ignore[misc]  # (an annotation django-stubs cannot see)
        .annotate(n=Count("report_subject__report_id", distinct=True))
        .filter(n__gte=minimum)
        .order_by("-n", "leading")[:MAX_ROWS]
    )
    names = dict(
        Subject.objects.filter(pk__in=[r["leading"] for r in rows]).values_list("pk", "name")
    )
    return [Hotspot(SUBJECT, str(r["leading"]), names.get(r["leading"], ""), r["n"]) for r in rows]


def _area_counts(team: int | None, first: date, last: date) -> dict[int, int]:
    buckets = FigureBucket.objects.filter(week__gte=first, week__lte=last, area__isnull=False)
    buckets = buckets.exclude(state=rollup.MERGED)
    if team is not None:
        buckets = buckets.filter(team=team)
    return dict(buckets.order_by().values_list("area").annotate(n=Sum("reports")))


def area_hotspots(
    team: int | None,
    start: date,
    end: date,
    minimum: int,
    *,
    inline: bool = True,
    refresh: bool = True,
) -> list[Hotspot]:
    """`refresh=False`: the caller brought the rollup up to date (or asked the worker) just
    before, in the same request (hotspots)."""
    # A page view leaves a big refresh to the worker (ADR 0014); a background build waits.
    if refresh:
        rollup.rollup_refresh(inline_limit=settings.INSIGHTS_INLINE_REFRESH_MAX if inline else None)
    first, last = rollup.week_of_day(start), rollup.week_of_day(end)
    length = (last - first).days // 7 + 1
    now = _area_counts(team, first, last)
    before = _area_counts(team, first - timedelta(weeks=length * HISTORY), first - timedelta(1))
    areas = {a.pk: a for a in Area.objects.all()}
    spots = []
    for pk, area in areas.items():
        count, mean = now.get(pk, 0), before.get(pk, 0) / HISTORY
        rising = count >= RISE_FACTOR * mean and count >= mean + RISE_MARGIN
        if count >= minimum or rising:
            spots.append(Hotspot(AREA, area.code, area.name, count, round(mean, 1), rising))
    return sorted(spots, key=lambda h: (-h.rising, -h.count, h.label))


def _team_of(user) -> int | None:
    if user is None:
        return None
    if not user.can(Capability.INSIGHTS):
        raise PermissionDenied
    return user.team_id if user.team_id is not None else -1


def hotspots(
    *,
    user,
    start: date | datetime,
    end: date | datetime,
    minimum: int = MINIMUM,
    team: int | None = None,
    with_addresses: bool = True,
):
    """The hotspots of the period from `start` to `end` (days, both included) as this user
    may see them. `user=None`: over all reports (or those of `team`), for a caller that
    scopes what it shows — the weekly overview, built in the background. PermissionDenied
    for a user without the dashboard (Capability.INSIGHTS)."""
    start = start.date() if isinstance(start, datetime) else start
    end = end.date() if isinstance(end, datetime) else end
    if user is not None:
        team = _team_of(user)
    # The rollup brought up to date first (a page leaves a big refresh to the worker).
    fresh = rollup.rollup_refresh(
        inline_limit=settings.INSIGHTS_INLINE_REFRESH_MAX if user else None
    )
    reports = _reports(user, start, end, team if user is None else None)
    return Hotspots(
        start=start,
        end=end,
        minimum=minimum,
        addresses=(
            _addresses(user, start, end, minimum, reports, team, fresh) if with_addresses else []
        ),
        subjects=_subjects(reports, minimum),
        # The rollup was refreshed above: not asked again (three queries) for the areas.
        areas=area_hotspots(team, start, end, minimum, inline=user is not None, refresh=False),
    )


def hotspot_reports(*, user, kind: str, key: str, start: date, end: date) -> QuerySet[Report]:
    """The reports behind one hotspot that this user may see (none for an unknown key)."""
    _team_of(user)
    reports = _reports(user, start, end)
    if kind == ADDRESS:
        postcode, _sep, number = key.partition("-")
        if not (number.isascii() and number.isdigit() and len(number) <= 6):
            return Report.objects.none()
        reports = reports.filter(postcode=postcode, house_number=int(number))
    elif kind == SUBJECT and key.isascii() and key.isdigit() and len(key) <= 18:
        mentions = _subject_mentions(reports).filter(leading=int(key))  # type: ignore[misc]
        reports = reports.filter(pk__in=mentions.values("report_subject__report_id"))
    elif kind == AREA and (area := Area.objects.filter(code=key).first()):
        reports = in_area(reports, area)
    else:
        return Report.objects.none()
    return report_list(user=user).filter(pk__in=reports.values("pk")).order_by("-received_at")
