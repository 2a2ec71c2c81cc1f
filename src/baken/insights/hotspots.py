"""Hotspots (issue 7, item 2): addresses, subjects and areas with several reports in a period,
and areas whose count rises clearly above their own recent average.

The rules, stated once:
- an address, subject or area is a hotspot with at least `minimum` (default 3) reports
  received in the period; merged duplicates are not counted;
- an area is rising when its count in the period is at least twice the mean of the four
  periods of the same length before it, and at least 3 more than that mean (so that 0 → 2
  is not "rising").

Addresses and subjects are counted over the reports the user may see (`report_list`); the
subjects are the registered ones confirmed as named in those reports. Areas are counted from
the dashboard's rollup (ADR 0014), in whole ISO weeks: the team's reports for a team lead or
analyst, all reports for `user=None` (the weekly overview, which scopes what it shows when
it is read). The reports behind any hotspot are listed only through `report_list(user=...)`
(`hotspot_reports`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import Coalesce

from baken.core.roles import Capability
from baken.places.areas import in_area
from baken.places.models import Area
from baken.reports.models import Report
from baken.reports.selectors import report_list
from baken.subjects.models import Judgement, Mention, Subject

from . import figures_rollup as rollup
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


def _addresses(reports: QuerySet[Report], minimum: int) -> list[Hotspot]:
    return [_address(r) for r in _address_rows(reports, minimum)[:MAX_ROWS]]


def week_reports(start: date, end: date) -> QuerySet[Report]:
    """Every report of the period as the hotspots count them (for a background build)."""
    return _reports(None, start, end)


def addresses_by_team(reports: QuerySet[Report], minimum: int) -> list[tuple[int | None, Hotspot]]:
    """The address hotspots of every team in one pass, biggest first per team: what
    `hotspots(team=…)` gives per team, for a caller that needs them all (the weekly
    overview)."""
    return [(r["team_id"], _address(r)) for r in _address_rows(reports, minimum, "team_id")]


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
    team: int | None, start: date, end: date, minimum: int, *, inline: bool = True
) -> list[Hotspot]:
    # A page view leaves a big refresh to the worker (ADR 0014); a background build waits.
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
    reports = _reports(user, start, end, team if user is None else None)
    return Hotspots(
        start=start,
        end=end,
        minimum=minimum,
        addresses=_addresses(reports, minimum) if with_addresses else [],
        subjects=_subjects(reports, minimum),
        areas=area_hotspots(team, start, end, minimum, inline=user is not None),
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
