"""The cases' part of the figures' rollup (issue 18, ADR 0014 addendum): the dashboard's and
the management view's open cases per stage, cases closed per result, and interventions
started per kind and per state, read from a few hundred rows instead of counted over every
case and intervention on each view.

Every figure of a case lies under the ISO week the case was opened in (`opened_at` never
changes): its row says its team and, open, its stage, or, closed, its result and week of
closing; its interventions' rows say their team (the case's), week of start, kind and state.
So whatever changes in a case or one of its interventions, only its opening week's rows are
out of date. A case's `save()` or `delete()` and an intervention's `save()` append that week
to CaseStaleWeek (receivers connected in apps.py: as for reports, a receiver cannot be
forgotten by the next service); an intervention is only ever deleted with its case, whose
delete marks the week. Cases inserted without `save()` (the demo loader's batches, with their
interventions) lie above the case-id watermark in FigureState and mark their weeks on the
next read. `rollup_refresh` (figures_rollup.py) brings these rows up to date with its own.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, Max, Subquery
from django.utils import timezone

from baken.cases.models import Case, Intervention

from .models import CaseBucket, CaseStaleWeek, FigureState, InterventionBucket


def _week_of(moment) -> date:
    from .figures_rollup import week_of  # here: figures_rollup imports this module

    return week_of(moment)


# --- marking stale -----------------------------------------------------------------------------


def mark_case(sender, instance: Case, **kwargs) -> None:
    """post_save / post_delete of a case: its week of opening is out of date (in the same
    transaction as the change)."""
    if instance.opened_at is not None and not kwargs.get("raw"):
        CaseStaleWeek.objects.create(week=_week_of(instance.opened_at))


def mark_intervention(sender, instance: Intervention, **kwargs) -> None:
    """post_save of an intervention: its case's week of opening is out of date."""
    if kwargs.get("raw"):
        return
    opened: datetime | None
    if Intervention.case.is_cached(instance):
        opened = instance.case.opened_at
    else:
        opened = (
            Case.objects.filter(pk=instance.case_id).values_list("opened_at", flat=True).first()
        )
    if opened is not None:
        CaseStaleWeek.objects.create(week=_week_of(opened))


# --- rebuilding --------------------------------------------------------------------------------


def rebuild_cases(weeks: Iterable[date]) -> int:
    """Rebuild these weeks' case and intervention rows from the cases; the rows written."""
    from .figures_rollup import week_of_day, week_span

    written = 0
    for monday in sorted(set(weeks)):
        start, end = week_span(monday, monday)
        cases: Counter = Counter()
        for team, stage, result, closed in (
            Case.objects.filter(opened_at__gte=start, opened_at__lt=end)
            .order_by()
            .values_list("team_id", "stage_id", "result_id", "closed_at")
        ):
            if closed is None:
                cases[(team, stage, None, None)] += 1
            else:
                cases[(team, None, result, _week_of(closed))] += 1
        interventions: Counter = Counter(
            (team, week_of_day(started), kind, state)
            for team, started, kind, state in Intervention.objects.filter(
                case__opened_at__gte=start, case__opened_at__lt=end
            )
            .order_by()
            .values_list("case__team_id", "start_date", "kind_id", "state")
        )
        CaseBucket.objects.filter(week=monday).delete()
        InterventionBucket.objects.filter(week=monday).delete()
        CaseBucket.objects.bulk_create(
            [
                CaseBucket(
                    week=monday,
                    team_id=team,
                    stage_id=stage,
                    result_id=result,
                    closed_week=closed_week,
                    cases=n,
                )
                for (team, stage, result, closed_week), n in cases.items()
            ],
            batch_size=1000,
        )
        InterventionBucket.objects.bulk_create(
            [
                InterventionBucket(
                    week=monday,
                    team_id=team,
                    start_week=start_week,
                    kind_id=kind,
                    state=state,
                    interventions=n,
                )
                for (team, start_week, kind, state), n in interventions.items()
            ],
            batch_size=1000,
        )
        written += len(cases) + len(interventions)
    return written


def cases_behind() -> tuple[int | None, bool]:
    """The rollup's report-id watermark (None before its state row exists) and whether the
    case rows are out of date, in one query (`rollup_refresh` reads the watermark anyway)."""
    row = (
        FigureState.objects.filter(pk=1)
        .annotate(
            top=Subquery(Case.objects.order_by("-pk").values("pk")[:1]),
            marked=Exists(CaseStaleWeek.objects.all()),
        )
        .values_list("seen_report_id", "seen_case_id", "top", "marked")
        .first()
    )
    if row is None:
        return None, True
    seen_report, seen_case, top, marked = row
    return seen_report, bool(marked) or (top or 0) != seen_case


def cases_refresh(*, inline_limit: int | None = None) -> bool:
    """Bring the case rows up to date (called when they are behind: `cases_behind`); True
    when they are up to date afterwards. With `inline_limit` (a page read), more new cases
    than that (the demo loader's, a restore's) are left to the tasks worker, asked once, and
    False is returned, as `rollup_refresh` does for reports."""
    from .figures_rollup import _ask_worker, _state

    if inline_limit is not None:
        seen = FigureState.objects.filter(pk=1).values_list("seen_case_id", flat=True).first()
        new = Case.objects.filter(pk__gt=seen or 0).order_by().values("pk")[: inline_limit + 1]
        if new.count() > inline_limit:
            _ask_worker()
            return False
    with transaction.atomic():
        state = _state(lock=True)
        marks = list(CaseStaleWeek.objects.values_list("pk", "week"))
        weeks = {week for _pk, week in marks}
        top = Case.objects.aggregate(top=Max("pk"))["top"] or 0
        if top > state.seen_case_id:
            weeks |= {
                _week_of(moment)
                for moment in Case.objects.filter(pk__gt=state.seen_case_id, pk__lte=top)
                .order_by()
                .values_list("opened_at", flat=True)
                .iterator(20_000)
            }
        rebuild_cases(weeks)
        # Only the marks read above: a change committed meanwhile keeps its own.
        CaseStaleWeek.objects.filter(pk__in=[pk for pk, _week in marks]).delete()
        done = {"seen_case_id": top}
        if inline_limit is None:  # the worker (or a command): what was asked of it is done
            done |= {"rebuilt_at": timezone.now(), "refresh_asked_at": None}
        FigureState.objects.filter(pk=1).update(**done)
    return True
