"""Figures (aggregates) as an export: the dashboard's own table,
`baken.insights.figures.figures_table(*, user, params) -> (headers, rows)`, which scopes the
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
from django.utils.translation import gettext as _

from baken.core.roles import Capability


def available() -> bool:
    try:
        from baken.insights.figures import figures_table  # noqa: F401
    except ImportError:  # pragma: no cover - the dashboard's figures are part of Baken
        return False
    return True


def may_export(user) -> bool:
    return user.can(Capability.AGGREGATES) or user.can(Capability.INSIGHTS)


def check_params(params: dict[str, list[str]]) -> dict[str, list[str]]:
    from baken.insights.figures import FigureForm, params_from

    from .kinds import FiltersInvalid, query_of

    errors = {
        name: [_("This list has no filter of this name.")]
        for name in params
        if name not in FigureForm.base_fields
    }
    if not errors and params:
        parsed, form = params_from(query_of(params))
        if parsed is None:
            errors = {
                (name if name != "__all__" else "period"): [str(r) for r in reasons]
                for name, reasons in form.errors.items()
            }
        else:
            errors = _period_errors(parsed)
    if errors:
        raise FiltersInvalid(errors)
    return params


def _period_errors(parsed) -> dict[str, list[str]]:
    """The figures count from the first week's Monday 00:00 up to the Monday after the last
    week, as moments in the municipality's time zone (insights.figures_rollup.week_span),
    stored in UTC: refused when those moments do not exist."""
    from baken.insights.figures_rollup import week_begins

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
    from baken.insights.figures import params_from

    return params_from(None)[1]


def table(user, params: dict[str, list[str]]) -> tuple[list[str], list[list]]:
    """(headers, rows); ValueError when the parameters no longer fit the figures."""
    from baken.insights.figures import figures_table

    from .kinds import query_of

    headers, rows = figures_table(user=user, params=query_of(params))
    return [str(h) for h in headers], [list(row) for row in rows]
