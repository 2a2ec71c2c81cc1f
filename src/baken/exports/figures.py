"""Figures (aggregates) as an export: the dashboard's own table,
`baken.insights.figures_table.figures_table(*, user, params) -> (headers, rows)`, which scopes the
figures to the user and suppresses small counts for management itself. Management may
export these and nothing else; a team lead or analyst gets their team's figures.

The parameters are the dashboard's (period, start, end, category, area), checked with its
own parser (insights.figures.params_from) when the export is asked for: whatever the
dashboard refuses (such as a date outside its years), the export refuses, naming the
parameter, rather than failing in the worker. Should that parser ever take a period the
figures cannot be counted over (a date whose week has no beginning or end, in year 1 or
at the end of year 9999), it is refused here too."""

from datetime import UTC, timedelta

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from baken.core.roles import Capability
from baken.insights import figures as dashboard
from baken.insights.figures_rollup import week_begins
from baken.insights.figures_table import figures_table

Params = dict[str, list[str]]


def may_export(user) -> bool:
    return user.can(Capability.AGGREGATES) or user.can(Capability.INSIGHTS)


def _query(params: Params) -> MultiValueDict:
    """The parameters as a GET query, each with all its values (as exports.kinds.query_of)."""
    return MultiValueDict(params)


def filter_errors(params: Params) -> dict[str, list[str]]:
    """{parameter: [reasons]} for each parameter the dashboard would not take; empty when
    they fit (exports.kinds.check_filters refuses the export with them)."""
    errors = {
        name: [_("This list has no filter of this name.")]
        for name in params
        if name not in dashboard.FigureForm.base_fields
    }
    if not errors and params:
        parsed, form = dashboard.params_from(_query(params))
        if parsed is None:
            errors = {
                (name if name != "__all__" else "period"): [str(r) for r in reasons]
                for name, reasons in form.errors.items()
            }
        else:
            errors = _period_errors(parsed)
    return errors


def _period_errors(parsed) -> dict[str, list[str]]:
    """The figures count from the first week's Monday 00:00 up to the Monday after the last
    week, as moments in the municipality's time zone (insights.figures_rollup.week_span),
    stored in UTC: refused when those moments do not exist."""
    too_far = [_("This date lies too far in the past or the future.")]
    try:
        week_begins(parsed.first).astimezone(UTC)
    except (OverflowError, ValueError):
        return {"start": too_far}
    try:
        week_begins(parsed.last + timedelta(weeks=1)).astimezone(UTC)
    except (OverflowError, ValueError):
        return {"end": too_far}
    return {}


def form() -> forms.Form:
    """The dashboard's own (unbound) form, for the labels of its parameters and choices."""
    return dashboard.params_from(None)[1]


def table(user, params: Params) -> tuple[list[str], list[list]]:
    """(headers, rows); ValueError when the parameters no longer fit the figures."""
    headers, rows = figures_table(user=user, params=_query(params))
    return [str(h) for h in headers], [list(row) for row in rows]
