"""The management view's figures (issue 7, item 4): the whole municipality, aggregated only —
no report content, no references, names or addresses — and every count below the threshold
shown as "< 5", with as many others hidden ("x") as keep it from being worked out of the
total beside it (suppression.py).

Choices that keep small counts from being derived across tables and views:
- one fixed period, the last 52 complete weeks: no filters and no from–to, so no two
  overlapping selections can be subtracted from each other (52 weeks minus 12 would give the
  counts of weeks 13 to 52);
- tables that share a total (the period's reports by week, category, area, channel and
  state; the backlog by age and by state; interventions by kind and by state) show it only
  when every one of them may: one table hiding it hides it in all;
- an average lead time only over at least as many reports as the threshold.
"""

from dataclasses import replace
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .figures import Params, figures_compute, may_see_management, this_week
from .figures_sections import (
    BACKLOG_LABELS,
    STATE_LABELS,
    Section,
    case_sections,
    lead_cells,
    lead_note,
    plain_sections,
)
from .suppression import (
    SECONDARY,
    below,
    rounding_hides_small_counts,
    suppress_table,
    threshold,
)

WEEKS = 52


def management_params() -> Params:
    last = this_week() - timedelta(weeks=1)
    return Params(first=last - timedelta(weeks=WEEKS - 1), last=last, period="52")


def _suppressed(section: Section, *, with_total: bool = True) -> Section:
    counts = {k: int(v) for k, v in section.cells.items() if v is not None}
    table = suppress_table(counts, with_total=with_total)
    total = table.total if with_total else None
    return replace(section, cells=table.cells, total=total, hidden=table.hidden)


def _share_total(sections: list[Section]) -> list[Section]:
    """Tables of the same reports show their total only if none of them must hide it."""
    if all(isinstance(s.total, int) for s in sections):
        return sections
    return [replace(s, total=below() if s.total == below() else SECONDARY) for s in sections]


def management_sections(*, user, params: Params | None = None) -> list[Section]:
    """The municipality's figures, suppressed. `params` is ignored but for its use by
    figures_table.py: the view has one fixed period (see above)."""
    if not may_see_management(user):
        raise PermissionDenied
    figures = figures_compute(team=None, params=management_params())
    plain = {s.key: s for s in plain_sections(figures)}
    limit = threshold()
    period = _share_total(
        [
            _suppressed(plain["per_week"]),
            _suppressed(plain["by_category"]),
            _suppressed(plain["by_area"]),
            _suppressed(plain["by_channel"]),
            _suppressed(
                Section(
                    "by_state",
                    _("How far the reports of the period got"),
                    "hbar",
                    {str(STATE_LABELS[k]): figures.by_state.get(k, 0) for k in STATE_LABELS},
                    note=_("Each report counted once, at the furthest step it reached."),
                )
            ),
        ]
    )
    by_age = _suppressed(
        replace(
            plain["backlog_by_age"],
            # The management view has no category or area to choose.
            note=_(
                "Open reports today (in triage or awaiting the decision), by weeks since the "
                "week they were received."
            ),
        )
    )
    by_state = Section(
        "backlog_by_state",
        _("Backlog by state"),
        "hbar",
        {str(v): figures.backlog_by_state.get(k, 0) for k, v in BACKLOG_LABELS.items()},
    )
    if rounding_hides_small_counts():
        # Two rows: beside a total of its own, one small row hid the other as well and the
        # chart stayed empty next to the age chart of the same reports (issue 12). Its total
        # is the age chart's; that total minus the row shown is uncertain by the rounding,
        # more than a small count (suppression.py).
        note = _("The same open reports as by age; their total is under that chart.")
        backlog = [by_age, _suppressed(replace(by_state, note=note), with_total=False)]
    else:
        backlog = _share_total([by_age, _suppressed(by_state)])
    leads = [
        replace(
            plain[key],
            cells=lead_cells(figures.weeks, sums, minimum=limit),
            note=lead_note(sums, minimum=limit),
        )
        for key, sums in (
            ("lead_weighing", figures.lead_weighing),
            ("lead_decision", figures.lead_decision),
        )
    ]
    cases = {s.key: _suppressed(s) for s in case_sections(figures)}
    interventions = _share_total([cases["interventions_by_kind"], cases["interventions_by_state"]])
    return [
        *period,
        *backlog,
        *leads,
        cases["cases_by_stage"],
        *interventions,
        cases["results"],
    ]
