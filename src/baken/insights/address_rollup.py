"""The address hotspots' part of the rollup (models.AddressBucket; issue 18): the reports
grouped per ISO week × team × postcode and house number, counted as insights/hotspots.py
counts them — received in the week, not merged into another report, not restricted (AVG
art. 18), with a postcode and a house number; sealed ones ('no action') included.

Kept as the dashboard's rollup is (ADR 0014): `rollup_refresh` rebuilds these rows with its
own for the weeks it rebuilds (a report's change marks its week stale, reports added without
`save()` lie above the watermark), in one GROUP BY in the database per run of adjacent weeks.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from baken.reports.models import Report

from . import figures_rollup as rollup
from .awareness_rollup import _spans
from .models import AddressBucket

_BATCH = 5000


def counted(rows: QuerySet[Report]) -> QuerySet[Report]:
    """The reports of `rows` an address hotspot counts (the period aside)."""
    return (
        rows.filter(merged_into__isnull=True, restricted_at__isnull=True)
        .exclude(postcode="")
        .filter(house_number__isnull=False)
    )


def rebuild_addresses(weeks: Iterable[date]) -> int:
    """Replace these weeks' rows from the reports; the number of rows written."""
    spans = _spans(weeks)
    if not spans:
        return 0
    moments = Q()
    for first, last in spans:
        start, end = rollup.week_span(first, last)
        moments |= Q(received_at__gte=start, received_at__lt=end)
    rows = (
        counted(Report.objects.filter(moments))
        .order_by()
        .annotate(monday=TruncWeek("received_at", tzinfo=rollup._zone()))
        .values("monday", "team_id", "postcode", "house_number")
        .annotate(n=Count("pk"), top_street=Max("street"), top_city=Max("city"))
    )
    monday_in = Q()
    for first, last in spans:
        monday_in |= Q(week__gte=first, week__lte=last)
    AddressBucket.objects.filter(monday_in).delete()
    # Written in batches as they are read: the first build after an upgrade covers every week
    # (at a million reports, about as many rows), never all held in memory at once.
    written, batch = 0, []
    for row in rows.iterator(_BATCH):
        batch.append(
            AddressBucket(
                week=rollup.week_of(row["monday"]),
                team_id=row["team_id"],
                postcode=row["postcode"],
                house_number=row["house_number"] or 0,  # never None: counted() leaves those out
                street=row["top_street"],
                city=row["top_city"],
                reports=row["n"],
            )
        )
        if len(batch) == _BATCH:
            AddressBucket.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    AddressBucket.objects.bulk_create(batch)
    return written + len(batch)


def address_sums(first: date, last: date, minimum: int, *group, team: int | None = None):
    """Per address (and `group`): the reports of the weeks from `first` to `last` (Mondays),
    as hotspots.py's `_address_rows` gives them from the reports; at least `minimum`."""
    rows = AddressBucket.objects.filter(week__gte=first, week__lte=last)
    if team is not None:
        rows = rows.filter(team=team)
    return (
        rows.values(*group, "postcode", "house_number")
        .annotate(n=Sum("reports"), street=Max("street"), city=Max("city"))
        .filter(n__gte=minimum)
        .order_by(*group, "-n", "postcode", "house_number")
    )
