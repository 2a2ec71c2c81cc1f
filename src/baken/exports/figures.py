"""Figures (aggregates) as an export: the dashboard's own table,
`baken.insights.figures.figures_table(*, user, params) -> (headers, rows)`, which scopes the
figures to the user and suppresses small counts for management itself. Management may
export these and nothing else; a team lead or analyst gets their team's figures.

The parameters are the dashboard's (period, start, end, category, area), checked with its
own form (insights.figures.params_from)."""

from django.utils.translation import gettext as _

from baken.accounts.roles import Capability


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
    if errors:
        raise FiltersInvalid(errors)
    return params


def table(user, params: dict[str, list[str]]) -> tuple[list[str], list[list]]:
    """(headers, rows); ValueError when the parameters no longer fit the figures."""
    from baken.insights.figures import figures_table

    from .kinds import query_of

    headers, rows = figures_table(user=user, params=query_of(params))
    return [str(h) for h in headers], [list(row) for row in rows]
